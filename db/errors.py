"""Typed errors the db layer raises, each carrying one plain sentence a person can act on."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class ScrutineerError(Exception):
    """A problem with a file or an edit that a person can understand; str() is one sentence."""


class FileRefused(ScrutineerError):
    """The file failed the safety check and was not opened."""


class UnfinishedChange(FileRefused):
    """A journal or write-ahead log lies beside the file: it must be recovered before use."""


class NewerFileError(FileRefused):
    """The file was made by a newer Scrutineer than this one."""


class UpgradeNeeded(ScrutineerError):
    """The file uses an older format and must be upgraded (with a backup) before editing."""

    def __init__(self, message: str, version: int) -> None:
        super().__init__(message)
        self.version = version


class LockedPeriodError(ScrutineerError):
    """The edit touches a reporting period that is locked."""


class StaleEditError(ScrutineerError):
    """The record changed since the edit was prepared (for example by a merge), so it was not applied."""


class ReadOnlyError(ScrutineerError):
    """The document was opened read-only."""


class EnvironmentProblem(ScrutineerError):
    """The disk, the folder or another program stopped an operation; the file is unchanged."""


def translate(exc: sqlite3.Error, path: str | Path) -> ScrutineerError:
    """Turn a SQLite error caused by the environment into a sentence; re-raise anything else.

    Args:
        exc: the error SQLite raised.
        path: the file concerned, for the message.

    Returns:
        A ScrutineerError naming what happened and that the file is unchanged.

    Raises:
        sqlite3.Error: ``exc`` itself when it is not an environment problem (that is a bug).
    """
    name = Path(path).name
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    known = {
        sqlite3.SQLITE_FULL: f"The disk is full, so the last change to {name} was not saved; "
        "the file still holds every earlier change.",
        sqlite3.SQLITE_BUSY: f"{name} is in use by another program; close it there and try again.",
        sqlite3.SQLITE_LOCKED: f"{name} is in use by another program; close it there and try again.",
        sqlite3.SQLITE_READONLY: f"{name} cannot be changed (it is read-only or on read-only media).",
        sqlite3.SQLITE_IOERR: f"The disk could not be read or written while working on {name}; "
        "the file still holds every change that was saved.",
        sqlite3.SQLITE_CANTOPEN: f"{name} could not be opened; check that the folder exists "
        "and that you may write to it.",
        sqlite3.SQLITE_CORRUPT: f"{name} is damaged and cannot be used.",
        sqlite3.SQLITE_NOTADB: f"{name} is not a Scrutineer plan (it is not a SQLite database).",
        sqlite3.SQLITE_PERM: f"You do not have permission to change {name}.",
    }
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in known:
        return EnvironmentProblem(known[primary])
    if "database or disk is full" in text:
        return EnvironmentProblem(known[sqlite3.SQLITE_FULL])
    if "locked" in text:
        return EnvironmentProblem(known[sqlite3.SQLITE_BUSY])
    if "readonly" in text or "read-only" in text:
        return EnvironmentProblem(known[sqlite3.SQLITE_READONLY])
    raise exc
