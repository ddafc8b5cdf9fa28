"""Plans left as a crash leaves them: killed mid-commit, and journals that arrived beside a file."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
ROOT = Path(__file__).resolve().parents[1]

# Commits three edits, then starts a large change with a tiny page cache, so SQLite spills
# changed pages into the plan itself before COMMIT; says so, and waits to be killed.
_EDITOR = textwrap.dedent(
    """
    import sys, time
    from db import edits, reads
    from db.document import Document

    doc = Document.open(sys.argv[1], who="Editor")
    action = reads.actions(doc)[0]
    period = reads.periods(doc)[-1]
    for n in range(1, 4):
        edits.set_update(doc, action.id, period.id, text=f"finished edit {n}")
    print("committed", flush=True)
    sys.stdin.readline()
    doc.conn.execute("PRAGMA cache_size = 8")
    doc.conn.execute("BEGIN IMMEDIATE")
    doc.conn.execute("UPDATE updates SET text = 'never finished'")
    for n in range(3000):
        doc.conn.execute(
            "INSERT INTO history (at, who, table_name, record_id, field, old, new) "
            "VALUES ('now', 'Editor', 'updates', ?, 'text', '', ?)",
            (str(n), "words " * 200),
        )
    print("spilled", flush=True)
    time.sleep(600)
    """
)


def kill_mid_commit(path: Path) -> bytes:
    """Leave ``path`` killed during a large commit; return its bytes after the finished edits.

    On return the plan holds pages of the unfinished change and its ``-journal`` is hot.
    """
    process = subprocess.Popen(
        [sys.executable, "-c", _EDITOR, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert process.stdout.readline().strip() == "committed"
        finished = path.read_bytes()
        process.stdin.write("go\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "spilled"
        journal = path.with_name(path.name + "-journal")
        assert journal.stat().st_size > 0
        assert path.read_bytes() != finished, "no page was spilled into the plan before COMMIT"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdin.close()
        process.stdout.close()
    return finished


def journal_naming(victim: Path, plan: Path) -> bytes:
    """Return a rollback journal for ``plan`` that names ``victim`` as its super-journal.

    SQLite, playing it back, deletes ``victim`` (pager.c, pager_delsuper): a test proves it.
    """
    raw = plan.read_bytes()[:100]
    page_size = int.from_bytes(raw[16:18], "big")
    pages = int.from_bytes(raw[28:32], "big")
    header = (JOURNAL_MAGIC + struct.pack(">IIIII", 0, 0, pages, 512, page_size)).ljust(512, b"\0")
    name = str(victim).encode()
    lock_page = 0x40000000 // page_size + 1
    return (
        header
        + struct.pack(">I", lock_page)
        + name
        + struct.pack(">II", len(name), sum(name) & 0xFFFFFFFF)
        + JOURNAL_MAGIC
    )


def plant_super_journal(plan: Path) -> Path:
    """Put a journal naming a victim beside ``plan``; return the victim (which exists)."""
    victim = plan.with_name("minutes.docx")
    victim.write_text("the panel's minutes")
    plan.with_name(plan.name + "-journal").write_bytes(journal_naming(victim, plan))
    return victim
