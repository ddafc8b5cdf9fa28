"""The appendix as PDF: reportlab platypus draws the layout of ``exports.appendix.layout``.

Layout choices that keep long plans printable and fast:

- Each action is its own small table (rows for the action, then rows for its update,
  under it), so laying out an appendix grows linearly with the number of actions; one
  table for a whole theme re-measures the remaining rows at every page break. Actions
  and measures are ``exports.appendix.action_block`` tables, laid out as reportlab's ``Table``
  would but drawn straight into the page, and made only when they are laid out.
- "Page i of n" is a form drawn on each page and defined at the end, so each page is
  finished, compressed and forgotten as soon as it is full.
- Page breaks are a typesetter's (``action_block``): an action stands with the first lines
  of its update, an update splits between lines wherever the page ends and carries on
  under "7C05 (continued)", and a theme's banner and a table's title are drawn with the
  first rows under them, so none of them ends a page. The action's own cells (activity,
  leads) are cut at sentence ends into rows of about fifteen lines (``row_limit``) so that
  even an activity longer than a page prints; those rows run on with no paragraph space.
- The column header is drawn above an action whenever that action starts a page, and
  above the rest of an action that continues on a new page, so every page of the action
  table has its header.
- Column widths are worked out for each page: a column that holds short words (ref,
  status, "Update", "(continued)", a header's words) is at least as wide as its widest
  word, so no label breaks inside a word; the strategic activity gives up the room.
- An author's line break is a line break (the paragraph's lines run on with no space), and
  a word wider than its column (a URL) breaks after ``/ - . _`` with no hyphen added.
- User text has no markup, so it is a ``fast_text.PlainParagraph`` (Paragraph's own line
  breaks, without its markup parser and with word widths cached), and a cell's
  paragraphs are drawn at once (``PlainStack``); Paragraph is kept where there is markup.
- Text is drawn in the bundled DejaVu Sans; a character that font cannot draw, and any
  character beyond U+FFFF (emoji), prints as its Unicode name in brackets,
  ``[UNICORN FACE]``, so nothing vanishes and the PDF's text can still be copied.
"""

from __future__ import annotations

import gc
import io
import re
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape, letter, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFResourceDictionary, PDFStream
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from db.errors import ScrutineerError
from exports.appendix.action_block import (
    BOTTOM,
    MIDDLE,
    PAD_X,
    TOP,
    ActionBlock,
    ActionRows,
    Cell,
    FilledRow,
    GridTable,
    HeaderRow,
    Row,
)
from exports.appendix.fast_text import PlainParagraph, PlainStack
from exports.appendix.layout import (
    MEASURE_COLUMNS,
    MILESTONE_COLUMNS,
    ActionRow,
    Appendix,
    Column,
    MeasureRow,
    Para,
    ThemeBlock,
)
from exports.appendix.tagging import TableTags, TaggedParagraph, Tagger, new_id

# Streams are compressed but not also written as ASCII85 text: reportlab encodes that in
# Python (a seventh of a print's time) and the file is a fifth smaller without it. Set once
# for the process, as reportlab reads it while writing, so two prints can never disagree.
rl_config.useA85 = 0


@lru_cache(maxsize=8192)
def _encoded_short(text: str) -> bytes:
    return text.encode("extpdfdoc")


def _pdfdoc_encoded(value: str | bytes, _whole=pdfdoc.pdfdocEnc) -> bytes:
    """Return what reportlab's ``pdfdocEnc`` returns; short text (numbers, keys) from a cache."""
    if type(value) is str and len(value) < 80:
        return _encoded_short(value)
    return _whole(value)


# Saving, reportlab writes each object's keys and numbers through ``PDFName`` (a loop over
# the name's characters in Python) and ``pdfdocEnc`` (a codec looked up by name): the same
# few hundred names and numbers tens of thousands of times in a long appendix, a third of
# the time it takes to save. Both answer the same from a cache (only short text is kept:
# the file's own bytes pass through ``pdfdocEnc`` too). Set once for the process.
if not hasattr(pdfdoc.PDFName, "cache_info"):
    pdfdoc.PDFName = lru_cache(maxsize=4096)(pdfdoc.PDFName)
    pdfdoc.pdfdocEnc = _pdfdoc_encoded

