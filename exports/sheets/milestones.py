"""The optional ``Milestones`` sheet: an action's phases with their dates, state and note.

Each row names its action as the Actions sheet does: by theme and ref, or, in a plan
without refs, by ``No``, the action's position in its theme (1 for the first). A row naming
an action that is not there is a bad row, reported by sheet and row like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from db.model import PlanData
from exports.dates import read_date
from exports.sheets import template as tb

MILESTONES_SHEET = "Milestones"
MILESTONE_COLUMNS = (
    tb.Column("theme", "Theme", ("Theme no", "Theme number", "Strand", "Pillar")),
    tb.Column("ref", "Ref", ("Reference", "Action ref")),
    tb.Column("number", "No", ("Number", "Action no", "Action number")),
    tb.Column("phase", "Phase", ("Milestone", "Stage")),
    tb.Column("starts", "Starts", ("Start", "From", "Start date")),
    tb.Column("ends", "Ends", ("End", "To", "End date")),
    tb.Column("state", "State", ("Status",)),
    tb.Column("note", "Note", ("Notes",)),
)
_THEME_PREFIX = re.compile(r"^(?:theme|strand|pillar|priority)\s+", re.IGNORECASE)


def read_milestones(
    rows: list[tuple[object, ...]],
    themes: list[dict[str, Any]],
    problem: Callable[[int, str], None],
) -> None:
    """Add each row's milestone to its action in ``themes`` (the importer's plan data)."""
    header = tb.find_header(MILESTONES_SHEET, rows, MILESTONE_COLUMNS)
    if header is None:
        return
    columns = header.columns

    def get(row: tuple[object, ...], name: str) -> str:
        index = columns.get(name)
        return tb.cell_text(row[index]) if index is not None and index < len(row) else ""

    def raw(row: tuple[object, ...], name: str) -> object:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    for index in range(header.row, len(rows)):
        row, number = rows[index], index + 1
        values = {c.key: get(row, c.key) for c in MILESTONE_COLUMNS}
        if not any(values.values()):
            continue
        theme_no = _THEME_PREFIX.sub("", values["theme"]).strip()
        theme = _find_theme(themes, theme_no)
        action = None
        if theme is not None:
            action = _find_action(theme["actions"], values["ref"], values["number"])
        if action is None:
            named = values["ref"] or (f"No {values['number']}" if values["number"] else "no action")
            where = f" of theme {theme_no}" if theme_no else ""
            problem(number, f"names {named}{where}, which is not in the Actions sheet")
            continue
        if not (values["phase"] or values["starts"] or values["ends"]):
            problem(number, "has no phase or dates")
            continue
        action.setdefault("milestones", []).append(
            {
                "phase": values["phase"],
                "starts": read_date(raw(row, "starts")),
                "ends": read_date(raw(row, "ends")),
                "state": values["state"],
                "note": values["note"],
            }
        )


def _find_theme(themes: list[dict[str, Any]], number: str) -> dict[str, Any] | None:
    if not number:
        return themes[0] if len(themes) == 1 else None
    found = next((t for t in themes if tb.key(t["number"]) == tb.key(number)), None)
    if found is None and number.isdigit() and 1 <= int(number) <= len(themes):
        # Themes without numbers are numbered by position when the plan is made.
        theme = themes[int(number) - 1]
        return theme if not theme["number"] else None
    return found


def _find_action(actions: list[dict[str, Any]], ref: str, number: str) -> dict[str, Any] | None:
    if ref:
        return next((a for a in actions if a["ref"] and tb.key(a["ref"]) == tb.key(ref)), None)
    if number.isdigit() and 1 <= int(number) <= len(actions):
        return actions[int(number) - 1]
    return None


def milestone_table(data: PlanData, clean: Callable[[str], str]) -> list[list[str]]:
    """Return the Milestones sheet's rows, action by action in plan order (none: empty)."""
    rows: list[list[str]] = []
    for theme in data.themes:
        for position, action in enumerate(data.actions_of(theme.id), start=1):
            for m in data.milestones_of(action.id):
                rows.append(
                    [
                        clean(v)
                        for v in (
                            theme.number, action.ref, str(position), m.phase, m.starts,
                            m.ends, m.state, m.note,
                        )
                    ]
                )  # fmt: skip
    return rows
