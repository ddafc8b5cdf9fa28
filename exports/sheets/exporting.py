"""Writing a plan as a spreadsheet in the import template (.xlsx), or its Actions sheet (.csv).

What is written reads back through ``exports.sheets.importing`` as the same plan content
for the period exported: details, status key, themes, actions with their leads and the
office's own columns, measures and their performance.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from db import model
from db.errors import ScrutineerError
from db.model import Action, Period, PlanData
from db.text import redact
from exports.sheets import template as tb

# Excel evaluates a CSV cell that starts with one of these as a formula; a quote stops it.
_FORMULA_START = ("=", "+", "-", "@")
_WIDTHS = {"Strategic activity": 50, "Update": 80, "Measure": 40, "Objective": 40, "Target": 30}
_WIDTHS.update({"Performance to date": 60, "Meaning": 50, "Value": 60, "Why it is important": 60})
_WIDTHS.update({"Aim": 50, "Performance heading": 40, "Title": 40, "Theme title": 30})


def choose_period(data: PlanData, label: str | None) -> Period | None:
    """Return the period called ``label``, or the latest when ``label`` is None.

    The rule every command shares: ``db.model.choose_period``.

    Raises:
        ScrutineerError: the plan has no period called ``label``.
    """
    return model.choose_period(data.periods, label)


def text_filter(public: bool) -> Callable[[str], str]:
    """Return what every text goes through: redaction for a public export."""

    def check(text: str) -> str:
        text = redact(text) if public else text
        if len(text) > tb.CELL_LIMIT:
            raise ScrutineerError(
                f"A text of {len(text):,} characters is longer than a spreadsheet cell holds "
                f"({tb.CELL_LIMIT:,}); shorten it before exporting."
            )
        return text

    return check


def action_table(
    data: PlanData,
    period: Period | None,
    actions: Sequence[Action],
    *,
    public: bool = False,
) -> tuple[list[str], list[list[str]]]:
    """Return the Actions sheet's headers and one row of texts per action.

    The office's own columns follow the template's, in the plan's order.
    """
    clean = text_filter(public)
    themes = {t.id: t for t in data.themes}
    statuses = data.status_by_id()
    headers = [c.header for c in tb.ACTION_COLUMNS] + list(data.plan.extra_fields)
    rows: list[list[str]] = []
    for action in actions:
        theme = themes[action.theme_id]
        update = data.update_for(action.id, period.id) if period else None
        status = statuses.get(update.status_id) if update and update.status_id else None
        row = [
            theme.number,
            theme.title,
            action.ref,
            tb.join_leads(action.leads),
            action.plan_ref,
            action.activity,
            status.label if status else "",
            update.text if update else "",
        ]
        row += [action.extra.get(name, "") for name in data.plan.extra_fields]
        rows.append([clean(str(v or "")) for v in row])
    return headers, rows


def all_actions(data: PlanData) -> list[Action]:
    """Return every action, theme by theme, in plan order."""
    return [a for theme in data.themes for a in data.actions_of(theme.id)]


def write_workbook(
    data: PlanData, out: Path, *, period_label: str | None = None, public: bool = False
) -> int:
    """Write the whole plan to ``out`` (.xlsx) in the template; return the number of actions.

    Raises:
        ScrutineerError: the period is unknown, a text is too long, or ``out`` cannot be written.
    """
    from openpyxl import Workbook

    period = choose_period(data, period_label)
    clean = text_filter(public)
    workbook = Workbook()
    plan_sheet = workbook.active
    plan_sheet.title = tb.PLAN_SHEET
    values = plan_values(data, period)
    fill_sheet(plan_sheet, ["Field", "Value"], [[n, clean(values[k])] for n, k in tb.PLAN_FIELDS])
    if data.statuses:
        status_rows = [
            [s.label, s.colour, clean(s.meaning), s.code, "Yes" if s.complete else "No"]
            for s in data.statuses
        ]
        key_sheet = workbook.create_sheet(tb.STATUS_SHEET)
        fill_sheet(key_sheet, [c.header for c in tb.STATUS_COLUMNS], status_rows)
        for row, status in enumerate(data.statuses, start=2):
            paint(key_sheet.cell(row, 2), status.colour)
    actions = all_actions(data)
    headers, rows = action_table(data, period, actions, public=public)
    action_sheet = workbook.create_sheet(tb.ACTIONS_SHEET)
    fill_sheet(action_sheet, headers, rows)
    paint_statuses(action_sheet, data, rows)
    measure_rows = []
    for theme in data.themes:
        for measure in data.measures_of(theme.id):
            performance = data.performance_for(measure.id, period.id) if period else None
            performance_text = ""
            if performance is not None:
                performance_text = performance.text or (
                    tb.cell_text(performance.value) if performance.value is not None else ""
                )
            measure_rows.append(
                [
                    clean(v)
                    for v in (
                        theme.number,
                        measure.number,
                        measure.measure,
                        measure.objective,
                        measure.target,
                        performance_text,
                        measure.footnotes,
                    )
                ]
            )
    fill_sheet(
        workbook.create_sheet(tb.MEASURES_SHEET),
        [c.header for c in tb.MEASURE_COLUMNS],
        measure_rows,
    )
    theme_rows = [
        [clean(v) for v in (t.number, t.title, t.aim, t.performance_heading, t.why_important)]
        for t in data.themes
    ]
    fill_sheet(
        workbook.create_sheet(tb.THEMES_SHEET), [c.header for c in tb.THEME_COLUMNS], theme_rows
    )
    workbook.active = workbook.sheetnames.index(tb.ACTIONS_SHEET)
    save_workbook(workbook, out)
    return len(actions)


def plan_values(data: PlanData, period: Period | None) -> dict[str, str]:
    """Return the Plan sheet's values keyed as in ``tabular.PLAN_FIELDS``."""
    plan = data.plan
    values: dict[str, str] = {
        name: str(getattr(plan, name, "") or "")
        for _, name in tb.PLAN_FIELDS
        if not name.startswith("period")
    }
    values["period"] = period.label if period else ""
    values["period_start"] = period.starts if period else ""
    values["period_end"] = period.ends if period else ""
    values["period_heading"] = period.heading if period else ""
    return values