FONT_DIR = Path(__file__).parent.parent / "fonts"
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE_COMPRESSION = 1  # zlib's level for page streams: the fastest
CHUNK_CHARS = 900  # the most text one table row holds; a row must never outgrow a page
GRID = colors.HexColor("#7F7F7F")
HEADER_FILL = colors.HexColor("#D9D9D9")
LABEL_FILL = colors.HexColor("#E7E6E6")
BANNER_FILL = colors.HexColor("#1F3864")
UPDATE_LABEL = "Update"
KEY_NUMBER = "Number & %"
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+")
# Invisible by design (joiners, variation selectors): dropping them loses nothing visible.
_INVISIBLE = {"Cf"}


@cache
def fonts() -> frozenset[int]:
    """Register the bundled fonts once; return the code points both faces can draw."""
    regular = TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf"))
    bold = TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(bold)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)


@cache
def _drawable_chars() -> frozenset[str]:
    """Return the characters printed as they are: both faces have them, none beyond U+FFFF."""
    return frozenset(chr(code) for code in fonts() if code <= 0xFFFF) | {"\n"}


def drawable(text: str) -> str:
    """Return ``text`` with every character the font lacks replaced by its name in brackets."""
    if text.isascii():
        return text  # the font draws all of ASCII; control characters are gone already
    if _drawable_chars().issuperset(text):
        return text
    known = fonts()
    out = []
    for ch in text:
        # reportlab maps characters beyond U+FFFF back to text wrongly, so a reader could
        # not copy or search them: they are named like the characters the font lacks.
        if (ord(ch) in known and ord(ch) <= 0xFFFF) or ch == "\n":
            out.append(ch)
        elif unicodedata.category(ch) in _INVISIBLE or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue
        else:
            out.append(f"[{unicodedata.name(ch, f'U+{ord(ch):04X}')}]")
    return "".join(out)


def markup(text: str) -> str:
    """Return user text as Paragraph markup that prints literally."""
    return escape(drawable(text))


def plain(
    text: str, style: ParagraphStyle, bullet: str | None = None, tag: str = "P"
) -> PlainParagraph:
    """Return user text as a paragraph that prints literally (no markup, so no parsing).

    ``tag`` is its element in the PDF's structure tree (``H1``, ``LI``…).
    """
    para = PlainParagraph(drawable(text), style, bullet)
    if tag != PlainParagraph.tag:
        para.tag = tag
    return para


def _style(commands: list) -> TableStyle:
    """Return a table style whose cells default to the embedded font.

    A Table sets its cell font even when a cell holds only Paragraphs; left at reportlab's
    Helvetica, that font lands unembedded in the PDF.
    """
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.5), *commands])


class _Styles:
    """The paragraph styles of one print."""

    def __init__(self) -> None:
        fonts()
        base = ParagraphStyle(
            "body",
            fontName=FONT,
            bulletFontName=FONT,
            fontSize=8.5,
            leading=10.6,
            spaceAfter=3,
            allowWidows=0,
        )
        self.body = base
        self.bullet = ParagraphStyle("bullet", base, leftIndent=10, bulletIndent=1, spaceAfter=2)
        self._tight: dict[str, ParagraphStyle] = {}
        self.bold = ParagraphStyle("bold", base, fontName=BOLD)
        self.header = ParagraphStyle("header", base, fontName=BOLD, fontSize=8.5)
        self.status = ParagraphStyle("status", base, fontName=BOLD, alignment=TA_CENTER)
        self.status_colours: dict[str, ParagraphStyle] = {}  # one style per text colour
        self.status_missing = ParagraphStyle("s-missing", base, fontSize=7.5, leading=9)
        self.note = ParagraphStyle("note", base, fontSize=7.5, leading=9.2, textColor="#404040")
        self.missing = ParagraphStyle("missing", base, textColor="#404040")
        self.label = ParagraphStyle("label", base, fontName=BOLD, fontSize=10, alignment=TA_RIGHT)
        self.title = ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        )
        self.subtitle = ParagraphStyle(
            "subtitle", base, fontName=BOLD, fontSize=10.5, leading=13, alignment=TA_CENTER
        )
        self.banner = ParagraphStyle(
            "banner", base, fontName=BOLD, fontSize=11, leading=14, textColor=colors.white
        )
        self.section = ParagraphStyle(
            "section", base, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=4
        )

    def tight(self, style: ParagraphStyle) -> ParagraphStyle:
        """Return ``style`` with no space after: a line that the next one carries on."""
        found = self._tight.get(style.name)
        if found is None:
            found = self._tight[style.name] = ParagraphStyle(
                f"{style.name}-tight", style, spaceAfter=0
            )
        return found


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at sentence ends if possible."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE.split(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            head, sentence = sentence[:cut], sentence[cut:].lstrip()
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        pieces.append(current)
    return pieces


