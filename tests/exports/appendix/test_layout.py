"""The appendix layout, tested by value against the plans it was built from."""

from __future__ import annotations

import copy
import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from db.build import create_plan
from db.errors import ScrutineerError
from db.model import PlanData
from db.reads import read_plan
from db.sample_data import SAMPLE
from exports.appendix.layout import (
    NO_STATUS,
    NO_UPDATE,
    RATING_BANDS,
    PrintOptions,
    StatusMark,
    build_appendix,
    clean,
    text_colour,
)

_counter = itertools.count()


def plan_data(tmp_path: Path, data: dict) -> PlanData:
    """Write ``data`` as a plan file and read it back whole."""
    doc = create_plan(tmp_path / f"plan{next(_counter)}.scrutiny", data)
    try:
        return read_plan(doc)
    finally:
        doc.close()


def small_plan(**plan_changes: object) -> dict:
    """Return a two-period plan with two themes, small enough to reason about."""
    data = {
        "plan": {"title": "Police and Crime Plan", "years": "2021-24", "marking": "OFFICIAL"},
        # Every status in the key here (the sample leaves Blue out, as its paper does).
        "statuses": [{**s, "in_key": True} for s in copy.deepcopy(SAMPLE["statuses"])],
        "periods": [
            {"label": "Q1 2021/22", "heading": "QRT 1 UPDATE (April to June 2021)"},
            {"label": "Q2 2021/22", "heading": "QRT 2 UPDATE (April to September 2021)"},
        ],
        "themes": [
            {
                "number": "1",
                "title": "Keeping people safe",
                "actions": [
                    {
                        "ref": "1.1",
                        "leads": ["DCC Smith"],
                        "activity": "Open a hub [exempt: s.31(1)(a)]at the old depot[/exempt].",
                        "updates": {
                            "Q1 2021/22": {"status": "Red", "text": "Site chosen."},
                            "Q2 2021/22": {"status": "Amber", "text": "Lease signed."},
                        },
                    },
                    {
                        "ref": "1.2",
                        "leads": ["ACC Jones"],
                        "activity": "Recruit volunteers.",
                        "updates": {
                            "Q1 2021/22": {"status": "Green", "text": "On track."},
                            "Q2 2021/22": {"status": "Amber", "text": "Behind plan."},
                        },
                    },
                    {
                        "ref": "1.3",
                        "activity": "Review the estate.",
                        "updates": {"Q1 2021/22": {"status": "Green", "text": "Started."}},
                    },
                    {
                        "ref": "1.4",
                        "activity": "Close the old cells.",
                        "closed_in": "Q1 2021/22",
                        "updates": {"Q1 2021/22": {"status": "Blue", "text": "Done."}},
                    },
                    {
                        "ref": "1.5",
                        "activity": "Launch the new app.",
                        "added_in": "Q2 2021/22",
                        "closed_in": "Q2 2021/22",
                        "updates": {"Q2 2021/22": {"status": "Blue", "text": "Launched."}},
                    },
                ],
                "measures": [
                    {
                        "number": "1",
                        "measure": "Response times",
                        "objective": "Reach emergencies quickly",
                        "target": "Within 15 minutes",
                        "footnotes": ["Urban areas only.", "Measured from the call."],
                        "performances": {"Q2 2021/22": {"text": "Average 11 minutes."}},
                    },
                    {"number": "2", "measure": "Victim satisfaction", "footnotes": ["Survey."]},
                ],
            },
            {"number": "2", "title": "Spending money wisely", "actions": [], "measures": []},
        ],
    }
    data["plan"].update(plan_changes)
    return data


@pytest.fixture
def small(tmp_path: Path) -> PlanData:
    return plan_data(tmp_path, small_plan())


