"""One helper for slow work off the GUI thread: result back by signal, busy cursor, progress, cancel."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from db.errors import ScrutineerError

BUSY_AFTER_MS = 300
PROGRESS_AFTER_MS = 600


class Cancelled(Exception):
    """The person cancelled the work; raised inside it by :meth:`Cancel.check`."""


class Cancel:
    """A flag the progress window's Cancel button raises and the work checks.

    The work calls :meth:`check` at the points where stopping is safe, and always just
    before it writes anything, so a cancelled task leaves no file and no change behind.
    """

    def __init__(self) -> None:
        self._asked = threading.Event()
        self._say: Callable[[str, int, int], None] | None = None

    def say(self, text: str, done: int = 0, total: int = 0) -> None:
        """Show ``text`` in the progress window ("Writing KD's sheet, 3 of 12…"); any thread.

        With a ``total``, the bar shows ``done`` of it filled instead of only being busy.
        """
        if self._say is not None:
            self._say(text, done, total)

    def request(self) -> None:
        """Ask the work to stop at its next check (called on the GUI thread)."""
        self._asked.set()

    @property
    def requested(self) -> bool:
        """Return whether the person has cancelled."""
        return self._asked.is_set()

    def check(self) -> None:
        """Stop the work here if the person has cancelled (called in the worker)."""
        if self._asked.is_set():
            raise Cancelled()


class _Relay(QObject):
    """Carries a worker's outcome back to the GUI thread."""

    done = Signal(object)
    failed = Signal(object)
    said = Signal(str, int, int)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work: Callable[[], Any] | None = work
        self.relay = relay

    def run(self) -> None:
        work, self.work = self.work, None  # PySide keeps a started runnable: let go of the work
        try:
            result = work()  # type: ignore[misc]
        except BaseException as exc:  # one failure path: the GUI thread decides what to show
            exc.__scrutineer_trace__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)
        finally:
            del work


class Task(QObject):
    """Runs ``work`` in the thread pool; ``finished(result)`` or ``failed(exc)`` on the GUI thread.

    The work must not touch widgets or the GUI thread's SQLite connection: it opens what it
    needs itself (a read-only Document, for instance).
    """

    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        label: str,
        work: Callable[[], Any],
        quiet: bool = False,
        cancel: Cancel | None = None,
    ) -> None:
        super().__init__(parent)
        self.label = label
        # With a Cancel, the progress window has a Cancel button (and Escape) that raises it.
        self.cancel = cancel
        self.running = False
        # A quiet task shows neither cursor nor progress: its window says what is happening
        # and stays usable meanwhile (the print preview, whose choices can change mid-render).
        self.quiet = quiet
        self._work: Callable[[], Any] | None = work
        self._parent = parent
        self._busy = False
        self._progress: QProgressDialog | None = None
        self._done = self._total = 0  # how far the work has said it is; no total: just busy
        self._relay = _Relay()
        self._relay.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._relay.said.connect(self._on_said, Qt.ConnectionType.QueuedConnection)
        if cancel is not None:
            cancel._say = self._relay.said.emit
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_AFTER_MS)
        self._progress_timer.timeout.connect(self._show_progress)

    def start(self) -> Task:
        """Start the work; returns self so callers can connect and keep a reference."""
        self.running = True
        if not self.quiet:
            self._busy_timer.start()
            self._progress_timer.start()
        work, self._work = self._work, None  # the job holds it until it has run
        QThreadPool.globalInstance().start(_Job(work, self._relay))
        return self

    def _show_busy(self) -> None:
        if self.running and not self._busy:
            self._busy = True
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def _show_progress(self) -> None:
        if not self.running:
            return
        # Busy until the work says how far it is (a dozen files: 3 of 12), filled after.
        self._progress = QProgressDialog(self.label, "", 0, self._total, self._parent)
        self._progress.setValue(self._done)
        if self.cancel is None:
            self._progress.setCancelButton(None)
        else:
            self._progress.setCancelButtonText("Cancel")
            self._progress.canceled.connect(self._cancel)
        self._progress.setWindowTitle("Scrutineer")
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._progress.show()

    def _on_said(self, text: str, done: int, total: int) -> None:
        self.label, self._done, self._total = text, done, total
        if self._progress is not None:
            self._progress.setLabelText(text)
            self._progress.setRange(0, total)
            self._progress.setValue(done)

    def _cancel(self) -> None:
        if self.cancel is not None and self.running:
            self.cancel.request()
            # The work stops at its next check; until then the pointer says it is busy.
            self._show_busy()

    def _stop(self) -> None:
        self.running = False
        self._busy_timer.stop()
        self._progress_timer.stop()
        if self._busy:
            QApplication.restoreOverrideCursor()
            self._busy = False
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _on_done(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._stop()
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
            return
        self.failed.emit(exc)


def run(
    parent: QWidget | None,
    label: str,
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    quiet: bool = False,
    cancel: Cancel | None = None,
    on_cancel: Callable[[], None] | None = None,
) -> Task:
    """Run ``work`` off the GUI thread and call ``on_done(result)`` back on it.

    A ScrutineerError is shown as its sentence unless ``on_error`` takes it; anything else
    is a bug and is raised again on the GUI thread, where the crash handler sees it. A
    ``quiet`` task shows no busy cursor or progress window (its caller shows its own state).
    With ``cancel``, the progress window offers Cancel; the work stops at its next
    ``cancel.check()`` and ``on_cancel`` is called instead of ``on_done``.
    """
    task = Task(parent, label, work, quiet, cancel)
    if on_cancel is not None:
        task.cancelled.connect(on_cancel)

    def failed(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
            return
        if isinstance(exc, ScrutineerError):
            from ui import messages

            messages.error(str(exc))
            return
        raise exc

    task.finished.connect(on_done)
    task.failed.connect(failed)
    return task.start()
