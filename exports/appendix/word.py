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

Pages break as a typesetter would, within what Word can be told: every row is kept whole,
an action row is kept on the page of its update, a banner, aim and table header with what
follows; a long update is several rows (``exports.appendix.word_pieces``). The styles are
the PDF's (DejaVu Sans, its sizes and colours) and the language is British English, set
once in a template made from python-docx's own on first use.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import chain

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
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
from exports.appendix.pdf import _measure_widths, fit_widths, fonts
from exports.appendix.word_pieces import pieces

HEADER_FILL = "D9D9D9"
LABEL_FILL = "E7E6E6"
BANNER_FILL = "1F3864"
FONT = "DejaVu Sans"  # the PDF's font; where it is missing Word takes a sans-serif like it
LANGUAGE = "en-GB"
DOCUMENT_PART = "word/document.xml"
BODY_SIZE = 8.5  # points, as the PDF's text
FOOTNOTE_SIZE = '<w:sz w:val="16"/>'  # 8 pt, in half-points
# Share of a page's body an update row may take: a row that does not fit moves to the next
# page whole, so this is the most white a long update can leave at the foot of a page.
UPDATE_ROW_SHARE = 1 / 3
CELL_MARGINS = 2 * 5.4  # points: Table Grid's left and right cell margins (108 twips each)
# The headings as the PDF draws them: style id, paragraph properties, size in half-points
# and colour. The title is bold 12 pt black and centred; a theme's banner bold 11 pt white
# on dark blue; a section heading bold 10.5 pt black.
_HEADINGS = (
    (
        "Title",
        '<w:keepNext/><w:spacing w:before="0" w:after="60"/><w:jc w:val="center"/>',
        24,
        "000000",
    ),
    (
        "Heading1",
        f'<w:keepNext/><w:keepLines/><w:shd w:val="clear" w:color="auto" w:fill="{BANNER_FILL}"/>'
        '<w:spacing w:before="160" w:after="80"/><w:outlineLvl w:val="0"/>',
        22,
        "FFFFFF",
    ),
    (
        "Heading2",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="160" w:after="80"/>'
        '<w:outlineLvl w:val="1"/>',
        21,
        "000000",
    ),
)
# How Word finds a stand-in for DejaVu Sans where it is not installed: a swiss, variable-
# pitch face with Verdana's shapes (DejaVu Sans descends from Bitstream Vera, drawn like it).
_FONT_ENTRY = (
    f'<w:font w:name="{FONT}"><w:altName w:val="Verdana"/>'
    '<w:panose1 w:val="020B0603030804020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
).encode()


class Styles:
    """The style ids the body uses, looked up by name once per document, and its page's limits."""

    def __init__(self, document) -> None:
        section = document.sections[0]
        body = section.page_height - section.top_margin - section.bottom_margin
        # The tallest update row, in points: its share of a page less the repeated header.
        self.update_limit = UPDATE_ROW_SHARE * body / 12700 - 2 * BODY_SIZE
        part = document.part
        paragraph, table = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.TABLE
        self.title = part.get_style_id("Title", paragraph)
        self.heading1 = part.get_style_id("Heading 1", paragraph)
        self.heading2 = part.get_style_id("Heading 2", paragraph)
        self.bullet = part.get_style_id("List Bullet", paragraph)
        self.table = part.get_style_id("Table Grid", table)


def build_docx(appendix: Appendix) -> bytes:
    """Return the appendix as the bytes of a .docx file."""
    document = new_document(io.BytesIO(template()))
    page_setup(document, appendix)
    props = document.core_properties
    props.title = appendix.pdf_title
    props.author = appendix.author
    props.subject = appendix.heading.period_heading
    props.language = LANGUAGE
    props.comments = ""
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
    width = _text_width(document)
    styles = Styles(document)
    fonts()  # the PDF's fonts measure the columns' words (``fit_widths``)
    skeleton = io.BytesIO()
    document.save(skeleton)
    # Made one theme at a time as the package is written, so one theme's text is held.
    blocks = chain(
        [_heading(appendix, width, styles)],
        (
            _theme(theme, width, styles, new_page=index > 0)
            for index, theme in enumerate(appendix.themes)
        ),
    )
    return _with_body(skeleton.getvalue(), (x.serialize_block(parts) for parts in blocks))


