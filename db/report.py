"""The covering report of a reporting period: reading it, its default sections, its figures.

A report belongs to one period (``reports.period_id``). Its sections are numbered in order
(1, 2, 3 … unless a section gives its own number) and each section's text is its
paragraphs, separated by blank lines; a paragraph that is a line ``[table: NAME]`` places
the table of figures called NAME there, as a numbered paragraph of its own. Paragraphs are
numbered ``section.paragraph`` (6.12) when printed.

Figures are kept as typed ("14,282" is kept as ``14282``); a row marked ``total`` with an
empty cell has that cell computed as the sum of the rows above it in the table.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from db.changes import Changes
from db.document import Document
from db.edits import insert_row
from db.model import name_key

# The headings of 001, 003 and 004 in the order those papers use them; an office renames,
# removes or adds its own. "Public interest" prints the public-interest answers and
# "Approval" the approval block, after any text of their own.
DEFAULT_SECTIONS = (
    "Purpose", "Recommendation", "Background", "Financial", "Legal", "Equalities", "Risk",
    "Public interest", "Lead officer", "Annexes", "Approval",
)  # fmt: skip
REPORT_TABLES = frozenset(
    {"reports", "report_sections", "report_tables", "report_rows", "approvals"}
)
PUBLIC_INTEREST = "public interest"
APPROVAL = "approval"
TABLE_LINE = re.compile(r"^\[\s*table\s*:\s*(.+?)\s*\]$", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class Section:
    """A numbered section: its heading and its text (paragraphs separated by blank lines)."""

    id: str
    number: str
    heading: str
    text: str
    position: int = 0


@dataclass(frozen=True)
class FigureRow:
    """One row of a table of figures: its label, a cell per column, and whether it is a total."""

    id: str
    label: str
    cells: tuple[str, ...]
    total: bool = False
    position: int = 0


@dataclass(frozen=True)
class FigureTable:
    """A table of figures by financial year: its name and its column headings as written."""

    id: str
    name: str
    columns: tuple[str, ...]
    rows: tuple[FigureRow, ...] = ()
    position: int = 0


@dataclass(frozen=True)
class Approval:
    """One approval: who (role and name), what they confirm, and when."""

    id: str
    role: str
    name: str
    statement: str
    date: str
    position: int = 0


@dataclass(frozen=True)
class Report:
    """The covering report of one period, read whole."""

    id: str
    period_id: str
    title: str = ""
    public: bool = True
    exempt_reason: str = ""
    public_confidence: str = ""
    impacts: str = ""
    sections: tuple[Section, ...] = ()
    tables: tuple[FigureTable, ...] = ()
    approvals: tuple[Approval, ...] = field(default_factory=tuple)

    def table_called(self, name: str) -> FigureTable | None:
        """Return the table of figures called ``name`` (case and spacing ignored), or None."""
        wanted = name_key(name)
        return next((t for t in self.tables if name_key(t.name) == wanted), None)


def read_report(doc: Document, period_id: str) -> Report | None:
    """Return the covering report of a period, or None when it has none."""
    conn = doc.conn
    row = conn.execute("SELECT * FROM reports WHERE period_id = ?", (period_id,)).fetchone()
    if row is None:
        return None
    report_id = row["id"]
    sections = tuple(
        Section(r["id"], r["number"], r["heading"], r["text"], r["position"])
        for r in conn.execute(
            "SELECT * FROM report_sections WHERE report_id = ? ORDER BY position, rowid",
            (report_id,),
        )
    )
    tables = []
    for t in conn.execute(
        "SELECT * FROM report_tables WHERE report_id = ? ORDER BY position, rowid", (report_id,)
    ):
        rows = tuple(
            FigureRow(
                r["id"], r["label"], tuple(_strings(r["cells"])), bool(r["total"]), r["position"]
            )
            for r in conn.execute(
                "SELECT * FROM report_rows WHERE table_id = ? ORDER BY position, rowid", (t["id"],)
            )
        )
        tables.append(
            FigureTable(t["id"], t["name"], tuple(_strings(t["columns"])), rows, t["position"])
        )
    approvals = tuple(
        Approval(r["id"], r["role"], r["name"], r["statement"], r["date"], r["position"])
        for r in conn.execute(
            "SELECT * FROM approvals WHERE report_id = ? ORDER BY position, rowid", (report_id,)
        )
    )
    return Report(
        id=report_id,
        period_id=period_id,
        title=row["title"],
        public=bool(row["public"]),
        exempt_reason=row["exempt_reason"],
        public_confidence=row["public_confidence"],
        impacts=row["impacts"],
        sections=sections,
        tables=tuple(tables),
        approvals=approvals,
    )


def read_reports(doc: Document) -> list[Report]:
    """Return every period's covering report (none from a file older than format 5)."""
    try:
        periods = [r[0] for r in doc.conn.execute("SELECT period_id FROM reports ORDER BY rowid")]
    except sqlite3.OperationalError:  # an older file opened read-only, not upgraded
        return []
    return [found for p in periods if (found := read_report(doc, p)) is not None]


