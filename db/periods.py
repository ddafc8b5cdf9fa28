"""Reporting periods: which actions belong to one, and the period that follows the last one."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from db.model import Action, Period

_QUARTER = re.compile(r"Q([1-4])\s+(\d{4})/(\d{2})", re.IGNORECASE)
# "QRT 2", "QTR 2", "Quarter 2", "Q2": the quarter's number in a heading the plan wrote itself.
_HEADING_QUARTER = re.compile(r"\b(QRT|QTR|QUARTER|Q)(\s*)([1-4])\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(
    r"\b(" + "|".join(calendar.month_name[1:]) + r")\s+(\d{4})\b", re.IGNORECASE
)
# UK public bodies report by financial year, April to March.
FIRST_MONTH = 4


@dataclass(frozen=True)
class Proposal:
    """What the next reporting period is likely to be; dates are ISO (YYYY-MM-DD)."""

    label: str
    starts: str
    ends: str
    heading: str


def positions(periods: list[Period]) -> dict[str, int]:
    """Return each period's place in the plan's order (oldest first, as ``reads.periods`` gives)."""
    return {p.id: i for i, p in enumerate(periods)}


def exists_in(action: Action, period_id: str | None, order: dict[str, int]) -> bool:
    """Return whether an action belongs to a period: added by then and not closed before it.

    The one rule for the print, the lead's sheet and the window: an action closed in Q2 is
    reported (as closed) in Q2 and gone from Q3; one added in Q3 is not in Q2.
    """
    here = order.get(period_id or "")
    if here is None:
        return True
    if action.added_in and order.get(action.added_in, -1) > here:
        return False
    return not (action.closed_in and order.get(action.closed_in, here) < here)


def quarter_of(label: str) -> tuple[int, int] | None:
    """Return (quarter, first year) of a label such as "Q3 2017/18", else None."""
    match = _QUARTER.fullmatch(label.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def quarter_label(quarter: int, year: int) -> str:
    """Return the label of a financial quarter: (3, 2017) → "Q3 2017/18"."""
    return f"Q{quarter} {year}/{(year + 1) % 100:02d}"


def next_label(periods: list[Period]) -> str:
    """Suggest the label after the latest one ("Q2 2017/18" → "Q3 2017/18"), else nothing."""
    found = quarter_of(periods[-1].label) if periods else None
    if found is None:
        return ""
    quarter, year = found
    return quarter_label(1, year + 1) if quarter == 4 else quarter_label(quarter + 1, year)


def quarter_dates(quarter: int, year: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a financial quarter (Q1 is April to June)."""
    month = FIRST_MONTH + 3 * (quarter - 1)
    first = _add_months(dt.date(year, 1, 1), month - 1)
    return first, _month_end(_add_months(first, 2))


def heading_for(label: str, starts: dt.date, ends: dt.date, previous: Period | None = None) -> str:
    """Return the column heading for a period, in the form the previous heading used.

    The plans head a quarter's column with the year so far: "QRT 3 UPDATE (April 2017 to
    December 2017)". The previous heading's own wording is kept; its quarter number and
    closing month move on, and its opening month too when a new financial year begins.
    """
    quarter = quarter_of(label)
    year_start = _year_start(starts)
    new_year = quarter is not None and quarter[0] == 1
    template = previous.heading.strip() if previous is not None else ""
    months = list(_MONTH_YEAR.finditer(template))
    if template and (months or _HEADING_QUARTER.search(template)):
        heading = template
        if quarter is not None:
            heading = _HEADING_QUARTER.sub(
                lambda m: f"{m.group(1)}{m.group(2)}{quarter[0]}", heading, count=1
            )
        if len(months) >= 2:
            first, last = months[0], months[-1]
            opening = _month_year(year_start) if new_year else first.group(0)
            heading = (
                heading[: first.start()]
                + opening
                + heading[first.end() : last.start()]
                + _month_year(ends)
                + heading[last.end() :]
            )
        elif months:
            heading = heading[: months[0].start()] + _month_year(ends) + heading[months[0].end() :]
        return heading
    if quarter is not None:
        return f"QRT {quarter[0]} UPDATE ({_month_year(year_start)} to {_month_year(ends)})"
    return f"{label.upper()} UPDATE ({_month_year(starts)} to {_month_year(ends)})".lstrip()


def propose(periods: list[Period], today: dt.date | None = None) -> Proposal:
    """Propose the period after the last one: next quarter's label, dates and heading.

    With no period yet, the proposal is the financial quarter that holds ``today``.
    """
    today = today or dt.date.today()
    last = periods[-1] if periods else None
    label = next_label(periods)
    if last is None:
        year = today.year if today.month >= FIRST_MONTH else today.year - 1
        label = quarter_label((today.month - FIRST_MONTH) % 12 // 3 + 1, year)
    last_end = _date(last.ends) if last is not None else None
    quarter = quarter_of(label)
    if last_end is not None:
        starts = last_end + dt.timedelta(days=1)
        ends = _month_end(_add_months(starts, 2))
    elif quarter is not None:
        starts, ends = quarter_dates(*quarter)
    else:
        starts, ends = quarter_dates(*(quarter_of(propose([], today).label) or (1, today.year)))
    return Proposal(
        label, starts.isoformat(), ends.isoformat(), heading_for(label, starts, ends, last)
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _year_start(day: dt.date) -> dt.date:
    year = day.year if day.month >= FIRST_MONTH else day.year - 1
    return dt.date(year, FIRST_MONTH, 1)


def _month_year(day: dt.date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"