@functools.cache
def template() -> bytes:
    """Return python-docx's template restyled as the PDF, in British English, made once.

    Word's blue theme headings become the PDF's; the language of the defaults and of the
    theme fonts is en-GB; parts that describe another document or carry en-US (Word 2010's
    second style sheet, the thumbnail, custom XML) are left out.
    """
    document = new_document()
    styles = document.styles.element
    size = round(BODY_SIZE * 2)
    faces = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{faces}"
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:after="60" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    for style_id, paragraph_props, half_points, colour in _HEADINGS:
        looks = (
            f"<w:rPr {nsdecls('w')}>{faces}<w:b/><w:bCs/>"
            f'<w:color w:val="{colour}"/><w:sz w:val="{half_points}"/>'
            f'<w:szCs w:val="{half_points}"/></w:rPr>'
        )
        for name, props in ((style_id, paragraph_props), (f"{style_id}Char", None)):
            style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{name}']")
            if style is None:
                continue
            for old in style.findall(qn("w:pPr")) + style.findall(qn("w:rPr")):
                style.remove(old)
            if props is not None:
                style.append(parse_xml(f"<w:pPr {nsdecls('w')}>{props}</w:pPr>"))
            style.append(parse_xml(looks))
    # The header and footer set their own tab stops for the page's width (``_page``).
    for name in ("Header", "Footer"):
        style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{name}']")
        for tabs in [] if style is None else list(style.iter(qn("w:tabs"))):
            tabs.getparent().remove(tabs)
    normal = document.styles["Normal"]
    normal.paragraph_format.space_after = Pt(3)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.attrib.clear()
        theme_lang.set(qn("w:val"), LANGUAGE)
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in ("stylesWithEffects", "customXml", "thumbnail"):
                del rels[rid]
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_font_entry(buffer.getvalue())


def _with_font_entry(package: bytes) -> bytes:
    """Return the package with DejaVu Sans described in its font table, for Word to match.

    python-docx keeps the font table as bytes, so the entry is written into the saved zip.
    """
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/fontTable.xml":
                content = content.replace(b"</w:fonts>", _FONT_ENTRY + b"</w:fonts>")
            target.writestr(item, content)
    return out.getvalue()


def _with_body(package: bytes, body: Iterable[bytes]) -> bytes:
    """Return the package with ``body`` written into its document before the section properties.

    The body is streamed into the zip a theme at a time: holding the whole document as
    python-docx's tree took ~9 bytes of memory per byte of ``document.xml`` (60 MB for
    2,000 actions), more than everything else a print holds.
    """
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != DOCUMENT_PART:
                target.writestr(item, content)
                continue
            # The saved body holds only the section properties (python-docx's template).
            split = content.rindex(b"<w:sectPr")
            with target.open(item, "w") as stream:
                stream.write(content[:split])
                for block in body:
                    stream.write(block)
                stream.write(content[split:])
    return out.getvalue()


def page_setup(document, appendix: Appendix) -> None:
    """Set the paper, and the marking and page numbers at top and bottom, clear of the body.

    The header's one line ends about 1 cm from the top and the body starts at 1.5 cm; the
    footer's one line starts about 0.9 cm from the bottom and the body ends at 1.4 cm, as
    in the PDF, so neither can sit on a table.
    """
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
    section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.4)
    section.header_distance, section.footer_distance = Cm(0.6), Cm(0.5)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.space_after = Pt(0)
    if appendix.marking:
        _marking(header, appendix.marking)
    # One footer line, as the PDF's: the marking centred, "Page i of n" at the right.
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.space_after = Pt(0)
    width = _text_width(document)
    footer.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
    footer.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    footer.add_run("\t")
    if appendix.marking:
        _marking(footer, appendix.marking)
    footer.add_run("\tPage ").font.size = Pt(8)
    _field(footer, "PAGE")
    footer.add_run(" of ").font.size = Pt(8)
    _field(footer, "NUMPAGES")


def _marking(paragraph, marking: str) -> None:
    """Add the protective marking as the PDF prints it: bold 9 pt."""
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.size = Pt(9)


