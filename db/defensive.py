"""SQLite's defensive mode on the standard library's connections, on every Python we support.

Defensive mode stops SQL from corrupting a file on purpose: no writes to ``sqlite_schema``
through ``writable_schema``, none to a full-text index's shadow tables, no
``journal_mode=OFF``. Python 3.12 turns it on with ``Connection.setconfig``; Python 3.11 has
no such method, so there the switch is thrown with one ``sqlite3_db_config`` call through
ctypes on the connection's own database handle. That handle is the first field after the
object header in CPython 3.11's ``pysqlite_Connection`` (Modules/_sqlite/connection.h), so
the call is made only on CPython 3.11, and :func:`is_on` reads the switch back through the
same handle: a test proves on every platform that a connection cannot write its schema.
"""

from __future__ import annotations

import ctypes
import sqlite3
import sys
from functools import cache
from pathlib import Path

SQLITE_DBCONFIG_DEFENSIVE = 1010  # sqlite3.h; the same number on every platform


def enable(conn: sqlite3.Connection) -> None:
    """Turn defensive mode on for ``conn``.

    Raises:
        RuntimeError: this Python offers no way to do it (never on CPython 3.11 or 3.12+).
    """
    setconfig = getattr(conn, "setconfig", None)
    if setconfig is not None:
        setconfig(SQLITE_DBCONFIG_DEFENSIVE, True)
        return
    _db_config(conn, 1)


def is_on(conn: sqlite3.Connection) -> bool:
    """Return whether defensive mode is on for ``conn``."""
    getconfig = getattr(conn, "getconfig", None)
    if getconfig is not None:
        return bool(getconfig(SQLITE_DBCONFIG_DEFENSIVE))
    return bool(_db_config(conn, -1))


def _db_config(conn: sqlite3.Connection, value: int) -> int:
    """Set (1, 0) or read (-1) the defensive switch with ``sqlite3_db_config``; return it."""
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        raise RuntimeError("defensive mode needs CPython 3.11's layout or Connection.setconfig")
    conn.execute("SELECT 1")  # raises ProgrammingError on a closed connection: no dangling handle
    handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
    result = ctypes.c_int(-1)
    # Variadic in C: only the fixed arguments are declared, so ctypes passes the rest the
    # variadic way (on Apple silicon they go on the stack).
    code = _library().sqlite3_db_config(
        ctypes.c_void_p(handle),
        ctypes.c_int(SQLITE_DBCONFIG_DEFENSIVE),
        ctypes.c_int(value),
        ctypes.byref(result),
    )
    if code != 0:
        raise RuntimeError(f"sqlite3_db_config failed with code {code}")
    return result.value


@cache
def _library() -> ctypes.CDLL:
    """Return the SQLite library the ``sqlite3`` module uses (already loaded in this process)."""
    import _sqlite3

    if sys.platform == "win32":
        # _sqlite3.pyd links the sqlite3.dll beside it (in the DLLs folder, or the bundle's
        # own folder); loading that file again returns the copy already loaded.
        beside = Path(_sqlite3.__file__).with_name("sqlite3.dll")
        library = ctypes.CDLL(str(beside) if beside.exists() else "sqlite3.dll")
    else:
        # dlsym on the module's handle also searches the libraries it links, so this finds
        # the libsqlite3 the module uses (or the copy built into it).
        library = ctypes.CDLL(_sqlite3.__file__)
    function = library.sqlite3_db_config
    function.argtypes = [ctypes.c_void_p, ctypes.c_int]
    function.restype = ctypes.c_int
    return library
