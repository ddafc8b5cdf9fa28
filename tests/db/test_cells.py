"""The one guard for spreadsheet cells, headers and properties (issue 20, finding 6)."""

from __future__ import annotations

import openpyxl
import pytest

from db import cells

HOSTILE = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "\n=1+1",
    "  @cmd",
    "'=1+1",
    "''=1+1",
]
HARMLESS = ["Plain text", "1 = 1", "a-b", "'quoted'", "", "x\t=1", "'"]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_fields_a_spreadsheet_would_evaluate_are_quoted(text: str) -> None:
    field = cells.csv_field(text)
    assert field == "'" + text
    assert cells.csv_text(field) == text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_csv_fields_are_left_alone(text: str) -> None:
    assert cells.csv_field(text) == text
    assert cells.csv_text(text) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_workbook_texts_are_never_formulas(text: str, tmp_path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    cells.append_row(sheet, [text, "bell\x07rings", 3])
    sheet["D1"] = text  # written past append_row: the seal at saving still catches it
    workbook.properties.title = f"{text}\x01"
    cells.seal_workbook(workbook)
    workbook.save(tmp_path / "x.xlsx")
    back = openpyxl.load_workbook(tmp_path / "x.xlsx")
    row = back.active[1]
    assert [c.data_type for c in row] == ["s", "s", "n", "s"]
    assert row[0].value == text.replace("\r", "\n") or row[0].value == text
    assert row[1].value == "bellrings" and row[2].value == 3
    assert back.properties.title == text
