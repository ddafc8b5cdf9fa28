"""Merging returned files: a copy or a return sheet comes in; a bad return is refused whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from db import clashes, edits, reads, signoff
from db.document import Document
from db.errors import FileRefused, ScrutineerError
from exports.exporting import export_file
from exports.returns import merge_file, merge_into


def _returned_copy(sample_path: Path, tmp_path: Path, who: str, **texts: str) -> Path:
    """Send a copy to ``who`` and have them rewrite the updates of the refs given."""
    returned = tmp_path / f"return-{who.lower()}.scrutiny"
    with Document.open(sample_path) as office:
        office.save_copy(returned)
    with Document.open(returned, who=who) as copy:
        period = reads.periods(copy)[-1]
        for action in reads.actions(copy):
            if action.ref in texts:
                edits.set_update(copy, action.id, period.id, text=texts[action.ref])
    return returned


def _text(path: Path, ref: str) -> str:
    with Document.open(path, read_only=True) as doc:
        action = next(a for a in reads.actions(doc) if a.ref == ref)
        return reads.update(doc, action.id, reads.periods(doc)[-1].id).text


def test_merge_file_brings_a_returned_copy_in(sample_path: Path, tmp_path: Path) -> None:
    returned = _returned_copy(sample_path, tmp_path, "KD", **{"7C01": "KD's quarter."})
    report = merge_file(sample_path, returned)
    assert _text(sample_path, "7C01") == "KD's quarter."
    assert str(report).splitlines() == [
        "Merged return-kd.scrutiny (KD): 1 change came in, 0 clashes to resolve.",
        "  came in: 7C01 (Q2 2017/18): update",
    ]


def test_a_return_failing_the_safety_check_is_refused_and_the_plan_untouched(
    sample_path: Path, tmp_path: Path
) -> None:
    returned = _returned_copy(sample_path, tmp_path, "KD", **{"7C01": "Sneaky."})
    conn = sqlite3.connect(returned)
    conn.execute("CREATE TABLE payload (x)")
    conn.commit()
    conn.close()
    before = sample_path.read_bytes()
    with pytest.raises(
        FileRefused, match=r"return-kd\.scrutiny was refused and nothing was merged"
    ):
        merge_file(sample_path, returned)
    assert sample_path.read_bytes() == before


def test_a_truncated_return_is_refused(sample_path: Path, tmp_path: Path) -> None:
    returned = _returned_copy(sample_path, tmp_path, "KD", **{"7C01": "Cut short."})
    data = returned.read_bytes()
    returned.write_bytes(data[: len(data) // 2])
    before = sample_path.read_bytes()
    with pytest.raises(FileRefused, match="truncated"):
        merge_file(sample_path, returned)
    assert sample_path.read_bytes() == before


def test_other_files_are_not_returns(sample_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(ScrutineerError, match="not a return"):
        merge_file(sample_path, other)
    with Document.open(sample_path) as doc, pytest.raises(ScrutineerError, match="itself"):
        merge_into(doc, sample_path)


def _kd_sheet(sample_path: Path, tmp_path: Path, text: str) -> Path:
    """Return KD's return sheet with ``text`` written as 7C01's update."""
    sheet = tmp_path / "kd.xlsx"
    export_file(sample_path, sheet, lead="KD")
    _fill_sheet(sheet, "7C01", text=text)
    return sheet


def _fill_sheet(
    path: Path, ref: str, *, status: str | None = None, text: str | None = None
) -> None:
    """Do what the lead does in Excel: change the Status and Update cells of one row."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Actions"]
    headers = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, headers.index("Ref") + 1).value == ref:
            if status is not None:
                sheet.cell(row, headers.index("Status") + 1).value = status
            if text is not None:
                sheet.cell(row, headers.index("Update") + 1).value = text
    workbook.save(path)


