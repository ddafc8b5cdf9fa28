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
