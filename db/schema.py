"""The file format: tables, format versions and the migrations between them.

A plan is one SQLite file. ``PRAGMA application_id`` marks it as a Scrutineer plan and
``PRAGMA user_version`` is its format version. The versions so far:

* **1** — the plan, status scheme, reporting periods, lead officers, themes, actions and
  their leads, per-period updates (status and text), milestones, measures and per-period
  performance, FOI exemption codes and the history of every change.
* **2** — full-text search over action activities and update texts (SQLite FTS5), so a
  search needs no scan of every update. The index is kept in step by ``Document.apply``,
  not by triggers: with ``trusted_schema`` off SQLite refuses to let a trigger write to a
  virtual table, and a plan file holds no triggers at all.
* **3** — exchanging files: ``clashes`` keeps both sides of every field a merged return
  and this file changed differently (with ref, field, open or resolved and how), and
  ``signoffs`` keeps each update's sign-off state (draft, submitted, accepted, returned,
  waived) with who and when. Neither refers to other tables by foreign key, so deleting an
  action never has to know about them; an update without a sign-off row is a draft.
* **4** — printing as the office wrote it: ``statuses.in_key`` (0 leaves a status out of
  the printed key, as the panel's paper leaves out Blue), ``plan.print_choices`` (the
  choices of the last appendix printed, as JSON, so next quarter prints the same way) and
  ``milestones.note``.
* **5** — the covering report the appendix is attached to, one per reporting period:
  ``reports`` (title and the public-interest answers), ``report_sections`` (numbered
  sections, their paragraphs kept as one text separated by blank lines),
  ``report_tables`` and ``report_rows`` (tables of figures by financial year, a TOTAL row
  computed) and ``approvals`` (role, name, statement, date). Every record has a UUID and
  its history, and merges like the rest.

Migrations run through sqlite-utils' ``Migrations``: each one is a function below, applied
in its own transaction together with its record in ``_sqlite_migrations``, and each sets
``user_version`` to its number. A file is only ever checked against the exact schema that
these migrations produce for its version (see ``expected_master``), so the text of the
statements here is part of the format: change the format only by adding a migration.

That schema is kept in ``schema_master.json`` beside this module, so checking a file needs
neither sqlite-utils (90 ms to import) nor a run of the migrations at start-up; a test
proves the snapshot is exactly what the migrations produce, and ``python -m db.schema``
writes it again after a migration is added.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

SNAPSHOT = Path(__file__).with_name("schema_master.json")

APPLICATION_ID = 0x53435254  # "SCRT"
SCHEMA_VERSION = 5

# Update texts and action activities are what people search; ref and title help them find.
SEARCHED = {"actions": ["ref", "activity"], "updates": ["text"]}

_V1_TABLES = [
    """CREATE TABLE plan (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    commissioner TEXT NOT NULL DEFAULT '',
    years TEXT NOT NULL DEFAULT '',
    marking TEXT NOT NULL DEFAULT '',
    theme_word TEXT NOT NULL DEFAULT 'Theme',
    action_word TEXT NOT NULL DEFAULT 'Action',
    appendix_label TEXT NOT NULL DEFAULT 'APPENDIX A',
    version_label TEXT NOT NULL DEFAULT '',
    extra_fields TEXT NOT NULL DEFAULT '[]'
)""",
    """CREATE TABLE statuses (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    colour TEXT NOT NULL DEFAULT '#FFFFFF',
    meaning TEXT NOT NULL DEFAULT '',
    complete INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE periods (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    starts TEXT NOT NULL DEFAULT '',
    ends TEXT NOT NULL DEFAULT '',
    heading TEXT NOT NULL DEFAULT '',
    locked INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
)""",
    """CREATE TABLE themes (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    aim TEXT NOT NULL DEFAULT '',
    performance_heading TEXT NOT NULL DEFAULT '',
    why_important TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    theme_id TEXT NOT NULL REFERENCES themes(id),
    ref TEXT NOT NULL DEFAULT '',
    plan_ref TEXT NOT NULL DEFAULT '',
    activity TEXT NOT NULL DEFAULT '',
    added_in TEXT REFERENCES periods(id),
    closed_in TEXT REFERENCES periods(id),
    position INTEGER NOT NULL DEFAULT 0,
    extra TEXT NOT NULL DEFAULT '{}'
)""",
    """CREATE TABLE action_leads (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES actions(id),
    lead_id TEXT NOT NULL REFERENCES leads(id),
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (action_id, lead_id)
)""",
    """CREATE TABLE updates (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES actions(id),
    period_id TEXT NOT NULL REFERENCES periods(id),
    status_id TEXT REFERENCES statuses(id),
    text TEXT NOT NULL DEFAULT '',
    UNIQUE (action_id, period_id)
)""",
    """CREATE TABLE milestones (
    id TEXT PRIMARY KEY,
    action_id TEXT NOT NULL REFERENCES actions(id),
    phase TEXT NOT NULL DEFAULT '',
    starts TEXT NOT NULL DEFAULT '',
    ends TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE measures (
    id TEXT PRIMARY KEY,
    theme_id TEXT NOT NULL REFERENCES themes(id),
    number TEXT NOT NULL DEFAULT '',
    measure TEXT NOT NULL DEFAULT '',
    objective TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    footnotes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE performance (
    id TEXT PRIMARY KEY,
    measure_id TEXT NOT NULL REFERENCES measures(id),
    period_id TEXT NOT NULL REFERENCES periods(id),
    text TEXT NOT NULL DEFAULT '',
    value REAL,
    UNIQUE (measure_id, period_id)
)""",
    """CREATE TABLE exemptions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
)""",
    """CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    origin TEXT NOT NULL DEFAULT ''
)""",
    "CREATE INDEX idx_actions_theme ON actions (theme_id, position)",
    "CREATE INDEX idx_updates_period ON updates (period_id)",
    "CREATE INDEX idx_measures_theme ON measures (theme_id, position)",
    "CREATE INDEX idx_history_record ON history (record_id, id)",
]

# The FOI exemptions offices cite most; people may add their own.
FOI_EXEMPTIONS = [
    ("s.21", "Information accessible by other means"),
    ("s.22", "Information intended for future publication"),
    ("s.23(1)", "Information supplied by, or relating to, bodies dealing with security matters"),
    ("s.24(1)", "National security"),
    ("s.30(1)", "Investigations and proceedings"),
    ("s.31(1)(a)", "Law enforcement: the prevention or detection of crime"),
    ("s.31(1)(b)", "Law enforcement: the apprehension or prosecution of offenders"),
    ("s.36(2)", "Prejudice to effective conduct of public affairs"),
    ("s.38(1)", "Health and safety"),
    ("s.40(2)", "Personal information"),
    ("s.41(1)", "Information provided in confidence"),
    ("s.43(2)", "Commercial interests"),
]


def _set_version(db: sqlite_utils.Database, version: int) -> None:
    db.execute(f"PRAGMA user_version = {int(version)}")


def _v1(db: sqlite_utils.Database) -> None:
    for statement in _V1_TABLES:
        db.execute(statement)
    _set_version(db, 1)


def _v2(db: sqlite_utils.Database) -> None:
    for table, columns in SEARCHED.items():
        db[table].enable_fts(columns, fts_version="FTS5", create_triggers=False, replace=False)
    _set_version(db, 2)


_V3_TABLES = [
    """CREATE TABLE clashes (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    ref TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'field' CHECK (kind IN ('field', 'deleted_here', 'deleted_there')),
    mine TEXT,
    theirs TEXT,
    restore TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TEXT NOT NULL DEFAULT ''
)""",
    "CREATE INDEX idx_clashes_record ON clashes (record_id, field)",
    """CREATE TABLE signoffs (
    id TEXT PRIMARY KEY,
    update_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'submitted', 'accepted', 'returned', 'waived')),
    who TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
)""",
]


def _v3(db: sqlite_utils.Database) -> None:
    for statement in _V3_TABLES:
        db.execute(statement)
    _set_version(db, 3)


_V4_COLUMNS = [
    "ALTER TABLE statuses ADD COLUMN in_key INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE plan ADD COLUMN print_choices TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE milestones ADD COLUMN note TEXT NOT NULL DEFAULT ''",
]


def _v4(db: sqlite_utils.Database) -> None:
    for statement in _V4_COLUMNS:
        db.execute(statement)
    _set_version(db, 4)


_V5_TABLES = [
    """CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    period_id TEXT NOT NULL UNIQUE REFERENCES periods(id),
    title TEXT NOT NULL DEFAULT '',
    public INTEGER NOT NULL DEFAULT 1,
    exempt_reason TEXT NOT NULL DEFAULT '',
    public_confidence TEXT NOT NULL DEFAULT '',
    impacts TEXT NOT NULL DEFAULT ''
)""",
    """CREATE TABLE report_sections (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    number TEXT NOT NULL DEFAULT '',
    heading TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE report_tables (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    name TEXT NOT NULL DEFAULT '',
    columns TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE report_rows (
    id TEXT PRIMARY KEY,
    table_id TEXT NOT NULL REFERENCES report_tables(id),
    label TEXT NOT NULL DEFAULT '',
    cells TEXT NOT NULL DEFAULT '[]',
    total INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    role TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
)""",
    "CREATE INDEX idx_report_sections ON report_sections (report_id, position)",
    "CREATE INDEX idx_report_rows ON report_rows (table_id, position)",
]


def _v5(db: sqlite_utils.Database) -> None:
    for statement in _V5_TABLES:
        db.execute(statement)
    _set_version(db, 5)


# In order: the n-th produces format version n. Their names are recorded in every file.
_STEPS = (
    ("v1_plan", _v1), ("v2_search", _v2), ("v3_exchange", _v3), ("v4_print", _v4),
    ("v5_report", _v5),
)  # fmt: skip


def upgrade(conn: sqlite3.Connection, *, stop_before_version: int | None = None) -> None:
    """Bring ``conn``'s file to the current format (or to one below ``stop_before_version``).

    Args:
        conn: a writable connection to a Scrutineer file or an empty database.
        stop_before_version: leave the file at version ``stop_before_version - 1``; tests use
            it to make genuinely older files.
    """
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    stop = None
    if stop_before_version is not None:
        stop = migration_names()[stop_before_version - 1]
    _migrations().apply(db, stop_before=stop)


@cache
def _migrations() -> Migrations:
    """Return the migrations in order, registered on first use (sqlite-utils loads then)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("scrutineer")
    for name, step in _STEPS:
        migrations(name=name)(step)
    return migrations


def migration_names() -> list[str]:
    """Return the migration names in order; the n-th one produces format version n."""
    return [name for name, _ in _STEPS]


def normalise_sql(sql: str | None) -> str:
    """Return ``sql`` with quoting and whitespace made uniform, for comparing schemas."""
    if sql is None:
        return ""
    text = re.sub(r"[\"\[\]`]", "", sql)
    return re.sub(r"\s+", " ", text).strip().lower()


@cache
def expected_master(version: int) -> frozenset[tuple[str, str, str, str]]:
    """Return the (type, name, table, sql) entries a file of ``version`` has, and no others.

    Read from the snapshot of what the migrations create (see :func:`build_master`).
    """
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return frozenset(tuple(entry) for entry in stored[str(version)])  # type: ignore[misc]


def build_master(version: int) -> frozenset[tuple[str, str, str, str]]:
    """Return the schema entries of ``version`` by running the migrations in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        if version < SCHEMA_VERSION:
            upgrade(conn, stop_before_version=version + 1)
        else:
            upgrade(conn)
        return read_master(conn)
    finally:
        conn.close()


def read_master(conn: sqlite3.Connection) -> frozenset[tuple[str, str, str, str]]:
    """Return the schema entries of ``conn``'s main database, normalised for comparison."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master").fetchall()
    return frozenset((t, n.lower(), tb.lower(), normalise_sql(s)) for t, n, tb, s in rows)


def write_snapshot() -> None:
    """Write the schema of every format version to the snapshot the file check reads."""
    versions = []
    for version in range(1, SCHEMA_VERSION + 1):
        entries = sorted(build_master(version))
        lines = ",\n".join("  " + json.dumps(list(entry)) for entry in entries)
        versions.append(f'"{version}": [\n{lines}\n]')
    SNAPSHOT.write_text("{\n" + ",\n".join(versions) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    write_snapshot()
