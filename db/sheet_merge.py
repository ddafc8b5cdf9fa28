"""Merging a lead's returned spreadsheet: each row's status and update against what was sent.

The rules are those of ``db.merge``; a sheet carries its base itself (the status and update
each row was sent with) and names each row's action by id and ref, checked here first.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from db import reads
from db.clashes import RECORD
from db.document import DELETED, Document, as_text, new_id
from db.edits import describe
from db.merge_core import Merger, MergeRefused, MergeReport, Side
from db.model import ReturnedSheet, ReturnedUpdate, name_key, period_called, status_lookup


def merge_sheet(doc: Document, sheet: ReturnedSheet) -> MergeReport:
    """Merge a lead's returned spreadsheet into ``doc`` in one undoable step.

    Each row's status and update are compared with the values the sheet was sent with:
    what only the lead changed comes in, what both changed differently is a clash, and an
    action that is no longer in the plan is a clash that keeps the lead's text.

    Raises:
        MergeRefused: the sheet came from another plan, names a period the plan does not
            have, or a status the plan's key does not define; nothing was merged.
    """
    ours_plan = doc.conn.execute("SELECT id FROM plan").fetchone()[0]
    if sheet.plan_id and sheet.plan_id != ours_plan:
        raise MergeRefused(
            f"{sheet.name} was exported from a different plan, so it cannot be merged into "
            f"{doc.path.name}."
        )
    if not sheet.period_label.strip():
        raise MergeRefused(
            f"{sheet.name} does not say which reporting period it is for, so it cannot be "
            "merged; export a new return sheet for the lead."
        )
    found = period_called(reads.periods(doc), sheet.period_label)
    period = _PeriodRef(found.id, found.label) if found else None
    named = status_lookup(
        doc.conn.execute("SELECT id, code, label FROM statuses ORDER BY position")
    )

    def status_id(name: str | None, ref: str) -> str | None:
        if not name or not name.strip():
            return None
        status = named(name)
        if status is None:
            raise MergeRefused(
                f"In {sheet.name}, {ref or 'a row'} has status {name!r}, which the plan's "
                "status key does not have, so nothing was merged."
            )
        return str(status["id"])

    who = sheet.lead or "lead officer"
    merger = Merger(doc, sheet.name, who)
    ours = Side(doc.conn, 0)
    led = _LedBy(doc, ours, sheet.lead) if sheet.lead else None
    for returned in sheet.updates:
        _check_origin(doc, ours, sheet.name, returned)
        if led is not None:
            led.check(sheet.name, returned)
    for returned in sheet.updates:
        where = returned.ref or f"a row of theme {returned.theme_number}"
        base_status = status_id(returned.base_status, where)
        their_status = status_id(returned.status, where)
        if their_status == base_status and returned.text == returned.base_text:
            continue  # the lead changed nothing here: nothing to bring in or keep
        action = doc.row("actions", returned.action_id) if returned.action_id else None
        if action is None and returned.action_id and merger.revive("actions", returned.action_id):
            action = merger.current("actions", returned.action_id)
        if action is None and returned.ref:
            found = doc.conn.execute(
                "SELECT a.* FROM actions a JOIN themes t ON t.id = a.theme_id "
                "WHERE a.ref = ? COLLATE NOCASE AND t.number = ? COLLATE NOCASE",
                (returned.ref.strip(), returned.theme_number.strip()),
            ).fetchone()
            action = dict(found) if found else None
        ref = f"{where} ({period.label if period else sheet.period_label})"
        if action is None:
            merger.clash(
                "actions",
                returned.action_id or f"{returned.theme_number}/{returned.ref}",
                RECORD,
                ref,
                "deleted_here",
                None,
                {"status": returned.status, "text": returned.text},
            )
            continue
        if period is None:  # the first change that needs the period
            period = _period_back(doc, merger, sheet.period_label)
            if period is None:
                raise MergeRefused(
                    f"{sheet.name} is for period {sheet.period_label}, which "
                    f"{doc.path.name} does not have."
                )
        ref = f"{describe(doc, 'actions', action)} ({period.label})"
        current = doc.conn.execute(
            "SELECT * FROM updates WHERE action_id = ? AND period_id = ?",
            (action["id"], period.id),
        ).fetchone()
        ours_row = dict(current) if current else _coming_update(merger, action["id"], period.id)
        changed: dict[str, object] = {}
        for name, base, value in (
            ("status_id", base_status, their_status),
            ("text", returned.base_text, returned.text),
        ):
            mine = ours_row[name] if ours_row else (None if name == "status_id" else "")
            if value in (mine, base):
                continue
            if mine == base:
                changed[name] = value
            elif ours_row and as_text(value) in ours.held("updates", ours_row["id"], name):
                continue
            else:
                record = ours_row["id"] if ours_row else str(action["id"])
                merger.clash("updates", record, name, ref, "field", mine, value)
        if not changed:
            continue
        if ours_row is None:
            values = {"action_id": action["id"], "period_id": period.id, "status_id": None,
                      "text": "", **changed}  # fmt: skip
            merger.insert("updates", new_id(), values, ref)
        else:
            merger.change_fields("updates", ours_row, changed, ref)
    return merger.finish(f"Merge return from {who}")


class _PeriodRef(NamedTuple):
    id: str
    label: str


def _period_back(doc: Document, merger: Merger, label: str) -> _PeriodRef | None:
    """Return the period called ``label`` brought back, when a merged return deleted it."""
    for record_id, old in doc.conn.execute(
        "SELECT record_id, old FROM history WHERE table_name = 'periods' AND field = ? "
        "ORDER BY id DESC",
        (DELETED,),
    ):
        try:
            was = json.loads(old or "").get("label")
        except (ValueError, AttributeError):
            continue
        if _ref_key(was) == _ref_key(label):
            return _PeriodRef(record_id, str(was)) if merger.revive("periods", record_id) else None
    return None


def _coming_update(merger: Merger, action_id: str, period_id: str) -> dict | None:
    """Return the update of an action on its way back in for the period, or None."""
    return next(
        (
            {"id": record_id, **values}
            for (table, record_id), values in merger.pending.items()
            if table == "updates"
            and values.get("action_id") == action_id
            and values.get("period_id") == period_id
        ),
        None,
    )


_ref_key = name_key  # refs are matched as names are: case and spacing ignored


class _LedBy:
    """Whether a lead's sheet names only actions that lead leads, or has led since the plan began.

    A sheet sent to one lead lists that lead's actions; a row for another action was put
    there after it was sent. An action the office gave to someone else since is still the
    lead's to answer for, so a lead is matched by name (renames included) against every
    link between the action and a lead the history holds, not only today's.
    """

    def __init__(self, doc: Document, ours: Side, lead: str) -> None:
        self.doc, self.ours, self.lead = doc, ours, lead
        self._now = self._leads_now()  # one query for the sheet; the history only if needed
        self._ever: set[str] | None = None

    def check(self, name: str, returned: ReturnedUpdate) -> None:
        """Refuse the sheet when ``returned`` names an action this lead never led."""
        action_id = returned.action_id
        if not action_id or action_id in self._now or action_id in self._ever_led():
            return
        raise MergeRefused(
            f"{name} was refused and nothing was merged: it was sent to {self.lead}, but "
            f"{returned.ref or 'one of its rows'} is an action {self.lead} has never led, so "
            "the sheet was altered after it was exported."
        )

    def _leads_now(self) -> set[str]:
        key = name_key(self.lead)
        rows = self.doc.conn.execute(
            "SELECT al.action_id, l.name FROM action_leads al JOIN leads l ON l.id = al.lead_id"
        )
        return {r[0] for r in rows if name_key(r[1]) == key}

    def _ever_led(self) -> set[str]:
        if self._ever is None:
            self._ever = self._from_history()
        return self._ever

    def _from_history(self) -> set[str]:
        key = name_key(self.lead)
        held = self.ours.held
        leads = self._records("leads")
        ids = {i for i in leads if any(name_key(n) == key for n in held("leads", i, "name"))}
        return {
            str(action)
            for link in self._records("action_leads")
            if held("action_leads", link, "lead_id") & ids
            for action in held("action_leads", link, "action_id")
        }

    def _records(self, table: str) -> set[str]:
        """Return the id of every record of ``table`` the plan has or its history names."""
        rows = self.doc.conn.execute(
            f"SELECT id FROM {table} UNION SELECT record_id FROM history WHERE table_name = ?",
            (table,),
        )
        return {r[0] for r in rows}


def _check_origin(doc: Document, ours: Side, name: str, returned: ReturnedUpdate) -> None:
    """Refuse a sheet whose hidden record gives a row the id of another action.

    The id a row was exported with must be of an action that has had the ref recorded
    beside it (the office may have renamed it since); the row's own ref was checked against
    that ref when the sheet was read.
    """
    if not returned.action_id:
        return
    refs = {_ref_key(r) for r in ours.held("actions", returned.action_id, "ref")}
    if _ref_key(returned.ref) in refs:
        return
    shown = returned.ref or "an action without a ref"
    here = doc.row("actions", returned.action_id)
    if here is None and not refs:
        raise MergeRefused(
            f"{name} was refused and nothing was merged: its hidden origin record gives "
            f"{shown} an id this plan never had, so the sheet was altered or comes from "
            "another plan."
        )
    other = (here or {}).get("ref") or "another action"
    raise MergeRefused(
        f"{name} was refused and nothing was merged: its hidden origin record gives {shown} "
        f"the id of {other}, so the sheet was altered after it was exported."
    )
