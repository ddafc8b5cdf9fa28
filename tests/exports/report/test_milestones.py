"""Milestones end to end: the Milestones sheet, the print in PDF and Word, round trip, merge."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pdfplumber
import pytest

from db import edits, reads
from db.document import Document
from db.reads import read_plan
from exports.appendix.layout import PrintOptions
from exports.appendix.printing import render_docx, render_pdf
from exports.dates import read_date, when
from exports.exporting import export_file
from exports.sheets.importing import ImportRefused, import_file
from tests.exports.report.hightech import PRINTED, collaboration_workbook


@pytest.mark.parametrize(
    ("starts", "ends", "shown"),
    [
        ("2010-08-01", "2010-09-30", "Aug to Sept 2010"),
        ("2010-04", "2010-05", "April to May 2010"),
        ("2010-07-01", "2010-11-30", "July to Nov 2010"),
        ("2010-11", "2011-02", "Nov 2010 to Feb 2011"),
        ("2010-07", "2010-07-31", "July 2010"),
        ("2010-07", "", "From July 2010"),
        ("", "2010-11", "By Nov 2010"),
        ("Summer 2010", "", "Summer 2010"),
        ("2010-13-01", "", "2010-13-01"),
        ("", "", ""),
    ],
)
def test_dates_print_as_the_papers_write_them(starts: str, ends: str, shown: str) -> None:
    assert when(starts, ends) == shown


def test_dates_are_read_as_typed() -> None:
    assert read_date("July 2010") == "2010-07"
    assert read_date("Sept 2010") == "2010-09"
    assert read_date("31/10/2010") == "2010-10-31"
    assert read_date("31/02/2010") == "31/02/2010"
    assert read_date("=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"


def imported(tmp_path: Path, **kwargs) -> Path:
    out = tmp_path / "collab.scrutiny"
    import_file(collaboration_workbook(tmp_path / "collab.xlsx", **kwargs), out)
    return out


def phases(path: Path) -> list[tuple[str, str, str, str, str]]:
    with Document.open(path, read_only=True) as doc:
        action = next(a for a in reads.actions(doc) if a.activity == "High Tech Crime")
        return [
            (m.phase, m.starts, m.ends, m.state, m.note) for m in reads.milestones(doc, action.id)
        ]


@pytest.mark.parametrize("refs", [True, False])
def test_milestones_sheet_imports_phases_by_ref_or_number(tmp_path: Path, refs: bool) -> None:
    found = phases(imported(tmp_path, refs=refs))
    assert [p[:4] for p in found] == [
        ("Business Processes", "2010-07-01", "2010-07-31", "Complete"),
        ("Managerial Collaboration", "2010-08", "2010-09", "On schedule"),
        ("Operational Collaboration", "2010-09-01", "2010-10-31", "Planned"),
        ("Identify Additional Partner from Region", "2010-10", "2010-11", "Planned"),
    ]
    assert found[1][4] == "Engage CPS"


def test_a_milestone_of_a_missing_action_is_a_bad_row(tmp_path: Path) -> None:
    source = collaboration_workbook(
        tmp_path / "bad.xlsx", extra_rows=[("1", "(z)", "Phase 9", "2010-01", "", "", "")]
    )
    with pytest.raises(ImportRefused) as caught:
        import_file(source, tmp_path / "bad.scrutiny")
    assert "Milestones row 6: names (z) of theme 1, which is not in the Actions sheet" in str(
        caught.value
    )
    assert not (tmp_path / "bad.scrutiny").exists()


def _pdf_lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def test_phases_print_under_their_action_in_pdf_and_word(tmp_path: Path) -> None:
    path = imported(tmp_path)
    with Document.open(path, read_only=True) as doc:
        data = read_plan(doc)
    lines = _pdf_lines(render_pdf(data, PrintOptions()))
    update = next(i for i, line in enumerate(lines) if "A Project Manager is now in place" in line)
    assert lines[update + 1].split() == ["Phase", "When", "State"]
    for offset, (phase, shown, state) in enumerate(PRINTED, start=2):
        assert lines[update + offset] == f"{phase} {shown} {state}"
    # The next action follows its phases; actions without milestones print no phase table.
    assert "Police National Database" in lines[update + 6]
    assert sum(line.split() == ["Phase", "When", "State"] for line in lines) == 1

    document = docx.Document(io.BytesIO(render_docx(data, PrintOptions())))
    cells = {id(c._tc): c for c in document.tables[-1]._cells}.values()  # spans repeat
    nested = [t for c in cells for t in c.tables]
    assert len(nested) == 1
    rows = [[c.text for c in row.cells] for row in nested[0].rows]
    assert rows == [["Phase", "When", "State"], *[list(p) for p in PRINTED]]


def test_milestones_round_trip_through_the_workbook(tmp_path: Path) -> None:
    path = imported(tmp_path)
    export_file(path, tmp_path / "again.xlsx")
    again = tmp_path / "again.scrutiny"
    import_file(tmp_path / "again.xlsx", again)
    assert phases(again) == phases(path)


def test_milestone_edits_keep_history_undo_and_public_rules(tmp_path: Path) -> None:
    path = imported(tmp_path)
    with Document.open(path) as doc:
        action = next(a for a in reads.actions(doc) if a.activity == "High Tech Crime")
        added = edits.add(
            doc, "milestones", action_id=action.id, phase="Go live [exempt: s.31(1)(a)]Hub X[/exempt]",
            starts="2011-01", state="Planned",
        )  # fmt: skip
        milestone_id = added.rows[0].id
        assert [m.phase for m in reads.milestones(doc, action.id)][-1].startswith("Go live")
        change = edits.edit(doc, "milestones", milestone_id, state="Started")
        assert (
            change.text
            == "Edit state of milestone Go live [exempt: s.31(1)(a)]Hub X[/exempt] of (b)"
        )
        assert any(h.field == "state" for h in reads.action_history(doc, action.id))
        edits.undo(doc, change)
        assert reads.milestones(doc, action.id)[-1].state == "Planned"
        data = read_plan(doc)
    lines = _pdf_lines(render_pdf(data, PrintOptions(public=True)))
    assert not any("Hub X" in line for line in lines)
    assert any("Go live" in line and "s.31(1)(a)" in line for line in lines)


def test_milestones_merge_by_id_and_clash(tmp_path: Path) -> None:
    from db.merge import merge_copy

    path = imported(tmp_path)
    with Document.open(path) as doc:
        doc.save_copy(tmp_path / "theirs.scrutiny")
        action = next(a for a in reads.actions(doc) if a.activity == "High Tech Crime")
        first = reads.milestones(doc, action.id)[0]
        edits.edit(doc, "milestones", first.id, state="Complete (late)")
    with Document.open(tmp_path / "theirs.scrutiny", who="Lead") as theirs:
        edits.add(theirs, "milestones", action_id=action.id, phase="Review", starts="2011-01")
        edits.edit(theirs, "milestones", first.id, state="Slipped")
    with Document.open(path) as doc, Document.open(tmp_path / "theirs.scrutiny") as theirs:
        report = merge_copy(doc, theirs)
        shown = [m.phase for m in reads.milestones(doc, action.id)]
        assert shown[-1] == "Review" and len(shown) == 5
        assert [c.field for c in report.clashes] == ["state"]
