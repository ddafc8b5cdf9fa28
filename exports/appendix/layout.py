"""The appendix layout: what the panel's appendix holds, in order, ready for any renderer.

``build_appendix`` turns a plan (``db.model.PlanData``) and the choices of one print into
plain data: the heading block, the status key with its counts, one block per theme (action
rows with their updates, the performance table and its footnotes). The PDF and Word
renderers only draw this; every decision about what is printed is taken here, once.

Decisions a reader of the paper may ask about:

- An action is printed when it exists in the period: not added in a later period and not
  closed in an earlier one. It is "New" when added in the printed period, "Closed" when
  closed in it.
- The status key counts every printed action once: ``n/N`` where ``N`` is the number of
  printed actions. Actions with no status recorded for the period are counted in a
  "No status recorded" row, shown only when there are some; a status is never guessed.
- The status key's print order is read as best first (Green before Amber before Red), and
  a status marked complete ranks above all others; the direction of travel compares ranks.
- The overall rating sentence follows from the share of rated actions on track (the first
  status of the key, or a complete status): see ``RATING_BANDS``.
- A status the office left out of its key (``Status.in_key`` false, e.g. the sample's Blue)
  gets no key row, but its actions are printed with their status and still count in the
  key's total ``N`` and in the rating: the key shows the rows the office wrote, so its
  rows can add up to less than ``N``, as the paper's would.
- A key label gains its letter (``Green (G)``) only when it carries no short form of its
  own: ``White (NS)`` stays as written.
- A paragraph keeps its author's line breaks: ``Para.text`` holds them as newlines and each
  renderer prints them as line breaks inside one paragraph.
- An action's update may run over pages; the rows that carry it on name the action
  (``ActionRow.continued``, "7C05 (continued)", or "Action 3 (continued)" with no ref).
- A choice that cannot change this print (``--previous`` with no earlier period,
  ``accepted_only`` with nothing accepted, ``public`` with no exempt passage) still prints;
  ``Appendix.notes`` says so in one sentence each, for the command line and the preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from db import text as plan_text
from db.errors import ScrutineerError
from db.markup import plan_texts, public_plan
from db.model import Action, Measure, Period, PlanData, Status, Theme
from db.model import choose_period as _choose_period
from db.periods import exists_in
from exports.dates import when

# Share of rated actions on track -> the word the rating sentence uses, highest first.
RATING_BANDS: tuple[tuple[float, str], ...] = (
    (0.80, "excellent"),
    (0.60, "very good"),
    (0.40, "good"),
    (0.20, "fair"),
    (0.0, "poor"),
)

NO_UPDATE = "No update received"
NO_STATUS = "No status recorded"
# A label that ends in a bracketed short form ("White (NS)") needs no letter added.
_SHORT_FORM = re.compile(r"\(\s*\S{1,6}\s*\)\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same characters within ASCII, as bytes: most text is ASCII, and bytes.translate drops
# them some ten times faster than the pattern finds none.
_ASCII_CONTROL = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


@dataclass
class PrintOptions:
    """What one print holds and how it is laid out; every field has the plan's default."""

    themes: list[str] | None = None  # theme numbers; None = all
    period: str | None = None  # period label; None = the latest period
    public: bool = False
    appendix_label: str | None = None  # None = plan's appendix_label
    version_label: str | None = None  # None = plan's version_label
    portrait: bool = False
    letter: bool = False
    previous: bool = False  # previous period's status + direction of travel columns
    extra_fields: list[str] | None = None  # plan's own action columns to add
    accepted_only: bool = False  # leave out every update the office has not accepted


@dataclass(frozen=True)
class Para:
    """One paragraph or one bullet point of a text field, as printed.

    ``text`` holds the author's single line breaks as newlines: printed as line breaks
    inside the paragraph, never as new paragraphs.
    """

    text: str
    bullet: bool = False

    @property
    def lines(self) -> list[str]:
        """Return the lines the author wrote, each printed on a line of its own."""
        return self.text.split("\n")


