"""Printing the appendix: PDF or Word bytes or files from a plan, as ``PrintOptions`` choose."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path

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

    Only the printed period's updates keep their text (the previous period lends only its
    status), so a print of one quarter holds one quarter of text; with ``accepted_only``
    every update not yet accepted is left out, so the appendix never shows one.
    ``period`` is the period chosen for the print (``layout.print_period``); None chooses
    it here, and a plan with no periods reads with no update text.

    Raises:
        ScrutineerError: the plan has no period called ``options.period``.
    """
    from db.reads import periods, read_plan
    from db.signoff import accepted_only

    if period is None:
        known = periods(doc)
        period = print_period(known, options) if known else None
    printed = [period.id] if period else []
    data = read_plan(doc, text_periods=printed)
    return accepted_only(data, doc) if options.accepted_only else data


def render_pdf(data: PlanData, options: PrintOptions, period: Period | None = None) -> bytes:
    """Return the appendix as PDF bytes.

    Raises:
        ScrutineerError: an unknown theme, period or column was chosen.
    """
    from exports.appendix.pdf import build_pdf

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
        period = print_period(periods(doc), chosen)
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
        notes=list(appendix.notes),
    )


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that it appears whole or not at all.

    Raises:
        ScrutineerError: the folder is missing or cannot be written, or the file is open
            in another program.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ScrutineerError(f"Cannot print to {path}: the folder {folder} does not exist.")
    tmp_name = ""
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as handle:
            tmp_name = handle.name
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except PermissionError as exc:
        raise ScrutineerError(
            f"Cannot write {path.name}: it is open in another program or the folder is read-only."
        ) from exc
    except OSError as exc:
        raise ScrutineerError(f"Cannot write {path.name}: {exc.strerror or exc}.") from exc
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