def write_csv(
    data: PlanData, out: Path, *, period_label: str | None = None, public: bool = False
) -> int:
    """Write the Actions sheet alone to ``out`` (.csv, UTF-8 with BOM); return the number of actions.

    The byte-order mark makes Excel on Windows read the text as UTF-8 rather than cp1252.
    """
    period = choose_period(data, period_label)
    actions = all_actions(data)
    headers, rows = action_table(data, period, actions, public=public)

    def write(handle: Any) -> None:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([[_csv_safe(v) for v in row] for row in rows])

    _atomic_write(out, write, text=True)
    return len(actions)


def _csv_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def fill_sheet(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write a header row and data rows, with readable widths, wrapping and a frozen header."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, values in enumerate(rows, start=2):
        sheet.append(list(values))
        # sheet[number] would measure the whole sheet on every row; name the cells instead.
        for cell in (sheet.cell(number, c) for c in range(1, len(values) + 1)):
            cell.alignment = wrap
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text, never a formula
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(
            header, max(10, min(len(header) + 4, 30))
        )
    sheet.freeze_panes = "A2"


def paint(cell: Any, colour: str) -> None:
    """Fill ``cell`` with ``colour`` (``#RRGGBB``)."""
    from openpyxl.styles import PatternFill

    rgb = colour.lstrip("#").upper()
    if len(rgb) == 6:
        cell.fill = PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def paint_statuses(sheet: Any, data: PlanData, rows: Sequence[Sequence[str]]) -> None:
    """Colour each Status cell of an Actions sheet as the status key does."""
    column = [c.key for c in tb.ACTION_COLUMNS].index("status") + 1
    colours = {tb.key(s.label): s.colour for s in data.statuses}
    for number, row in enumerate(rows, start=2):
        colour = colours.get(tb.key(row[column - 1]))
        if colour:
            paint(sheet.cell(number, column), colour)


def save_workbook(workbook: Any, out: Path) -> None:
    """Save ``workbook`` to ``out`` whole or not at all.

    Raises:
        ScrutineerError: ``out`` cannot be written (open in Excel, no such folder...).
    """
    _atomic_write(out, workbook.save, text=False)


def _atomic_write(out: Path, write: Callable[[Any], None], *, text: bool) -> None:
    out = Path(out)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".scrutineer-", suffix=out.suffix, dir=out.parent)
    except OSError as exc:
        raise ScrutineerError(
            f"{out.name} could not be written in {out.parent} ({exc.strerror})."
        ) from None
    tmp = Path(tmp_name)
    try:
        if text:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                write(handle)
        else:
            os.close(fd)
            write(tmp)
        # mkstemp makes a private file; an export is meant to be shared like any document.
        os.chmod(tmp, (out.stat().st_mode & 0o777) if out.exists() else 0o644)
        os.replace(tmp, out)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise ScrutineerError(
            f"{out.name} could not be written; if it is open in another program, close it "
            "there and try again."
        ) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ScrutineerError(f"{out.name} could not be written ({exc.strerror}).") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
