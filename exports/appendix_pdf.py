"""The appendix as PDF: reportlab platypus draws the layout of ``exports.appendix``.

Layout choices that keep long plans printable and fast:

- Each action is its own small table (rows for the action, then rows for its update,
  under it), so laying out an appendix grows linearly with the number of actions; one
  table for a whole theme re-measures the remaining rows at every page break.
- No row is ever split inside (reportlab's ``splitInRow`` leaves near-empty pages): long
  paragraphs are cut at sentence ends into rows of about fifteen lines (``row_limit``), so
  every row fits on a page and an update of any length flows across pages.
- The column header is drawn above an action whenever that action starts a page, and
  above the rest of an action that continues on a new page, so every page of the action
  table has its header.
- User text has no markup, so it is a ``fast_text.PlainParagraph`` (Paragraph's own line
  breaks, without its markup parser and with word widths cached), and a cell's
  paragraphs are drawn at once (``PlainStack``); Paragraph is kept where there is markup.
- Text is drawn in the bundled DejaVu Sans; a character that font cannot draw, and any
  character beyond U+FFFF (emoji), prints as its Unicode name in brackets,
  ``[UNICORN FACE]``, so nothing vanishes and the PDF's text can still be copied.
"""

from __future__ import annotations

import io
import re
import unicodedata
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape, letter, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from db.errors import ScrutineerError
from exports.appendix import ActionRow, Appendix, Column, MeasureRow, Para, ThemeBlock
from exports.fast_text import PlainParagraph, PlainStack

# Streams are compressed but not also written as ASCII85 text: reportlab encodes that in
# Python (a seventh of a print's time) and the file is a fifth smaller without it. Set once
# for the process, as reportlab reads it while writing, so two prints can never disagree.
rl_config.useA85 = 0

FONT_DIR = Path(__file__).with_name("fonts")
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CHUNK_CHARS = 900  # the most text one table row holds; a row must never outgrow a page
GRID = colors.HexColor("#7F7F7F")
HEADER_FILL = colors.HexColor("#D9D9D9")
LABEL_FILL = colors.HexColor("#E7E6E6")
BANNER_FILL = colors.HexColor("#1F3864")
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


def plain(text: str, style: ParagraphStyle, bullet: str | None = None) -> PlainParagraph:
    """Return user text as a paragraph that prints literally (no markup, so no parsing)."""
    return PlainParagraph(drawable(text), style, bullet)


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
        self.bold = ParagraphStyle("bold", base, fontName=BOLD)
        self.header = ParagraphStyle("header", base, fontName=BOLD, fontSize=8.5)
        self.status = ParagraphStyle("status", base, fontName=BOLD, alignment=TA_CENTER)
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
        self.left = TA_LEFT


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
    limit: int = CHUNK_CHARS,
) -> list[Flowable]:
    """Return one Paragraph per printed paragraph, each no longer than a row may be."""
    result: list[Flowable] = []
    for para in paras:
        for i, piece in enumerate(chunks(para.text, limit)):
            if para.bullet and i == 0:
                result.append(plain(piece, styles.bullet, "•"))
            elif para.bullet:
                result.append(plain(piece, styles.bullet))
            else:
                result.append(plain(piece, style or styles.body))
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


class _Block(Flowable):
    """A table whose column header is drawn above it whenever it starts a page.

    ``force`` draws the header wherever the block lands (the first action of a theme).
    The header is a separate table with the same column widths, so the body can be split
    between rows by reportlab while the header is added to each part that starts a page.
    """

    def __init__(self, head: Table, body: Table, frame_height: float, force: bool) -> None:
        super().__init__()
        self.head = head
        self.body = body
        self.frame_height = frame_height
        self.force = force
        self.show_head = force

    def _at_top(self, avail_height: float) -> bool:
        # A frame offers its full height less its padding (6 pt top and bottom) at the top.
        return avail_height >= self.frame_height - 13

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.show_head = self.force or self._at_top(avail_height)
        # A table's size depends only on the width: measure it once, not at every try.
        if getattr(self, "_measured_for", None) != avail_width:
            self.head_w, self.head_h = self.head.wrap(avail_width, avail_height)
            self.body_w, self.body_h = self.body.wrap(avail_width, avail_height)
            self._measured_for = avail_width
        head_h = self.head_h if self.show_head else 0
        self.width, self.height = self.body_w, head_h + self.body_h
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        show_head = self.force or self._at_top(avail_height)
        head_h = self.head.wrap(avail_width, avail_height)[1] if show_head else 0
        if avail_height - head_h <= 0:
            return []
        parts = self.body.split(avail_width, avail_height - head_h)
        if not parts:
            return []
        first = _Block(self.head, parts[0], self.frame_height, show_head)
        # Whatever is left starts the next page, where the header is drawn again.
        rest = [_Block(self.head, part, self.frame_height, True) for part in parts[1:]]
        return [first, *rest]

    def draw(self) -> None:
        y = self.height
        if self.show_head:
            y -= self.head_h
            self.head.drawOn(self.canv, 0, y)
        self.body.drawOn(self.canv, 0, y - self.body_h)


