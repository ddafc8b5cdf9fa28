"""The text conventions: exempt passages, paragraphs, bullets and dated entries."""

from __future__ import annotations

import pytest

from db import text
from db.errors import ScrutineerError


def test_redact_replaces_each_passage_with_its_exemption() -> None:
    source = (
        "Before [exempt: s.31(1)(a)]the informant's name[/exempt] and [EXEMPT:S23(1)]x[/exempt]."
    )
    assert text.redact(source) == "Before [Exempt – s.31(1)(a)] and [Exempt – S23(1)]."
    assert text.unmark(source) == "Before the informant's name and x."
    assert text.exemption_codes(source) == ["s.31(1)(a)", "S23(1)"]


def test_segments_keep_order_and_codes() -> None:
    source = "a [exempt: s.40(2)]b[/exempt] c"
    assert text.segments(source) == [("a ", None), ("b", "s.40(2)"), (" c", None)]


def test_mark_exempt_round_trips() -> None:
    marked = text.mark_exempt("The plan names Sergeant Smith today.", 15, 29, "s.40(2)")
    assert marked == "The plan names [exempt: s.40(2)]Sergeant Smith[/exempt] today."
    assert text.unmark(marked) == "The plan names Sergeant Smith today."


def test_blocks_split_paragraphs_bullets_and_dates() -> None:
    update = (
        "First paragraph\nwraps here.\n\n"
        "• one\n• two\n\n"
        "10.10.17 - A dated entry.\n\n"
        "- 11/10/2017 – a dated bullet"
    )
    blocks = text.blocks(update)
    assert [(b.kind, b.date) for b in blocks] == [
        ("paragraph", None),
        ("bullets", None),
        ("paragraph", "10.10.17"),
        ("bullets", "11/10/2017"),
    ]
    # The author's single line break is kept: a line of its own, not a new paragraph.
    assert blocks[0].lines == ("First paragraph", "wraps here.")
    assert blocks[1].lines == ("one", "two")


def test_negative_numbers_are_not_bullets() -> None:
    assert text.blocks("-5% against target")[0].kind == "paragraph"


def test_word_count_ignores_markup() -> None:
    assert text.word_count("Two [exempt: s.31(1)(a)]hidden words[/exempt] here") == 4


# -- the one exempt-markup parser: every malformed input it must refuse ----------------------

SECRET = "informant Nightjar"
MALFORMED = [
    # (text, a reason expected, the text where that problem starts)
    (f"Open. [exempt: s.31(1)(a)]{SECRET}", "not closed with [/exempt]", "[exempt: s.31(1)(a)]"),
    (
        f"[exempt: s.31][exempt: s.40]{SECRET}[/exempt][/exempt]",
        "opens inside another",
        "[exempt: s.40]",
    ),
    (
        f"[exempt: s.31\n(1)(a)]{SECRET}[/exempt]",
        "not written exactly [exempt: code], on one line",
        "[exempt: s.31",
    ),
    (f"[exempt : s.31(1)(a)]{SECRET}[/exempt]", "not written exactly [exempt: code]", "["),
    (f"[exempt: s.31(1)(a)]{SECRET}[/exempt ]", "closing tag is not written exactly", "[/exempt ]"),
    (f"[exempt:]{SECRET}[/exempt]", "no exemption code", "[exempt:"),
    (f"[exempt:   ]{SECRET}[/exempt]", "no exemption code", "[exempt:"),
    (f"{SECRET}[/exempt]", "closes no exempt passage", "[/exempt]"),
    (f"[ exempt: s.31]{SECRET}[/exempt]", "not written exactly [exempt: code]", "["),
    (f"[exempt s.31]{SECRET}[/exempt]", "not written exactly [exempt: code]", "["),
    (f"[exempt: s.31(1)(a) {SECRET}[/exempt]", "not written exactly [exempt: code]", "["),
    (f"[exemption: s.31]{SECRET}[/exemption]", "not written exactly [exempt: code]", "["),
    (f"[exempt: s.31]{SECRET}[/ exempt]", "closing tag", "["),
    (f"[exempt: s.31]{SECRET}[\\exempt]", "closing tag", "["),
    (f"[exempt: s.31]{SECRET}[exempt]", "not written exactly [exempt: code]", "[exempt]"),
    (
        f"[exempt: s.31 {SECRET} and much more besides]x[/exempt]",
        "longer than any FOI code",
        "[exempt:",
    ),
]
WELL_FORMED = [
    ("no markup at all", []),
    ("[exempt: s.31(1)(a)]a[/exempt]", ["s.31(1)(a)"]),
    ("[EXEMPT:S23(1)]a[/EXEMPT]", ["S23(1)"]),
    (
        "[exempt:\ts.40(2) ]two\n\nparagraphs[/exempt] and [exempt: s.38]b[/exempt]",
        ["s.40(2)", "s.38"],
    ),
    ("[exempt: s.31][/exempt]", ["s.31"]),
    # What public output writes in place of a passage is text: a public copy prints again.
    ("Open. [Exempt – s.31(1)(a)] Done.", []),
    ("exempt from the fee; not a tag", []),
]


