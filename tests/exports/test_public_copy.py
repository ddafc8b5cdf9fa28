"""A public copy holds no byte of an exempt passage, no history and the public marking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import edits, reads
from db.document import Document
from db.errors import ScrutineerError
from db.public import PUBLIC_MARKING
from db.safety import check_file
from db.text import marker
from exports.exporting import export_file

# Words found nowhere else, so finding any of them in the copy can only mean a leak.
SECRET = "Operation Quillfeather targets Zanzibarite couriers at Vexholme depot"
WORDS = ["Quillfeather", "Zanzibarite", "Vexholme"]


@pytest.fixture
def public_source(sample_doc: Document) -> Document:
    """Return the sample plan with the secret marked exempt in several kinds of text."""
    action = reads.actions(sample_doc)[0]
    period = reads.periods(sample_doc)[-1]
    exempt = f"[exempt: s.31(1)(a)]{SECRET}[/exempt]"
    edits.set_update(
        sample_doc, action.id, period.id, text=f"Work marmaladeish continues. {exempt} More."
    )
    edits.edit(sample_doc, "actions", action.id, activity=f"Disrupt supply. {exempt}")
    edits.edit(sample_doc, "actions", action.id, extra={"Sponsor": f"DCC {exempt}"})
    edits.edit_plan(sample_doc, marking="OFFICIAL-SENSITIVE")
    measure = reads.measures(sample_doc)[0]
    edits.set_performance(sample_doc, measure.id, period.id, text=f"Down 3%. {exempt}")
    edits.lock_period(sample_doc, period.id)
    return sample_doc


def _leaks(path: Path) -> list[str]:
    found = []
    for candidate in (path, path.with_name(path.name + "-journal")):
        if candidate.exists():
            data = candidate.read_bytes()
            for word in [SECRET, *WORDS]:
                for form in (word, word.lower(), word.upper()):
                    if form.encode("utf-8") in data or form.encode("utf-16-le") in data:
                        found.append(f"{word} in {candidate.name}")
    return found


def test_public_copy_has_no_byte_of_an_exempt_passage(
    public_source: Document, tmp_path: Path
) -> None:
    assert _leaks(public_source.path), (
        "the source must hold the passage for the scan to mean anything"
    )
    out = tmp_path / "public.scrutiny"
    summary = export_file(public_source.path, out, public=True)
    assert "4 exempt passages" in summary and PUBLIC_MARKING in summary
    assert _leaks(out) == []
    assert check_file(out).ok
    with Document.open(out, read_only=True) as copy:
        action = reads.actions(copy)[0]
        period = reads.periods(copy)[-1]
        update = reads.update(copy, action.id, period.id)
        assert update.text == f"Work marmaladeish continues. {marker('s.31(1)(a)')} More."
        assert action.extra == {"Sponsor": f"DCC {marker('s.31(1)(a)')}"}
        assert reads.plan(copy).marking == PUBLIC_MARKING
        assert period.locked
        assert reads.history(copy) == []
        assert copy.conn.execute("SELECT count(*) FROM clashes").fetchone()[0] == 0
        # The search index was built from the redacted text only.
        assert [h.action_id for h in reads.search(copy, "marmaladeish")] == [action.id]
        assert reads.search(copy, "Quillfeather") == []
        # Everything else of the plan is there.
        assert len(reads.actions(copy)) == len(reads.actions(public_source))
        assert reads.plan(copy).id == reads.plan(public_source).id


def test_fts_vocabulary_of_the_copy_has_no_secret_word(
    public_source: Document, tmp_path: Path
) -> None:
    out = tmp_path / "public.scrutiny"
    export_file(public_source.path, out, public=True)
    conn = sqlite3.connect(out)
    try:
        terms = set()
        for table in ("actions_fts", "updates_fts"):
            conn.execute(f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab(main, {table}, row)")
            terms |= {r[0] for r in conn.execute(f"SELECT term FROM temp.v_{table}")}
    finally:
        conn.close()
    assert "marmaladeish" in terms
    assert not {w.lower() for w in WORDS} & terms


def test_unclosed_exempt_markup_stops_the_copy(sample_doc: Document, tmp_path: Path) -> None:
    action = reads.actions(sample_doc)[0]
    edits.edit(sample_doc, "actions", action.id, activity=f"[exempt: s.31(1)(a)]{SECRET}")
    out = tmp_path / "public.scrutiny"
    with pytest.raises(ScrutineerError, match="not closed"):
        export_file(sample_doc.path, out, public=True)
    assert not out.exists()
    assert not list(tmp_path.glob(".public.scrutiny.*"))


def test_public_copy_is_not_written_over_the_plan(sample_doc: Document) -> None:
    from exports.public_copy import write_public_copy

    before = sample_doc.path.read_bytes()
    with pytest.raises(ScrutineerError, match="over the plan itself"):
        write_public_copy(sample_doc, sample_doc.path)
    assert sample_doc.path.read_bytes() == before
