"""The one way a file is written: whole or not at all, under a name no one is ever shown.

Every writer (plans made, copies saved, public copies, prints, spreadsheets, lead sheets,
recovered plans) builds its file under a temporary name beside the target, flushes it to
the disk and moves it over the target in one step (``os.replace``). The temporary name
starts with :data:`PREFIX`, so what a killed write left behind is recognised and removed
by the next write to that folder once it is an hour old (a write still running elsewhere
is younger). An error that names the temporary file is told with the target's name.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from db.errors import EnvironmentProblem, ScrutineerError

PREFIX = ".scrutineer-partial-"
STALE_SECONDS = 3600
# Windows refuses to replace a file another program holds open; an antivirus scanner or the
# search indexer lets go within moments, Excel does not.
RETRIES = 5
RETRY_PAUSE = 0.2


def temporary_name(target: Path) -> Path:
    """Return an unused temporary path beside ``target`` (the file is not created)."""
    return target.with_name(f"{PREFIX}{uuid.uuid4().hex}{target.suffix}")


def is_temporary(path: Path) -> bool:
    """Return whether ``path`` is (or belongs to) a file this module is writing."""
    return path.name.startswith(PREFIX)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what killed writes left in ``folder`` an hour or more ago; return what went."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    limit = time.time() - STALE_SECONDS
    for entry in entries:
        if not is_temporary(entry):
            continue
        try:
            if entry.is_file() and entry.stat().st_mtime < limit:
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue  # still open in another program, or already gone
    return removed


@contextmanager
def replacing(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; when the block ends, move it over ``target``.

    The block creates the file (any way it likes: SQLite, openpyxl, bytes). If the block
    fails, the temporary file (and a SQLite journal beside it) is removed and ``target``
    is untouched.

    Raises:
        EnvironmentProblem: the folder is missing or cannot be written, the disk is full, or
            ``target`` is open in another program; ``target`` is unchanged.
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise EnvironmentProblem(
            f"{target.name} could not be written: the folder {folder} does not exist."
        )
    clean_leftovers(folder)
    tmp = temporary_name(target)
    try:
        try:
            yield tmp
        except ScrutineerError as exc:
            # The sentence a writer raised names the file it was writing; say the target.
            if tmp.name not in str(exc):
                raise
            told = str(exc).replace(tmp.name, target.name)
            try:
                again = type(exc)(told)
            except TypeError:
                again = ScrutineerError(told)
            raise again from exc
        _flush(tmp)
        _move(tmp, target)
    except OSError as exc:
        raise _sentence(exc, target) from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with suppress(OSError):
                leftover.unlink(missing_ok=True)


def write_bytes(target: str | Path, content: bytes) -> None:
    """Write ``content`` to ``target`` whole or not at all.

    Raises:
        EnvironmentProblem: see :func:`replacing`.
    """
    with replacing(target) as tmp:
        tmp.write_bytes(content)


def write_with(target: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(path)`` to make the file, then move it over ``target`` whole.

    Raises:
        EnvironmentProblem: see :func:`replacing`.
    """
    with replacing(target) as tmp:
        write(tmp)


def put_in_place(tmp: Path, target: Path) -> None:
    """Move a finished file written at ``temporary_name(target)`` over ``target``, durably.

    For writers that finish several files before any may appear (one file per lead):
    each is written to its temporary name first, and moved only when all are done.

    Raises:
        EnvironmentProblem: ``target`` is open in another program, or the disk failed.
    """
    try:
        _flush(tmp)
        _move(tmp, target)
    except OSError as exc:
        raise _sentence(exc, target) from exc


def _flush(path: Path) -> None:
    """Put the file's bytes on the disk before it takes the target's name, and make it shareable."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())
    # Files made by mkstemp or SQLite may be private; a written document is shared like any other.
    os.chmod(path, 0o644)


def _move(tmp: Path, target: Path) -> None:
    for attempt in range(RETRIES):
        try:
            os.replace(tmp, target)
            break
        except PermissionError:
            if attempt == RETRIES - 1:
                raise
            time.sleep(RETRY_PAUSE)
    if os.name == "posix":
        # The rename itself is on the disk only once the folder is.
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sentence(exc: OSError, target: Path) -> EnvironmentProblem:
    if isinstance(exc, PermissionError):
        return EnvironmentProblem(
            f"{target.name} could not be written; if it is open in another program, close it "
            "there and try again (or choose a folder you may write to)."
        )
    reason = exc.strerror or str(exc)
    for name in (exc.filename, exc.filename2):
        if name:
            reason = reason.replace(str(name), target.name)
    return EnvironmentProblem(f"{target.name} could not be written ({reason}).")