def test_sample_heading_and_status_key_follow_the_plan(tmp_path: Path) -> None:
    data = plan_data(tmp_path, SAMPLE)
    appendix = build_appendix(data, PrintOptions())
    actions = SAMPLE["themes"][0]["actions"]
    plan = SAMPLE["plan"]
    assert appendix.heading.appendix_label == plan["appendix_label"]
    assert appendix.heading.version_label == plan["version_label"]
    assert plan["title"].upper() in appendix.heading.title
    assert plan["years"] in appendix.heading.title
    assert appendix.heading.period_heading == SAMPLE["periods"][-1]["heading"]
    assert appendix.heading.theme_line.endswith("THEME 7 UPDATE")
    # The paper's key: four rows, Blue (complete) left out as the office wrote it.
    keyed = [s for s in SAMPLE["statuses"] if s.get("in_key", True)]
    assert [row.mark.key_label for row in appendix.key] == [
        "Green (G)",
        "Amber (A)",
        "Red (R)",
        "White (NS)",
    ]
    for row, status in zip(appendix.key, keyed, strict=True):
        count = sum(a["status"] in (status["code"], status["label"]) for a in actions)
        assert (row.count, row.total) == (count, len(actions))
        assert row.result == f"{count}/{len(actions)} ({round(100 * count / len(actions))}%)"
    on_track = sum(a["status"] in ("G", "B") for a in actions) / len(actions)
    word = next(w for floor, w in RATING_BANDS if on_track >= floor)
    assert appendix.rating == f"The overall rating is therefore {word}."
    # The title in the PDF's and Word's properties is as written, not title-cased.
    assert "Commissioner's Strategic Theme 7 Update" in appendix.pdf_title


def test_sample_actions_print_in_order_with_new_and_closed_marks(tmp_path: Path) -> None:
    data = plan_data(tmp_path, SAMPLE)
    theme = build_appendix(data, PrintOptions()).themes[0]
    actions = SAMPLE["themes"][0]["actions"]
    period = SAMPLE["periods"][-1]["label"]
    assert theme.banner == "THEME 7: SPENDING PUBLIC MONEY WISELY"
    assert [a.ref for a in theme.actions] == [a["ref"] for a in actions]
    assert [a.new for a in theme.actions] == [a["added_in"] == period for a in actions]
    assert [a.closed for a in theme.actions] == [a["closed_in"] == period for a in actions]
    closed = next(a for a in theme.actions if a.closed)
    assert [p.text for p in closed.cells["ref"]] == [closed.ref, "Closed"]
    assert [c.key for c in theme.columns] == ["ref", "leads", "plan_ref", "activity", "status"]
    assert sum(c.width for c in theme.columns) == pytest.approx(1.0)
    assert [a.status.code for a in theme.actions] == [a["status"] for a in actions]
    assert all(a.update_received for a in theme.actions)
    assert [m.number for m in theme.measures] == ["1", "2", "3", "4", "5"]
    notes = [n for m in SAMPLE["themes"][0]["measures"] for n in m["footnotes"]]
    assert [f.text for f in theme.footnotes] == notes
    assert [f.number for f in theme.footnotes] == list(range(1, len(notes) + 1))


def test_update_blocks_keep_paragraphs_and_bullets(tmp_path: Path) -> None:
    data = plan_data(tmp_path, SAMPLE)
    theme = build_appendix(data, PrintOptions()).themes[0]
    row = next(a for a in theme.actions if a.ref == "7C07")
    bullets = [p.text for p in row.update if p.bullet]
    assert "Collocation of premises" in bullets
    assert not row.update[0].bullet and row.update[-1].text.startswith("The Commissioner")


def test_status_counts_skip_closed_and_later_actions(small: PlanData) -> None:
    q1 = build_appendix(small, PrintOptions(period="q1  2021/22", themes=["1"]))
    assert [a.ref for a in q1.themes[0].actions] == ["1.1", "1.2", "1.3", "1.4"]
    q2 = build_appendix(small, PrintOptions(themes=["1"]))
    # 1.4 closed in Q1 is gone; 1.5 added and closed in Q2 is both New and Closed.
    assert [a.ref for a in q2.themes[0].actions] == ["1.1", "1.2", "1.3", "1.5"]
    last = q2.themes[0].actions[-1]
    assert last.new and last.closed
    counts = {row.mark.label: row.result for row in q2.key}
    assert counts["Amber"] == "2/4 (50%)"
    assert counts["Blue"] == "1/4 (25%)"
    assert counts["Red"] == "0/4 (0%)"
    assert counts[NO_STATUS] == "1/4 (25%)"


def test_no_update_and_no_status_are_said_in_words(small: PlanData) -> None:
    theme = build_appendix(small, PrintOptions(themes=["1"])).themes[0]
    missing = next(a for a in theme.actions if a.ref == "1.3")
    assert not missing.update_received
    assert [p.text for p in missing.update] == [NO_UPDATE]
    assert not missing.status.recorded and missing.status.text == NO_STATUS


