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
