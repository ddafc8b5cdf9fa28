"""Every kind of bad file is refused with one sentence, and a sound one passes."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from db import safety, schema
from db.document import Document
from db.errors import FileRefused, NewerFileError, UnfinishedChange
from db.safety import check_file


def _one_sentence(text: str) -> bool:
    return text.endswith(".") and "\n" not in text and "Traceback" not in text


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_sample_is_sound(sample_path: Path) -> None:
    report = check_file(sample_path)
    assert report.ok, report.problems
    assert report.version == schema.SCHEMA_VERSION


def _written(name: str, data: bytes) -> Callable[[Path, Path], Path]:
    def make(tmp_path: Path, sample_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


def _sample_cut(name: str, keep: Callable[[int], int]) -> Callable[[Path, Path], Path]:
    """Return a maker of the sample's first ``keep(size)`` bytes."""

    def make(tmp_path: Path, sample_path: Path) -> Path:
        data = sample_path.read_bytes()
        return _written(name, data[: keep(len(data))])(tmp_path, sample_path)

    return make


def _sample_with(name: str, sql: str) -> Callable[[Path, Path], Path]:
    """Return a maker of a copy of the sample changed by one SQL statement."""

    def make(tmp_path: Path, sample_path: Path) -> Path:
        path = tmp_path / name
        shutil.copy(sample_path, path)
        conn = _raw(path)
        conn.execute(sql)
        conn.close()
        return path

    return make


def _foreign(tmp_path: Path, sample_path: Path) -> Path:
    path = tmp_path / "foreign.scrutiny"
    conn = _raw(path)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    return path


def _corrupt(tmp_path: Path, sample_path: Path) -> Path:
    path = tmp_path / "corrupt.scrutiny"
    raw = bytearray(sample_path.read_bytes())
    page_size = int.from_bytes(raw[16:18], "big")
    # Scribble over every page after the schema page: the header stays valid.
    for offset in range(page_size * 2, len(raw), page_size):
        raw[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(raw))
    return path


def _folder(tmp_path: Path, sample_path: Path) -> Path:
    path = tmp_path / "folder.scrutiny"
    path.mkdir()
    return path


