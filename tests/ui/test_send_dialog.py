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
    written = tmp_path / "out" / "sample for CR.xlsx"
    assert dialog.written == written
    rows = list(openpyxl.load_workbook(written)["Actions"].iter_rows(min_row=2, values_only=True))
    expected = [a.ref for a in reads.actions(sample_doc) if "CR" in a.leads]
    assert [r[2] for r in rows] == expected
    assert dialog.result.text().startswith(f"Wrote {len(expected)} actions for CR")


def test_cancelling_the_save_dialog_writes_nothing(
    qtbot, sample_doc: Document, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    dialog = SendDialog(sample_doc)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert dialog.written is None
    assert not list(tmp_path.glob("*for*"))