class _Banner(Table):
    """The theme banner; it also places the theme's bookmark in the PDF outline."""

    def __init__(self, *args: object, outline: str, key: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.outline = outline
        self.key = key

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.key, 0, self._height)
        self.canv.addOutlineEntry(self.outline, self.key, level=0)


def _canvas_maker(appendix: Appendix, pages: list[int]):
    """Return a canvas class that writes "Page i of n" and the marking on every page."""
    marking = drawable(appendix.marking)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            pages.append(total)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            if marking:
                self.setFont(BOLD, 9)
                self.drawCentredString(width / 2, height - 0.9 * cm, marking)
                self.drawCentredString(width / 2, 0.6 * cm, marking)
            self.setFont(FONT, 8)
            self.drawRightString(width - 1.5 * cm, 0.6 * cm, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def build_pdf(appendix: Appendix) -> tuple[bytes, int]:
    """Return the appendix as PDF bytes and its number of pages."""
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
    try:
        doc.build(story, canvasmaker=_canvas_maker(appendix, pages))
    except LayoutError as exc:
        raise ScrutineerError(
            "The appendix could not be laid out: one entry (perhaps a very long theme title) "
            "is taller than a page; shorten it and print again."
        ) from exc
    return buffer.getvalue(), pages[-1] if pages else 0


def _heading(appendix: Appendix, styles: _Styles, width: float) -> list[Flowable]:
    head = appendix.heading
    story: list[Flowable] = []
    if head.appendix_label:
        story.append(plain(head.appendix_label, styles.label))
    story.append(plain(head.title, styles.title))
    line = " ".join(part for part in (head.theme_line, head.version_label) if part)
    story.append(plain(line, styles.subtitle))
    story.append(plain(head.period_heading, styles.subtitle))
    story.append(Spacer(0, 6))
    if not appendix.key:
        return story
    title = "STATUS KEY and Results"
    if appendix.rating:
        title += f": {appendix.rating.rstrip('.')}"
    rows = [[plain(title, styles.header), "", "", ""]]
    commands = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, row in enumerate(appendix.key, start=1):
        mark = row.mark
        label = mark.label if mark.code in ("", mark.label) else f"{mark.label} ({mark.code})"
        cell_style = ParagraphStyle(f"key{i}", styles.status, textColor=mark.text_colour)
        rows.append(
            [
                plain(label, cell_style),
                plain(row.meaning, styles.body),
                Paragraph("Number &amp; %", styles.bold),
                plain(row.result, styles.body),
            ]
        )
        commands.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(mark.colour)))
    table = Table(rows, colWidths=[w * width for w in (0.14, 0.56, 0.12, 0.18)])
    table.setStyle(_style(commands))
    story += [KeepTogether([table]), Spacer(0, 10)]
    return story


def _theme(
    theme: ThemeBlock, index: int, styles: _Styles, width: float, frame_height: float
) -> list[Flowable]:
    banner = _Banner(
        [[plain(theme.banner, styles.banner)]],
        colWidths=[width],
        outline=drawable(theme.banner),
        key=f"theme{index}",
        style=_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BANNER_FILL),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
    banner.keepWithNext = True
    story: list[Flowable] = [banner]
    if theme.aim:
        story += _flowables(theme.aim, styles)
    widths = [c.width * width for c in theme.columns]
    head = _header(theme.columns, widths, styles)
    if not theme.actions:
        story.append(Spacer(0, 4))
        story.append(plain("No actions to report for this period.", styles.missing))
    for i, action in enumerate(theme.actions):
        body = _action_table(action, theme, widths, styles)
        story.append(_Block(head, body, frame_height, force=i == 0))
    story += _performance(theme, styles, width, frame_height)
    return story


def _header(columns: list[Column], widths: list[float], styles: _Styles) -> Table:
    table = Table(
        [[plain(c.title, styles.header) for c in columns]],
        colWidths=widths,
        style=_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        ),
    )
    return table


def _status_cell(mark, styles: _Styles) -> Paragraph:
    style = ParagraphStyle(f"s{mark.text_colour}", styles.status, textColor=mark.text_colour)
    if not mark.recorded:
        style = ParagraphStyle("s-missing", styles.body, fontSize=7.5, leading=9)
    return plain(mark.text, style)


