"""The action form's milestones table: add, type, remove, undo, as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db import reads
from db.document import Document
from ui.action_form import ActionForm
from ui.session import Session

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_phases_are_added_typed_removed_and_undone(qtbot, ui_empty_path: Path, tmp_path) -> None:
    session = Session(Document.open(ui_empty_path))
    form = ActionForm(session)
    qtbot.addWidget(form)
    form.resize(700, 800)
    form.show()
    doc = session.doc
    action = reads.actions(doc)[0]
    form.show_action(action.id, reads.periods(doc)[0].id)
    qtbot.mouseClick(form.milestones_button, Qt.MouseButton.LeftButton)
    assert form.milestones_dialog.isVisible()
    editor = form.milestones

    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [m.phase for m in reads.milestones(doc, action.id)] == ["New phase"]
    assert editor.table.rowCount() == 1
    assert form.milestones_button.text() == "&Milestones (1)…"

    for column, text in ((0, "Managerial Collaboration"), (1, "Aug 2010"), (2, "30/09/2010")):
        editor.table.setCurrentCell(0, column)
        editor.table.setFocus()
        qtbot.keyClick(editor.table, Qt.Key.Key_F2)
        line = editor.table.viewport().focusWidget() or editor.table.focusWidget()
        qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)
        qtbot.wait(20)  # the delegate commits a Return from the event loop
    milestone = reads.milestones(doc, action.id)[0]
    assert (milestone.phase, milestone.starts, milestone.ends) == (
        "Managerial Collaboration", "2010-08", "2010-09-30",
    )  # fmt: skip
    assert editor.table.item(0, 1).text() == "2010-08"
    assert session.stack.undoText().startswith("Edit ends of milestone Managerial Collaboration")

    session.stack.undo()
    assert reads.milestones(doc, action.id)[0].ends == ""
    assert editor.table.item(0, 2).text() == ""

    editor.table.selectRow(0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert reads.milestones(doc, action.id) == []
    assert editor.table.rowCount() == 0
    session.stack.undo()
    assert editor.table.rowCount() == 1
    form.grab().save(str(tmp_path / "form.png"))
    form.milestones_dialog.grab().save(str(tmp_path / "milestones.png"))
    session.close()