def test_no_status_row_only_when_needed(small: PlanData) -> None:
    appendix = build_appendix(small, PrintOptions(themes=["1"], period="Q1 2021/22"))
    assert NO_STATUS not in [row.mark.label for row in appendix.key]
    assert sum(row.count for row in appendix.key) == appendix.action_count


def test_previous_status_and_direction_of_travel(small: PlanData) -> None:
    theme = build_appendix(small, PrintOptions(themes=["1"], previous=True)).themes[0]
    assert [c.key for c in theme.columns][-3:] == ["previous", "direction", "status"]
    by_ref = {a.ref: a for a in theme.actions}
    assert by_ref["1.1"].previous.label == "Red" and "Improved" in by_ref["1.1"].direction
    assert by_ref["1.2"].previous.label == "Green" and "Worse" in by_ref["1.2"].direction
    assert "Not compared" in by_ref["1.3"].direction
    assert not by_ref["1.5"].previous.recorded


def bare_plan() -> dict:
    """Return ``small_plan`` with no status scheme, and theme 1's actions without refs or leads."""
    data = small_plan()
    data["statuses"] = []
    for action in data["themes"][0]["actions"]:
        action.pop("ref"), action.pop("leads", None)
        for entry in action["updates"].values():
            entry.pop("status")
    return data


def test_plan_without_refs_leads_or_scheme_prints_no_blank_columns(tmp_path: Path) -> None:
    appendix = build_appendix(plan_data(tmp_path, bare_plan()), PrintOptions(previous=True))
    assert appendix.key == [] and appendix.rating == ""
    theme = appendix.themes[0]
    assert [c.key for c in theme.columns] == ["activity"]
    assert not theme.has_update_label
    new = next(a for a in theme.actions if a.new)
    assert new.cells["activity"][0].text.startswith("New – Closed: ")


def test_extra_fields_are_columns_when_chosen(tmp_path: Path) -> None:
    data = small_plan(extra_fields=["Timescale", "Sponsor"])
    data["themes"][0]["actions"][0]["extra"] = {"Timescale": "March 2022"}
    plan = plan_data(tmp_path, data)
    theme = build_appendix(plan, PrintOptions(extra_fields=["timescale"])).themes[0]
    assert "extra:Timescale" in [c.key for c in theme.columns]
    assert "extra:Sponsor" not in [c.key for c in theme.columns]
    assert [p.text for p in theme.actions[0].cells["extra:Timescale"]] == ["March 2022"]
    with pytest.raises(ScrutineerError, match="Timescale, Sponsor"):
        build_appendix(plan, PrintOptions(extra_fields=["Budget"]))


def test_public_replaces_every_exempt_passage(small: PlanData) -> None:
    internal = build_appendix(small, PrintOptions(themes=["1"]))
    public = build_appendix(small, PrintOptions(themes=["1"], public=True))
    assert internal.themes[0].actions[0].cells["activity"][0].text == (
        "Open a hub at the old depot."
    )
    assert public.themes[0].actions[0].cells["activity"][0].text == (
        "Open a hub [Exempt – s.31(1)(a)]."
    )


def test_unknown_theme_or_period_names_what_exists(small: PlanData) -> None:
    with pytest.raises(ScrutineerError, match=r"no theme numbered 9; its themes are 1, 2"):
        build_appendix(small, PrintOptions(themes=["9"]))
    with pytest.raises(ScrutineerError, match=r"Q1 2021/22, Q2 2021/22"):
        build_appendix(small, PrintOptions(period="Q4 1999"))


def test_labels_chosen_per_print_override_the_plan(small: PlanData) -> None:
    appendix = build_appendix(
        small, PrintOptions(appendix_label="APPENDIX C", version_label="Final")
    )
    assert (appendix.heading.appendix_label, appendix.heading.version_label) == (
        "APPENDIX C",
        "Final",
    )
    assert appendix.heading.theme_line == "COMMISSIONER'S STRATEGIC THEMES 1 AND 2 UPDATE"


def test_footnotes_are_numbered_through_the_theme(small: PlanData) -> None:
    theme = build_appendix(small, PrintOptions(themes=["1"])).themes[0]
    assert [m.footnote_numbers for m in theme.measures] == [(1, 2), (3,)]
    missing = theme.measures[1]
    assert missing.performance[0].text == "No performance reported for Q2 2021/22"


