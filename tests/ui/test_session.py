from __future__ import annotations

from db import edits, reads
from ui.session import Session


def _first(doc):
    return reads.actions(doc)[0], reads.periods(doc)[-1]


def test_commit_pushes_without_applying_twice(sample_doc, qapp):
    session = Session(sample_doc)
    action, period = _first(sample_doc)
    changes = session.commit(edits.set_update, action.id, period.id, text="One")
    assert changes is not None
    assert session.stack.count() == 1
    assert session.stack.undoText() == changes.text
    assert reads.update(sample_doc, action.id, period.id).text == "One"


def test_undo_and_redo_reach_the_file(qtbot, sample_doc):
    session = Session(sample_doc)
    action, period = _first(sample_doc)
    before = reads.update(sample_doc, action.id, period.id).text
    session.commit(edits.set_update, action.id, period.id, text="Two")
    with qtbot.waitSignal(session.changed):
        session.stack.undo()
    assert reads.update(sample_doc, action.id, period.id).text == before
    session.stack.redo()
    assert reads.update(sample_doc, action.id, period.id).text == "Two"


def test_status_choices_for_one_update_merge_into_one_step(sample_doc, qapp):
    session = Session(sample_doc)
    action, period = _first(sample_doc)
    start = reads.update(sample_doc, action.id, period.id).status_id
    statuses = [s.id for s in reads.statuses(sample_doc)]
    for status_id in statuses:
        session.commit(edits.set_update, action.id, period.id, status_id=status_id)
    assert session.stack.count() == 1
    session.stack.undo()
    assert reads.update(sample_doc, action.id, period.id).status_id == start


def test_choosing_the_same_status_again_leaves_nothing_to_undo(sample_doc, qapp):
    session = Session(sample_doc)
    action, period = _first(sample_doc)
    start = reads.update(sample_doc, action.id, period.id).status_id
    other = next(s.id for s in reads.statuses(sample_doc) if s.id != start)
    session.commit(edits.set_update, action.id, period.id, status_id=other)
    session.commit(edits.set_update, action.id, period.id, status_id=start)
    assert not session.stack.canUndo()


def test_a_refused_edit_is_told_and_not_pushed(ui_messages, sample_doc, qapp):
    session = Session(sample_doc)
    assert session.commit(edits.add_period, "  ") is None
    assert session.stack.count() == 0
    assert ui_messages == [("error", "A reporting period needs a label, such as “Q3 2017/18”.")]


def test_a_closed_session_commits_nothing(sample_path, qapp):
    from db.document import Document

    session = Session(Document.open(sample_path))
    action = reads.actions(session.doc)[0]
    session.close()
    assert session.commit(edits.edit, "actions", action.id, ref="X") is None


def test_a_read_only_plan_changed_on_disk_is_read_again_by_everyone_holding_it(
    qapp, sample_path, monkeypatch
):
    """A dialog given the document before the change reads the new state, not a closed file."""
    from db.document import Document
    from db.errors import ScrutineerError

    doc = Document.open(sample_path, read_only=True)
    session = Session(doc)
    held_by_a_dialog = session.doc
    with Document.open(sample_path) as editor:
        action, period = _first(editor)
        edits.set_update(editor, action.id, period.id, text="Changed in the other window")
    assert session.check_outside()
    assert reads.update(held_by_a_dialog, action.id, period.id).text == (
        "Changed in the other window"
    )
    # A file that cannot be opened now is tried twice, then left until it changes again.
    opened: list[int] = []

    def refuse(self) -> None:
        opened.append(1)
        raise ScrutineerError("sample.scrutiny is damaged and cannot be used.")

    monkeypatch.setattr(Document, "read_again", refuse)
    with Document.open(sample_path) as editor:
        edits.set_update(editor, action.id, period.id, text="Again")
    assert [session.check_outside() for _ in range(5)] == [False] * 5
    assert len(opened) == 2
    session.close()