@dataclass(frozen=True)
class StatusMark:
    """A status as a cell prints it: fill colour, a contrasting text colour, and its word."""

    code: str
    label: str
    colour: str
    text_colour: str
    recorded: bool = True

    @property
    def text(self) -> str:
        """Return what the cell says: the code (``G``), else the label, so it reads in black and white."""
        return self.code or self.label

    @property
    def key_label(self) -> str:
        """Return how the status key names it: ``Green (G)``, or the label as written.

        The letter is added only when the label carries no short form already: not to
        ``White (NS)`` or ``Green (C)``, nor when the label is the code itself.
        """
        label, code = self.label, self.code
        if not code or code == label or _SHORT_FORM.search(label):
            return label
        if re.search(rf"(?<!\w){re.escape(code)}(?!\w)", label):
            return label
        return f"{label} ({code})"


@dataclass(frozen=True)
class Heading:
    """The block at the top of the first page."""

    appendix_label: str
    title: str
    theme_line: str
    version_label: str
    period_heading: str

    @property
    def subtitle(self) -> str:
        """Return the line under the title: the theme line and the version label."""
        return " ".join(part for part in (self.theme_line, self.version_label) if part)


@dataclass(frozen=True)
class KeyRow:
    """One row of the status key: the status, what it means, and how many actions have it."""

    mark: StatusMark
    meaning: str
    count: int
    total: int

    @property
    def result(self) -> str:
        """Return the count as the paper prints it: ``12/20 (60%)``."""
        if not self.total:
            return "0/0"
        percent = int(100 * self.count / self.total + 0.5)
        return f"{self.count}/{self.total} ({percent}%)"


@dataclass(frozen=True)
class Column:
    """One column of a theme's action table; ``width`` is relative to the other columns."""

    key: str  # ref, leads, plan_ref, activity, extra:<name>, previous, direction, status
    title: str
    width: float


@dataclass(frozen=True)
class MilestoneRow:
    """One phase of an action as printed under its update: Phase | When | State."""

    phase: str
    when: str
    state: str


MILESTONE_COLUMNS: tuple[tuple[str, float], ...] = (("Phase", 0.5), ("When", 0.25), ("State", 0.25))


@dataclass(frozen=True)
class ActionRow:
    """One action as printed: its cells by column key, its status, and its update below."""

    ref: str
    cells: dict[str, tuple[Para, ...]]
    status: StatusMark | None
    previous: StatusMark | None
    direction: str
    update: tuple[Para, ...]
    update_received: bool
    new: bool = False
    closed: bool = False
    milestones: tuple[MilestoneRow, ...] = ()
    # What the rows that carry the update onto another page say: "7C05 (continued)".
    continued: str = ""


@dataclass(frozen=True)
class MeasureRow:
    """One row of a theme's performance table."""

    number: str
    measure: tuple[Para, ...]
    objective: tuple[Para, ...]
    target: tuple[Para, ...]
    performance: tuple[Para, ...]
    footnote_numbers: tuple[int, ...] = ()

    @property
    def footnote_marks(self) -> str:
        """Return the footnote marks printed after the measure (``1,2``), or ""."""
        return ",".join(str(n) for n in self.footnote_numbers)


@dataclass(frozen=True)
class Footnote:
    """A footnote under a performance table, numbered through the whole appendix."""

    number: int
    text: str


# The performance table's columns, the same for every theme; the last takes what is left.
_MEASURE_SHARES = (("No", 0.04), ("Measure", 0.15), ("Objective", 0.2), ("Target", 0.16))
MEASURE_COLUMNS: tuple[tuple[str, float], ...] = (
    *_MEASURE_SHARES,
    ("Performance to date", 1 - sum([share for _, share in _MEASURE_SHARES])),
)