def _action_table(
    action: ActionRow, theme: ThemeBlock, widths: list[float], styles: _Styles
) -> Table:
    columns = theme.columns
    pieces: list[list[object]] = []
    status_cols: list[tuple[int, colors.Color]] = []
    commands: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i, column in enumerate(columns):
        if column.key in ("status", "previous"):
            mark = action.status if column.key == "status" else action.previous
            pieces.append([_status_cell(mark, styles)])
            status_cols.append((i, colors.HexColor(mark.colour)))
        elif column.key == "direction":
            pieces.append([plain(action.direction, styles.body)])
        else:
            pieces.append(_column(action.cells.get(column.key, ()), widths[i], styles))
    rows = _stack(pieces)
    last_main = len(rows) - 1
    for i, fill in status_cols:
        commands.append(("BACKGROUND", (i, 0), (i, last_main), fill))
        commands.append(("VALIGN", (i, 0), (i, 0), "MIDDLE"))
    commands.append(("LINEAFTER", (0, 0), (-2, last_main), 0.5, GRID))
    commands.append(("LINEBELOW", (0, last_main), (-1, last_main), 0.5, GRID))
    if last_main:
        commands.append(("BOTTOMPADDING", (0, 0), (-1, last_main - 1), 0))
        commands.append(("TOPPADDING", (0, 1), (-1, last_main), 1))
    style = styles.body if action.update_received else styles.missing
    label = theme.has_update_label
    update_width = sum(widths[1:]) if label else sum(widths)
    update = _column(action.update, update_width, styles, style)
    if not label:
        update[0].insert(0, plain("Update", styles.bold))
    start = len(rows)
    for k, piece in enumerate(update):
        row = [""] * len(columns)
        if label:
            row[0] = plain("Update", styles.bold) if k == 0 else ""
            row[1] = _cell(piece)
            commands.append(("SPAN", (1, start + k), (-1, start + k)))
        else:
            row[0] = _cell(piece)
            commands.append(("SPAN", (0, start + k), (-1, start + k)))
        rows.append(row)
    end = len(rows) - 1
    if label:
        commands.append(("BACKGROUND", (0, start), (0, end), LABEL_FILL))
        commands.append(("LINEAFTER", (0, start), (0, end), 0.5, GRID))
    if end > start:
        commands.append(("BOTTOMPADDING", (0, start), (-1, end - 1), 1))
        commands.append(("TOPPADDING", (0, start + 1), (-1, end), 2))
    commands.append(("BOX", (0, 0), (-1, -1), 0.5, GRID))
    return Table(rows, colWidths=widths, style=_style(commands))


MEASURE_COLUMNS = (("No", 0.04), ("Measure", 0.15), ("Objective", 0.2), ("Target", 0.16))


def _performance(
    theme: ThemeBlock, styles: _Styles, width: float, frame_height: float
) -> list[Flowable]:
    story: list[Flowable] = []
    if theme.measures:
        title = Paragraph("PERFORMANCE", styles.section)
        title.keepWithNext = True
        story.append(title)
        rel = [w for _, w in MEASURE_COLUMNS]
        widths = [w * width for w in rel] + [(1 - sum(rel)) * width]
        head = Table(
            [
                [plain(theme.performance_heading, styles.header), "", "", "", ""],
                [
                    plain(name, styles.header)
                    for name in [n for n, _ in MEASURE_COLUMNS] + ["Performance to date"]
                ],
            ],
            colWidths=widths,
            style=_style(
                [
                    ("SPAN", (0, 0), (-1, 0)),
                    ("BACKGROUND", (0, 0), (-1, -1), HEADER_FILL),
                    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ]
            ),
        )
        for i, measure in enumerate(theme.measures):
            story.append(
                _Block(head, _measure_table(measure, widths, styles), frame_height, force=i == 0)
            )
        if theme.footnotes:
            story.append(Spacer(0, 4))
            for note in theme.footnotes:
                story.append(
                    Paragraph(f"<super>{note.number}</super> {markup(note.text)}", styles.note)
                )
    if theme.why_important:
        title = Paragraph("Why is it important?", styles.section)
        title.keepWithNext = True
        story.append(title)
        story += _flowables(theme.why_important, styles)
    return story


def _measure_table(measure: MeasureRow, widths: list[float], styles: _Styles) -> Table:
    marks = ",".join(str(n) for n in measure.footnote_numbers)
    marks = f"<super>{marks}</super>" if marks else ""
    number = [[plain(measure.number, styles.bold)]]
    texts = (measure.measure, measure.objective, measure.target, measure.performance)
    columns = [_column(t, w, styles) for t, w in zip(texts, widths[1:], strict=True)]
    if marks:
        cell = columns[0][-1] if columns[0] else []
        last = cell[-1] if cell else Paragraph("", styles.body)
        if cell:
            cell[-1] = Paragraph(last.text + marks, last.style)
        else:
            columns[0] = [[Paragraph(marks, styles.body)]]
    rows = _stack(number + columns)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.5, GRID),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, GRID),
    ]
    if len(rows) > 1:
        commands.append(("BOTTOMPADDING", (0, 0), (-1, -2), 1))
    return Table(rows, colWidths=widths, style=_style(commands))
