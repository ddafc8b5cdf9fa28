"""The child process of the window figures: starts a window, says when it is idle, and stops.

``python -m bench.probe window`` shows the floor: a bare PySide6 main window holding a
5,000-row tree view. ``python -m bench.probe app FILE`` runs the real application
(``desktop.cli.main``, as the ``scrutineer FILE`` command does) with a fresh settings
folder. ``python -m bench.probe open FILE RUNS`` times opening FILE and showing its tree
in one process, RUNS times. In the first two the probe writes ``idle`` on stdout once the
main window shows the plan and has painted since, no pool thread is working and the
event loop has gone round twice with nothing to do; with ``--print PLAN`` it then prints
the whole of PLAN to PDF and Word in the same process before it stops. Both also write
``painted plan=no|yes`` at the first paint of the main window (with or without the plan
in it yet), after ``idle`` ``cpu SECONDS``, its processor time so far, and, last,
``peak BYTES``: the process's own peak memory.
``python -m bench.probe close FILE --settings DIR`` opens FILE like ``app`` and then closes
the window as a person does, so the next ``app`` run with the same settings opens a file
this installation closed cleanly (and skips its ``quick_check``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

# Modules that cost start-up time and are needed only to print.
PRINT_ONLY = ("reportlab", "docx")
POLL_MS = 1


class _PaintWatch(QObject):
    """Notes the first paint of any widget inside a main window."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            window = watched.window()
            self.painted = isinstance(window, QMainWindow)
        return False


class _FirstPaint(QObject):
    """Says ``painted plan=yes|no`` at the first paint of a main window, then stops watching."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and isinstance(watched.window(), QMainWindow)
        ):
            self.app.removeEventFilter(self)
            _say(f"painted plan={'yes' if _plan_shown() else 'no'}")
        return False


def own_peak() -> int | None:
    """Return this process's own peak resident memory in bytes (Linux), else None.

    Not ``ru_maxrss``: Linux carries that across ``exec`` from the process that started
    this one, so a bench that built a 375 MB plan first would read 375 MB here too.
    ``VmHWM`` belongs to this program's own memory map.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return None


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _when_idle(app: QApplication, then: Callable[[], None], ready: Callable[[], bool]) -> None:
    """Call ``then`` once ``ready()`` holds, a main window has painted since, and all is quiet."""
    watch = _PaintWatch()
    app.installEventFilter(watch)
    quiet = 0

    def tick() -> None:
        nonlocal quiet
        if not ready():
            # Only a paint after the plan is there counts.
            watch.painted = False
            quiet = 0
        else:
            shown = any(isinstance(w, QMainWindow) and w.isVisible() for w in app.topLevelWidgets())
            busy = QThreadPool.globalInstance().activeThreadCount() > 0
            quiet = quiet + 1 if shown and watch.painted and not busy else 0
        if quiet >= 2:
            app.removeEventFilter(watch)
            then()
        else:
            # Waiting, the loop sleeps a millisecond between looks: polling without pause
            # kept this thread busy and took the interpreter from the app's own worker.
            QTimer.singleShot(0 if quiet else POLL_MS, tick)

    QTimer.singleShot(0, tick)


def _plan_shown() -> bool:
    """Return True once the application's main window shows a plan."""
    return any(
        getattr(w, "session", None) is not None
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMainWindow)
    )


def _finish(print_file: Path | None) -> None:
    loaded = [m for m in PRINT_ONLY if m in sys.modules]
    _say(f"idle loaded={','.join(loaded) or '-'}")
    # Processor time to idle, this process's alone: steadier than the wall time on a busy machine.
    _say(f"cpu {time.process_time():.4f}")
    if print_file is not None:
        from db.document import Document
        from exports.appendix.layout import PrintOptions
        from exports.appendix.printing import read_for_print, render_docx, render_pdf

        doc = Document.open(print_file, read_only=True, integrity=False)
        try:
            # As the print preview reads it: the printed quarter's text only.
            data = read_for_print(doc, PrintOptions())
        finally:
            doc.close()
        started = time.perf_counter()
        pdf = render_pdf(data, PrintOptions())
        docx = render_docx(data, PrintOptions())
        _say(f"printed {len(pdf)} {len(docx)} {time.perf_counter() - started:.2f}")
    peak = own_peak()
    if peak is not None:
        _say(f"peak {peak}")
    # Leave at once: the parent has what it came for, and teardown is not part of any figure.
    os._exit(0)


