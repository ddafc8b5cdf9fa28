"""Reading the plan back: the sample as published, search, and the whole-plan snapshot."""

from __future__ import annotations

from collections import Counter

from db import edits, reads
from db.document import Document
from db.sample_data import SAMPLE


def test_sample_holds_the_published_theme(sample_doc: Document) -> None:
    themes = reads.themes(sample_doc)
    assert [(t.number, t.title) for t in themes] == [("7", SAMPLE["themes"][0]["title"])]
    actions = reads.actions(sample_doc)
    assert [a.ref for a in actions] == [a["ref"] for a in SAMPLE["themes"][0]["actions"]]
    assert len(actions) == 20
    period = reads.periods(sample_doc)[-1]
    codes = {s.id: s.code for s in reads.statuses(sample_doc)}
    counts = Counter(codes[u.status_id] for u in reads.updates(sample_doc, period.id).values())
    assert counts == {"G": 12, "A": 8}
    assert len(reads.measures(sample_doc)) == 5


def test_search_finds_activity_and_update_words_by_prefix(sample_doc: Document) -> None:
    hits = reads.search(sample_doc, "volunt")
    refs = {reads.action(sample_doc, h.action_id).ref for h in hits}
    assert "7F01" in refs
    assert all("[" in h.snippet for h in hits)


def test_search_follows_edits(sample_doc: Document) -> None:
    action = reads.actions(sample_doc)[3]
    period = reads.periods(sample_doc)[-1]
    assert reads.search(sample_doc, "quokka") == []
    changes = edits.set_update(sample_doc, action.id, period.id, text="A quokka was seen.")
    assert [h.action_id for h in reads.search(sample_doc, "quokka")] == [action.id]
    edits.undo(sample_doc, changes)
    assert reads.search(sample_doc, "quokka") == []


def test_search_ignores_query_syntax(sample_doc: Document) -> None:
    assert reads.search(sample_doc, '"') == []
    assert isinstance(reads.search(sample_doc, 'NEAR( AND OR "budget'), list)
    # Quotes, brackets and stars are not query syntax: only the words typed are looked for.
    plain = reads.search(sample_doc, "volunt")
    assert plain
    assert reads.search(sample_doc, '("volunt*') == plain


def test_read_plan_is_complete(sample_doc: Document) -> None:
    data = reads.read_plan(sample_doc)
    period = data.periods[-1]
    assert data.plan.title == SAMPLE["plan"]["title"]
    assert all(data.update_for(a.id, period.id) for a in data.actions)
    theme = data.themes[0]
    assert [m.number for m in data.measures_of(theme.id)] == ["1", "2", "3", "4", "5"]
    assert data.period_by_label(" q2  2017/18 ") == period
