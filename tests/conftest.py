"""Shared fixtures: sample plans in temporary folders, and Qt tests marked and kept offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt must never look for a screen in the test run, whatever the caller's environment says.
os.environ["QT_QPA_PLATFORM"] = "offscreen"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Qt widgets as ``gui``, so ``-m "not gui"`` runs headless."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    """Return the path of a fresh copy of the sample plan."""
    from db.sample import write_sample

    path = tmp_path / "sample.scrutiny"
    write_sample(path).close()
    return path


@pytest.fixture
def sample_doc(sample_path: Path):
    """Return the sample plan, open for editing; closed after the test."""
    from db.document import Document

    doc = Document.open(sample_path, who="Tester")
    yield doc
    doc.close()
