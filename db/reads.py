"""Reading the plan: plain data classes for views, prints and exports."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Collection

from db.document import Document
from db.model import (
    Action,
    HistoryEntry,
    Measure,
    Milestone,
    Performance,
    Period,
    Plan,
    PlanData,
    SearchHit,
    Status,
    Theme,
    Update,
)
from db.report import read_reports


def plan(doc: Document) -> Plan:
    """Return the plan's details."""
    row = dict(doc.conn.execute("SELECT * FROM plan").fetchone())
    row["extra_fields"] = tuple(json.loads(row["extra_fields"] or "[]"))
    return Plan(**row)


def statuses(doc: Document) -> list[Status]:
    """Return the status scheme in print order (empty when the plan has none)."""
    rows = doc.conn.execute("SELECT * FROM statuses ORDER BY position, rowid")
    return [
        Status(**{**dict(r), "complete": bool(r["complete"]), "in_key": bool(r["in_key"])})
        for r in rows
    ]


def periods(doc: Document) -> list[Period]:
    """Return the reporting periods, oldest first."""
    rows = doc.conn.execute("SELECT * FROM periods ORDER BY position, starts, rowid")
    return [Period(**{**dict(r), "locked": bool(r["locked"])}) for r in rows]


def themes(doc: Document) -> list[Theme]:
    """Return the themes in order."""
    return [
        Theme(**dict(r)) for r in doc.conn.execute("SELECT * FROM themes ORDER BY position, rowid")
    ]


def leads(doc: Document) -> list[str]:
    """Return every lead officer's name, alphabetically."""
    return [r[0] for r in doc.conn.execute("SELECT name FROM leads ORDER BY name COLLATE NOCASE")]


def _leads_by_action(conn: sqlite3.Connection, theme_id: str | None = None) -> dict[str, list[str]]:
    sql = (
        "SELECT al.action_id, l.name FROM action_leads al JOIN leads l ON l.id = al.lead_id "
        + ("JOIN actions a ON a.id = al.action_id WHERE a.theme_id = ? " if theme_id else "")
        + "ORDER BY al.action_id, al.position"
    )
    result: dict[str, list[str]] = {}
    for action_id, name in conn.execute(sql, (theme_id,) if theme_id else ()):
        result.setdefault(action_id, []).append(name)
    return result


def _action(row: sqlite3.Row, leads_of: dict[str, list[str]]) -> Action:
    values = dict(row)
    values["extra"] = json.loads(values["extra"] or "{}")
    values["leads"] = tuple(leads_of.get(values["id"], ()))
    return Action(**values)


def actions(doc: Document, theme_id: str | None = None) -> list[Action]:
    """Return the actions of one theme (or all, theme by theme) in order."""
    if theme_id:
        rows = doc.conn.execute(
            "SELECT * FROM actions WHERE theme_id = ? ORDER BY position, rowid", (theme_id,)
        )
    else:
        rows = doc.conn.execute(
            "SELECT a.* FROM actions a JOIN themes t ON t.id = a.theme_id "
            "ORDER BY t.position, t.rowid, a.position, a.rowid"
        )
    leads_of = _leads_by_action(doc.conn, theme_id)
    return [_action(r, leads_of) for r in rows]


def action(doc: Document, action_id: str) -> Action | None:
    """Return one action, or None."""
    row = doc.conn.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
    if row is None:
        return None
    names = [
        r[0]
        for r in doc.conn.execute(
            "SELECT l.name FROM action_leads al JOIN leads l ON l.id = al.lead_id "
            "WHERE al.action_id = ? ORDER BY al.position",
            (action_id,),
        )
    ]
    return _action(row, {action_id: names})


def update(doc: Document, action_id: str, period_id: str) -> Update | None:
    """Return an action's status and update for a period, or None."""
    row = doc.conn.execute(
        "SELECT * FROM updates WHERE action_id = ? AND period_id = ?", (action_id, period_id)
    ).fetchone()
    return Update(**dict(row)) if row else None


def updates(doc: Document, period_id: str) -> dict[str, Update]:
    """Return every update of a period, keyed by action id."""
    rows = doc.conn.execute("SELECT * FROM updates WHERE period_id = ?", (period_id,))
    return {r["action_id"]: Update(**dict(r)) for r in rows}


def update_statuses(
    doc: Document, period_id: str, theme_id: str | None = None
) -> dict[str, str | None]:
    """Return every action's status id for a period (of one theme's actions), without texts.

    What a tree of the plan needs: for 10,000 actions it takes a tenth of the time of
    :func:`updates`, which builds every update with its text (bench figure 1); one theme's
    200 take a millisecond, where the whole period's take 25 ms.
    """
    if theme_id is None:
        rows = doc.conn.execute(
            "SELECT action_id, status_id FROM updates WHERE period_id = ?", (period_id,)
        )
    else:
        # CROSS JOIN keeps the theme's actions first: SQLite would otherwise walk the whole
        # period's updates and look each action up.
        rows = doc.conn.execute(
            "SELECT u.action_id, u.status_id FROM actions AS a CROSS JOIN updates AS u "
            "ON u.action_id = a.id WHERE a.theme_id = ? AND u.period_id = ?",
            (theme_id, period_id),
        )
    return {action_id: status_id for action_id, status_id in rows}


