"""The public copy of a plan file: for the panel's website, with no exempt passage in it."""

from __future__ import annotations

from pathlib import Path

from db.document import Document
from db.public import PUBLIC_MARKING, build_public_copy


def write_public_copy(doc: Document, out: Path) -> str:
    """Write a public copy of ``doc`` to ``out`` (.scrutiny) and return a sentence saying so.

    Every exempt passage is replaced by its marker, the marking becomes
    ``db.public.PUBLIC_MARKING``, and the history, clashes and sign-offs are left out; the
    file is built afresh, so no byte of an exempt passage is anywhere in it.

    Raises:
        ScrutineerError: ``out`` cannot be written, or an exempt passage is not closed.
    """
    made = build_public_copy(doc, Path(out), marking=PUBLIC_MARKING)
    passages = f"{made.passages} exempt passage" + ("" if made.passages == 1 else "s")
    return (
        f"Wrote a public copy of {Path(doc.path).name} to {made.path.name}: {passages} "
        f"replaced by their markers, no history, marked {made.marking}."
    )
