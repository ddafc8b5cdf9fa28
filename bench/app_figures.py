"""Figures 1, 2 and 6 measured on real processes: cold start, open with the tree, memory."""

from __future__ import annotations

import compileall
import functools
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench import report
from bench.db_figures import TREE_FLOOR, tree_floor
from bench.report import Row, compared, verdict
from bench.stats import Sample, ratio, seconds, spread, timed

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300
MEMORY_GOAL = 150e6  # bytes: the "150 MB"
PACKAGES = ("bench", "db", "desktop", "exports", "ui")


@dataclass(frozen=True)
class Launch:
    """What one probe process reported: time to idle, its peak memory and its other lines.

    ``painted`` is the time to the main window's first paint (None when it never said);
    ``cpu`` the probe's processor time when it became idle (None when it never said).
    """

    seconds: float
    peak_rss: int
    lines: tuple[str, ...]
    painted: float | None = None
    cpu: float | None = None


@functools.cache
def compile_sources() -> None:
    """Compile the application's modules to bytecode once, as installing it does.

    pip compiles a package as it installs it, so ``scrutineer`` never compiles its sources
    as it starts; a checkout run with ``PYTHONDONTWRITEBYTECODE`` (or never run before)
    would compile them in every measured start, ~0.1 s of processor time the bare window
    does not pay.
    """
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)


def _env() -> dict[str, str]:
    compile_sources()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def launch(*args: str, idle: bool = True) -> Launch:
    """Start ``python -m bench.probe ARGS``; time process start to its ``idle`` line.

    With ``idle`` False the probe reports its own timings and runs to its end.

    The peak resident memory is the one the probe reads of its own memory map
    (``VmHWM``) as it stops; the kernel's account of the finished child (``wait4``) is
    only the fallback, because Linux carries ``ru_maxrss`` across ``exec`` from this
    process, so after building a large plan every child read this process's peak.
    """
    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-") as settings:
        return _launch([*args, "--settings", settings], idle)


def reopen(path: Path) -> Launch:
    """Open and close ``path`` in the app, then time starting it again on the same settings."""
    with tempfile.TemporaryDirectory(prefix="scrutineer-bench-") as settings:
        _launch(["close", str(path), "--settings", settings], True)
        return _launch(["app", str(path), "--settings", settings], True)


