"""Recovering a plan a crash left mid-commit: on a private copy, with a vetted journal, checked in full.

Killed during a commit, a plan holds half-written pages and its ``-journal`` the pages as
they were. SQLite rolls such a journal back into whatever file it opens beside it, and
deletes any file the journal names as its *super-journal*; so no connection of ours ever
opens a plan with a journal beside it (``safety.sidecar_problem`` stops them). Recovery:

1. vet the journal: a rollback journal (its magic number first) that names no
   super-journal (Scrutineer never writes one: it never commits to two files at once);
2. copy the plan and its journal into a private folder in the app's temporary area and
   let APSW's SQLite (defensive mode on) roll the journal back there;
3. check the result in full (pages and rows), as a file from anyone else;
4. keep the plan and its journal as they were in a backup folder beside the plan, then
   move the recovered plan into place with the atomic writer and remove the journal.

A ``-wal`` beside a plan is never ours (plans use a rollback journal); it is never read,
only moved into the backup folder. The original is untouched until step 4, and a crash
during step 4 leaves the journal beside a plan it rolls back to the same state.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import apsw

from db import atomic, errors, safety

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
JOURNAL_HEADER = 28
# SQLite's lock bytes (os_unix.c, os_win.c): a writer holds RESERVED_BYTE while it commits.
PENDING_BYTE = 0x40000000
RESERVED_BYTE = PENDING_BYTE + 1
PRIVATE_STALE_SECONDS = 24 * 3600


@dataclass
class Recovered:
    """What recovery did: the plan it recovered and where the file as it was is kept."""

    path: Path
    backup: Path | None
    rolled_back: bool = True
    wal_set_aside: bool = False

    def __str__(self) -> str:
        if self.backup is None:
            return f"{self.path.name} has no unfinished change, so nothing was done."
        what = (
            "the unfinished change was rolled back and every finished edit is kept"
            if self.rolled_back
            else "nothing needed rolling back, and every finished edit is kept"
        )
        if self.wal_set_aside:
            what += ", and the write-ahead log beside it was set aside unread"
        return f"Recovered {self.path.name}: {what}; the file as it was is kept in {self.backup}."


def journal_problem(journal: Path, name: str) -> str | None:
    """Return a sentence when ``journal`` is not one SQLite may roll back into ``name``, or None.

    A super-journal is named at the journal's end: its name, length and checksum followed
    by the journal's magic number (pager.c, readSuperJournal). SQLite reads it only when
    the last eight bytes are the magic number, so any journal ending that way is refused
    here, and the file it names is never touched.
    """
    size = journal.stat().st_size
    with journal.open("rb") as handle:
        head = handle.read(JOURNAL_HEADER)
        handle.seek(max(size - 8, 0))
        tail = handle.read(8)
    if size < JOURNAL_HEADER or head[:8] not in (JOURNAL_MAGIC, bytes(8)):
        return (
            f"{name} was not recovered: the journal beside it ({journal.name}) is not a "
            "rollback journal SQLite wrote, so it was not applied."
        )
    if size > JOURNAL_HEADER and tail == JOURNAL_MAGIC:
        return (
            f"{name} was not recovered: the journal beside it ({journal.name}) names another "
            "file as its super-journal, which Scrutineer never writes; it was not applied "
            "and that file was not touched."
        )
    return None


def _is_hot(journal: Path) -> bool:
    """Return whether SQLite would play ``journal``: its header carries the magic number.

    SQLite writes the header zeroed and fills in the magic number only when it syncs the
    journal, before the first changed page reaches the plan; until then nothing is torn.
    """
    with journal.open("rb") as handle:
        return handle.read(8) == JOURNAL_MAGIC


def recover(path: str | Path) -> Recovered:
    """Roll back the unfinished change beside ``path`` and put the recovered plan in its place.

    Returns:
        What was done; ``backup`` is None when there was nothing to recover.

    Raises:
        FileRefused: the journal is not safe to apply, or the plan it gives is not sound;
            nothing was changed.
        EnvironmentProblem: the plan is in use, or a file could not be written; nothing was
            changed.
    """
    path = Path(path)
    journal, wal = _sidecars(path)
    if not path.is_file():
        raise errors.FileRefused(f"{path.name} does not exist.")
    if journal is None and wal is None:
        return Recovered(path, None)
    private = recovered_copy(path)
    try:
        backup = _backup_folder(path)
        try:
            backup.mkdir()
            shutil.copy2(path, backup / path.name)
            if journal is not None:
                shutil.copy2(journal, backup / journal.name)
        except OSError as exc:
            shutil.rmtree(backup, ignore_errors=True)
            raise errors.EnvironmentProblem(
                f"{path.name} was not recovered because its backup could not be written "
                f"({exc.strerror}); nothing was changed."
            ) from exc
        atomic.write_with(path, lambda tmp: shutil.copyfile(private, tmp))
        # Only now, with the recovered plan in place, may the journal go: until then it
        # is what makes the half-written plan whole.
        try:
            if journal is not None:
                journal.unlink()
            if wal is not None:
                os.replace(wal, backup / wal.name)
        except OSError as exc:
            raise errors.EnvironmentProblem(
                f"{path.name} was recovered, but the file beside it could not be removed "
                f"({exc.strerror}); remove it before opening the plan."
            ) from exc
    finally:
        discard(private)
    rolled_back = journal is not None and _is_hot(backup / journal.name)
    return Recovered(path, backup, rolled_back=rolled_back, wal_set_aside=wal is not None)


def recovered_copy(path: str | Path) -> Path:
    """Return a private, checked copy of ``path`` with its unfinished change rolled back.

    The copy lives in a folder of its own in the app's temporary area; the caller removes
    it with :func:`discard` when done. ``path`` and the files beside it are untouched.

    Raises:
        FileRefused: the journal is not safe to apply, or the plan it gives is not sound.
        EnvironmentProblem: the plan is being written by another program right now.
    """
    path = Path(path)
    name = path.name
    journal, _wal = _sidecars(path)
    if _being_written(path):
        raise errors.EnvironmentProblem(
            f"{name} is being changed by another program; close it there and try again."
        )
    if journal is not None:
        problem = journal_problem(journal, name)
        if problem:
            raise errors.FileRefused(problem)
        if not _is_hot(journal):
            journal = None  # SQLite never plays a journal whose header it has not finished
    private = Path(tempfile.mkdtemp(prefix="recover-", dir=_private_area()))
    copy = private / name
    try:
        shutil.copyfile(path, copy)
        if journal is not None:
            shutil.copyfile(journal, copy.with_name(name + "-journal"))
            _roll_back(copy)
        report = safety.check_file(copy, integrity=True)
        if not report.ok:
            raise errors.FileRefused(
                f"{name} could not be recovered, because the plan its journal gives back fails "
                f"the check ({report.problems[0].rstrip('.')}); nothing was changed."
            )
    except OSError as exc:
        discard(copy)
        raise errors.EnvironmentProblem(
            f"{name} could not be copied to recover it ({exc.strerror}); nothing was changed."
        ) from exc
    except BaseException:
        discard(copy)
        raise
    return copy


def discard(copy: Path) -> None:
    """Remove a private recovered copy, and the app's temporary folder once it is empty."""
    shutil.rmtree(copy.parent, ignore_errors=True)
    with contextlib.suppress(OSError):
        copy.parent.parent.rmdir()  # only when nothing else is in it