@dataclass
class ThemeBlock:
    """One theme: banner, action table, performance table, footnotes, why it is important."""

    number: str
    title: str
    banner: str
    aim: tuple[Para, ...]
    columns: list[Column]
    actions: list[ActionRow]
    performance_heading: str
    measures: list[MeasureRow]
    footnotes: list[Footnote]
    why_important: tuple[Para, ...]

    @property
    def has_update_label(self) -> bool:
        """Return True when the first column is narrow enough to hold the grey "Update" label."""
        return bool(self.columns) and self.columns[0].key != "activity"


@dataclass
class Appendix:
    """The whole appendix, in print order, with the page choices."""

    heading: Heading
    key: list[KeyRow]
    rating: str
    themes: list[ThemeBlock]
    marking: str
    pdf_title: str
    author: str
    period_label: str
    public: bool = False
    portrait: bool = False
    letter: bool = False
    theme_numbers: list[str] = field(default_factory=list)
    # One sentence for each choice that could not change this print (it still prints).
    notes: list[str] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        """Return the number of printed actions."""
        return sum(len(t.actions) for t in self.themes)


def clean(value: str | None) -> str:
    """Return ``value`` without control characters no document format can hold."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\t", " ")
    if value.isascii():
        return value.encode("ascii").translate(None, _ASCII_CONTROL).decode("ascii")
    return _CONTROL.sub("", value)


def _shown(value: str | None, public: bool) -> str:
    """Return a field's text as printed: exempt passages as markers (public) or kept."""
    value = clean(value)
    return plan_text.redact(value) if public else plan_text.unmark(value)


# The one rule for how a text prints (markers for exempt passages when public), shared with
# the covering report.
shown = _shown


def paragraphs(value: str | None, public: bool) -> tuple[Para, ...]:
    """Return a text field as printed paragraphs and bullet points (db.text conventions)."""
    result: list[Para] = []
    for block in plan_text.blocks(_shown(value, public)):
        if block.kind == "bullets":
            result.extend(Para(line, True) for line in block.lines)
        else:
            result.append(Para("\n".join(block.lines)))
    return tuple(result)


def text_colour(colour: str) -> str:
    """Return black or white, whichever reads better on ``colour`` (WCAG contrast)."""
    try:
        rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        return "#000000"
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def _colour(value: str) -> str:
    value = (value or "").strip()
    return value if re.fullmatch(r"#[0-9A-Fa-f]{6}", value) else "#FFFFFF"


def _mark(status: Status, public: bool) -> StatusMark:
    colour = _colour(status.colour)
    return StatusMark(
        _shown(status.code, public), _shown(status.label, public), colour, text_colour(colour)
    )


def _missing_mark() -> StatusMark:
    return StatusMark("", NO_STATUS, "#FFFFFF", "#000000", recorded=False)


def _rank(status: Status) -> tuple[int, int]:
    return (0 if status.complete else 1, status.position)


def direction(before: Status | None, now: Status | None) -> str:
    """Return the direction of travel from ``before`` to ``now``, in words with a mark."""
    if before is None or now is None:
        return "– Not compared"
    if _rank(now) < _rank(before):
        return "▲ Improved"
    if _rank(now) > _rank(before):
        return "▼ Worse"
    return "► Same"


def rating(counts: dict[str | None, int], statuses: list[Status]) -> str:
    """Return the overall rating sentence from the actions counted per status id.

    The share of rated actions on track (the key's first status, or a complete one) picks
    the word from ``RATING_BANDS``; actions with no status recorded are not rated.
    """
    if not statuses:
        return ""
    rated = sum(n for status_id, n in counts.items() if status_id is not None)
    if not rated:
        return "No status has been recorded for the printed actions yet."
    on_track = {s.id for s in statuses if s.complete} | {statuses[0].id}
    share = sum(counts.get(status_id, 0) for status_id in on_track) / rated
    word = next(word for floor, word in RATING_BANDS if share >= floor)
    return f"The overall rating is therefore {word}."


def print_period(periods: list[Period], label: str | None) -> Period:
    """Return the period a print shows: the one called ``label``, else the latest.

    Chosen once per print (``printing`` passes it down to reading and laying out), by the
    rule every command shares (``db.model.choose_period``).

    Raises:
        ScrutineerError: the plan has no periods, or none called ``label``.
    """
    if not periods:
        raise ScrutineerError(
            "The plan has no reporting periods yet, so there is nothing to print."
        )
    found = _choose_period(periods, label)
    assert found is not None  # there are periods
    return found


