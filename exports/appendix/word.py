"""The appendix as Word: python-docx writes the layout of ``exports.appendix.layout``.

Real Word headings (Title, Heading 1 per theme, Heading 2 per section) and real tables
whose header rows repeat on every page, so clerks can paste it into an agenda and screen
readers can move through it.

python-docx makes the document: the template and its styles, the page, header and footer
with their fields, the properties, and the saved file. The body (headings, paragraphs and
tables) is written as WordprocessingML text by ``exports.appendix.word_xml`` and parsed by
python-docx's own parser once per theme, because building it through python-docx's objects
cost a hundred element look-ups per cell (``add_row``, ``add_run``, ``bold``, style names
resolved against the whole style sheet for every heading): 1.4 s for 200 actions, and a
long table grows faster than its rows. The XML is exactly what those calls wrote (the same
elements and attributes in the same order), style ids are resolved by name once per
document, and cells are spanned with ``w:gridSpan`` as each row is written.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from exports.appendix import word_xml as x
from exports.appendix.layout import (
    MEASURE_COLUMNS,
    MILESTONE_COLUMNS,
    ActionRow,
    Appendix,
    Para,
    StatusMark,
    ThemeBlock,
)

HEADER_FILL = "D9D9D9"
LABEL_FILL = "E7E6E6"
FOOTNOTE_SIZE = '<w:sz w:val="16"/>'  # 8 pt, in half-points


class _Styles:
    """The style ids the body uses, looked up by name once per document."""

    def __init__(self, document) -> None:
        part = document.part
        paragraph, table = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.TABLE
        self.title = part.get_style_id("Title", paragraph)
        self.heading1 = part.get_style_id("Heading 1", paragraph)
        self.heading2 = part.get_style_id("Heading 2", paragraph)
        self.bullet = part.get_style_id("List Bullet", paragraph)
        self.table = part.get_style_id("Table Grid", table)


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
    styles = _Styles(document)
    _add(document, _heading(appendix, width, styles))
    for index, theme in enumerate(appendix.themes):
        _add(document, _theme(theme, width, styles, new_page=index > 0))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add(document, parts: list[str]) -> None:
    """Append body content, written as WordprocessingML, before the section properties."""
    body = document.element.body
    end = body.sectPr
    for element in x.parse_block(parts):
        if end is None:
            body.append(element)
        else:
            end.addprevious(element)


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


def _widths(width: int, shares) -> list[int]:
    """Return the columns' widths in twips, as python-docx writes ``column.width``."""
    return [x.twips(int(width * share)) for share in shares]


def _paras(paras: tuple[Para, ...] | list[Para], styles: _Styles, props: str | None = "") -> str:
    """Return paragraphs and bullet points, each one run, as a cell holds them.

    ``props`` is each run's formatting: "" an empty ``w:rPr`` (a cell's text), None none (the
    document body's), as python-docx writes them.
    """
    return "".join(
        x.paragraph(x.run(p.text, props), styles.bullet if p.bullet else None) for p in paras
    )


def _header_row(titles: list[str], widths: list[int]) -> str:
    return x.row(
        (
            x.cell(w, x.paragraph(x.run(t, x.BOLD)), HEADER_FILL)
            for t, w in zip(titles, widths, strict=True)
        ),
        header=True,
    )


def _colour(value: str) -> str:
    return value.lstrip("#").upper()


def _status(width: int, mark: StatusMark, text: str | None = None) -> str:
    """Return a status cell: its fill, and its word in a contrasting colour, centred."""
    props = (x.BOLD if mark.recorded else x.NOT_BOLD) + (
        f'<w:color w:val="{_colour(mark.text_colour)}"/>'
    )
    shown = x.run(mark.text if text is None else text, props)
    return x.cell(width, x.paragraph(shown, align="center"), _colour(mark.colour))


def _heading(appendix: Appendix, width: int, styles: _Styles) -> list[str]:
    head = appendix.heading
    parts = []
    if head.appendix_label:
        parts.append(x.paragraph(x.run(head.appendix_label, x.BOLD), align="right"))
    parts.append(_titled(head.title, styles.title, align="center"))
    for line in (head.subtitle, head.period_heading):
        parts.append(x.paragraph(x.run(line, x.BOLD), align="center"))
    if not appendix.key:
        return parts
    parts.append(_titled("Status key and results", styles.heading2))
    if appendix.rating:
        parts.append(_titled(appendix.rating))
    widths = _widths(width, (0.18, 0.64, 0.18))
    parts.append(x.table_start(styles.table, widths))
    parts.append(_header_row(["Status", "Meaning", "Number & %"], widths))
    for row in appendix.key:
        parts.append(
            x.row(
                (
                    _status(widths[0], row.mark, row.mark.key_label),
                    x.cell(widths[1], _paras([Para(row.meaning)], styles)),
                    x.cell(widths[2], _paras([Para(row.result)], styles)),
                )
            )
        )
    parts.append(x.TABLE_END)
    return parts


