"""Editing the plan: each function makes one committed change and returns it for undo."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from db import errors
from db.changes import Changes, RowChange
from db.document import Document, new_id, row_dict
from db.tables import CHILDREN

# What a field is called in the Undo menu ("Edit status of 7C01").
_FIELD_NAMES = {
    "status_id": "status",
    "text": "update",
    "plan_ref": "plan reference",
    "activity": "activity",
    "closed_in": "closed period",
    "added_in": "added period",
    "why_important": "why it is important",
    "performance_heading": "performance heading",
    "extra_fields": "own columns",
    "extra": "own columns",
}


# How the covering report's records are named in the Undo menu.
REPORT_NAMES = {
    "reports": lambda row: "covering report",
    "report_sections": lambda row: f"report section {row.get('heading') or ''}".strip(),
    "report_tables": lambda row: f"table {row.get('name') or ''}".strip(),
    "report_rows": lambda row: f"figures row {row.get('label') or ''}".strip(),
    "approvals": lambda row: f"approval {row.get('role') or ''}".strip(),
}


class _Unset:
    pass


UNSET = _Unset()


def describe(doc: Document, table: str, row: dict[str, object]) -> str:
    """Return how a record is named to a person: an action by its ref, a theme by number."""
    if table == "actions":
        return str(row.get("ref") or _clip(str(row.get("activity") or "action")))
    if table in ("updates", "milestones", "action_leads"):
        action = doc.row("actions", str(row.get("action_id"))) or {}
        name = describe(doc, "actions", action)
        if table == "updates":
            period = doc.row("periods", str(row.get("period_id"))) or {}
            return f"{name} ({period.get('label', '')})"
        if table == "milestones":
            return f"milestone {row.get('phase') or ''} of {name}".replace("  ", " ")
        return name
    if table == "themes":
        word = (doc.row("plan", _plan_id(doc)) or {}).get("theme_word") or "Theme"
        return f"{word} {row.get('number') or row.get('title')}"
    if table == "measures":
        return f"measure {row.get('number') or _clip(str(row.get('measure') or ''))}"
    if table == "performance":
        measure = doc.row("measures", str(row.get("measure_id"))) or {}
        return describe(doc, "measures", measure)
    if table == "periods":
        return f"period {row.get('label')}"
    if table == "statuses":
        return f"status {row.get('label')}"
    if table in REPORT_NAMES:
        return REPORT_NAMES[table](row)
    return "plan"


def _clip(text: str, length: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _plan_id(doc: Document) -> str:
    return doc.conn.execute("SELECT id FROM plan").fetchone()[0]


def _require(doc: Document, table: str, record_id: str) -> dict[str, object]:
    row = doc.row(table, record_id)
    if row is None:
        raise errors.StaleEditError("That record no longer exists (a merge or undo removed it).")
    return row


def _next_position(doc: Document, table: str, where: str = "", args: Sequence[object] = ()) -> int:
    sql = f"SELECT coalesce(max(position), -1) + 1 FROM {table}" + (
        f" WHERE {where}" if where else ""
    )
    return int(doc.conn.execute(sql, args).fetchone()[0])


def _encode(field: str, value: object) -> object:
    if field in ("extra", "extra_fields") and not isinstance(value, str):
        return json.dumps(value if field == "extra" else list(value), ensure_ascii=False)  # type: ignore[call-overload]
    if field in ("cells", "columns") and not isinstance(value, str):
        return json.dumps(list(value), ensure_ascii=False)  # type: ignore[call-overload]
    if field in ("locked", "complete", "public", "total") and isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and field not in ("id",):
        return value
    return value


def edit(
    doc: Document, table: str, record_id: str, undo_text: str | None = None, **fields: object
) -> Changes:
    """Change fields of one record in one committed step.

    Args:
        doc: the open plan.
        table: which kind of record ("actions", "themes", "updates", …).
        record_id: the record's id.
        undo_text: the Undo menu's name for the edit; made up from the fields when omitted.
        **fields: the new values; lists and dicts for the JSON columns are encoded here.

    Returns:
        The applied change (empty when nothing differed).
    """
    before = _require(doc, table, record_id)
    after = {**before, **{k: _encode(k, v) for k, v in fields.items()}}
    change = RowChange(table, record_id, before, after)
    changed = change.changed_fields()
    if not changed:
        return Changes(undo_text or "", ())
    if undo_text is None:
        names = {} if table in REPORT_NAMES else _FIELD_NAMES  # a section's text is its text
        what = ", ".join(names.get(f, f.replace("_", " ")) for f in changed)
        undo_text = f"Edit {what} of {describe(doc, table, before)}"
    return doc.apply(Changes(undo_text, (change,)))


def edit_plan(doc: Document, **fields: object) -> Changes:
    """Change the plan's own details (title, marking, vocabulary, own columns …)."""
    return edit(doc, "plan", _plan_id(doc), **fields)