def _launch(args: list[str], idle: bool) -> Launch:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.probe", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    watchdog = threading.Timer(TIMEOUT, proc.kill)
    watchdog.start()
    idle_at = painted_at = None
    lines = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if idle_at is None and line.startswith("idle"):
                idle_at = time.perf_counter()
            if painted_at is None and line.startswith("painted"):
                painted_at = time.perf_counter()
            lines.append(line.strip())
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors = proc.stderr.read() if proc.stderr else ""
    finally:
        watchdog.cancel()
    if proc.returncode or (idle and idle_at is None):
        last = (errors.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(
            f"probe {' '.join(args)} never became idle (exit {proc.returncode}): {last}"
        )
    own = [int(x.split()[1]) for x in lines if x.startswith("peak ")]
    cpu = [float(x.split()[1]) for x in lines if x.startswith("cpu ")]
    return Launch(
        (idle_at or time.perf_counter()) - started,
        own[-1] if own else usage.ru_maxrss * 1024,
        tuple(lines),
        painted_at - started if painted_at is not None else None,
        cpu[0] if cpu else None,
    )


def _cpu_note(launches: list[Launch], peer: list[Launch]) -> str:
    """Say the median processor time to idle beside the bare window's, or nothing."""
    own = [r.cpu for r in launches if r.cpu is not None]
    floor = [r.cpu for r in peer if r.cpu is not None]
    if not own or not floor:
        return ""
    mine, bare = Sample(tuple(own)).median, Sample(tuple(floor)).median
    return f"processor time {seconds(mine)}, bare window {seconds(bare)} ({ratio(mine / bare)})"


# Issue 21: the window paints within 1.2× a bare window's time and shows the plan within 2×.
PLAN_SHOWN_GOAL = 2.0


def _first_paint(app: list[Launch], peer_time: Sample, peer_text: str) -> Row:
    """Process start to the main window's first paint, beside the bare window's time to idle."""
    painted = [r for r in app if r.painted is not None]
    if not painted:
        return report.missing("1. Cold start", "first paint", "the probe never said it painted")
    sample = Sample(tuple(r.painted for r in painted if r.painted is not None))
    empty = sum(1 for r in painted if "painted plan=no" in r.lines)
    slower = sample.median / peer_time.median
    return Row(
        "1. Cold start",
        "`scrutineer FILE`, 10,000 actions, process start to the window's first paint",
        seconds(sample.median),
        spread(sample),
        peer_text,
        ratio(slower),
        "≤ 1.2×",
        verdict(slower <= 1.2),
        f"the plan was not in it yet in {empty} of {len(painted)} runs",
    )


def _mb(value: float) -> str:
    return f"{value / 1e6:.0f} MB"


def start_and_memory(
    path: Path, runs: int, *, start: bool, memory: bool, printed: Path | None = None
) -> list[Row]:
    """Figures 1 and 6: the app's cold start with the largest plan beside a bare window."""
    peer: list[Launch] = []
    app: list[Launch] = []
    again: list[Launch] = []
    # Interleaved, so a slow spell of the machine falls on both alike.
    for _ in range(runs):
        peer.append(launch("window"))
        app.append(launch("app", str(path)))
        if start:
            again.append(reopen(path))
    peer_time = Sample(tuple(r.seconds for r in peer))
    peer_rss = Sample(tuple(r.peak_rss for r in peer))
    rows: list[Row] = []
    if start:
        peer_text = f"bare window, 5,000-row tree {seconds(peer_time.median)}"
        rows.append(_first_paint(app, peer_time, peer_text))
        loaded = {line.split("=", 1)[1] for r in app for line in r.lines if line.startswith("idle")}
        for launches, what, note in (
            (
                app,
                "`scrutineer FILE`, 10,000 actions, process start to the plan shown and the "
                "window idle: a first open, the file checked in full (issue 20)",
                "print libraries loaded at start: " + ", ".join(sorted(loaded)),
            ),
            (
                again,
                "the same, a file this installation closed cleanly (quick_check skipped)",
                "what a person sees every day after the first open",
            ),
        ):
            sample = Sample(tuple(r.seconds for r in launches))
            slower = sample.median / peer_time.median
            note = "; ".join(filter(None, [note, _cpu_note(launches, peer)]))
            rows.append(
                Row(
                    "1. Cold start",
                    what,
                    seconds(sample.median),
                    spread(sample),
                    peer_text,
                    ratio(slower),
                    "plan shown ≤ 2×",
                    verdict(slower <= PLAN_SHOWN_GOAL),
                    note,
                )
            )
    if memory:
        app_rss = Sample(tuple(r.peak_rss for r in app))
        rows.append(
            Row(
                "6. Memory",
                "peak RSS, app idle with 10,000 actions",
                _mb(app_rss.median),
                spread(app_rss, _mb),
                f"bare window {_mb(peer_rss.median)}",
                ratio(app_rss.median / peer_rss.median),
                "< 150 MB",
                verdict(app_rss.median < MEMORY_GOAL),
            )
        )
        printed_plan = printed or path
        after = launch("app", str(path), "--print", str(printed_plan))
        line = next((x for x in after.lines if x.startswith("printed")), "")
        parts = line.split()
        note = (
            f"PDF {int(parts[1]) / 1e6:.0f} MB and Word {int(parts[2]) / 1e6:.0f} MB "
            f"in {parts[3]} s"
            if len(parts) == 4
            else ""
        )
        rows.append(
            Row(
                "6. Memory",
                f"peak RSS, app with 10,000 actions open after printing {printed_plan.name} "
                "whole (PDF and Word)",
                _mb(after.peak_rss),
                "one run",
                f"bare window {_mb(peer_rss.median)}",
                ratio(after.peak_rss / peer_rss.median),
                "< 150 MB",
                verdict(after.peak_rss < MEMORY_GOAL),
                note,
            )
        )
    return rows


def _import_time(module: str) -> float:
    """Return the seconds a fresh interpreter takes to import ``module``."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        check=True,
        timeout=TIMEOUT,
    )
    return float(found.stdout.split()[-1])


def import_figure(runs: int) -> list[Row]:
    """Part of figure 1: importing the main window's module beside importing Qt's widgets."""
    pairs = [
        (_import_time("PySide6.QtWidgets"), _import_time("desktop.main_window"))
        for _ in range(runs)
    ]
    floor = Sample(tuple(p[0] for p in pairs))
    sample = Sample(tuple(p[1] for p in pairs))
    return [
        Row(
            "1. Cold start",
            "part of it: `import desktop.main_window` in a fresh interpreter",
            seconds(sample.median),
            spread(sample),
            f"`import PySide6.QtWidgets` {seconds(floor.median)}",
            ratio(sample.median / floor.median),
            "",
            "—",
            "what start-up pays before any window exists",
        )
    ]


def open_figure(path: Path, runs: int) -> list[Row]:
    """Figure 2: open the largest plan and show its tree in one process, with and without check."""
    floor = timed(lambda: tree_floor(path), runs)
    rows = []
    for flag, what in (("", "with quick_check"), ("--no-check", "quick_check skipped")):
        result = launch("open", str(path), str(runs + 1), *filter(None, [flag]), idle=False)
        # The first round pays for imports and cold caches once per process; it is left out.
        times = [float(x.split()[1]) for x in result.lines if x.startswith("open ")][1:]
        rows.append(
            compared(
                "2. Open",
                f"10,000 actions opened, checked and tree shown in process, {what}",
                Sample(tuple(times)),
                floor,
                TREE_FLOOR,
                "< 150 ms",
                0.15,
            )
        )
    return rows
