"""The send dialog: a copy or a lead's sheet, written where the save dialog says."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from db import reads
from db.document import Document
from db.safety import check_file
from ui.send_dialog import SendDialog

# The offscreen platform cannot size a shown window to its hints, and says so; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def send_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Answer the save dialog with a file in the test folder; record what it suggested."""
    asked: list[str] = []

    def answer(parent, title, suggested, filters):
        asked.append(suggested)
        return str(tmp_path / "out" / Path(suggested).name), filters

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def test_send_a_copy_of_the_plan(
    qtbot, sample_doc: Document, send_to: list[str], tmp_path: Path
) -> None:
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.lead.setCurrentText("KD")
    assert not dialog.period.isEnabled()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert Path(send_to[0]).name == "sample for KD.scrutiny"
    written = tmp_path / "out" / "sample for KD.scrutiny"
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    assert dialog.written == written and check_file(written).ok
    with Document.open(written, read_only=True) as copy:
        assert len(reads.actions(copy)) == len(reads.actions(sample_doc))
    assert "sample for KD.scrutiny" in dialog.result.text()


def test_send_a_return_sheet_for_one_lead(
    qtbot, sample_doc: Document, send_to: list[str], tmp_path: Path
) -> None:
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    assert dialog.period.isEnabled()
    dialog.lead.setCurrentText("CR")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    # Named by lead and period, so a dozen of them in one folder stay apart.
    written = tmp_path / "out" / "sample – CR – Q2 2017-18.xlsx"
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=20000)
    assert dialog.written == written
    rows = list(openpyxl.load_workbook(written)["Actions"].iter_rows(min_row=2, values_only=True))
    expected = [a.ref for a in reads.actions(sample_doc) if "CR" in a.leads]
    assert [r[2] for r in rows] == expected
    assert dialog.result.text().startswith(f"Wrote {len(expected)} actions for CR")


def test_cancelling_the_save_dialog_writes_nothing(
    qtbot, sample_doc: Document, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: "")
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)  # every lead: no folder
    dialog.lead.setCurrentText("KD")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert dialog.written is None
    assert not list(tmp_path.glob("*for*")) and not list(tmp_path.glob("*.xlsx"))


def test_every_lead_gets_a_file_of_their_own_and_the_choices_are_remembered(
    qtbot, sample_doc: Document, monkeypatch, tmp_path: Path
) -> None:
    from desktop.app import make_settings

    folder = tmp_path / "to send"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(folder))
    settings = make_settings(tmp_path / "settings")
    dialog = SendDialog(sample_doc, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.lead.currentText() == "Every lead"
    qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.written_all), timeout=20000)
    leads = reads.leads(sample_doc)
    written = sorted(p.name for p in folder.iterdir())
    # One workbook per lead with an open action this period, named by lead and period.
    assert "sample – KD – Q2 2017-18.xlsx" in written
    assert len(written) == len(dialog.written_all) and 1 < len(written) <= len(leads)
    kd = openpyxl.load_workbook(folder / "sample – KD – Q2 2017-18.xlsx")["Actions"]
    refs = {row[2] for row in kd.iter_rows(min_row=2, values_only=True) if row[2]}
    assert refs == {"7C01", "7C06", "7C07", "7C08"}
    assert dialog.result.text().startswith(f"Wrote {len(written)} files, one per lead, to ")
    # The next time, the dialog offers the same format and folder.
    again = SendDialog(sample_doc, settings=settings)
    qtbot.addWidget(again)
    assert again.as_sheet.isChecked()
    again.lead.setCurrentText("CR")
    assert again.suggested() == folder / "sample – CR – Q2 2017-18.xlsx"


def _cancel_in_progress(qtbot, parent, release) -> str:
    """Press Cancel in the progress window over ``parent``, then let the work go on."""
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is not None, timeout=20000)
    progress = parent.findChild(QProgressDialog)
    qtbot.waitUntil(progress.isVisible)
    said = progress.labelText()
    (button,) = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    release.set()
    return said