def _flowables(
    paras: tuple[Para, ...],
    styles: _Styles,
    style: ParagraphStyle | None = None,
    limit: int | None = CHUNK_CHARS,
) -> list[Flowable]:
    """Return the flowables of printed paragraphs: one per line the author wrote.

    The lines of one paragraph (and the pieces of a line cut at ``limit`` characters, so
    that a row never outgrows a page) run on with no space between them; only the last
    keeps the paragraph's space after. ``limit`` None cuts nothing (an update row, which
    splits between lines itself).
    """
    result: list[Flowable] = []
    for para in paras:
        base = styles.bullet if para.bullet else (style or styles.body)
        lines = [para.text] if para.bullet else para.lines
        pieces = [p for line in lines for p in (chunks(line, limit) if limit else [line])]
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            bullet = "•" if para.bullet and i == 0 else None
            flowable = plain(piece, base if i == last else styles.tight(base), bullet)
            if para.bullet:
                flowable.tag = "LI"  # its pieces after the first carry on the item
            result.append(flowable)
    return result


def _groups(flowables: list[Flowable], limit: int = CHUNK_CHARS) -> list[list[Flowable]]:
    """Gather paragraphs into table rows of at most ``limit`` characters each."""
    groups: list[list[Flowable]] = []
    size = limit + 1
    for flowable in flowables:
        length = len(flowable.text)
        if groups and size + length <= limit:
            groups[-1].append(flowable)
            size += length
        else:
            groups.append([flowable])
            size = length
    return groups


def row_limit(width: float) -> int:
    """Return how many characters one row of a column ``width`` points wide may hold.

    About fifteen lines of 8.5 pt text: well under any page's height, so no row ever
    outgrows a page, however narrow the column.
    """
    return max(60, min(CHUNK_CHARS * 3, int(width / 4.6 * 15)))


def _column(
    paras: tuple[Para, ...], width: float, styles: _Styles, style: ParagraphStyle | None = None
) -> list[list[Flowable]]:
    """Return a column's text as the contents of consecutive rows, each fitting on a page."""
    limit = row_limit(width)
    return _groups(_flowables(paras, styles, style, limit), limit)


def _cell(flowables: object) -> object:
    """Return the contents of one cell: several plain paragraphs as one stack, drawn at once."""
    if (
        isinstance(flowables, list)
        and len(flowables) > 1
        and all(type(f) is PlainParagraph for f in flowables)
    ):
        return [PlainStack(flowables)]
    return flowables


def _stack(columns: list[list[object]]) -> list[list[object]]:
    """Return rows made of each column's pieces side by side, blank where a column has ended."""
    height = max((len(c) for c in columns), default=0) or 1
    return [[_cell(c[k]) if k < len(c) else "" for c in columns] for k in range(height)]


class _Banner(FilledRow):
    """The theme banner; it also places the theme's bookmark in the PDF outline."""

    def __init__(self, title: Flowable, width: float, *, outline: str, key: str) -> None:
        super().__init__(width, [title], BANNER_FILL, top=4, bottom=5)
        self.outline = outline
        self.key = key

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.key, 0, self.height)
        self.canv.addOutlineEntry(self.outline, self.key, level=0)


