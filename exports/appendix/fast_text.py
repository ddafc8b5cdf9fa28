"""Plain paragraphs for the PDF appendix: reportlab's Paragraph layout without its markup."""

from __future__ import annotations

from collections.abc import Sequence
from weakref import WeakKeyDictionary, ref
from xml.sax.saxutils import escape

from reportlab.lib.colors import toColor
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from exports.appendix import tagging
from exports.appendix.tagging import TaggedParagraph

# Text that Paragraph treats specially (no-break space, soft hyphen) goes to Paragraph.
_SPECIAL = ("\xa0", "\xad")
# Where a word wider than its line breaks first: after one of these (a URL's parts).
_BREAK_AFTER = frozenset("/-._")
_FUZZ = 1e-6  # Paragraph's smallest usable width
# A superscript as Paragraph's <super> draws it: raised half the size, 2 points smaller.
_SUPER_RISE = 0.5
_SUPER_SMALLER = 2.0
# How a byte is written inside a PDF string: printable ASCII as is, the rest in octal.
_ESCAPE = [
    "\\" + chr(b) if chr(b) in "\\()" else chr(b) if 32 <= b < 127 else f"\\{b:03o}"
    for b in range(256)
]
# Per PDF document: font name -> word -> [(subset, escaped bytes)], and subset names.
_ENCODED: WeakKeyDictionary = WeakKeyDictionary()
# The document written last and its encoders (held weakly): found without hashing the doc.
_LAST_ENCODED: list = [None]


def _forget_last(_: object) -> None:
    _LAST_ENCODED[0] = None


_NUMS: dict[float, str] = {}  # numbers written lately: positions and sizes repeat a lot


def _num(value: float) -> str:
    """Return a number as PDF writes it: no exponent, at most six decimals."""
    text = _NUMS.get(value)
    if text is None:
        if len(_NUMS) > 4096:
            _NUMS.clear()
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        text = _NUMS[value] = "0" if text in ("", "-0") else text
    return text


class _Metrics:
    """Word widths of one font, cached: a plan repeats its words many times."""

    def __init__(self, font_name: str) -> None:
        self.name = font_name
        self.font = pdfmetrics.getFont(font_name)
        face = self.font.face
        self.char_widths = face.charWidths
        self.default = face.defaultWidth
        self.words: dict[str, float] = {}
        self.sized: dict[float, dict[str, float]] = {}  # font size -> word -> width in points

    @classmethod
    def of(cls, font_name: str) -> _Metrics:
        metrics = _METRICS.get(font_name)
        if metrics is None or metrics.font is not pdfmetrics.getFont(font_name):
            metrics = _METRICS[font_name] = cls(font_name)
        return metrics

    def raw(self, word: str) -> float:
        """Return the width of ``word`` in the font's units (1/1000 of the size)."""
        width = self.words.get(word)
        if width is None:
            get, default = self.char_widths.get, self.default
            width = self.words[word] = sum(get(ord(ch), default) for ch in word)
        return width


_METRICS: dict[str, _Metrics] = {}
# Lines of short plain text, per (text, style, width, bullet): a print breaks the same
# labels, statuses, dates and titles in every table ("Update" 200 times at 200 actions).
_BROKEN: dict[tuple, tuple[_Metrics, Sequence[tuple[float, int, int]]]] = {}
_SHORT = 16  # words: longer text is seldom met twice, and is not kept
# Per (style, width, bullet): what breaking a paragraph's lines needs besides its words.
_SETTINGS: dict[tuple, tuple] = {}


def _lines(
    widths: list[float], first: float, later: float, space: float, shrink: float
) -> list[tuple[float, int, int]]:
    """Return greedy lines (room left, first word, end word) of words spaced by ``space``.

    Paragraph's rule: a word joins the line while the line, its spaces shrunk by up to
    ``shrink`` each, fits; the sums are made in Paragraph's order, so the lines are its own.
    """
    lines = []
    add = lines.append
    current = -space
    start = 0
    limit = first
    for i, width in enumerate(widths):
        new = current + space + width
        if new <= limit + shrink * (i - start) or i == start:
            current = new
        else:
            add((limit - current, start, i))
            start, current, limit = i, width, later
    add((limit - current, start, len(widths)))
    return lines


