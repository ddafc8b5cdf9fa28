"""Checking a file before it is used: SQLite header, owner, format version, integrity, schema.

A file from anyone else is untrusted. It is read through an ``immutable`` read-only
connection, which never looks at or touches the ``-journal`` or ``-wal`` files beside it,
with ``trusted_schema`` off (and SQLite's defensive mode where this Python offers it), and
it is compared with the exact schema our own migrations create for its version.
"""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass, field
from pathlib import Path

from db import schema

HEADER = b"SQLite format 3\x00"


@dataclass
class CheckReport:
    """What the safety check found; ``problems`` empty means the file may be opened."""

    path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    version: int | None = None
    newer: bool = False

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
    setconfig = getattr(conn, "setconfig", None)
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if setconfig is not None and defensive is not None:
        setconfig(defensive, True)


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
        integrity: run SQLite's ``quick_check`` over every page (slow for large files).

    Returns:
        A report whose ``problems`` are sentences a person can read; empty means sound.
    """
    path = Path(path)
    name = path.name
    report = CheckReport(path)
    problem = _header_problem(path, name)
    if problem:
        report.problems.append(problem)
        return report
    for suffix, what in (("-journal", "journal"), ("-wal", "write-ahead log")):
        side = path.with_name(name + suffix)
        if side.exists() and side.stat().st_size:
            report.notes.append(
                f"A {what} file ({side.name}) lies beside {name}; it was ignored by this check."
            )
    try:
        conn = connect_untrusted(path)
    except sqlite3.Error:
        report.problems.append(f"{name} could not be opened as a SQLite database.")
        return report
    try:
        _check_open(conn, report, integrity)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"{name} is damaged and cannot be read ({_short(exc)}).")
    finally:
        conn.close()
    return report


def _short(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0].rstrip(".")


def _check_open(conn: sqlite3.Connection, report: CheckReport, integrity: bool) -> None:
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
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
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
    if version < schema.SCHEMA_VERSION:
        report.notes.append(
            f"{name} uses the older file format {version}; it will be upgraded to format "
            f"{schema.SCHEMA_VERSION} when opened for editing, keeping a backup."
        )


def _listed(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