class _Compressed:
    """A page stream's Flate filter whose content was compressed when the page ended."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return data


def _compress_last_page(doc: object) -> None:
    """Compress the page just finished now, as saving would, and drop its text.

    reportlab keeps every page's operators as text until the whole file is written; a
    long appendix holds a fifth of that once compressed. zlib's fastest level
    (``PAGE_COMPRESSION``) takes two thirds of the time of saving's default level for
    streams about a tenth larger. Anything unexpected leaves the page as is.
    """
    pages = getattr(getattr(doc, "Pages", None), "pages", None)
    if not pages:
        return
    page = pages[-1]
    text = getattr(page, "stream", None)
    if (
        not isinstance(text, str)
        or not text
        or getattr(page, "Contents", None)
        or not getattr(page, "compression", 0)
        or rl_config.useA85
    ):
        return
    content = zlib.compress(text.encode("utf8"), PAGE_COMPRESSION)
    stream = PDFStream(content=content, filters=[_Compressed()])
    stream.__Comment__ = "page stream"
    page.Contents = stream
    page.stream = None


def numbered_canvas(marking: str, title: str, pages: list[int], taggers: list[Tagger]):
    """Return a canvas class that writes "Page i of n" and the marking on every page, tagged.

    The appendix alone and the covering report (with the appendix after it) both print
    with it: ``title`` is the tagged document's title, ``pages`` gets the page count and
    ``taggers`` the canvas's ``Tagger`` (whose tree goes on the end of the file written).
    """
    marking = drawable(marking)
    title = drawable(title)

    class NumberedCanvas(Canvas):
        tagger: Tagger
        """Decorates each page as it ends; its number is a form defined once n is known.

        Nothing is kept to be drawn at the end: each page's "Page i of n" is a form XObject
        drawn on the page and written when the document is saved, so finished pages can be
        compressed and forgotten at once.
        """

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.tagger = Tagger()
            self._widths: list[float] = []  # each page's, for its number's form
            self._marking_ops: tuple[tuple[float, float], list[str]] | None = None
            taggers.append(self.tagger)

        def showPage(self) -> None:
            self._decorate()
            super().showPage()
            self.tagger.end_page(self._doc.Pages.pages[-1])
            _compress_last_page(self._doc)

        def save(self) -> None:
            total = self._pageNumber - 1
            pages.append(total)
            # The forms share one resource dictionary (the document's fonts), written once.
            resources = PDFResourceDictionary()
            resources.basicFonts()
            resources.basicProcs()
            shared = self._doc.Reference(resources)
            # A report's pages and its appendix's may differ in width: each number is
            # placed from its own page's right edge.
            for number, width in enumerate(self._widths, start=1):
                self.beginForm(f"page{number}", upperx=width)
                self.setFont(FONT, 8)
                self.drawRightString(width - 1.5 * cm, 0.6 * cm, f"Page {number} of {total}")
                self.endForm(Resources=shared)
            self.tagger.finish(self._doc, title)
            super().save()

        def _decorate(self) -> None:
            width, height = self._pagesize
            self._widths.append(width)
            self.tagger.begin_artifact(self._code)  # the marking and the page number
            self.saveState()
            if marking:
                # The same operators on every page of the same size: drawn through the
                # canvas once (which encodes the text), then repeated as written.
                drawn = self._marking_ops
                if drawn is None or drawn[0] != self._pagesize:
                    start = len(self._code)
                    self.setFont(BOLD, 9)
                    self.drawCentredString(width / 2, height - 0.9 * cm, marking)
                    self.drawCentredString(width / 2, 0.6 * cm, marking)
                    self._marking_ops = (self._pagesize, self._code[start:])
                else:
                    self._code.extend(drawn[1])
            self.doForm(f"page{self._pageNumber}")
            self.restoreState()
            self.tagger.end_artifact(self._code)

    return NumberedCanvas


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """Hold Python's cycle collector off while a print runs; it runs again afterwards.

    A print builds some 200,000 objects that live until it ends (the structure tree, the
    PDF's objects) and makes next to no cyclic garbage before then: each full collection
    the growth sets off walks them all to free nothing, an eighth of a long print's time.
    The collector is switched on again only if it was on (another print may be running).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_pdf(appendix: Appendix) -> tuple[bytes, int]:
    """Return the appendix as PDF bytes and its number of pages."""
    with cycles_collected_after():
        return _build_pdf(appendix)


def _build_pdf(appendix: Appendix) -> tuple[bytes, int]:
    styles = _Styles()
    size = letter if appendix.letter else A4
    size = portrait(size) if appendix.portrait else landscape(size)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.4 * cm,
        title=drawable(appendix.pdf_title),
        author=drawable(appendix.author),
        subject=drawable(appendix.heading.period_heading),
        creator="Scrutineer",
        # Every page opens in the canvas's initial font; Helvetica would go unembedded.
        initialFontName=FONT,
    )
    story: list[Flowable] = []
    # The page frame keeps 6 pt of padding on each side inside the margins.
    width = doc.width - 12
    story += _heading(appendix, styles, width)
    for index, theme in enumerate(appendix.themes):
        if index:
            story.append(PageBreak())
        story += _theme(theme, index, styles, width, doc.height)
    pages: list[int] = []
    taggers: list[Tagger] = []
    try:
        doc.build(
            story, canvasmaker=numbered_canvas(appendix.marking, appendix.pdf_title, pages, taggers)
        )
    except LayoutError as exc:
        raise ScrutineerError(
            "The appendix could not be laid out: one entry (perhaps a very long theme title) "
            "is taller than a page; shorten it and print again."
        ) from exc
    # The structure tree the canvas recorded goes on the end of the file as written.
    tagger = taggers.pop()
    # The document template and the canvas class are reference cycles: the canvas, and the
    # structure tree it holds (most of a print's memory), would wait for the collector.
    del doc.canv
    written = buffer.getvalue()
    buffer.close()
    pdf = tagger.append_to(written)
    del written
    tagger.release()
    return pdf, pages[-1] if pages else 0


