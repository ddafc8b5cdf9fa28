"""Every edit is one committed transaction, recorded in the history, and can be undone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import edits, reads
from db.document import Document
from db.errors import (
    EnvironmentProblem,
    LockedPeriodError,
    ReadOnlyError,
    ScrutineerError,
    StaleEditError,
)


def _fresh(path: Path) -> sqlite3.Connection:
    """Read the file through a brand-new connection, as another process would."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _status(doc: Document, code: str) -> str:
    return next(s.id for s in reads.statuses(doc) if s.code == code)


def _first(doc: Document):
    action = reads.actions(doc)[0]
    period = reads.periods(doc)[-1]
    return action, period


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("status", lambda d, a, p: edits.set_update(d, a.id, p.id, status_id=_status(d, "R"))),
        ("text", lambda d, a, p: edits.set_update(d, a.id, p.id, text="10.10.17 - New entry.")),
        ("activity", lambda d, a, p: edits.edit(d, "actions", a.id, activity="Reworded activity")),
        ("leads", lambda d, a, p: edits.set_leads(d, a.id, ["DCC Barber", "KD"])),
        ("plan", lambda d, a, p: edits.edit_plan(d, marking="OFFICIAL-SENSITIVE")),
        ("period", lambda d, a, p: edits.add_period(d, "Q3 2017/18", "2017-04-01", "2017-12-31")),
        ("theme", lambda d, a, p: edits.add(d, "themes", number="8", title="New theme")),
        ("delete", lambda d, a, p: edits.delete(d, "actions", a.id)),
        ("extra", lambda d, a, p: edits.edit(d, "actions", a.id, extra={"Timescale": "Q4"})),
    ],
)
def test_edit_is_committed_at_once_and_undo_restores_it(name, make, sample_doc: Document) -> None:
    path = sample_doc.path
    action, period = _first(sample_doc)
    snapshot = _dump(path)
    last = reads.history(sample_doc, limit=1)[0].id
    changes = make(sample_doc, action, period)
    assert changes.text
    assert not sample_doc.conn.in_transaction
    changed = _dump(path)  # read by another connection: already on disk
    assert changed != snapshot
    history = [h for h in reads.history(sample_doc, list(changes.ids)) if h.id > last]
    assert {h.record_id for h in history} == set(changes.ids)
    assert all(h.who == "Tester" for h in history)
    edits.undo(sample_doc, changes)
    assert _dump(path) == snapshot
    edits.redo(sample_doc, changes)
    assert _dump(path) == changed


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = _fresh(path)
    try:
        tables = [
            "plan", "statuses", "periods", "leads", "themes", "actions", "action_leads",
            "updates", "milestones", "measures", "performance",
        ]  # fmt: skip
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def test_undo_text_names_the_field_and_the_action(sample_doc: Document) -> None:
    action, period = _first(sample_doc)
    changes = edits.set_update(sample_doc, action.id, period.id, status_id=_status(sample_doc, "G"))
    assert changes.text == f"Edit status of {action.ref} ({period.label})"


def test_history_records_old_and_new_values(sample_doc: Document) -> None:
    action, _ = _first(sample_doc)
    old = action.activity
    edits.edit(sample_doc, "actions", action.id, activity="Reworded")
    entry = reads.action_history(sample_doc, action.id)[0]
    assert (entry.field, entry.old, entry.new, entry.who) == ("activity", old, "Reworded", "Tester")


def test_edit_that_changes_nothing_is_not_recorded(sample_doc: Document) -> None:
    action, _ = _first(sample_doc)
    before = len(reads.history(sample_doc))
    changes = edits.edit(sample_doc, "actions", action.id, activity=action.activity)
    assert not changes
    assert len(reads.history(sample_doc)) == before


def test_stale_undo_is_refused_and_changes_nothing(sample_doc: Document) -> None:
    action, period = _first(sample_doc)
    first = edits.set_update(sample_doc, action.id, period.id, text="first")
    edits.set_update(sample_doc, action.id, period.id, text="second")
    with pytest.raises(StaleEditError):
        edits.undo(sample_doc, first)
    assert reads.update(sample_doc, action.id, period.id).text == "second"


