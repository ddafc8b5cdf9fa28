"""Every kind of bad file is refused with one sentence, and a sound one passes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db import schema
from db.document import Document
from db.errors import FileRefused, NewerFileError
from db.safety import check_file


def _one_sentence(text: str) -> bool:
    return text.endswith(".") and "\n" not in text and "Traceback" not in text


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    return conn


def test_sample_is_sound(sample_path: Path) -> None:
    report = check_file(sample_path)
    assert report.ok, report.problems
    assert report.version == schema.SCHEMA_VERSION


def _bad_files(tmp_path: Path, sample_path: Path) -> dict[str, tuple[Path, str]]:
    """Build one real bad file per kind, with a word its refusal must contain."""
    files: dict[str, tuple[Path, str]] = {}

    text = tmp_path / "notes.scrutiny"
    text.write_text("Minutes of the panel meeting\n" * 20)
    files["not sqlite"] = (text, "not a SQLite database")

    empty = tmp_path / "empty.scrutiny"
    empty.write_bytes(b"")
    files["empty"] = (empty, "empty")

    truncated = tmp_path / "truncated.scrutiny"
    data = sample_path.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    files["truncated"] = (truncated, "truncated")

    header_only = tmp_path / "header.scrutiny"
    header_only.write_bytes(data[:60])
    files["cut in header"] = (header_only, "truncated")

    foreign = tmp_path / "foreign.scrutiny"
    conn = _raw(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    files["foreign"] = (foreign, "not a Scrutineer plan")

    newer = tmp_path / "newer.scrutiny"
    shutil.copy(sample_path, newer)
    conn = _raw(newer)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    files["newer"] = (newer, "newer Scrutineer")

    extra_table = tmp_path / "extra-table.scrutiny"
    shutil.copy(sample_path, extra_table)
    conn = _raw(extra_table)
    conn.execute("CREATE TABLE payload (x)")
    conn.close()
    files["unexpected table"] = (extra_table, "did not create")

    trigger = tmp_path / "trigger.scrutiny"
    shutil.copy(sample_path, trigger)
    conn = _raw(trigger)
    conn.execute("CREATE TRIGGER steal AFTER UPDATE ON updates BEGIN DELETE FROM history; END")
    conn.close()
    files["trigger"] = (trigger, "trigger steal")

    view = tmp_path / "view.scrutiny"
    shutil.copy(sample_path, view)
    conn = _raw(view)
    conn.execute("CREATE VIEW plan_view AS SELECT * FROM plan")
    conn.close()
    files["view"] = (view, "view plan_view")

    altered = tmp_path / "altered.scrutiny"
    shutil.copy(sample_path, altered)
    conn = _raw(altered)
    conn.execute("ALTER TABLE actions ADD COLUMN secret TEXT")
    conn.close()
    files["altered table"] = (altered, "did not create")

    corrupt = tmp_path / "corrupt.scrutiny"
    shutil.copy(sample_path, corrupt)
    raw = bytearray(corrupt.read_bytes())
    page_size = int.from_bytes(raw[16:18], "big")
    # Scribble over every page after the schema page: the header stays valid.
    for offset in range(page_size * 2, len(raw), page_size):
        raw[offset : offset + 64] = b"\xff" * 64
    corrupt.write_bytes(bytes(raw))
    files["corrupt pages"] = (corrupt, "damaged")

    folder = tmp_path / "folder.scrutiny"
    folder.mkdir()
    files["folder"] = (folder, "folder")

    files["missing"] = (tmp_path / "nowhere.scrutiny", "does not exist")

    wal = tmp_path / "wal.scrutiny"
    shutil.copy(sample_path, wal)
    conn = _raw(wal)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    files["wal mode"] = (wal, "write-ahead log")
    return files


KINDS = [
    "not sqlite", "empty", "truncated", "cut in header", "foreign", "newer",
    "unexpected table", "trigger", "view", "altered table", "corrupt pages", "folder",
    "missing", "wal mode",
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_bad_file_is_refused_in_one_sentence(kind: str, tmp_path: Path, sample_path: Path) -> None:
    path, word = _bad_files(tmp_path, sample_path)[kind]
    report = check_file(path)
    assert not report.ok
    assert word in report.problems[0], report.problems
    assert _one_sentence(report.problems[0]), report.problems[0]
    with pytest.raises(FileRefused) as caught:
        Document.open(path)
    assert str(caught.value) == report.problems[0]


def test_newer_file_raises_its_own_error(tmp_path: Path, sample_path: Path) -> None:
    path, _ = _bad_files(tmp_path, sample_path)["newer"]
    with pytest.raises(NewerFileError, match=rf"format {schema.SCHEMA_VERSION + 1}"):
        Document.open(path)


def test_check_never_touches_a_journal_beside_the_file(tmp_path: Path, sample_path: Path) -> None:
    """A received file's -journal is not ours to apply: checking leaves both exactly as they were."""
    journal = sample_path.with_name(sample_path.name + "-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)
    before = (sample_path.read_bytes(), journal.read_bytes())
    report = check_file(sample_path)
    assert report.ok
    assert any("journal" in note for note in report.notes)
    assert (sample_path.read_bytes(), journal.read_bytes()) == before


def test_read_only_open_never_touches_neighbours(tmp_path: Path, sample_path: Path) -> None:
    wal = sample_path.with_name(sample_path.name + "-wal")
    wal.write_bytes(b"garbage that SQLite must never read" * 10)
    before = sample_path.read_bytes()
    with Document.open(sample_path, read_only=True) as doc:
        assert doc.conn.execute("SELECT count(*) FROM actions").fetchone()[0] == 20
    assert sample_path.read_bytes() == before
    assert wal.read_bytes().startswith(b"garbage")


def test_every_connection_has_trusted_schema_off(sample_doc: Document) -> None:
    assert sample_doc.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    with Document.open(sample_doc.path, read_only=True) as other:
        assert other.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_file_is_marked_as_ours_and_uses_a_rollback_journal(sample_doc: Document) -> None:
    conn = sample_doc.conn
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
