"""The print choices a clerk made are kept in the plan, committed and in the history."""

from __future__ import annotations

from db import edits, print_choices, reads
from db.document import Document


def test_a_new_plan_remembers_the_defaults(sample_doc):
    assert print_choices.load(sample_doc) == print_choices.DEFAULTS


def test_saved_choices_are_committed_in_the_history_and_undoable(sample_doc, sample_path):
    wanted = {
        "themes": ["7"],
        "previous": True,
        "public": True,
        "accepted_only": True,
        "portrait": True,
        "letter": True,
        "extra_fields": ["Timescale"],
    }
    changes = print_choices.save(sample_doc, wanted)
    assert changes.text == print_choices.UNDO_TEXT
    with Document.open(sample_path, read_only=True) as other:  # committed: another reader sees it
        assert print_choices.load(other) == wanted
    history = reads.history(sample_doc, list(changes.ids))
    assert any(h.field == "print_choices" for h in history)
    edits.undo(sample_doc, changes)
    assert print_choices.load(sample_doc) == print_choices.DEFAULTS


def test_the_same_choices_make_no_edit(sample_doc):
    print_choices.save(sample_doc, {"previous": True})
    assert not print_choices.save(sample_doc, {"previous": True, "unknown": 1})


def test_choices_from_an_untrusted_file_are_checked(sample_doc):
    for text in ("not json", "[1, 2]", '{"themes": [1, {"a": 2}]}', "[" * 5000, ""):
        edits.edit_plan(sample_doc, print_choices=text)
        assert print_choices.load(sample_doc) == print_choices.DEFAULTS
    edits.edit_plan(
        sample_doc,
        print_choices='{"previous": "yes", "portrait": true, "themes": ["1", "1"], "x": 3}',
    )
    choices = print_choices.load(sample_doc)
    assert choices["previous"] is False and choices["portrait"] is True
    assert choices["themes"] == ["1"]
