"""The appendix as Word: python-docx writes the layout of ``exports.appendix``.

Real Word headings (Heading 1 per theme, Heading 2 per section) and real tables whose
header rows repeat on every page, so clerks can paste it into an agenda and screen readers
can move through it. Cells are spanned by writing ``w:gridSpan`` as each row is made:
python-docx's ``merge`` looks up the row of every cell it touches, which makes a long
table slow to build, while this grows linearly with the number of actions.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from exports.appendix import ActionRow, Appendix, Para, StatusMark, ThemeBlock

HEADER_FILL = "D9D9D9"
LABEL_FILL = "E7E6E6"
# The style id of "List Bullet" in python-docx's template: set directly, because looking a
# style up by name scans the whole style sheet for every paragraph.
BULLET = "ListBullet"
MEASURE_COLUMNS = (("No", 0.04), ("Measure", 0.15), ("Objective", 0.2), ("Target", 0.16))


def build_docx(appendix: Appendix) -> bytes:
    """Return the appendix as the bytes of a .docx file."""
    document = new_document()
    _page(document, appendix)
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    normal.paragraph_format.space_after = Pt(3)
    props = document.core_properties
    props.title = appendix.pdf_title
    props.author = appendix.author
    props.subject = appendix.heading.period_heading
    width = _text_width(document)
    _heading(document, appendix, width)
    for index, theme in enumerate(appendix.themes):
        _theme(document, theme, width, new_page=index > 0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document, appendix: Appendix) -> None:
    section = document.sections[0]
    short, long_ = (Cm(21.59), Cm(27.94)) if appendix.letter else (Cm(21.0), Cm(29.7))
    if appendix.portrait:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long_
    else:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long_, short
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.6)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if appendix.marking:
        header.add_run(appendix.marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if appendix.marking:
        footer.add_run(appendix.marking).bold = True
        footer.add_run("\t")
    numbers = section.footer.add_paragraph()
    numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    numbers.add_run("Page ")
    _field(numbers, "PAGE")
    numbers.add_run(" of ")
    _field(numbers, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    """Add a Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._r.append(shown)


def _text_width(document) -> int:
    section = document.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#").upper())
    properties.append(shading)


def _span(cells: list[_Cell], start: int) -> _Cell:
    """Span the cell at ``start`` to the end of its row (without python-docx's merge)."""
    tr = cells[start]._tc.getparent()
    for cell in cells[start + 1 :]:
        tr.remove(cell._tc)
    tc = cells[start]._tc
    tc.grid_span = len(cells) - start
    tc.width = sum(c.width or 0 for c in cells[start:])
    return cells[start]


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _table(document, widths: list[int]) -> Table:
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def _row(table: Table) -> list[_Cell]:
    """Add a row; its cells take their widths from the table's columns."""
    row = table.add_row()
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _paragraph(container, bullet: bool):
    """Add a paragraph to a cell or the document, as a bullet point when ``bullet``."""
    paragraph = container.add_paragraph()
    if bullet:
        paragraph._p.style = BULLET
    return paragraph


def _write(cell: _Cell, paras: tuple[Para, ...] | list[Para], bold: bool = False) -> None:
    """Write paragraphs and bullet points into a cell (its first paragraph is reused)."""
    first = True
    for para in paras:
        if first:
            paragraph = cell.paragraphs[0]
            if para.bullet:
                paragraph._p.style = BULLET
            first = False
        else:
            paragraph = _paragraph(cell, para.bullet)
        paragraph.add_run(para.text).bold = bold or None


def _header_row(table: Table, titles: list[str]) -> None:
    cells = _row(table)
    _repeat_header(table.rows[-1])
    for cell, title in zip(cells, titles, strict=True):
        _write(cell, [Para(title)], bold=True)
        _shade(cell, HEADER_FILL)


def _status(cell: _Cell, mark: StatusMark, text: str | None = None) -> None:
    _shade(cell, mark.colour)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(mark.text if text is None else text)
    run.bold = mark.recorded
    run.font.color.rgb = RGBColor.from_string(mark.text_colour.lstrip("#").upper())


