"""Merging what a lead officer returns, a copy of the plan or a return sheet, into the plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from db import errors
from db.document import Document
from db.merge import MergeReport, merge_copy, merge_sheet
from db.safety import check_file

RETURN_SUFFIXES = (".scrutiny", ".xlsx")


def merge_into(
    doc: Document, returned: str | Path, before_write: Callable[[], object] | None = None
) -> MergeReport:
    """Merge the return at ``returned`` into the open plan ``doc`` in one undoable step.

    A returned copy is checked like any file from someone else and read through a
    read-only, immutable connection, so neither it nor the files beside it are written. A
    return that fails the check is refused whole and ``doc`` is not changed.

    Args:
        doc: the office's plan, open for editing.
        returned: a copy of the plan (.scrutiny) or a lead's return sheet (.xlsx).

    Returns:
        What came in and every clash; ``report.changes`` undoes the merge.

    Raises:
        ScrutineerError: the return is refused (with the reason in one sentence).

    ``before_write`` is called once the return is read and checked, just before the plan
    is changed: the window's Cancel raises there, so a cancelled merge changes nothing.
    """
    returned = Path(returned)
    suffix = returned.suffix.lower()
    if suffix not in RETURN_SUFFIXES:
        raise errors.ScrutineerError(
            f"{returned.name} is not a return; merge a copy of the plan (.scrutiny) "
            "or a return sheet (.xlsx)."
        )
    if not returned.is_file():
        raise errors.ScrutineerError(f"{returned.name} does not exist.")
    if returned.resolve() == Path(doc.path).resolve():
        raise errors.ScrutineerError(
            "A plan cannot be merged into itself; choose the returned file."
        )
    if suffix == ".xlsx":
        from exports.sheets.lead_sheet import read_return

        sheet = read_return(returned)
        if before_write is not None:
            before_write()
        return merge_sheet(doc, sheet)
    report = check_file(returned)
    if not report.ok:
        raise errors.FileRefused(
            f"{returned.name} was refused and nothing was merged: {report.problems[0]}"
        )
    with Document.open(returned, read_only=True) as theirs:
        if before_write is not None:
            before_write()
        return merge_copy(doc, theirs)


def merge_file(file: str | Path, returned: str | Path) -> MergeReport:
    """Merge ``returned`` into the plan ``file`` (the ``scrutineer merge`` command).

    Raises:
        ScrutineerError: ``file`` cannot be opened for editing, or the return is refused;
            in either case ``file`` is unchanged.
    """
    with Document.open(file) as doc:
        return merge_into(doc, returned)