def _send_folder(monkeypatch, tmp_path: Path) -> Path:
    """Return the folder "Every lead" is sent to, chosen at once, with progress shown at once."""
    from ui import tasks

    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    folder = tmp_path / "to send"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(folder))
    return folder


def _second_sheet_held(monkeypatch):
    """Hold the second lead's sheet until the returned event is set; record each lead."""
    import threading

    from exports.sheets import lead_sheet

    real, release, calls = lead_sheet.write_lead_sheet, threading.Event(), []

    def slow(*args, **kwargs):
        calls.append(kwargs["lead"])
        if len(calls) == 2:  # the second lead's file takes a while
            assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(lead_sheet, "write_lead_sheet", slow)
    return calls, release


def test_sending_to_every_lead_shows_progress_and_cancel_leaves_no_file(
    qtbot, sample_doc: Document, monkeypatch, tmp_path: Path
) -> None:
    folder = _send_folder(monkeypatch, tmp_path)
    calls, release = _second_sheet_held(monkeypatch)
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=20000)
    said = _cancel_in_progress(qtbot, dialog, release)
    count = len(reads.leads(sample_doc))
    assert said in (f"Writing {count} files…", f"Writing {calls[1]}'s file, 2 of {count}…")
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=20000)
    assert len(calls) == 2  # stopped before the third file
    assert list(folder.iterdir()) == []  # and took back the two it wrote
    assert dialog.result.text() == "Cancelled: no file was written."
    assert dialog.send_button.isEnabled()


def test_sending_to_one_lead_shows_progress_and_cancel_leaves_no_file(
    qtbot, sample_doc: Document, monkeypatch, send_to: list[str], tmp_path: Path
) -> None:
    import threading

    from exports.sheets import lead_sheet
    from ui import tasks

    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    real, release, calls = lead_sheet.write_lead_sheet, threading.Event(), []

    def slow(*args, **kwargs):
        calls.append(kwargs["lead"])
        assert release.wait(20)  # the sheet takes a while: the window stays responsive
        return real(*args, **kwargs)

    monkeypatch.setattr(lead_sheet, "write_lead_sheet", slow)
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    dialog.lead.setCurrentText("CR")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: calls == ["CR"], timeout=20000)
    assert not dialog.send_button.isEnabled()  # the click returned while the sheet is written
    said = _cancel_in_progress(qtbot, dialog, release)
    assert said == "Writing sample – CR – Q2 2017-18.xlsx…"
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=20000)
    assert list((tmp_path / "out").iterdir()) == []  # the sheet written meanwhile is taken back
    assert dialog.written is None
    assert dialog.result.text() == "Cancelled: no file was written."
    assert dialog.send_button.isEnabled()


def test_every_lead_asks_before_replacing_and_cancel_keeps_the_older_files(
    qtbot, sample_doc: Document, monkeypatch, tmp_path: Path
) -> None:
    from ui import messages

    folder = _send_folder(monkeypatch, tmp_path)
    older = folder / "sample – KD – Q2 2017-18.xlsx"
    older.write_bytes(b"last quarter's sheet")
    asked: list[str] = []
    answers = ["Cancel", "Replace 1 file"]
    monkeypatch.setattr(
        messages, "choose", lambda text, choices, default=None: asked.append(text) or answers.pop(0)
    )
    calls, release = _second_sheet_held(monkeypatch)
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.as_sheet, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)  # asked; says Cancel
    assert asked[0].startswith("sample – KD – Q2 2017-18.xlsx already in to send")
    assert calls == [] and [p.name for p in folder.iterdir()] == [older.name]
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)  # asked; says Replace
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=20000)
    _cancel_in_progress(qtbot, dialog, release)
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=20000)
    assert [p.name for p in folder.iterdir()] == [older.name]
    assert older.read_bytes() == b"last quarter's sheet"
