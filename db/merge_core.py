"""What every merge shares: the two sides' histories, the change it builds, and its report.

``db.merge`` merges a returned copy and ``db.sheet_merge`` a returned sheet; the rules both
follow are written at the top of ``db.merge``. Here are the pieces: :class:`Side` reads one
file's rows and what its history says changed after the fork, and :class:`Merger` builds
the one change a merge applies (what comes in, what is deleted, the clashes, and records
another return deleted coming back) and its :class:`MergeReport`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from db import errors
from db.changes import Changes, RowChange
from db.clashes import RECORD, Clash, field_label, from_row
from db.document import CREATED, DELETED, Document, as_text, new_id, now
from db.edits import describe
from db.signoff import state_row
from db.tables import CHILDREN, NOT_OWNING, ORDER, REFS

KEEP_OURS = frozenset({"id", "position", "locked"})
_UNSEEN = object()


class MergeRefused(errors.ScrutineerError):
    """The return cannot be merged into this plan; nothing was changed."""


@dataclass
class MergeReport:
    """What a merge brought in and what clashed; ``str()`` is one line each."""

    name: str
    who: str
    came_in: list[str] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    changes: Changes = field(default_factory=lambda: Changes("", ()))

    def __str__(self) -> str:
        if not self.came_in and not self.clashes:
            return f"Nothing new came in from {self.name}; the plan is unchanged."
        lines = [
            f"Merged {self.name} ({self.who}): {count(len(self.came_in), 'change')} came in, "
            f"{count(len(self.clashes), 'clash', 'clashes')} to resolve."
        ]
        lines += [f"  came in: {line}" for line in self.came_in]
        lines += [f"  clash: {clash}" for clash in self.clashes]
        return "\n".join(lines)


def count(n: int, one: str, many: str | None = None) -> str:
    """Return "1 change", "3 changes", "2 clashes": ``n`` and the word for that many."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _field_text(row_json: str | None, name: str) -> object:
    try:
        values = json.loads(row_json or "{}")
    except ValueError:
        return _UNSEEN
    return as_text(values[name]) if name in values else _UNSEEN


