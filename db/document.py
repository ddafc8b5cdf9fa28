"""An open plan file: opening it safely, applying edits durably, undo, copies and closing."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from db import atomic, errors, safety, schema
from db.changes import Changes, RowChange

# Tables whose rows belong to one reporting period, and the column naming it.
PERIOD_BOUND = {"updates": "period_id", "performance": "period_id", "reports": "period_id"}
CREATED = "(created)"
DELETED = "(deleted)"


def new_id() -> str:
    """Return a new globally unique record id."""
    return str(uuid.uuid4())


def now() -> str:
    """Return the current time as an ISO 8601 string in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def as_text(value: object) -> str | None:
    """Return a value as the history writes it (JSON for dicts and lists), or None."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        conn = safety.connect_untrusted(path)
    else:
        # SQLite would play a journal beside the file as it opened it (and delete the file a
        # journal names as its super-journal): only db.recovery may let it see one.
        problem = safety.sidecar_problem(path)
        if problem:
            raise errors.UnfinishedChange(problem)
        conn = sqlite3.connect(safety.file_uri(path, mode="rw"), uri=True, isolation_level=None)
        safety.harden(conn)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.row_factory = sqlite3.Row
    return conn


class Document:
    """One open plan file. Every edit goes through :meth:`apply` and is committed at once."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool, who: str) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self.who = who
        self._locked_cache: dict[str, bool] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, *, who: str | None = None, **plan: object) -> Document:
        """Create a new, empty plan file at ``path`` and open it.

        The file is built by the atomic writer, so a half-written plan never appears under
        the chosen name.

        Raises:
            ScrutineerError: when ``path`` exists or cannot be written.
        """
        path = Path(path)
        if path.exists():
            raise errors.ScrutineerError(f"{path.name} already exists; choose another name.")
        try:
            with atomic.replacing(path) as tmp:
                conn = sqlite3.connect(tmp, isolation_level=None)
                try:
                    conn.execute("PRAGMA journal_mode = DELETE")
                    schema.upgrade(conn)
                    conn.execute("BEGIN")
                    row = {"id": new_id(), **{k: as_text(v) for k, v in plan.items()}}
                    columns = ", ".join(row)
                    marks = ", ".join("?" for _ in row)
                    conn.execute(
                        f"INSERT INTO plan ({columns}) VALUES ({marks})", list(row.values())
                    )
                    for code, description in schema.FOI_EXEMPTIONS:
                        conn.execute(
                            "INSERT INTO exemptions (id, code, description) VALUES (?, ?, ?)",
                            (new_id(), code, description),
                        )
                    conn.execute("COMMIT")
                finally:
                    conn.close()
        except sqlite3.Error as exc:
            raise errors.translate(exc, path) from exc
        return cls.open(path, who=who, integrity=False)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        read_only: bool = False,
        who: str | None = None,
        upgrade: bool = False,
        integrity: bool = True,
    ) -> Document:
        """Check ``path`` and open it.

        Args:
            path: the plan file.
            read_only: open without the right to change it (and without touching the files
                beside it).
            who: the name recorded in the history for edits; defaults to the login name.
            upgrade: upgrade an older format in place after writing a backup beside it.
            integrity: check every page and row (``safety.check_file``); only a file this
                installation closed cleanly may skip it.

        Raises:
            FileRefused: the file failed the safety check.
            UnfinishedChange: a journal or write-ahead log lies beside it (``db.recovery``).
            NewerFileError: the file was made by a newer Scrutineer.
            UpgradeNeeded: the file is older and ``upgrade`` was not given.
            ReadOnlyError: the file cannot be written and ``read_only`` was not given.
        """
        path = Path(path)
        report = safety.check_file(path, integrity=integrity)
        if report.newer:
            raise errors.NewerFileError(report.problems[0])
        if report.unfinished:
            raise errors.UnfinishedChange(report.problems[0])
        if not report.ok:
            raise errors.FileRefused(report.problems[0])
        who = who or _login_name()
        if read_only:
            return cls(path, _connect(path, read_only=True), read_only=True, who=who)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise errors.ReadOnlyError(
                f"{path.name} is read-only here; open it read-only, or save a copy you can edit."
            )
        if report.needs_upgrade:
            if not upgrade:
                raise errors.UpgradeNeeded(report.notes[-1], report.version or 0)
            backup_before_upgrade(path, report.version or 0)
        try:
            conn = _connect(path, read_only=False)
            if report.needs_upgrade:
                schema.upgrade(conn)
            _tune_index(conn)
        except sqlite3.Error as exc:
            raise errors.translate(exc, path) from exc
        return cls(path, conn, read_only=False, who=who)

    def close(self) -> None:
        """Close the file; every edit is already committed, so nothing is lost."""
        self.conn.close()

    def read_again(self) -> None:
        """Read a read-only plan again from its file, which another program has changed.

        The same Document carries on with a fresh connection, so everything holding it (the
        window's forms and dialogs) reads the new state instead of a closed connection.

        Raises:
            ScrutineerError: the file on disk cannot be opened now; this one is unchanged.
        """
        if not self.read_only:
            raise errors.ScrutineerError("Only a plan opened read-only is read again.")
        fresh = Document.open(self.path, read_only=True, who=self.who, integrity=False)
        old, self.conn = self.conn, fresh.conn
        self._locked_cache = None
        old.close()

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_copy(self, destination: str | Path) -> Path:
        """Write a clean, complete copy of the plan to ``destination`` (never a file copy).

        SQLite's backup API copies the pages as they are committed; the atomic writer puts
        the copy in place whole, so a failed copy leaves nothing behind.
        """
        destination = Path(destination)
        if destination.resolve() == self.path.resolve():
            raise errors.ScrutineerError("A copy cannot be saved over the open file itself.")
        try:
            with atomic.replacing(destination) as tmp:
                target = sqlite3.connect(tmp)
                try:
                    self.conn.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
        except sqlite3.Error as exc:
            raise errors.translate(exc, destination) from exc
        return destination

    # -- edits -----------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction: all of it is committed, or none of it."""
        if self.read_only:
            raise errors.ReadOnlyError(
                f"{self.path.name} is open read-only; save a copy to edit it."
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise errors.translate(exc, self.path) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise errors.translate(exc, self.path) from exc
        except BaseException:
            self._rollback()
            raise
        finally:
            self._locked_cache = None

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def apply(self, changes: Changes, *, origin: str = "") -> Changes:
        """Apply ``changes`` in one committed transaction and record them in the history.

        Every row is first compared with the state the edit was prepared against, so an edit
        (or an undo) never overwrites something that changed meanwhile.

        Args:
            changes: what to do, row by row.
            origin: where the change came from (empty for an edit made here; a merged
                return's name otherwise), kept in the history.

        Returns:
            ``changes`` itself, for the caller's undo stack.

        Raises:
            StaleEditError: a row no longer holds what the edit expected.
            LockedPeriodError: a row belongs to a locked reporting period.
        """
        if not changes:
            return changes
        with self.transaction() as conn:
            stamp = now()
            for row in changes.rows:
                self._check_period(row)
                self._apply_row(conn, row)
                self._record(conn, row, stamp, origin)
        return changes

    def _check_period(self, row: RowChange) -> None:
        column = PERIOD_BOUND.get(row.table)
        if column is None:
            if (
                row.table == "periods"
                and row.before
                and row.after
                and row.before.get("locked")
                and row.changed_fields() != ["locked"]
            ):
                raise errors.LockedPeriodError(
                    f"Period {row.before.get('label')} is locked; unlock it to change it."
                )
            return
        if self._locked_cache is None:
            self._locked_cache = {
                r["id"]: bool(r["locked"])
                for r in self.conn.execute("SELECT id, locked FROM periods")
            }
        for state in (row.before, row.after):
            if state and self._locked_cache.get(str(state.get(column))):
                label = self.conn.execute(
                    "SELECT label FROM periods WHERE id = ?", (state.get(column),)
                ).fetchone()[0]
                raise errors.LockedPeriodError(
                    f"Period {label} is locked, so its updates and performance cannot be changed."
                )

    def _apply_row(self, conn: sqlite3.Connection, row: RowChange) -> None:
        table = _table(row.table)
        current = conn.execute(f"SELECT rowid, * FROM {table} WHERE id = ?", (row.id,)).fetchone()
        current_map = dict(current) if current else None
        if current_map is not None:
            current_map.pop("rowid")
        if row.before is None:
            if current_map is not None:
                raise errors.StaleEditError(
                    f"That {_noun(row.table)} already exists, so it was not added again."
                )
        elif current_map is None or any(current_map.get(k) != v for k, v in row.before.items()):
            raise errors.StaleEditError(
                f"That {_noun(row.table)} was changed elsewhere (by a merge or another edit), "
                "so this edit was not applied; look at it again and repeat the edit."
            )
        searched = schema.SEARCHED.get(table)
        fields = [c for c in row.changed_fields() if c != "id"]
        reindex = bool(searched) and (
            row.before is None or row.after is None or bool(set(fields) & set(searched or ()))
        )
        if reindex and current is not None:
            _index(conn, table, current["rowid"], current_map or {}, delete=True)
        if row.after is None:
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (row.id,))
            return
        if row.before is None:
            values = {"id": row.id, **row.after}
            columns = ", ".join(_identifier(c) for c in values)
            marks = ", ".join("?" for _ in values)
            cursor = conn.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values())
            )
            rowid = cursor.lastrowid
        else:
            if fields:
                sets = ", ".join(f"{_identifier(c)} = ?" for c in fields)
                conn.execute(
                    f"UPDATE {table} SET {sets} WHERE id = ?",
                    [row.after.get(c) for c in fields] + [row.id],
                )
            rowid = current["rowid"]
        if reindex:
            _index(conn, table, rowid, row.after, delete=False)

    def _record(self, conn: sqlite3.Connection, row: RowChange, stamp: str, origin: str) -> None:
        if row.before is None:
            entries = [(CREATED, None, as_text(dict(row.after or {})))]
        elif row.after is None:
            entries = [(DELETED, as_text(dict(row.before)), None)]
        else:
            entries = [
                (f, as_text(row.before.get(f)), as_text(row.after.get(f)))
                for f in row.changed_fields()
            ]
        conn.executemany(
            "INSERT INTO history (at, who, table_name, record_id, field, old, new, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(stamp, self.who, row.table, row.id, f, old, new, origin) for f, old, new in entries],
        )

    def row(self, table: str, record_id: str) -> dict[str, object] | None:
        """Return one raw row as a dict, or None."""
        found = self.conn.execute(
            f"SELECT * FROM {_table(table)} WHERE id = ?", (record_id,)
        ).fetchone()
        return dict(found) if found is not None else None