class PlainParagraph(Flowable):
    """A paragraph of plain text, laid out and drawn as reportlab's Paragraph would.

    The appendix's long update text has no markup, so this skips Paragraph's markup parser
    and fragment machinery: words are measured once per font (cached), wrapped greedily
    with the same rule as ``Paragraph.breakLines`` (including its 5 % space shrinkage),
    and drawn as one PDF text object. A word wider than the line (a long URL) is broken
    into pieces, after a ``/ - . _`` where it can and between characters only where it
    must, with no hyphen added, so each part of it can still be searched for; the pieces
    are glued (no space between them) when they share a line. A no-break space or a soft
    hyphen hands the paragraph to Paragraph itself.
    """

    # The structure element the text is tagged as ("LI" a list item's line, "Artifact"
    # furniture), and whether it carries on the element before it (the rest of a split).
    tag = "P"
    continues = False
    # Indices of words drawn as superscript (footnote marks), as Paragraph's <super>.
    supers: frozenset[int] = frozenset()
    # Indices of words that continue the word before them, with no space between.
    glue: frozenset[int] = frozenset()
    # (room left, first word, end word) per line, once broken; never changed in place.
    lines: Sequence[tuple[float, int, int]] = ()
    _wrapped_for: float | None = None
    _fallback: Paragraph | None = None
    # What Flowable.__init__ sets on each instance, as defaults: a print makes some
    # thirty thousand paragraphs, and these are only read until they are set.
    width = height = wrapped = 0
    hAlign, vAlign = "LEFT", "BOTTOM"
    _traceInfo = _showBoundary = encoding = None

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None) -> None:
        self.plain = text
        self.style = style
        self.bullet = bullet
        self.words = text.split()
        if _SPECIAL[0] in text or _SPECIAL[1] in text:
            self._fallback = self._paragraph()

    @classmethod
    def _of_words(
        cls,
        words: list[str],
        glue: frozenset[int],
        style: ParagraphStyle,
        bullet: str | None = None,
    ) -> PlainParagraph:
        """Return a paragraph of words already split (and glued) by another."""
        para = cls("", style, bullet)
        para.words = words
        para.glue = glue
        para.plain = _joined(words, glue, 0, len(words))
        return para

    def add_mark(self, mark: str, *, first: bool = False) -> None:
        """Add a superscript footnote mark: glued after the last word, or ``first`` before all.

        A mark first is followed by a space (a footnote's number), as ``<super>1</super> text``
        lays out; a mark last follows the word with none, as ``text<super>1</super>``.
        """
        if first:
            self.words.insert(0, mark)
            self.glue = frozenset(i + 1 for i in self.glue)
            self.supers = frozenset({0, *(i + 1 for i in self.supers)})
        else:
            if self.words:
                self.glue = self.glue | {len(self.words)}
            self.supers = self.supers | {len(self.words)}
            self.words.append(mark)
        self.plain = _joined(self.words, self.glue, 0, len(self.words))
        self._wrapped_for = None
        if self._fallback is not None:
            self._fallback = self._paragraph()

    @property
    def text(self) -> str:
        """The text as Paragraph markup (what a Paragraph of it would hold)."""
        if not self.supers:
            return escape(self.plain)
        marked = [
            f"<super>{escape(w)}</super>" if k in self.supers else escape(w)
            for k, w in enumerate(self.words)
        ]
        return _joined(marked, self.glue, 0, len(marked))

    @property
    def fallback(self) -> Paragraph | None:
        """The Paragraph that lays this text out instead, if any (e.g. a word too wide)."""
        return self._fallback

    def _paragraph(self) -> TaggedParagraph:
        return TaggedParagraph(self.text, self.style, bulletText=self.bullet)

    # Flowable's own versions look for the space with hasattr four times; a print asks for
    # it some hundred thousand times. Same answer: the paragraph's own, else its style's.
    def getSpaceBefore(self) -> float:
        """Return the space above the paragraph (its own if set, else its style's)."""
        own = self.__dict__.get("spaceBefore")
        return self.style.spaceBefore if own is None else own

    def getSpaceAfter(self) -> float:
        """Return the space below the paragraph (its own if set, else its style's)."""
        own = self.__dict__.get("spaceAfter")
        return self.style.spaceAfter if own is None else own

    def __repr__(self) -> str:
        return f"PlainParagraph({self.plain[:40]!r})"

    def _setting(self, avail_width: float) -> tuple:
        """Return what breaking lines at ``avail_width`` needs that the words do not change.

        (metrics, widths of known words at the size, scale, first and later line widths,
        the space's width, the space's shrinkage); the same for every paragraph of a style.
        """
        key = (self.style, avail_width, self.bullet)
        setting = _SETTINGS.get(key)
        if setting is not None and setting[0].font is pdfmetrics.getFont(setting[0].name):
            return setting
        style = self.style
        metrics = _Metrics.of(style.fontName)
        scale = 0.001 * style.fontSize
        known = metrics.sized.get(style.fontSize)
        if known is None:
            known = metrics.sized[style.fontSize] = {}
        first = avail_width - (style.leftIndent + style.firstLineIndent) - style.rightIndent
        later = avail_width - style.leftIndent - style.rightIndent
        if self.bullet:
            bullet = _Metrics.of(style.bulletFontName).raw(self.bullet)
            bullet_len = (
                style.bulletIndent + 0.001 * style.bulletFontSize * bullet
            ) + 0.6 * style.bulletFontSize
            indent = style.leftIndent + style.firstLineIndent
            if bullet_len > indent:
                first -= bullet_len - indent
        space = scale * metrics.raw(" ")
        if len(_SETTINGS) > 1024:
            _SETTINGS.clear()
        setting = _SETTINGS[key] = (
            metrics,
            known,
            scale,
            first,
            later,
            space,
            style.spaceShrinkage * space,
        )
        return setting

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Break the text into lines for ``avail_width``; return its width and height."""
        fallback = self._fallback
        if fallback is not None:
            # Paragraph measures again at every call; its lines depend on the width only.
            if avail_width != self._wrapped_for or not hasattr(fallback, "blPara"):
                self._wrapped_for = avail_width
                return fallback.wrap(avail_width, avail_height)
            return fallback.width, fallback.height
        if avail_width < _FUZZ:
            return 0, 0x7FFFFFFF
        if avail_width != self._wrapped_for:
            self._break(avail_width)
            if self._fallback is not None:
                self._wrapped_for = avail_width
                return self._fallback.wrap(avail_width, avail_height)
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def _break(self, avail_width: float) -> None:
        key = None
        if len(self.words) <= _SHORT and not self.glue and not self.supers:
            key = (self.plain, self.style, avail_width, self.bullet)
            found = _BROKEN.get(key)
            if found is not None and found[0].font is pdfmetrics.getFont(found[0].name):
                self._wrapped_for = avail_width
                self.lines = found[1]
                return
        metrics, known, scale, first, later, space, shrink = self._setting(avail_width)
        raw = metrics.raw
        words = self.words
        # Most words are known already: look them up in one pass, measure the rest.
        widths = list(map(known.get, words))
        if None in widths:
            for word in words:
                if word not in known:
                    known[word] = scale * raw(word)
            widths = list(map(known.__getitem__, words))
        supers = self.supers
        if supers:
            style = self.style
            size = style.fontSize - min(_SUPER_SMALLER, 0.2 * style.fontSize)
            for k in supers:
                widths[k] = 0.001 * size * raw(words[k])
        narrowest = first if first < later else later
        if widths and max(widths) > narrowest:
            if supers or not self._break_words(widths, narrowest, known, scale, raw):
                # Narrower than a character: Paragraph breaks it as best it can.
                self._fallback = self._paragraph()
                return
            widths = list(map(known.__getitem__, self.words))
        self._wrapped_for = avail_width
        glue = self.glue
        if not glue:
            if len(widths) == 1:  # a label, a status, a ref: the same sum as _lines's
                self.lines = [(first - widths[0], 0, 1)]
            else:
                self.lines = _lines(widths, first, later, space, shrink)
            if key is not None:
                if len(_BROKEN) > 4096:
                    _BROKEN.clear()
                _BROKEN[key] = (metrics, self.lines)
            return
        lines = []
        current = -space
        start = 0
        limit = first
        if supers:
            # A mark glued to its word never starts a line: the word and mark are one.
            units = [i for i in range(len(widths)) if i not in glue or i not in supers]
            ends = [*units[1:], len(widths)]
            widths = [sum(widths[a:b]) for a, b in zip(units, ends, strict=True)]
        else:
            units = range(len(widths))
        for i, width in enumerate(widths):
            new = current + (0 if units[i] in glue else space) + width
            if new <= limit + shrink * (i - start) or i == start:
                current = new
            else:
                lines.append((limit - current, start, i))
                start, current, limit = i, width, later
        if widths:
            lines.append((limit - current, start, len(widths)))
        if supers:  # back from units to words
            ends = [*units, len(self.words)]
            lines = [(room, ends[a], ends[b]) for room, a, b in lines]
        self.lines = lines

    def _break_words(
        self, widths: list[float], room: float, known: dict[str, float], scale: float, raw
    ) -> bool:
        """Break every word wider than ``room`` into glued pieces; False if one cannot fit."""
        words: list[str] = []
        glue: set[int] = set()
        for i, (word, width) in enumerate(zip(self.words, widths, strict=True)):
            if i in self.glue:
                glue.add(len(words))
            if width <= room:
                words.append(word)
                continue
            pieces = _pieces(word, room, scale, raw)
            if pieces is None:
                return False
            for k, piece in enumerate(pieces):
                if k:
                    glue.add(len(words))
                known.setdefault(piece, scale * raw(piece))
                words.append(piece)
        self.words = words
        self.glue = frozenset(glue)
        self.plain = _joined(words, self.glue, 0, len(words))
        return True

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Return the lines that fit and the rest, as Paragraph splits (no widow lines)."""
        if self._fallback is not None:
            return self._fallback.split(avail_width, avail_height)
        if not self.words or avail_width < _FUZZ or avail_height < _FUZZ:
            return []
        self.wrap(avail_width, avail_height)
        if self._fallback is not None:
            return self._fallback.split(avail_width, avail_height)
        style = self.style
        fit = int(avail_height / float(style.leading))
        allow_orphans = getattr(style, "allowOrphans", 0)
        if (not allow_orphans and fit <= 1) or fit == 0:
            return []
        count = len(self.lines)
        if count <= fit:
            return [self]
        if not getattr(style, "allowWidows", 1) and count == fit + 1:
            if (allow_orphans and count == 3) or count > 3:
                fit -= 1
            else:
                return []
        cut = self.lines[fit][1]
        glue = self.glue
        head = PlainParagraph._of_words(
            self.words[:cut], frozenset(i for i in glue if i < cut), style, self.bullet
        )
        head.supers = frozenset(i for i in self.supers if i < cut)
        head._wrapped_for = avail_width
        head.lines = self.lines[:fit]
        head.wrap(avail_width, avail_height)
        tail = PlainParagraph._of_words(
            self.words[cut:], frozenset(i - cut for i in glue if i > cut), style
        )
        tail.supers = frozenset(i - cut for i in self.supers if i >= cut)
        head.tag = tail.tag = self.tag
        head.continues = self.continues
        tail.continues = True
        return [head, tail]

    def draw(self) -> None:
        """Draw at the flowable's origin."""
        if self._fallback is not None:
            self._fallback.canv = self.canv
            self._fallback.tag = "P" if self.tag == "LI" else self.tag
            try:
                self._fallback.draw()
            finally:
                del self._fallback.canv
            return
        self.emit(self.canv, 0, 0)

    def emit(self, canvas: Canvas, x: float, y: float, code: list[str] | None = None) -> None:
        """Write the paragraph's PDF operators with its bottom-left corner at (x, y).

        The operators are those Paragraph writes for plain text (one text object, one
        ``Tj`` and ``T*`` per line, ``Tw`` where a line uses the space shrinkage), written
        straight into the page (or onto ``code``) with each word encoded once per document.
        A paragraph that fell back to Paragraph is drawn through the canvas, never onto
        ``code``.
        """
        if self._fallback is not None:
            self._fallback.tag = "P" if self.tag == "LI" else self.tag
            self._fallback.drawOn(canvas, x, y)
            return
        if not self.lines:
            return
        style = self.style
        text_y = y + self.height - style.fontSize
        if self._plain_left and self._emit_plain(canvas, x, text_y, code):
            return
        offset = style.firstLineIndent
        out = ["q"]
        add = out.append
        tagger = tagging.of(canvas)
        close = ""
        if tagger is not None:
            close = self._tag(tagger, out)
        elif self.bullet:
            offset = self._bullet(canvas, out, x, text_y, offset)
        if self.bullet and tagger is not None:
            label = len(out) > 1 and out[-1].startswith("/Lbl")
            offset = self._bullet(canvas, out, x, text_y, offset)
            if label:
                add(tagging.END)
            body = self.__dict__.pop("_body", None)
            if body is not None:
                tagger.mark_body(out, body)
        encode = _Encoder.of(canvas, style.fontName)
        fill, font = encode.settings(style)
        add(fill)
        add(f"BT 1 0 0 1 {_num(x + style.leftIndent)} {_num(text_y)} Tm")
        words = self.words
        # Usually every word sits in the space's font subset (the first time a word is met
        # in a document it is encoded first): encode them all at once, one string a line.
        encoded = None if self.supers else encode.simple_words(words)
        glue = self.glue
        alignment = style.alignment
        if encoded is not None:
            add(font)
        size, leading = _num(style.fontSize), _num(style.leading)
        current = -1
        for number, (room, start, end) in enumerate(self.lines):
            spaces = end - start - 1
            if glue:
                spaces -= sum(1 for k in range(start + 1, end) if k in glue)
            squeeze = room <= -1e-8 and spaces > 0
            if alignment == TA_CENTER and not squeeze:
                move = offset + 0.5 * room
            elif alignment == TA_RIGHT and not squeeze:
                move = offset + room
            else:
                move = offset
            moved = move > 1e-6 or move < -1e-6
            if moved:
                add(f"{_num(move)} 0 Td")
            if squeeze:
                add(f"{_num(room / spaces)} Tw")
            if encoded is not None:
                add(f"({_joined(encoded, glue, start, end, encode.space[0][1])}) Tj T*")
            elif self.supers:
                current = self._marked_line(encode, start, end, out, current, size, leading)
                add("T*")
            else:
                current = encode.line(words, start, end, out, current, size, leading, glue)
                add("T*")
            if squeeze:
                add("0 Tw")
            if moved:
                add(f"{_num(-move)} 0 Td")
            if number == 0:
                offset = 0
        marks = self.__dict__.pop("_marks", None)
        if marks is not None:
            marks.close(out)
        add(f"ET{close} Q")
        (canvas._code if code is None else code).append(" ".join(out))

    @property
    def _plain_left(self) -> bool:
        """Whether the text is the usual kind: no bullet, mark or glue, left-aligned, no indent."""
        style = self.style
        return not (
            self.bullet
            or self.supers
            or self.glue
            or style.firstLineIndent
            or style.alignment == TA_CENTER
            or style.alignment == TA_RIGHT
        )

    def _emit_plain(self, canvas: Canvas, x: float, text_y: float, code: list[str] | None) -> bool:
        """Write the usual kind of paragraph as ``emit`` does, in one string.

        False, with nothing written, when a word lies outside the space's font subset:
        ``emit`` then writes it its general way.
        """
        style = self.style
        encode = _Encoder.of(canvas, style.fontName)
        plain = self.plain
        if (
            encode.ascii_same
            and plain.isascii()
            and plain.isprintable()
            and "(" not in plain
            and ")" not in plain
            and "\\" not in plain
        ):
            encoded = self.words  # most text: no word needs looking up
        else:
            try:
                encoded = list(map(encode.simple.__getitem__, self.words))
            except KeyError:
                encoded = encode.simple_words(self.words)
                if encoded is None:
                    return False
        fill, font = encode._settings.get(style) or encode.settings(style)
        tagger = getattr(canvas, "tagger", None)
        opened: list[str] = []
        close = "" if tagger is None else self._tag(tagger, opened)
        lines = _plain_lines(encoded, self.lines, encode.space[0][1])
        place = f"{_num(x + style.leftIndent)} {_num(text_y)}"
        ops = f"{fill} BT 1 0 0 1 {place} Tm {font} {lines} ET{close} Q"
        (canvas._code if code is None else code).append(" ".join(["q", *opened, ops]))
        return True

    def _marked_line(
        self, encode: _Encoder, start: int, end: int, out: list[str], current: int, size, leading
    ) -> int:
        """Write a line holding superscript words; return the font subset left in use."""
        style = self.style
        small = _num(style.fontSize - min(_SUPER_SMALLER, 0.2 * style.fontSize))
        rise = _num(_SUPER_RISE * style.fontSize)
        words, glue, supers = self.words, self.glue, self.supers
        marks = self.__dict__.get("_marks")  # tagged: each mark an element of its own
        k = start
        while k < end:
            if k > start and k not in glue:
                if marks is not None:
                    marks.text(out)
                # The space before a word is in the paragraph's size, as Paragraph sets it.
                current = encode.line([" "], 0, 1, out, current, size, leading, frozenset())
            if k in supers:
                if marks is not None:
                    marks.mark(out)
                out.append(f"{rise} Ts")
                encode.line([words[k]], 0, 1, out, -1, small, leading, frozenset())
                out.append("0 Ts")
                current = -1  # the size changed: the next words set their font again
                k += 1
                continue
            run = k + 1
            while run < end and run not in supers:
                run += 1
            # Words up to the next superscript, spaced as the paragraph spaces them.
            if marks is not None:
                marks.text(out)
            current = encode.line(words, k, run, out, current, size, leading, glue)
            k = run
        return current

    def _tag(self, tagger: tagging.Tagger, out: list[str]) -> str:
        """Open the paragraph's marked content (a list item's label first); return its close."""
        tag = self.tag
        if tag == "Artifact":
            out.append(tagging.ARTIFACT)
            return " EMC"
        if tag == "LI":
            body = tagger.mark_item(out, self.continues or not self.bullet)
            if body is None:
                return ""
            if self.bullet:
                self._body = body  # marked once the label is drawn
            else:
                tagger.mark_body(out, body)
            return " EMC"
        if self.supers:  # marked word by word inside the text object (``_marked_line``)
            element = tagger.element(tag, self.continues)
            if element is not None:
                self._marks = tagging.Marks(tagger, element)
            return ""
        return " EMC" if tagger.mark(out, tag, self.continues) else ""

    def _bullet(self, canvas: Canvas, out: list[str], x: float, y: float, offset: float) -> float:
        """Write the bullet as Paragraph does; return the first line's offset after it."""
        style = self.style
        size = style.bulletFontSize
        encode = _Encoder.of(canvas, style.bulletFontName)
        out.append(f"BT 1 0 0 1 {_num(x + style.bulletIndent)} {_num(y)} Tm")
        out.append(fill_op(getattr(style, "bulletColor", style.textColor)))
        encode.line([self.bullet], 0, 1, out, -1, _num(size), _num(1.2 * size), frozenset())
        out.append("ET")
        width = 0.001 * size * _Metrics.of(style.bulletFontName).raw(self.bullet)
        end = style.bulletIndent + width + size * 0.6
        return max(offset, end - style.leftIndent)