def choose_themes(data: PlanData, numbers: list[str] | None) -> list[Theme]:
    """Return the themes to print, in plan order: those numbered ``numbers``, or all.

    Raises:
        ScrutineerError: a number names no theme of the plan, or the plan has no themes.
    """
    word = data.plan.theme_word or "Theme"
    if not data.themes:
        raise ScrutineerError(f"The plan has no {word.lower()}s yet, so there is nothing to print.")
    if not numbers:
        return list(data.themes)
    wanted = [str(n).strip().casefold() for n in numbers]
    by_number = {t.number.strip().casefold(): t for t in data.themes}
    missing = [n for n, w in zip(numbers, wanted, strict=True) if w not in by_number]
    if missing:
        known = ", ".join(t.number or "(unnumbered)" for t in data.themes)
        raise ScrutineerError(
            f"The plan has no {word.lower()} numbered {missing[0]}; its {word.lower()}s are {known}."
        )
    return [t for t in data.themes if t.number.strip().casefold() in wanted]


def _exists_in(action: Action, period: Period, positions: dict[str, int]) -> bool:
    return exists_in(action, period.id, positions)


def _previous(data: PlanData, period: Period) -> Period | None:
    index = next(i for i, p in enumerate(data.periods) if p.id == period.id)
    return data.periods[index - 1] if index else None


def _theme_line(data: PlanData, themes: list[Theme]) -> str:
    word = data.plan.theme_word or "Theme"
    numbers = [t.number for t in themes if t.number]
    if len(themes) == 1:
        return f"Commissioner's Strategic {word} {themes[0].number} Update".replace("  ", " ")
    if len(numbers) == len(themes) and len(themes) <= 6:
        listed = ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
        return f"Commissioner's Strategic {word}s {listed} Update"
    return f"Commissioner's Strategic {word}s Update"


def _columns(
    actions: list[Action], has_scheme: bool, previous: bool, extra_fields: list[str]
) -> list[Column]:
    columns: list[Column] = []
    if any(a.ref.strip() for a in actions):
        columns.append(Column("ref", "Ref", 0.075))
    if any(a.leads for a in actions):
        columns.append(Column("leads", "Lead Officer", 0.11))
    if any(a.plan_ref.strip() for a in actions):
        columns.append(Column("plan_ref", "Plan Ref", 0.07))
    columns.append(Column("activity", "Strategic Activity", 0.0))
    columns += [Column(f"extra:{name}", name, 0.1) for name in extra_fields]
    if has_scheme and previous:
        columns.append(Column("previous", "Previous Status", 0.08))
        columns.append(Column("direction", "Direction of Travel", 0.09))
    if has_scheme:
        columns.append(Column("status", "Status", 0.075))
    rest = 1.0 - sum(c.width for c in columns)
    return [Column(c.key, c.title, max(rest, 0.2)) if c.key == "activity" else c for c in columns]


def _one(value: str) -> tuple[Para, ...]:
    return (Para(value),) if value else ()


