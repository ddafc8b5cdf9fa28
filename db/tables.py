"""Which table owns which: the one map deletion, merging, clashes and the public copy read."""

from __future__ import annotations

# Columns that name another record, and which table it is in (the schema's REFERENCES;
# tests/db/test_tables.py proves the two agree).
REFS: dict[str, dict[str, str]] = {
    "actions": {"theme_id": "themes", "added_in": "periods", "closed_in": "periods"},
    "action_leads": {"action_id": "actions", "lead_id": "leads"},
    "updates": {"action_id": "actions", "period_id": "periods", "status_id": "statuses"},
    "milestones": {"action_id": "actions"},
    "measures": {"theme_id": "themes"},
    "performance": {"measure_id": "measures", "period_id": "periods"},
    "reports": {"period_id": "periods"},
    "report_sections": {"report_id": "reports"},
    "report_tables": {"report_id": "reports"},
    "report_rows": {"table_id": "report_tables"},
    "approvals": {"report_id": "reports"},
}

# The record a record belongs to, as a person sees it: an update is 7C01's, not Q2's.
OWNER: dict[str, str] = {
    "actions": "theme_id",
    "action_leads": "action_id",
    "updates": "action_id",
    "milestones": "action_id",
    "measures": "theme_id",
    "performance": "measure_id",
    "reports": "period_id",
    "report_sections": "report_id",
    "report_tables": "report_id",
    "report_rows": "table_id",
    "approvals": "report_id",
}

# References that do not make a record belong to another: an action merely names the
# periods it was added and closed in (such a period cannot be deleted), and an update
# whose status is deleted keeps its text with no status.
NOT_OWNING = frozenset(
    {("actions", "added_in"), ("actions", "closed_in"), ("updates", "status_id")}
)


def _children() -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for table, columns in REFS.items():
        for column, parent in columns.items():
            if (table, column) not in NOT_OWNING:
                found.setdefault(parent, []).append((table, column))
    return {parent: tuple(children) for parent, children in found.items()}


# The records that belong to a record: deleted with it, restored with it, kept with it in
# a clash. Keyed by parent: (child table, the child's column naming the parent).
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = _children()

# Every table of the plan, each after every table it refers to: the order records are
# added in (a parent is there before its children); deletions go the other way.
ORDER: tuple[str, ...] = (
    "plan", "exemptions", "statuses", "periods", "leads", "themes", "actions",
    "action_leads", "updates", "milestones", "measures", "performance",
    "reports", "report_sections", "report_tables", "report_rows", "approvals",
)  # fmt: skip

# What makes a record unique besides its id (the schema's UNIQUE constraints), so two
# files adding "Q3 2017/18" each hold the same period.
NATURAL: dict[str, tuple[str, ...]] = {
    "periods": ("label",), "leads": ("name",), "exemptions": ("code",),
    "action_leads": ("action_id", "lead_id"), "updates": ("action_id", "period_id"),
    "performance": ("measure_id", "period_id"), "reports": ("period_id",),
}  # fmt: skip