def test_two_leads_one_copy_one_sheet_one_clash_nothing_lost(
    sample_path: Path, tmp_path: Path
) -> None:
    """The round trip of the issue: KD returns a copy, CR a sheet; one clash is resolved."""
    kd = _returned_copy(sample_path, tmp_path, "KD", **{"7C01": "KD: alliance agreed."})
    sheet = tmp_path / "cr.xlsx"
    export_file(sample_path, sheet, lead="CR")
    _fill_sheet(sheet, "7C02", status="Blue", text="CR: budget balanced.")
    _fill_sheet(sheet, "7C05", text="CR: collaboration savings found.")
    with Document.open(sample_path, who="OPCC") as office:
        action = next(a for a in reads.actions(office) if a.ref == "7C05")
        edits.set_update(
            office, action.id, reads.periods(office)[-1].id, text="OPCC: waiting for figures."
        )
        first = merge_into(office, kd)
        second = merge_into(office, sheet)
        assert not first.clashes
        [clash] = second.clashes
        assert (clash.ref, clash.field) == ("7C05 (Q2 2017/18)", "text")
        clashes.resolve(office, clash.id, "combined", "OPCC and CR: savings found, figures due.")
        assert clashes.open_clash_count(office) == 0
        period = reads.periods(office)[-1]
        texts = {a.ref: reads.update(office, a.id, period.id) for a in reads.actions(office)}
        assert texts["7C01"].text == "KD: alliance agreed."
        assert texts["7C02"].text == "CR: budget balanced."
        blue = next(s.id for s in reads.statuses(office) if s.label == "Blue")
        assert texts["7C02"].status_id == blue
        assert texts["7C05"].text == "OPCC and CR: savings found, figures due."
        who = {
            (h.who, h.origin)
            for h in reads.history(office, [texts[r].id for r in ("7C01", "7C02", "7C05")])
            if h.field == "text"
        }
        assert {("KD", "return-kd.scrutiny"), ("CR", "cr.xlsx"), ("OPCC", "")} <= who
        assert signoff.sign_off(office, texts["7C02"].id).state == "submitted"
        # Merging both again brings nothing new.
        assert not merge_into(office, kd).changes
        assert not merge_into(office, sheet).changes


# -- tampered and damaged return sheets: issue 20, finding 7 and the smaller one ---------------


def _origin_rows(path: Path) -> tuple[openpyxl.Workbook, object, dict[str, int]]:
    """Open a return sheet's hidden origin record; also say which origin row holds each ref."""
    workbook = openpyxl.load_workbook(path)
    origin = workbook["Scrutineer origin"]
    rows = {origin.cell(r, 4).value: r for r in range(6, origin.max_row + 1)}
    return workbook, origin, rows


def test_swapping_two_ids_in_the_origin_record_refuses_the_sheet_whole(
    sample_path: Path, tmp_path: Path
) -> None:
    """The finding: 7C01's text arrived on 7C06 as a change or a clash."""
    sheet = _kd_sheet(sample_path, tmp_path, "KD: this is 7C01's update.")
    workbook, origin, rows = _origin_rows(sheet)
    first, second = origin.cell(rows["7C01"], 2), origin.cell(rows["7C06"], 2)
    first.value, second.value = second.value, first.value
    workbook.save(sheet)
    before = sample_path.read_bytes()
    with pytest.raises(ScrutineerError) as refused:
        merge_file(sample_path, sheet)
    assert str(refused.value) == (
        "kd.xlsx was refused and nothing was merged: its hidden origin record gives 7C01 the "
        "id of 7C06, so the sheet was altered after it was exported."
    )
    assert sample_path.read_bytes() == before
    assert _text(sample_path, "7C06") != "KD: this is 7C01's update."


def test_an_origin_id_the_plan_never_had_refuses_the_sheet(
    sample_path: Path, tmp_path: Path
) -> None:
    sheet = _kd_sheet(sample_path, tmp_path, "KD's words.")
    workbook, origin, rows = _origin_rows(sheet)
    origin.cell(rows["7C01"], 2).value = "00000000-0000-4000-8000-000000000000"
    workbook.save(sheet)
    with pytest.raises(ScrutineerError, match="gives 7C01 an id this plan never had"):
        merge_file(sample_path, sheet)


def test_a_ref_renamed_by_the_office_after_export_still_merges(
    sample_path: Path, tmp_path: Path
) -> None:
    sheet = _kd_sheet(sample_path, tmp_path, "KD's words.")
    with Document.open(sample_path) as office:
        action = next(a for a in reads.actions(office) if a.ref == "7C01")
        edits.edit(office, "actions", action.id, ref="7C01a")
    assert merge_file(sample_path, sheet).came_in == ["7C01a (Q2 2017/18): update"]
    assert _text(sample_path, "7C01a") == "KD's words."


