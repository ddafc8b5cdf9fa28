"""The covering report as Word, with the appendix after it in the same document if asked.

Real Word headings (Title, Heading 1 per section), numbered paragraphs with a hanging
indent (6.12), and real tables of figures with a repeating header row. The page, header,
footer (marking, "Page i of n") and styles are the appendix's (``exports.appendix.word``);
with the appendix, the report is a portrait section of the appendix's own document, so
one file holds the agenda item and its pages are numbered through.
"""

from __future__ import annotations

import copy
import io
from types import SimpleNamespace

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from exports.appendix import word as appendix_word
from exports.appendix import word_xml as x
from exports.appendix.layout import Appendix, Para
from exports.report.layout import Figures, ReportLayout

HANGING = 680  # twips: the paragraph number's column, 1.2 cm


def _numbered(number: str, paras: tuple[Para, ...], bullet_style: str, bold: bool) -> str:
    """Return a paragraph with its number in a hanging indent, then its bullet points."""
    props = x.BOLD if bold else None
    parts = []
    for index, para in enumerate(paras):
        if para.bullet:
            indent = f'<w:ind w:left="{HANGING + 360}" w:hanging="360"/>'
            parts.append(
                f'<w:p><w:pPr><w:pStyle w:val="{x.escape(bullet_style)}"/>{indent}</w:pPr>'
                f"{x.run(para.text)}</w:p>"
            )
            continue
        lead = x.run(number) + x.run("\t") if index == 0 and number else ""
        parts.append(
            f'<w:p><w:pPr><w:ind w:left="{HANGING}" w:hanging="{HANGING if lead else 0}"/></w:pPr>'
            f"{lead}{x.run(para.text, props)}</w:p>"
        )
    return "".join(parts)


def _figures(figures: Figures, width: int, style: str) -> str:
    """Return a real Word table: label column, a right-aligned column per year, TOTAL bold."""
    years = len(figures.columns)
    label = int(width * (0.34 if years > 3 else 0.45))
    widths = [label] + [(width - label) // max(years, 1)] * years
    parts = [x.table_start(style, widths)]
    titles = ["", *figures.columns]
    parts.append(
        x.row(
            (
                x.cell(
                    w,
                    x.paragraph(x.run(t, x.BOLD), align="right" if i else None),
                    appendix_word.HEADER_FILL,
                )
                for i, (t, w) in enumerate(zip(titles, widths, strict=True))
            ),
            header=True,
        )
    )
    for name, cells, total in figures.rows:
        props = x.BOLD if total else ""
        row = [x.cell(widths[0], x.paragraph(x.run(name, props)))]
        row += [
            x.cell(w, x.paragraph(x.run(c, props), align="right"))
            for c, w in zip(cells, widths[1:], strict=True)
        ]
        parts.append(x.row(row))
    parts.append(x.TABLE_END)
    return "".join(parts)


def _body(report: ReportLayout, width: int, styles: appendix_word.Styles) -> list[str]:
    parts = [x.paragraph(x.run(report.title), styles.title)]
    parts += [x.paragraph(x.run(line, x.BOLD), align="center") for line in report.lines]
    for section in report.sections:
        parts.append(x.paragraph(x.run(f"{section.number}. {section.heading}"), styles.heading1))
        for paragraph in section.paragraphs:
            parts.append(_numbered(paragraph.number, paragraph.text, styles.bullet, paragraph.bold))
            if paragraph.figures is not None:
                parts.append(_figures(paragraph.figures, width - x.twips(Cm(1.2)), styles.table))
                parts.append("<w:p/>")
    return parts


def _portrait(sect) -> None:
    """Make a copied section's page portrait (the report before a landscape appendix)."""
    size = sect.find(qn("w:pgSz"))
    if size is None:
        return
    w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    size.set(qn("w:w"), str(min(w, h)))
    size.set(qn("w:h"), str(max(w, h)))
    if size.get(qn("w:orient")) is not None:
        del size.attrib[qn("w:orient")]


def build_report_docx(report: ReportLayout, appendix: Appendix | None = None) -> bytes:
    """Return the report (and the appendix after it) as the bytes of a .docx file."""
    letter = bool(appendix and appendix.letter)  # a report alone is on A4
    if appendix is not None:
        document = docx.Document(io.BytesIO(appendix_word.build_docx(appendix)))
    else:
        # The appendix's own template: its fonts, heading styles and British English.
        document = docx.Document(io.BytesIO(appendix_word.template()))
        choice = SimpleNamespace(letter=letter, portrait=True, marking=report.marking)
        appendix_word.page_setup(document, choice)  # type: ignore[arg-type]
        document.styles["Normal"].font.size = Pt(10)
    props = document.core_properties
    props.title = report.pdf_title
    props.author = report.author
    styles = appendix_word.Styles(document)
    width = x.twips((Cm(21.59) if letter else Cm(21.0)) - Cm(3.0))
    elements = x.parse_block(_body(report, width, styles))
    body = document.element.body
    if appendix is None:
        end = body.sectPr
        for element in elements:
            end.addprevious(element)
    else:
        first = body[0]
        for element in elements:
            first.addprevious(element)
        # The report's own section ends here: portrait, with the same header and footer.
        sect = copy.deepcopy(body.sectPr)
        _portrait(sect)
        paragraph = OxmlElement("w:p")
        paragraph_props = OxmlElement("w:pPr")
        paragraph_props.append(sect)
        paragraph.append(paragraph_props)
        first.addprevious(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