def _strings(text: str) -> list[str]:
    try:
        values = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in values] if isinstance(values, list) else []


def new_report(doc: Document, period_id: str, title: str = "") -> Changes:
    """Add a covering report to a period, with the default sections, in one undoable step."""
    report = insert_row("reports", {"period_id": period_id, "title": title})
    rows = [report]
    rows += [
        insert_row("report_sections", {"report_id": report.id, "heading": h, "position": i})
        for i, h in enumerate(DEFAULT_SECTIONS)
    ]
    return doc.apply(Changes("Add covering report", tuple(rows)))


def paragraphs(text: str) -> list[str]:
    """Return a section's paragraphs: the text split at blank lines, each trimmed.

    A ``[table: NAME]`` line is always a paragraph of its own, even with no blank line around it.
    """
    result: list[str] = []
    for part in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines: list[str] = []
        for line in part.split("\n"):
            if TABLE_LINE.match(line.strip()):
                if lines:
                    result.append("\n".join(lines).strip())
                    lines = []
                result.append(line.strip())
            else:
                lines.append(line)
        if "\n".join(lines).strip():
            result.append("\n".join(lines).strip())
    return result


def table_name(paragraph: str) -> str | None:
    """Return the name of the table a ``[table: NAME]`` paragraph places, or None."""
    found = TABLE_LINE.match(paragraph.strip())
    return found.group(1) if found else None


def number(text: str) -> Decimal | None:
    """Return a figure as a number ("14,282", "£1.5", "(3)" as -3), or None when it is not one."""
    value = (text or "").strip().replace(",", "").replace("£", "").replace(" ", "")
    negative = value.startswith("(") and value.endswith(")")
    value = value.strip("()")
    if not _NUMBER.match(value):
        return None
    try:
        result = Decimal(value)
    except InvalidOperation:
        return None
    return -result if negative else result


def places(text: str) -> int:
    """Return how many decimal places a figure was written with."""
    value = (text or "").strip().rstrip(")")
    return len(value.split(".", 1)[1]) if "." in value else 0


def computed_cells(table: FigureTable, row: FigureRow) -> list[str]:
    """Return a row's cells with a total row's empty cells computed from the rows above it.

    A total sums the rows since the previous total (or the top of the table), written with
    as many decimal places as the most precise of them.
    """
    if not row.total:
        return list(row.cells)
    above: list[FigureRow] = []
    for other in table.rows:
        if other.id == row.id:
            break
        above = [] if other.total else [*above, other]
    cells = []
    for index in range(len(table.columns)):
        given = row.cells[index] if index < len(row.cells) else ""
        if given.strip():
            cells.append(given)
            continue
        values = [r.cells[index] for r in above if index < len(r.cells) and r.cells[index].strip()]
        numbers = [number(v) for v in values]
        if not values or any(n is None for n in numbers):
            cells.append("")
            continue
        total = sum(numbers, Decimal(0))  # type: ignore[arg-type]
        cells.append(f"{total:.{max(places(v) for v in values)}f}")
    return cells


def disagreements(table: FigureTable) -> list[tuple[FigureRow, str, str, str]]:
    """Return each total cell that was given and differs from its rows: (row, column, given, sum)."""
    found = []
    for row in table.rows:
        if not row.total:
            continue
        blank = FigureRow(row.id, row.label, ("",) * len(table.columns), True, row.position)
        sums = computed_cells(
            FigureTable(
                table.id,
                table.name,
                table.columns,
                tuple(blank if r is row else r for r in table.rows),
            ),
            blank,
        )
        for index, given in enumerate(row.cells):
            expected = sums[index] if index < len(sums) else ""
            if given.strip() and expected and number(given) != number(expected):
                found.append((row, table.columns[index], given, expected))
    return found


def formatted(text: str) -> str:
    """Return a figure with thousands separators as printed ("37802" → "37,802"); text as is."""
    value = number(text)
    if value is None:
        return text
    shown = f"{abs(value):,.{places(text.replace(',', ''))}f}"
    return f"-{shown}" if value < 0 else shown
