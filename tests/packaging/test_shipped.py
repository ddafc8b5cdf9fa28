"""The shipped packages hold the application only: developer tools live outside them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_screenshot_tool_is_a_script_not_part_of_the_application():
    assert importlib.util.find_spec("desktop.screenshot") is None
    assert (ROOT / "scripts" / "screenshot.py").is_file()
