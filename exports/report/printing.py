"""Printing the covering report (and the appendix after it) from a plan file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db import print_choices, reads
from db.document import Document
from db.errors import ScrutineerError
from db.model import Period, PlanData
from exports.appendix.layout import PrintOptions, build_appendix, print_period
from exports.appendix.printing import read_for_print, write_atomically
from exports.report.layout import build_report


@dataclass(frozen=True)
class ReportPrinted:
    """What ``report_file`` printed, for its caller to report in its own words."""

    output: Path
    period_label: str
    pages: int | None  # a PDF's page count; None for Word, which pages when opened
    sections: int
    public: bool = False
    with_appendix: bool = False


def report_file(
    file: Path,
    output: Path,
    *,
    period: str | None = None,
    public: bool = False,
    appendix: bool = False,
) -> ReportPrinted:
    """Print the covering report of ``file`` to ``output`` (.pdf or .docx); say what was printed.

    Args:
        file: the plan (.scrutiny), opened read-only.
        output: where to write; its suffix chooses PDF or Word. It appears whole or not at all.
        period: the reporting period's label; the latest when None.
        public: exempt passages as markers; a report marked not public is refused.
        appendix: the appendix follows the report in the same document, printed with the
            plan's remembered defaults for the same period.

    Raises:
        ScrutineerError: the file, period or output type is wrong, the period has no
            report, or a public print was asked of a report marked not public.
    """
    file, output = Path(file), Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise ScrutineerError(
            f"Cannot print to {output.name}: the report prints to a .pdf or a .docx file."
        )
    if not file.exists():
        raise ScrutineerError(f"{file.name} does not exist.")
    with Document.open(file, read_only=True) as doc:
        chosen = print_period(reads.periods(doc), period)  # once, for report and appendix
        options = remembered_options(doc, chosen, public)
        data = read_for_print(doc, options, chosen)
    report = build_report(data, chosen.label, public)
    attached = build_appendix(data, options, chosen) if appendix else None
    pages: int | None = None
    if suffix == ".pdf":
        from exports.report.pdf import build_report_pdf

        content, pages = build_report_pdf(report, attached)
    else:
        from exports.report.word import build_report_docx

        content = build_report_docx(report, attached)
    write_atomically(output, content)
    return ReportPrinted(
        output=output,
        period_label=report.period_label,
        pages=pages,
        sections=len(report.sections),
        public=public,
        with_appendix=appendix,
    )


def remembered_options(doc: Document, period: Period, public: bool) -> PrintOptions:
    """Return the appendix's options as the plan remembers them, for ``period``.

    A remembered theme or column the plan no longer has is left out (none left: all themes).
    """
    choices = print_choices.load(doc)
    themes = {t.number for t in reads.themes(doc)}
    columns = set(reads.plan(doc).extra_fields)
    return PrintOptions(
        themes=[n for n in choices["themes"] or [] if n in themes] or None,
        period=period.label,
        public=public,
        portrait=choices["portrait"],
        letter=choices["letter"],
        previous=choices["previous"],
        extra_fields=[f for f in choices["extra_fields"] if f in columns],
        accepted_only=choices["accepted_only"],
    )


def render_agenda_item(data: PlanData, options: PrintOptions, kind: str) -> bytes:
    """Return the covering report then the appendix as one PDF or Word document's bytes.

    What the print dialog saves when "With the covering report" is ticked.

    Raises:
        ScrutineerError: the period has no report, or it is not public and ``options.public``.
    """
    report = build_report(data, options.period, options.public)
    appendix = build_appendix(data, options)
    if kind == "pdf":
        from exports.report.pdf import build_report_pdf

        return build_report_pdf(report, appendix)[0]
    from exports.report.word import build_report_docx

    return build_report_docx(report, appendix)
