"""The choices of the last appendix printed, kept in the plan so next quarter prints the same way."""

from __future__ import annotations

import json
from typing import Any

from db import edits, reads
from db.changes import Changes
from db.document import Document

# Every choice remembered, with its default. The period is not among them: next quarter's
# appendix prints next quarter.
DEFAULTS: dict[str, Any] = {
    "themes": None,  # theme numbers ticked; None = every theme, including ones added later
    "previous": False,
    "public": False,
    "accepted_only": False,
    "portrait": False,
    "letter": False,
    "extra_fields": [],  # the plan's own columns printed
}
UNDO_TEXT = "Remember the print choices"


def _clean(raw: object) -> dict[str, Any]:
    """Return the known choices of ``raw`` with the right types; anything else is left out.

    The plan may come from anyone, so a choice of the wrong type is dropped, never trusted.
    """
    choices = {k: (list(v) if isinstance(v, list) else v) for k, v in DEFAULTS.items()}
    if not isinstance(raw, dict):
        return choices
    for key, default in DEFAULTS.items():
        value = raw.get(key, default)
        if isinstance(default, bool):
            if isinstance(value, bool):
                choices[key] = value
        elif key == "themes" and value is None:
            choices[key] = None
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            choices[key] = list(dict.fromkeys(value))
    return choices


def parse(text: str) -> dict[str, Any]:
    """Return the choices stored as ``text``; defaults for anything unreadable."""
    try:
        raw = json.loads(text or "{}")
    except (ValueError, RecursionError):
        raw = {}
    return _clean(raw)


def load(doc: Document) -> dict[str, Any]:
    """Return the plan's remembered print choices (every key of ``DEFAULTS``)."""
    return parse(reads.plan(doc).print_choices)


def save(doc: Document, choices: dict[str, Any]) -> Changes:
    """Remember ``choices`` in the plan as one committed edit; empty when nothing changed.

    Only the keys of ``DEFAULTS`` are kept, and the JSON is written in one order so the same
    choices never make an edit.
    """
    plan = reads.plan(doc)
    text = json.dumps(_clean(choices), sort_keys=True, ensure_ascii=False)
    return edits.edit(doc, "plan", plan.id, undo_text=UNDO_TEXT, print_choices=text)