def bare_window() -> int:
    """Show the floor: a main window with a 5,000-row, three-column tree, then stop when idle."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTreeView

    app = QApplication(sys.argv[:1])
    _first = _FirstPaint(app)
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Ref", "Activity", "Status"])
    for row in range(5_000):
        model.appendRow(
            [QStandardItem(f"A{row:04d}"), QStandardItem(f"Action {row}"), QStandardItem("Green")]
        )
    window = QMainWindow()
    tree = QTreeView()
    tree.setModel(model)
    window.setCentralWidget(tree)
    window.resize(1000, 700)
    window.show()
    _when_idle(app, lambda: _finish(None), lambda: True)
    return app.exec()


def _close_windows() -> None:
    """Close every main window as a person would (it records the clean close), then stop."""
    _say("idle closing")
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow):
            widget.close()
    os._exit(0)


def real_app(file: Path, settings: str, print_after: Path | None, close: bool = False) -> int:
    """Run ``scrutineer FILE`` in this process and stop once its window is idle."""
    # Made here, as the application would make it, so the first paint can be watched.
    app = QApplication(sys.argv[:1])
    _first = _FirstPaint(app)
    from desktop.cli import main

    original = QApplication.exec

    def exec_then_stop(*_args: object) -> int:
        app = QApplication.instance()
        then = _close_windows if close else lambda: _finish(print_after)
        _when_idle(app, then, _plan_shown)
        return original()

    QApplication.exec = exec_then_stop  # type: ignore[method-assign]
    return main([str(file), "--settings", settings, "--no-err-windows"])


def open_in_process(file: Path, runs: int, integrity: bool) -> int:
    """Time opening ``file`` and showing its tree (themes, lazily filled) ``runs`` times."""
    from PySide6.QtWidgets import QTreeView

    from db import reads
    from db.document import Document
    from ui.plan_model import PlanModel

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1000, 700)
    window.show()
    for _ in range(runs):
        watch = _PaintWatch()
        app.installEventFilter(watch)
        started = time.perf_counter()
        doc = Document.open(file, integrity=integrity)
        periods = reads.periods(doc)
        tree = QTreeView()
        tree.setModel(PlanModel(doc, periods[-1].id if periods else None, tree))
        window.setCentralWidget(tree)
        while not watch.painted:
            app.processEvents()
        elapsed = time.perf_counter() - started
        app.removeEventFilter(watch)
        _say(f"open {elapsed:.6f}")
        window.takeCentralWidget().deleteLater()
        doc.close()
        app.processEvents()
    return 0


def main(argv: list[str]) -> int:
    """Run the probe named by the first argument."""
    if argv[:1] == ["window"]:
        return bare_window()
    if argv[:1] in (["app"], ["close"]) and len(argv) >= 2:
        printed = argv[argv.index("--print") + 1] if "--print" in argv[:-1] else None
        settings = argv[argv.index("--settings") + 1] if "--settings" in argv[:-1] else ""
        return real_app(
            Path(argv[1]),
            settings or tempfile.mkdtemp(prefix="scrutineer-bench-"),
            Path(printed) if printed else None,
            close=argv[0] == "close",
        )
    if argv[:1] == ["open"] and len(argv) >= 3:
        return open_in_process(Path(argv[1]), int(argv[2]), "--no-check" not in argv)
    print(
        "usage: python -m bench.probe window | app|close FILE [--settings DIR] [--print PLAN] | open FILE RUNS",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
