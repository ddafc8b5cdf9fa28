"""A process killed in the middle of editing loses no committed edit and leaves a sound file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from db import reads, recovery
from db.document import Document
from db.safety import check_file

EDITOR = textwrap.dedent(
    """
    import sys
    from db import edits, reads
    from db.document import Document

    doc = Document.open(sys.argv[1], who="Editor")
    action = reads.actions(doc)[0]
    period = reads.periods(doc)[-1]
    n = 0
    while True:
        n += 1
        edits.set_update(doc, action.id, period.id, text=f"edit {n} " + "words " * 2000)
        print(n, flush=True)
    """
)


def test_kill_during_edits_keeps_every_committed_edit(sample_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(sample_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    committed = 0
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while committed < 25 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            committed = int(line)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert committed >= 25
    # The killed process may leave a hot journal; no open plays it, recovery does (and
    # does nothing when there is none).
    recovery.recover(sample_path)
    with Document.open(sample_path) as doc:
        action = reads.actions(doc)[0]
        text = reads.update(doc, action.id, reads.periods(doc)[-1].id).text
    number = int(text.split()[1])
    assert number >= committed  # every edit it reported as committed is on disk
    assert check_file(sample_path).ok
