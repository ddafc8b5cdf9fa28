"""Checking a file before it is used: SQLite header, owner, format version, integrity, schema, rows.

A file from anyone else is untrusted. It is read by APSW's own SQLite (3.45 or newer on
every platform, whatever SQLite the interpreter links) through an ``immutable`` read-only
connection, which never looks at or touches the ``-journal`` or ``-wal`` files beside it,
with ``trusted_schema`` off and defensive mode on; it is compared with the exact schema our
own migrations create for its version, and then checked to the row. A file with a journal
or write-ahead log beside it is not read at all: it is recovered first (``db.recovery``).
"""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path

import apsw

from db import defensive, schema

HEADER = b"SQLite format 3\x00"
# The oldest SQLite trusted to read a file from someone else: a current one, whatever the
# interpreter links (3.44 taught the integrity check to walk full-text indexes).
# pyproject.toml asks for an APSW that bundles one at least this new.
MIN_SQLITE = (3, 45, 0)


@dataclass
class CheckReport:
    """What the safety check found; ``problems`` empty means the file may be opened."""

    path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version: int | None = None
    newer: bool = False
    unfinished: bool = False

    @property
    def ok(self) -> bool:
        """Return True when nothing stops the file from being opened."""
        return not self.problems

    @property
    def needs_upgrade(self) -> bool:
        """Return True when the file is sound but uses an older format."""
        return self.ok and self.version is not None and self.version < schema.SCHEMA_VERSION


def harden(conn: sqlite3.Connection) -> None:
    """Apply the settings every connection to a plan file gets, trusted or not."""
    conn.execute("PRAGMA trusted_schema = OFF")
    defensive.enable(conn)


def open_untrusted(path: Path) -> apsw.Connection:
    """Open ``path`` for checking with APSW's SQLite: immutable, read-only, defensive.

    Raises:
        apsw.Error: SQLite cannot open the file.
    """
    conn = apsw.Connection(
        file_uri(path, mode="ro", immutable="1"),
        flags=apsw.SQLITE_OPEN_READONLY | apsw.SQLITE_OPEN_URI,
    )
    conn.config(apsw.SQLITE_DBCONFIG_DEFENSIVE, 1)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    return conn


def checking_sqlite() -> tuple[int, ...]:
    """Return the version of the SQLite that reads files from anyone else."""
    return tuple(int(part) for part in apsw.sqlite_lib_version().split(".")[:3])


def sidecar_problem(path: Path) -> str | None:
    """Return a sentence when a journal or write-ahead log beside ``path`` must be dealt with first.

    A non-empty ``-journal`` is an unfinished change (ours after a crash, or one that arrived
    beside a file): SQLite would roll it back into the plan as it opened it, so only
    ``db.recovery`` may let SQLite see it. A ``-wal`` is never ours: SQLite would read it
    as part of the plan.
    """
    name = path.name
    journal = path.with_name(name + "-journal")
    if journal.is_file() and journal.stat().st_size:
        return (
            f"{name} holds an unfinished change; 'scrutineer recover {name}' keeps every "
            "finished edit."
        )
    wal = path.with_name(name + "-wal")
    if wal.exists():
        return (
            f"{name} has a write-ahead log beside it ({wal.name}), which Scrutineer never "
            f"writes; 'scrutineer recover {name}' sets it aside."
        )
    return None


def file_uri(path: Path, **params: str) -> str:
    """Return a ``file:`` URI for ``path`` with query parameters, safe for any file name."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{path.resolve().as_uri()}?{query}" if query else path.resolve().as_uri()


def connect_untrusted(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only and immutable: SQLite will not read or write files beside it."""
    conn = sqlite3.connect(file_uri(path, mode="ro", immutable="1"), uri=True)
    harden(conn)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _header_problem(path: Path, name: str) -> str | None:
    """Return a sentence when the bytes on disk cannot be a whole SQLite database."""
    if not path.exists():
        return f"{name} does not exist."
    if not path.is_file():
        return f"{name} is a folder, not a plan file."
    size = path.stat().st_size
    if size == 0:
        return f"{name} is empty, so it cannot be a plan."
    with path.open("rb") as handle:
        head = handle.read(100)
    if not head.startswith(HEADER[: min(len(head), 16)]) or len(head) < 16:
        return f"{name} is not a Scrutineer plan (it is not a SQLite database)."
    if len(head) < 100:
        return f"{name} is truncated: it ends inside the database header."
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"{name} is damaged: its header names an impossible page size."
    if head[18] == 2 or head[19] == 2:
        return f"{name} uses SQLite's write-ahead log, which Scrutineer files never do."
    change_counter, page_count = (
        struct.unpack(">I", head[24:28])[0],
        struct.unpack(">I", head[28:32])[0],
    )
    valid_for = struct.unpack(">I", head[92:96])[0]
    if page_count and valid_for == change_counter and page_count * page_size > size:
        return (
            f"{name} is truncated: it should hold {page_count * page_size:,} bytes "
            f"but holds {size:,}; ask for the file to be sent again."
        )
    if size % page_size:
        return f"{name} is truncated or padded: its size is not a whole number of pages."
    return None