def build_appendix(data: PlanData, options: PrintOptions, period: Period | None = None) -> Appendix:
    """Return the appendix for ``data`` as chosen by ``options``.

    ``period`` is the period chosen for this print (``print_period``); None chooses it
    here by the same rule.

    Raises:
        ScrutineerError: an unknown theme number, period label or extra field.
    """
    public = options.public
    if period is None:
        period = print_period(data.periods, options.period)
    # Said before redaction: a redacted plan has no exempt passage left to tell of.
    notes = _notes(data, options, period, _previous(data, period) if options.previous else None)
    if public:  # checked and redacted whole, so no text below can escape redaction
        data = public_plan(data)
        period = next(p for p in data.periods if p.id == period.id)  # its label redacted too
    themes = choose_themes(data, options.themes)
    extra_fields = list(options.extra_fields or [])
    known_extra = {f.casefold(): f for f in data.plan.extra_fields}
    for name in extra_fields:
        if name.casefold() not in known_extra:
            known = ", ".join(data.plan.extra_fields) or "none"
            raise ScrutineerError(
                f"The plan has no column called {name!r}; its own columns are {known}."
            )
    extra_fields = [known_extra[n.casefold()] for n in extra_fields]
    previous_period = _previous(data, period) if options.previous else None
    positions = {p.id: i for i, p in enumerate(data.periods)}
    by_status = data.status_by_id()
    statuses = data.statuses
    counts: dict[str | None, int] = {}
    blocks: list[ThemeBlock] = []
    footnote_number = 0
    action_word = data.plan.action_word or "Action"

    for theme in themes:
        actions = [a for a in data.actions_of(theme.id) if _exists_in(a, period, positions)]
        columns = _columns(
            # Without an earlier period there is nothing to compare: no column of blanks.
            actions,
            bool(statuses),
            previous_period is not None,
            extra_fields,
        )
        keys = {c.key for c in columns}
        rows: list[ActionRow] = []
        for number, action in enumerate(actions, start=1):
            update = data.update_for(action.id, period.id)
            status = by_status.get(update.status_id) if update and update.status_id else None
            counts[status.id if status else None] = counts.get(status.id if status else None, 0) + 1
            before = None
            if previous_period is not None:
                old = data.update_for(action.id, previous_period.id)
                before = by_status.get(old.status_id) if old and old.status_id else None
            new = action.added_in == period.id
            closed = action.closed_in == period.id
            flags = [word for word, on in (("New", new), ("Closed", closed)) if on]
            activity = paragraphs(action.activity, public)
            if flags and "ref" not in keys:
                lead = f"{' – '.join(flags)}: "
                first = activity[0] if activity else Para("")
                activity = (Para(lead + first.text, first.bullet), *activity[1:])
            cells: dict[str, tuple[Para, ...]] = {
                "ref": (*_one(_shown(action.ref, public)), *(Para(f) for f in flags)),
                "leads": tuple(Para(_shown(name, public)) for name in action.leads),
                "plan_ref": _one(_shown(action.plan_ref, public)),
                "activity": activity or (Para(f"(No {action_word.lower()} text)"),),
            }
            for name in extra_fields:
                cells[f"extra:{name}"] = paragraphs(action.extra.get(name, ""), public)
            text = paragraphs(update.text, public) if update else ()
            name = _shown(action.ref, public).strip() or f"{action_word} {number}"
            rows.append(
                ActionRow(
                    ref=_shown(action.ref, public),
                    cells=cells,
                    status=_mark(status, public) if status else _missing_mark(),
                    previous=_mark(before, public) if before else _missing_mark(),
                    direction=direction(before, status),
                    update=text or (Para(NO_UPDATE),),
                    update_received=bool(text),
                    new=new,
                    closed=closed,
                    milestones=milestone_rows(data, action, public),
                    continued=f"{name} (continued)",
                )
            )
        measure_rows: list[MeasureRow] = []
        footnotes: list[Footnote] = []
        for measure in data.measures_of(theme.id):
            numbers = []
            for note in _footnotes(measure, public):
                footnote_number += 1
                numbers.append(footnote_number)
                footnotes.append(Footnote(footnote_number, note))
            measure_rows.append(_measure_row(data, measure, period, public, tuple(numbers)))
        word = data.plan.theme_word or "Theme"
        title = _shown(theme.title, public)
        banner = f"{word} {theme.number}: {title}" if theme.number else title
        blocks.append(
            ThemeBlock(
                number=theme.number,
                title=title,
                banner=banner.upper(),
                aim=paragraphs(theme.aim, public),
                columns=columns,
                actions=rows,
                performance_heading=_shown(theme.performance_heading, public)
                or f"{word} {theme.number}: {title}".strip(),
                measures=measure_rows,
                footnotes=footnotes,
                why_important=paragraphs(theme.why_important, public),
            )
        )

    total = sum(counts.values())
    key = [
        KeyRow(_mark(s, public), _shown(s.meaning, public), counts.get(s.id, 0), total)
        for s in statuses
        if s.in_key
    ]
    if statuses and counts.get(None):
        key.append(
            KeyRow(_missing_mark(), "No status was given for the period", counts[None], total)
        )
    plan = data.plan
    plan_title = _shown(plan.title, public) or "Police and Crime Plan"
    years = _shown(plan.years, public)
    label = options_label(getattr(options, "appendix_label", None), plan.appendix_label)
    version = options_label(getattr(options, "version_label", None), plan.version_label)
    heading = Heading(
        appendix_label=_shown(label, public),
        title=(f"{plan_title} ({years})" if years else plan_title).upper(),
        theme_line=_theme_line(data, themes).upper(),
        version_label=_shown(version, public),
        period_heading=_shown(period.heading, public) or f"{period.label} UPDATE",
    )
    pdf_title = " – ".join(
        part
        for part in (heading.appendix_label, plan_title, _theme_line(data, themes), period.label)
        if part
    )
    return Appendix(
        heading=heading,
        key=key,
        rating=rating(counts, statuses),
        themes=blocks,
        marking=_shown(plan.marking, public),
        pdf_title=pdf_title,
        author=_shown(plan.organisation, public) or _shown(plan.commissioner, public),
        period_label=period.label,
        public=public,
        portrait=options.portrait,
        letter=options.letter,
        theme_numbers=[t.number for t in themes],
        notes=notes,
    )