def measures(doc: Document, theme_id: str | None = None) -> list[Measure]:
    """Return the measures of one theme (or all) in order."""
    if theme_id:
        rows = doc.conn.execute(
            "SELECT * FROM measures WHERE theme_id = ? ORDER BY position, rowid", (theme_id,)
        )
    else:
        rows = doc.conn.execute("SELECT * FROM measures ORDER BY theme_id, position, rowid")
    return [Measure(**dict(r)) for r in rows]


def performance(doc: Document, measure_id: str, period_id: str) -> Performance | None:
    """Return a measure's performance for a period, or None."""
    row = doc.conn.execute(
        "SELECT * FROM performance WHERE measure_id = ? AND period_id = ?", (measure_id, period_id)
    ).fetchone()
    return Performance(**dict(row)) if row else None


def milestones(doc: Document, action_id: str) -> list[Milestone]:
    """Return an action's milestones in order."""
    rows = doc.conn.execute(
        "SELECT * FROM milestones WHERE action_id = ? ORDER BY position, rowid", (action_id,)
    )
    return [Milestone(**dict(r)) for r in rows]


def exemptions(doc: Document) -> list[tuple[str, str]]:
    """Return the FOI exemption codes offered when marking a passage exempt."""
    return [
        (r[0], r[1])
        for r in doc.conn.execute("SELECT code, description FROM exemptions ORDER BY rowid")
    ]


def read_plan(
    doc: Document,
    text_periods: Collection[str] | None = None,
    update_periods: Collection[str] | None = None,
) -> PlanData:
    """Return the whole plan at once, for printing and exporting.

    Args:
        doc: the open plan.
        text_periods: when given, only updates of these period ids keep their text; every
            other update comes with its status and an empty text. A print of one quarter
            of a 10,000-action plan then holds 10,000 update texts instead of 120,000
            (bench figure 6).
        update_periods: when given, only the updates of these period ids are read at all:
            a print needs its own quarter's and at most the one before's, not twelve
            quarters of update records (24 MB of the 2,000-action plan's 26 MB read).
    """
    conn = doc.conn
    keep = None if text_periods is None else set(text_periods)
    if update_periods is None:
        update_rows = conn.execute("SELECT * FROM updates")
    else:
        chosen = list(update_periods)
        marks = ", ".join("?" for _ in chosen)
        update_rows = conn.execute(f"SELECT * FROM updates WHERE period_id IN ({marks})", chosen)
    return PlanData(
        plan=plan(doc),
        statuses=statuses(doc),
        periods=periods(doc),
        themes=themes(doc),
        actions=actions(doc),
        updates=[
            Update(**dict(r))
            if keep is None or r["period_id"] in keep
            else Update(**{**dict(r), "text": ""})
            for r in update_rows
        ],
        milestones=[
            Milestone(**dict(r))
            for r in conn.execute("SELECT * FROM milestones ORDER BY action_id, position")
        ],
        measures=measures(doc),
        performance=[Performance(**dict(r)) for r in conn.execute("SELECT * FROM performance")],
        reports=read_reports(doc),
    )


def history(
    doc: Document, record_ids: list[str] | None = None, limit: int = 1000
) -> list[HistoryEntry]:
    """Return recorded changes, newest first, for some records or for the whole plan."""
    if record_ids:
        marks = ", ".join("?" for _ in record_ids)
        rows = doc.conn.execute(
            f"SELECT * FROM history WHERE record_id IN ({marks}) ORDER BY id DESC LIMIT ?",
            [*record_ids, limit],
        )
    else:
        rows = doc.conn.execute("SELECT * FROM history ORDER BY id DESC LIMIT ?", (limit,))
    return [HistoryEntry(**dict(r)) for r in rows]


def action_history(doc: Document, action_id: str) -> list[HistoryEntry]:
    """Return the changes to an action, its leads, updates and milestones, newest first."""
    ids = [action_id]
    ids += [
        r[0]
        for r in doc.conn.execute("SELECT id FROM milestones WHERE action_id = ?", (action_id,))
    ]
    ids += [
        r[0] for r in doc.conn.execute("SELECT id FROM updates WHERE action_id = ?", (action_id,))
    ]
    ids += [
        r[0]
        for r in doc.conn.execute("SELECT id FROM action_leads WHERE action_id = ?", (action_id,))
    ]
    return history(doc, ids)


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """Turn what a person typed into an FTS5 query: every word must appear, the last as a prefix."""
    words = _WORD.findall(text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(doc: Document, text: str, limit: int = 50) -> list[SearchHit]:
    """Return actions and updates whose text contains every word typed (the last as a prefix).

    Hits come in plan order, not ranked: ranking needs every match scored, which is slow for
    a word found in every update, and people scan the results by theme anyway.
    """
    query = fts_query(text)
    if not query:
        return []
    hits: list[SearchHit] = []
    for row in doc.conn.execute(
        "SELECT a.id, snippet(actions_fts, -1, '[', ']', '…', 12) FROM actions_fts "
        "JOIN actions a ON a.rowid = actions_fts.rowid WHERE actions_fts MATCH ? LIMIT ?",
        (query, limit),
    ):
        hits.append(SearchHit("action", row[0], None, row[1]))
    for row in doc.conn.execute(
        "SELECT u.action_id, u.period_id, snippet(updates_fts, -1, '[', ']', '…', 12) "
        "FROM updates_fts JOIN updates u ON u.rowid = updates_fts.rowid "
        "WHERE updates_fts MATCH ? LIMIT ?",
        (query, max(limit - len(hits), 0)),
    ):
        hits.append(SearchHit("update", row[0], row[1], row[2]))
    return hits
