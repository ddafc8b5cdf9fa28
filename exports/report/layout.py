"""The covering report's layout: numbered sections and paragraphs, figures, answers, approval.

``build_report`` turns a period's report (``db.report.Report``) into plain data the PDF and
Word renderers only draw. Decisions:

- Sections are numbered 1, 2, 3 … in order, unless a section gives its own number; a
  section with nothing to print (no text, and not the public-interest or approval section
  with answers or approvals to show) is left out and not counted.
- Paragraphs are numbered ``section.paragraph`` (6.12); a ``[table: NAME]`` paragraph is
  numbered like any other, prints the table's name as its text and the table under it.
- Figures print with thousands separators and the decimals they were written with; a
  TOTAL row's empty cells are computed from the rows above it.
- The public-interest section prints the answers of ``001``'s section 11; the approval
  section prints each approval's statement (numbered), name and role, and date.
- A report marked not suitable for the public domain is refused by a public print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.errors import ScrutineerError
from db.markup import public_plan
from db.model import PlanData, name_key
from db.report import (
    APPROVAL,
    PUBLIC_INTEREST,
    FigureTable,
    Report,
    computed_cells,
    formatted,
    paragraphs,
    table_name,
)
from db.text import markup_problems
from exports.appendix.layout import Para, print_period, shown
from exports.appendix.layout import paragraphs as printed_paras


@dataclass(frozen=True)
class Figures:
    """A table of figures as printed: headings, then rows of label and formatted cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...], bool], ...]  # label, cells, is a total


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its number ("6.12", or "" for an unnumbered line), text and table."""

    number: str
    text: tuple[Para, ...]
    figures: Figures | None = None
    bold: bool = False


@dataclass(frozen=True)
class SectionBlock:
    """A numbered section with its heading and paragraphs."""

    number: str
    heading: str
    paragraphs: tuple[Paragraph, ...]


@dataclass
class ReportLayout:
    """The whole covering report, in print order."""

    title: str
    lines: list[str]  # under the title: who reports, the period
    sections: list[SectionBlock]
    marking: str
    pdf_title: str
    author: str
    period_label: str
    public: bool = False


def _date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(text.strip())
        # Not "%-d": Windows' strftime has no flag for a day without its leading zero.
        return f"{day.day} {day:%B %Y}"
    except ValueError:
        return text


def figures(table: FigureTable, public: bool) -> Figures:
    """Return a table of figures as printed, its totals computed and figures separated."""
    rows = []
    for row in table.rows:
        cells = computed_cells(table, row)
        cells += [""] * (len(table.columns) - len(cells))
        rows.append(
            (
                shown(row.label, public),
                tuple(shown(formatted(c), public) for c in cells[: len(table.columns)]),
                row.total,
            )
        )
    return Figures(tuple(shown(c, public) for c in table.columns), tuple(rows))


def _answers(report: Report) -> list[str]:
    """Return the public-interest answers as 001 words them."""
    lines = []
    if report.public_confidence:
        lines.append(
            "In producing this report, has consideration been given to ‘public confidence’? "
            + report.public_confidence
        )
    lines.append(
        "Are the contents of this report, observations and appendices necessary and suitable "
        "for the public domain? " + ("Yes" if report.public else "No")
    )
    lines.append(
        "If you consider this report to be exempt from the public domain, please state the "
        "reasons: " + (report.exempt_reason or "N/A")
    )
    if report.impacts:
        lines.append("Media, Stakeholder and Community Impacts: " + report.impacts)
    return lines


def _add_numbered(
    items: list[Paragraph], section: str, text: str, public: bool, table: Figures | None
) -> None:
    """Append a paragraph numbered after the numbered ones before it (6.12)."""
    paras = printed_paras(text, public)
    if items and table is None and paras and all(p.bullet for p in paras):
        # A list of points belongs to the paragraph that introduces it, as in 004's 5.1.
        items.append(Paragraph("", paras))
        return
    count = sum(1 for item in items if item.number) + 1
    items.append(Paragraph(f"{section}.{count}", paras, table))


def build_report(data: PlanData, period_label: str | None, public: bool) -> ReportLayout:
    """Return the covering report of the chosen period (the latest when None) as printed.

    Raises:
        ScrutineerError: the period is unknown or has no report, or ``public`` is asked of
            a report marked not suitable for the public domain.
    """
    period = print_period(data.periods, period_label)
    report: Report | None = data.report_for(period.id)
    if report is None:
        raise ScrutineerError(
            f"Period {period.label} has no covering report yet; write it in the window "
            "(Plan ▸ Covering report…) or import one (the Report sheet)."
        )
    if public and not report.public:
        readable = report.exempt_reason and not markup_problems(report.exempt_reason)
        reason = f" ({shown(report.exempt_reason, True)})" if readable else ""
        raise ScrutineerError(
            f"The covering report for {period.label} is marked not suitable for the public "
            f"domain{reason}, so no public version is printed."
        )
    if public:  # checked and redacted whole, the period's own label and heading included
        data = public_plan(data)
        period = next(p for p in data.periods if p.id == period.id)
        report = data.report_for(period.id)
        assert report is not None  # a public report stays in the public plan
    sections: list[SectionBlock] = []
    for section in report.sections:
        texts = paragraphs(section.text)
        kind = name_key(section.heading)
        number = section.number.strip().rstrip(".") or str(len(sections) + 1)
        items: list[Paragraph] = []

        def numbered(text: str, figures_: Figures | None = None) -> None:
            _add_numbered(items, number, text, public, figures_)  # noqa: B023 (used at once)

        for text in texts:
            name = table_name(text)
            table = report.table_called(name) if name is not None else None
            if table is not None:
                numbered(table.name, figures(table, public))
            else:
                numbered(text)
        if kind == PUBLIC_INTEREST:
            for line in _answers(report):
                numbered(line)
        if kind == APPROVAL:
            for approval in report.approvals:
                if approval.role:
                    items.append(Paragraph("", printed_paras(approval.role, public), bold=True))
                for text in paragraphs(approval.statement):
                    numbered(text)
                if approval.name:
                    items.append(Paragraph("", (Para(f"Name: {shown(approval.name, public)}"),)))
                date = shown(_date(approval.date), public)
                items.append(Paragraph("", (Para(f"Date: {date}".strip()),)))
        if items:
            sections.append(SectionBlock(number, shown(section.heading, public), tuple(items)))
    plan = data.plan
    title = shown(report.title, public) or shown(plan.title, public) or "Covering report"
    lines = [
        line
        for line in (
            f"Report of {shown(plan.commissioner, public)}" if plan.commissioner else "",
            shown(period.heading, public) or period.label,
        )
        if line
    ]
    return ReportLayout(
        title=title,
        lines=lines,
        sections=sections,
        marking=shown(plan.marking, public),
        pdf_title=f"{title} – {period.label}",
        author=shown(plan.organisation, public) or shown(plan.commissioner, public),
        period_label=period.label,
        public=public,
    )
