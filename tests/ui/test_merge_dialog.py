"""The merge dialog: the return comes in as it opens, the summary shows, clashes are resolved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from db import clashes, edits, reads
from db.document import Document
from ui.merge_dialog import MergeDialog
from ui.session import Session

# The offscreen platform cannot size a shown window to its hints, and says so; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _return(doc: Document, tmp_path: Path, **texts: str) -> Path:
    returned = tmp_path / "kd.scrutiny"
    doc.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        period = reads.periods(copy)[-1].id
        for action in reads.actions(copy):
            if action.ref in texts:
                edits.set_update(copy, action.id, period, text=texts[action.ref])
    return returned


def _text(doc: Document, ref: str) -> str:
    action = next(a for a in reads.actions(doc) if a.ref == ref)
    return reads.update(doc, action.id, reads.periods(doc)[-1].id).text


def test_summary_then_clash_resolved_from_the_dialog(
    qtbot, sample_doc: Document, tmp_path: Path
) -> None:
    returned = _return(sample_doc, tmp_path, **{"7C01": "KD's words.", "7C06": "KD on 7C06."})
    action = next(a for a in reads.actions(sample_doc) if a.ref == "7C01")
    edits.set_update(sample_doc, action.id, reads.periods(sample_doc)[-1].id, text="OPCC's words.")
    dialog = MergeDialog(sample_doc, returned)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "Merging kd.scrutiny…"
    assert not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.close_button.isEnabled()
    assert dialog.summary.text() == "Merged kd.scrutiny (KD): 1 change came in, 1 clash to resolve."
    lines = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert lines == [
        "came in: 7C06 (Q2 2017/18): update",
        "clash: 7C01 (Q2 2017/18), update: changed here and in kd.scrutiny",
    ]
    assert _text(sample_doc, "7C06") == "KD on 7C06."
    assert dialog.resolve_button.isEnabled()
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    resolver = dialog.clash_dialog
    assert resolver is not None and resolver.isVisible()
    qtbot.mouseClick(resolver.take_theirs, Qt.MouseButton.LeftButton)
    assert not resolver.isVisible()
    assert _text(sample_doc, "7C01") == "KD's words."
    assert not dialog.resolve_button.isEnabled()
    assert dialog.resolve_button.text() == "No clashes to resolve"


def test_refused_return_says_why_and_changes_nothing(
    qtbot, sample_doc: Document, tmp_path: Path
) -> None:
    returned = _return(sample_doc, tmp_path, **{"7C01": "KD's words."})
    conn = sqlite3.connect(returned)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON plan BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    before = sample_doc.path.read_bytes()
    dialog = MergeDialog(sample_doc, returned)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    assert dialog.summary.text().startswith("kd.scrutiny was refused and nothing was merged")
    assert dialog.report is None and dialog.details.count() == 0
    assert not dialog.resolve_button.isEnabled()
    assert sample_doc.path.read_bytes() == before


def test_the_merge_is_one_step_on_the_windows_undo_stack(
    qtbot, sample_doc: Document, tmp_path: Path
) -> None:
    returned = _return(sample_doc, tmp_path, **{"7C01": "KD's words.", "7C02": "KD on 7C02."})
    before = {ref: _text(sample_doc, ref) for ref in ("7C01", "7C02")}
    window = QWidget()  # holds no session: the dialog is handed it, not left to look for it
    qtbot.addWidget(window)
    session = Session(sample_doc, window)
    seen = []
    session.changed.connect(seen.append)
    dialog = MergeDialog(sample_doc, returned, window, session=session)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert len(dialog.report.came_in) == 2
    assert seen == [dialog.report.changes]
    stack = session.stack
    assert stack.count() == 1 and stack.undoText() == "Merge return from KD"
    stack.undo()
    assert {ref: _text(sample_doc, ref) for ref in before} == before
    assert clashes.open_clash_count(sample_doc) == 0


def test_merge_shows_progress_and_cancel_changes_nothing(
    qtbot, sample_doc: Document, tmp_path: Path, monkeypatch
) -> None:
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from exports import returns
    from ui import tasks

    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    returned = _return(sample_doc, tmp_path, **{"7C06": "KD on 7C06."})
    before = _text(sample_doc, "7C06")
    real, checking, release = returns.check_file, threading.Event(), threading.Event()

    def slow_check(path):
        checking.set()
        assert release.wait(20)  # a large return takes a while to check
        return real(path)

    monkeypatch.setattr(returns, "check_file", slow_check)
    dialog = MergeDialog(sample_doc, returned)
    qtbot.addWidget(dialog)
    dialog.show()
    assert checking.wait(20)
    qtbot.waitUntil(lambda: dialog.findChild(QProgressDialog) is not None)
    progress = dialog.findChild(QProgressDialog)
    qtbot.waitUntil(progress.isVisible)
    (button,) = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=20000)
    assert dialog.report is None
    assert dialog.summary.text() == "Cancelled: nothing of kd.scrutiny was merged."
    assert dialog.close_button.isEnabled()
    assert _text(sample_doc, "7C06") == before


def test_several_returns_merge_in_one_go_saying_which_of_how_many(
    qtbot, sample_doc: Document, tmp_path: Path, monkeypatch
) -> None:
    from ui import tasks

    said: list[str] = []
    real_say = tasks.Cancel.say

    def say(cancel: tasks.Cancel, text: str, done: int = 0, total: int = 0) -> None:
        said.append(f"{text} [{done}/{total}]")  # what the progress window is told
        real_say(cancel, text, done, total)

    monkeypatch.setattr(tasks.Cancel, "say", say)
    kd = _return(sample_doc, tmp_path, **{"7C01": "KD's words."})
    cr = kd.with_name("cr.scrutiny")
    kd.rename(cr)
    kd = _return(sample_doc, tmp_path, **{"7C02": "KD on 7C02."})
    bad = tmp_path / "notes.txt"
    bad.write_text("not a return")
    window = QWidget()
    qtbot.addWidget(window)
    session = Session(sample_doc, window)
    dialog = MergeDialog(sample_doc, [cr, bad, kd], window, session=session)
    assert dialog.windowTitle() == "Merge 3 returns"
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert said == [
        "Merging cr.scrutiny, 1 of 3… [0/3]",
        "Merging notes.txt, 2 of 3… [1/3]",
        "Merging kd.scrutiny, 3 of 3… [2/3]",
    ]
    assert dialog.summary.text() == (
        "Merged 2 of 3 returns: 2 changes came in, 0 clashes to resolve. 1 refused, as listed below."
    )
    lines = [dialog.details.item(i).text() for i in range(dialog.details.count())]
    assert "notes.txt is not a return" in lines[2]
    assert lines[0].startswith("Merged cr.scrutiny") and lines[3].startswith("Merged kd.scrutiny")
    assert (_text(sample_doc, "7C01"), _text(sample_doc, "7C02")) == ("KD's words.", "KD on 7C02.")
    # Each return is its own step: Undo takes back the last one only.
    assert session.stack.count() == 2
    session.stack.undo()
    assert _text(sample_doc, "7C02") != "KD on 7C02." and _text(sample_doc, "7C01") == "KD's words."
