"""Which actions the plan tree shows: by status, lead officer, theme, change this period and search."""

from __future__ import annotations

from dataclasses import dataclass

from db import reads
from db.document import CREATED, Document

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class PlanFilter:
    """What the person asked to see; the default shows everything."""

    status_id: str | None = None
    no_status: bool = False
    lead: str | None = None
    # Several at once ("Amber or Red"; two leads): any of them passes.
    status_ids: frozenset[str] = frozenset()
    leads: frozenset[str] = frozenset()
    theme_id: str | None = None
    changed_only: bool = False
    search: str = ""

    @property
    def active(self) -> bool:
        """Return whether anything is filtered out."""
        return bool(
            self.status_id
            or self.no_status
            or self.lead
            or self.status_ids
            or self.leads
            or self.theme_id
            or self.changed_only
            or self.search.strip()
        )


def changed_actions(doc: Document, period_id: str) -> set[str]:
    """Return the actions changed in a period.

    An action counts as changed when its update for the period was edited after it was made
    (a status chosen, text typed, a return merged in), or, where there is an earlier period,
    when its status or its text differs from that period's. Making the update is not a
    change: carrying actions forward into a new period, importing a tracker or writing the
    sample leaves nothing "changed" until someone changes it.
    """
    updates = reads.updates(doc, period_id)
    periods = reads.periods(doc)
    place = next((i for i, p in enumerate(periods) if p.id == period_id), 0)
    changed: set[str] = set()
    if place > 0:
        before = reads.updates(doc, periods[place - 1].id)
        for action_id, update in updates.items():
            earlier = before.get(action_id)
            text = update.text.strip()
            if earlier is None:
                if text:
                    changed.add(action_id)
            elif update.status_id != earlier.status_id or (text and text != earlier.text.strip()):
                changed.add(action_id)
    quiet = {u.id: a for a, u in updates.items() if a not in changed}
    if quiet:
        for entry in reads.history(doc, list(quiet), limit=len(quiet) * 50 + 1000):
            if entry.field != CREATED:
                changed.add(quiet[entry.record_id])
    return changed


@dataclass
class Matches:
    """The actions that pass a filter, a search snippet for each, and whether the search was cut short."""

    ids: set[str]
    snippets: dict[str, str]
    capped: bool = False


def matching_actions(doc: Document, period_id: str | None, wanted: PlanFilter) -> Matches:
    """Return the actions that pass ``wanted`` and, for a search, a snippet for each."""
    snippets: dict[str, str] = {}
    capped = False
    actions = reads.actions(doc, wanted.theme_id)
    ids = {a.id for a in actions}
    leads = {n.casefold() for n in wanted.leads | ({wanted.lead} if wanted.lead else set())}
    if leads:
        ids &= {a.id for a in actions if any(n.casefold() in leads for n in a.leads)}
    statuses: set[str | None] = set(wanted.status_ids)
    if wanted.status_id:
        statuses.add(wanted.status_id)
    if wanted.no_status:
        statuses.add(None)
    if statuses and period_id:
        updates = reads.updates(doc, period_id)
        ids &= {a for a in ids if (updates[a].status_id if a in updates else None) in statuses}
    if wanted.changed_only and period_id:
        ids &= changed_actions(doc, period_id)
    if wanted.search.strip():
        # Every period's updates are searched: last year's wording is often what people recall.
        hits = reads.search(doc, wanted.search, limit=SEARCH_LIMIT)
        capped = len(hits) >= SEARCH_LIMIT
        for hit in hits:
            snippets.setdefault(hit.action_id, hit.snippet)
        ids &= set(snippets)
    return Matches(ids, {k: v for k, v in snippets.items() if k in ids}, capped)