def _null_past_not_null(tmp_path: Path, sample_path: Path) -> Path:
    """Write NULL into themes.title by taking NOT NULL out of the schema and putting it back."""
    path = tmp_path / "null.scrutiny"
    shutil.copy(sample_path, path)
    conn = _raw(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'themes'").fetchone()[0]
    loose = sql.replace("title TEXT NOT NULL DEFAULT ''", "title TEXT DEFAULT ''")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'themes'", (loose,))
    conn.close()
    conn = _raw(path)
    conn.execute("UPDATE themes SET title = NULL")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'themes'", (sql,))
    conn.close()
    return path


def _shared_uuid(tmp_path: Path, sample_path: Path) -> Path:
    """Give two actions one id, the UNIQUE index forged to hold both (writable_schema)."""
    path = tmp_path / "shared-id.scrutiny"
    shutil.copy(sample_path, path)
    conn = _raw(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'actions'").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = ? WHERE name = 'actions'",
        (sql.replace("id TEXT PRIMARY KEY", "id TEXT"),),
    )
    conn.execute(
        "UPDATE sqlite_master SET name = 'forged', sql = 'CREATE INDEX forged ON actions (id)' "
        "WHERE name = 'sqlite_autoindex_actions_1'"
    )
    conn.close()
    conn = _raw(path)
    conn.execute("INSERT INTO actions SELECT * FROM actions LIMIT 1")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'actions'", (sql,))
    conn.execute(
        "UPDATE sqlite_master SET name = 'sqlite_autoindex_actions_1', sql = NULL "
        "WHERE name = 'forged'"
    )
    conn.close()
    return path


# An FTS5 structure record: a 4-byte cookie, then varints: 2^31 levels, no segments.
_TWO_TO_31_LEVELS = "x'00000001' || x'8880808000' || x'00'"


# One real bad file per kind, and a word its refusal must contain.
BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "not sqlite": (
        _written("notes.scrutiny", b"Minutes of the panel meeting\n" * 20),
        "not a SQLite database",
    ),
    "empty": (_written("empty.scrutiny", b""), "empty"),
    "truncated": (_sample_cut("truncated.scrutiny", lambda size: size // 2), "truncated"),
    "cut in header": (_sample_cut("header.scrutiny", lambda size: 60), "truncated"),
    "foreign": (_foreign, "not a Scrutineer plan"),
    "newer": (
        _sample_with("newer.scrutiny", f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}"),
        "newer Scrutineer",
    ),
    "unexpected table": (
        _sample_with("extra-table.scrutiny", "CREATE TABLE payload (x)"),
        "did not create",
    ),
    "trigger": (
        _sample_with(
            "trigger.scrutiny",
            "CREATE TRIGGER steal AFTER UPDATE ON updates BEGIN DELETE FROM history; END",
        ),
        "trigger steal",
    ),
    "view": (
        _sample_with("view.scrutiny", "CREATE VIEW plan_view AS SELECT * FROM plan"),
        "view plan_view",
    ),
    "altered table": (
        _sample_with("altered.scrutiny", "ALTER TABLE actions ADD COLUMN secret TEXT"),
        "did not create",
    ),
    "corrupt pages": (_corrupt, "damaged"),
    "folder": (_folder, "folder"),
    "missing": (lambda tmp_path, sample_path: tmp_path / "nowhere.scrutiny", "does not exist"),
    "wal mode": (_sample_with("wal.scrutiny", "PRAGMA journal_mode = WAL"), "write-ahead log"),
    # Rows that break what the schema promises (finding 8 of issue 20).
    "blob where text belongs": (
        _sample_with(
            "blob.scrutiny",
            "UPDATE actions SET activity = x'00ff' WHERE rowid = (SELECT min(rowid) FROM actions)",
        ),
        "binary data in actions.activity",
    ),
    "text where a number belongs": (
        _sample_with("text-number.scrutiny", "UPDATE statuses SET position = 'first'"),
        "text in statuses.position",
    ),
    "null past not null": (_null_past_not_null, "themes.title"),
    "dangling foreign key": (
        _sample_with(
            "dangling.scrutiny",
            "UPDATE actions SET theme_id = 'no such theme' "
            "WHERE rowid = (SELECT min(rowid) FROM actions)",
        ),
        "points at a record of themes that does not exist",
    ),
    "shared uuid, forged index": (_shared_uuid, "sqlite_autoindex_actions_1"),
    "fts garbage segments": (
        _sample_with(
            "fts-garbage.scrutiny",
            "UPDATE updates_fts_data SET block = randomblob(length(block)) WHERE id > 10",
        ),
        "updates_fts",
    ),
    "fts structure of 2^31 levels": (
        _sample_with(
            "fts-levels.scrutiny",
            f"UPDATE actions_fts_data SET block = {_TWO_TO_31_LEVELS} WHERE id = 10",
        ),
        "search index for actions",
    ),
    "fts config version 99": (
        _sample_with(
            "fts-config.scrutiny", "UPDATE actions_fts_config SET v = 99 WHERE k = 'version'"
        ),
        "invalid fts5 file format",
    ),
}


def _bad_file(kind: str, tmp_path: Path, sample_path: Path) -> tuple[Path, str]:
    """Build the one bad file of ``kind``; return it with the word its refusal must contain."""
    make, word = BAD_FILES[kind]
    return make(tmp_path, sample_path), word


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_refused_in_one_sentence(kind: str, tmp_path: Path, sample_path: Path) -> None:
    path, word = _bad_file(kind, tmp_path, sample_path)
    report = check_file(path)
    assert not report.ok
    assert word in report.problems[0], report.problems
    assert _one_sentence(report.problems[0]), report.problems[0]
    with pytest.raises(FileRefused) as caught:
        Document.open(path)
    assert str(caught.value) == report.problems[0]


def test_a_forged_unique_index_is_found_by_counting_the_table_itself(
    tmp_path: Path, sample_path: Path
) -> None:
    """Even where the integrity check is not asked, ids are counted from the table's rows."""
    path = _shared_uuid(tmp_path, sample_path)
    conn = safety.open_untrusted(path)
    try:
        problem = safety.rows_problem(
            conn, path.name, schema.expected_master(schema.SCHEMA_VERSION)
        )
    finally:
        conn.close()
    assert (
        problem
        == "shared-id.scrutiny has records in actions that share one id, so it was not opened."
    )


def test_a_sound_file_passes_every_row_check(sample_path: Path) -> None:
    conn = safety.open_untrusted(sample_path)
    try:
        assert safety.rows_problem(conn, "x", schema.expected_master(schema.SCHEMA_VERSION)) is None
    finally:
        conn.close()


def test_newer_file_raises_its_own_error(tmp_path: Path, sample_path: Path) -> None:
    path, _ = _bad_file("newer", tmp_path, sample_path)
    with pytest.raises(NewerFileError, match=rf"format {schema.SCHEMA_VERSION + 1}"):
        Document.open(path)


def test_check_never_touches_a_journal_beside_the_file(tmp_path: Path, sample_path: Path) -> None:
    """A -journal is not ours to apply: check refuses the file, leaving both as they were."""
    journal = sample_path.with_name(sample_path.name + "-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)
    before = (sample_path.read_bytes(), journal.read_bytes())
    report = check_file(sample_path)
    assert not report.ok and report.unfinished
    assert report.problems == [
        "sample.scrutiny holds an unfinished change; 'scrutineer recover sample.scrutiny' "
        "keeps every finished edit."
    ]
    assert (sample_path.read_bytes(), journal.read_bytes()) == before


def test_no_open_reads_a_write_ahead_log_beside_the_file(tmp_path: Path, sample_path: Path) -> None:
    wal = sample_path.with_name(sample_path.name + "-wal")
    wal.write_bytes(b"garbage that SQLite must never read" * 10)
    before = sample_path.read_bytes()
    for read_only in (True, False):
        with pytest.raises(UnfinishedChange, match="write-ahead log beside it"):
            Document.open(sample_path, read_only=read_only)
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
