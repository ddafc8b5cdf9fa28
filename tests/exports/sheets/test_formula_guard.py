"""Every xlsx and csv writer keeps hostile texts as texts (issue 20, finding 6).

An own column named ``=…`` became a formula in the header row of every xlsx export, the
lead sheet's "How to return" A1 ("{title} – {period}") became one when the title started
with "=", and CSV fields starting with a tab or carriage return before "=" were not escaped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.build import create_plan
from db.cells import formula_like
from db.document import Document
from db.reads import read_plan
from exports.exporting import export_file
from exports.sheets.importing import import_file

HEADER = '=HYPERLINK("http://evil.example","Click")'
PLAN = {
    "plan": {
        "title": "=1+1 Plan",
        "organisation": "@OPCC",
        "commissioner": "\t=cmd|' /C calc'!A0",
        "version_label": "+1",
        "extra_fields": [HEADER, "\r=2+2"],
    },
    "statuses": [
        {"code": "G", "label": "Green", "colour": "#00B050", "meaning": "-1 risk"},
    ],
    "periods": [{"label": "Q1", "heading": "=Q1 UPDATE"}],
    "themes": [
        {
            "number": "1",
            "title": "+Safer streets",
            "aim": " =trim",
            "actions": [
                {
                    "ref": "=A1",
                    "leads": ["Council"],
                    "activity": "\r=Light the alleys",
                    "extra": {HEADER: "=3+3", "\r=2+2": "\t@x"},
                    "updates": {"Q1": {"status": "Green", "text": "\n=Begun"}},
                },
            ],
            "measures": [
                {
                    "number": "@1",
                    "measure": "-Crime",
                    "target": "+5%",
                    "performances": {"Q1": {"text": "=5%"}},
                }
            ],
        },
    ],
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.scrutiny"
    create_plan(path, PLAN).close()
    return path


def formulas(path: Path) -> list[str]:
    """Return every formula element in the workbook's sheets, read from the XML itself."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                found += re.findall(r"<f[ >].*?</f>", archive.read(name).decode())
    return found


def assert_texts_only(path: Path) -> list[str]:
    """Check that no cell of ``path`` is a formula; return every text cell's value."""
    assert formulas(path) == []
    texts = []
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


@pytest.mark.parametrize("public", [False, True])
def test_workbook_export_writes_no_formula(hostile: Path, tmp_path: Path, public: bool) -> None:
    out = tmp_path / "plan.xlsx"
    export_file(hostile, out, public=public)
    texts = assert_texts_only(out)
    assert HEADER in texts and "=1+1 Plan" in texts and "=3+3" in texts
    actions = openpyxl.load_workbook(out)["Actions"]
    assert [c.value for c in actions[1]][-2:] == [HEADER, "\r=2+2"]
    # Read back, every text is what was written.
    import_file(out, tmp_path / "back.scrutiny")
    with Document.open(tmp_path / "back.scrutiny", read_only=True) as doc:
        back = read_plan(doc)
    assert back.plan.title == "=1+1 Plan"
    assert back.plan.extra_fields[0] == HEADER
    assert back.actions[0].extra[HEADER] == "=3+3"


@pytest.mark.parametrize("public", [False, True])
def test_lead_sheet_writes_no_formula(hostile: Path, tmp_path: Path, public: bool) -> None:
    out = tmp_path / "lead.xlsx"
    export_file(hostile, out, lead="Council", public=public)
    texts = assert_texts_only(out)
    workbook = openpyxl.load_workbook(out)
    assert workbook["How to return"]["A1"].value == "=1+1 Plan – Q1"
    assert workbook["How to return"]["A1"].data_type == "s"
    assert HEADER in texts
    assert workbook.properties.title == "=1+1 Plan – Council – Q1"


def test_csv_escapes_every_field_a_spreadsheet_would_evaluate(
    hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.csv"
    export_file(hostile, out)
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    fields = [f for row in rows for f in row]
    assert "'" + HEADER in rows[0]
    assert "'\r=Light the alleys" in fields and "'\t@x" in fields
    for field in fields:
        assert not formula_like(field), field
    import_file(out, tmp_path / "back.scrutiny")
    with Document.open(tmp_path / "back.scrutiny", read_only=True) as doc:
        back = read_plan(doc)
    assert back.plan.extra_fields[0] == HEADER
    assert back.actions[0].ref == "=A1"
