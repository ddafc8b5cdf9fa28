"""Issue 13's round trip through the window: two leads, one copy and one sheet, one clash."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from db import edits, reads, signoff
from db.document import Document
from desktop.cli import main
from tests.desktop.gui import click_row, type_update, wait_merged

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SECRET = "Operation Nightjar"


def _send(qtbot, window, told, lead: str, path: Path, *, sheet: bool) -> None:
    """File ▸ Send to lead…, choose the lead and the format, and save where asked."""
    from ui.send_dialog import SendDialog

    window.send_action.trigger()
    dialog = [d for d in window.findChildren(SendDialog) if d.isVisible()][-1]
    dialog.lead.setCurrentText(lead)
    if sheet:
        qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    told.save_paths = [str(path)]
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    # The file is written off the GUI thread.
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    assert dialog.written == path and path.exists()
    dialog.close()


def _merge(window, monkeypatch, path: Path):
    """File ▸ Merge returns…, choosing ``path``; return the merge dialog."""
    from ui import messages
    from ui.merge_dialog import MergeDialog

    monkeypatch.setattr(messages, "open_paths", lambda *a: [str(path)])
    window.merge_action.trigger()
    dialogs = [d for d in window.findChildren(MergeDialog) if d.path == path]
    assert len(dialogs) == 1
    wait_merged(dialogs[0])
    assert dialogs[0].error is None
    return dialogs[0]


def _fill_row(path: Path, ref: str, status: str, text: str) -> None:
    """Change the Status and Update cells of one row, as the lead does in Excel."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Actions"]
    headers = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, headers.index("Ref") + 1).value == ref:
            sheet.cell(row, headers.index("Status") + 1).value = status
            sheet.cell(row, headers.index("Update") + 1).value = text
    workbook.save(path)


def test_two_leads_return_a_copy_and_a_sheet_and_one_clash_is_resolved_in_the_dialog(
    qtbot, window, told, sample_path, tmp_path, monkeypatch
):
    from ui.clash_dialog import ClashDialog

    doc = window.session.doc
    period = reads.periods(doc)[-1]
    refs = {a.ref: a.id for a in reads.actions(doc)}
    # The office keeps one passage of 7C03 out of the public eye.
    window.session.commit(
        edits.set_update,
        refs["7C03"],
        period.id,
        text=f"See 7C05. [exempt: s.31(1)(a)]{SECRET} starts in May.[/exempt]",
    )
    kd, cr = tmp_path / "for KD.scrutiny", tmp_path / "for CR.xlsx"
    _send(qtbot, window, told, "KD", kd, sheet=False)
    _send(qtbot, window, told, "CR", cr, sheet=True)

    # KD fills in the copy in Scrutineer; CR fills in the sheet in Excel.
    with Document.open(kd, who="KD") as copy:
        edits.set_update(copy, refs["7C01"], period.id, text="KD: the alliance is agreed.")
    _fill_row(cr, "7C05", "Green", "CR: bids worth £2m submitted.")
    # Meanwhile the office writes 7C05's update itself.
    click_row(qtbot, window, "7C05")
    type_update(qtbot, window, "OPCC: bids being prepared.")

    first = _merge(window, monkeypatch, kd)
    assert (
        first.summary.text()
        == "Merged for KD.scrutiny (KD): 1 change came in, 0 clashes to resolve."
    )
    first.close()
    second = _merge(window, monkeypatch, cr)
    assert "1 clash to resolve" in second.summary.text()
    assert window.clash_note.isVisible()
    qtbot.mouseClick(second.resolve_button, Qt.MouseButton.LeftButton)
    clash = second.findChild(ClashDialog)
    assert clash.mine.toPlainText() == "OPCC: bids being prepared."
    assert clash.theirs.toPlainText() == "CR: bids worth £2m submitted."
    clash.combination.setFocus()
    qtbot.keyClick(clash.combination, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(clash.combination, "Bids prepared by the OPCC; CR submitted £2m.")
    qtbot.mouseClick(clash.use_combination, Qt.MouseButton.LeftButton)
    assert not window.clash_note.isVisible()
    window.close()

    # Nothing lost: each side's change is in the file, and the history says who and from where.
    with Document.open(sample_path, read_only=True) as office:
        updates = reads.updates(office, period.id)
        assert updates[refs["7C01"]].text == "KD: the alliance is agreed."
        assert updates[refs["7C05"]].text == "Bids prepared by the OPCC; CR submitted £2m."
        green = next(s.id for s in reads.statuses(office) if s.label == "Green")
        assert updates[refs["7C05"]].status_id == green
        assert SECRET in updates[refs["7C03"]].text
        who = {
            (h.who, h.origin)
            for h in reads.history(office, [updates[refs[r]].id for r in ("7C01", "7C05")])
            if h.field in ("text", "status_id")
        }
        # KD's text and CR's status came in; the clash over 7C05's text was settled here.
        assert {("KD", "for KD.scrutiny"), ("CR", "for CR.xlsx")} <= who
        assert signoff.sign_off(office, updates[refs["7C01"]].id).state == "submitted"

    # The public copy and the public print carry no byte of the exempt passage.
    public = tmp_path / "public.scrutiny"
    assert main(["export", str(sample_path), str(public), "--public"]) == 0
    assert SECRET.encode() not in public.read_bytes()
    assert SECRET.encode("utf-16-le") not in public.read_bytes()
    printed = tmp_path / "public.pdf"
    assert main(["print", str(sample_path), "-o", str(printed), "--public"]) == 0
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.read_bytes())).pages)
    assert "Nightjar" not in text and "[Exempt – s.31(1)(a)]" in text
