"""Clashes a merge found: reading them, showing both sides, and resolving them.

A clash is a field (or a whole record) that this plan and a merged return both changed
differently since the copy or sheet was sent. It is kept in the ``clashes`` table with
both values until a person takes mine, takes theirs or writes a combination; every
resolution is one undoable change. ``db.merge`` finds them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from db import errors
from db.changes import Changes, RowChange
from db.document import Document, now
from db.edits import _FIELD_NAMES, deletion
from db.tables import REFS

RECORD = "(record)"  # the field of a clash about a whole record (deleted on one side)
# Fields a person can write a combination of; the rest are one side or the other.
TEXT_FIELDS = frozenset({"text", "activity", "aim", "title", "measure", "objective", "target",
                         "footnotes", "why_important", "meaning", "heading", "phase"})  # fmt: skip


@dataclass(frozen=True)
class Clash:
    """One field (or record) both sides changed differently since the copy was made."""

    id: str
    table: str
    record_id: str
    field: str
    ref: str
    kind: str  # "field", "deleted_here" (we deleted it) or "deleted_there" (they did)
    mine: object
    theirs: object
    origin: str = ""
    who: str = ""
    at: str = ""
    status: str = "open"
    resolution: str = ""
    resolved_by: str = ""
    resolved_at: str = ""
    restore: tuple[dict, ...] = ()

    @property
    def field_label(self) -> str:
        """Return the field as a person calls it ("update", "status", "the record")."""
        if self.field == RECORD:
            return "the record"
        return field_label(self.field)

    @property
    def editable(self) -> bool:
        """Return True when a person can write a combination of both values."""
        return self.kind == "field" and self.field in TEXT_FIELDS

    def __str__(self) -> str:
        if self.kind == "deleted_here":
            return f"{self.ref}: deleted here but changed in {self.origin}"
        if self.kind == "deleted_there":
            return f"{self.ref}: deleted in {self.origin} but changed here"
        return f"{self.ref}, {self.field_label}: changed here and in {self.origin}"


def field_label(name: str) -> str:
    """Return how a person calls a field ("status" for status_id)."""
    return _FIELD_NAMES.get(name, name.replace("_", " "))


def from_row(row: dict) -> Clash:
    """Return the clash a ``clashes`` row holds."""
    return Clash(
        id=row["id"],
        table=row["table_name"],
        record_id=row["record_id"],
        field=row["field"],
        ref=row["ref"],
        kind=row["kind"],
        mine=json.loads(row["mine"]) if row.get("mine") is not None else None,
        theirs=json.loads(row["theirs"]) if row.get("theirs") is not None else None,
        origin=row["origin"],
        who=row["who"],
        at=row["at"],
        status=row["status"],
        resolution=row["resolution"],
        resolved_by=row["resolved_by"],
        resolved_at=row["resolved_at"],
        restore=tuple(json.loads(row["restore"] or "[]")),
    )


def clashes(doc: Document, *, include_resolved: bool = False) -> list[Clash]:
    """Return the plan's clashes in the order they were found (open ones only by default)."""
    sql = "SELECT * FROM clashes" + ("" if include_resolved else " WHERE status = 'open'")
    return [from_row(dict(r)) for r in doc.conn.execute(sql + " ORDER BY at, rowid")]


def open_clash_count(doc: Document) -> int:
    """Return how many clashes wait to be resolved, for the window's status line."""
    return int(doc.conn.execute("SELECT count(*) FROM clashes WHERE status = 'open'").fetchone()[0])


def by_record(doc: Document) -> dict[str, list[Clash]]:
    """Return the open clashes keyed by the record they are about, for marking the plan's rows."""
    found: dict[str, list[Clash]] = defaultdict(list)
    for item in clashes(doc):
        found[item.record_id].append(item)
    return dict(found)


def clashed_actions(doc: Document) -> set[str]:
    """Return the ids of the actions with an open clash on them, their updates or their leads."""
    rows = doc.conn.execute(
        "SELECT record_id FROM clashes WHERE status = 'open' AND table_name = 'actions' "
        "UNION SELECT t.action_id FROM clashes c JOIN updates t ON t.id = c.record_id "
        "WHERE c.status = 'open' AND c.table_name = 'updates' "
        "UNION SELECT t.action_id FROM clashes c JOIN action_leads t ON t.id = c.record_id "
        "WHERE c.status = 'open' AND c.table_name = 'action_leads' "
        "UNION SELECT t.action_id FROM clashes c JOIN milestones t ON t.id = c.record_id "
        "WHERE c.status = 'open' AND c.table_name = 'milestones'"
    )
    return {r[0] for r in rows}