def _titled(
    text: str, style: str | None = None, align: str | None = None, page_break: bool | None = None
) -> str:
    """Return a paragraph as python-docx's ``add_paragraph(text, style)`` writes it."""
    return x.paragraph(x.run(text) if text else "", style, align, page_break)


def _theme(theme: ThemeBlock, width: int, styles: _Styles, new_page: bool) -> list[str]:
    parts = [_titled(theme.banner, styles.heading1, page_break=new_page)]
    parts.append(_paras(theme.aim, styles, None))
    if theme.actions:
        widths = _widths(width, (c.width for c in theme.columns))
        parts.append(x.table_start(styles.table, widths))
        parts.append(_header_row([c.title for c in theme.columns], widths))
        for action in theme.actions:
            parts.append(_action(theme, action, widths, styles))
        parts.append(x.TABLE_END)
    else:
        parts.append(_titled("No actions to report for this period."))
    if theme.measures:
        parts.extend(_performance(theme, width, styles))
    if theme.why_important:
        parts.append(_titled("Why is it important?", styles.heading2))
        parts.append(_paras(theme.why_important, styles, None))
    return parts


def _action(theme: ThemeBlock, action: ActionRow, widths: list[int], styles: _Styles) -> str:
    """Return an action's two rows: its cells, then its update spanning the row."""
    cells = []
    for width, column in zip(widths, theme.columns, strict=True):
        if column.key == "status":
            cells.append(_status(width, action.status))
        elif column.key == "previous":
            cells.append(_status(width, action.previous))
        elif column.key == "direction":
            cells.append(x.cell(width, _paras([Para(action.direction)], styles)))
        else:
            cells.append(x.cell(width, _paras(action.cells.get(column.key, ()), styles)))
    main = x.row(cells)
    start = 1 if theme.has_update_label else 0
    span = widths[start:]
    if start:
        label, lead = x.cell(widths[0], x.paragraph(x.run("Update", x.BOLD)), LABEL_FILL), ""
    else:  # no narrow first column: "Update: " opens the update's first paragraph
        label, lead = "", x.run("Update: ", x.BOLD)
    if not action.update_received:
        content = x.paragraph(lead + x.run(action.update[0].text, x.ITALIC))
    elif action.update:
        first, *rest = action.update
        style = styles.bullet if first.bullet else None
        content = x.paragraph(lead + x.run(first.text, ""), style) + _paras(rest, styles)
    else:
        content = x.paragraph(lead)
    spanned = x.cell(sum(span), content, span=len(span))
    return main + x.row((label, spanned)) + _milestones(theme, action, widths, styles)


def _milestones(theme: ThemeBlock, action: ActionRow, widths: list[int], styles: _Styles) -> str:
    """Return a row under the update holding the action's phases as a table, or ""."""
    if not action.milestones:
        return ""
    start = 1 if theme.has_update_label else 0
    span = widths[start:]
    inner = [int(sum(span) * share) - 20 for _, share in MILESTONE_COLUMNS]
    table = x.table_start(styles.table, inner) + _header_row(
        [title for title, _ in MILESTONE_COLUMNS], inner
    )
    for m in action.milestones:
        table += x.row(
            x.cell(w, _paras([Para(t)], styles))
            for w, t in zip(inner, (m.phase, m.when, m.state), strict=True)
        )
    # A cell must end with a paragraph, so an empty one follows the nested table.
    table += x.TABLE_END + "<w:p/>"
    label = x.cell(widths[0], "", LABEL_FILL) if start else ""
    return x.row((label, x.cell(sum(span), table, span=len(span))))


def _performance(theme: ThemeBlock, width: int, styles: _Styles) -> list[str]:
    widths = _widths(width, (share for _, share in MEASURE_COLUMNS))
    parts = [_titled("Performance", styles.heading2), x.table_start(styles.table, widths)]
    heading = x.paragraph(x.run(theme.performance_heading, x.BOLD))
    parts.append(x.row([x.cell(sum(widths), heading, HEADER_FILL, span=len(widths))], True))
    parts.append(_header_row([title for title, _ in MEASURE_COLUMNS], widths))
    for measure in theme.measures:
        mark = x.run(measure.footnote_marks, x.SUPERSCRIPT) if measure.footnote_numbers else ""
        if measure.measure:
            named = _paras(measure.measure[:-1], styles)
            last = measure.measure[-1]
            style = styles.bullet if last.bullet else None
            named += x.paragraph(x.run(last.text, "") + mark, style)
        else:
            named = x.paragraph(mark)
        cells = (
            x.cell(widths[0], _paras([Para(measure.number)], styles, x.BOLD)),
            x.cell(widths[1], named),
            x.cell(widths[2], _paras(measure.objective, styles)),
            x.cell(widths[3], _paras(measure.target, styles)),
            x.cell(widths[4], _paras(measure.performance, styles)),
        )
        parts.append(x.row(cells))
    parts.append(x.TABLE_END)
    for note in theme.footnotes:
        parts.append(
            x.paragraph(
                x.run(str(note.number), x.SUPERSCRIPT) + x.run(f" {note.text}", FOOTNOTE_SIZE)
            )
        )
    return parts
