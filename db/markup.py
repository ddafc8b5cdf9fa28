"""Every text of a plan read for exempt markup before anything public is written from it.

Each public output (the public copy, ``print --public`` to PDF or Word, ``export --public``
to .xlsx or .csv, a public lead sheet, the preview) calls :func:`check_public` on what it
is about to publish: markup ``db.text.parse`` cannot read stops the output with one
sentence naming the record and the field, because a typo must never publish a passage.
An internal print calls :func:`plan_problems` to warn about the same markup while still
printing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from typing import Any, TypeVar

from db.errors import ScrutineerError
from db.model import PlanData
from db.text import Problem, excerpt, markup_problems, may_hold_markup, redact

_Record = TypeVar("_Record", bound=Any)


@dataclass(frozen=True)
class FieldProblem:
    """Markup that cannot be read, and the field of the plan that holds it."""

    where: str  # "The update of action 7C01 (theme 7) for Q2 2026/27"
    text: str
    problem: Problem

    @property
    def sentence(self) -> str:
        """Return the one sentence that stops a public output."""
        return (
            f"{self.where} has exempt markup Scrutineer cannot read ({self.problem.reason}, "
            f"at {excerpt(self.text, self.problem)}), so nothing public was written; "
            "correct the marking first."
        )

    @property
    def note(self) -> str:
        """Return the clause an internal print adds to say what a public one would refuse."""
        return (
            f"{self.where[:1].lower()}{self.where[1:]} has exempt markup Scrutineer cannot "
            f"read ({self.problem.reason}), so a public version would be refused"
        )


class PublicMarkupError(ScrutineerError):
    """A text about to be published has exempt markup that cannot be read."""

    def __init__(self, found: FieldProblem) -> None:
        super().__init__(found.sentence)
        self.found = found


def plan_texts(data: PlanData) -> Iterator[tuple[str, str]]:
    """Yield every text of ``data`` that public output may show, with where it is."""
    plan = data.plan
    theme_word = plan.theme_word or "Theme"
    action_word = plan.action_word or "Action"
    for name in (
        "title", "organisation", "commissioner", "years", "marking", "theme_word",
        "action_word", "appendix_label", "version_label",
    ):  # fmt: skip
        yield f"The plan's {name.replace('_', ' ')}", getattr(plan, name)
    for name in plan.extra_fields:
        yield "The name of one of the plan's own columns", name
    for status in data.statuses:
        for name in ("code", "label", "meaning"):
            yield f"The {name} of status {status.label}", getattr(status, name)
    periods = {p.id: p.label for p in data.periods}
    for period in data.periods:
        for name in ("label", "heading", "starts", "ends"):
            yield f"The {name} of period {period.label}", getattr(period, name)
    themes = {t.id: t.number for t in data.themes}
    for theme in data.themes:
        for name in ("number", "title", "aim", "performance_heading", "why_important"):
            label = (
                "“why it is important” text" if name == "why_important" else name.replace("_", " ")
            )
            yield f"The {label} of {theme_word.lower()} {theme.number}", getattr(theme, name)
    actions = {}
    for action in data.actions:
        named = f"{action_word.lower()} {action.ref} ({theme_word.lower()} {themes.get(action.theme_id, '?')})"
        actions[action.id] = named
        for name, label in (("ref", "ref"), ("plan_ref", "plan ref"), ("activity", "activity")):
            yield f"The {label} of {named}", getattr(action, name)
        for lead in action.leads:
            yield f"A lead officer of {named}", lead
        for column, value in action.extra.items():
            yield f"The {column!r} column of {named}", column
            yield f"The {column!r} column of {named}", str(value)
    for update in data.updates:
        where = actions.get(update.action_id, f"{action_word.lower()} ?")
        yield f"The update of {where} for {periods.get(update.period_id, '?')}", update.text
    for milestone in data.milestones:
        where = actions.get(milestone.action_id, f"{action_word.lower()} ?")
        for name in ("phase", "starts", "ends", "state", "note"):
            yield (
                f"The {name} of milestone {milestone.phase!r} of {where}",
                getattr(milestone, name),
            )
    measures = {}
    for measure in data.measures:
        named = (
            f"measure {measure.number} ({theme_word.lower()} {themes.get(measure.theme_id, '?')})"
        )
        measures[measure.id] = named
        for name in ("number", "measure", "objective", "target", "footnotes"):
            yield f"The {name} of {named}", getattr(measure, name)
    for performance in data.performance:
        where = measures.get(performance.measure_id, "measure ?")
        when = periods.get(performance.period_id, "?")
        yield f"The performance of {where} for {when}", performance.text
    for report in data.reports:
        yield from report_texts(report)


def report_texts(report: Any) -> Iterator[tuple[str, str]]:
    """Yield every text of a covering report (``db.report.Report``) with where it is."""
    yield "The covering report's title", report.title
    for name in ("exempt_reason", "public_confidence", "impacts"):
        yield f"The covering report's {name.replace('_', ' ')}", getattr(report, name)
    for index, section in enumerate(report.sections, start=1):
        where = f"Section {section.number.strip().rstrip('.') or index} of the covering report"
        yield where, section.heading
        yield where, section.text
    for table in report.tables:
        where = f"The table of figures {table.name!r} of the covering report"
        yield where, table.name
        for text in (*table.columns, *(t for row in table.rows for t in (row.label, *row.cells))):
            yield where, text
    for approval in report.approvals:
        for text in (approval.role, approval.name, approval.statement, approval.date):
            yield "An approval of the covering report", text


def plan_problems(data: PlanData) -> list[FieldProblem]:
    """Return every field of ``data`` whose exempt markup cannot be read, in plan order."""
    found = []
    for where, text in plan_texts(data):
        for problem in markup_problems(text or ""):
            found.append(FieldProblem(where, text, problem))
    return found


def check_public(data: PlanData) -> None:
    """Refuse to publish ``data`` while any of its texts has markup that cannot be read.

    Raises:
        PublicMarkupError: one sentence naming the first such field and what is wrong.
    """
    for where, text in plan_texts(data):
        problems = markup_problems(text or "")
        if problems:
            raise PublicMarkupError(FieldProblem(where, text, problems[0]))


def public_plan(data: PlanData) -> PlanData:
    """Return ``data`` as it may be published: checked, then every text redacted.

    Every public output starts from this, so a text it shows (a title, a document
    property, a header, a sheet's instructions) is redacted even if the writer forgets to.

    Raises:
        PublicMarkupError: a text has markup that cannot be read (see :func:`check_public`).
    """
    check_public(data)
    return PlanData(
        plan=_redacted(data.plan),
        statuses=[_redacted(s) for s in data.statuses],
        periods=[_redacted(p) for p in data.periods],
        themes=[_redacted(t) for t in data.themes],
        actions=[_redacted(a) for a in data.actions],
        updates=[_redacted(u) for u in data.updates],
        milestones=[_redacted(m) for m in data.milestones],
        measures=[_redacted(m) for m in data.measures],
        performance=[_redacted(p) for p in data.performance],
        # A report marked not suitable for the public domain is not published at all.
        reports=[_redacted(r) for r in data.reports if r.public],
    )


def _redacted(record: _Record) -> _Record:
    """Return ``record`` with every text in it redacted (ids hold no markup and stay)."""
    changed = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        clean = _redact_value(value)
        if clean is not value:
            changed[name] = clean
    return replace(record, **changed) if changed else record  # type: ignore[type-var]


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(kind))


def _redact_value(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return _redacted(value)  # a report's sections, tables and approvals
    if isinstance(value, str):
        return redact(value) if may_hold_markup(value) else value
    if isinstance(value, tuple):
        items = tuple(_redact_value(v) for v in value)
        return value if items == value else items
    if isinstance(value, dict):
        pairs = {_redact_value(k): _redact_value(v) for k, v in value.items()}
        return value if pairs == value else pairs
    return value
