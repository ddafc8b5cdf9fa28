"""A current SQLite reads every file from someone else, and defensive mode is on for every connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import apsw
import pytest

from db import defensive, safety
from db.document import Document


def test_the_sqlite_reading_untrusted_files_is_3_45_or_newer() -> None:
    assert safety.MIN_SQLITE >= (3, 45, 0)
    assert safety.checking_sqlite() >= safety.MIN_SQLITE, (
        f"files from others are read by SQLite {apsw.sqlite_lib_version()}; "
        f"Scrutineer needs {'.'.join(map(str, safety.MIN_SQLITE))} or newer"
    )


def test_an_installation_with_an_older_sqlite_checks_nothing(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safety, "checking_sqlite", lambda: (3, 40, 1))
    report = safety.check_file(sample_path)
    assert not report.ok
    assert report.problems == [
        f"{sample_path.name} was not checked: this installation's SQLite is 3.40.1, older "
        "than 3.45.0; reinstall Scrutineer."
    ]


def test_the_check_reads_with_defensive_mode_on(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[int, int, str]] = []
    real = safety.open_untrusted

    def watched(path: Path) -> apsw.Connection:
        conn = real(path)
        # What the check's own connection says while it is still open.
        opened.append(
            (
                conn.config(apsw.SQLITE_DBCONFIG_DEFENSIVE, -1),
                conn.execute("PRAGMA trusted_schema").fetchone()[0],
                apsw.sqlite_lib_version(),
            )
        )
        return conn

    monkeypatch.setattr(safety, "open_untrusted", watched)
    assert safety.check_file(sample_path).ok
    assert opened == [(1, 0, apsw.sqlite_lib_version())]


def _cannot_write_schema(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA writable_schema = ON")
    with pytest.raises(sqlite3.DatabaseError, match="may not be modified"):
        conn.execute("UPDATE sqlite_master SET sql = sql WHERE name = 'plan'")
    with pytest.raises(sqlite3.DatabaseError, match="may not be modified"):
        conn.execute("DELETE FROM actions_fts_data")


def test_defensive_mode_is_on_for_the_editing_connection(sample_doc: Document) -> None:
    assert defensive.is_on(sample_doc.conn)
    _cannot_write_schema(sample_doc.conn)
    sample_doc.conn.execute("PRAGMA writable_schema = OFF")


def test_defensive_mode_is_on_for_a_read_only_connection(sample_path: Path) -> None:
    with Document.open(sample_path, read_only=True) as doc:
        assert defensive.is_on(doc.conn)


def test_defensive_mode_is_off_until_turned_on(tmp_path: Path) -> None:
    """The switch is read from SQLite itself, not from what was asked for."""
    conn = sqlite3.connect(tmp_path / "plain.db", isolation_level=None)
    try:
        assert not defensive.is_on(conn)
        defensive.enable(conn)
        assert defensive.is_on(conn)
        conn.execute("CREATE TABLE t (x)")
        conn.execute("PRAGMA writable_schema = ON")
        with pytest.raises(sqlite3.DatabaseError, match="may not be modified"):
            conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE t (y)'")
    finally:
        conn.close()
