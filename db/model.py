"""Plain data classes that carry a plan between the db layer and everything above it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from db.errors import ScrutineerError


@dataclass(frozen=True)
class Plan:
    """The plan's own details and vocabulary."""

    id: str
    title: str = ""
    organisation: str = ""
    commissioner: str = ""
    years: str = ""
    marking: str = ""
    theme_word: str = "Theme"
    action_word: str = "Action"
    appendix_label: str = "APPENDIX A"
    version_label: str = ""
    extra_fields: tuple[str, ...] = ()
    print_choices: str = "{}"  # JSON: the last appendix's print choices


@dataclass(frozen=True)
class Status:
    """One status of the plan's scheme (e.g. Green: achieved or adequate progress)."""

    id: str
    code: str
    label: str
    colour: str = "#FFFFFF"
    meaning: str = ""
    complete: bool = False
    position: int = 0
    in_key: bool = True  # False: left out of the printed key


@dataclass(frozen=True)
class Period:
    """A reporting period such as "Q2 2017/18"; locked once published."""

    id: str
    label: str
    starts: str = ""
    ends: str = ""
    heading: str = ""
    locked: bool = False
    position: int = 0


@dataclass(frozen=True)
class Theme:
    """A theme (strand, pillar) of the plan."""

    id: str
    number: str = ""
    title: str = ""
    aim: str = ""
    performance_heading: str = ""
    why_important: str = ""
    position: int = 0


@dataclass(frozen=True)
class Milestone:
    """A phase of an action with its dates and state."""

    id: str
    action_id: str
    phase: str = ""
    starts: str = ""
    ends: str = ""
    state: str = ""
    position: int = 0
    note: str = ""


@dataclass(frozen=True)
class Update:
    """An action's status and update text for one reporting period."""

    id: str
    action_id: str
    period_id: str
    status_id: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Action:
    """An action (objective, project) of a theme."""

    id: str
    theme_id: str
    ref: str = ""
    plan_ref: str = ""
    activity: str = ""
    added_in: str | None = None
    closed_in: str | None = None
    position: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    leads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Performance:
    """A measure's performance to date for one period."""

    id: str
    measure_id: str
    period_id: str
    text: str = ""
    value: float | None = None


@dataclass(frozen=True)
class Measure:
    """A performance measure of a theme."""

    id: str
    theme_id: str
    number: str = ""
    measure: str = ""
    objective: str = ""
    target: str = ""
    footnotes: str = ""
    position: int = 0

    @property
    def footnote_list(self) -> list[str]:
        """Return the footnotes, one per non-blank line."""
        return [line.strip() for line in self.footnotes.splitlines() if line.strip()]


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of one field."""

    id: int
    at: str
    who: str
    table_name: str
    record_id: str
    field: str
    old: str | None
    new: str | None
    origin: str = ""


@dataclass(frozen=True)
class SearchHit:
    """A record whose text matched a search."""

    kind: str  # "action" or "update"
    action_id: str
    period_id: str | None
    snippet: str


@dataclass
class PlanData:
    """A whole plan read at once, for printing and exporting."""

    plan: Plan
    statuses: list[Status]
    periods: list[Period]
    themes: list[Theme]
    actions: list[Action]
    updates: list[Update]
    milestones: list[Milestone]
    measures: list[Measure]
    performance: list[Performance]

    def status_by_id(self) -> dict[str, Status]:
        """Return the statuses keyed by id."""
        return {s.id: s for s in self.statuses}

    def period_by_label(self, label: str) -> Period | None:
        """Return the period called ``label`` (case and spacing ignored), or None."""
        return period_called(self.periods, label)

    def actions_of(self, theme_id: str) -> list[Action]:
        """Return a theme's actions in order."""
        return sorted((a for a in self.actions if a.theme_id == theme_id), key=lambda a: a.position)

    def measures_of(self, theme_id: str) -> list[Measure]:
        """Return a theme's measures in order."""
        return sorted(
            (m for m in self.measures if m.theme_id == theme_id), key=lambda m: m.position
        )

    # Each index is built on first use and kept (a print asks for every action's update).
    @cached_property
    def _update_index(self) -> dict[tuple[str, str], Update]:
        return {(u.action_id, u.period_id): u for u in self.updates}

    @cached_property
    def _performance_index(self) -> dict[tuple[str, str], Performance]:
        return {(p.measure_id, p.period_id): p for p in self.performance}

    def update_for(self, action_id: str, period_id: str) -> Update | None:
        """Return an action's update for a period, or None when there is none."""
        return self._update_index.get((action_id, period_id))

    def performance_for(self, measure_id: str, period_id: str) -> Performance | None:
        """Return a measure's performance for a period, or None when there is none."""
        return self._performance_index.get((measure_id, period_id))


@dataclass(frozen=True)
class ReturnedUpdate:
    """One action's status and update as a lead officer returned them in a spreadsheet.

    ``base_*`` are the values the sheet was sent with, so a merge can tell what the lead
    changed from what the office changed meanwhile. Statuses are named by code or label.
    """

    action_id: str | None  # from the sheet's hidden origin data; None: match by theme and ref
    theme_number: str
    ref: str
    base_status: str | None
    base_text: str
    status: str | None
    text: str


@dataclass(frozen=True)
class ReturnedSheet:
    """A lead officer's returned spreadsheet, read and checked, ready to merge."""

    name: str  # the file's name, recorded as the origin of what it brings in
    plan_id: str | None  # the plan the sheet was exported from; None for a sheet of unknown origin
    period_label: str
    lead: str | None
    updates: list[ReturnedUpdate] = field(default_factory=list)


def period_called(periods: Iterable[Period], label: str) -> Period | None:
    """Return the period called ``label`` (case and spacing ignored), or None."""
    wanted = " ".join(label.split()).casefold()
    return next((p for p in periods if " ".join(p.label.split()).casefold() == wanted), None)


def choose_period(periods: Iterable[Period], label: str | None) -> Period | None:
    """Return the period a command works on: the one called ``label``, else the latest.

    The one rule for every print and export; None only when the plan has no period and
    no label was asked for (each caller says what that means for it).

    Raises:
        ScrutineerError: the plan has no period called ``label``.
    """
    known = list(periods)
    if label is None:
        return known[-1] if known else None
    found = period_called(known, label)
    if found is None:
        names = ", ".join(p.label for p in known) or "none"
        raise ScrutineerError(f"The plan has no period {label!r}; its periods are: {names}.")
    return found