def _heading(appendix: Appendix, styles: _Styles, width: float) -> list[Flowable]:
    head = appendix.heading
    story: list[Flowable] = []
    if head.appendix_label:
        story.append(plain(head.appendix_label, styles.label))
    story.append(plain(head.title, styles.title, tag="H1"))
    story.append(plain(head.subtitle, styles.subtitle))
    story.append(plain(head.period_heading, styles.subtitle))
    story.append(Spacer(0, 6))
    if not appendix.key:
        return story
    title = "STATUS KEY and Results"
    if appendix.rating:
        title += f": {appendix.rating.rstrip('.')}"
    rows = [[plain(title, styles.header, tag="H2"), "", "", ""]]
    commands = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, row in enumerate(appendix.key, start=1):
        mark = row.mark
        cell_style = ParagraphStyle(f"key{i}", styles.status, textColor=mark.text_colour)
        rows.append(
            [
                plain(mark.key_label, cell_style),
                plain(row.meaning, styles.body),
                plain(KEY_NUMBER, styles.bold),
                plain(row.result, styles.body),
            ]
        )
        commands.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(mark.colour)))
    # The key's first row is its heading; each row's status (with its letter) heads the row.
    tags = TableTags(lambda row, column: _key_cell(column), skip=1)
    table = Table(rows, colWidths=_key_widths(appendix, width), renderCB=tags)
    table.setStyle(_style(commands))
    story += [KeepTogether([table]), Spacer(0, 10)]
    return story


def _key_cell(column: int) -> tuple[str, str]:
    return ("TH", "/O /Table /Scope /Row") if column == 0 else ("TD", "")


# Per (font, size): text -> width in points. Every theme measures its columns' words, most
# of them met in earlier themes (and prints) already.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _widest_word(texts: Iterable[str], font: str = FONT, size: float = 8.5) -> float:
    """Return the width of the widest word of ``texts``: a line can break only between words."""
    return _whole(" ".join(texts).split(), font, size)


def _whole(texts: Iterable[str], font: str = FONT, size: float = 8.5) -> float:
    """Return the width of the widest of ``texts`` on one line."""
    texts = set(texts)
    widths = _WIDTHS.get((font, size))
    if widths is None or len(widths) > 16384:
        widths = _WIDTHS[(font, size)] = {}
    try:
        return max(map(widths.__getitem__, texts), default=0.0)
    except KeyError:
        for text in texts:
            if text not in widths:
                widths[text] = pdfmetrics.stringWidth(drawable(text), font, size)
        return max(map(widths.__getitem__, texts), default=0.0)


