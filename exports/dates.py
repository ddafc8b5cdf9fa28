"""Milestone dates: read as a person types them, kept as ISO, printed as the papers write them.

A milestone's start and end are kept as ISO dates (``2010-08-01``) or months
(``2010-08``); anything else a person typed ("Summer 2010") is kept and printed as written.
The print follows the collaboration paper (``003``): months, not days, with the short
month names British papers use (Jan, Feb, March, April, May, June, July, Aug, Sept, Oct,
Nov, Dec), and the year once when both ends share it:

- ``2010-08-01`` to ``2010-09-30``  → "Aug to Sept 2010"
- ``2010-04`` to ``2010-05``        → "April to May 2010"
- ``2010-11`` to ``2011-02``        → "Nov 2010 to Feb 2011"
- both in one month                 → "July 2010"
- a start alone                     → "From July 2010" (the paper's "commence July 2010")
- an end alone                      → "By Nov 2010"
"""

from __future__ import annotations

import datetime as dt
import re

SHORT_MONTHS = (
    "Jan", "Feb", "March", "April", "May", "June",
    "July", "Aug", "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip
_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def iso_from_uk(text: str) -> str:
    """Return a British date ("31/03/2018", "1.4.2017") as ISO; any other text as it is."""
    found = _UK.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def read_date(value: object) -> str:
    """Return a date cell as kept: ISO for a date, ``YYYY-MM`` for "July 2010", else as typed."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value or "").split())
    if _UK.match(text):
        return iso_from_uk(text)
    found = _MONTH_YEAR.match(text)
    if found and found.group(1).casefold() in _NAMES:
        return f"{found.group(2)}-{_NAMES[found.group(1).casefold()]:02d}"
    return text


def _month(text: str) -> tuple[int, int] | None:
    found = _ISO.match(text.strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return (year, month) if 1 <= month <= 12 else None


def when(starts: str, ends: str) -> str:
    """Return a milestone's dates as the papers print them ("Aug to Sept 2010")."""
    first, last = _month(starts or ""), _month(ends or "")
    starts, ends = (starts or "").strip(), (ends or "").strip()
    if first is None and last is None:
        return " to ".join(part for part in (starts, ends) if part)
    if first is None:
        return f"{starts} to {_name(last)}" if starts else f"By {_name(last)}"
    if last is None:
        return f"{_name(first)} to {ends}" if ends else f"From {_name(first)}"
    if first == last:
        return _name(first)
    if first[0] == last[0]:
        return f"{SHORT_MONTHS[first[1] - 1]} to {_name(last)}"
    return f"{_name(first)} to {_name(last)}"


def _name(month: tuple[int, int] | None) -> str:
    if month is None:
        return ""
    return f"{SHORT_MONTHS[month[1] - 1]} {month[0]}"
