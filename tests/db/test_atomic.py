"""Every file is written whole or not at all, its temporary name is never shown, and left-overs go."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path

import pytest

from db import atomic, errors
from db.document import Document
from db.public import build_public_copy

ROOT = Path(__file__).resolve().parents[2]


def _folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def test_a_file_appears_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    target = tmp_path / "appendix.pdf"
    atomic.write_bytes(target, b"%PDF whole")
    assert target.read_bytes() == b"%PDF whole"
    assert _folder(tmp_path) == ["appendix.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"last quarter")

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic.write_with(target, half)
    assert target.read_bytes() == b"last quarter"
    assert _folder(tmp_path) == ["plan.xlsx"]


def test_what_killed_writes_left_is_removed_once_stale(tmp_path: Path) -> None:
    stale = tmp_path / f"{atomic.PREFIX}dead.scrutiny"
    stale_journal = tmp_path / f"{atomic.PREFIX}dead.scrutiny-journal"
    fresh = tmp_path / f"{atomic.PREFIX}running.pdf"
    mine = tmp_path / ".hidden-but-not-ours"
    for path in (stale, stale_journal, fresh, mine):
        path.write_bytes(b"x")
    old = time.time() - atomic.STALE_SECONDS - 60
    for path in (stale, stale_journal, mine):
        os.utime(path, (old, old))

    atomic.write_bytes(tmp_path / "out.csv", b"a,b\n")

    assert _folder(tmp_path) == sorted([fresh.name, mine.name, "out.csv"])


def test_a_target_open_elsewhere_is_retried_then_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.xlsx"
    tries: list[str] = []

    def locked(src: str, dst: str) -> None:
        tries.append(dst)
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(atomic.os, "replace", locked)
    monkeypatch.setattr(atomic, "RETRY_PAUSE", 0)
    with pytest.raises(errors.EnvironmentProblem) as caught:
        atomic.write_bytes(target, b"new")
    assert len(tries) == atomic.RETRIES
    assert str(caught.value) == (
        "plan.xlsx could not be written; if it is open in another program, close it there "
        "and try again (or choose a folder you may write to)."
    )
    assert _folder(tmp_path) == []


def test_a_missing_folder_is_told_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(errors.EnvironmentProblem, match=r"the folder .*nowhere does not exist\.$"):
        atomic.write_bytes(tmp_path / "nowhere" / "out.pdf", b"x")


def test_a_full_disk_during_a_public_copy_names_the_copy_not_a_temporary(
    tmp_path: Path, sample_doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real_apply = Document.apply

    def full(self: Document, changes, **kw):
        if self is not sample_doc:
            raise errors.translate(sqlite3.OperationalError("database or disk is full"), self.path)
        return real_apply(self, changes, **kw)

    monkeypatch.setattr(Document, "apply", full)
    with pytest.raises(errors.EnvironmentProblem) as caught:
        build_public_copy(sample_doc, out / "public.scrutiny")
    assert str(caught.value) == (
        "The disk is full, so the last change to public.scrutiny was not saved; the file "
        "still holds every earlier change."
    )
    assert _folder(out) == []


def test_every_writer_uses_the_atomic_writer() -> None:
    """One way to write a file: nothing else in the app renames or makes temporary files."""
    allowed = {ROOT / "db" / "atomic.py", ROOT / "db" / "recovery.py"}
    pattern = re.compile(r"os\.replace|\.replace\(path\)|mkstemp|NamedTemporaryFile|\.building")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("db", "exports", "ui", "desktop")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
