"""Building a whole plan file from plain data: the sample plan and every importer use this."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from db import atomic, errors
from db.changes import Changes, RowChange
from db.document import Document
from db.edits import insert_row, lead_rows
from db.model import name_key, status_lookup

PLAN_FIELDS = (
    "title", "organisation", "commissioner", "years", "marking", "theme_word", "action_word",
    "appendix_label", "version_label",
)  # fmt: skip


def create_plan(
    path: str | Path, data: Mapping[str, Any], *, who: str | None = None, text: str = "Import plan"
) -> Document:
    """Write a new plan file at ``path`` holding ``data`` and return it open.

    ``data`` has the shape of ``db.sample_data.SAMPLE``: ``plan`` (details and
    ``extra_fields``), ``statuses``, ``periods`` and ``themes``, each theme with its
    ``actions`` and ``measures``. An action's ``status`` and ``update`` (a measure's
    ``performance``) belong to the last period; ``updates`` (``performances``) maps period
    labels to ``{"status", "text"}`` (``{"text", "value"}``) for any period. A status is
    named by its code or label. Periods marked ``locked`` are locked after everything is in.

    The file appears only once it is complete: the atomic writer builds it.

    Raises:
        ScrutineerError: a status or period is named that the data does not define.
    """
    path = Path(path)
    plan = dict(data.get("plan") or {})
    extra_fields = list(plan.pop("extra_fields", []) or [])
    details = {k: plan[k] for k in PLAN_FIELDS if plan.get(k) is not None}
    if path.exists():
        raise errors.ScrutineerError(f"{path.name} already exists; choose another name.")
    with atomic.replacing(path) as tmp:
        doc = Document.create(tmp, who=who, extra_fields=extra_fields, **details)
        try:
            rows, locked = _rows(doc, data)
            doc.apply(Changes(text, tuple(rows)))
            if locked:
                doc.apply(
                    Changes(
                        "Lock imported periods",
                        tuple(
                            RowChange(
                                "periods",
                                p.id,
                                dict(p.after or {}, id=p.id),
                                {**dict(p.after or {}), "id": p.id, "locked": 1},
                            )
                            for p in locked
                        ),
                    )
                )
        finally:
            doc.close()
        if path.exists():
            raise errors.ScrutineerError(f"{path.name} already exists; choose another name.")
    return Document.open(path, who=who, integrity=False)


def _rows(doc: Document, data: Mapping[str, Any]) -> tuple[list[RowChange], list[RowChange]]:
    rows: list[RowChange] = []
    scheme: list[dict[str, str]] = []
    for position, status in enumerate(data.get("statuses") or []):
        change = insert_row(
            "statuses",
            {
                "code": status.get("code") or status["label"][:1],
                "label": status["label"],
                "colour": status.get("colour") or "#FFFFFF",
                "meaning": status.get("meaning") or "",
                "complete": int(bool(status.get("complete"))),
                "in_key": int(bool(status.get("in_key", True))),
                "position": position,
            },
        )
        rows.append(change)
        scheme.append({"id": change.id, "code": status.get("code") or "", "label": status["label"]})
    period_ids: dict[str, str] = {}
    locked: list[RowChange] = []
    for position, period in enumerate(data.get("periods") or []):
        change = insert_row(
            "periods",
            {
                "label": period["label"],
                "starts": period.get("starts") or "",
                "ends": period.get("ends") or "",
                "heading": period.get("heading") or "",
                "locked": 0,
                "position": position,
            },
        )
        rows.append(change)
        period_ids[_key(period["label"])] = change.id
        if period.get("locked"):
            locked.append(change)
    last_period = rows[-1].id if period_ids else None
    lead_ids_all: dict[str, str] = {}
    named = status_lookup(scheme)

    def find_status(name: str) -> str | None:
        status = named(name)
        return status["id"] if status else None

    def status_of(name: str | None, where: str) -> str | None:
        if not name:
            return None
        found = find_status(name)
        if found is None:
            raise errors.ScrutineerError(
                f"{where} has status {name!r}, which the status key does not define."
            )
        return found

    def period_of(label: str | None, where: str) -> str | None:
        if not label:
            return None
        found = period_ids.get(_key(label))
        if found is None:
            raise errors.ScrutineerError(
                f"{where} names period {label!r}, which the plan does not have."
            )
        return found

    for t_pos, theme in enumerate(data.get("themes") or []):
        theme_row = insert_row(
            "themes",
            {
                "number": str(theme.get("number") or ""),
                "title": theme.get("title") or "",
                "aim": theme.get("aim") or "",
                "performance_heading": theme.get("performance_heading") or "",
                "why_important": theme.get("why_important") or "",
                "position": t_pos,
            },
        )
        rows.append(theme_row)
        for a_pos, action in enumerate(theme.get("actions") or []):
            where = f"Action {action.get('ref') or a_pos + 1} of theme {theme.get('number') or t_pos + 1}"
            action_row = insert_row(
                "actions",
                {
                    "theme_id": theme_row.id,
                    "ref": action.get("ref") or "",
                    "plan_ref": action.get("plan_ref") or "",
                    "activity": action.get("activity") or "",
                    "added_in": period_of(action.get("added_in"), where),
                    "closed_in": period_of(action.get("closed_in"), where),
                    "position": a_pos,
                    "extra": dict(action.get("extra") or {}),
                },
            )
            rows.append(action_row)
            names = [n for n in action.get("leads") or [] if n and n.strip()]
            unknown = [n for n in names if name_key(n) not in lead_ids_all]
            new_ids, new_leads = lead_rows(doc, unknown)
            for n, i in zip(unknown, new_ids, strict=False):
                lead_ids_all.setdefault(name_key(n), i)
            rows += new_leads
            seen: list[str] = []
            for name in names:
                lead_id = lead_ids_all[name_key(name)]
                if lead_id not in seen:
                    seen.append(lead_id)
            rows += [
                insert_row(
                    "action_leads", {"action_id": action_row.id, "lead_id": lead_id, "position": i}
                )
                for i, lead_id in enumerate(seen)
            ]
            per_period = dict(action.get("updates") or {})
            if last_period and ("status" in action or "update" in action):
                per_period.setdefault(
                    data["periods"][-1]["label"],
                    {"status": action.get("status"), "text": action.get("update")},
                )
            for label, entry in per_period.items():
                rows.append(
                    insert_row(
                        "updates",
                        {
                            "action_id": action_row.id,
                            "period_id": period_of(label, where),
                            "status_id": status_of(entry.get("status"), where),
                            "text": entry.get("text") or "",
                        },
                    )
                )
            for m_pos, milestone in enumerate(action.get("milestones") or []):
                rows.append(
                    insert_row(
                        "milestones",
                        {
                            "action_id": action_row.id,
                            "phase": milestone.get("phase") or "",
                            "starts": milestone.get("starts") or "",
                            "ends": milestone.get("ends") or "",
                            "state": milestone.get("state") or "",
                            "note": milestone.get("note") or "",
                            "position": m_pos,
                        },
                    )
                )
        for m_pos, measure in enumerate(theme.get("measures") or []):
            footnotes = measure.get("footnotes") or ""
            if isinstance(footnotes, Sequence) and not isinstance(footnotes, str):
                footnotes = "\n".join(footnotes)
            measure_row = insert_row(
                "measures",
                {
                    "theme_id": theme_row.id,
                    "number": str(measure.get("number") or ""),
                    "measure": measure.get("measure") or "",
                    "objective": measure.get("objective") or "",
                    "target": measure.get("target") or "",
                    "footnotes": footnotes,
                    "position": m_pos,
                },
            )
            rows.append(measure_row)
            per_period = dict(measure.get("performances") or {})
            if last_period and measure.get("performance") is not None:
                per_period.setdefault(
                    data["periods"][-1]["label"], {"text": measure["performance"]}
                )
            for label, entry in per_period.items():
                rows.append(
                    insert_row(
                        "performance",
                        {
                            "measure_id": measure_row.id,
                            "period_id": period_of(label, f"Measure {measure.get('number')}"),
                            "text": entry.get("text") or "",
                            "value": entry.get("value"),
                        },
                    )
                )
    for report in data.get("reports") or []:
        rows += _report_rows(report, period_of(report.get("period"), "The covering report"))
    return rows, locked


def _report_rows(report: Mapping[str, Any], period_id: str | None) -> list[RowChange]:
    """Return the rows of one covering report: sections, tables of figures, approvals."""
    if period_id is None:
        raise errors.ScrutineerError("A covering report needs a reporting period.")
    head = insert_row(
        "reports",
        {
            "period_id": period_id,
            "title": report.get("title") or "",
            "public": int(report.get("public", True) is not False),
            "exempt_reason": report.get("exempt_reason") or "",
            "public_confidence": report.get("public_confidence") or "",
            "impacts": report.get("impacts") or "",
        },
    )
    rows = [head]
    for position, section in enumerate(report.get("sections") or []):
        rows.append(
            insert_row(
                "report_sections",
                {
                    "report_id": head.id,
                    "number": str(section.get("number") or ""),
                    "heading": section.get("heading") or "",
                    "text": section.get("text") or "",
                    "position": position,
                },
            )
        )
    for position, table in enumerate(report.get("tables") or []):
        table_row = insert_row(
            "report_tables",
            {
                "report_id": head.id,
                "name": table.get("name") or "",
                "columns": list(table.get("columns") or []),
                "position": position,
            },
        )
        rows.append(table_row)
        for index, figures in enumerate(table.get("rows") or []):
            rows.append(
                insert_row(
                    "report_rows",
                    {
                        "table_id": table_row.id,
                        "label": figures.get("label") or "",
                        "cells": [str(c) for c in figures.get("cells") or []],
                        "total": int(bool(figures.get("total"))),
                        "position": index,
                    },
                )
            )
    for position, approval in enumerate(report.get("approvals") or []):
        rows.append(
            insert_row(
                "approvals",
                {
                    "report_id": head.id,
                    **{k: approval.get(k) or "" for k in APPROVAL_FIELDS},
                    "position": position,
                },
            )
        )
    return rows


APPROVAL_FIELDS = ("role", "name", "statement", "date")


_key = name_key  # periods and leads are matched by name the same way as statuses
