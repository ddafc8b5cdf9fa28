"""The template's optional sheets beyond the plan itself: milestones, and the covering report.

One place lists them, so import reads and export writes the same sheets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from db.model import Period, PlanData
from exports.sheets.milestones import (
    MILESTONE_COLUMNS,
    MILESTONES_SHEET,
    milestone_table,
    read_milestones,
)

OPTIONAL_SHEETS: tuple[str, ...] = (MILESTONES_SHEET,)


def read_optional_sheets(
    sheets: dict[str, Any], themes: list[dict[str, Any]], problem: Callable[[Any, int, str], None]
) -> None:
    """Read every optional sheet the workbook has into the importer's plan data."""
    sheet = sheets.get(MILESTONES_SHEET)
    if sheet is not None:
        read_milestones(sheet.rows, themes, lambda row, text: problem(sheet, row, text))


def optional_tables(
    data: PlanData, period: Period | None, clean: Callable[[str], str]
) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    """Yield each optional sheet that has rows: its name, headers and rows."""
    rows = milestone_table(data, clean)
    if rows:
        yield MILESTONES_SHEET, [c.header for c in MILESTONE_COLUMNS], rows
