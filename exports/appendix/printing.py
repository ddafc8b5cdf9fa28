"""Printing the appendix: the options of one print, and PDF or Word bytes or files from a plan."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from db import atomic
from db.document import Document
from db.errors import ScrutineerError
from db.model import PlanData, period_called
from exports.appendix.layout import Appendix, build_appendix


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


def read_for_print(doc: Document, options: PrintOptions) -> PlanData:
    """Read what one print needs from an open plan.

    Only the printed period's updates keep their text (the previous period lends only its
    status), so a print of one quarter holds one quarter of text; with ``accepted_only``
    every update not yet accepted is left out, so the appendix never shows one.
    """
    from db.reads import periods, read_plan
    from db.signoff import accepted_only

    known = periods(doc)
    if options.period is None:
        chosen = known[-1] if known else None
    else:
        chosen = period_called(known, options.period)
    printed = [chosen.id] if chosen else []
    data = read_plan(doc, text_periods=printed)
    return accepted_only(data, doc) if options.accepted_only else data


def render_pdf(data: PlanData, options: PrintOptions) -> bytes:
    """Return the appendix as PDF bytes.

    Raises:
        ScrutineerError: an unknown theme, period or column was chosen.
    """
    from exports.appendix.pdf import build_pdf

    return build_pdf(build_appendix(data, options))[0]


def render_docx(data: PlanData, options: PrintOptions) -> bytes:
    """Return the appendix as Word (.docx) bytes.

    Raises:
        ScrutineerError: an unknown theme, period or column was chosen.
    """
    from exports.appendix.word import build_docx

    return build_docx(build_appendix(data, options))


def _what(appendix: Appendix, word: str) -> str:
    numbers = [n for n in appendix.theme_numbers if n]
    if len(numbers) == 1:
        return f"{word} {numbers[0]}"
    if len(numbers) == len(appendix.theme_numbers) and numbers:
        return f"{word}s " + ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
    return f"{len(appendix.theme_numbers)} {word.lower()}s"


def print_file(file: Path, output: Path, **options: object) -> str:
    """Print the appendix of the plan in ``file`` to ``output`` (.pdf or .docx).

    The plan is opened read-only; the output appears complete or not at all (it is written
    beside under a temporary name, then moved into place).

    Args:
        file: the plan (.scrutiny).
        output: where to write; its suffix chooses PDF or Word.
        **options: any field of ``PrintOptions``; None leaves the default.

    Returns:
        One sentence saying what was printed where.

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
        data = read_for_print(doc, chosen)
    appendix = build_appendix(data, chosen)
    if suffix == ".pdf":
        from exports.appendix.pdf import build_pdf

        content, pages = build_pdf(appendix)
        size = f"{pages} page{'s' if pages != 1 else ''}"
    else:
        from exports.appendix.word import build_docx

        content = build_docx(appendix)
        count = appendix.action_count
        size = f"{count} action{'s' if count != 1 else ''}"
    write_atomically(output, content)
    what = _what(appendix, data.plan.theme_word or "Theme")
    notes = [
        n
        for n, on in (
            (", public version", chosen.public),
            (", accepted updates only", chosen.accepted_only),
        )
        if on
    ]
    done = f"Printed {what} ({appendix.period_label}{''.join(notes)}) to {output.name}: {size}."
    return done + markup_note(data, public=chosen.public)


def markup_note(data: PlanData, *, public: bool) -> str:
    """Return a sentence warning of exempt markup an internal print could not read, or "".

    An internal print shows such a passage with the tags left out; a public one is refused.
    """
    from db.markup import plan_problems

    found = [] if public else plan_problems(data)
    if not found:
        return ""
    more = f" ({len(found) - 1} more like it)" if len(found) > 1 else ""
    return f" Note: {found[0].note}{more}."


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that it appears whole or not at all (db.atomic).

    Raises:
        ScrutineerError: the folder is missing or cannot be written, or the file is open
            in another program.
    """
    atomic.write_bytes(path, content)
