"""An action's recorded changes as a table: when, who, what, from and to."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt

from db import reads
from db.document import CREATED, DELETED, Document
from db.model import HistoryEntry
from ui.table_model import Index, TableModel

COLUMNS = ("When", "Who", "What", "Was", "Now", "From")
SHOWN = 120  # characters of a long text shown in a cell; the tooltip holds all of it
_FIELDS = {
    "status_id": "Status",
    "text": "Update",
    "activity": "Activity",
    "ref": "Ref",
    "plan_ref": "Plan ref",
    "added_in": "New in",
    "closed_in": "Closed in",
    "position": "Order",
    "lead_id": "Lead",
}


class HistoryModel(TableModel):
    """Rows are history entries, newest first, with ids turned back into names."""

    titles = COLUMNS

    def __init__(self, doc: Document, action_id: str, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[HistoryEntry] = reads.action_history(doc, action_id)
        self._names: dict[str, str] = {s.id: s.label for s in reads.statuses(doc)}
        self._names.update({p.id: p.label for p in reads.periods(doc)})
        self._record: dict[str, str] = {}
        for entry in self.entries:
            if entry.table_name == "updates" and entry.record_id not in self._record:
                row = doc.row("updates", entry.record_id)
                period = self._names.get(str(row["period_id"])) if row else None
                self._record[entry.record_id] = f"Update {period}" if period else "Update"

    def _what(self, entry: HistoryEntry) -> str:
        if entry.table_name == "updates":
            prefix = self._record.get(entry.record_id, "Update")
        elif entry.table_name == "action_leads":
            prefix = "Lead officers"
        else:
            prefix = "Action"
        if entry.field == CREATED:
            return f"{prefix}: added"
        if entry.field == DELETED:
            return f"{prefix}: removed"
        return f"{prefix}: {_FIELDS.get(entry.field, entry.field.replace('_', ' '))}"

    def _value(self, entry: HistoryEntry, value: str | None) -> str:
        if value is None:
            return ""
        if entry.field in (CREATED, DELETED):
            try:
                row = json.loads(value)
            except ValueError:
                return value
            shown = self._names.get(str(row.get("status_id")), "")
            words = str(row.get("text") or row.get("activity") or "")
            return " – ".join(x for x in (shown, words) if x)
        return self._names.get(value, value)

    def row_count(self) -> int:
        """Return the number of rows."""
        return len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Return a cell's text (full text as its tooltip)."""
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        entry = self.entries[index.row()]
        values = (
            _local(entry.at),
            entry.who,
            self._what(entry),
            self._value(entry, entry.old),
            self._value(entry, entry.new),
            entry.origin or "this computer",
        )
        text = values[index.column()]
        if role == Qt.ItemDataRole.DisplayRole and len(text) > SHOWN:
            if index.column() in (3, 4):
                # Was and Now are cut where they differ, so two long texts never look the same.
                return around_change(text, values[7 - index.column()])
            return text[: SHOWN - 1] + "…"
        return text


def around_change(text: str, other: str, width: int = 0) -> str:
    """Return ``text`` cut to ``width`` characters around where it first differs from ``other``."""
    width = width or SHOWN
    same = next(
        (i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b),
        min(len(text), len(other)),
    )
    start = max(0, min(same - width // 4, len(text) - width))
    shown = text[start : start + width]
    return ("…" if start else "") + shown + ("…" if start + width < len(text) else "")


def _local(stamp: str) -> str:
    """Return a stored UTC time as local time, to the minute."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y %H:%M")
    except ValueError:
        return stamp
