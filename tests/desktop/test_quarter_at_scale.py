"""A quarter of a 2,000-action plan with a dozen leads, run from the window as the office runs it.

Each step is one test on the real main window: add the period, send every lead their sheet,
merge the dozen returns, resolve the clashes, sign off 200 updates in a few selections, lock,
print. The plan each step starts from is built once for the module through the db API (the
steps before it, done headless) and copied for the test, so the tests stay independent.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from bench import generate
from db import clashes, edits, reads, signoff
from db.build import create_plan
from db.document import Document
from tests.desktop.gui import click_row, make_window, type_update

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ACTIONS = 2_000
LEADS = (
    "Kevin Dennis", "Claire Robinson", "Rob Griffin", "Amanda Hall", "Simon Torr", "Priya Shah",
    "Mark Holt", "Jo Bell", "Tom Wright", "Nadia Khan", "Paul Evans", "Sue Marsh",
)  # fmt: skip
PERIOD = "Q1 2016/17"
HEADING = "QRT 1 UPDATE (April 2016 to June 2016)"
OFFICE = "OPCC: the office's own note, written while the returns were out."
# Two co-led actions both leads write to, and one the office writes to meanwhile: the clashes.
CLASHES = 3


def _copy(path: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(path, tmp_path / "plan.scrutiny"))


def _open(qtbot, tmp_path: Path, path: Path):
    return make_window(qtbot, tmp_path / "settings", _copy(path, tmp_path))


def _period_id(doc: Document) -> str:
    return next(p.id for p in reads.periods(doc) if p.label == PERIOD)


def _text(path: Path, ref: str) -> str:
    with Document.open(path, read_only=True) as doc:
        action = next(a for a in reads.actions(doc) if a.ref == ref)
        return reads.update(doc, action.id, _period_id(doc)).text


def _written(lead: str, ref: str) -> str:
    return f"{lead}: {ref} is on track; the partnership meets again in July."


@dataclass
class Quarter:
    """The plan before each step, and what the leads and the office wrote."""

    plan: Path  # four published quarters, nothing of the new one
    with_period: Path  # the new quarter added
    returns: list[Path]  # each lead's sheet, filled in
    merged: Path  # every return merged, the office's own edit clashing
    resolved: Path  # every clash resolved
    signed: Path  # every update accepted and the quarter locked
    office_ref: str  # the action the office wrote to while the returns were out
    co_led: list[tuple[str, str, str]]  # (ref, first lead, second lead) both writing


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> Quarter:
    """Build the plan and, headless, the state after each step of the quarter."""
    folder = tmp_path_factory.mktemp("quarter")
    plan = folder / "plan.scrutiny"
    data = generate.plan_data(ACTIONS, leads=LEADS, periods=4)
    with create_plan(plan, data, who="OPCC", text="Build the plan") as doc:
        for period in reads.periods(doc):
            edits.lock_period(doc, period.id, True)  # the last quarter is published

    with_period = Path(shutil.copy(plan, folder / "with period.scrutiny"))
    with Document.open(with_period, who="OPCC") as doc:
        edits.add_period(doc, PERIOD, "2016-04-01", "2016-06-30", HEADING)
        actions = reads.actions(doc)
        open_ids = set(reads.updates(doc, _period_id(doc)))
        shared = [a for a in actions if len(a.leads) == 2 and a.id in open_ids]
        co_led = [(a.ref, a.leads[0], a.leads[1]) for a in shared[:2]]
        theme_one = reads.themes(doc)[0].id
        office_ref = next(
            a.ref
            for a in actions
            if a.theme_id == theme_one and a.id in open_ids and len(a.leads) == 1
        )
        returns = _fill_returns(doc, folder / "returns", {r for r, _l, _s in co_led})

    merged = Path(shutil.copy(with_period, folder / "merged.scrutiny"))
    with Document.open(merged, who="OPCC") as doc:
        from exports.returns import merge_into

        action = next(a for a in reads.actions(doc) if a.ref == office_ref)
        edits.set_update(doc, action.id, _period_id(doc), text=OFFICE)
        for returned in returns:
            merge_into(doc, returned)
        assert clashes.open_clash_count(doc) == CLASHES

    resolved = Path(shutil.copy(merged, folder / "resolved.scrutiny"))
    with Document.open(resolved, who="OPCC") as doc:
        for clash in clashes.clashes(doc):
            clashes.resolve(doc, clash.id, "theirs")

    signed = Path(shutil.copy(resolved, folder / "signed.scrutiny"))
    with Document.open(signed, who="OPCC") as doc:
        period_id = _period_id(doc)
        signoff.set_states(doc, signoff.waiting(doc, period_id, drafts=True), "accepted")
        signoff.lock_period(doc, period_id)
    return Quarter(plan, with_period, returns, merged, resolved, signed, office_ref, co_led)


def _fill_returns(doc: Document, folder: Path, both_write: set[str]) -> list[Path]:
    """Write each lead's sheet and fill it in as the lead does in Excel.

    Of an action with two leads the first writes the update; of those in ``both_write`` the
    second writes one too. Every seventh is Amber, the rest Green.
    """
    from exports.sheets.lead_sheet import write_lead_sheet

    folder.mkdir()
    data = reads.read_plan(doc)
    first_lead = {a.ref: a.leads[0] for a in reads.actions(doc)}
    paths = []
    for lead in LEADS:
        path = folder / f"{lead}.xlsx"
        write_lead_sheet(doc, path, lead=lead, period_label=PERIOD, data=data)
        workbook = openpyxl.load_workbook(path)
        sheet = workbook["Actions"]
        headers = [c.value for c in sheet[1]]
        ref_at, status_at = headers.index("Ref") + 1, headers.index("Status") + 1
        update_at = headers.index("Update") + 1
        for row in range(2, sheet.max_row + 1):
            ref = sheet.cell(row, ref_at).value
            if first_lead.get(ref) != lead and ref not in both_write:
                continue
            sheet.cell(row, status_at).value = "Amber" if row % 7 == 0 else "Green"
            sheet.cell(row, update_at).value = _written(lead, ref)
        workbook.save(path)
        paths.append(path)
    return paths


# -- the steps ---------------------------------------------------------------------------------


def test_add_the_period_and_its_heading_prints(qtbot, quarter, tmp_path, told):
    from desktop.cli import main
    from ui.period_dialog import PeriodDialog

    window = _open(qtbot, tmp_path, quarter.plan)
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(PeriodDialog)
    assert dialog.isVisible()
    # The dialog proposes the quarter after the last; the person checks it and adds it.
    assert dialog.values() == {
        "label": PERIOD,
        "starts": "2016-04-01",
        "ends": "2016-06-30",
        "heading": HEADING,
    }
    qtbot.mouseClick(_button(dialog, "Add period"), Qt.MouseButton.LeftButton)
    assert window.view.shown_period().label == PERIOD
    doc = window.session.doc
    carried = len(reads.updates(doc, _period_id(doc)))
    assert carried > 0.9 * ACTIONS
    assert f"{carried:,} open actions carried forward" in window.statusBar().currentMessage()
    window.close()
    printed = tmp_path / "theme 1.pdf"
    assert main(["print", str(tmp_path / "plan.scrutiny"), "-o", str(printed), "--theme", "1"]) == 0
    assert HEADING in PdfReader(printed).pages[0].extract_text()


def _button(widget, text: str):
    from PySide6.QtWidgets import QAbstractButton

    return next(
        b for b in widget.findChildren(QAbstractButton) if b.text().replace("&", "") == text
    )


def test_send_every_lead_their_sheet_in_one_step(qtbot, quarter, tmp_path, told, monkeypatch):
    from ui.send_dialog import SendDialog

    reading = []
    real_read = reads.read_plan

    def read_plan(doc):
        reading.append(doc.path)
        return real_read(doc)

    monkeypatch.setattr(reads, "read_plan", read_plan)
    said = _progress(monkeypatch)
    window = _open(qtbot, tmp_path, quarter.with_period)
    window.send_action.trigger()
    dialog = window.findChild(SendDialog)
    assert dialog.lead.currentText() == "Every lead"
    qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    folder = tmp_path / "to the leads"
    folder.mkdir()
    told.folders = [str(folder)]
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.written_all), timeout=60000)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"plan – {lead} – Q1 2016-17.xlsx" for lead in LEADS)
    assert said == [
        f"Writing {lead}'s file, {n + 1} of 12… [{n}/12]" for n, lead in enumerate(sorted(LEADS))
    ]
    assert dialog.result.text().startswith(f"Wrote 12 files, one per lead, to {folder}.")
    # The plan is read once for the dozen sheets, not once a sheet.
    assert len(reading) == 1
    # Each lead's sheet holds their open actions of the quarter, and only theirs.
    doc = window.session.doc
    open_ids = set(reads.updates(doc, _period_id(doc)))
    hall = [a.ref for a in reads.actions(doc) if "Amanda Hall" in a.leads and a.id in open_ids]
    sheet = openpyxl.load_workbook(folder / "plan – Amanda Hall – Q1 2016-17.xlsx")["Actions"]
    headers = [c.value for c in sheet[1]]
    refs = [row[headers.index("Ref")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == hall and len(hall) > ACTIONS // 12
    window.close()


def _progress(monkeypatch) -> list[str]:
    """Record what the work tells its progress window ("Merging …, 3 of 12…")."""
    from ui import tasks

    said: list[str] = []
    real_say = tasks.Cancel.say

    def say(cancel: tasks.Cancel, text: str, done: int = 0, total: int = 0) -> None:
        said.append(f"{text} [{done}/{total}]")
        real_say(cancel, text, done, total)

    monkeypatch.setattr(tasks.Cancel, "say", say)
    return said


def test_merge_a_dozen_returns_with_progress(qtbot, quarter, tmp_path, told, monkeypatch):
    from ui import messages
    from ui.merge_dialog import MergeDialog

    said = _progress(monkeypatch)
    window = _open(qtbot, tmp_path, quarter.with_period)
    plan = tmp_path / "plan.scrutiny"
    # While the returns were out the office wrote one of the updates itself.
    click_row(qtbot, window, quarter.office_ref)
    type_update(qtbot, window, OFFICE)
    chosen = [str(p) for p in quarter.returns]
    monkeypatch.setattr(messages, "open_paths", lambda *a: chosen)
    window.merge_action.trigger()
    dialog = window.findChild(MergeDialog)
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=60000)
    assert said == [
        f"Merging {p.name}, {n + 1} of 12… [{n}/12]" for n, p in enumerate(quarter.returns)
    ]
    assert len(dialog.reports) == 12 and not dialog.refused
    came_in = sum(len(r.came_in) for r in dialog.reports)
    assert came_in > ACTIONS * 0.9
    assert dialog.summary.text() == (
        f"Merged 12 of 12 returns: {came_in:,} changes came in, {CLASHES} clashes to resolve."
    )
    assert window.clash_note.text().startswith(f"{CLASHES} clashes open")
    dialog.close()
    window.close()
    ref, first, _second = quarter.co_led[0]
    assert _text(plan, ref) == _written(first, ref)  # the first lead's came in; the second clashed
    assert _text(plan, quarter.office_ref) == OFFICE
    some = next(r for r in _first_refs(plan, LEADS[3]) if r != quarter.office_ref)
    assert _text(plan, some) == _written(LEADS[3], some)


def _first_refs(path: Path, lead: str) -> list[str]:
    with Document.open(path, read_only=True) as doc:
        return [a.ref for a in reads.actions(doc) if a.leads and a.leads[0] == lead]


def test_resolve_the_clashes_in_the_clash_dialog(qtbot, quarter, tmp_path, told):
    from ui.clash_dialog import ClashDialog

    window = _open(qtbot, tmp_path, quarter.merged)
    plan = tmp_path / "plan.scrutiny"
    assert window.clash_note.isVisible()
    window.clashes_action.trigger()
    dialog = window.findChild(ClashDialog)
    assert dialog.heading.text().startswith(f"Clash 1 of {CLASHES}: ")
    chosen = {}
    for choice in ("theirs", "mine", "combined"):
        clash = dialog.current
        ref = clash.ref.split(" ")[0]
        if choice == "combined":
            dialog.combination.setFocus()
            qtbot.keyClick(dialog.combination, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(dialog.combination, f"Both leads agree on {ref}.")
            button, chosen[ref] = dialog.use_combination, f"Both leads agree on {ref}."
        else:
            side = dialog.theirs if choice == "theirs" else dialog.mine
            button = dialog.take_theirs if choice == "theirs" else dialog.take_mine
            chosen[ref] = side.toPlainText()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not window.clash_note.isVisible() and not window.clashes_action.isEnabled()
    window.close()
    assert {ref: _text(plan, ref) for ref in chosen} == chosen
    assert {quarter.office_ref, *(r for r, _f, _s in quarter.co_led)} == set(chosen)


def _row_rect(table, row: int):
    table.scrollTo(table.model().index(row, 0))
    return table.visualRect(table.model().index(row, 0))


def test_sign_off_200_updates_in_a_few_selections(qtbot, quarter, tmp_path, told):
    from ui.signoff_dialog import SignOffDialog

    window = _open(qtbot, tmp_path, quarter.resolved)
    window.signoff_action.trigger()
    dialog = window.findChild(SignOffDialog)
    table = dialog.table
    assert table.rowCount() > ACTIONS * 0.9
    left = Qt.MouseButton.LeftButton
    shift = Qt.KeyboardModifier.ShiftModifier
    # Four runs of fifty: click the first, Shift-click the last, Accept. Accept moves on to
    # the row after the run, so each run after the first starts already selected.
    qtbot.mouseClick(table.viewport(), left, pos=_row_rect(table, 0).center())
    for run in range(4):
        assert dialog.selected() == [dialog.update_ids[run * 50]]
        qtbot.mouseClick(table.viewport(), left, shift, _row_rect(table, run * 50 + 49).center())
        assert len(dialog.selected()) == 50
        qtbot.mouseClick(dialog.accept_button, left)
    states = dialog.states
    assert states[:200] == ["accepted"] * 200 and "accepted" not in states[200:]
    assert dialog.summary.text().startswith("200 accepted, ")
    assert f"{states.count('submitted'):,} submitted" in dialog.summary.text()
    window.close()
    with Document.open(tmp_path / "plan.scrutiny", read_only=True) as doc:
        accepted = {u for u in dialog.update_ids[:200]}
        assert signoff.accepted_ids(doc) >= accepted
        assert len(signoff.unfinished(doc, _period_id(doc))) == len(dialog.update_ids) - 200


def test_lock_the_quarter_once_everything_is_signed_off(qtbot, quarter, tmp_path, told):
    from ui.signoff_dialog import SignOffDialog

    window = _open(qtbot, tmp_path, quarter.resolved)
    # Locking too early offers the sign-off; there everything waiting is accepted at once.
    told.answers = ["Sign off updates…", "Accept drafts too"]
    window.lock_action.trigger()
    waiting = told.texts("question")[0]
    assert waiting.startswith("Q1 2016/17 cannot be locked yet: ")
    dialog = window.findChild(SignOffDialog)
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.accept_all_button, Qt.MouseButton.LeftButton)
    assert set(dialog.states) == {"accepted"}
    qtbot.mouseClick(dialog.lock_button, Qt.MouseButton.LeftButton)
    assert told.texts("info")[-1] == "Q1 2016/17 is locked."
    dialog.close()
    assert window.view.shown_period().locked
    assert window.lock_action.text() == "Un&lock period"
    window.close()
    with Document.open(tmp_path / "plan.scrutiny", read_only=True) as doc:
        assert next(p for p in reads.periods(doc) if p.label == PERIOD).locked


def test_print_the_quarter(qtbot, quarter, tmp_path, told, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    from ui.print_dialog import PrintDialog

    window = _open(qtbot, tmp_path, quarter.signed)
    window.print_action.trigger()
    dialog = window.findChild(PrintDialog)
    assert dialog.period.currentText() == PERIOD
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=120000)
    printed = tmp_path / "printed.pdf"

    def to_pdf(printer: QPrinter) -> bool:
        # What the person picks in the print dialog: the PDF printer, every page.
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(dialog, "ask_printer", to_pdf)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == f"Sent {len(dialog.pages)} pages."
    window.close()
    pages = PdfReader(io.BytesIO(printed.read_bytes())).pages
    assert len(pages) == len(dialog.pages) > ACTIONS // 10
    assert HEADING in pages[0].extract_text()
    # The first action's lead wrote its update in their sheet; it came in and prints.
    with Document.open(quarter.signed, read_only=True) as doc:
        first = reads.actions(doc)[0]
    opening = " ".join(" ".join(p.extract_text() for p in pages[:3]).split())
    assert _written(first.leads[0], first.ref) in opening


def test_the_leads_names_fit_their_column(qtbot, quarter, tmp_path, told):
    window = _open(qtbot, tmp_path, quarter.plan)
    tree = window.view.tree
    widest = max(tree.fontMetrics().horizontalAdvance(lead) for lead in LEADS)
    assert tree.header().sectionSize(3) > widest
    window.close()