def clash(doc: Document, clash_id: str) -> Clash | None:
    """Return one clash, or None."""
    row = doc.row("clashes", clash_id)
    return from_row(row) if row else None


def shown(doc: Document, item: Clash, value: object) -> str:
    """Return one side of a clash as a person reads it (a status by its label)."""
    if item.kind != "field":
        if value is None:
            return "(deleted)"
        if isinstance(value, dict):
            parts = [str(value.get(k)) for k in ("ref", "label", "title", "name", "number")]
            text = value.get("text") or value.get("activity") or ""
            named = next((p for p in parts if p and p != "None"), "")
            return "\n".join(p for p in (named, str(text)) if p) or "(kept)"
        return str(value)
    if value is None:
        return "(none)"
    if item.field == "status_id":
        row = doc.row("statuses", str(value))
        return str(row["label"]) if row else "(a status no longer in the key)"
    return str(value)


def resolve(doc: Document, clash_id: str, choice: str, combined: str | None = None) -> Changes:
    """Resolve a clash in one undoable step: take ``"mine"``, ``"theirs"`` or ``"combined"``.

    Taking mine keeps the plan as it is; taking theirs puts the return's value (or
    record, or deletion) in; a combination sets the field to ``combined``.

    Raises:
        ScrutineerError: the clash is already resolved, the record is gone, or a
            combination was asked for a field that is not text.
    """
    item = clash(doc, clash_id)
    if item is None:
        raise errors.StaleEditError("That clash no longer exists (an undo removed it).")
    if item.status != "open":
        raise errors.ScrutineerError(f"The clash over {item.ref} has already been resolved.")
    if choice not in ("mine", "theirs", "combined"):
        raise ValueError(f"not a way to resolve a clash: {choice!r}")
    rows: list[RowChange] = []
    if choice != "mine":
        if item.kind == "field":
            value = item.theirs if choice == "theirs" else combined
            rows += _set_field(doc, item, value, combined=choice == "combined")
        elif choice == "combined":
            raise errors.ScrutineerError(
                "A deleted record cannot be combined; take mine or theirs."
            )
        elif item.kind == "deleted_there":
            rows += _delete_ours(doc, item)
        else:
            rows += _restore_theirs(doc, item)
    before = doc.row("clashes", clash_id) or {}
    resolved = {
        "status": "resolved",
        "resolution": choice,
        "resolved_by": doc.who,
        "resolved_at": now(),
    }
    rows.append(RowChange("clashes", clash_id, before, {**before, **resolved}))
    verb = {"mine": "Keep mine", "theirs": "Take theirs", "combined": "Combine"}[choice]
    return doc.apply(Changes(f"{verb} for {item.ref}, {item.field_label}", tuple(rows)))


def _set_field(doc: Document, item: Clash, value: object, *, combined: bool) -> list[RowChange]:
    if combined and not item.editable:
        raise errors.ScrutineerError(f"The {item.field_label} of {item.ref} cannot be combined.")
    row = doc.row(item.table, item.record_id)
    if row is None:
        raise errors.StaleEditError(
            f"{item.ref} is no longer in the plan, so the clash can only be kept as it is."
        )
    if row.get(item.field) == value:
        return []
    return [RowChange(item.table, item.record_id, row, {**row, item.field: value})]


def _delete_ours(doc: Document, item: Clash) -> list[RowChange]:
    row = doc.row(item.table, item.record_id)
    return [] if row is None else deletion(doc, item.table, row)


def _restore_theirs(doc: Document, item: Clash) -> list[RowChange]:
    if not item.restore:
        raise errors.ScrutineerError(
            f"{item.ref} is no longer in the plan and the return holds only its update, so "
            "it cannot be restored; add the action again and copy the update across."
        )
    rows: list[RowChange] = []
    coming: set[tuple[str, str]] = set()
    for entry in item.restore:
        table, record_id, values = entry["table"], entry["id"], dict(entry["values"])
        here = doc.row(table, record_id)
        if here is not None:
            # Another clash brought it back already: this return's values go in over it.
            theirs = {k: v for k, v in values.items() if k in here and k != "position"}
            if any(here[k] != v for k, v in theirs.items()):
                rows.append(RowChange(table, record_id, here, {**here, **theirs}))
            continue
        for column, parent in REFS.get(table, {}).items():
            target = values.get(column)
            if (
                target is not None
                and (parent, target) not in coming
                and doc.row(parent, str(target)) is None
            ):
                raise errors.ScrutineerError(
                    f"{item.ref} cannot be restored because a record it belongs to is gone too."
                )
        rows.append(RowChange(table, record_id, None, values))
        coming.add((table, record_id))
    return rows
