"""The layers: db and exports never import Qt, and imports only point down the list."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["desktop", "ui", "exports", "db"]


def _modules(package: str) -> list[str]:
    return [
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted((ROOT / package).rglob("*.py"))
    ]


@pytest.mark.parametrize("package", ["db", "exports"])
def test_core_imports_no_qt_in_a_fresh_interpreter(package: str) -> None:
    modules = _modules(package)
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("package", ORDER)
def test_imports_point_down_the_layers(package: str) -> None:
    allowed = set(ORDER[ORDER.index(package) :])
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in ORDER:
                    assert top in allowed, f"{path.relative_to(ROOT)} imports {name}"
                if package in ("db", "exports"):
                    assert top not in ("PySide6", "shiboken6"), f"{path} imports Qt"