def milestone_rows(data: PlanData, action: Action, public: bool) -> tuple[MilestoneRow, ...]:
    """Return an action's phases as printed; a phase with nothing to show is left out."""
    rows = []
    for milestone in data.milestones_of(action.id):
        row = MilestoneRow(
            _shown(milestone.phase, public),
            _shown(when(milestone.starts, milestone.ends), public),
            _shown(milestone.state, public),
        )
        if row.phase or row.when or row.state:
            rows.append(row)
    return tuple(rows)


def _notes(
    data: PlanData,
    options: PrintOptions,
    period: Period,
    previous_period: Period | None,
) -> list[str]:
    """Return one sentence for each choice that cannot change this print."""
    notes: list[str] = []
    if options.previous and previous_period is None:
        notes.append(
            f"There is no period before {period.label}, so the previous status and direction "
            "of travel are left out."
        )
    if options.accepted_only and not any(u.period_id == period.id for u in data.updates):
        notes.append(
            f"No update for {period.label} has been accepted yet, so every action prints "
            f"as {NO_UPDATE!r}."
        )
    if options.public and not _plan_has_exempt(data):
        notes.append(
            "The plan has no exempt passage, so the public version is the same as the internal one."
        )
    return notes


def _plan_has_exempt(data: PlanData) -> bool:
    """Return whether any text of the plan read for this print has an exempt passage."""
    return any(plan_text.exemption_codes(text or "") for _, text in plan_texts(data))


def options_label(chosen: str | None, default: str) -> str:
    """Return the label chosen for this print, else the plan's own."""
    return default if chosen is None else chosen


def _footnotes(measure: Measure, public: bool) -> list[str]:
    return [_shown(note, public) for note in measure.footnote_list if _shown(note, public).strip()]


def _measure_row(
    data: PlanData, measure: Measure, period: Period, public: bool, numbers: tuple[int, ...]
) -> MeasureRow:
    performance = data.performance_for(measure.id, period.id)
    text = paragraphs(performance.text, public) if performance else ()
    if not text and performance is not None and performance.value is not None:
        text = (Para(f"{performance.value:g}"),)
    return MeasureRow(
        number=_shown(measure.number, public),
        measure=paragraphs(measure.measure, public),
        objective=paragraphs(measure.objective, public),
        target=paragraphs(measure.target, public),
        performance=text or (Para(f"No performance reported for {period.label}"),),
        footnote_numbers=numbers,
    )
