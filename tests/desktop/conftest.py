"""Fixtures for the window tests: the main window on the sample plan, and what it said."""

from __future__ import annotations

import pytest

from tests.desktop.gui import Told, make_window


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> Told:
    from desktop import removable
    from ui import messages

    record = Told()

    def present(kind, text, choices, default):
        record.messages.append((kind, text))
        if kind == "question" and record.answers:
            return record.answers.pop(0)
        return default

    monkeypatch.setattr(messages, "presenter", present)
    monkeypatch.setattr(messages, "no_windows", False)
    monkeypatch.setattr(
        messages, "save_path", lambda *a: record.save_paths.pop(0) if record.save_paths else None
    )
    monkeypatch.setattr(messages, "open_path", lambda *a: None)
    monkeypatch.setattr(messages, "open_paths", lambda *a: [])
    monkeypatch.setattr(
        messages, "folder_path", lambda *a: record.folders.pop(0) if record.folders else None
    )
    monkeypatch.setattr(
        messages, "pick_item", lambda *a: record.picks.pop(0) if record.picks else None
    )
    monkeypatch.setattr(removable, "is_removable", lambda path: False)
    return record


@pytest.fixture
def window(qtbot, sample_path, tmp_path, told):
    window = make_window(qtbot, tmp_path / "settings", sample_path)
    yield window
    window.close()
