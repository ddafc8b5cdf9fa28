"""The clash dialog, driven as a person would: read both sides, type a combination, click."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from db import clashes, edits, merge, reads
from db.document import Document
from ui.clash_dialog import ClashDialog
from ui.session import Session

# The offscreen platform cannot size a shown window to its hints, and says so; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _stored(path: Path, ref: str) -> tuple[str | None, str]:
    """Return (status label, update text) of ``ref`` as a fresh connection reads the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT s.label, u.text FROM updates u JOIN actions a ON a.id = u.action_id "
            "LEFT JOIN statuses s ON s.id = u.status_id WHERE a.ref = ?",
            (ref,),
        ).fetchone()
    finally:
        conn.close()
    return row[0], row[1]


def _status(doc: Document, code: str) -> str:
    return next(s.id for s in reads.statuses(doc) if s.code == code)


@pytest.fixture
def clash_doc(sample_doc: Document, tmp_path: Path) -> Document:
    """Return the sample plan after merging a return that clashes over 7C01's text and 7C02's status."""
    return _clashing(sample_doc, tmp_path / "kd.scrutiny")


def _clashing(sample_doc: Document, returned: Path) -> Document:
    """Merge into the sample a return, saved as ``returned``, that clashes twice."""
    sample_doc.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        actions = {a.ref: a.id for a in reads.actions(copy)}
        period = reads.periods(copy)[-1].id
        edits.set_update(copy, actions["7C01"], period, text="KD: alliance agreed.")
        edits.set_update(copy, actions["7C02"], period, status_id=_status(copy, "R"))
    actions = {a.ref: a.id for a in reads.actions(sample_doc)}
    period = reads.periods(sample_doc)[-1].id
    edits.set_update(sample_doc, actions["7C01"], period, text="OPCC: awaiting decision.")
    edits.set_update(sample_doc, actions["7C02"], period, status_id=_status(sample_doc, "B"))
    with Document.open(returned, read_only=True) as theirs:
        assert len(merge.merge_copy(sample_doc, theirs).clashes) == 2
    return sample_doc


def test_a_long_returned_file_name_leaves_the_three_panes_equal(
    qtbot, sample_doc: Document, tmp_path: Path
) -> None:
    name = "Sample plan – Assistant Chief Constable Prior – Q2 2017-18 (returned).scrutiny"
    dialog = ClashDialog(_clashing(sample_doc, tmp_path / name))
    qtbot.addWidget(dialog)
    dialog.resize(960, 480)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert name in dialog.theirs_label.text().replace("\n", " ")
    widths = [pane.width() for pane in (dialog.mine, dialog.theirs, dialog.combination)]
    assert max(widths) - min(widths) <= 2, widths


def test_each_clash_side_by_side_then_combination_then_theirs(qtbot, clash_doc: Document) -> None:
    dialog = ClashDialog(clash_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.heading.text() == "Clash 1 of 2: 7C01 (Q2 2017/18), update"
    assert dialog.mine.toPlainText() == "OPCC: awaiting decision."
    assert dialog.theirs.toPlainText() == "KD: alliance agreed."
    assert "kd.scrutiny (KD)" in dialog.theirs_label.text()
    assert dialog.use_combination.isEnabled()
    # The person clears the suggested combination and types their own.
    dialog.combination.setFocus()
    qtbot.keyClick(dialog.combination, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.combination, "OPCC and KD: alliance agreed, decision awaited.")
    qtbot.mouseClick(dialog.use_combination, Qt.MouseButton.LeftButton)
    assert _stored(clash_doc.path, "7C01")[1] == "OPCC and KD: alliance agreed, decision awaited."
    # The status clash comes next; a status cannot be combined.
    assert dialog.heading.text() == "Clash 1 of 1: 7C02 (Q2 2017/18), status"
    assert (dialog.mine.toPlainText(), dialog.theirs.toPlainText()) == ("Blue", "Red")
    assert not dialog.use_combination.isEnabled()
    qtbot.mouseClick(dialog.take_theirs, Qt.MouseButton.LeftButton)
    assert _stored(clash_doc.path, "7C02")[0] == "Red"
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert clashes.open_clash_count(clash_doc) == 0


def test_take_mine_keeps_the_plan_and_later_leaves_a_clash_open(qtbot, clash_doc: Document) -> None:
    dialog = ClashDialog(clash_doc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.later, Qt.MouseButton.LeftButton)
    assert "7C02" in dialog.heading.text()
    qtbot.mouseClick(dialog.take_mine, Qt.MouseButton.LeftButton)
    assert _stored(clash_doc.path, "7C02")[0] == "Blue"
    assert [c.ref for c in clashes.clashes(clash_doc)] == ["7C01 (Q2 2017/18)"]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert _stored(clash_doc.path, "7C01")[1] == "OPCC: awaiting decision."


def test_resolving_goes_on_the_windows_undo_stack(qtbot, clash_doc: Document) -> None:
    window = QWidget()  # holds no session: the dialog is handed it
    qtbot.addWidget(window)
    session = Session(clash_doc, window)
    dialog = ClashDialog(clash_doc, window, session=session)
    dialog.show()
    qtbot.mouseClick(dialog.take_theirs, Qt.MouseButton.LeftButton)
    assert _stored(clash_doc.path, "7C01")[1] == "KD: alliance agreed."
    stack = session.stack
    assert stack.count() == 1 and stack.undoText().startswith("Take theirs for 7C01")
    stack.undo()
    assert _stored(clash_doc.path, "7C01")[1] == "OPCC: awaiting decision."
    assert clashes.open_clash_count(clash_doc) == 2
