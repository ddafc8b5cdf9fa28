"""What an edit did, row by row, so it can be recorded, undone and redone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RowChange:
    """One row before and after an edit; None before means inserted, None after deleted."""

    table: str
    id: str
    before: Mapping[str, object] | None
    after: Mapping[str, object] | None

    def inverse(self) -> RowChange:
        """Return the change that puts the row back."""
        return RowChange(self.table, self.id, self.after, self.before)

    def changed_fields(self) -> list[str]:
        """Return the columns whose value differs between before and after."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [k for k in keys if before.get(k) != after.get(k)]


@dataclass(frozen=True)
class Changes:
    """A committed edit: its name for the Undo menu and the rows it touched, in order."""

    text: str
    rows: tuple[RowChange, ...]

    def inverse(self) -> Changes:
        """Return the edit that undoes this one."""
        return Changes(self.text, tuple(r.inverse() for r in reversed(self.rows)))

    @property
    def tables(self) -> frozenset[str]:
        """Return the kinds of record touched, so views refresh only what changed."""
        return frozenset(r.table for r in self.rows)

    @property
    def ids(self) -> frozenset[str]:
        """Return the ids of the records touched."""
        return frozenset(r.id for r in self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)