def _key_widths(appendix: Appendix, width: float) -> list[float]:
    """Return the key's column widths: label, number and result each on one line if they can."""
    pad = 2 * PAD_X + 1
    label = max(0.14 * width, _whole((r.mark.key_label for r in appendix.key), BOLD) + pad)
    number = max(0.12 * width, _whole([KEY_NUMBER], BOLD) + pad)
    result = max(0.12 * width, _whole(r.result for r in appendix.key) + pad)
    label = min(label, 0.3 * width)
    return [label, width - label - number - result, number, result]


def fit_widths(theme: ThemeBlock, width: float, styles: _Styles) -> list[float]:
    """Return the action table's column widths for a page ``width`` points wide.

    Each column is at least as wide as its widest word (its header's, its cells' short
    words, and in the first column "Update" and "(continued)" with the action's name), and
    a status column as wide as its widest status; the strategic activity takes the rest.
    """
    pad = 2 * PAD_X + 1  # both paddings and a point to spare for rounding
    widths = [c.width * width for c in theme.columns]
    need: list[float] = []
    actions = theme.actions
    for i, column in enumerate(theme.columns):
        words = [_widest_word([column.title], BOLD)]
        key = column.key
        if i == 0 and theme.has_update_label:
            words.append(_widest_word([UPDATE_LABEL, *(a.continued for a in actions)], BOLD))
        if key in ("status", "previous"):
            marks = [a.status if key == "status" else a.previous for a in actions]
            # A long label without a code wraps between words beyond a quarter of the page.
            whole = _whole((m.text for m in marks if m and m.recorded), BOLD)
            words.append(min(whole, 0.25 * width))
            words.append(_widest_word((m.text for m in marks if m and m.recorded), BOLD))
            words.append(_widest_word((m.text for m in marks if m and not m.recorded), size=7.5))
        elif key == "direction":
            words.append(_whole(a.direction for a in actions))
        elif key != "activity":
            texts = [p.text for a in actions for p in a.cells.get(key, ())]
            words.append(min(_widest_word(texts), 0.2 * width))
        need.append(max(words) + pad)
    fixed = [i for i, c in enumerate(theme.columns) if c.key != "activity"]
    for i in fixed:
        widths[i] = max(widths[i], need[i])
    activity = [i for i, c in enumerate(theme.columns) if c.key == "activity"]
    rest = width - sum(widths[i] for i in fixed)
    if activity:
        floor = 0.2 * width
        if rest < floor:
            # Give the activity its floor back from the columns above their need.
            spare = sum(widths[i] - need[i] for i in fixed)
            take = min(floor - rest, spare)
            for i in fixed:
                if spare > 0:
                    widths[i] -= take * (widths[i] - need[i]) / spare
            rest = width - sum(widths[i] for i in fixed)
        widths[activity[0]] = rest
    else:
        scale = width / sum(widths)
        widths = [w * scale for w in widths]
    return widths


def _measure_widths(theme: ThemeBlock, width: float) -> list[float]:
    """Return the performance table's widths: each column as wide as its widest word.

    The performance to date takes what is left.
    """
    widths = [share * width for _, share in MEASURE_COLUMNS]
    pad = 2 * PAD_X + 1
    measures = theme.measures
    cells = [
        [m.number for m in measures],
        [p.text for m in measures for p in m.measure],
        [p.text for m in measures for p in m.objective],
        [p.text for m in measures for p in m.target],
    ]
    for i, ((name, _), texts) in enumerate(zip(MEASURE_COLUMNS, cells, strict=False)):
        need = max(_widest_word([name], BOLD), _widest_word(texts, BOLD if i == 0 else FONT))
        # A footnote mark follows the measure's last word.
        need += 6 if i == 1 and any(m.footnote_numbers for m in measures) else 0
        widths[i] = max(widths[i], min(need + pad, 0.2 * width))
    widths[-1] = width - sum(widths[:-1])
    return widths