def _heading(document, appendix: Appendix, width: int) -> None:
    head = appendix.heading
    if head.appendix_label:
        label = document.add_paragraph()
        label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        label.add_run(head.appendix_label).bold = True
    title = document.add_heading(head.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        " ".join(p for p in (head.theme_line, head.version_label) if p),
        head.period_heading,
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    if not appendix.key:
        return
    title = "Status key and results"
    document.add_heading(title, level=2)
    if appendix.rating:
        document.add_paragraph(appendix.rating)
    widths = [int(width * w) for w in (0.18, 0.64, 0.18)]
    table = _table(document, widths)
    _header_row(table, ["Status", "Meaning", "Number & %"])
    for row in appendix.key:
        cells = _row(table)
        mark = row.mark
        label = mark.label if mark.code in ("", mark.label) else f"{mark.label} ({mark.code})"
        _status(cells[0], mark, label)
        _write(cells[1], [Para(row.meaning)])
        _write(cells[2], [Para(row.result)])


def _theme(document, theme: ThemeBlock, width: int, new_page: bool) -> None:
    heading = document.add_heading(theme.banner, level=1)
    heading.paragraph_format.page_break_before = new_page
    for para in theme.aim:
        _paragraph(document, para.bullet).add_run(para.text)
    if theme.actions:
        widths = [int(width * c.width) for c in theme.columns]
        table = _table(document, widths)
        _header_row(table, [c.title for c in theme.columns])
        for action in theme.actions:
            _action(table, theme, action)
    else:
        document.add_paragraph("No actions to report for this period.")
    if theme.measures:
        _performance(document, theme, width)
    if theme.why_important:
        document.add_heading("Why is it important?", level=2)
        for para in theme.why_important:
            _paragraph(document, para.bullet).add_run(para.text)


def _action(table: Table, theme: ThemeBlock, action: ActionRow) -> None:
    cells = _row(table)
    for cell, column in zip(cells, theme.columns, strict=True):
        if column.key == "status":
            _status(cell, action.status)
        elif column.key == "previous":
            _status(cell, action.previous)
        elif column.key == "direction":
            _write(cell, [Para(action.direction)])
        else:
            _write(cell, action.cells.get(column.key, ()))
    cells = _row(table)
    if theme.has_update_label:
        _write(cells[0], [Para("Update")], bold=True)
        _shade(cells[0], LABEL_FILL)
        target = _span(cells, 1)
    else:
        target = _span(cells, 0)
        target.paragraphs[0].add_run("Update: ").bold = True
    if action.update_received:
        _write(target, action.update)
    else:
        target.paragraphs[0].add_run(action.update[0].text).italic = True


def _performance(document, theme: ThemeBlock, width: int) -> None:
    document.add_heading("Performance", level=2)
    rel = [w for _, w in MEASURE_COLUMNS]
    widths = [int(width * w) for w in rel] + [int(width * (1 - sum(rel)))]
    table = _table(document, widths)
    cells = _row(table)
    _repeat_header(table.rows[-1])
    heading = _span(cells, 0)
    _write(heading, [Para(theme.performance_heading)], bold=True)
    _shade(heading, HEADER_FILL)
    _header_row(table, [n for n, _ in MEASURE_COLUMNS] + ["Performance to date"])
    for measure in theme.measures:
        cells = _row(table)
        _write(cells[0], [Para(measure.number)], bold=True)
        _write(cells[1], measure.measure)
        if measure.footnote_numbers:
            run = (
                cells[1].paragraphs[-1].add_run(",".join(str(n) for n in measure.footnote_numbers))
            )
            run.font.superscript = True
        _write(cells[2], measure.objective)
        _write(cells[3], measure.target)
        _write(cells[4], measure.performance)
    for note in theme.footnotes:
        paragraph = document.add_paragraph()
        paragraph.add_run(str(note.number)).font.superscript = True
        paragraph.add_run(f" {note.text}").font.size = Pt(8)