def _joined(
    words: list[str], glue: frozenset[int] | set[int], start: int, end: int, space: str = " "
) -> str:
    """Return ``words[start:end]`` joined by ``space``, with none before a glued word."""
    if not glue:
        return space.join(words[start:end])
    out = []
    for k in range(start, end):
        if k > start and k not in glue:
            out.append(space)
        out.append(words[k])
    return "".join(out)


def _plain_lines(encoded: list[str], lines: list[tuple[float, int, int]], space: str) -> str:
    """Return the operators of left-aligned lines of encoded words with no glue between them.

    One string per line, ``Tw`` around a line that uses the space shrinkage, as
    ``PlainParagraph.emit`` writes them in general.
    """
    parts = []
    add = parts.append
    for room, start, end in lines:
        if room <= -1e-8 and end - start > 1:
            add(
                f"{_num(room / (end - start - 1))} Tw ({space.join(encoded[start:end])}) Tj T* 0 Tw"
            )
        else:
            add(f"({space.join(encoded[start:end])}) Tj T*")
    return " ".join(parts)


def _pieces(word: str, room: float, scale: float, raw) -> list[str] | None:
    """Return ``word`` cut into pieces no wider than ``room``, each after ``/ - . _`` if it can.

    None when a single character is wider than ``room``.
    """
    pieces = []
    rest = word
    while scale * raw(rest) > room:
        best = 0  # the longest prefix that fits, ending after a separator
        fits = 0  # the longest prefix that fits at all
        width = 0.0
        for k, ch in enumerate(rest):
            width += scale * raw(ch)
            if width > room:
                break
            fits = k + 1
            if ch in _BREAK_AFTER and k + 1 < len(rest):
                best = k + 1
        cut = best or fits
        if cut == 0:
            return None
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


