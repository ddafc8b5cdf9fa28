"""The text conventions: exempt passages, paragraphs, bullets and dated entries."""

from __future__ import annotations

from db import text


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