def insert_row(table: str, values: dict[str, object]) -> RowChange:
    """Return the change that adds one new record (with a new id unless one is given)."""
    values = {k: _encode(k, v) for k, v in values.items()}
    record_id = str(values.pop("id", None) or new_id())
    return RowChange(table, record_id, None, values)


def add(doc: Document, table: str, text: str | None = None, **values: object) -> Changes:
    """Add one record at the end of its list and return the change (its id is rows[0].id)."""
    if "position" not in values and table != "leads":
        scope = {
            "actions": ("theme_id = ?", [values.get("theme_id")]),
            "measures": ("theme_id = ?", [values.get("theme_id")]),
            "milestones": ("action_id = ?", [values.get("action_id")]),
            "report_sections": ("report_id = ?", [values.get("report_id")]),
            "report_tables": ("report_id = ?", [values.get("report_id")]),
            "approvals": ("report_id = ?", [values.get("report_id")]),
            "report_rows": ("table_id = ?", [values.get("table_id")]),
        }.get(table, ("", []))
        values["position"] = _next_position(doc, table, *scope)
    change = insert_row(table, values)
    return doc.apply(
        Changes(text or f"Add {describe(doc, table, dict(change.after or {}))}", (change,))
    )


# The records that belong to a record (deleted with it) are in the one map, db.tables.


def _children(doc: Document, table: str, record_id: str) -> list[RowChange]:
    """Return deletions for a record's dependants, deepest first."""
    rows: list[RowChange] = []
    for child, column in CHILDREN.get(table, ()):
        for found in doc.conn.execute(f"SELECT * FROM {child} WHERE {column} = ?", (record_id,)):
            rows += _children(doc, child, found["id"])
            rows.append(RowChange(child, found["id"], dict(found), None))
    return rows


def period_in_use(doc: Document, period_id: str) -> bool:
    """Return True when an action names the period as its added or closed period."""
    return (
        doc.conn.execute(
            "SELECT 1 FROM actions WHERE added_in = ? OR closed_in = ?", (period_id, period_id)
        ).fetchone()
        is not None
    )


def deletion(doc: Document, table: str, before: dict[str, object]) -> list[RowChange]:
    """Return the changes that delete a record and everything that belongs to it.

    Updates with a deleted status keep their text and show no status.

    Raises:
        ScrutineerError: the record is a period named as an action's added or closed period.
    """
    record_id = str(before["id"])
    if table == "periods" and period_in_use(doc, record_id):
        raise errors.ScrutineerError(
            f"Period {before['label']} is named as an action's added or closed period, "
            "so it cannot be deleted."
        )
    rows = _children(doc, table, record_id)
    if table == "statuses":
        for found in doc.conn.execute("SELECT * FROM updates WHERE status_id = ?", (record_id,)):
            rows.append(
                RowChange("updates", found["id"], dict(found), {**dict(found), "status_id": None})
            )
    rows.append(RowChange(table, record_id, before, None))
    return rows


def delete(doc: Document, table: str, record_id: str) -> Changes:
    """Delete a record and everything that belongs to it, in one undoable step."""
    before = _require(doc, table, record_id)
    rows = deletion(doc, table, before)
    return doc.apply(Changes(f"Delete {describe(doc, table, before)}", tuple(rows)))


def lead_rows(doc: Document, names: Iterable[str]) -> tuple[list[str], list[RowChange]]:
    """Return lead ids for ``names`` and the changes that add the leads not yet known."""
    ids: list[str] = []
    new: list[RowChange] = []
    known = {r["name"].casefold(): r["id"] for r in doc.conn.execute("SELECT id, name FROM leads")}
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        lead_id = known.get(name.casefold())
        if lead_id is None:
            change = insert_row("leads", {"name": name})
            new.append(change)
            lead_id = known[name.casefold()] = change.id
        if lead_id not in ids:
            ids.append(lead_id)
    return ids, new


def set_leads(doc: Document, action_id: str, names: Sequence[str]) -> Changes:
    """Make ``names`` the action's lead officers, in that order."""
    action = _require(doc, "actions", action_id)
    ids, rows = lead_rows(doc, names)
    current = {
        r["lead_id"]: dict(r)
        for r in doc.conn.execute("SELECT * FROM action_leads WHERE action_id = ?", (action_id,))
    }
    for lead_id, old in current.items():
        if lead_id not in ids:
            rows.append(RowChange("action_leads", old["id"], old, None))
    for position, lead_id in enumerate(ids):
        old = current.get(lead_id)
        if old is None:
            rows.append(
                insert_row(
                    "action_leads",
                    {"action_id": action_id, "lead_id": lead_id, "position": position},
                )
            )
        elif old["position"] != position:
            rows.append(RowChange("action_leads", old["id"], old, {**old, "position": position}))
    if not rows:
        return Changes("", ())
    return doc.apply(Changes(f"Edit leads of {describe(doc, 'actions', action)}", tuple(rows)))