def _roll_back(copy: Path) -> None:
    """Let SQLite roll the vetted journal beside ``copy`` back into it."""
    try:
        conn = apsw.Connection(str(copy), flags=apsw.SQLITE_OPEN_READWRITE)
        try:
            conn.config(apsw.SQLITE_DBCONFIG_DEFENSIVE, 1)
            conn.execute("PRAGMA trusted_schema = OFF")
            # The first read takes a shared lock, finds the hot journal and plays it back.
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchall()
        finally:
            conn.close()
    except apsw.Error as exc:
        raise errors.FileRefused(
            f"{copy.name} could not be recovered: SQLite could not roll back its unfinished "
            f"change ({str(exc).splitlines()[0]}); nothing was changed."
        ) from exc
    left = copy.with_name(copy.name + "-journal")
    if left.exists() and left.stat().st_size:
        raise errors.FileRefused(
            f"{copy.name} could not be recovered: SQLite left its journal unplayed; "
            "nothing was changed."
        )


def _sidecars(path: Path) -> tuple[Path | None, Path | None]:
    journal = path.with_name(path.name + "-journal")
    wal = path.with_name(path.name + "-wal")
    return (
        journal if journal.is_file() and journal.stat().st_size else None,
        wal if wal.exists() else None,
    )


def _backup_folder(path: Path) -> Path:
    """Return an unused folder name beside ``path`` for the plan as it was."""
    folder = path.with_name(f"{path.stem} before recovery")
    number = 1
    while folder.exists():
        number += 1
        folder = path.with_name(f"{path.stem} before recovery {number}")
    return folder


def _private_area() -> Path:
    """Return the app's own folder in the temporary area, with day-old recoveries removed."""
    area = Path(tempfile.gettempdir()) / "scrutineer"
    area.mkdir(mode=0o700, exist_ok=True)
    limit = time.time() - PRIVATE_STALE_SECONDS
    for entry in area.iterdir():
        try:
            if entry.is_dir() and entry.stat().st_mtime < limit:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue
    return area


def _being_written(path: Path) -> bool:
    """Return whether another program holds SQLite's write lock on ``path`` right now.

    Then its journal is not hot but in use, and must not be rolled back. The probe takes
    and drops the same lock byte SQLite uses; no connection to ``path`` is open in this
    process while recovering it, so POSIX's drop-every-lock-on-close rule harms nothing.
    """
    try:
        handle = path.open("rb+")
    except OSError:
        return False  # read-only: recovery will say so when it writes the backup
    with handle:
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(RESERVED_BYTE)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                handle.seek(RESERVED_BYTE)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, RESERVED_BYTE)
                fcntl.lockf(handle, fcntl.LOCK_UN, 1, RESERVED_BYTE)
        except OSError:
            return True
    return False