def test_locked_period_cannot_be_edited_but_can_be_unlocked(sample_doc: Document) -> None:
    action, period = _first(sample_doc)
    edits.lock_period(sample_doc, period.id)
    with pytest.raises(LockedPeriodError, match=period.label):
        edits.set_update(sample_doc, action.id, period.id, text="too late")
    with pytest.raises(LockedPeriodError):
        edits.edit(sample_doc, "periods", period.id, label="Renamed")
    edits.lock_period(sample_doc, period.id, locked=False)
    edits.set_update(sample_doc, action.id, period.id, text="after unlocking")
    assert reads.update(sample_doc, action.id, period.id).text == "after unlocking"


def test_new_period_carries_open_actions_forward_with_their_status(sample_doc: Document) -> None:
    _, q2 = _first(sample_doc)
    closed = next(a for a in reads.actions(sample_doc) if a.closed_in)
    edits.add_period(sample_doc, "Q3 2017/18", "2017-04-01", "2017-12-31", "QRT 3 UPDATE")
    q3 = reads.periods(sample_doc)[-1]
    assert q3.label == "Q3 2017/18"
    before, after = reads.updates(sample_doc, q2.id), reads.updates(sample_doc, q3.id)
    open_ids = {a.id for a in reads.actions(sample_doc) if not a.closed_in}
    assert set(after) == open_ids
    assert closed.id not in after
    for action_id, update in after.items():
        assert update.status_id == before[action_id].status_id
        assert update.text == ""


def test_duplicate_period_is_refused(sample_doc: Document) -> None:
    label = reads.periods(sample_doc)[-1].label
    with pytest.raises(Exception, match="already a period"):
        edits.add_period(sample_doc, label.lower())


def test_read_only_document_refuses_edits(sample_path: Path) -> None:
    with Document.open(sample_path, read_only=True) as doc:
        action, period = _first(doc)
        with pytest.raises(ReadOnlyError):
            edits.set_update(doc, action.id, period.id, text="x")


def test_full_disk_loses_nothing_and_says_so(sample_doc: Document) -> None:
    """When SQLite cannot grow the file the edit is refused whole and earlier edits survive."""
    action, period = _first(sample_doc)
    edits.set_update(sample_doc, action.id, period.id, text="saved before the disk filled")
    pages = sample_doc.conn.execute("PRAGMA page_count").fetchone()[0]
    sample_doc.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(EnvironmentProblem, match="disk is full"):
        edits.set_update(sample_doc, action.id, period.id, text="x" * 200_000)
    assert not sample_doc.conn.in_transaction
    conn = _fresh(sample_doc.path)
    text = conn.execute(
        "SELECT text FROM updates WHERE action_id = ? AND period_id = ?", (action.id, period.id)
    ).fetchone()[0]
    conn.close()
    assert text == "saved before the disk filled"


def test_deleting_a_theme_takes_its_actions_and_undo_brings_them_back(sample_doc: Document) -> None:
    theme = reads.themes(sample_doc)[0]
    count = len(reads.actions(sample_doc, theme.id))
    changes = edits.delete(sample_doc, "themes", theme.id)
    assert reads.themes(sample_doc) == []
    assert reads.actions(sample_doc) == []
    edits.undo(sample_doc, changes)
    assert len(reads.actions(sample_doc, theme.id)) == count


def test_set_leads_reuses_known_leads_and_keeps_order(sample_doc: Document) -> None:
    action, _ = _first(sample_doc)
    edits.set_leads(sample_doc, action.id, ["ME", "New Person", "me"])
    assert reads.action(sample_doc, action.id).leads == ("ME", "New Person")
    assert reads.leads(sample_doc).count("ME") == 1


def test_a_period_named_by_an_action_cannot_be_deleted(sample_doc: Document) -> None:
    closed = next(a for a in reads.actions(sample_doc) if a.closed_in)
    period = next(p for p in reads.periods(sample_doc) if p.id == closed.closed_in)
    snapshot = _dump(sample_doc.path)
    with pytest.raises(ScrutineerError, match=f"Period {period.label} is named as an action's"):
        edits.delete(sample_doc, "periods", period.id)
    assert _dump(sample_doc.path) == snapshot
