"""The full-text indexes merge rarely, so an edit seldom pays for a merge (bench figure 4)."""

from __future__ import annotations

from db import document
from db.document import Document


def _automerge(doc: Document) -> list[int]:
    return [
        doc.conn.execute(f"SELECT v FROM {t}_fts_config WHERE k = 'automerge'").fetchone()[0]
        for t in ("actions", "updates")
    ]


def test_opening_for_editing_sets_the_merge_threshold_once(sample_path):
    with Document.open(sample_path) as doc:
        assert _automerge(doc) == [document.FTS_AUTOMERGE] * 2
    stamp = sample_path.stat().st_mtime_ns
    with Document.open(sample_path) as doc:
        assert _automerge(doc) == [document.FTS_AUTOMERGE] * 2
    # Already set: opening again writes nothing.
    assert sample_path.stat().st_mtime_ns == stamp


def test_read_only_open_leaves_the_file_alone(sample_path):
    stamp = sample_path.stat().st_mtime_ns
    with Document.open(sample_path, read_only=True):
        pass
    assert sample_path.stat().st_mtime_ns == stamp
