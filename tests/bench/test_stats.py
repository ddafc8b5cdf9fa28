"""The numbers behind every figure: medians, percentiles, the growth exponent and the table."""

from __future__ import annotations

import pytest

from bench import report, stats


def test_percentile_interpolates_between_ranks():
    sample = stats.Sample((4.0, 1.0, 3.0, 2.0))

    assert sample.median == 2.5
    assert sample.percentile(0) == 1.0
    assert sample.percentile(100) == 4.0
    assert sample.percentile(50) == pytest.approx(2.5)
    assert sample.percentile(99) == pytest.approx(3.97)
    assert stats.Sample((7.0,)).percentile(99) == 7.0


@pytest.mark.parametrize("power", [0.5, 1.0, 1.7])
def test_exponent_recovers_a_power_law(power):
    sizes = [20, 200, 2_000, 10_000]

    assert stats.exponent(sizes, [0.003 * s**power for s in sizes]) == pytest.approx(power)


def test_timed_result_keeps_the_last_result_and_one_time_per_run():
    calls = iter(range(10))

    sample, last = stats.timed_result(lambda: next(calls), 3)

    assert last == 2
    assert len(sample.values) == 3
    assert all(v >= 0 for v in sample.values)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0000938, "0.0938 ms"),
        (0.0793, "79.3 ms"),
        (0.0996, "100 ms"),
        (0.45, "450 ms"),
        (1.24, "1.24 s"),
    ],
)
def test_seconds_reads_as_a_person_writes(value, text):
    assert stats.seconds(value) == text


def test_compared_row_passes_only_under_the_limit():
    fast = stats.Sample((0.001, 0.002, 0.003))
    floor = stats.Sample((0.0005,))

    row = report.compared("3. Search", "rare word", fast, floor, "bare query", "< 50 ms", 0.05)

    assert (row.median, row.spread, row.peer, row.ratio, row.verdict) == (
        "2 ms",
        "1 ms – 3 ms",
        "bare query 0.5 ms",
        "4.0×",
        report.PASS,
    )
    assert report.compared("3", "", fast, floor, "", "", 0.002).verdict == report.MISS


def test_markdown_keeps_one_row_per_line_whatever_the_text():
    rows = [
        report.Row("1. Cold start", "a | b\nc", "1 s"),
        report.missing("5. Print", "", "failed"),
    ]

    page = report.markdown(rows, [("CPU", "x|y")], ["a note"])

    lines = page.splitlines()
    assert "| 1. Cold start | a \\| b c | 1 s |  |  |  |  | — |  |" in lines
    assert "| 5. Print |  | — |  |  |  |  | not available | failed |" in lines
    assert "| CPU | x\\|y |" in lines
    assert lines[-1] == "- a note"
