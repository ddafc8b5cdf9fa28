"""Reads that leave out what a view or a print does not need: update texts of other periods."""

from __future__ import annotations

from db import edits, reads


def test_update_statuses_match_the_updates(sample_doc):
    period = reads.periods(sample_doc)[-1].id
    action = reads.actions(sample_doc)[0].id
    edits.set_update(sample_doc, action, period, status_id=None)
    full = reads.updates(sample_doc, period)
    statuses = reads.update_statuses(sample_doc, period)
    assert statuses == {k: u.status_id for k, u in full.items()}
    assert statuses[action] is None
    assert any(statuses.values())
    # One theme's read holds its actions' statuses and no other theme's.
    by_theme = {}
    for theme in reads.themes(sample_doc):
        own = reads.update_statuses(sample_doc, period, theme.id)
        assert set(own) == {a.id for a in reads.actions(sample_doc, theme.id)} & set(full)
        by_theme |= own
    assert by_theme == statuses


def test_read_plan_reads_only_the_updates_of_the_periods_asked_for(sample_doc):
    period = reads.periods(sample_doc)[-1].id
    edits.add_period(sample_doc, "Q3 2017/18")
    later = reads.periods(sample_doc)[-1].id
    data = reads.read_plan(sample_doc, update_periods=[later])
    assert data.updates
    assert {u.period_id for u in data.updates} == {later}
    assert {u.period_id for u in reads.read_plan(sample_doc).updates} == {period, later}


def test_read_plan_keeps_texts_only_of_the_periods_asked_for(sample_doc):
    period = reads.periods(sample_doc)[-1].id
    edits.add_period(sample_doc, "Q3 2017/18")
    later = reads.periods(sample_doc)[-1].id
    action = reads.actions(sample_doc)[0].id
    edits.set_update(sample_doc, action, later, text="Written in the later period.")
    whole = reads.read_plan(sample_doc)
    lean = reads.read_plan(sample_doc, text_periods=[period])
    by_id = {u.id: u for u in whole.updates}
    assert {u.id for u in lean.updates} == set(by_id)
    for update in lean.updates:
        original = by_id[update.id]
        assert update.status_id == original.status_id
        assert update.text == (original.text if update.period_id == period else "")
    assert any(u.text for u in lean.updates)
    assert any(by_id[u.id].text and not u.text for u in lean.updates)
