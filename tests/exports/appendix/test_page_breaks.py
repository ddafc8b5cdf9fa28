"""Page breaks as a typesetter makes them, read back by position from the PDF in every format.

Each plan is printed on A4 and Letter, landscape and portrait; the words are read back
with their page and place (pdfium, checked against pdfplumber) and held to the rules: no action row, banner or
header at a page foot without the first lines under it, every continuation names its
action, no label broken inside a word, no page more than half empty mid-theme, no word lost.
"""

from __future__ import annotations

import copy

import pytest

from db.model import PlanData
from db.sample_data import SAMPLE
from exports.appendix.layout import Appendix, PrintOptions, build_appendix
from exports.appendix.pdf import build_pdf
from tests.exports.appendix.page_reading import (
    Printed,
    broken_labels,
    lost_words,
    problems,
    read_back,
    read_back_slowly,
)
from tests.exports.appendix.test_layout import plan_data

FORMATS = {
    "a4-landscape": {},
    "a4-portrait": {"portrait": True},
    "letter-landscape": {"letter": True},
    "letter-portrait": {"letter": True, "portrait": True},
}
URL = (
    "http://www.nottinghamshire.pcc.police.uk/Document-Library/Public-Information/Meetings/"
    "Strategic_Resources/May-2017/Item-04-Code-of-Ethics-update.pdf"
)
MARKUP = "<b>bold</b> &amp; <font color=red>red</font> =SUM(A1:A9) {{name}} \\ [/exempt] <br/>"


def _words(prefix: str, count: int, stop: bool = True) -> str:
    text = " ".join(f"{prefix}w{i:04d}" for i in range(count))
    return text + "." if stop else text


def stress_plan() -> dict:
    """Return one theme of 60 actions with the longest texts a plan may hold."""
    actions = []
    for i in range(60):
        update = f"U{i:02d} " + " ".join(
            f"Sentence {k} of update {i} says what was done this quarter." for k in range(i % 5)
        )
        actions.append(
            {
                "ref": f"9C{i:02d}",
                "leads": ["DCC Barber"],
                "activity": f"Deliver item {i} of the plan.",
                "status": "GARW"[i % 4],
                "update": update,
            }
        )
    actions[3]["update"] = "\n\n".join(_words(f"p{k:02d}", 500) for k in range(12))
    actions[7]["update"] = _words("np", 2500, stop=False)
    actions[9]["ref"] = "9-LONG/REF_2017-18"
    actions[9]["leads"] = [
        "Detective Chief Superintendent Alexandra Montgomery-Smythe",
        "Nottingham City Council Community Protection Directorate",
    ]
    actions[11]["update"] = "Options agreed:\na) first option\nb) second option\n\nSee " + URL
    actions[13]["update"] = MARKUP
    actions[13]["activity"] = MARKUP
    data = copy.deepcopy({k: SAMPLE[k] for k in ("plan", "statuses", "periods")})
    data["themes"] = [
        {"number": "9", "title": "Stress", "actions": actions},
        {"number": "10", "title": "After the stress", "actions": actions[20:23]},
    ]
    return data


def office_plan() -> dict:
    """Return a plan shaped like another office's: no refs, no statuses, its own columns."""
    actions = []
    for i in range(14):
        actions.append(
            {
                "leads": ["Nottingham City Council"],
                "activity": f"ACT{i:02d} work with partners on item {i}.",
                "extra": {"Timescale": "March 2019", "Sponsor": "Chief Executive"},
                "update": _words(f"o{i:02d}", 40 + 60 * (i % 4)),
            }
        )
    actions[5]["update"] = "\n\n".join(_words(f"q{k}", 300) for k in range(4))
    data = copy.deepcopy({k: SAMPLE[k] for k in ("plan", "periods")})
    data["plan"]["extra_fields"] = ["Timescale", "Sponsor"]
    data["plan"]["action_word"] = "Objective"
    data["statuses"] = []
    # A theme with no leads has no label column: "Update" and the continuation head the text.
    bare = [{k: v for k, v in a.items() if k != "leads"} for a in copy.deepcopy(actions[:8])]
    for action in bare:
        action["activity"] = action["activity"].replace("ACT", "BARE")
    data["themes"] = [
        {"number": "2", "title": "Partnerships", "actions": actions},
        {"number": "3", "title": "Alone", "actions": bare},
    ]
    return data


PLANS = {"sample": lambda: copy.deepcopy(SAMPLE), "stress": stress_plan, "office": office_plan}
OPTIONS = {"office": {"extra_fields": ["Timescale", "Sponsor"]}}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PlanData]:
    folder = tmp_path_factory.mktemp("plans")
    return {name: plan_data(folder, make()) for name, make in PLANS.items()}


