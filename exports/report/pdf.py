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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from db.errors import ScrutineerError
from exports.appendix.layout import Appendix, Para
from exports.appendix.pdf import BOLD, FONT, GRID, HEADER_FILL, appendix_story, drawable, fonts
from exports.appendix.pdf import page_size as appendix_size
from exports.report.layout import Figures, ReportLayout

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


def _paras(paras: tuple[Para, ...], styles: _Styles, number: str, bold: bool) -> list[Flowable]:
    result: list[Flowable] = []
    for index, para in enumerate(paras):
        if para.bullet:
            result.append(Paragraph(_text(para.text), styles.bullet, bulletText="•"))
            continue
        style = styles.bold if bold else styles.numbered
        label = _text(number) if index == 0 and number else None
        result.append(Paragraph(_text(para.text), style, bulletText=label))
    return result


def _figures(figures: Figures, styles: _Styles, width: float) -> Table:
    """Return a table of figures: a label column, a right-aligned column per year."""
    years = len(figures.columns)
    label_width = width * (0.34 if years > 3 else 0.45)
    year_width = (width - label_width) / max(years, 1)
    rows: list[list[object]] = [
        [Paragraph("", styles.head_cell)]
        + [Paragraph(_text(c), styles.head_figure) for c in figures.columns]
    ]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for index, (label, cells, total) in enumerate(figures.rows, start=1):
        label_style = styles.head_cell if total else styles.cell
        figure_style = styles.head_figure if total else styles.figure
        rows.append(
            [Paragraph(_text(label), label_style)]
            + [Paragraph(_text(c), figure_style) for c in cells]
        )
        if total:
            commands.append(("LINEABOVE", (0, index), (-1, index), 1.2, colors.black))
    table = Table(
        rows, colWidths=[label_width] + [year_width] * years, repeatRows=1, hAlign="RIGHT"
    )
    table.setStyle(TableStyle(commands))
    return table


def report_story(report: ReportLayout, width: float) -> list[Flowable]:
    """Return the report's flowables: title block, then each numbered section."""
    styles = _Styles()
    story: list[Flowable] = [Paragraph(_text(report.title), styles.title)]
    story += [Paragraph(_text(line), styles.line) for line in report.lines]
    story.append(Spacer(0, 8))
    for section in report.sections:
        heading = Paragraph(_text(f"{section.number}. {section.heading}"), styles.heading)
        first = True
        for paragraph in section.paragraphs:
            flowables = _paras(paragraph.text, styles, paragraph.number, paragraph.bold)
            if paragraph.figures is not None:
                flowables.append(_figures(paragraph.figures, styles, width - NUMBER_WIDTH))
                flowables.append(Spacer(0, 6))
                flowables = [KeepTogether(flowables)]
            if first:
                # A heading never ends a page: it stays with its first paragraph.
                flowables = [KeepTogether([heading, *flowables])]
                first = False
            story += flowables
    return story


def _canvas(marking: str, pages: list[int]):
    """Return a canvas class that writes the marking and "Page i of n" on pages of any size."""
    marking = drawable(marking)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            # Pages are few (a report and its appendix); each is kept until n is known.
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            pages.append(total)
            for state in self._pages:
                self.__dict__.update(state)
                width, height = self._pagesize
                self.saveState()
                self.setFont(BOLD, 9)
                if marking:
                    self.drawCentredString(width / 2, height - 0.9 * cm, marking)
                    self.drawCentredString(width / 2, 0.6 * cm, marking)
                self.setFont(FONT, 8)
                self.drawRightString(
                    width - _MARGIN, 0.6 * cm, f"Page {self._pageNumber} of {total}"
                )
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


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
    try:
        doc.build(story, canvasmaker=_canvas(report.marking, pages))
    except LayoutError as exc:
        raise ScrutineerError(
            "The report could not be laid out: one entry (perhaps a very wide table of "
            "figures) is taller than a page; shorten it and print again."
        ) from exc
    return buffer.getvalue(), pages[-1] if pages else 0


def _template(name: str, size: tuple[float, float]) -> PageTemplate:
    width, height = size
    frame = Frame(
        _MARGIN, 1.4 * cm, width - 2 * _MARGIN, height - _MARGIN - 1.4 * cm, id=f"{name}-frame"
    )
    return PageTemplate(id=name, frames=[frame], pagesize=size)