def fingerprint(path: str | Path) -> str:
    """Return what identifies one state of a file: device, inode, size, mtime, change counter.

    The application records it when it closes a plan it had open for editing, and skips the
    slow ``quick_check`` (0.5 s for 10,000 actions) when the file it opens still has that
    fingerprint: nothing has touched the file since this installation closed it cleanly. A
    file from anyone else, or one left by a crash, never matches and is checked in full.

    Raises:
        OSError: the file cannot be read.
    """
    path = Path(path)
    st = path.stat()
    with path.open("rb") as handle:
        head = handle.read(28)
    counter = struct.unpack(">I", head[24:28])[0] if len(head) == 28 else -1
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{counter}"


def check_file(path: str | Path, *, integrity: bool = True) -> CheckReport:
    """Check that ``path`` is a sound Scrutineer plan without changing it or its neighbours.

    Args:
        path: the file to check.
        integrity: check every page and row (3 s for 10,000 actions); only a file this
            installation closed cleanly may skip it.

    Returns:
        A report whose ``problems`` are sentences a person can read; empty means sound.
    """
    path = Path(path)
    name = path.name
    report = CheckReport(path)
    if checking_sqlite() < MIN_SQLITE:  # a damaged installation: never read with an old one
        found = ".".join(map(str, checking_sqlite()))
        report.problems.append(
            f"{name} was not checked: this installation's SQLite is {found}, older than "
            f"{'.'.join(map(str, MIN_SQLITE))}; reinstall Scrutineer."
        )
        return report
    problem = sidecar_problem(path) if path.is_file() else None
    if problem:
        # Before the header: a plan killed mid-commit may hold a header and pages that only
        # its journal makes whole again ("truncated" would send the user the wrong way).
        report.problems.append(problem)
        report.unfinished = True
        return report
    problem = _header_problem(path, name)
    if problem:
        report.problems.append(problem)
        return report
    try:
        conn = open_untrusted(path)
    except apsw.Error:
        report.problems.append(f"{name} could not be opened as a SQLite database.")
        return report
    try:
        _check_open(conn, report, integrity)
    except (apsw.Error, UnicodeDecodeError) as exc:
        report.problems.append(f"{name} is damaged and cannot be read ({_short(exc)}).")
    finally:
        conn.close()
    return report


def _short(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0].rstrip(".")


def _check_open(conn: apsw.Connection, report: CheckReport, integrity: bool) -> None:
    name = report.path.name
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != schema.APPLICATION_ID:
        report.problems.append(
            f"{name} is a SQLite database but not a Scrutineer plan; it was made by another program."
        )
        return
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    report.version = version
    if version > schema.SCHEMA_VERSION:
        report.newer = True
        report.problems.append(
            f"{name} was made by a newer Scrutineer (file format {version}; this version reads "
            f"formats up to {schema.SCHEMA_VERSION}); install the newer version to open it."
        )
        return
    if version < 1:
        report.problems.append(f"{name} has no format version, so it is not a finished plan.")
        return
    if integrity:
        # The full check, not quick_check: it also compares every index with its table
        # (a forged UNIQUE index) and walks the full-text indexes' segments.
        rows = conn.execute("PRAGMA integrity_check(5)").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            report.problems.append(
                f"{name} is damaged: SQLite's integrity check found {rows[0][0]!r}."
            )
            return
    found = schema.read_master(conn)
    expected = schema.expected_master(version)
    extra = sorted(f"{kind} {entry}" for kind, entry, _t, _s in found - expected)
    missing = sorted(f"{kind} {entry}" for kind, entry, _t, _s in expected - found)
    if extra:
        report.problems.append(
            f"{name} contains parts Scrutineer did not create ({_listed(extra)}), "
            "so it was not opened."
        )
        return
    if missing:
        report.problems.append(
            f"{name} is missing parts of a plan ({_listed(missing)}), so it was not opened."
        )
        return
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    if applied != schema.migration_names()[:version]:
        report.problems.append(
            f"{name} has a format history that does not match its version, so it was not opened."
        )
        return
    plans = conn.execute("SELECT count(*) FROM plan").fetchone()[0]
    if plans != 1:
        report.problems.append(f"{name} holds {plans} plans instead of one, so it was not opened.")
        return
    if integrity:
        problem = rows_problem(conn, name, expected)
        if problem:
            report.problems.append(problem)
            return
    if version < schema.SCHEMA_VERSION:
        report.notes.append(
            f"{name} uses the older file format {version}; it will be upgraded to format "
            f"{schema.SCHEMA_VERSION} when opened for editing, keeping a backup."
        )


# What typeof() may say of a value in a column of each declared type (REAL columns keep
# whole numbers as integers on disk, and typeof reads them as such in older files).
_TYPES = {"TEXT": ("text",), "INTEGER": ("integer",), "REAL": ("real", "integer")}


