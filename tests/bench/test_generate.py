"""The benchmark plans: the same seed gives the same plan, and the plan is a sound file."""

from __future__ import annotations

import re

from bench import generate
from db import reads, text
from db.document import Document
from db.safety import check_file


def test_same_seed_same_plan_other_seed_other_plan():
    first = generate.plan_data(20, seed=5)
    assert first == generate.plan_data(20, seed=5)
    assert first != generate.plan_data(20, seed=6)


def test_updates_look_like_real_ones():
    data = generate.plan_data(20)
    updates = list(generate.iter_update_texts(data))
    assert len(updates) == 20 * generate.PERIODS
    lengths = sorted(len(u) for u in updates)
    assert 600 <= lengths[len(lengths) // 2] <= 1_000
    assert all(re.search(rf"\b{generate.COMMON_WORD}\b", u) for u in updates)
    assert any(generate.RARE_WORD in u for u in updates)
    assert sum(generate.RARE_WORD in u for u in updates) <= len(updates) // 50
    assert any(len(text.blocks(u)) >= 3 for u in updates)
    assert any(b.kind == "bullets" for u in updates for b in text.blocks(u))
    # Exempt passages in about one update in fifty, and dated entries ("17.09.16 - ...").
    assert 1 <= sum("[exempt: " in u for u in updates) <= len(updates) // 10
    assert all(text.unmark(u).count("[exempt") == 0 for u in updates)
    assert any(re.match(r"\d\d\.\d\d\.\d\d - ", b) for u in updates for b in u.split("\n\n"))


def test_built_plan_is_sound_and_holds_the_data_and_its_history(tmp_path):
    path = generate.plan_file(20, folder=tmp_path)
    assert path.name == generate.cached_name(20)
    assert check_file(path).ok
    data = generate.plan_data(20)
    with Document.open(path, read_only=True) as doc:
        actions = reads.actions(doc)
        periods = reads.periods(doc)
        assert len(actions) == 20
        assert len(reads.themes(doc)) == generate.theme_count(20)
        assert [p.label for p in periods] == [p["label"] for p in data["periods"]]
        assert [p.locked for p in periods] == [True] * (generate.PERIODS - 1) + [False]
        stored = {u.text for u in reads.read_plan(doc).updates}
        locked_texts = {
            a["updates"][p["label"]]["text"]
            for t in data["themes"]
            for a in t["actions"]
            for p in data["periods"][:-1]
        }
        assert locked_texts <= stored
        edited = [h for h in reads.history(doc, limit=100_000) if h.field != "(created)"]
        assert len(edited) >= generate.edit_count(20)
        assert reads.search(doc, generate.RARE_WORD)
    # A second call finds the cached file instead of building it again.
    before = path.stat().st_mtime_ns
    assert generate.plan_file(20, folder=tmp_path).stat().st_mtime_ns == before


def test_cutting_a_long_update_never_leaves_an_exempt_passage_open():
    opened = "A" * 780 + "[exempt: s.40(2)]a name that the cut would leave open[/exempt] and more."
    assert text.markup_problems(opened[:800])  # the naive cut the history used to make
    cut = generate._cut(opened)
    assert not text.markup_problems(cut) and cut.startswith("A" * 780)
    closed = "B" * 900
    assert generate._cut(closed) == "B" * 800


def test_the_built_plans_texts_can_all_be_printed_publicly(tmp_path):
    path = generate.plan_file(20, folder=tmp_path)
    with Document.open(path, read_only=True) as doc:
        texts = [u.text for u in reads.read_plan(doc).updates]
    assert texts and not [t for t in texts if text.markup_problems(t)]


def test_a_plan_can_be_led_by_an_office_s_own_officers_over_fewer_quarters():
    officers = ["Kevin Dennis", "Claire Robinson", "Rob Griffin"]
    data = generate.plan_data(40, leads=officers, periods=3)
    leads = [lead for t in data["themes"] for a in t["actions"] for lead in a["leads"]]
    assert set(leads) == set(officers)
    assert [p["label"] for p in data["periods"]] == ["Q1 2015/16", "Q2 2015/16", "Q3 2015/16"]
    assert [p["locked"] for p in data["periods"]] == [True, True, False]
    assert all(len(a["updates"]) == 3 for t in data["themes"] for a in t["actions"])
