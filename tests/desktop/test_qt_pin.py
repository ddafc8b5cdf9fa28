"""The pinned PySide6 works with this Python: 100,000 calls that return None do not crash.

PySide6 6.12.0 on CPython 3.11 drops a reference to None on every such call and aborts
("Fatal Python error: none_dealloc"); run in a child process so a bad pair fails loudly
here instead of killing the whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 100_000

CODE = f"""
import sys
from PySide6.QtCore import QObject, QPoint
obj = QObject()
point = QPoint()
before = sys.getrefcount(None)
for i in range({CALLS}):
    obj.setObjectName("x")      # returns None
    point.setX(i)               # returns None
print("ok", sys.getrefcount(None) - before)
"""


def test_hundred_thousand_none_returning_calls() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    word, drift = result.stdout.split()
    assert word == "ok"
    # A leak or a drop of None's reference count on each call would show up as ±CALLS.
    assert abs(int(drift)) < CALLS // 10
