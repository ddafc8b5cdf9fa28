"""The next reporting period proposed from the last one: label, dates and heading."""

from __future__ import annotations

import datetime as dt

import pytest

from db.model import Period
from db.periods import propose

Q2 = Period(
    id="q2",
    label="Q2 2017/18",
    starts="2017-04-01",
    ends="2017-09-30",
    heading="QRT 2 UPDATE (April 2017 to September 2017)",
)


def test_the_quarter_after_the_samples_keeps_the_plans_own_heading():
    proposal = propose([Q2])
    assert proposal.label == "Q3 2017/18"
    assert (proposal.starts, proposal.ends) == ("2017-10-01", "2017-12-31")
    assert proposal.heading == "QRT 3 UPDATE (April 2017 to December 2017)"


def test_a_new_financial_year_starts_its_heading_again():
    q4 = Period(
        id="q4",
        label="Q4 2017/18",
        starts="2018-01-01",
        ends="2018-03-31",
        heading="Quarter 4 position (April 2017 to March 2018)",
    )
    proposal = propose([Q2, q4])
    assert proposal.label == "Q1 2018/19"
    assert (proposal.starts, proposal.ends) == ("2018-04-01", "2018-06-30")
    assert proposal.heading == "Quarter 1 position (April 2018 to June 2018)"


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        # No period yet: the financial quarter that holds today.
        (
            [],
            (
                "Q3 2024/25",
                "2024-10-01",
                "2024-12-31",
                "QRT 3 UPDATE (April 2024 to December 2024)",
            ),
        ),
        # A period with no dates or heading: the label's own quarter.
        (
            [Period(id="x", label="Q4 2023/24")],
            ("Q1 2024/25", "2024-04-01", "2024-06-30", "QRT 1 UPDATE (April 2024 to June 2024)"),
        ),
    ],
)
def test_proposals_without_a_heading_to_follow(periods, expected):
    proposal = propose(periods, today=dt.date(2024, 11, 23))
    assert (proposal.label, proposal.starts, proposal.ends, proposal.heading) == expected


def test_a_period_that_is_not_a_quarter_still_gets_dates_and_a_heading():
    spring = Period(id="s", label="Spring", starts="2024-01-01", ends="2024-04-30")
    proposal = propose([spring])
    assert proposal.label == ""
    assert (proposal.starts, proposal.ends) == ("2024-05-01", "2024-07-31")
    assert proposal.heading.endswith("(May 2024 to July 2024)")
