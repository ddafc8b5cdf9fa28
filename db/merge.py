"""Merging a lead's returned copy or spreadsheet into the plan: what comes in, what clashes.

Finding the base
    A returned copy needs no record of what was sent. Every copy carries the whole
    history table, and both files only ever append to it, so the longest common prefix of
    the two histories (same id, time, who, record, field, old and new value, origin) is
    the moment the copy was made. After that point each side's history says which records
    and fields it touched and every value each field has held. A returned spreadsheet
    carries its base itself: the status and update each row was sent with
    (``db.model.ReturnedUpdate.base_*``).

The rule for one field of a record the return touched
    * the same value on both sides: nothing to do (so merging a return twice changes
      nothing, and a second return that repeats the first brings nothing);
    * our value is one the return's side held since the copy was made (the base, or a
      value it passed through): only they moved on, so theirs comes in;
    * their value is one our side held since then: only we moved on (or we took theirs
      and changed it since), so ours stays;
    * otherwise both changed it differently: a **clash**. Both values are kept in the
      ``clashes`` table with the record's ref and the field, the plan keeps ours, and the
      clash stays open until a person takes mine, takes theirs or writes a combination
      (``db.clashes.resolve``). The same clash is never recorded twice, and a clash is the
      same only when the return holds the same (its value, and for a record deleted here
      everything that would restore it), so every text that does not come in is kept in
      a clash: two leads writing on an action the office deleted make two clashes.

    Because the rule compares values, not the order returns arrive in, merging return A
    then B gives the same plan as B then A, except for a field both returns changed
    differently: the first to arrive comes in and the second is a clash.

Records
    New records on either side come in (periods, leads, exemption codes, and the
    updates and performance of an action or measure in a period are matched by what makes
    them unique, so two sides adding "Q3 2017/18" make one period). Which record belongs
    to which is the one map in ``db.tables``. A record deleted in the return is deleted
    here with everything that belongs to it, unless anything of that changed here since
    the copy was made (even if a later merge undid it), or has an open clash: then the
    deletion is a clash and the record stays. A record we deleted that the return changed
    is a clash too, holding the return's record and everything under it, so taking
    theirs restores it whole.

    A deletion that meets an edit keeps the record whichever arrives first. Had the
    editing return come first, its change would have blocked the deletion; so when a
    record another return deleted (the history names a return as the deletion's origin)
    is changed by this one, it comes back as it was with everything deleted with it, the
    change goes in, and a clash records the deletion, exactly as in the other order. A
    record the office deleted itself stays deleted, and the change is a clash. Order
    (``position``) and locking are the office's own and never come from a return.

Where it is recorded
    The whole merge is one change (``Document.apply``), so it is all or nothing and can
    be undone in one step. Its history rows carry the return's file name as origin and the
    return's editor (the lead) as who. Every update a return brings in is marked submitted
    (``db.signoff``). A return with changes in a locked period is refused whole.

Return sheets
    Each row names the action it was exported for by id, and records its ref; the row's
    own ref must be that ref (``exports.sheets.lead_sheet.read_return``) and the id must
    be of an action that has had that ref (the office may rename it), else the sheet is
    refused whole: a forged id must never put one action's text on another.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from db import errors, reads
from db.changes import Changes, RowChange
from db.clashes import RECORD, Clash, field_label, from_row
from db.document import CREATED, DELETED, Document, as_text, new_id, now
from db.edits import describe, period_in_use
from db.model import ReturnedSheet, ReturnedUpdate, period_called
from db.signoff import state_row
from db.tables import CHILDREN, NATURAL, NOT_OWNING, ORDER, OWNER, REFS

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
            f"Merged {self.name} ({self.who}): {_count(len(self.came_in), 'change')} came in, "
            f"{_count(len(self.clashes), 'clash', 'clashes')} to resolve."
        ]
        lines += [f"  came in: {line}" for line in self.came_in]
        lines += [f"  clash: {clash}" for clash in self.clashes]
        return "\n".join(lines)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _field_text(row_json: str | None, name: str) -> object:
    try:
        values = json.loads(row_json or "{}")
    except ValueError:
        return _UNSEEN
    return as_text(values[name]) if name in values else _UNSEEN


class _Side:
    """One side of a merge: its rows and what its history says changed after the fork."""

    def __init__(self, conn: sqlite3.Connection, fork_id: int) -> None:
        self.conn = conn
        self.fork_id = fork_id
        self._entries: dict[tuple[str, str], list[sqlite3.Row]] = {}
        # Neither file changes while a merge is worked out, so each row is read once.
        self._rows: dict[tuple[str, str], dict | None] = {}

    def row(self, table: str, record_id: str) -> dict | None:
        key = (table, record_id)
        if key not in self._rows:
            found = self.conn.execute(
                f"SELECT * FROM {table} WHERE id = ?", (record_id,)
            ).fetchone()
            self._rows[key] = dict(found) if found is not None else None
        return self._rows[key]

    def entries(self, table: str, record_id: str) -> list[sqlite3.Row]:
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
        found = self.entries(table, record_id)
        return bool(found) and found[0]["field"] == CREATED

    def touched(self) -> list[tuple[str, str]]:
        rows = self.conn.execute(
            "SELECT table_name, record_id, min(id) AS first FROM history WHERE id > ? "
            "GROUP BY table_name, record_id ORDER BY first",
            (self.fork_id,),
        ).fetchall()
        order = {t: i for i, t in enumerate(ORDER)}
        found = [(r[0], r[1]) for r in rows if r[0] in order]
        return sorted(found, key=lambda k: order[k[0]])

    def editors(self) -> list[str]:
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


class _Merger:
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
        coming = self.pending.get((table, str(ours["id"])))
        if coming is not None:  # a record on its way back in: it comes with the change
            coming.update(changed)
        else:
            self.rows.append(RowChange(table, str(ours["id"]), ours, {**ours, **changed}))
        self.report.came_in.append(f"{ref}: {', '.join(field_label(f) for f in changed)}")
        if table == "updates":
            self.submitted[str(ours["id"])] = None

    def insert(self, table: str, record_id: str, values: dict, ref: str) -> None:
        self.rows.append(RowChange(table, record_id, None, values))
        self.pending[(table, record_id)] = values
        self.report.came_in.append(f"added {ref}" if table != "action_leads" else f"{ref}: leads")
        if table == "updates":
            self.submitted[record_id] = None

    def delete(self, table: str, row: dict, ref: str | None) -> None:
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
        if record_id is None:
            return True
        if (table, record_id) in self.deleting:
            return False
        return (table, record_id) in self.pending or self.doc.row(table, record_id) is not None

    def finish(self, text: str) -> MergeReport:
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


class _CopyMerger(_Merger):
    """Merges a returned copy of the plan, record by record."""

    def __init__(self, doc: Document, theirs: Document, name: str) -> None:
        fork = fork_point(doc.conn, theirs.conn)
        self.ours = _Side(doc.conn, fork)
        self.theirs = _Side(theirs.conn, fork)
        who = ", ".join(self.theirs.editors()) or "unknown"
        super().__init__(doc, name, who)
        self.id_map: dict[str, str] = {}
        self.back: dict[str, str] = {}
        self._deleted: dict[str, list[dict]] = {}
        self._gone_under: dict[str, dict[object, list[dict]]] = {}
        # Every record a clash already keeps for restoring, as it was kept.
        self.kept = {
            _kept(entry)
            for (restore,) in doc.conn.execute(
                "SELECT restore FROM clashes WHERE kind = 'deleted_here'"
            )
            for entry in json.loads(restore or "[]")
            if isinstance(entry, dict)
        }
        self.handled: set[tuple[str, str]] = set()

    # -- ids on either side ----------------------------------------------------------------

    def ours_id(self, their_id: str) -> str:
        return self.id_map.get(their_id, their_id)

    def their_id(self, our_id: str) -> str:
        return self.back.get(our_id, our_id)

    def mapped(self, table: str, row: dict) -> dict:
        """Return their row with the records it names as they are called here."""
        out = dict(row)
        for column in REFS.get(table, {}):
            if out.get(column) is not None:
                out[column] = self.ours_id(str(out[column]))
        return out

    def held_theirs(self, table: str, their_id: str, name: str) -> set[object]:
        values = self.theirs.held(table, their_id, name)
        if name in REFS.get(table, {}):
            values = {self.ours_id(v) if isinstance(v, str) else v for v in values}
        return values

    def any_row(self, table: str, our_id: object) -> dict:
        if our_id is None:
            return {}
        return (
            self.doc.row(table, str(our_id))
            or self.theirs.row(table, self.their_id(str(our_id)))
            or {}
        )

    def ref(self, table: str, row: dict) -> str:
        """Return how a person names a record, looking on both sides for its parents."""
        if table in ("updates", "milestones", "action_leads"):
            action = self.any_row("actions", row.get("action_id"))
            name = describe(self.doc, "actions", action) if action else "an action"
            if table == "updates":
                label = self.any_row("periods", row.get("period_id")).get("label", "")
                return f"{name} ({label})"
            return f"milestone of {name}" if table == "milestones" else name
        if table == "performance":
            measure = self.any_row("measures", row.get("measure_id"))
            label = self.any_row("periods", row.get("period_id")).get("label", "")
            return f"{describe(self.doc, 'measures', measure)} ({label})"
        return describe(self.doc, table, row)

    def natural_match(self, table: str, row: dict) -> str | None:
        columns = NATURAL.get(table)
        if not columns:
            return None
        where = " AND ".join(
            f"{c} = ? COLLATE NOCASE" if table == "leads" else f"{c} = ?" for c in columns
        )
        found = self.doc.conn.execute(
            f"SELECT id FROM {table} WHERE {where}", [row.get(c) for c in columns]
        ).fetchone()
        if found:
            return str(found[0])
        return next(
            (
                record_id
                for (t, record_id), values in self.pending.items()
                if t == table and all(values.get(c) == row.get(c) for c in columns)
            ),
            None,
        )

    # -- subtrees --------------------------------------------------------------------------

    def subtree(self, conn: sqlite3.Connection, table: str, row: dict) -> list[tuple[str, dict]]:
        """Return a record and everything that belongs to it, parents first."""
        found = [(table, row)]
        for child, column in CHILDREN.get(table, ()):
            for sub in conn.execute(f"SELECT * FROM {child} WHERE {column} = ?", (row["id"],)):
                found += self.subtree(conn, child, dict(sub))
        return found

    def seen_by_them(self, table: str, row: dict) -> bool:
        """Return True when the return's side held every value ``row`` held here since the fork.

        Every value, not only the current one: a change made here and undone by a later
        merge still blocks a deletion, as it did when that deletion was merged first.
        """
        our_id = str(row["id"])
        their_id = self.their_id(our_id)
        if not self.theirs.entries(table, their_id) and self.theirs.row(table, their_id) is None:
            return False
        return all(
            self.ours.held(table, our_id, k) <= self.held_theirs(table, their_id, k)
            for k in row
            if k not in KEEP_OURS
        )

    def clashed(self, members: set[tuple[str, str]]) -> bool:
        """Return True when one of ``members`` has an open clash over a field.

        Such a clash holds a value that is in no record but this one, so the record stays
        (a clash over a deletion holds no value of its own, and blocks nothing).
        """
        return any(
            (row[0], row[1]) in members
            for row in self.doc.conn.execute(
                "SELECT table_name, record_id FROM clashes WHERE status = 'open' AND kind = 'field'"
            )
        )

    def unseen_gone(self, members: set[tuple[str, str]]) -> bool:
        """Return True when a record gone from under ``members`` held what they never saw.

        A record that belonged to one of ``members`` and was changed or added here since
        the fork blocked their deletion while it was here; gone since (another return
        deleted it), it blocks it still, so the order of two returns does not matter.
        """
        todo = list(members)
        seen = set(members)
        while todo:
            table, record_id = todo.pop()
            for child, column in CHILDREN.get(table, ()):
                for gone in self.gone_under(child, column).get(record_id, ()):
                    child_id = str(gone["id"])
                    if (child, child_id) in seen or self.has(child, child_id):
                        continue
                    seen.add((child, child_id))
                    todo.append((child, child_id))
                    their_id = self.their_id(child_id)
                    if not self.theirs.entries(child, their_id) and not self.theirs.row(
                        child, their_id
                    ):
                        return True
                    if not all(
                        self.ours.held(child, child_id, k) <= self.held_theirs(child, their_id, k)
                        for k in self.last_held(child, child_id)
                        if k not in KEEP_OURS
                    ):
                        return True
        return False

    def last_held(self, table: str, record_id: str) -> dict:
        """Return the record as this side held it when it was last deleted here."""
        found = self.doc.conn.execute(
            "SELECT old FROM history WHERE table_name = ? AND record_id = ? AND field = ? "
            "ORDER BY id DESC LIMIT 1",
            (table, record_id, DELETED),
        ).fetchone()
        try:
            values = json.loads(found[0] or "") if found else {}
        except ValueError:
            return {}
        return values if isinstance(values, dict) else {}

    def seen_by_us(self, table: str, our_id: str, row: dict) -> bool:
        """Return True when this side once held ``row`` (their version, mapped) exactly."""
        if not self.ours.entries(table, our_id):
            return False
        return all(
            as_text(v) in self.ours.held(table, our_id, k)
            for k, v in row.items()
            if k not in KEEP_OURS
        )

    # -- the merge -------------------------------------------------------------------------

    def run(self) -> MergeReport:
        for table, their_id in self.theirs.touched():
            if (table, their_id) not in self.handled:
                self.record(table, their_id)
        self.keep_statuses_in_use()
        return self.finish(f"Merge return from {self.who}")

    def keep_statuses_in_use(self) -> None:
        """Turn a status deletion into a clash when an update here would still have it."""
        gone = {r.id for r in self.deletes if r.table == "updates"}
        planned = {r.id: r.after or {} for r in self.rows if r.table == "updates"}
        for deletion in [r for r in self.deletes if r.table == "statuses"]:
            users = [
                u
                for (u,) in self.doc.conn.execute(
                    "SELECT id FROM updates WHERE status_id = ?", (deletion.id,)
                )
                if u not in gone
                and planned.get(u, {"status_id": deletion.id})["status_id"] == deletion.id
            ]
            if users:
                self.deletes.remove(deletion)
                ours = dict(deletion.before or {})
                ref = self.ref("statuses", ours)
                self.report.came_in.remove(f"deleted {ref}")
                self.clash("statuses", deletion.id, RECORD, ref, "deleted_there", ours, None)

    def record(self, table: str, their_id: str) -> None:
        self.handled.add((table, their_id))
        theirs_raw = self.theirs.row(table, their_id)
        our_id = self.ours_id(their_id)
        ours = self.current(table, our_id)
        theirs = self.mapped(table, theirs_raw) if theirs_raw is not None else None
        if ours is None and theirs is not None:
            match = self.natural_match(table, theirs)
            if match is not None and match != their_id:
                self.id_map[their_id] = match
                self.back[match] = their_id
                our_id = match
                ours = self.doc.row(table, match)
                theirs = self.mapped(table, theirs_raw or {})
                if ours is None:  # both sides added it and it is already on its way in
                    return
        if theirs is None:
            # A record on its way back was kept on purpose (see revive), whatever they did.
            if ours is not None and (table, our_id) not in self.pending:
                self.they_deleted(table, ours)
            return
        theirs.pop("id", None)
        if ours is None:
            self.missing_here(table, their_id, our_id, theirs)
            return
        self.fields(table, their_id, ours, theirs)

    def fields(self, table: str, their_id: str, ours: dict, theirs: dict) -> None:
        changed: dict[str, object] = {}
        our_id = str(ours["id"])
        # Both sides added this record (matched by what makes it unique): they share no base,
        # so a blank on either side is taken as the starting point.
        both_added = our_id != their_id
        for name, value in theirs.items():
            if name in KEEP_OURS or name not in ours:
                continue
            mine = ours[name]
            if as_text(mine) == as_text(value) or (both_added and value in (None, "")):
                continue
            if (both_added and mine in (None, "")) or as_text(mine) in self.held_theirs(
                table, their_id, name
            ):
                changed[name] = value
            elif as_text(value) in self.ours.held(table, our_id, name):
                continue
            else:
                self.clash(table, our_id, name, self.ref(table, ours), "field", mine, value)
        if changed:
            self.change_fields(table, ours, changed, self.ref(table, ours))

    def deleted_here_since_fork(self, table: str) -> list[dict]:
        """Return every record of ``table`` deleted here since the fork, as it was then."""
        if table not in self._deleted:
            found = []
            for record_id, old in self.doc.conn.execute(
                "SELECT record_id, old FROM history WHERE id > ? AND table_name = ? AND field = ?",
                (self.ours.fork_id, table, DELETED),
            ):
                try:
                    values = json.loads(old or "")
                except ValueError:
                    continue
                if isinstance(values, dict):
                    found.append({**values, "id": record_id})
            self._deleted[table] = found
        return self._deleted[table]

    def gone_under(self, table: str, column: str) -> dict[object, list[dict]]:
        """Return the records of ``table`` deleted here since the fork, by ``column``.

        ``column`` may name several columns, comma-separated (a natural key).
        """
        key = f"{table}.{column}"
        if key not in self._gone_under:
            found: dict[object, list[dict]] = {}
            columns = column.split(",")
            for values in self.deleted_here_since_fork(table):
                found.setdefault(_natural(values, columns), []).append(values)
            self._gone_under[key] = found
        return self._gone_under[key]

    def deleted_alike(self, table: str, theirs: dict) -> bool:
        """Return True when this side deleted, since the fork, a record just like ``theirs``."""
        columns = NATURAL.get(table)
        if not columns:
            return False
        same = self.gone_under(table, ",".join(columns))
        return any(
            all(
                as_text(values.get(k)) == as_text(v)
                for k, v in theirs.items()
                if k not in KEEP_OURS
            )
            for values in same.get(_natural(theirs, columns), ())
        )

    def missing_here(self, table: str, their_id: str, our_id: str, theirs: dict) -> None:
        added = not self.ours.entries(table, our_id) and self.theirs.created_since_fork(
            table, their_id
        )
        if not added and self.seen_by_us(table, our_id, theirs):
            return  # we deleted it, and they did not change it since we last saw it
        if added and self.deleted_alike(table, theirs):
            return  # they added again what we deleted (a lead taken off and put back)
        # They changed or added it: what it belongs to must be here, on its way in, or
        # deleted by another return (then it comes back); else the change is a clash.
        needed = [
            (parent, str(theirs[column]))
            for column, parent in REFS.get(table, {}).items()
            if theirs.get(column) is not None
        ]
        if not all(self.revivable(parent, target) for parent, target in needed):
            self.deleted_here(table, their_id)
            return
        for parent, target in needed:
            self.revive(parent, target)
        if added:
            self.insert(table, our_id, theirs, self.ref(table, theirs))
        elif self.revive(table, our_id):
            self.fields(table, their_id, self.current(table, our_id) or {}, theirs)
        else:
            self.deleted_here(table, their_id)

    def name_of(self, table: str, row: dict) -> str:
        return self.ref(table, row)

    def kept_gone(self, table: str, record_id: str) -> bool:
        if not self.deleted_there(table, record_id):
            return False
        # Deleted there only with a record that stays here (its deletion is a clash): kept too.
        row = self.theirs.row(table, self.their_id(record_id)) or self.last_seen(table, record_id)
        return not any(
            self.has(parent, str(row.get(column)))
            and self.deleted_there(parent, str(row.get(column)))
            for column, parent in REFS.get(table, {}).items()
            if (table, column) not in NOT_OWNING and row.get(column) is not None
        )

    def deleted_there(self, table: str, record_id: str) -> bool:
        return any(
            e["field"] == DELETED for e in self.theirs.entries(table, self.their_id(record_id))
        )

    def last_seen(self, table: str, record_id: str) -> dict:
        """Return the record as the return last held it before deleting it."""
        for entry in reversed(self.theirs.entries(table, self.their_id(record_id))):
            if entry["field"] == DELETED:
                try:
                    values = json.loads(entry["old"] or "")
                except ValueError:
                    return {}
                return self.mapped(table, values) if isinstance(values, dict) else {}
        return {}

    def replaced_there(self, table: str, ours: dict) -> bool:
        """Return True when the return holds another record with the same natural key."""
        columns = NATURAL.get(table)
        if not columns:
            return False
        values = [
            self.their_id(str(ours[c])) if c in REFS.get(table, {}) else ours[c] for c in columns
        ]
        where = " AND ".join(f"{c} = ?" for c in columns)
        found = self.theirs.conn.execute(f"SELECT id FROM {table} WHERE {where}", values).fetchone()
        return found is not None and str(found[0]) != self.their_id(str(ours["id"]))

    def they_deleted(self, table: str, ours: dict) -> None:
        if self.replaced_there(table, ours):
            return  # they removed it and added it again (a lead taken off and put back)
        subtree = self.subtree(self.doc.conn, table, ours)
        blocked = not all(self.seen_by_them(t, row) for t, row in subtree)
        # A record coming back or coming in under it keeps it too.
        members = {(t, str(row["id"])) for t, row in subtree}
        blocked |= any(
            (REFS[t][column], str(values.get(column))) in members
            for (t, _), values in self.pending.items()
            for column in REFS.get(t, {})
            if (t, column) not in NOT_OWNING
        )
        blocked = blocked or self.unseen_gone(members) or self.clashed(members)
        our_id = str(ours["id"])
        if table == "periods":
            blocked |= period_in_use(self.doc, our_id)
        ref = self.ref(table, ours)
        # Whatever belongs to the record goes with it, or is kept with it in one clash.
        for t, row in subtree:
            self.handled.add((t, self.their_id(str(row["id"]))))
        if blocked:
            self.clash(table, our_id, RECORD, ref, "deleted_there", ours, None)
            return
        for position, (t, row) in enumerate(subtree):
            self.delete(t, row, ref if position == 0 else None)

    def deleted_here(self, table: str, their_id: str) -> None:
        """Record that the return changed a record we deleted, keeping it whole for restoring."""
        row = self.theirs.row(table, their_id) or {}
        while OWNER.get(table):
            column = OWNER[table]
            parent_table = REFS[table][column]
            parent = self.theirs.row(parent_table, str(row.get(column)))
            # Climb to the record we deleted ourselves; one another return deleted may
            # come back for another change, so the clash stays with what cannot land.
            if parent is None or self.revivable(parent_table, self.ours_id(str(parent["id"]))):
                break
            table, their_id, row = parent_table, str(parent["id"]), parent
        restore = []
        new = False
        for t, sub in self.subtree(self.theirs.conn, table, row):
            self.handled.add((t, str(sub["id"])))
            values = self.mapped(t, sub)
            entry = {"table": t, "id": self.ours_id(str(values.pop("id"))), "values": values}
            restore.append(entry)
            new |= not self.seen_by_us(t, entry["id"], values) and _kept(entry) not in self.kept
        if not new:
            return  # every change it holds is in a clash already (found from below, then)
        mapped = self.mapped(table, row)
        self.clash(
            table,
            self.ours_id(their_id),
            RECORD,
            self.ref(table, mapped),
            "deleted_here",
            None,
            {k: v for k, v in mapped.items() if k != "id"},
            restore,
        )


def _natural(values: dict, columns: list[str] | tuple[str, ...]) -> object:
    """Return the value of one column, or the values of several as a tuple."""
    if len(columns) == 1:
        return values.get(columns[0])
    return tuple(values.get(c) for c in columns)


def _kept(entry: dict) -> tuple[str, str, str]:
    values = json.dumps(entry.get("values"), ensure_ascii=False, sort_keys=True)
    return str(entry.get("table")), str(entry.get("id")), values


def merge_copy(doc: Document, theirs: Document, name: str | None = None) -> MergeReport:
    """Merge a returned copy of the plan (open read-only) into ``doc`` in one undoable step.

    Args:
        doc: the office's plan, open for editing.
        theirs: the returned copy, opened with ``Document.open(path, read_only=True)``.
        name: what the history calls the return (default: its file name).

    Returns:
        What came in and what clashed; ``report.changes`` is the applied change, for undo.

    Raises:
        MergeRefused: the return is another plan, or shares no history with this one.
        LockedPeriodError: the return changes a locked period; nothing was merged.
    """
    name = name or theirs.path.name
    ours_plan = doc.conn.execute("SELECT id FROM plan").fetchone()[0]
    their_plan = theirs.conn.execute("SELECT id FROM plan").fetchone()[0]
    if ours_plan != their_plan:
        raise MergeRefused(
            f"{name} is a copy of a different plan, so it cannot be merged into {doc.path.name}."
        )
    merger = _CopyMerger(doc, theirs, name)
    if merger.ours.fork_id == 0:
        raise MergeRefused(
            f"{name} shares no history with {doc.path.name}, so what changed cannot be told "
            "apart; send the lead a fresh copy."
        )
    return merger.run()


def merge_sheet(doc: Document, sheet: ReturnedSheet) -> MergeReport:
    """Merge a lead's returned spreadsheet into ``doc`` in one undoable step.

    Each row's status and update are compared with the values the sheet was sent with:
    what only the lead changed comes in, what both changed differently is a clash, and an
    action that is no longer in the plan is a clash that keeps the lead's text.

    Raises:
        MergeRefused: the sheet came from another plan, names a period the plan does not
            have, or a status the plan's key does not define; nothing was merged.
    """
    ours_plan = doc.conn.execute("SELECT id FROM plan").fetchone()[0]
    if sheet.plan_id and sheet.plan_id != ours_plan:
        raise MergeRefused(
            f"{sheet.name} was exported from a different plan, so it cannot be merged into "
            f"{doc.path.name}."
        )
    if not sheet.period_label.strip():
        raise MergeRefused(
            f"{sheet.name} does not say which reporting period it is for, so it cannot be "
            "merged; export a new return sheet for the lead."
        )
    found = period_called(reads.periods(doc), sheet.period_label)
    period = _PeriodRef(found.id, found.label) if found else None
    statuses: dict[str, str] = {}
    for row in doc.conn.execute("SELECT id, code, label FROM statuses ORDER BY position DESC"):
        for key in (row["code"], row["label"]):
            if key:
                statuses[" ".join(key.split()).casefold()] = row["id"]

    def status_id(name: str | None, ref: str) -> str | None:
        if not name or not name.strip():
            return None
        found = statuses.get(" ".join(name.split()).casefold())
        if found is None:
            raise MergeRefused(
                f"In {sheet.name}, {ref or 'a row'} has status {name!r}, which the plan's "
                "status key does not have, so nothing was merged."
            )
        return found

    who = sheet.lead or "lead officer"
    merger = _Merger(doc, sheet.name, who)
    ours = _Side(doc.conn, 0)
    for returned in sheet.updates:
        _check_origin(doc, ours, sheet.name, returned)
    for returned in sheet.updates:
        where = returned.ref or f"a row of theme {returned.theme_number}"
        base_status = status_id(returned.base_status, where)
        their_status = status_id(returned.status, where)
        if their_status == base_status and returned.text == returned.base_text:
            continue  # the lead changed nothing here: nothing to bring in or keep
        action = doc.row("actions", returned.action_id) if returned.action_id else None
        if action is None and returned.action_id and merger.revive("actions", returned.action_id):
            action = merger.current("actions", returned.action_id)
        if action is None and returned.ref:
            found = doc.conn.execute(
                "SELECT a.* FROM actions a JOIN themes t ON t.id = a.theme_id "
                "WHERE a.ref = ? COLLATE NOCASE AND t.number = ? COLLATE NOCASE",
                (returned.ref.strip(), returned.theme_number.strip()),
            ).fetchone()
            action = dict(found) if found else None
        ref = f"{where} ({period.label if period else sheet.period_label})"
        if action is None:
            merger.clash(
                "actions",
                returned.action_id or f"{returned.theme_number}/{returned.ref}",
                RECORD,
                ref,
                "deleted_here",
                None,
                {"status": returned.status, "text": returned.text},
            )
            continue
        if period is None:  # the first change that needs the period
            period = _period_back(doc, merger, sheet.period_label)
            if period is None:
                raise MergeRefused(
                    f"{sheet.name} is for period {sheet.period_label}, which "
                    f"{doc.path.name} does not have."
                )
        ref = f"{describe(doc, 'actions', action)} ({period.label})"
        current = doc.conn.execute(
            "SELECT * FROM updates WHERE action_id = ? AND period_id = ?",
            (action["id"], period.id),
        ).fetchone()
        ours_row = dict(current) if current else _coming_update(merger, action["id"], period.id)
        changed: dict[str, object] = {}
        for name, base, value in (
            ("status_id", base_status, their_status),
            ("text", returned.base_text, returned.text),
        ):
            mine = ours_row[name] if ours_row else (None if name == "status_id" else "")
            if value in (mine, base):
                continue
            if mine == base:
                changed[name] = value
            elif ours_row and as_text(value) in ours.held("updates", ours_row["id"], name):
                continue
            else:
                record = ours_row["id"] if ours_row else str(action["id"])
                merger.clash("updates", record, name, ref, "field", mine, value)
        if not changed:
            continue
        if ours_row is None:
            values = {"action_id": action["id"], "period_id": period.id, "status_id": None,
                      "text": "", **changed}  # fmt: skip
            merger.insert("updates", new_id(), values, ref)
        else:
            merger.change_fields("updates", ours_row, changed, ref)
    return merger.finish(f"Merge return from {who}")


class _PeriodRef(NamedTuple):
    id: str
    label: str


def _period_back(doc: Document, merger: _Merger, label: str) -> _PeriodRef | None:
    """Return the period called ``label`` brought back, when a merged return deleted it."""
    for record_id, old in doc.conn.execute(
        "SELECT record_id, old FROM history WHERE table_name = 'periods' AND field = ? "
        "ORDER BY id DESC",
        (DELETED,),
    ):
        try:
            was = json.loads(old or "").get("label")
        except (ValueError, AttributeError):
            continue
        if _ref_key(was) == _ref_key(label):
            return _PeriodRef(record_id, str(was)) if merger.revive("periods", record_id) else None
    return None


def _coming_update(merger: _Merger, action_id: str, period_id: str) -> dict | None:
    """Return the update of an action on its way back in for the period, or None."""
    return next(
        (
            {"id": record_id, **values}
            for (table, record_id), values in merger.pending.items()
            if table == "updates"
            and values.get("action_id") == action_id
            and values.get("period_id") == period_id
        ),
        None,
    )


def _ref_key(ref: object) -> str:
    return " ".join(str(ref or "").split()).casefold()


def _check_origin(doc: Document, ours: _Side, name: str, returned: ReturnedUpdate) -> None:
    """Refuse a sheet whose hidden record gives a row the id of another action.

    The id a row was exported with must be of an action that has had the ref recorded
    beside it (the office may have renamed it since); the row's own ref was checked against
    that ref when the sheet was read.
    """
    if not returned.action_id:
        return
    refs = {_ref_key(r) for r in ours.held("actions", returned.action_id, "ref")}
    if _ref_key(returned.ref) in refs:
        return
    shown = returned.ref or "an action without a ref"
    here = doc.row("actions", returned.action_id)
    if here is None and not refs:
        raise MergeRefused(
            f"{name} was refused and nothing was merged: its hidden origin record gives "
            f"{shown} an id this plan never had, so the sheet was altered or comes from "
            "another plan."
        )
    other = (here or {}).get("ref") or "another action"
    raise MergeRefused(
        f"{name} was refused and nothing was merged: its hidden origin record gives {shown} "
        f"the id of {other}, so the sheet was altered after it was exported."
    )