def rows_problem(
    conn: apsw.Connection, name: str, expected: frozenset[tuple[str, str, str, str]]
) -> str | None:
    """Return a sentence when a row breaks what the schema promises, or None.

    A file's tables are not STRICT, and ``writable_schema`` or a raw page edit can write
    past a NOT NULL or UNIQUE constraint, so each is verified here against the rows:
    foreign keys, each column's type, NULLs where none may be, and duplicated ids (read
    from the table itself, never from the UNIQUE index a forger could have written).
    """
    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
    if dangling is not None:
        table, _rowid, parent, _fk = dangling
        return (
            f"{name} has a record in {table} that points at a record of {parent} that does "
            "not exist, so it was not opened."
        )
    virtual = [
        n for kind, n, _t, sql in expected if kind == "table" and sql.startswith("create virtual")
    ]
    tables = sorted(
        n
        for kind, n, _t, sql in expected
        if kind == "table" and n not in virtual and not any(n.startswith(v + "_") for v in virtual)
    )
    for table in tables:
        columns = conn.execute(f"PRAGMA table_info({table})").fetchall()
        allowed: dict[str, tuple[str, ...]] = {}
        for _cid, column, declared, notnull, _default, pk in columns:
            kinds = _TYPES.get(str(declared).upper())
            if kinds is None:
                continue
            allowed[column] = kinds if notnull or pk else (*kinds, "null")
        if not allowed:
            continue
        tests = [
            f"sum(typeof({c}) NOT IN ({', '.join(repr(k) for k in kinds)}))"
            for c, kinds in allowed.items()
        ]
        counts = conn.execute(f"SELECT {', '.join(tests)} FROM {table}").fetchone()
        for (column, kinds), bad in zip(allowed.items(), counts, strict=True):
            if not bad:
                continue
            found = conn.execute(
                f"SELECT typeof({column}) FROM {table} WHERE typeof({column}) NOT IN "
                f"({', '.join(repr(k) for k in kinds)}) LIMIT 1"
            ).fetchone()[0]
            if found == "null":
                return f"{name} has an empty {table}.{column}, which must always hold a value, so it was not opened."
            want = {"text": "text", "integer": "a whole number", "real": "a number"}[kinds[0]]
            what = {
                "blob": "binary data",
                "text": "text",
                "integer": "a number",
                "real": "a number",
            }[found]
            return f"{name} holds {what} in {table}.{column}, where {want} belongs, so it was not opened."
        if allowed.get("id") == _TYPES["TEXT"]:
            # A UUID id (an INTEGER one is the rowid, unique by construction). NOT INDEXED:
            # count the table's own rows, not the entries of the UNIQUE index.
            total, distinct = conn.execute(
                f"SELECT count(*), count(DISTINCT id) FROM {table} NOT INDEXED"
            ).fetchone()
            if total != distinct:
                return f"{name} has records in {table} that share one id, so it was not opened."
    for table in schema.SEARCHED if any(n == "actions_fts" for _k, n, _t, _s in expected) else ():
        problem = index_problem(conn, name, table)
        if problem:
            return problem
    return None


# FTS5's own limits (fts5Int.h): a structure record beyond them is forged or damaged.
FTS5_MAX_LEVEL = 64
FTS5_MAX_SEGMENT = 2000
FTS5_STRUCTURE_ROWID = 10
FTS5_STRUCTURE_V2 = b"\xff\x00\x00\x01"


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """Return (value, next offset) of the SQLite varint at ``data[at]``."""
    value = 0
    for i in range(8):
        if at + i >= len(data):
            raise ValueError("varint runs past the record")
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + i + 1
    if at + 8 >= len(data):
        raise ValueError("varint runs past the record")
    return (value << 8) | data[at + 8], at + 9


def index_problem(conn: apsw.Connection, name: str, table: str) -> str | None:
    """Return a sentence when the full-text index of ``table`` cannot be what Scrutineer wrote.

    The integrity check walks the index's segments; what it does not question is the
    structure record's own counts (a record claiming 2^31 levels reads as an empty index)
    or whether every record of the table is indexed, which are read here.
    """
    fts = f"{table}_fts"
    found = conn.execute(
        f"SELECT CAST(block AS BLOB) FROM {fts}_data WHERE id = {FTS5_STRUCTURE_ROWID}"
    ).fetchone()
    damaged = f"{name} is damaged: its search index for {table} is not one Scrutineer wrote."
    if found is None or not isinstance(found[0], bytes) or len(found[0]) < 6:
        return damaged
    record = found[0]
    at = 8 if record[4:8] == FTS5_STRUCTURE_V2 else 4
    try:
        levels, at = _varint(record, at)
        segments, at = _varint(record, at)
    except ValueError:
        return damaged
    if levels > FTS5_MAX_LEVEL or segments > FTS5_MAX_SEGMENT:
        return damaged
    indexed, rows = conn.execute(
        f"SELECT (SELECT count(*) FROM {fts}_docsize), (SELECT count(*) FROM {table})"
    ).fetchone()
    if indexed != rows:
        return damaged
    return None


def _listed(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
