"""Older files are upgraded through the migrations, with a backup; the format is what we check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import reads, schema
from db.document import Document
from db.errors import UpgradeNeeded
from db.safety import check_file


def _format1_file(path: Path) -> None:
    """Write a genuine format-1 plan: the first migration only, with one action and update."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    schema.upgrade(conn, stop_before_version=2)
    conn.executescript(
        """
        BEGIN;
        INSERT INTO plan (id, title) VALUES ('p1', 'Old plan');
        INSERT INTO periods (id, label) VALUES ('q1', 'Q1 2016/17');
        INSERT INTO themes (id, number, title) VALUES ('t1', '7', 'Money');
        INSERT INTO actions (id, theme_id, ref, activity) VALUES ('a1', 't1', '7C01', 'Balance the budget');
        INSERT INTO updates (id, action_id, period_id, text) VALUES ('u1', 'a1', 'q1', 'Underspend likely');
        COMMIT;
        """
    )
    conn.close()


def test_format1_file_is_a_real_older_file(tmp_path: Path) -> None:
    path = tmp_path / "old.scrutiny"
    _format1_file(path)
    report = check_file(path)
    assert report.ok and report.version == 1 and report.needs_upgrade
    assert "upgraded" in report.notes[-1]


def test_older_file_is_not_upgraded_without_consent(tmp_path: Path) -> None:
    path = tmp_path / "old.scrutiny"
    _format1_file(path)
    before = path.read_bytes()
    with pytest.raises(UpgradeNeeded) as caught:
        Document.open(path)
    assert caught.value.version == 1
    assert path.read_bytes() == before


def test_upgrade_keeps_a_backup_and_the_data(tmp_path: Path) -> None:
    path = tmp_path / "old.scrutiny"
    _format1_file(path)
    original = path.read_bytes()
    with Document.open(path, upgrade=True) as doc:
        assert doc.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert reads.plan(doc).title == "Old plan"
        # The search index built by the upgrade covers what the old file held.
        assert [h.action_id for h in reads.search(doc, "underspend")] == ["a1"]
    backups = list(tmp_path.glob("old.format1-backup*.scrutiny"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == original
    assert check_file(path).ok


def test_the_stored_schema_is_exactly_what_the_migrations_create() -> None:
    """The file check reads a snapshot; after a new migration, ``python -m db.schema``."""
    for version in range(1, schema.SCHEMA_VERSION + 1):
        assert schema.expected_master(version) == schema.build_master(version), (
            f"db/schema_master.json is out of date for format {version}: run python -m db.schema"
        )


def test_checking_a_file_does_not_load_sqlite_utils(sample_path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from db.safety import check_file;"
        f"assert check_file({str(sample_path)!r}).ok;"
        "print('sqlite_utils' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_expected_schema_comes_from_the_migrations() -> None:
    names = schema.migration_names()
    assert len(names) == schema.SCHEMA_VERSION
    newest = {entry[1] for entry in schema.expected_master(schema.SCHEMA_VERSION)}
    assert {"plan", "actions", "updates", "history", "actions_fts", "updates_fts"} <= newest
    assert "actions_fts" not in {entry[1] for entry in schema.expected_master(1)}
    # No triggers at all: with trusted_schema off they could not write the index anyway.
    assert not [e for e in schema.expected_master(schema.SCHEMA_VERSION) if e[0] == "trigger"]