@pytest.mark.parametrize(
    ("fill", "text"),
    [
        ("#FFFFFF", "#000000"),
        ("#0070C0", "#FFFFFF"),
        ("#000000", "#FFFFFF"),
        ("#FFC000", "#000000"),
    ],
)
def test_status_text_contrasts_with_its_fill(fill: str, text: str) -> None:
    assert text_colour(fill) == text


def test_previous_columns_need_an_earlier_period(small: PlanData) -> None:
    first = build_appendix(small, PrintOptions(period="Q1 2021/22", previous=True))
    assert "previous" not in [c.key for c in first.themes[0].columns]


def test_a_status_left_out_of_the_key_still_counts(small: PlanData) -> None:
    statuses = [replace(s, in_key=s.label != "Blue") for s in small.statuses]
    appendix = build_appendix(replace(small, statuses=statuses), PrintOptions(themes=["1"]))
    assert "Blue" not in [row.mark.label for row in appendix.key]
    # Its action is still printed with its status, and still counted in every row's total.
    blue = [a for a in appendix.themes[0].actions if a.status and a.status.label == "Blue"]
    assert blue
    assert {row.total for row in appendix.key} == {appendix.action_count}
    assert sum(row.count for row in appendix.key) == appendix.action_count - len(blue)


@pytest.mark.parametrize(
    ("label", "code", "shown"),
    [
        ("Green", "G", "Green (G)"),
        ("White (NS)", "W", "White (NS)"),
        ("Green (C)", "G", "Green (C)"),
        ("NS", "NS", "NS"),
        ("Not started (W)", "W", "Not started (W)"),
        ("Complete", "", "Complete"),
    ],
)
def test_key_adds_a_letter_only_without_a_short_form(label: str, code: str, shown: str) -> None:
    assert StatusMark(code, label, "#FFFFFF", "#000000").key_label == shown


def test_continuations_name_their_action_in_the_plan_s_words(small: PlanData) -> None:
    theme = build_appendix(small, PrintOptions(themes=["1"])).themes[0]
    assert [a.continued for a in theme.actions][:1] == [f"{theme.actions[0].ref} (continued)"]
    # With no refs, the plan's action word and the action's number in its theme.
    bare = replace(
        small,
        plan=replace(small.plan, action_word="Objective"),
        actions=[replace(a, ref="") for a in small.actions],
    )
    unnamed = build_appendix(bare, PrintOptions(themes=["1"])).themes[0]
    assert [a.continued for a in unnamed.actions][:2] == [
        "Objective 1 (continued)",
        "Objective 2 (continued)",
    ]


def test_a_single_line_break_stays_a_line_of_the_same_paragraph() -> None:
    from exports.appendix.layout import paragraphs

    paras = paragraphs("Options:\na) first\nb) second\n\nNext paragraph.", False)
    assert [p.lines for p in paras] == [["Options:", "a) first", "b) second"], ["Next paragraph."]]


def test_notes_only_for_choices_that_cannot_change_the_print(small: PlanData) -> None:
    # Two periods and an exempt passage: --previous and --public both change the print.
    changed = build_appendix(small, PrintOptions(previous=True, public=True))
    assert changed.notes == []
    first = build_appendix(small, PrintOptions(period="Q1 2021/22", previous=True))
    assert first.notes == [
        "There is no period before Q1 2021/22, so the previous status and direction of "
        "travel are left out."
    ]
    plain = replace(small, actions=[replace(a, activity="Plain.") for a in small.actions])
    assert "no exempt passage" in build_appendix(plain, PrintOptions(public=True)).notes[0]
    # Nothing accepted: read_for_print leaves no update of the period.
    nothing = replace(small, updates=[])
    notes = build_appendix(nothing, PrintOptions(accepted_only=True)).notes
    assert notes == [
        "No update for Q2 2021/22 has been accepted yet, so every action prints as "
        "'No update received'."
    ]


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("line one\r\nline two\tend", "line one\nline two end"),
        ("bell\x07 vt\x0b ff\x0c esc\x1b del\x7f kept\r\n", "bell vt ff esc del kept\n"),
        ("café\x07 c1\x85 \ufffe end\t", "café c1  end "),
        ("", ""),
    ],
)
def test_clean_drops_control_characters_from_ascii_and_other_text(typed: str, printed: str) -> None:
    assert clean(typed) == printed
