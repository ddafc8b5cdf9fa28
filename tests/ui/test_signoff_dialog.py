"""The sign-off dialog: select an update, accept, send back, waive, then lock the period."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db import reads, signoff
from db.document import Document
from ui.signoff_dialog import SignOffDialog

# The offscreen platform cannot size a shown window to its hints, and says so; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _state(path: Path, ref: str) -> tuple[str, str]:
    """Return (state, note) of ``ref``'s latest update as a fresh connection reads the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT coalesce(s.state, 'draft'), coalesce(s.note, '') FROM updates u "
            "JOIN actions a ON a.id = u.action_id LEFT JOIN signoffs s ON s.update_id = u.id "
            "WHERE a.ref = ?",
            (ref,),
        ).fetchone()
    finally:
        conn.close()
    return row[0], row[1]


def _row(dialog: SignOffDialog, ref: str) -> int:
    return next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == ref)


def test_accept_send_back_and_waive_by_clicking(qtbot, sample_doc: Document, ui_messages) -> None:
    period = reads.periods(sample_doc)[-1].id
    for update in reads.updates(sample_doc, period).values():
        signoff.submit(sample_doc, update.id)
    dialog = SignOffDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.item(_row(dialog, "7C01"), 2).text() == "Submitted"
    dialog.table.selectRow(_row(dialog, "7C01"))
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert _state(sample_doc.path, "7C01") == ("accepted", "")
    dialog.table.selectRow(_row(dialog, "7C02"))
    qtbot.keyClicks(dialog.note, "Give the savings figure.")
    qtbot.mouseClick(dialog.send_back_button, Qt.MouseButton.LeftButton)
    assert _state(sample_doc.path, "7C02") == ("returned", "Give the savings figure.")
    assert dialog.table.item(_row(dialog, "7C02"), 2).text() == "Sent back"
    qtbot.mouseClick(dialog.lock_button, Qt.MouseButton.LeftButton)
    assert ui_messages[-1][0] == "error" and "still waiting: 7C02" in ui_messages[-1][1]
    dialog.table.selectRow(_row(dialog, "7C02"))
    qtbot.mouseClick(dialog.waive_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.accept_all_button, Qt.MouseButton.LeftButton)
    assert {_state(sample_doc.path, a.ref)[0] for a in reads.actions(sample_doc)} == {
        "accepted",
        "waived",
    }
    qtbot.mouseClick(dialog.lock_button, Qt.MouseButton.LeftButton)
    assert reads.periods(sample_doc)[-1].locked
    assert ui_messages[-1] == ("info", "Q2 2017/18 is locked.")


def _click(qtbot, dialog: SignOffDialog, ref: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    table = dialog.table
    rect = table.visualRect(table.model().index(_row(dialog, ref), 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_sign_off_many_at_once_with_shift_click_and_ctrl_a(
    qtbot, sample_doc: Document, ui_messages
) -> None:
    period = reads.periods(sample_doc)[-1].id
    refs = [a.ref for a in reads.actions(sample_doc)]
    by_action = reads.updates(sample_doc, period)
    for action in reads.actions(sample_doc)[:3]:
        signoff.submit(sample_doc, by_action[action.id].id)
    dialog = SignOffDialog(sample_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Shift-click selects a run; Accept takes all of it in one step and moves on.
    _click(qtbot, dialog, refs[0])
    _click(qtbot, dialog, refs[2], Qt.KeyboardModifier.ShiftModifier)
    assert len(dialog.selected()) == 3
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert [_state(sample_doc.path, r)[0] for r in refs[:4]] == ["accepted"] * 3 + ["draft"]
    assert dialog.table.currentRow() == 3 and len(dialog.selected()) == 1
    # Accept is offered only where there is something to accept.
    _click(qtbot, dialog, refs[0])
    assert not dialog.accept_button.isEnabled() and dialog.send_back_button.isEnabled()
    # Ctrl-click adds a row; the one note goes with both.
    _click(qtbot, dialog, refs[1], Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.note, "Give the figures.")
    qtbot.mouseClick(dialog.send_back_button, Qt.MouseButton.LeftButton)
    assert _state(sample_doc.path, refs[0]) == ("returned", "Give the figures.")
    assert _state(sample_doc.path, refs[1]) == ("returned", "Give the figures.")
    # The lead resubmits by e-mail: the office accepts the sent-back update.
    _click(qtbot, dialog, refs[0])
    assert dialog.accept_button.isEnabled()
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert _state(sample_doc.path, refs[0])[0] == "accepted"
    # Ctrl+A selects every row.
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.selected()) == len(refs)
    # Accepting everything waiting offers the office's own drafts too (the default answer).
    qtbot.mouseClick(dialog.accept_all_button, Qt.MouseButton.LeftButton)
    assert "Accept the drafts too?" in ui_messages[-1][1]
    states = {r: _state(sample_doc.path, r)[0] for r in refs}
    assert states.pop(refs[1]) == "returned"
    assert set(states.values()) == {"accepted"}
