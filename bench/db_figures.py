"""Figures 2–4 measured on the document layer alone: open, search and a durable edit."""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from pathlib import Path

from bench.generate import COMMON_WORD, RARE_WORD
from bench.report import Row, compared, verdict
from bench.stats import Sample, ratio, seconds, spread, timed
from db import edits, reads
from db.document import Document
from db.safety import harden


def tree_floor(path: Path) -> None:
    """Do the least any program must do to list the plan: connect and read every action's row."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        period = conn.execute("SELECT id FROM periods ORDER BY position DESC LIMIT 1").fetchone()[0]
        conn.execute(
            "SELECT a.ref, a.activity, u.status_id FROM actions a "
            "LEFT JOIN updates u ON u.action_id = a.id AND u.period_id = ?",
            (period,),
        ).fetchall()
    finally:
        conn.close()


# The floor of both open figures (this one and ``app_figures.open_figure``).
TREE_FLOOR = "raw SQLite read of every action row"


def open_figure(path: Path, runs: int) -> list[Row]:
    """Figure 2 (document part): open the largest plan with and without ``quick_check``."""
    floor = timed(lambda: tree_floor(path), runs)
    return [
        compared(
            "2. Open (db)",
            what,
            timed(lambda i=integrity: Document.open(path, integrity=i).close(), runs),
            floor,
            TREE_FLOOR,
            "< 150 ms with the tree (figure 2)",
            0.15,
        )
        for integrity, what in (
            (True, "Document.open with quick_check"),
            (False, "Document.open, quick_check skipped"),
        )
    ]


def search_figure(path: Path, runs: int) -> list[Row]:
    """Figure 3: first results of ``db.reads.search`` for a rare word and a word in every update."""
    rows = []
    doc = Document.open(path, read_only=True, integrity=False)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    harden(conn)
    try:
        for word, what in (
            (RARE_WORD, f"rare word “{RARE_WORD}”"),
            (COMMON_WORD, f"word in every update “{COMMON_WORD}”"),
        ):
            hits = len(reads.search(doc, word))
            sample = timed(lambda w=word: reads.search(doc, w), runs)
            floor = timed(
                lambda w=word: conn.execute(
                    "SELECT rowid FROM updates_fts WHERE updates_fts MATCH ? LIMIT 50", (f'"{w}"',)
                ).fetchall(),
                runs,
            )
            rows.append(
                compared(
                    "3. Search",
                    f"{what}, first {hits} hits",
                    sample,
                    floor,
                    "bare FTS5 query, 50 rowids",
                    "< 50 ms",
                    0.05,
                )
            )
    finally:
        conn.close()
        doc.close()
    return rows


class _DurableFloor:
    """A bare durable commit (journal DELETE, synchronous FULL) of one small row, on one disk."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = DELETE")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        self.conn.execute("INSERT INTO t VALUES (1, '')")
        self.path = path

    def commit(self, i: int) -> float:
        """Commit one change of one row and return the seconds it took."""
        started = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE t SET v = ? WHERE id = 1", (f"bench {i}",))
        self.conn.execute("COMMIT")
        return time.perf_counter() - started

    def close(self) -> None:
        """Close and remove the file."""
        self.conn.close()
        self.path.unlink(missing_ok=True)


def edit_figure(path: Path, scratch: Path, runs: int) -> list[Row]:
    """Figure 4: one update's text edited through ``db.edits.set_update`` and committed."""
    scratch.parent.mkdir(parents=True, exist_ok=True)
    scratch.unlink(missing_ok=True)
    shutil.copyfile(path, scratch)
    bare = _DurableFloor(scratch.with_name("durable-floor.sqlite"))
    floor_values = []
    try:
        rng = random.Random(4)
        doc = Document.open(scratch, who="Bench", integrity=False)
        try:
            period = reads.periods(doc)[-1].id
            action_ids = [a.id for a in reads.actions(doc)]
            texts = {k: u.text for k, u in reads.updates(doc, period).items()}
            values = []
            for i in range(runs):
                action_id = rng.choice(action_ids)
                text = f"{texts.get(action_id, '')} Edit {i}."
                # Alternated with the bare commit, so both meet the same moods of the disk.
                floor_values.append(bare.commit(i))
                started = time.perf_counter()
                edits.set_update(doc, action_id, period, text=text)
                values.append(time.perf_counter() - started)
                texts[action_id] = text
        finally:
            doc.close()
    finally:
        bare.close()
        scratch.unlink(missing_ok=True)
    floor = Sample(tuple(floor_values))
    sample = Sample(tuple(values))
    p99 = sample.percentile(99)
    floor_text = (
        f"bare durable commit {seconds(floor.median)} (p99 {seconds(floor.percentile(99))})"
    )
    return [
        Row(
            "4. Edit",
            f"set_update, median of {runs}",
            seconds(sample.median),
            spread(sample),
            floor_text,
            ratio(sample.median / floor.median),
            "< 2 ms",
            verdict(sample.median < 0.002),
        ),
        Row(
            "4. Edit",
            f"set_update, 99th percentile of {runs}",
            seconds(p99),
            "",
            floor_text,
            ratio(p99 / floor.percentile(99)),
            "< 10 ms",
            verdict(p99 < 0.010),
        ),
    ]