def _field(paragraph, code: str) -> None:
    """Add a Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
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


def _fitted(points: list[float]) -> list[int]:
    """Return column widths worked out in points (as the PDF's) in twips."""
    return [round(20 * w) for w in points]


def _widths(width: int, shares) -> list[int]:
    """Return the columns' widths in twips, as python-docx writes ``column.width``."""
    return [x.twips(int(width * share)) for share in shares]


def _paras(
    paras: tuple[Para, ...] | list[Para],
    styles: Styles,
    props: str | None = "",
    keep: bool = False,
) -> str:
    """Return paragraphs and bullet points, each one run, as a cell holds them.

    ``props`` is each run's formatting: "" an empty ``w:rPr`` (a cell's text), None none (the
    document body's), as python-docx writes them. A line break the author wrote inside a
    paragraph is a ``w:br``. ``keep`` keeps each paragraph with the next.
    """
    return "".join(
        x.paragraph(x.run(p.text, props), styles.bullet if p.bullet else None, keep_next=keep)
        for p in paras
    )


def _header_row(titles: list[str], widths: list[int]) -> str:
    """Return a header row: repeated on every page, kept whole and with the row after it."""
    return x.row(
        (
            x.cell(w, x.paragraph(x.run(t, x.BOLD), keep_next=True), HEADER_FILL)
            for t, w in zip(titles, widths, strict=True)
        ),
        header=True,
    )


def _colour(value: str) -> str:
    return value.lstrip("#").upper()


def _status(width: int, mark: StatusMark, text: str | None = None, keep: bool = False) -> str:
    """Return a status cell: its fill, and its word in a contrasting colour, centred."""
    props = (x.BOLD if mark.recorded else x.NOT_BOLD) + (
        f'<w:color w:val="{_colour(mark.text_colour)}"/>'
    )
    shown = x.run(mark.text if text is None else text, props)
    return x.cell(width, x.paragraph(shown, align="center", keep_next=keep), _colour(mark.colour))


def _heading(appendix: Appendix, width: int, styles: Styles) -> list[str]:
    head = appendix.heading
    parts = []
    if head.appendix_label:
        label = x.run(head.appendix_label, x.BOLD + '<w:sz w:val="20"/>')
        parts.append(x.paragraph(label, align="right"))
    parts.append(_titled(head.title, styles.title, align="center"))
    for line in (head.subtitle, head.period_heading):
        parts.append(x.paragraph(x.run(line, x.BOLD + '<w:sz w:val="21"/>'), align="center"))
    if not appendix.key:
        return parts
    parts.append(_titled("Status key and results", styles.heading2))
    if appendix.rating:
        parts.append(x.paragraph(x.run(appendix.rating), keep_next=True))
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


def _theme(theme: ThemeBlock, width: int, styles: Styles, new_page: bool) -> list[str]:
    # The banner (a heading, kept with the next) and the aim stay with the table's header,
    # which stays with the first action, which stays with its update.
    parts = [_titled(theme.banner, styles.heading1, page_break=new_page)]
    parts.append(_paras(theme.aim, styles, None, keep=bool(theme.actions)))
    if theme.actions:
        # The PDF's widths for this page: no label or header breaks inside a word. Word's
        # cell margins (5.4 pt) are narrower than the PDF's padding, so each word fits here too.
        widths = _fitted(fit_widths(theme, width / 12700, None))
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


def _action(theme: ThemeBlock, action: ActionRow, widths: list[int], styles: Styles) -> str:
    """Return an action's rows: its cells, kept with its update, then the update's rows.

    Every row is kept whole. A long update is cut into rows no taller than a share of the
    page (``word_pieces``); the first is labelled "Update", the rest name the action.
    """
    cells = []
    for width, column in zip(widths, theme.columns, strict=True):
        if column.key == "status":
            cells.append(_status(width, action.status, keep=True))
        elif column.key == "previous":
            cells.append(_status(width, action.previous, keep=True))
        elif column.key == "direction":
            cells.append(x.cell(width, _paras([Para(action.direction)], styles, keep=True)))
        else:
            paras = action.cells.get(column.key, ())
            # An empty cell still holds one paragraph, which must keep with the next too.
            content = _paras(paras, styles, keep=True) or x.paragraph(keep_next=True)
            cells.append(x.cell(width, content))
    rows = [x.row(cells)]
    start = 1 if theme.has_update_label else 0
    span = widths[start:]
    text_width = sum(span) / 20 - CELL_MARGINS
    # With no narrow first column the label is the row's first line, as in the PDF.
    limit = styles.update_limit - (0 if start else 2 * BODY_SIZE)
    if not action.update_received:
        chunks = [[Para(action.update[0].text)]]
    else:
        chunks = pieces(action.update, text_width, BODY_SIZE, limit)
    for index, chunk in enumerate(chunks):
        named = x.paragraph(x.run("Update" if index == 0 else action.continued, x.BOLD))
        cell, content = (x.cell(widths[0], named, LABEL_FILL), "") if start else ("", named)
        if not action.update_received:
            content += x.paragraph(x.run(chunk[0].text, x.ITALIC))
        else:
            content += _paras(chunk, styles)
        rows.append(x.row((cell, x.cell(sum(span), content, span=len(span)))))
    return "".join(rows) + _milestones(theme, action, widths, styles)


def _milestones(theme: ThemeBlock, action: ActionRow, widths: list[int], styles: Styles) -> str:
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


def _performance(theme: ThemeBlock, width: int, styles: Styles) -> list[str]:
    widths = _fitted(_measure_widths(theme, width / 12700))
    parts = [_titled("Performance", styles.heading2), x.table_start(styles.table, widths)]
    heading = x.paragraph(x.run(theme.performance_heading, x.BOLD), keep_next=True)
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
