"""A lead officer's return sheet: what is locked, what is offered, and reading it back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from db.build import create_plan
from db.document import Document
from db.errors import ScrutineerError
from db.reads import read_plan
from exports.exporting import export_file
from exports.sheets.lead_sheet import ORIGIN_SHEET, read_return, write_lead_sheet


def barber_sheet(sample_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "barber.xlsx"
    message = export_file(sample_path, out, lead="dcc  BARBER")
    assert message.startswith("Wrote 4 actions led by DCC Barber to barber.xlsx")
    return out


def test_sheet_holds_only_that_leads_actions(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    with Document.open(sample_path, read_only=True) as doc:
        data = read_plan(doc)
    expected = [a.ref for a in data.actions if "DCC Barber" in a.leads]
    sheet = openpyxl.load_workbook(out)["Actions"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == expected
    assert all("DCC Barber" in r[3] for r in rows)


def test_only_status_and_update_cells_are_unlocked(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Actions"]
    assert sheet.protection.sheet
    assert workbook.security.lockStructure
    headers = [c.value for c in sheet[1]]
    status, update = headers.index("Status") + 1, headers.index("Update") + 1
    for row in range(2, sheet.max_row + 1):
        for column in range(1, len(headers) + 1):
            locked = sheet.cell(row, column).protection.locked
            assert locked == (column not in (status, update)), (row, column)
    for header_cell in sheet[1]:
        assert header_cell.protection.locked


def test_status_is_a_drop_down_of_the_scheme(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    sheet = openpyxl.load_workbook(out)["Actions"]
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list"
    with Document.open(sample_path, read_only=True) as doc:
        labels = [s.label for s in read_plan(doc).statuses]
    assert validation.formula1 == '"' + ",".join(labels) + '"'
    assert str(validation.sqref) == f"G2:G{sheet.max_row}"
    assert validation.showErrorMessage and validation.allow_blank


def test_hidden_origin_sheet(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    workbook = openpyxl.load_workbook(out)
    origin = workbook[ORIGIN_SHEET]
    assert origin.sheet_state == "veryHidden"
    with Document.open(sample_path, read_only=True) as doc:
        data = read_plan(doc)
    values = list(origin.iter_rows(values_only=True))
    assert values[1][:2] == ("Plan id", data.plan.id)
    assert values[2][:2] == ("Period", "Q2 2017/18")
    assert values[3][:2] == ("Lead", "DCC Barber")
    barber = [a for a in data.actions if "DCC Barber" in a.leads]
    assert [r[1] for r in values[5:]] == [a.id for a in barber]
    period = data.periods[-1]
    assert [r[5] for r in values[5:]] == [data.update_for(a.id, period.id).text for a in barber]


def test_read_return_gives_what_the_lead_changed(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Actions"]
    sheet["G2"] = "Red"
    sheet["H3"] = "10.01.18 - New entry\n\n• first\n• second"
    workbook.save(tmp_path / "returned.xlsx")
    returned = read_return(tmp_path / "returned.xlsx")
    with Document.open(sample_path, read_only=True) as doc:
        data = read_plan(doc)
    statuses, period = data.status_by_id(), data.periods[-1]
    barber = [a for a in data.actions if "DCC Barber" in a.leads]
    assert returned.name == "returned.xlsx"
    assert returned.plan_id == data.plan.id
    assert (returned.period_label, returned.lead) == ("Q2 2017/18", "DCC Barber")
    assert [u.action_id for u in returned.updates] == [a.id for a in barber]
    for update, action in zip(returned.updates, barber, strict=True):
        sent = data.update_for(action.id, period.id)
        assert update.base_status == statuses[sent.status_id].label
        assert update.base_text == sent.text
        assert (update.theme_number, update.ref) == ("7", action.ref)
    assert returned.updates[0].status == "Red"
    assert returned.updates[0].text == returned.updates[0].base_text
    assert returned.updates[1].text == "10.01.18 - New entry\n\n• first\n• second"
    assert returned.updates[1].status == returned.updates[1].base_status


def test_tampered_or_foreign_sheets_are_refused(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    workbook = openpyxl.load_workbook(out)
    workbook[ORIGIN_SHEET]["B2"] = None
    workbook.save(tmp_path / "no_plan_id.xlsx")
    message = "no_plan_id.xlsx was not exported from Scrutineer for a lead, so it cannot be merged."
    with pytest.raises(ScrutineerError, match=f"^{message}$"):
        read_return(tmp_path / "no_plan_id.xlsx")

    workbook = openpyxl.load_workbook(out)
    workbook["Actions"]["C2"] = "XXX"
    workbook.save(tmp_path / "moved.xlsx")
    with pytest.raises(ScrutineerError, match="no longer holds action 7F05"):
        read_return(tmp_path / "moved.xlsx")

    foreign = openpyxl.Workbook()
    foreign.active.append(["Name", "Age"])
    foreign.save(tmp_path / "foreign.xlsx")
    with pytest.raises(ScrutineerError, match=r"foreign\.xlsx was not exported from Scrutineer"):
        read_return(tmp_path / "foreign.xlsx")

    (tmp_path / "text.xlsx").write_text("hello")
    with pytest.raises(ScrutineerError, match=r"text\.xlsx is not an Excel workbook"):
        read_return(tmp_path / "text.xlsx")


def test_template_sheet_without_origin_matches_by_theme_and_ref(
    sample_path: Path, tmp_path: Path
) -> None:
    export_file(sample_path, tmp_path / "whole.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "whole.xlsx")
    workbook["Actions"]["G2"] = "Blue"
    workbook.save(tmp_path / "whole.xlsx")
    returned = read_return(tmp_path / "whole.xlsx")
    assert returned.plan_id is None and returned.lead is None
    assert returned.period_label == "Q2 2017/18"
    assert len(returned.updates) == 20
    first = returned.updates[0]
    assert (first.action_id, first.theme_number, first.ref, first.status) == (
        None,
        "7",
        "7C01",
        "Blue",
    )
    assert first.base_status is None and first.base_text == ""


def test_unknown_lead_names_the_plans_leads(sample_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ScrutineerError, match="led by Nobody; the plan's leads are: ACC Prior, "):
        export_file(sample_path, tmp_path / "x.xlsx", lead="Nobody")
    assert not (tmp_path / "x.xlsx").exists()


def test_plan_without_statuses_offers_update_only(tmp_path: Path) -> None:
    plan = {
        "plan": {"title": "No scheme"},
        "periods": [{"label": "P1"}],
        "themes": [{"number": "1", "actions": [{"activity": "One", "leads": ["Council"]}]}],
    }
    with create_plan(tmp_path / "plain.scrutiny", plan) as doc:
        count = write_lead_sheet(doc, tmp_path / "council.xlsx", lead="Council", period_label=None)
    assert count == 1
    workbook = openpyxl.load_workbook(tmp_path / "council.xlsx")
    sheet = workbook["Actions"]
    assert sheet.data_validations.dataValidation == []
    assert sheet["G2"].protection.locked and not sheet["H2"].protection.locked
    assert "Status key" not in workbook.sheetnames
    sheet["H2"] = "Done it"
    workbook.save(tmp_path / "council.xlsx")
    [update] = read_return(tmp_path / "council.xlsx").updates
    assert (update.ref, update.status, update.text, update.base_text) == ("", None, "Done it", "")


def test_long_scheme_uses_the_status_key_as_the_list(tmp_path: Path) -> None:
    statuses = [{"label": f"Status, number {i}", "colour": "#00FF00"} for i in range(3)]
    plan = {
        "plan": {"title": "Commas"},
        "statuses": statuses,
        "periods": [{"label": "P1"}],
        "themes": [{"number": "1", "actions": [{"ref": "1", "activity": "A", "leads": ["X"]}]}],
    }
    with create_plan(tmp_path / "commas.scrutiny", plan) as doc:
        write_lead_sheet(doc, tmp_path / "x.xlsx", lead="X", period_label="P1")
    [validation] = openpyxl.load_workbook(tmp_path / "x.xlsx")[
        "Actions"
    ].data_validations.dataValidation
    assert validation.formula1 == "'Status key'!$A$2:$A$4"


def test_texts_come_back_exactly_as_sent(sample_doc: Document, tmp_path: Path) -> None:
    from db import edits

    data = read_plan(sample_doc)
    action = next(a for a in data.actions if "KD" in a.leads)
    padded = "  Indented start,\r\ntrailing space and newline \n"
    edits.set_update(sample_doc, action.id, data.periods[-1].id, text=padded)
    write_lead_sheet(sample_doc, tmp_path / "kd.xlsx", lead="KD", period_label=None)
    returned = read_return(tmp_path / "kd.xlsx")
    first = next(u for u in returned.updates if u.action_id == action.id)
    assert first.base_text == padded
    assert first.text == padded


def test_a_returned_sheet_merges_into_the_plan(sample_doc: Document, tmp_path: Path) -> None:
    from exports.returns import merge_into

    before = read_plan(sample_doc)
    period = before.periods[-1]
    write_lead_sheet(sample_doc, tmp_path / "kd.xlsx", lead="KD", period_label=None)
    workbook = openpyxl.load_workbook(tmp_path / "kd.xlsx")
    sheet = workbook["Actions"]
    ref = sheet["C2"].value
    sheet["G2"] = "Red"
    sheet["H2"] = "Rewritten by the lead"
    workbook.save(tmp_path / "kd.xlsx")
    merge_into(sample_doc, tmp_path / "kd.xlsx")
    after = read_plan(sample_doc)
    for action in after.actions:
        update, old = (
            after.update_for(action.id, period.id),
            before.update_for(action.id, period.id),
        )
        if action.ref == ref:
            assert update.text == "Rewritten by the lead"
            assert after.status_by_id()[update.status_id].label == "Red"
        else:
            assert (update.text, update.status_id) == (old.text, old.status_id)


def test_the_sheet_shows_the_previous_update_and_the_note_sent_back(
    sample_doc: Document, tmp_path: Path
) -> None:
    from db import edits, signoff
    from exports.returns import merge_into

    edits.add_period(sample_doc, "Q3 2017/18")
    data = read_plan(sample_doc)
    period, before = data.periods[-1], data.periods[-2]
    mine = [a for a in data.actions if "KD" in a.leads]
    first = mine[0]
    edits.set_update(sample_doc, first.id, before.id, text='=HYPERLINK("x") last quarter\'s words')
    edits.set_update(sample_doc, first.id, period.id, text="This quarter, thin.")
    update_id = read_plan(sample_doc).update_for(first.id, period.id).id
    signoff.submit(sample_doc, update_id)
    signoff.send_back(sample_doc, update_id, note="Please say what the pilot found.")
    out = tmp_path / "kd.xlsx"
    write_lead_sheet(sample_doc, out, lead="KD", period_label=None)

    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Actions"]
    headers = [c.value for c in sheet[1]]
    previous = headers.index(f"Your previous update ({before.label})") + 1
    note = headers.index("Note from the office") + 1
    update = headers.index("Update") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == first.ref)
    assert sheet.cell(row, previous).value == '=HYPERLINK("x") last quarter\'s words'
    assert sheet.cell(row, previous).data_type == "s"  # a text, never a formula
    assert sheet.cell(row, note).value == "Please say what the pilot found."
    assert all(
        sheet.cell(r, note).value in (None, "") for r in range(2, sheet.max_row + 1) if r != row
    )
    for r in range(2, sheet.max_row + 1):  # read-only beside the cells to fill
        assert sheet.cell(r, previous).protection.locked and sheet.cell(r, note).protection.locked
    assert not sheet.cell(row, update).protection.locked

    # The lead answers, and types over the read-only columns too: only the answer comes in.
    untouched = read_return(out)
    sheet.cell(row, update).value = "The pilot found fewer repeat victims."
    sheet.cell(row, previous).value = "forged previous"
    sheet.cell(row, note).value = "=1+1"
    workbook.save(out)
    returned = read_return(out)
    assert [(u.action_id, u.base_text, u.base_status, u.status) for u in returned.updates] == [
        (u.action_id, u.base_text, u.base_status, u.status) for u in untouched.updates
    ]
    merge_into(sample_doc, out)
    after = read_plan(sample_doc)
    assert after.update_for(first.id, period.id).text == "The pilot found fewer repeat victims."
    assert after.update_for(first.id, before.id).text == '=HYPERLINK("x") last quarter\'s words'
    assert signoff.sign_off(sample_doc, update_id).state == "submitted"


def test_columns_with_nothing_to_show_are_left_out(sample_path: Path, tmp_path: Path) -> None:
    out = barber_sheet(sample_path, tmp_path)
    headers = [c.value for c in openpyxl.load_workbook(out)["Actions"][1]]
    assert "Note from the office" not in headers  # nothing was sent back


def test_a_return_sheet_with_a_second_update_column_is_refused(
    sample_path: Path, tmp_path: Path
) -> None:
    """Which of two Update columns is the lead's? Refused whole, as the import refuses it."""
    out = barber_sheet(sample_path, tmp_path)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Actions"]
    free = sheet.max_column + 1
    sheet.cell(1, free, "Progress")
    sheet.cell(2, free, "Text that would land on the action")
    workbook.save(tmp_path / "returned.xlsx")
    with pytest.raises(
        ScrutineerError, match=r"^The Actions sheet of returned.xlsx has two Update"
    ):
        read_return(tmp_path / "returned.xlsx")
