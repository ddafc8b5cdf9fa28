"""A plan a crash left mid-commit is recovered with every finished edit; a foreign journal is never played."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import apsw
import pytest

from db import reads, recovery
from db.document import Document
from db.errors import EnvironmentProblem, FileRefused, UnfinishedChange
from db.safety import check_file, file_uri
from desktop.cli import main
from tests.crashed import ROOT, journal_naming, kill_mid_commit, plant_super_journal


def _latest_text(path: Path) -> str:
    with Document.open(path, read_only=True) as doc:
        action = reads.actions(doc)[0]
        return reads.update(doc, action.id, reads.periods(doc)[-1].id).text


def _history(path: Path) -> int:
    with Document.open(path, read_only=True) as doc:
        return doc.conn.execute("SELECT count(*) FROM history").fetchone()[0]


def test_a_plan_killed_during_a_large_commit_is_recovered_with_every_finished_edit(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    finished = kill_mid_commit(sample_path)
    journal = sample_path.with_name(sample_path.name + "-journal")
    torn, hot = sample_path.read_bytes(), journal.read_bytes()
    # The finding: read as it lies (immutable, journal ignored) the plan is damaged.
    conn = apsw.Connection(
        file_uri(sample_path, mode="ro", immutable="1"),
        flags=apsw.SQLITE_OPEN_READONLY | apsw.SQLITE_OPEN_URI,
    )
    assert conn.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok"
    conn.close()

    assert main(["check", str(sample_path)]) == 1
    assert capsys.readouterr().err == (
        "sample.scrutiny holds an unfinished change; 'scrutineer recover sample.scrutiny' "
        "keeps every finished edit.\n"
    )
    assert main(["recover", str(sample_path)]) == 0

    backup = sample_path.with_name("sample before recovery")
    assert capsys.readouterr().out == (
        "Recovered sample.scrutiny: the unfinished change was rolled back and every finished "
        f"edit is kept; the file as it was is kept in {backup}.\n"
    )
    assert not journal.exists()
    assert (backup / "sample.scrutiny").read_bytes() == torn
    assert (backup / "sample.scrutiny-journal").read_bytes() == hot
    assert _latest_text(sample_path) == "finished edit 3"
    assert sample_path.read_bytes() == finished  # exactly the plan as its last commit left it
    assert check_file(sample_path).ok
    with Document.open(sample_path) as doc:  # and it can be edited again
        never = "SELECT count(*) FROM updates WHERE text = 'never finished'"
        assert doc.conn.execute(never).fetchone()[0] == 0
    assert _history(sample_path) < 3000


def test_a_torn_header_is_told_as_an_unfinished_change_not_a_truncated_file(
    sample_path: Path,
) -> None:
    data = sample_path.read_bytes()
    sample_path.write_bytes(data[: len(data) // 2])  # the header still counts every page
    sample_path.with_name(sample_path.name + "-journal").write_bytes(
        recovery.JOURNAL_MAGIC + bytes(504)
    )
    report = check_file(sample_path)
    assert report.unfinished
    assert "holds an unfinished change" in report.problems[0]


def test_recovering_a_sound_plan_does_nothing(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sample_path.read_bytes()
    assert main(["recover", str(sample_path)]) == 0
    assert capsys.readouterr().out == (
        "sample.scrutiny has no unfinished change, so nothing was done.\n"
    )
    assert sample_path.read_bytes() == before
    assert sorted(p.name for p in sample_path.parent.iterdir()) == ["sample.scrutiny"]


def test_plain_sqlite_deletes_the_file_a_journal_names(tmp_path: Path, sample_path: Path) -> None:
    """The threat is real: the planted journal makes any ordinary open delete its victim."""
    victim = plant_super_journal(sample_path)
    conn = sqlite3.connect(sample_path)
    conn.execute("SELECT count(*) FROM plan").fetchone()
    conn.close()
    assert not victim.exists()


def _returned(sample_path: Path) -> Path:
    returned = sample_path.with_name("returned.scrutiny")
    with Document.open(sample_path, read_only=True) as doc:
        doc.save_copy(returned)
    return returned


EDITING = {
    "merge": lambda plan, returned: ["merge", str(plan), str(returned)],
    "signoff": lambda plan, returned: ["signoff", str(plan), "--accept-submitted"],
    "lock": lambda plan, returned: ["lock", str(plan), "--period", "Q2 2017/18"],
    "unlock": lambda plan, returned: ["unlock", str(plan), "--period", "Q2 2017/18"],
    "clashes --resolve": lambda plan, returned: [
        "clashes",
        str(plan),
        "--resolve",
        "1",
        "--take",
        "mine",
    ],
    "recover": lambda plan, returned: ["recover", str(plan)],
}


@pytest.mark.parametrize("command", EDITING)
def test_no_editing_command_plays_a_journal_naming_a_super_journal(
    command: str, sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = _returned(sample_path)
    victim = plant_super_journal(sample_path)
    journal = sample_path.with_name(sample_path.name + "-journal")
    before = (sample_path.read_bytes(), journal.read_bytes())

    assert main(EDITING[command](sample_path, returned)) == 1

    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "Traceback" not in said
    if command == "recover":
        assert "names another file as its super-journal" in said
    else:
        assert "holds an unfinished change" in said
    assert victim.read_text() == "the panel's minutes"
    assert (sample_path.read_bytes(), journal.read_bytes()) == before


def test_a_journal_holding_another_plans_pages_never_rewrites_the_plan(
    tmp_path: Path, sample_path: Path
) -> None:
    """A journal from a different plan is refused by every open; recovery refuses what it gives."""
    other = tmp_path / "other" / "sample.scrutiny"
    other.parent.mkdir()
    shutil.copy(sample_path, other)
    kill_mid_commit(other)
    with Document.open(sample_path) as doc:  # make the plan differ from the journal's
        doc.conn.execute("UPDATE plan SET title = 'Changed since'")
    journal = sample_path.with_name(sample_path.name + "-journal")
    shutil.copy(other.with_name(other.name + "-journal"), journal)
    before = sample_path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(UnfinishedChange):
            Document.open(sample_path, read_only=read_only)
    assert main(["check", str(sample_path)]) == 1
    assert sample_path.read_bytes() == before and journal.exists()


def test_a_journal_that_is_not_one_is_refused(sample_path: Path) -> None:
    journal = sample_path.with_name(sample_path.name + "-journal")
    journal.write_bytes(b"not a journal at all" * 50)
    with pytest.raises(FileRefused, match="is not a rollback journal SQLite wrote"):
        recovery.recover(sample_path)
    assert journal.exists()


def test_a_write_ahead_log_is_set_aside_unread(sample_path: Path) -> None:
    wal = sample_path.with_name(sample_path.name + "-wal")
    wal.write_bytes(b"frames from somewhere else" * 40)
    before = sample_path.read_bytes()
    done = recovery.recover(sample_path)
    assert str(done) == (
        "Recovered sample.scrutiny: nothing needed rolling back, and every finished edit is "
        "kept, and the write-ahead log beside it was set aside unread; the file as it was is "
        f"kept in {done.backup}."
    )
    assert not wal.exists()
    assert (done.backup / wal.name).read_bytes().startswith(b"frames")
    assert check_file(sample_path).ok and sample_path.read_bytes() == before


_WRITER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE plan SET title = 'being written'")
    print("writing", flush=True)
    time.sleep(600)
    """
)


def test_a_plan_another_program_is_writing_is_not_recovered(sample_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(sample_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
        with pytest.raises(EnvironmentProblem, match="being changed by another program"):
            recovery.recover(sample_path)
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()


def test_the_planted_journal_names_its_victim_as_sqlite_reads_it(sample_path: Path) -> None:
    victim = sample_path.with_name("minutes.docx")
    data = journal_naming(victim, sample_path)
    assert data.endswith(recovery.JOURNAL_MAGIC) and str(victim).encode() in data
