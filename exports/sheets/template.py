"""The spreadsheet template shared by import, export and lead sheets: sheets, columns, cells.

A plan travels as a workbook of four sheets (``Plan``, ``Status key``, ``Actions``,
``Measures``) and an optional ``Themes`` sheet. Sheet names and column headers are matched
without regard to case or spacing, and each column also answers to the names offices give it
in their own layouts ("Action", "Agency", "Progress", "RAG"...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from db.errors import ScrutineerError
from db.model import name_key

# Excel's own limit: a longer text is cut off when the workbook is opened.
CELL_LIMIT = 32767

PLAN_SHEET = "Plan"
STATUS_SHEET = "Status key"
ACTIONS_SHEET = "Actions"
MEASURES_SHEET = "Measures"
THEMES_SHEET = "Themes"


@dataclass(frozen=True)
class Column:
    """A column of the template: its key, the header export writes, the headers import accepts."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Return every header this column answers to, normalised."""
        return tuple(norm(n) for n in (self.header, *self.synonyms))


ACTION_COLUMNS = (
    Column("theme", "Theme", ("Theme no", "Theme number", "Strand", "Pillar")),
    Column("theme_title", "Theme title", ("Strand title", "Pillar title")),
    Column(
        "ref",
        "Ref",
        ("Reference", "Action ref", "Action no", "Action number", "Ref no", "No", "Number"),
    ),
    Column(
        "lead",
        "Lead officer",
        ("Lead officer(s)", "Lead officers", "Lead", "Leads", "Agency", "Owner"),
    ),
    Column("plan_ref", "Plan ref", ("Plan reference",)),
    Column(
        "activity",
        "Strategic activity",
        ("Action", "Activity", "Actions", "Objective", "Project", "Description"),
    ),
    Column("status", "Status", ("RAG", "RAGB", "RAG status", "RAGB status", "BRAG")),
    Column("update", "Update", ("Progress", "Progress update", "Commentary", "Comments")),
)

MEASURE_COLUMNS = (
    Column("theme", "Theme", ("Theme no", "Theme number", "Strand", "Pillar")),
    Column("number", "No", ("Number", "Measure no", "Ref")),
    Column("measure", "Measure", ("Performance measure", "Indicator")),
    Column("objective", "Objective", ()),
    Column("target", "Target", ()),
    Column("performance", "Performance to date", ("Performance", "Progress")),
    Column("footnotes", "Footnotes", ("Notes",)),
)

STATUS_COLUMNS = (
    Column("label", "Status", ("Label", "Name")),
    Column("colour", "Colour", ("Color",)),
    Column("meaning", "Meaning", ("Description",)),
    Column("code", "Code", ()),
    Column("complete", "Complete", ("Completed",)),
)

THEME_COLUMNS = (
    Column("number", "Theme", ("Theme no", "Number", "No")),
    Column("title", "Title", ("Theme title",)),
    Column("aim", "Aim", ()),
    Column("performance_heading", "Performance heading", ()),
    Column("why_important", "Why it is important", ("Why important",)),
)

# Plan sheet rows (field name -> key); the first six are the template.
PLAN_FIELDS = (
    ("Title", "title"),
    ("Organisation", "organisation"),
    ("Period", "period"),
    ("Period start", "period_start"),
    ("Period end", "period_end"),
    ("Marking", "marking"),
    ("Commissioner", "commissioner"),
    ("Years", "years"),
    ("Period heading", "period_heading"),
    ("Theme word", "theme_word"),
    ("Action word", "action_word"),
    ("Appendix label", "appendix_label"),
    ("Version label", "version_label"),
)
PLAN_SYNONYMS = {
    "organization": "organisation",
    "protectivemarking": "marking",
    "periodstarts": "period_start",
    "periodends": "period_end",
    "reportingperiod": "period",
}

# The default status scheme (DESIGN.md): applied when rows carry statuses but no key is given.
DEFAULT_STATUSES = (
    {
        "code": "G",
        "label": "Green",
        "colour": "#00B050",
        "meaning": "Achieved or adequate progress being made",
        "complete": False,
    },
    {
        "code": "A",
        "label": "Amber",
        "colour": "#FFC000",
        "meaning": "Started but inadequate progress, or a risk that it will not be achieved",
        "complete": False,
    },
    {
        "code": "R",
        "label": "Red",
        "colour": "#FF0000",
        "meaning": "Unachieved, or likely that it will not be achieved",
        "complete": False,
    },
    {"code": "B", "label": "Blue", "colour": "#0070C0", "meaning": "Complete", "complete": True},
    {
        "code": "W",
        "label": "White",
        "colour": "#FFFFFF",
        "meaning": "Not started but planned for a later quarter",
        "complete": False,
    },
)

COLOUR_NAMES = {
    "green": "#00B050",
    "amber": "#FFC000",
    "orange": "#FFC000",
    "yellow": "#FFFF00",
    "red": "#FF0000",
    "blue": "#0070C0",
    "white": "#FFFFFF",
    "grey": "#BFBFBF",
    "gray": "#BFBFBF",
    "black": "#000000",
    "purple": "#7030A0",
}

# Suffixes that mark a status as complete: "Green (C)", "Green (Complete)".
COMPLETE_WORDS = {"c", "complete", "completed", "done", "closed", "achieved"}

