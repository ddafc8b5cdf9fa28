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
from exports.sheets.report_sheets import (
    APPROVAL_SHEET,
    FIGURES_SHEET,
    REPORT_SHEET,
    read_report_sheets,
    report_plan_rows,
    report_tables,
)

OPTIONAL_SHEETS: tuple[str, ...] = (MILESTONES_SHEET, REPORT_SHEET, FIGURES_SHEET, APPROVAL_SHEET)


def read_optional_sheets(
    sheets: dict[str, Any], themes: list[dict[str, Any]], problem: Callable[[Any, int, str], None]
) -> dict[str, Any]:
    """Read every optional sheet the workbook has; return what goes beside the themes.

    Milestones are added to their actions in ``themes``; the covering report is returned
    as ``{"reports": [report]}`` for the importer to attach to the workbook's period.
    """
    sheet = sheets.get(MILESTONES_SHEET)
    if sheet is not None:
        read_milestones(sheet.rows, themes, lambda row, text: problem(sheet, row, text))
    report = read_report_sheets(sheets, problem)
    return {"reports": [report]} if report is not None else {}


def optional_tables(
    data: PlanData, period: Period | None, clean: Callable[[str], str]
) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    """Yield each optional sheet that has rows: its name, headers and rows."""
    rows = milestone_table(data, clean)
    if rows:
        yield MILESTONES_SHEET, [c.header for c in MILESTONE_COLUMNS], rows
    yield from report_tables(data, period, clean)


def optional_plan_rows(
    data: PlanData, period: Period | None, clean: Callable[[str], str]
) -> list[list[str]]:
    """Return the Plan sheet rows beyond the plan's own: the report's public-interest answers."""
    return report_plan_rows(data.report_for(period.id) if period else None, clean)