_TABLES = {
    "plan", "statuses", "periods", "leads", "themes", "actions", "action_leads", "updates",
    "milestones", "measures", "performance", "exemptions", "clashes", "signoffs",
    "reports", "report_sections", "report_tables", "report_rows", "approvals",
}  # fmt: skip
_NOUNS = {
    "action_leads": "lead", "updates": "update", "performance": "performance",
    "clashes": "clash", "signoffs": "sign-off", "reports": "report",
    "report_sections": "report section", "report_tables": "table of figures",
    "report_rows": "row of figures", "approvals": "approval",
}  # fmt: skip


# FTS5 merges index segments inside the write that fills a level. At its default of 4, one
# edit in 70 of a 10,000-action plan rewrote ~275 index pages (99th percentile 36 ms against
# 1.8 ms; bench figure 4). At 16 such merges are four times rarer: the 99th percentile edit
# is a plain commit (2.9 ms), and a search still reads few segments.
FTS_AUTOMERGE = 16


def _tune_index(conn: sqlite3.Connection) -> None:
    """Set the full-text indexes' merge threshold once per file (it is kept in the file)."""
    for table in schema.SEARCHED:
        fts = f"{table}_fts"
        try:
            found = conn.execute(f"SELECT v FROM {fts}_config WHERE k = 'automerge'").fetchone()
        except sqlite3.OperationalError:
            return  # a format without full-text search
        if found is None or found[0] != FTS_AUTOMERGE:
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('automerge', {FTS_AUTOMERGE})")


