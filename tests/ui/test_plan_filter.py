from __future__ import annotations

from db import edits, reads
from ui.plan_filter import PlanFilter, changed_actions, matching_actions


def test_a_new_period_has_no_changed_actions_until_one_is_edited(sample_doc):
    changes = edits.add_period(sample_doc, "Q3 2017/18")
    period_id = changes.rows[0].id
    assert changed_actions(sample_doc, period_id) == set()
    first, second = reads.actions(sample_doc)[:2]
    red = next(s.id for s in reads.statuses(sample_doc) if s.label == "Red")
    edits.set_update(sample_doc, first.id, period_id, status_id=red)
    edits.set_update(sample_doc, second.id, period_id, text="Written")
    assert changed_actions(sample_doc, period_id) == {first.id, second.id}


def test_changed_this_period_is_not_every_update_with_text(sample_doc):
    # The sample's only period was written whole: nothing in it has changed since.
    period_id = reads.periods(sample_doc)[-1].id
    assert all(u.text for u in reads.updates(sample_doc, period_id).values())
    assert changed_actions(sample_doc, period_id) == set()
    first = reads.actions(sample_doc)[0]
    edits.set_update(sample_doc, first.id, period_id, text="Rewritten this quarter.")
    assert changed_actions(sample_doc, period_id) == {first.id}


def test_a_status_that_differs_from_last_period_is_a_change(sample_doc):
    q2 = reads.periods(sample_doc)[-1].id
    q3 = edits.add_period(sample_doc, "Q3 2017/18").rows[0].id
    first = reads.actions(sample_doc)[0]
    red = next(s.id for s in reads.statuses(sample_doc) if s.label == "Red")
    # Changed behind the history's back (an import of two periods, say): still a change.
    update = reads.updates(sample_doc, q3)[first.id]
    sample_doc.conn.execute("UPDATE updates SET status_id = ? WHERE id = ?", (red, update.id))
    assert reads.updates(sample_doc, q2)[first.id].status_id != red
    assert changed_actions(sample_doc, q3) == {first.id}


def test_filters_combine(sample_doc):
    period = reads.periods(sample_doc)[-1]
    updates = reads.updates(sample_doc, period.id)
    amber = next(s.id for s in reads.statuses(sample_doc) if s.label == "Amber")
    ids = matching_actions(sample_doc, period.id, PlanFilter(status_id=amber, lead="KD")).ids
    expected = {
        a.id
        for a in reads.actions(sample_doc)
        if "KD" in a.leads and updates[a.id].status_id == amber
    }
    assert ids == expected and ids


def test_search_gives_snippets(sample_doc):
    found = matching_actions(sample_doc, None, PlanFilter(search="volunteer"))
    ids, snippets = found.ids, found.snippets
    assert ids and set(snippets) == ids and not found.capped
    assert all("[" in s for s in snippets.values())


def test_empty_filter_is_inactive():
    assert not PlanFilter().active
    assert not PlanFilter(search="   ").active
    assert PlanFilter(changed_only=True).active


def test_a_search_that_finds_too_much_says_so(sample_doc, monkeypatch):
    import ui.plan_filter

    monkeypatch.setattr(ui.plan_filter, "SEARCH_LIMIT", 3)
    found = matching_actions(sample_doc, None, PlanFilter(search="the"))
    assert found.capped and 0 < len(found.ids) <= 3