_SPACE = re.compile(r"\s+")
_HEX = re.compile(r"^#?([0-9a-f]{6})$", re.IGNORECASE)
_LEAD_SPLIT = re.compile(r"[/;\n]")


def norm(text: object) -> str:
    """Return ``text`` with case and all spacing ignored, for matching sheet and column names."""
    return _SPACE.sub("", str(text or "")).casefold()


def key(text: object) -> str:
    """Return ``text`` with case ignored and runs of spacing made one space (names, refs)."""
    return name_key(text)


def cell_text(value: object) -> str:
    """Return a cell's value as the text a person typed: whole numbers without ".0", dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def split_leads(text: str) -> list[str]:
    """Return the lead officers named in one cell ("DCC Barber/DH", one per line, or "A; B")."""
    return [name for name in (" ".join(p.split()) for p in _LEAD_SPLIT.split(text)) if name]


def join_leads(leads: Iterable[str]) -> str:
    """Return lead officers as one cell, in the form :func:`split_leads` reads back."""
    return "; ".join(leads)


def colour_hex(text: str) -> str | None:
    """Return a colour cell ("#00B050", "00b050", "Green") as ``#RRGGBB``, or None."""
    found = _HEX.match(text.strip())
    if found:
        return "#" + found.group(1).upper()
    return COLOUR_NAMES.get(key(text))


def yes(text: str) -> bool:
    """Return whether a cell says yes ("Yes", "Y", "True", "1", "x")."""
    return key(text) in {"yes", "y", "true", "1", "x", "✓", "complete", "completed"}


def find_sheet(names: Sequence[str], wanted: str) -> str | None:
    """Return the sheet of ``names`` that is ``wanted`` regardless of case and spacing."""
    target = norm(wanted)
    return next((name for name in names if norm(name) == target), None)


@dataclass(frozen=True)
class Header:
    """Where a sheet's header row is and which column holds what."""

    row: int  # 1-based row number of the header
    columns: dict[str, int]  # column key -> 0-based index
    extras: list[tuple[int, str]]  # columns the template does not know: (index, header)
    # A template column named twice ("Update" and "Update", or "Update" and "Progress"):
    # (column key, index used, index of the repeat). The import refuses such a sheet.
    repeats: list[tuple[str, int, int]] = field(default_factory=list)


def match_header(
    rows: Sequence[Sequence[object]], columns: Sequence[Column], *, first_row: int = 1
) -> Header | None:
    """Find the header row among the first ``rows`` of a sheet and map its columns.

    The header is the first row naming at least two of ``columns`` (offices often put a title
    above it), else the first naming one. Columns with a header the template does not know are returned as extras, in
    their order; a column with no header is ignored.

    Returns:
        The header, or None when no row looks like one.
    """
    lookup: dict[str, str] = {}
    for column in columns:
        for name in column.names():
            lookup.setdefault(name, column.key)
    first: Header | None = None
    for offset, row in enumerate(rows):
        found: dict[str, int] = {}
        extras: list[tuple[int, str]] = []
        repeats: list[tuple[str, int, int]] = []
        for index, value in enumerate(row):
            text = " ".join(cell_text(value).split())
            if not text:
                continue
            column_key = lookup.get(norm(text))
            if column_key is not None and column_key not in found:
                found[column_key] = index
            else:
                if column_key is not None:
                    repeats.append((column_key, found[column_key], index))
                extras.append((index, text))
        if len(found) >= 2:
            return Header(first_row + offset, found, extras, repeats)
        if found and first is None:
            first = Header(first_row + offset, found, extras, repeats)
    # A sheet of one known column: its first row naming that column is the header.
    return first


HEADER_SEARCH = 20  # rows above a header (titles, notes) that are looked through


def find_header(
    sheet_name: str, rows: Sequence[Sequence[object]], columns: Sequence[Column], of: str = ""
) -> Header | None:
    """Find a sheet's header row (see :func:`match_header`), refusing a column named twice.

    The one rule for every sheet read (the template's, the optional ones, a return sheet):
    with two "Update" columns, or "Update" and "Progress", it is not clear which to read.

    Raises:
        ScrutineerError: the header names a template column twice (``of``: the file's name).
    """
    header = match_header(rows[:HEADER_SEARCH], columns)
    if header is not None and header.repeats:
        column_key, first, second = header.repeats[0]
        row = rows[header.row - 1]
        names = " and ".join(f"{column_letter(i)} ({cell_text(row[i])!r})" for i in (first, second))
        named = next(c.header for c in columns if c.key == column_key)
        where = f"The {sheet_name} sheet" + (f" of {of}" if of else "")
        raise ScrutineerError(
            f"{where} has two {named} columns, {names}, so it is not clear which to "
            "import; delete or rename one and import again."
        )
    return header


def column_letter(index: int) -> str:
    """Return a spreadsheet's letters for the 0-based column ``index`` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def unique_names(names: Iterable[str]) -> list[str]:
    """Return ``names`` with repeats made distinct ("Notes", "Notes (2)"), order kept."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for name in names:
        count = seen.get(key(name), 0) + 1
        seen[key(name)] = count
        result.append(name if count == 1 else f"{name} ({count})")
    return result