@pytest.fixture(scope="module", params=list(FORMATS))
def printed(request: pytest.FixtureRequest, plans: dict[str, PlanData]) -> dict:
    result = {}
    for name, data in plans.items():
        options = PrintOptions(**FORMATS[request.param], **OPTIONS.get(name, {}))
        appendix = build_appendix(data, options)
        result[name] = (appendix, read_back(build_pdf(appendix)[0]))
    return result


@pytest.mark.parametrize("plan", list(PLANS))
def test_no_page_break_a_typesetter_would_not_make(printed: dict, plan: str) -> None:
    appendix, pages = printed[plan]
    assert problems(appendix, pages) == []


@pytest.mark.parametrize("plan", list(PLANS))
def test_no_label_or_header_breaks_inside_a_word(printed: dict, plan: str) -> None:
    appendix, pages = printed[plan]
    assert broken_labels(appendix, pages) == []


@pytest.mark.parametrize("plan", list(PLANS))
def test_no_word_is_lost(printed: dict, plan: str) -> None:
    appendix, pages = printed[plan]
    assert lost_words(appendix, pages) == []


def test_long_updates_fill_their_pages_and_name_their_action(printed: dict) -> None:
    _, pages = printed["stress"]
    long_pages = _pages_with(pages, "p00w0000", "p11w0499")
    assert len(long_pages) >= 3
    for number in long_pages[1:]:
        assert "9C03 (continued)" in pages.text(number)
    # One paragraph of 2,500 words with no full stop runs on across pages, unbroken.
    np_pages = _pages_with(pages, "npw0000", "npw2499")
    for number in np_pages[1:]:
        assert "9C07 (continued)" in pages.text(number)


def test_markup_and_line_breaks_print_as_written(printed: dict) -> None:
    _, pages = printed["stress"]
    text = " ".join(pages.text(n) for n in range(len(pages.pages)))
    assert MARKUP.split()[0] in text and "=SUM(A1:A9)" in text
    # The author's single line breaks: each option starts a line of its own.
    lines = _lines(pages)
    assert any(line.startswith("a) first option") for line in lines)
    assert any(line.startswith("b) second option") for line in lines)


def _pages_with(pages: Printed, first: str, last: str) -> list[int]:
    numbers = [n for n in range(len(pages.pages)) if first in pages.text(n)]
    end = [n for n in range(len(pages.pages)) if last in pages.text(n)]
    return list(range(numbers[0], end[-1] + 1))


def _lines(pages: Printed) -> list[str]:
    lines: dict[tuple[int, int], list[str]] = {}
    for page in pages.pages:
        for word in page:
            lines.setdefault((word.page, round(word.top)), []).append(word.text)
    return [" ".join(words) for words in lines.values()]


def test_office_continuations_use_the_plan_s_own_word(printed: dict) -> None:
    appendix, pages = printed["office"]
    assert isinstance(appendix, Appendix)
    text = " ".join(pages.text(n) for n in range(len(pages.pages)))
    assert "Objective 6 (continued)" in text


def test_reading_agrees_with_pdfplumber(plans: dict[str, PlanData]) -> None:
    pdf = build_pdf(build_appendix(plans["sample"], PrintOptions(portrait=True)))[0]
    pages = read_back(pdf)
    for number in (0, 2):
        ours = [(w.text, w.bold) for w in pages.pages[number]]
        assert sorted(ours) == sorted(read_back_slowly(pdf, number))


def test_an_action_taller_than_half_a_page_leaves_no_half_empty_page(
    plans: dict[str, PlanData], tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = stress_plan()
    actions = data["themes"][0]["actions"][:3]
    actions[1]["activity"] = _words("tall", 1500)
    data["themes"] = [{"number": "9", "title": "Tall", "actions": actions}]
    plan = plan_data(tmp_path_factory.mktemp("tall"), data)
    appendix = build_appendix(plan, PrintOptions())
    pages = read_back(build_pdf(appendix)[0])
    # The tall action's rows split where the page ends rather than leave it half empty
    # (it is the one case where an action's rows may end a page before its update).
    assert [p for p in problems(appendix, pages) if "half empty" in p] == []
    assert lost_words(appendix, pages) == []
    assert len(pages.pages) >= 3
    # Where the action's own rows carry on, the next page names it too.
    named = [
        w for page in pages.pages for w in page if w.bold and w.text in ("9C01", "(continued)")
    ]
    assert named and [w.text for w in named] == ["9C01", "(continued)"] * (len(named) // 2)
    assert not [p for p in problems(appendix, pages) if "carries on" in p]