def test_a_return_sheet_without_its_origin_record_is_refused_in_one_sentence(
    sample_path: Path, tmp_path: Path
) -> None:
    sheet = _kd_sheet(sample_path, tmp_path, "KD's words.")
    workbook = openpyxl.load_workbook(sheet)
    del workbook["Scrutineer origin"]
    workbook.save(sheet)
    before = sample_path.read_bytes()
    with pytest.raises(ScrutineerError) as refused:
        merge_file(sample_path, sheet)
    assert str(refused.value) == (
        "kd.xlsx is a lead's return sheet whose hidden origin record has been removed, so "
        "what the lead changed cannot be told apart; export a new return sheet for the lead."
    )
    assert sample_path.read_bytes() == before


def test_a_sheet_edit_keeps_an_action_a_copy_deleted_whichever_comes_first(
    sample_path: Path, tmp_path: Path
) -> None:
    deletes = tmp_path / "deletes.scrutiny"
    with Document.open(sample_path) as office:
        office.save_copy(deletes)
    with Document.open(deletes, who="KD") as copy:
        edits.delete(copy, "actions", next(a.id for a in reads.actions(copy) if a.ref == "7C07"))
    sheet = tmp_path / "kd.xlsx"
    export_file(sample_path, sheet, lead="KD")
    _fill_sheet(sheet, "7C07", status="Green", text="KD: 7C07 goes on.")
    plans = []
    for name, order in (("one", (deletes, sheet)), ("two", (sheet, deletes))):
        target = tmp_path / f"{name}.scrutiny"
        target.write_bytes(sample_path.read_bytes())
        with Document.open(target) as office:
            for returned in order:
                merge_into(office, returned)
            [clash] = clashes.clashes(office)
            assert str(clash) == "7C07: deleted in deletes.scrutiny but changed here"
            for returned in order:
                assert not merge_into(office, returned).changes
        assert _text(target, "7C07") == "KD: 7C07 goes on."
        conn = sqlite3.connect(target)
        plans.append(
            [
                sorted(conn.execute(f"SELECT * FROM {t}").fetchall())
                for t in ("actions", "updates", "action_leads", "milestones")
            ]
        )
        conn.close()
    assert plans[0] == plans[1]


def test_a_sheet_naming_a_lead_who_never_led_its_actions_is_refused_whole(
    sample_path: Path, tmp_path: Path
) -> None:
    """KD's sheet relabelled as CR's: each row is consistent, but CR never led 7C01."""
    sheet = _kd_sheet(sample_path, tmp_path, "Words put in CR's mouth.")
    workbook, origin, _ = _origin_rows(sheet)
    [lead_row] = [r for r in range(1, 6) if origin.cell(r, 1).value == "Lead"]
    origin.cell(lead_row, 2).value = "CR"
    workbook.save(sheet)
    before = sample_path.read_bytes()
    with pytest.raises(ScrutineerError) as refused:
        merge_file(sample_path, sheet)
    assert str(refused.value).startswith(
        "kd.xlsx was refused and nothing was merged: it was sent to CR, but 7C01 is an "
        "action CR has never led"
    )
    assert sample_path.read_bytes() == before


def test_an_action_given_to_another_lead_after_the_sheet_was_sent_still_merges(
    sample_path: Path, tmp_path: Path
) -> None:
    sheet = _kd_sheet(sample_path, tmp_path, "KD's last word on 7C01.")
    with Document.open(sample_path) as office:
        action = next(a for a in reads.actions(office) if a.ref == "7C01")
        assert "KD" in action.leads
        edits.set_leads(office, action.id, ["CR"])
        # ...and KD is renamed, too: the lead is still known by the history.
        lead = office.conn.execute("SELECT id FROM leads WHERE name = 'KD'").fetchone()[0]
        edits.edit(office, "leads", lead, name="KD (Finance)")
    assert merge_file(sample_path, sheet).came_in == ["7C01 (Q2 2017/18): update"]
    assert _text(sample_path, "7C01") == "KD's last word on 7C01."
