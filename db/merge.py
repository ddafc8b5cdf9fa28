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

from db.clashes import RECORD
from db.document import DELETED, Document, as_text
from db.edits import describe, period_in_use
from db.merge_core import KEEP_OURS, Merger, MergeRefused, MergeReport, Side, fork_point
from db.sheet_merge import merge_sheet
from db.tables import CHILDREN, NATURAL, NOT_OWNING, OWNER, REFS

__all__ = ["MergeRefused", "MergeReport", "fork_point", "merge_copy", "merge_sheet"]


class _CopyMerger(Merger):
    """Merges a returned copy of the plan, record by record."""

    def __init__(self, doc: Document, theirs: Document, name: str) -> None:
        fork = fork_point(doc.conn, theirs.conn)
        self.ours = Side(doc.conn, fork)
        self.theirs = Side(theirs.conn, fork)
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
