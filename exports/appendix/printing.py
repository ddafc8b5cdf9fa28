"""Printing the appendix: PDF or Word bytes or files from a plan, as ``PrintOptions`` choose."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from db import atomic
from db.document import Document
from db.errors import ScrutineerError
from db.model import Period, PlanData
from exports.appendix.layout import PrintOptions, build_appendix, print_period


@dataclass(frozen=True)
class Printed:
    """What ``print_file`` printed, for its caller to report in its own words."""

    output: Path
    pages: int | None  # a PDF's page count; None for Word, which pages when opened
    actions: int
    theme_numbers: list[str]
    theme_word: str  # the plan's word for a theme, as written
    period_label: str
    public: bool = False
    accepted_only: bool = False
    notes: list[str] = field(default_factory=list)  # choices that could not change the print


def read_for_print(doc: Document, options: PrintOptions, period: Period | None = None) -> PlanData:
    """Read what one print needs from an open plan.

    Only the printed period's updates are read with their text, and the previous period's
    with only their status (the direction of travel), so a print of one quarter holds two
    quarters of update records and one of text; with ``accepted_only`` every update not yet
    accepted is left out, so the appendix never shows one. ``period`` is the period chosen
    for the print (``layout.print_period``); None chooses it here, and a plan with no
    periods reads with no updates.

    Raises:
        ScrutineerError: the plan has no period called ``options.period``.
    """
    from db.reads import periods, read_plan
    from db.signoff import accepted_only

    known = periods(doc)
    if period is None:
        period = print_period(known, options.period) if known else None
    printed = [period.id] if period else []
    shown = printed[:]
    ids = [p.id for p in known]
    if period is not None and period.id in ids[1:]:
        shown.append(ids[ids.index(period.id) - 1])
    data = read_plan(doc, text_periods=printed, update_periods=shown)
    return accepted_only(data, doc) if options.accepted_only else data


def render_pdf(data: PlanData, options: PrintOptions, period: Period | None = None) -> bytes:
    """Return the appendix as PDF bytes.

    Raises:
        ScrutineerError: an unknown theme, period or column was chosen.
    """
    from exports.appendix.pdf import build_pdf, cycles_collected_after

    # Laying out makes the objects the print keeps till its end, too: a collection that
    # fell in it would walk them (and the plan) to free nothing.
    with cycles_collected_after():
        return build_pdf(build_appendix(data, options, period))[0]


def render_docx(data: PlanData, options: PrintOptions, period: Period | None = None) -> bytes:
    """Return the appendix as Word (.docx) bytes.

    Raises:
        ScrutineerError: an unknown theme, period or column was chosen.
    """
    from exports.appendix.word import build_docx

    return build_docx(build_appendix(data, options, period))


def print_file(file: Path, output: Path, **options: object) -> Printed:
    """Print the appendix of the plan in ``file`` to ``output`` (.pdf or .docx).

    The plan is opened read-only; the output appears complete or not at all (it is written
    beside under a temporary name, then moved into place).

    Args:
        file: the plan (.scrutiny).
        output: where to write; its suffix chooses PDF or Word.
        **options: any field of ``PrintOptions``; None leaves the default.

    Returns:
        What was printed where, with the notes of choices that could not change it.

    Raises:
        ScrutineerError: the file cannot be opened, the output type is unknown, or an
            unknown theme, period or column was chosen.
    """
    file, output = Path(file), Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise ScrutineerError(
            f"Cannot print to {output.name}: the appendix prints to a .pdf or a .docx file."
        )
    known = {f.name for f in fields(PrintOptions)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"print_file() got unknown options: {', '.join(unknown)}")
    chosen = PrintOptions(**{k: v for k, v in options.items() if v is not None})  # type: ignore[arg-type]
    if not file.exists():
        raise ScrutineerError(f"{file.name} does not exist.")
    with Document.open(file, read_only=True) as doc:
        from db.reads import periods

        # The period is chosen once here and passed down to reading and laying out.
        period = print_period(periods(doc), chosen.period)
        data = read_for_print(doc, chosen, period)
    appendix = build_appendix(data, chosen, period)
    pages: int | None = None
    if suffix == ".pdf":
        from exports.appendix.pdf import build_pdf

        content, pages = build_pdf(appendix)
    else:
        from exports.appendix.word import build_docx

        content = build_docx(appendix)
    write_atomically(output, content)
    return Printed(
        output=output,
        pages=pages,
        actions=appendix.action_count,
        theme_numbers=list(appendix.theme_numbers),
        theme_word=data.plan.theme_word or "Theme",
        period_label=appendix.period_label,
        public=chosen.public,
        accepted_only=chosen.accepted_only,
        notes=[*appendix.notes, *markup_note(data, public=chosen.public)],
    )


def markup_note(data: PlanData, *, public: bool) -> list[str]:
    """Return a sentence warning of exempt markup an internal print could not read, if any.

    An internal print shows such a passage with the tags left out; a public one is refused.
    """
    from db.markup import plan_problems

    found = [] if public else plan_problems(data)
    if not found:
        return []
    more = f" ({len(found) - 1} more like it)" if len(found) > 1 else ""
    return [f"Note: {found[0].note}{more}."]


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that it appears whole or not at all (db.atomic).

    Raises:
        ScrutineerError: the folder is missing or cannot be written, or the file is open
            in another program.
    """
    atomic.write_bytes(path, content)
