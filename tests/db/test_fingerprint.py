"""A file's fingerprint changes with every committed edit and stays put while it is untouched."""

from __future__ import annotations

from db import edits, reads
from db.document import Document
from db.safety import fingerprint


def test_fingerprint_is_stable_until_the_file_changes(sample_path):
    with Document.open(sample_path) as doc:
        pass
    closed = fingerprint(sample_path)
    with Document.open(sample_path, read_only=True):
        pass
    assert fingerprint(sample_path) == closed
    with Document.open(sample_path) as doc:
        period = reads.periods(doc)[-1].id
        action = reads.actions(doc)[0].id
        edits.set_update(doc, action, period, text="Changed after the fingerprint.")
    assert fingerprint(sample_path) != closed


def test_a_copy_never_has_the_original_fingerprint(sample_path, tmp_path):
    copy = tmp_path / "copy.scrutiny"
    copy.write_bytes(sample_path.read_bytes())
    assert fingerprint(copy) != fingerprint(sample_path)
