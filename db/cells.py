"""One guard for every spreadsheet cell, header and document property Scrutineer writes.

A text from a plan is someone's words, never a formula: in a workbook every text cell is
written as a string (openpyxl's type "s"), and in a CSV file, where the type cannot be
said, a field a spreadsheet would evaluate gets a leading apostrophe (the OWASP rule: a
field starting with = + - @, a tab or a carriage return, also after leading spaces).
Characters XML cannot hold (control characters) are left out of workbook texts, since
openpyxl refuses them and Excel would call the file damaged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

# Excel, LibreOffice and Google Sheets evaluate a field that starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The text properties a workbook carries (File > Info), each shown by Excel and Explorer.
_PROPERTIES = (
    "title", "subject", "creator", "description", "keywords", "category",
    "lastModifiedBy", "identifier", "language", "contentStatus", "version",
)  # fmt: skip


def formula_like(text: str) -> bool:
    """Return whether a spreadsheet would read ``text`` as a formula (or start of one)."""
    return text.startswith(FORMULA_START) or text.lstrip()[:1] in ("=", "+", "-", "@")


def csv_field(text: str) -> str:
    """Return ``text`` as a CSV field no spreadsheet evaluates (undone by :func:`csv_text`).

    A text that already starts with apostrophes before a formula gets one more, so reading
    it back removes exactly the one added here.
    """
    return "'" + text if formula_like(text.lstrip("'")) else text


def csv_text(field: str) -> str:
    """Return the text a CSV field written by :func:`csv_field` holds."""
    return field[1:] if field.startswith("'") and formula_like(field.lstrip("'")) else field


def xlsx_text(text: str) -> str:
    """Return ``text`` as a workbook can hold it: without characters XML cannot carry."""
    return _XML_ILLEGAL.sub("", text)


def append_row(sheet: Any, values: Sequence[object]) -> None:
    """Append ``values`` to an openpyxl ``sheet``, every text a string, never a formula."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row, column).data_type = "s"


def seal_workbook(workbook: Any) -> None:
    """Make sure no cell of ``workbook`` is a formula and its properties are plain texts.

    Called by the one place that saves a workbook, after every sheet is filled, so a
    cell written any other way than :func:`append_row` is covered too.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            _seal(row)
    properties = workbook.properties
    for name in _PROPERTIES:
        value = getattr(properties, name, None)
        if isinstance(value, str):
            setattr(properties, name, xlsx_text(value))


def _seal(cells: Iterable[Any]) -> None:
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.value = xlsx_text(cell.value)
            cell.data_type = "s"
