"""WordprocessingML text for the Word appendix's paragraphs and tables, as python-docx writes it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as _entities

from docx.oxml.parser import parse_xml
from docx.shared import Emu
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BOLD = "<w:b/>"
NOT_BOLD = '<w:b w:val="0"/>'
ITALIC = "<w:i/>"
SUPERSCRIPT = '<w:vertAlign w:val="superscript"/>'
# What XML 1.0 cannot hold; python-docx refuses it, so it is dropped here as well (the
# appendix has already removed every control character from the plan's text).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("([\t\r\n])")
_QUOTE = {'"': "&quot;"}
_TABLE_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
    ' w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)


def escape(value: str) -> str:
    """Return ``value`` as XML character data or attribute text, illegal characters dropped."""
    return _entities(_ILLEGAL.sub("", value), _QUOTE)


def _t(piece: str) -> str:
    # ``piece`` is legal already (``run`` dropped the rest). python-docx marks a w:t to keep
    # its spaces when stripping would change it.
    if len(piece.strip()) < len(piece):
        return f'<w:t xml:space="preserve">{_entities(piece, _QUOTE)}</w:t>'
    return f"<w:t>{_entities(piece, _QUOTE)}</w:t>"


def run(text: str, props: str | None = None) -> str:
    """Return a ``w:r`` holding ``text`` the way python-docx's ``Run.text`` writes it.

    A tab becomes ``w:tab``, a line feed or carriage return ``w:br``. ``props`` is the run's
    formatting (``w:rPr`` content): None writes no ``w:rPr``, "" an empty one.
    """
    head = (
        "<w:r>" if props is None else f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r><w:rPr/>"
    )
    text = _ILLEGAL.sub("", text)
    if not text:
        return head[:-1] + "/>" if props is None else head + "</w:r>"
    if "\t" in text or "\n" in text or "\r" in text:
        parts = []
        for piece in _BREAKS.split(text):
            if piece == "\t":
                parts.append("<w:tab/>")
            elif piece in ("\r", "\n"):
                parts.append("<w:br/>")
            elif piece:
                parts.append(_t(piece))
        return head + "".join(parts) + "</w:r>"
    return head + _t(text) + "</w:r>"


def paragraph(
    runs: str = "",
    style: str | None = None,
    align: str | None = None,
    page_break: bool | None = None,
    keep_next: bool = False,
) -> str:
    """Return a ``w:p`` with its style id, keep with next, page break before and alignment.

    ``keep_next`` on every paragraph of a table row keeps that row on the page of the next.
    """
    props = ""
    if style:
        props += f'<w:pStyle w:val="{escape(style)}"/>'
    if keep_next:
        props += "<w:keepNext/>"
    if page_break is not None:
        props += "<w:pageBreakBefore/>" if page_break else '<w:pageBreakBefore w:val="0"/>'
    if align:
        props += f'<w:jc w:val="{align}"/>'
    if props:
        return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"
    return f"<w:p>{runs}</w:p>" if runs else "<w:p/>"


def twips(width: int) -> int:
    """Return a width in EMU as the twips python-docx writes for it."""
    return Emu(width).twips


def cell(width: int, content: str, fill: str | None = None, span: int = 1) -> str:
    """Return a ``w:tc`` of ``width`` twips; ``content`` is its paragraphs (one empty if "")."""
    props = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{escape(fill)}"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content or '<w:p/>'}</w:tc>"


def row(cells: Iterable[str], header: bool = False, whole: bool = True) -> str:
    """Return a ``w:tr``; a header row is marked to repeat at the top of every page.

    A ``whole`` row is never split across pages (``w:cantSplit``): Word moves it to the next
    page instead, and splits it only when it is taller than a page.
    """
    flags = ("<w:cantSplit/>" if whole else "") + ('<w:tblHeader w:val="true"/>' if header else "")
    props = f"<w:trPr>{flags}</w:trPr>" if flags else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def table_start(style: str | None, widths: Iterable[int]) -> str:
    """Return the opening of a centred, fixed-layout ``w:tbl`` with columns of ``widths`` twips."""
    styled = f'<w:tblStyle w:val="{escape(style)}"/>' if style else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr>{styled}<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
        f'<w:tblLayout w:type="fixed"/>{_TABLE_LOOK}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    )


TABLE_END = "</w:tbl>"


def _parsed_body(parts: Iterable[str]):
    return parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(parts)}</w:body>')


def parse_block(parts: Iterable[str]) -> list:
    """Parse body content (paragraphs and tables) with python-docx's parser; return its elements."""
    return list(_parsed_body(parts))


def serialize_block(parts: Iterable[str]) -> bytes:
    """Return body content as python-docx saves it inside ``w:body`` (UTF-8, no declaration).

    Parsed and written by the same parser and serialiser as a whole document, so the bytes
    are those of the saved ``document.xml``; only this block's tree is held meanwhile.
    """
    written = etree.tostring(_parsed_body(parts), encoding="UTF-8")
    start = written.index(b">") + 1
    if written[start - 2 : start] == b"/>":
        return b""  # an empty block
    return written[start : -len(b"</w:body>")]
