"""The window offers Recover, Open read-only or Cancel for a plan a crash left mid-commit."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from db import reads
from tests.crashed import kill_mid_commit, plant_super_journal
from tests.desktop.gui import make_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _latest_text(doc) -> str:
    action = reads.actions(doc)[0]
    return reads.update(doc, action.id, reads.periods(doc)[-1].id).text


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def test_recover_keeps_every_finished_edit_and_opens_the_plan(qtbot, tmp_path, sample_path, told):
    kill_mid_commit(sample_path)
    told.answers = ["Recover"]
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)

    question = told.texts("question")[0]
    assert question.startswith("sample.scrutiny holds an unfinished change")
    backup = sample_path.with_name("sample before recovery")
    assert told.texts("info") == [
        "Recovered sample.scrutiny: the unfinished change was rolled back and every finished "
        f"edit is kept; the file as it was is kept in {backup}."
    ]
    doc = window.session.doc
    assert doc.path == sample_path and not doc.read_only
    assert _latest_text(doc) == "finished edit 3"
    assert not _journal(sample_path).exists()
    assert (backup / "sample.scrutiny-journal").exists()
    window.close()


def test_open_read_only_shows_the_recovered_plan_and_changes_nothing(
    qtbot, tmp_path, sample_path, told, monkeypatch
):
    # The recovered copy stays in the app's temporary area while it is shown.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    kill_mid_commit(sample_path)
    before = (sample_path.read_bytes(), _journal(sample_path).read_bytes())
    told.answers = ["Open read-only"]
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)

    doc = window.session.doc
    assert doc.read_only and doc.path.name == "sample.scrutiny"
    assert "[read-only]" in window.windowTitle()
    assert _latest_text(doc) == "finished edit 3"
    assert (sample_path.read_bytes(), _journal(sample_path).read_bytes()) == before
    assert doc.path.parent.parent == tmp_path / "scrutineer"
    window.close()


def test_cancel_leaves_the_plan_and_its_journal_alone(qtbot, tmp_path, sample_path, told):
    kill_mid_commit(sample_path)
    before = (sample_path.read_bytes(), _journal(sample_path).read_bytes())
    told.answers = ["Cancel"]
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: bool(told.texts("question")))
    assert window.session is None
    assert (sample_path.read_bytes(), _journal(sample_path).read_bytes()) == before
    window.close()


def test_a_journal_naming_a_super_journal_is_refused_from_the_window(
    qtbot, tmp_path, sample_path, told
):
    victim = plant_super_journal(sample_path)
    before = (sample_path.read_bytes(), _journal(sample_path).read_bytes())
    window = make_window(qtbot, tmp_path / "settings")
    for answer in ("Recover", "Open read-only"):
        told.answers = [answer]
        seen = len(told.texts("error"))
        window.open_file(sample_path)
        qtbot.waitUntil(lambda seen=seen: len(told.texts("error")) > seen)
        assert "names another file as its super-journal" in told.texts("error")[-1]
        assert window.session is None
        assert victim.read_text() == "the panel's minutes"
        assert (sample_path.read_bytes(), _journal(sample_path).read_bytes()) == before
    window.close()