class Side:
    """One side of a merge: its rows and what its history says changed after the fork."""

    def __init__(self, conn: sqlite3.Connection, fork_id: int) -> None:
        self.conn = conn
        self.fork_id = fork_id
        self._entries: dict[tuple[str, str], list[sqlite3.Row]] = {}
        # Neither file changes while a merge is worked out, so each row is read once.
        self._rows: dict[tuple[str, str], dict | None] = {}

    def row(self, table: str, record_id: str) -> dict | None:
        """Return one record as this side holds it, or None."""
        key = (table, record_id)
        if key not in self._rows:
            found = self.conn.execute(
                f"SELECT * FROM {table} WHERE id = ?", (record_id,)
            ).fetchone()
            self._rows[key] = dict(found) if found is not None else None
        return self._rows[key]

    def entries(self, table: str, record_id: str) -> list[sqlite3.Row]:
        """Return the history rows of one record after the fork, oldest first."""
        key = (table, record_id)
        if key not in self._entries:
            self._entries[key] = self.conn.execute(
                "SELECT * FROM history WHERE record_id = ? AND table_name = ? AND id > ? "
                "ORDER BY id",
                (record_id, table, self.fork_id),
            ).fetchall()
        return self._entries[key]

    def held(self, table: str, record_id: str, name: str) -> set[object]:
        """Return every value (as text) the field has held on this side since the fork."""
        values: set[object] = set()
        for entry in self.entries(table, record_id):
            if entry["field"] == name:
                values |= {entry["old"], entry["new"]}
            elif entry["field"] == CREATED:
                values.add(_field_text(entry["new"], name))
            elif entry["field"] == DELETED:
                values.add(_field_text(entry["old"], name))
        current = self.row(table, record_id)
        if current is not None:
            values.add(as_text(current.get(name)))
        values.discard(_UNSEEN)
        return values

    def created_since_fork(self, table: str, record_id: str) -> bool:
        """Return True when this side added the record after the fork."""
        found = self.entries(table, record_id)
        return bool(found) and found[0]["field"] == CREATED

    def touched(self) -> list[tuple[str, str]]:
        """Return every record this side changed after the fork, parents first."""
        rows = self.conn.execute(
            "SELECT table_name, record_id, min(id) AS first FROM history WHERE id > ? "
            "GROUP BY table_name, record_id ORDER BY first",
            (self.fork_id,),
        ).fetchall()
        order = {t: i for i, t in enumerate(ORDER)}
        found = [(r[0], r[1]) for r in rows if r[0] in order]
        return sorted(found, key=lambda k: order[k[0]])

    def editors(self) -> list[str]:
        """Return who made this side's changes after the fork, in the order they began."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT who FROM history WHERE id > ? AND who != '' GROUP BY who ORDER BY min(id)",
                (self.fork_id,),
            )
        ]


_HISTORY_COLUMNS = "id, at, who, table_name, record_id, field, old, new, origin"


def fork_point(ours: sqlite3.Connection, theirs: sqlite3.Connection) -> int:
    """Return the id of the last history row both files share (0 when they share none)."""
    last = 0
    mine = ours.execute(f"SELECT {_HISTORY_COLUMNS} FROM history ORDER BY id")
    other = theirs.execute(f"SELECT {_HISTORY_COLUMNS} FROM history ORDER BY id")
    for a, b in zip(mine, other, strict=False):
        if tuple(a) != tuple(b):
            break
        last = a[0]
    return last


class Merger:
    """Builds the one change a merge applies, and its report."""

    def __init__(self, doc: Document, name: str, who: str) -> None:
        self.doc = doc
        self.name = name
        self.who = who
        self.rows: list[RowChange] = []
        self.deletes: list[RowChange] = []
        self.clash_rows: list[RowChange] = []
        self.clash_keys: set[tuple[str, ...]] = set()
        self.deleting: set[tuple[str, str]] = set()
        self.report = MergeReport(name, who)
        self.pending: dict[tuple[str, str], dict] = {}  # records on their way in: values
        self.submitted: dict[str, None] = {}

    # -- clashes ---------------------------------------------------------------------------

    def clash(
        self,
        table: str,
        record_id: str,
        name: str,
        ref: str,
        kind: str,
        mine: object,
        theirs: object,
        restore: Iterable[dict] = (),
        *,
        origin: str | None = None,
        who: str | None = None,
    ) -> None:
        """Record a clash, unless the same one (the return holding the same) is recorded."""
        theirs_json = json.dumps(theirs, ensure_ascii=False, sort_keys=True)
        restore_json = json.dumps(list(restore), ensure_ascii=False, sort_keys=True)
        # A clash is one already recorded only when the return holds exactly the same:
        # for a record deleted here its own row may be unchanged while what belongs to it
        # (the update a lead wrote) differs, so what would restore it is compared too.
        identity = (table, record_id, name, kind, theirs_json, restore_json)
        known = self.doc.conn.execute(
            "SELECT 1 FROM clashes WHERE table_name = ? AND record_id = ? AND field = ? "
            "AND kind = ? AND theirs = ? AND restore = ?",
            identity,
        ).fetchone()
        if known or identity in self.clash_keys:
            return
        self.clash_keys.add(identity)
        values = {
            "at": now(),
            "origin": self.name if origin is None else origin,
            "who": self.who if who is None else who,
            "table_name": table,
            "record_id": record_id,
            "field": name,
            "ref": ref,
            "kind": kind,
            "mine": json.dumps(mine, ensure_ascii=False, sort_keys=True),
            "theirs": theirs_json,
            "restore": restore_json,
            "status": "open",
            "resolution": "",
            "resolved_by": "",
            "resolved_at": "",
        }
        change = RowChange("clashes", new_id(), None, values)
        self.clash_rows.append(change)
        self.report.clashes.append(from_row({"id": change.id, **values}))

    # -- building --------------------------------------------------------------------------

    def change_fields(self, table: str, ours: dict, changed: dict, ref: str) -> None:
        """Bring changed fields of a record in (or into a record on its way in)."""
        coming = self.pending.get((table, str(ours["id"])))
        if coming is not None:  # a record on its way back in: it comes with the change
            coming.update(changed)
        else:
            self.rows.append(RowChange(table, str(ours["id"]), ours, {**ours, **changed}))
        self.report.came_in.append(f"{ref}: {', '.join(field_label(f) for f in changed)}")
        if table == "updates":
            self.submitted[str(ours["id"])] = None

    def insert(self, table: str, record_id: str, values: dict, ref: str) -> None:
        """Bring a new record in."""
        self.rows.append(RowChange(table, record_id, None, values))
        self.pending[(table, record_id)] = values
        self.report.came_in.append(f"added {ref}" if table != "action_leads" else f"{ref}: leads")
        if table == "updates":
            self.submitted[record_id] = None

    def delete(self, table: str, row: dict, ref: str | None) -> None:
        """Delete a record here (once, however many deleted records it belongs to)."""
        if (table, str(row["id"])) in self.deleting:
            return  # an update belongs to its action and its period: both may take it
        self.deleting.add((table, str(row["id"])))
        self.deletes.append(RowChange(table, str(row["id"]), row, None))
        if ref:
            self.report.came_in.append(f"deleted {ref}")

    def current(self, table: str, record_id: str) -> dict | None:
        """Return the record as this plan holds it, or as it is on its way in, or None."""
        coming = self.pending.get((table, record_id))
        if coming is not None:
            return {"id": record_id, **coming}
        return self.doc.row(table, record_id)

    def name_of(self, table: str, row: dict) -> str:
        """Return how a person names a record."""
        return describe(self.doc, table, row)

    def kept_gone(self, table: str, record_id: str) -> bool:
        """Return True when the return deleted the record too, so it stays deleted."""
        return False

    def gone(self, table: str, record_id: str) -> tuple[sqlite3.Row, dict] | None:
        """Return how a merged return deleted the record here, and its values then, or None."""
        gone = self.doc.conn.execute(
            "SELECT at, who, old, origin FROM history WHERE table_name = ? AND record_id = ? "
            "AND field = ? ORDER BY id DESC LIMIT 1",
            (table, record_id, DELETED),
        ).fetchone()
        if gone is None or not gone["origin"] or self.kept_gone(table, record_id):
            return None
        try:
            values = json.loads(gone["old"] or "")
        except ValueError:
            return None
        if not isinstance(values, dict):
            return None
        values.pop("id", None)
        return gone, values

    def revivable(self, table: str, record_id: str) -> bool:
        """Return True when the record is here, on its way in, or :meth:`revive` can bring it."""
        if self.has(table, record_id):
            return True
        found = self.gone(table, record_id)
        return found is not None and all(
            self.revivable(parent, str(found[1][column]))
            for column, parent in REFS.get(table, {}).items()
            if (table, column) not in NOT_OWNING and found[1].get(column) is not None
        )

    def revive(self, table: str, record_id: str, *, top: bool = True) -> bool:
        """Bring back a record another return deleted, whole, because this one changed it.

        A deletion that meets an edit keeps the record whichever arrives first: had this
        return come first, its change would have blocked the deletion (a clash). So a
        record a merged return deleted (its history names the return as origin) comes back
        as it was, with everything deleted with it, and one clash records the deletion.
        A record the office deleted itself stays deleted (the change is a clash instead).

        Returns:
            True when the record is here or on its way in.
        """
        if self.has(table, record_id):
            return True
        if top and not self.revivable(table, record_id):
            return False  # nothing comes back unless all it needs can come back too
        found = self.gone(table, record_id)
        if found is None:
            return False
        gone, values = found
        for column, parent in REFS.get(table, {}).items():
            target = values.get(column)
            # What a record needs comes back with it; what belongs to a record coming back
            # comes too, unless it also belongs to another record that stays deleted (the
            # update of an action deleted in its own right, when its period comes back).
            if target is None or (
                self.revive(parent, str(target)) if top else self.has(parent, str(target))
            ):
                continue
            if (table, column) not in NOT_OWNING:
                return False
            values[column] = None  # a status or period deleted since: kept without it
        if self.has(table, record_id):  # it came back with a parent
            return True
        self.rows.append(RowChange(table, record_id, None, values))
        self.pending[(table, record_id)] = values
        if top:
            ref = self.name_of(table, {"id": record_id, **values})
            self.report.came_in.append(f"{ref}: kept, as another return changed it")
            self.clash(table, record_id, RECORD, ref, "deleted_there", {"id": record_id, **values},
                       None, origin=gone["origin"], who=gone["who"])  # fmt: skip
        for child, column in CHILDREN.get(table, ()):
            for (child_id,) in self.doc.conn.execute(
                "SELECT record_id FROM history WHERE table_name = ? AND field = ? AND at = ? "
                "AND origin = ? AND json_extract(old, '$.' || ?) = ?",
                (child, DELETED, gone["at"], gone["origin"], column, record_id),
            ).fetchall():
                self.revive(child, child_id, top=False)
        return True

    def has(self, table: str, record_id: str | None) -> bool:
        """Return True when the record is here (and stays) or is on its way in."""
        if record_id is None:
            return True
        if (table, record_id) in self.deleting:
            return False
        return (table, record_id) in self.pending or self.doc.row(table, record_id) is not None

    def finish(self, text: str) -> MergeReport:
        """Apply everything as one undoable change, in the lead's name, and report it."""
        order = {t: i for i, t in enumerate(ORDER)}
        deletes = sorted(self.deletes, key=lambda r: -order[r.table])
        gone = {d.id for d in deletes if d.table == "updates"}
        signoffs = [
            state_row(self.doc, update_id, "submitted", self.who)
            for update_id in self.submitted
            if update_id not in gone
        ]
        rows = (*self.rows, *deletes, *signoffs, *self.clash_rows)
        changes = Changes(text, tuple(rows))
        if changes:
            saved = self.doc.who
            # The history shows the lead who wrote what came in; the origin names the return.
            self.doc.who = self.who
            try:
                self.doc.apply(changes, origin=self.name)
            finally:
                self.doc.who = saved
        self.report.changes = changes
        return self.report