def _theme(
    theme: ThemeBlock, index: int, styles: _Styles, width: float, frame_height: float
) -> list[Flowable]:
    banner = _Banner(
        plain(theme.banner, styles.banner, tag="H1"),
        width,
        outline=drawable(theme.banner),
        key=f"theme{index}",
    )
    # The banner and the aim are drawn with the first action, so they never end a page.
    lead: list[Flowable] = [banner, *_flowables(theme.aim, styles)]
    widths = fit_widths(theme, width, styles)
    head = _header(theme.columns, widths, styles)
    story: list[Flowable] = []
    if not theme.actions:
        banner.keepWithNext = True
        story += [*lead, Spacer(0, 4)]
        story.append(plain("No actions to report for this period.", styles.missing))
    for i, action in enumerate(theme.actions):
        ident = new_id()
        body = partial(_action_rows, action, theme, widths, styles, ident)
        story.append(
            ActionBlock(head, body, frame_height, force=i == 0, lead=lead if i == 0 else ())
        )
        if action.milestones:
            # Tagged inside the update's cell, which it is printed under.
            update_cell = (ident, False, 1 if theme.has_update_label else 0)
            outer = (("table", head.ident), (ident, False), update_cell)
            story.append(_milestones(action, theme, widths, styles, outer))
    story += _performance(theme, styles, width, frame_height)
    return story


def _header(columns: list[Column], widths: list[float], styles: _Styles) -> HeaderRow:
    titles: list[Flowable] = [plain(c.title, styles.header) for c in columns]
    return HeaderRow.of_titles(widths, titles, HEADER_FILL, GRID)


def _status_cell(mark, styles: _Styles) -> PlainParagraph:
    if not mark.recorded:
        return plain(mark.text, styles.status_missing)
    style = styles.status_colours.get(mark.text_colour)
    if style is None:
        style = ParagraphStyle(f"s{mark.text_colour}", styles.status, textColor=mark.text_colour)
        styles.status_colours[mark.text_colour] = style
    return plain(mark.text, style)


def _content(value: object) -> list[Flowable] | None:
    """Return a cell's value as a list of flowables, or None for a blank cell."""
    if value == "":
        return None
    return list(value) if isinstance(value, list | tuple) else [value]


def _action_rows(
    action: ActionRow, theme: ThemeBlock, widths: list[float], styles: _Styles, ident: int
) -> ActionRows:
    """Return one action's rows: the action's cells, then its update under a label."""
    columns = theme.columns
    pieces: list[list[object]] = []
    fills: list[tuple[int, colors.Color]] = []
    for i, column in enumerate(columns):
        if column.key in ("status", "previous"):
            mark = action.status if column.key == "status" else action.previous
            pieces.append([_status_cell(mark, styles)])
            fills.append((i, colors.HexColor(mark.colour)))
        elif column.key == "direction":
            pieces.append([plain(action.direction, styles.body)])
        else:
            pieces.append(_column(action.cells.get(column.key, ()), widths[i], styles))
    filled = {i for i, _ in fills}
    stacked = _stack(pieces)
    last_main = len(stacked) - 1
    rows: list[Row] = []
    for k, values in enumerate(stacked):
        cells = [
            Cell(i, i, _content(value), MIDDLE if k == 0 and i in filled else TOP)
            for i, value in enumerate(values)
        ]
        # Rows of one action's text run on: no padding between them but a point above.
        top = 1 if last_main and k >= 1 else 3
        bottom = 0 if last_main and k < last_main else 3
        rows.append(Row(cells, top, bottom))
    style = styles.body if action.update_received else styles.missing
    label = theme.has_update_label
    # One row for the whole update: it splits between lines where a page ends.
    update = _flowables(action.update, styles, style, limit=None)
    if label:
        cells = [
            Cell(0, 0, [plain(UPDATE_LABEL, styles.bold)]),
            Cell(1, len(columns) - 1, update),
        ]
    else:
        cells = [Cell(0, len(columns) - 1, [plain(UPDATE_LABEL, styles.bold), *update])]
    rows.append(Row(cells, 3, 3))
    return ActionRows(
        widths,
        rows,
        main=last_main + 1,
        fills=fills,
        label=LABEL_FILL if label else None,
        grid=GRID,
        continued=partial(plain, action.continued, styles.bold),
        ident=ident,
    )


