"""The results table: one row per measured figure, and the machine it was measured on."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import sqlite3
import subprocess
import sys
from dataclasses import dataclass

from bench.stats import Sample, ratio, seconds, spread

PASS, MISS, NOT_AVAILABLE, INFO = "pass", "**miss**", "not available", "—"


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    figure: str
    what: str
    median: str
    spread: str = ""
    peer: str = ""
    ratio: str = ""
    goal: str = ""
    verdict: str = INFO
    note: str = ""


def missing(figure: str, what: str, reason: str) -> Row:
    """Return the row of a figure that cannot be measured yet, saying why."""
    return Row(figure, what, "—", verdict=NOT_AVAILABLE, note=reason)


def verdict(ok: bool) -> str:
    """Return pass or miss."""
    return PASS if ok else MISS


def compared(
    figure: str, what: str, sample: Sample, floor: Sample, floor_text: str, goal: str, limit: float
) -> Row:
    """Return the row of a time beside its floor; it passes when its median is under ``limit`` s.

    ``floor_text`` names the floor; its median is written after it.
    """
    return Row(
        figure,
        what,
        seconds(sample.median),
        spread(sample),
        f"{floor_text} {seconds(floor.median)}",
        ratio(sample.median / floor.median),
        goal,
        verdict(sample.median < limit),
    )


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _soffice_version() -> str:
    try:
        found = subprocess.run(
            ["soffice", "--headless", "--version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return found.stdout.strip().splitlines()[0] if found.stdout.strip() else "not installed"


def machine() -> list[tuple[str, str]]:
    """Return what the figures were measured on, as (what, which) pairs."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return [
        ("Date (UTC)", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")),
        ("CPU", f"{_cpu()}, {os.cpu_count()} cores, {memory / 2**30:.0f} GiB"),
        ("OS", platform.platform()),
        ("Python", sys.version.split()[0]),
        ("PySide6", _version("PySide6-Essentials")),
        ("SQLite", sqlite3.sqlite_version),
        ("reportlab", _version("reportlab")),
        ("python-docx", _version("python-docx")),
        ("LibreOffice", _soffice_version()),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[Row], about: list[tuple[str, str]], notes: list[str]) -> str:
    """Return the results page: the machine, the table of figures and the run's notes."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench.run`); docs/benchmarks.md says what each "
        "figure measures. Median and range (min – max) over the runs shown; each figure beside "
        "a floor or peer measured in the same run.",
        "",
        "| Machine | |",
        "| --- | --- |",
        *(f"| {_cell(k)} | {_cell(v)} |" for k, v in about),
        "",
        "| Figure | What | Median | Range | Floor or peer | Ratio | Goal | Verdict | Note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        cells = (r.figure, r.what, r.median, r.spread, r.peer, r.ratio, r.goal, r.verdict, r.note)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if notes:
        lines += ["", "## Notes from this run", "", *(f"- {n}" for n in notes)]
    return "\n".join(lines) + "\n"