_FILLS: dict[object, str] = {}
# Colour objects seen lately, by identity (each kept alive so its id is not reused).
_FILLS_SEEN: dict[int, tuple[object, str]] = {}


def fill_op(colour: object) -> str:
    """Return the operator that sets ``colour`` as the fill colour."""
    seen = _FILLS_SEEN.get(id(colour))
    if seen is not None and seen[0] is colour:
        return seen[1]
    key = colour if isinstance(colour, str) else repr(colour)
    op = _FILLS.get(key)
    if op is None:
        value = toColor(colour)
        op = _FILLS[key] = " ".join(_num(v) for v in value.rgb()) + " rg"
    if len(_FILLS_SEEN) > 256:
        _FILLS_SEEN.clear()
    _FILLS_SEEN[id(colour)] = (colour, op)
    return op


class _Encoder:
    """Words of one font as PDF string bytes, for one document (subsets are per document)."""

    def __init__(self, canvas: Canvas, font_name: str) -> None:
        # Held weakly: the encoders are kept per document, which must not keep it alive.
        self.doc = ref(canvas._doc)
        self.font = pdfmetrics.getFont(font_name)
        self.words: dict[str, list[tuple[int, str]]] = {}
        self.names: dict[int, str] = {}
        self.simple: dict[str, str] = {}  # words wholly in the space's subset
        self._settings: dict[ParagraphStyle, tuple[str, str]] = {}
        # Characters whose code in this document is in the space's subset, and that code
        # escaped (a ``str.translate`` table): a word of them is encoded without splitString.
        self._coded: set[str] = set()
        self._codes: dict[int, str] = {}
        self.space_subset = -1
        self.space = self.encode(" ")
        self.space_subset = self.space[0][0] if len(self.space) == 1 else -1
        self._learn(" ")
        # reportlab's readable ASCII (its default) gives each ASCII character its own code
        # in the first subset: text of printable ASCII is then its own encoding, bar escapes.
        codes = self.font.state[self.doc()].assignments if self.space_subset == 0 else {}
        self.ascii_same = all(codes.get(n) == n for n in range(32, 127))

    @classmethod
    def of(cls, canvas: Canvas, font_name: str) -> _Encoder:
        doc = canvas._doc
        last = _LAST_ENCODED[0]
        if last is not None and last[0]() is doc:
            encoders = last[1]
        else:
            encoders = _ENCODED.get(doc)
            if encoders is None:
                encoders = _ENCODED[doc] = {}
            _LAST_ENCODED[0] = (ref(doc, _forget_last), encoders)
        encoder = encoders.get(font_name)
        if encoder is None:
            encoder = encoders[font_name] = cls(canvas, font_name)
        return encoder

    def encode(self, word: str) -> list[tuple[int, str]]:
        """Return ``word`` as (font subset, escaped bytes) pieces, as the font splits it."""
        segments = self.words.get(word)
        if segments is None:
            if self._coded.issuperset(word):
                # What splitString would return, without its bookkeeping per character.
                chunk = self.simple[word] = word.translate(self._codes)
                segments = self.words[word] = [(self.space_subset, chunk)]
                return segments
            segments = self.words[word] = [
                (subset, "".join([_ESCAPE[b] for b in chunk]))
                for subset, chunk in self.font.splitString(word, self.doc())
            ]
            if len(segments) == 1 and segments[0][0] == self.space_subset:
                self.simple[word] = segments[0][1]
            self._learn(word)
        return segments

    def _learn(self, word: str) -> None:
        """Note the codes the font gave ``word``'s characters in the space's subset."""
        if self.space_subset < 0:
            return
        assignments = self.font.state[self.doc()].assignments
        for ch in set(word) - self._coded:
            code = assignments.get(ord(ch))
            # A no-break space is written as a space: it is left to splitString.
            if code is not None and code >> 8 == self.space_subset and ch != "\xa0":
                self._codes[ord(ch)] = _ESCAPE[code & 0xFF]
                self._coded.add(ch)

    def settings(self, style: ParagraphStyle) -> tuple[str, str]:
        """Return the operators that set ``style``'s colour, and its font in the space's subset.

        The font is "" when the space has no subset of its own (then no word is ``simple``).
        """
        found = self._settings.get(style)
        if found is None:
            font = ""
            if self.space_subset >= 0:
                size, leading = _num(style.fontSize), _num(style.leading)
                font = f"{self.name(self.space_subset)} {size} Tf {leading} TL"
            found = self._settings[style] = (fill_op(style.textColor), font)
        return found

    def simple_words(self, words: list[str]) -> list[str] | None:
        """Return ``words`` encoded if every one lies in the space's subset, else None."""
        simple = self.simple
        try:
            return list(map(simple.__getitem__, words))
        except KeyError:
            known = self.words
            for word in words:
                if word not in known:
                    self.encode(word)
        try:
            return list(map(simple.__getitem__, words))
        except KeyError:
            return None

    def name(self, subset: int) -> str:
        """Return the PDF name of one of the font's subsets in this document."""
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.font.getSubsetInternalName(subset, self.doc())
        return name

    def line(
        self,
        words: list[str],
        start: int,
        end: int,
        out: list[str],
        current: int,
        size: str,
        leading: str,
        glue: frozenset[int],
    ) -> int:
        """Write ``words[start:end]`` joined by spaces; return the font subset left in use.

        A word whose index is in ``glue`` follows the one before it with no space.
        """
        simple = self.simple
        try:
            chunks = [simple[word] for word in words[start:end]]
        except KeyError:
            pass
        else:  # the usual line: one subset, one string
            if current != self.space_subset:
                current = self.space_subset
                out.append(f"{self.name(current)} {size} Tf {leading} TL")
            joined = _joined(chunks, {k - start for k in glue}, 0, len(chunks), self.space[0][1])
            out.append(f"({joined}) Tj")
            return current
        text: list[str] = []
        known = self.words
        space = self.space
        for k in range(start, end):
            segments = known.get(words[k]) or self.encode(words[k])
            for subset, chunk in space + segments if k > start and k not in glue else segments:
                if subset != current:
                    if text:
                        out.append(f"({''.join(text)}) Tj")
                        text = []
                    out.append(f"{self.name(subset)} {size} Tf {leading} TL")
                    current = subset
                text.append(chunk)
        if text:
            out.append(f"({''.join(text)}) Tj")
        return current