def set_update(
    doc: Document,
    action_id: str,
    period_id: str,
    *,
    status_id: str | _Unset | None = UNSET,
    text: str | _Unset = UNSET,
) -> Changes:
    """Set an action's status and/or update text for a period, creating the update if needed."""
    fields: dict[str, object] = {}
    if not isinstance(status_id, _Unset):
        fields["status_id"] = status_id
    if not isinstance(text, _Unset):
        fields["text"] = text
    found = doc.conn.execute(
        "SELECT id FROM updates WHERE action_id = ? AND period_id = ?", (action_id, period_id)
    ).fetchone()
    if found:
        return edit(doc, "updates", found[0], **fields)
    action = _require(doc, "actions", action_id)
    change = insert_row(
        "updates",
        {"action_id": action_id, "period_id": period_id, "status_id": None, "text": "", **fields},
    )
    what = " and ".join(_FIELD_NAMES[f] for f in fields) or "update"
    return doc.apply(Changes(f"Edit {what} of {describe(doc, 'actions', action)}", (change,)))


def set_performance(
    doc: Document,
    measure_id: str,
    period_id: str,
    *,
    text: str | _Unset = UNSET,
    value: float | _Unset | None = UNSET,
) -> Changes:
    """Set a measure's performance to date for a period, creating the record if needed."""
    fields: dict[str, object] = {}
    if not isinstance(text, _Unset):
        fields["text"] = text
    if not isinstance(value, _Unset):
        fields["value"] = value
    found = doc.conn.execute(
        "SELECT id FROM performance WHERE measure_id = ? AND period_id = ?", (measure_id, period_id)
    ).fetchone()
    if found:
        return edit(doc, "performance", found[0], **fields)
    measure = _require(doc, "measures", measure_id)
    change = insert_row(
        "performance",
        {"measure_id": measure_id, "period_id": period_id, "text": "", "value": None, **fields},
    )
    return doc.apply(
        Changes(f"Edit performance of {describe(doc, 'measures', measure)}", (change,))
    )


def add_period(
    doc: Document, label: str, starts: str = "", ends: str = "", heading: str = ""
) -> Changes:
    """Add a reporting period and carry every open action forward into it with its status.

    An action is open when it has no closed period. Its latest status comes with it; the
    update text starts empty, because each quarter's update is written afresh.
    """
    label = " ".join(label.split())
    if not label:
        raise errors.ScrutineerError("A reporting period needs a label, such as “Q3 2017/18”.")
    if doc.conn.execute(
        "SELECT 1 FROM periods WHERE label = ? COLLATE NOCASE", (label,)
    ).fetchone():
        raise errors.ScrutineerError(f"There is already a period called {label}.")
    if starts and ends and ends < starts:
        raise errors.ScrutineerError(f"{label} cannot end before it starts.")
    period = insert_row(
        "periods",
        {"label": label, "starts": starts, "ends": ends, "heading": heading, "locked": 0,
         "position": _next_position(doc, "periods")},
    )  # fmt: skip
    rows = [period]
    latest = doc.conn.execute(
        "SELECT a.id, (SELECT u.status_id FROM updates u JOIN periods p ON p.id = u.period_id "
        "WHERE u.action_id = a.id ORDER BY p.position DESC, p.starts DESC LIMIT 1) "
        "FROM actions a WHERE a.closed_in IS NULL"
    )
    for action_id, status_id in latest:
        rows.append(
            insert_row(
                "updates",
                {
                    "action_id": action_id,
                    "period_id": period.id,
                    "status_id": status_id,
                    "text": "",
                },
            )
        )
    return doc.apply(Changes(f"Add period {label}", tuple(rows)))


def lock_period(doc: Document, period_id: str, locked: bool = True) -> Changes:
    """Lock a published period against edits (or unlock it)."""
    period = _require(doc, "periods", period_id)
    verb = "Lock" if locked else "Unlock"
    return edit(doc, "periods", period_id, f"{verb} period {period['label']}", locked=locked)


def reorder(doc: Document, table: str, ids: Sequence[str], text: str = "Reorder") -> Changes:
    """Give the records ``ids`` the positions 0, 1, 2 … in that order, in one step."""
    rows = []
    for position, record_id in enumerate(ids):
        before = _require(doc, table, record_id)
        if before.get("position") != position:
            rows.append(RowChange(table, record_id, before, {**before, "position": position}))
    return doc.apply(Changes(text, tuple(rows)))


def undo(doc: Document, changes: Changes) -> Changes:
    """Reverse a committed change; returns what was applied."""
    return doc.apply(changes.inverse())


def redo(doc: Document, changes: Changes) -> Changes:
    """Apply a change again after it was undone."""
    return doc.apply(changes)


def existing_row(doc: Document, table: str, record_id: str) -> dict[str, object] | None:
    """Return a raw row for building changes elsewhere in db (merge, build)."""
    return row_dict(doc.row(table, record_id))