def _index(
    conn: sqlite3.Connection,
    table: str,
    rowid: int | None,
    values: Mapping[str, object],
    *,
    delete: bool,
) -> None:
    """Add a row's searched text to the full-text index, or take it out."""
    columns = schema.SEARCHED[table]
    fts = f"{table}_fts"
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    texts = [values.get(c) or "" for c in columns]
    if delete:
        conn.execute(
            f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', ?, {marks})",
            [rowid, *texts],
        )
    else:
        conn.execute(f"INSERT INTO {fts} (rowid, {names}) VALUES (?, {marks})", [rowid, *texts])


def _table(name: str) -> str:
    """Return ``name`` if it is one of the plan's tables; refuse anything else."""
    if name in _TABLES:
        return name
    raise ValueError(f"not a plan table: {name!r}")


def _identifier(name: str) -> str:
    """Return ``name`` if it is a plain column name; refuse anything else."""
    if name.isidentifier() and name.isascii():
        return name
    raise ValueError(f"not a column name: {name!r}")


def _noun(table: str) -> str:
    return _NOUNS.get(table, table.rstrip("s"))


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def backup_before_upgrade(path: Path, version: int) -> Path:
    """Copy an older-format file aside before it is upgraded, and return the copy's path.

    The file has passed the safety check and has no journal in use, so a byte copy of it is
    a complete database.
    """
    backup = path.with_name(f"{path.stem}.format{version}-backup{path.suffix}")
    counter = 1
    while backup.exists():
        counter += 1
        backup = path.with_name(f"{path.stem}.format{version}-backup{counter}{path.suffix}")
    try:
        atomic.write_with(backup, lambda tmp: shutil.copy2(path, tmp))
    except errors.EnvironmentProblem as exc:
        raise errors.EnvironmentProblem(
            f"{path.name} was not upgraded because its backup could not be written: {exc}"
        ) from exc
    return backup


def row_dict(row: Mapping[str, object] | None) -> dict[str, object] | None:
    """Return a plain dict copy of a row (or None), for building changes."""
    return dict(row) if row is not None else None
