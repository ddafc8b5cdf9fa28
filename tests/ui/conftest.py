"""Fixtures for the ui tests: a plan with empty themes, and messages recorded instead of shown."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def ui_empty_path(tmp_path: Path) -> Path:
    """Return a plan with two themes, one of them without actions or measures."""
    from db.build import create_plan

    data = {
        "plan": {"title": "Empty-ish plan"},
        "statuses": [{"code": "G", "label": "Green", "colour": "#00B050"}],
        "periods": [{"label": "Q1 2024/25"}],
        "themes": [
            {"number": "1", "title": "Nothing here yet"},
            {
                "number": "2",
                "title": "One action",
                "actions": [{"ref": "2A", "activity": "Do one thing.", "status": "G"}],
            },
            {"number": "3", "title": "Also empty"},
        ],
    }
    path = tmp_path / "empty.scrutiny"
    create_plan(path, data).close()
    return path


@pytest.fixture
def ui_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record every message instead of showing it; questions answer with their default."""
    from ui import messages

    told: list[tuple[str, str]] = []

    def present(kind, text, choices, default):
        told.append((kind, text))
        return default

    monkeypatch.setattr(messages, "presenter", present)
    return told