@pytest.mark.parametrize(("source", "reason", "at"), MALFORMED)
def test_malformed_markup_is_a_problem_and_never_redacted(
    source: str, reason: str, at: str
) -> None:
    problems = text.markup_problems(source)
    found = [p for p in problems if reason in p.reason]
    assert found, (source, problems)
    # The last "[" when the closing tag is the culprit, else the first match of ``at``.
    where = source.rfind(at) if "closing" in reason or "closes" in reason else source.find(at)
    assert found[0].start == where
    assert all(0 <= p.start < p.end <= len(source) for p in problems)
    assert problems == sorted(problems, key=lambda p: p.start)
    assert found[0].sentence[0].isupper() and found[0].sentence.endswith(".")
    with pytest.raises(text.MarkupError, match="cannot read"):
        text.redact(source)
    with pytest.raises(text.MarkupError):
        text.segments(source)
    # An internal print still shows the words, without the tags it could not read.
    shown = text.unmark(source)
    assert "informant" in shown and "[exempt" not in shown.lower()
    assert "[/exempt" not in shown.lower()


@pytest.mark.parametrize(("source", "codes"), WELL_FORMED)
def test_well_formed_markup_has_no_problem(source: str, codes: list[str]) -> None:
    assert text.markup_problems(source) == []
    assert text.exemption_codes(source) == codes
    redacted = text.redact(source)
    assert text.redact(redacted) == redacted  # markers are text, not tags
    assert len(text.segments(source)) >= 1


def test_problem_offsets_point_at_the_tag_for_the_editor() -> None:
    source = "Fine [exempt: s.40]a[/exempt]. Broken [exempt : s.31]b[/exempt]."
    (problem,) = text.markup_problems(source)
    assert source[problem.start : problem.end] == "[exempt : s.31]"


def test_redact_leaves_no_passage_of_a_long_text() -> None:
    source = "\n\n".join(f"Para {i} [exempt: s.31]{SECRET} {i}[/exempt] end." for i in range(200))
    redacted = text.redact(source)
    assert SECRET not in redacted and redacted.count("[Exempt – s.31]") == 200


MARKED = "Open [exempt: s.31]secret words[/exempt] and more text here"


@pytest.mark.parametrize(
    ("start", "end"),
    [(22, 28), (9, 14), (0, 12), (35, 45)],  # inside a passage, across a tag, across both
)
def test_marking_across_an_exempt_passage_is_refused(start: int, end: int) -> None:
    with pytest.raises(ScrutineerError, match="cannot be marked exempt"):
        text.mark_exempt(MARKED, start, end, "s.40")


@pytest.mark.parametrize("code", ["", "  ", "s.40\n(2)", "s]40", "s[40", "x" * 41])
def test_marking_with_a_code_that_would_not_read_back_is_refused(code: str) -> None:
    start = MARKED.index("more")
    with pytest.raises(ScrutineerError, match="is not an exemption code"):
        text.mark_exempt(MARKED, start, start + 4, code)
    marked = text.mark_exempt(MARKED, start, start + 4, "s.40(2)")
    assert text.markup_problems(marked) == [] and text.exemption_codes(marked) == [
        "s.31",
        "s.40(2)",
    ]


def test_the_parser_says_where_each_passage_stands_and_a_passage_can_be_unmarked():
    source = "A [exempt: s.40]b c[/exempt] d [exempt: s.31]e"
    first, second = text.parse(source).passages
    assert source[first.start : first.inner_start] == "[exempt: s.40]" and first.code == "s.40"
    assert source[first.inner_start : first.inner_end] == "b c"
    assert source[first.inner_end : first.end] == "[/exempt]"
    assert second.end == len(source)  # unclosed: runs to the end
    assert text.passage_at(source, source.index("c")) == first
    assert text.passage_at(source, 0) is None and text.passage_at(source, len(source)) == second
    assert text.unmark_passage(source, first) == "A b c d [exempt: s.31]e"
