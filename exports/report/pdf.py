"""The covering report as PDF, with the appendix after it in the same document if asked.

The report prints portrait on A4 (or Letter, as the appendix chosen), in the appendix's
fonts, with the plan's marking at the top and bottom of every page and "Page i of n" over
the whole document; the appendix keeps its own orientation on its own pages.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, letter, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from db.errors import ScrutineerError
from exports.appendix.layout import Appendix
from exports.appendix.pdf import (
    BOLD,
    FONT,
    GRID,
    HEADER_FILL,
    appendix_story,
    drawable,
    fonts,
    numbered_canvas,
)
from exports.appendix.pdf import page_size as appendix_size
from exports.appendix.tagging import TableTags, TaggedParagraph, Tagger, new_id
from exports.report.layout import Figures, ReportLayout
from exports.report.layout import Paragraph as ReportParagraph

_MARGIN = 1.5 * cm
NUMBER_WIDTH = 1.2 * cm


class _Styles:
    def __init__(self) -> None:
        fonts()
        base = ParagraphStyle(
            "rbody", fontName=FONT, bulletFontName=FONT, fontSize=10, leading=13, spaceAfter=6
        )
        self.body = base
        self.numbered = ParagraphStyle(
            "rnum", base, leftIndent=NUMBER_WIDTH, bulletIndent=0, firstLineIndent=0
        )
        self.bullet = ParagraphStyle(
            "rbullet", base, leftIndent=NUMBER_WIDTH + 12, bulletIndent=NUMBER_WIDTH + 2
        )
        self.bold = ParagraphStyle("rbold", self.numbered, fontName=BOLD)
        self.title = ParagraphStyle(
            "rtitle", base, fontName=BOLD, fontSize=13, leading=17, alignment=TA_CENTER
        )
        self.line = ParagraphStyle("rline", base, alignment=TA_CENTER)
        self.heading = ParagraphStyle(
            "rhead", base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=10
        )
        self.cell = ParagraphStyle("rcell", base, fontSize=9, leading=11, spaceAfter=0)
        self.figure = ParagraphStyle("rfig", self.cell, alignment=TA_RIGHT)
        self.head_cell = ParagraphStyle("rhc", self.cell, fontName=BOLD)
        self.head_figure = ParagraphStyle("rhf", self.figure, fontName=BOLD)


def _text(value: str) -> str:
    return escape(drawable(value)).replace("\n", "<br/>")


Outer = tuple[tuple[object, str, str], ...]  # elements a paragraph is drawn in (tagging)
_NUMBERED = "/O /List /ListNumbering /Decimal"
_BULLETED = "/O /List /ListNumbering /Disc"


def _para(
    text: str, style: ParagraphStyle, tag: str | None = "P", outer: Outer = (), bullet=None
) -> TaggedParagraph:
    """Return a paragraph of user text, tagged as ``tag`` inside the ``outer`` elements."""
    para = TaggedParagraph(_text(text), style, bulletText=bullet)
    para.tag = tag
    para.outer = outer
    return para


class _Lists:
    """The lists of one section, for tagging: numbered paragraphs and the points under them.

    A numbered paragraph is an item of the section's numbered list (its number the label);
    bullets are a list in the body of the numbered item before them (or in the section if
    none); an unnumbered plain paragraph (an approval's role, name, date) ends the list.
    """

    def __init__(self) -> None:
        self.numbered: tuple | None = None
        self.item: Outer = ()  # the numbered item last begun, after its list
        self.bullets: tuple | None = None

    def number(self) -> Outer:
        """Begin a numbered item; return the elements its paragraphs are drawn in."""
        if self.numbered is None:
            self.numbered = (new_id(), "L", _NUMBERED)
        self.item = (self.numbered, (new_id(), "LI", ""))
        self.bullets = None
        return self.item

    def body(self) -> Outer:
        """Return the elements down to the body of the numbered item last begun (or none)."""
        if not self.item:
            return ()
        return (*self.item, ((self.item[-1][0], "LBody"), "LBody", ""))

    def bullet(self) -> Outer:
        """Begin a bulleted item; return the elements its paragraph is drawn in."""
        if self.bullets is None:
            self.bullets = (new_id(), "L", _BULLETED)
        return (*self.body(), self.bullets, (new_id(), "LI", ""))

    def plain(self) -> None:
        """End the lists: a paragraph outside them comes next."""
        self.numbered = self.bullets = None
        self.item = ()


def _paras(paragraph: ReportParagraph, styles: _Styles, lists: _Lists) -> list[Flowable]:
    """Return a report paragraph's flowables: its number the label of a list item."""
    result: list[Flowable] = []
    number = paragraph.number
    outer = lists.number() if number else ()
    for index, para in enumerate(paragraph.text):
        if para.bullet:
            result.append(_para(para.text, styles.bullet, None, lists.bullet(), "•"))
            continue
        lists.bullets = None
        style = styles.bold if paragraph.bold else styles.numbered
        if number:  # the item's label is its number, on its first paragraph
            label = _text(number) if index == 0 else None
            result.append(_para(para.text, style, None, outer, label))
        else:
            lists.plain()
            result.append(_para(para.text, style))
    return result


def _figures(figures: Figures, styles: _Styles, width: float, outer: Outer) -> Table:
    """Return a table of figures: a label column, a right-aligned column per year.

    Tagged inside the ``outer`` elements (the body of the list item it is printed under),
    its years head their columns and each row's label heads its row.
    """
    years = len(figures.columns)
    label_width = width * (0.34 if years > 3 else 0.45)
    year_width = (width - label_width) / max(years, 1)
    rows: list[list[object]] = [
        [_para("", styles.head_cell)] + [_para(c, styles.head_figure) for c in figures.columns]
    ]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for index, (label, cells, total) in enumerate(figures.rows, start=1):
        label_style = styles.head_cell if total else styles.cell
        figure_style = styles.head_figure if total else styles.figure
        rows.append([_para(label, label_style)] + [_para(c, figure_style) for c in cells])
        if total:
            commands.append(("LINEABOVE", (0, index), (-1, index), 1.2, colors.black))
    tags = TableTags(_figure_cell, outer=tuple(key for key, _, _ in outer))
    table = Table(
        rows,
        colWidths=[label_width] + [year_width] * years,
        repeatRows=1,
        hAlign="RIGHT",
        renderCB=tags,
    )
    table.setStyle(TableStyle(commands))
    return table


def _figure_cell(row: int, column: int) -> tuple[str, str]:
    """Return a figure cell's role: the years head columns, each row's label its row."""
    if row == 0:
        return ("TH", "/O /Table /Scope /Column") if column else ("TD", "")
    return ("TH", "/O /Table /Scope /Row") if column == 0 else ("TD", "")


def report_story(report: ReportLayout, width: float) -> list[Flowable]:
    """Return the report's flowables: title block, then each numbered section."""
    styles = _Styles()
    story: list[Flowable] = [_para(report.title, styles.title, "H1")]
    story += [_para(line, styles.line) for line in report.lines]
    story.append(Spacer(0, 8))
    for section in report.sections:
        heading = _para(f"{section.number}. {section.heading}", styles.heading, "H2")
        lists = _Lists()
        first = True
        for paragraph in section.paragraphs:
            flowables = _paras(paragraph, styles, lists)
            if paragraph.figures is not None:
                table = _figures(paragraph.figures, styles, width - NUMBER_WIDTH, lists.body())
                flowables.append(table)
                flowables.append(Spacer(0, 6))
                flowables = [KeepTogether(flowables)]
            if first:
                # A heading never ends a page: it stays with its first paragraph.
                flowables = [KeepTogether([heading, *flowables])]
                first = False
            story += flowables
    return story


def build_report_pdf(report: ReportLayout, appendix: Appendix | None = None) -> tuple[bytes, int]:
    """Return the report (and the appendix after it) as PDF bytes and the number of pages."""
    size = portrait(letter if appendix and appendix.letter else A4)  # a report alone: A4
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=1.4 * cm,
        title=drawable(report.pdf_title),
        author=drawable(report.author),
        creator="Scrutineer",
        initialFontName=FONT,
    )
    templates = [_template("report", size)]
    story = report_story(report, doc.width - 12)
    if appendix is not None:
        other = appendix_size(appendix)
        templates.append(_template("appendix", other))
        frame = templates[-1].frames[0]
        story += [NextPageTemplate("appendix"), PageBreak()]
        story += appendix_story(appendix, frame._width - 12, frame._height)
    doc.addPageTemplates(templates)
    pages: list[int] = []
    taggers: list[Tagger] = []
    canvas = numbered_canvas(report.marking, report.pdf_title, pages, taggers)
    try:
        doc.build(story, canvasmaker=canvas)
    except LayoutError as exc:
        raise ScrutineerError(
            "The report could not be laid out: one entry (perhaps a very wide table of "
            "figures) is taller than a page; shorten it and print again."
        ) from exc
    # The structure tree the canvas recorded goes on the end of the file as written.
    return taggers[-1].append_to(buffer.getvalue()), pages[-1] if pages else 0


def _template(name: str, size: tuple[float, float]) -> PageTemplate:
    width, height = size
    frame = Frame(
        _MARGIN, 1.4 * cm, width - 2 * _MARGIN, height - _MARGIN - 1.4 * cm, id=f"{name}-frame"
    )
    return PageTemplate(id=name, frames=[frame], pagesize=size)
