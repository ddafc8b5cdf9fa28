"""Writing the bundled sample plan, so a new user sees a real plan at once."""

from __future__ import annotations

from pathlib import Path

from db.build import create_plan
from db.document import Document
from db.sample_data import SAMPLE


def write_sample(path: str | Path, *, who: str | None = None) -> Document:
    """Write the sample plan (Theme 7, quarter 2 2017/18) to ``path`` and return it open."""
    return create_plan(path, SAMPLE, who=who or "Scrutineer sample", text="Create sample plan")
