"""The covering report's optional sheets: ``Report``, ``Figures`` and ``Approval``.

- ``Report``: `No`, `Heading`, `Text`, one row per section; paragraphs are separated by
  blank lines, and a line ``[table: NAME]`` places a table of figures as a numbered
  paragraph of its own.
- ``Figures``: `Table`, `Row`, then one column per year headed as the paper heads it
  ("2017/18 (£'000)"). A blank `Table` cell continues the table above; a row repeating the
  header (`Table`, `Row`, years…) starts tables with other years. A row named TOTAL is a
  total: its empty cells are computed, and a figure given that disagrees with its rows is
  a bad row.
- ``Approval``: `Role`, `Name`, `Statement`, `Date`.

The report's public-interest answers are rows of the ``Plan`` sheet (see
``PLAN_REPORT_FIELDS``). The report belongs to the period the workbook is for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from db.model import Period, PlanData, name_key
from db.report import (
    FigureRow,
    FigureTable,
    Report,
    disagreements,
    formatted,
    number,
    paragraphs,
    table_name,
)
from exports.dates import read_date
from exports.sheets import template as tb

REPORT_SHEET = "Report"
FIGURES_SHEET = "Figures"
APPROVAL_SHEET = "Approval"
REPORT_COLUMNS = (
    tb.Column("number", "No", ("Number", "Section")),
    tb.Column("heading", "Heading", ("Title",)),
    tb.Column("text", "Text", ("Paragraphs",)),
)
FIGURE_COLUMNS = (tb.Column("table", "Table", ()), tb.Column("row", "Row", ("Service",)))
APPROVAL_COLUMNS = (
    tb.Column("role", "Role", ()),
    tb.Column("name", "Name", ("Signature",)),
    tb.Column("statement", "Statement", ()),
    tb.Column("date", "Date", ()),
)
# Rows of the Plan sheet holding the report's title and public-interest answers (001, 11).
PLAN_REPORT_FIELDS = (
    ("Report title", "title"),
    ("Suitable for the public domain", "public"),
    ("Reason not public", "exempt_reason"),
    ("Public confidence considered", "public_confidence"),
    ("Media, stakeholder and community impacts", "impacts"),
)
TOTAL = "total"

Problem = Callable[[Any, int, str], None]


def read_report_sheets(sheets: dict[str, Any], problem: Problem) -> dict[str, Any] | None:
    """Return the covering report the workbook holds (as ``db.build`` takes it), or None."""
    found = {name: sheets.get(name) for name in (REPORT_SHEET, FIGURES_SHEET, APPROVAL_SHEET)}
    answers = _plan_answers(sheets.get(tb.PLAN_SHEET))
    if not any(found.values()) and not answers:
        return None
    report: dict[str, Any] = {"sections": [], "tables": [], "approvals": []}
    report.update(answers)
    if "public" in answers:
        report["public"] = tb.yes(answers["public"]) or tb.key(answers["public"]) == ""
    if found[FIGURES_SHEET] is not None:
        report["tables"] = _figures(found[FIGURES_SHEET], problem)
    if found[REPORT_SHEET] is not None:
        report["sections"] = _sections(found[REPORT_SHEET], report["tables"], problem)
    if found[APPROVAL_SHEET] is not None:
        report["approvals"] = _approvals(found[APPROVAL_SHEET])
    return report


def _plan_answers(sheet: Any) -> dict[str, str]:
    if sheet is None:
        return {}
    names = {tb.norm(label): key for label, key in PLAN_REPORT_FIELDS}
    answers: dict[str, str] = {}
    for row in sheet.rows:
        cells = [c for c in row if c not in (None, "")]
        if len(cells) > 1 and tb.norm(tb.cell_text(cells[0])) in names:
            answers.setdefault(names[tb.norm(tb.cell_text(cells[0]))], tb.cell_text(cells[1]))
    return answers


def _rows(sheet: Any, columns: tuple[tb.Column, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    header = tb.find_header(sheet.name, sheet.rows, columns)
    if header is None:
        return
    for index in range(header.row, len(sheet.rows)):
        row = sheet.rows[index]
        values = {
            c.key: tb.cell_text(row[i]) if (i := header.columns.get(c.key)) is not None
            and i < len(row) else ""
            for c in columns
        }  # fmt: skip
        if any(values.values()):
            yield index + 1, values


def _sections(sheet: Any, tables: list[dict[str, Any]], problem: Problem) -> list[dict[str, Any]]:
    names = {name_key(t["name"]) for t in tables}
    sections = []
    for number_, values in _rows(sheet, REPORT_COLUMNS):
        for paragraph in paragraphs(values["text"]):
            name = table_name(paragraph)
            if name is not None and name_key(name) not in names:
                problem(sheet, number_, f"places table {name!r}, which is not in the Figures sheet")
        sections.append(values)
    return sections


def _approvals(sheet: Any) -> list[dict[str, str]]:
    header = tb.find_header(sheet.name, sheet.rows, APPROVAL_COLUMNS)
    approvals = []
    for at, values in _rows(sheet, APPROVAL_COLUMNS):
        if header is not None and "date" in header.columns:
            # An Excel date is kept as an ISO date; anything typed is kept as typed. Read
            # from the row itself (``at`` counts from 1), so a row filled only in a
            # column of the office's own cannot shift a date onto another approval.
            row, index = sheet.rows[at - 1], header.columns["date"]
            if index < len(row) and row[index] not in (None, ""):
                values["date"] = read_date(row[index])
        approvals.append(values)
    return approvals


def _figures(sheet: Any, problem: Problem) -> list[dict[str, Any]]:
    header = tb.find_header(sheet.name, sheet.rows, FIGURE_COLUMNS)
    if header is None or "table" not in header.columns:
        return []
    table_at, row_at = header.columns["table"], header.columns.get("row")
    years = dict(header.extras)
    tables: list[dict[str, Any]] = []
    numbers: dict[int, int] = {}  # id(table row) -> the sheet row it came from
    current: dict[str, Any] | None = None
    for index in range(header.row, len(sheet.rows)):
        row, sheet_row = sheet.rows[index], index + 1

        def cell(i: int | None, row: tuple[object, ...] = row) -> str:
            return tb.cell_text(row[i]) if i is not None and i < len(row) else ""

        if tb.key(cell(table_at)) == "table" and tb.key(cell(row_at)) in ("row", "service", ""):
            years = {i: cell(i) for i in range(len(row)) if i not in (table_at, row_at) and cell(i)}
            continue
        name, label = cell(table_at), cell(row_at)
        figures = {i: _figure(cell(i)) for i in years}
        if not (name or label or any(figures.values())):
            continue
        if name and (current is None or tb.key(name) != tb.key(current["name"])):
            current = next((t for t in tables if tb.key(t["name"]) == tb.key(name)), None)
            if current is None:
                current = {"name": name, "columns": [], "years": dict(years), "rows": []}
                tables.append(current)
        if current is None:
            problem(sheet, sheet_row, "names no table")
            continue
        entry = {"label": label, "figures": figures, "total": tb.key(label) == TOTAL}
        numbers[id(entry)] = sheet_row
        current["rows"].append(entry)
    result = []
    for table in tables:
        used = [i for i in table["years"] if any(r["figures"].get(i) for r in table["rows"])]
        columns = [table["years"][i] for i in used]
        rows = [
            {
                "label": r["label"],
                "cells": [r["figures"].get(i, "") for i in used],
                "total": r["total"],
            }
            for r in table["rows"]
        ]
        result.append({"name": table["name"], "columns": columns, "rows": rows})
        for row, (found, column, given, expected) in _checked(table, columns, rows, numbers):
            problem(
                sheet,
                row,
                f"the {found} for {column} in {table['name']} is {given} but its rows add up "
                f"to {formatted(expected)}",
            )
    return result


def _checked(
    table: dict[str, Any], columns: list[str], rows: list[dict[str, Any]], numbers: dict[int, int]
) -> Iterator[tuple[int, tuple[str, str, str, str]]]:
    made = FigureTable(
        "", table["name"], tuple(columns),
        tuple(FigureRow(str(i), r["label"], tuple(r["cells"]), r["total"]) for i, r in enumerate(rows)),
    )  # fmt: skip
    for found, column, given, expected in disagreements(made):
        source = table["rows"][int(found.id)]
        yield numbers[id(source)], (found.label, column, given, expected)


def _figure(text: str) -> str:
    """Return a figure as kept: without separators or £ when it is a number, else as typed."""
    value = number(text)
    if value is None:
        return text
    cleaned = text.strip().replace(",", "").replace("£", "").replace(" ", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):
        return "-" + cleaned[1:-1]
    return cleaned.lstrip("+")


# -- writing -----------------------------------------------------------------------------------


def report_plan_rows(report: Report | None, clean: Callable[[str], str]) -> list[list[str]]:
    """Return the Plan sheet rows for the report's title and public-interest answers."""
    if report is None:
        return []
    values = {
        "title": report.title,
        "public": "Yes" if report.public else "No",
        "exempt_reason": report.exempt_reason,
        "public_confidence": report.public_confidence,
        "impacts": report.impacts,
    }
    return [[label, clean(values[key])] for label, key in PLAN_REPORT_FIELDS]


def report_tables(
    data: PlanData, period: Period | None, clean: Callable[[str], str]
) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    """Yield the Report, Figures and Approval sheets of the period's covering report."""
    report = data.report_for(period.id) if period else None
    if report is None:
        return
    yield (
        REPORT_SHEET,
        [c.header for c in REPORT_COLUMNS],
        [[clean(s.number), clean(s.heading), clean(s.text)] for s in report.sections],
    )
    if report.tables:
        first = list(report.tables[0].columns)
        rows: list[list[str]] = []
        shown = first
        for table in report.tables:
            if list(table.columns) != shown:
                shown = list(table.columns)
                rows.append(["Table", "Row", *map(clean, shown)])
            for row in table.rows:
                rows.append([clean(table.name), clean(row.label), *map(clean, row.cells)])
        yield FIGURES_SHEET, ["Table", "Row", *map(clean, first)], rows
    if report.approvals:
        yield (
            APPROVAL_SHEET,
            [c.header for c in APPROVAL_COLUMNS],
            [
                [clean(a.role), clean(a.name), clean(a.statement), clean(a.date)]
                for a in report.approvals
            ],
        )