def _milestones(
    action: ActionRow, theme: ThemeBlock, widths: list[float], styles: _Styles, outer: tuple
) -> GridTable:
    """Return an action's phases as a small table under its update (Phase | When | State)."""
    width = sum(widths[1:]) if theme.has_update_label else sum(widths)
    rows = [[plain(title, styles.header) for title, _ in MILESTONE_COLUMNS]]
    rows += [
        [plain(m.phase, styles.body), plain(m.when, styles.body), plain(m.state, styles.body)]
        for m in action.milestones
    ]
    cells = [[Cell(i, i, [value]) for i, value in enumerate(row)] for row in rows]
    return GridTable(
        [share * width for _, share in MILESTONE_COLUMNS],
        [Row(row, 2, 2) for row in cells],
        fill=LABEL_FILL,
        grid=GRID,
        roles=_milestone_cell,
        outer=outer,
        h_align="RIGHT",
    )


def _milestone_cell(row: int, column: int) -> tuple[str, str]:
    """Return a phase table cell's role: the titles head columns, each phase its row."""
    if row == 0:
        return "TH", "/O /Table /Scope /Column"
    return ("TH", "/O /Table /Scope /Row") if column == 0 else ("TD", "")


def _performance(
    theme: ThemeBlock, styles: _Styles, width: float, frame_height: float
) -> list[Flowable]:
    story: list[Flowable] = []
    if theme.measures:
        title = plain("PERFORMANCE", styles.section, tag="H2")
        widths = _measure_widths(theme, width)
        head = HeaderRow(
            widths,
            [
                [
                    Cell(
                        0,
                        len(widths) - 1,
                        [plain(theme.performance_heading, styles.header)],
                        BOTTOM,
                    )
                ],
                [
                    Cell(i, i, [plain(name, styles.header)], BOTTOM)
                    for i, (name, _) in enumerate(MEASURE_COLUMNS)
                ],
            ],
            HEADER_FILL,
            GRID,
        )
        for i, measure in enumerate(theme.measures):
            body = partial(_measure_rows, measure, widths, styles)
            lead = [title] if i == 0 else []
            story.append(ActionBlock(head, body, frame_height, force=i == 0, lead=lead))
        if theme.footnotes:
            story.append(Spacer(0, 4))
            for note in theme.footnotes:
                footnote = plain(note.text, styles.note, tag="Note")
                footnote.add_mark(str(note.number), first=True)
                story.append(footnote)
    if theme.why_important:
        title = plain("Why is it important?", styles.section, tag="H2")
        title.keepWithNext = True
        story.append(title)
        story += _flowables(theme.why_important, styles)
    return story


def _measure_rows(measure: MeasureRow, widths: list[float], styles: _Styles) -> ActionRows:
    """Return one measure's row(s): its number, texts and performance, a footnote mark last."""
    marks = measure.footnote_marks
    number = [[plain(measure.number, styles.bold)]]
    texts = (measure.measure, measure.objective, measure.target, measure.performance)
    columns = [_column(t, w, styles) for t, w in zip(texts, widths[1:], strict=True)]
    if marks:
        cell = columns[0][-1] if columns[0] else []
        if not cell:
            cell = [plain("", styles.body)]
            columns[0] = [cell]
        last = cell[-1]
        if isinstance(last, PlainParagraph):
            last.add_mark(marks)
        else:  # a Paragraph (markup): the mark goes on in its markup
            cell[-1] = TaggedParagraph(f"{last.text}<super>{marks}</super>", last.style)
    stacked = _stack(number + columns)
    last = len(stacked) - 1
    rows = [
        Row(
            [Cell(i, i, _content(value)) for i, value in enumerate(values)], 3, 1 if k < last else 3
        )
        for k, values in enumerate(stacked)
    ]
    # A measure is a box with a line between its columns, all the way down.
    return ActionRows(widths, rows, main=len(rows), fills=[], label=None, grid=GRID, rule=False)


def appendix_story(appendix: Appendix, width: float, frame_height: float) -> list[Flowable]:
    """Return the appendix's flowables, for a document that holds more than the appendix.

    The covering report (``exports.report.pdf``) prints the appendix after itself this way.
    """
    styles = _Styles()
    story = _heading(appendix, styles, width)
    for index, theme in enumerate(appendix.themes):
        if index:
            story.append(PageBreak())
        story += _theme(theme, index, styles, width, frame_height)
    return story


def page_size(appendix: Appendix) -> tuple[float, float]:
    """Return the appendix's page size: A4 or Letter, landscape unless portrait was chosen."""
    size = letter if appendix.letter else A4
    return portrait(size) if appendix.portrait else landscape(size)