class PlainStack(Flowable):
    """Paragraphs that fill one table cell, drawn in one go (one move of the origin).

    A table places the flowables of a cell one under another with their space before
    and after; this stack has the same height and places its paragraphs at the same
    points, so a table lays it out exactly as it would the list.
    """

    def __init__(self, items: list[PlainParagraph]) -> None:
        super().__init__()
        self.items = items
        self.spaceBefore = items[0].getSpaceBefore()
        self.spaceAfter = items[-1].getSpaceAfter()
        self._wrapped_for: float | None = None

    @property
    def text(self) -> str:
        """The paragraphs' text as Paragraph markup, one after another."""
        return "".join(item.text for item in self.items)

    def getSpaceBefore(self) -> float:
        """Return the first paragraph's space above."""
        return self.spaceBefore

    def getSpaceAfter(self) -> float:
        """Return the last paragraph's space below."""
        return self.spaceAfter

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Wrap every paragraph; return the width and height of them all with their spaces."""
        if avail_width != self._wrapped_for:
            bottoms = []
            depth = 0.0
            width = 0.0
            last = len(self.items) - 1
            for k, item in enumerate(self.items):
                w, h = item.wrap(avail_width, avail_height)
                width = max(width, w)
                depth += h
                bottoms.append(depth)
                if k < last:
                    depth += item.getSpaceAfter() + self.items[k + 1].getSpaceBefore()
            self.width, self.height = width, depth
            self._bottoms = [depth - b for b in bottoms]
            self._wrapped_for = avail_width
        return self.width, self.height

    def draw(self) -> None:
        """Draw every paragraph at its place."""
        self.emit(self.canv, 0, 0)

    def emit(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw every paragraph with the stack's bottom-left corner at (x, y)."""
        for item, bottom in zip(self.items, self._bottoms, strict=True):
            item.emit(canvas, x, y + bottom)
