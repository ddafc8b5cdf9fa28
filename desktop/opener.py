"""Opening a plan file for the main window: check, upgrade, recovery, removable drives, locks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from db.errors import ReadOnlyError, ScrutineerError, UpgradeNeeded
from ui import messages, tasks

if TYPE_CHECKING:
    from db import recovery
    from db.document import Document
    from db.safety import CheckReport

FILTER = "Scrutineer plans (*.scrutiny);;All files (*)"
MAX_RECENT = 8
PAINT_WAIT_MS = 1000


class FileOpener:
    """The main window's part that finds, checks and opens a plan file (a mixin of MainWindow).

    It opens off the GUI thread once the window has painted, offers recovery, an upgrade
    or a local copy (removable drives) as the file needs, remembers recent files and each
    file's fingerprint at a clean close, and hands the opened ``Document`` to
    ``set_document``; it also releases the editing lock ``set_document`` takes.
    """

    def recent_files(self) -> list[str]:
        """Return the recently opened files, newest first, that still exist."""
        found = self.settings.value("recent", []) or []
        if isinstance(found, str):
            found = [found]
        return [f for f in found if Path(f).exists()]

    def _remember_file(self, path: Path) -> None:
        name = str(path.resolve())
        recent = [name] + [f for f in self.recent_files() if f != name]
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self.settings.setValue("last_file", name)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for number, name in enumerate(self.recent_files(), start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(name).name}")
            action.setStatusTip(name)
            action.triggered.connect(lambda _checked=False, name=name: self.open_file(Path(name)))

    def _folder(self) -> str:
        last = self.settings.value("last_file")
        if last:
            return str(Path(str(last)).parent)
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def _record_clean_close(self, path: Path) -> None:
        from db import safety

        try:
            self.settings.setValue(clean_close_key(path), safety.fingerprint(path))
        except OSError:
            self.settings.remove(clean_close_key(path))

    def _closed_cleanly(self, path: Path) -> Callable[[], bool]:
        """Return a test, for the worker to run, of whether ``path`` is as this window left it."""
        recorded = self.settings.value(clean_close_key(path))  # settings are read on this thread

        def test() -> bool:
            from db import safety

            try:
                return bool(recorded) and recorded == safety.fingerprint(path)
            except OSError:
                return False

        return test

    def choose_and_open(self) -> None:
        """Ask for a plan file and open it."""
        name = messages.open_path(self, "Open a plan", self._folder(), FILTER)
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path, *, read_only: bool = False, upgrade: bool = False) -> None:
        """Check ``path`` off the GUI thread, then open it, asking the person what to do if it is unsafe.

        The window stays responsive while a large file is checked; the plan appears when the
        check is done (``self.session`` is set then).
        """
        from desktop import removable

        path = Path(path)
        if not path.exists():
            messages.error(f"{path.name} cannot be found in {path.parent}.")
            return
        if self.opening is not None and self.opening.running:
            return
        if not read_only and removable.is_removable(path):
            choice = messages.choose(
                f"{path.name} is on a removable drive. Work on a copy on this computer, so pulling "
                "the drive out cannot damage the plan?",
                ["Save a local copy", "Open read-only", "Open on the drive", "Cancel"],
                "Save a local copy",
            )
            if choice in (None, "Cancel"):
                return
            if choice == "Save a local copy":
                self._open_as_local_copy(path)
                return
            read_only = choice == "Open read-only"
        self.statusBar().showMessage(f"Checking {path.name}…")
        # A full quick_check reads the whole file (half a second for 10,000 actions); it is
        # skipped only when the file is byte for byte as this installation closed it.
        closed_cleanly = self._closed_cleanly(path)

        def check() -> CheckReport:
            from db import safety  # in the worker: the window paints meanwhile

            return safety.check_file(path, integrity=not closed_cleanly())

        if self.session is None:
            # Not "Open a plan" while one is being opened; the hint returns if it is not.
            self._show_empty(f"Checking {path.name}…")

        def start_check() -> None:
            self.opening = tasks.run(
                self,
                f"Checking {path.name}…",
                check,
                lambda report: self._checked(path, report, read_only, upgrade),
            )
            if self.session is None:
                for signal in (self.opening.finished, self.opening.failed):
                    signal.connect(lambda _r: self.session is None and self._show_empty())
            # What shows the plan is imported while the worker checks: this thread would
            # only wait for it (~50 ms of a cleanly closed 10,000-action plan's start).
            from ui import plan_view, session  # noqa: F401

        # The check's worker would compete with the first paint for the interpreter.
        self._when_painted(start_check)

    def _when_painted(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the window has painted (at once if it has, or is not shown)."""
        if self._painted or not self.isVisible():
            then()
            return
        self._after_paint.append(then)
        if len(self._after_paint) == 1:
            QApplication.instance().installEventFilter(self)
            # Should no paint come (a minimised window), the work still starts.
            QTimer.singleShot(PAINT_WAIT_MS, self._run_after_paint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the window's first paint; the work waiting for it starts right after."""
        if (
            self._after_paint
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self
        ):
            self._painted = True
            QTimer.singleShot(0, self._run_after_paint)
        return False

    def _run_after_paint(self) -> None:
        QApplication.instance().removeEventFilter(self)
        waiting, self._after_paint = self._after_paint, []
        for then in waiting:
            then()

    def _checked(self, path: Path, report: CheckReport, read_only: bool, upgrade: bool) -> None:
        from db.document import Document

        self.statusBar().clearMessage()
        if report.unfinished:
            self._offer_recovery(path)
            return
        if not report.ok:
            problem = report.problems[0] if report.problems else "it is not a sound plan"
            messages.error(f"{path.name} was not opened: {_sentence(problem)}")
            return
        try:
            doc = Document.open(path, read_only=read_only, upgrade=upgrade, integrity=False)
        except UpgradeNeeded as exc:
            choice = messages.choose(
                f"{exc} Upgrade it now, keeping a backup of the old file beside it?",
                ["Upgrade", "Open read-only", "Cancel"],
                "Upgrade",
            )
            if choice == "Upgrade":
                self._checked(path, report, read_only, True)
            elif choice == "Open read-only":
                self._checked(path, report, True, False)
            return
        except ReadOnlyError as exc:
            choice = messages.choose(
                str(exc), ["Open read-only", "Save a copy…", "Cancel"], "Open read-only"
            )
            if choice == "Open read-only":
                self._checked(path, report, True, False)
            elif choice == "Save a copy…":
                self._open_as_local_copy(path)
            return
        except ScrutineerError as exc:
            messages.error(str(exc))
            return
        self.set_document(doc)

    def _offer_recovery(self, path: Path) -> None:
        """Ask what to do with a plan a crash left mid-change; it is never opened as it is."""
        from db import recovery

        choice = messages.choose(
            f"{path.name} holds an unfinished change: Scrutineer or the computer stopped while "
            "it was being saved. Recover it, keeping every finished edit and the file as it "
            "was in a folder beside it?",
            ["Recover", "Open read-only", "Cancel"],
            "Recover",
        )
        if choice == "Recover":
            self.opening = tasks.run(
                self,
                f"Recovering {path.name}…",
                lambda: recovery.recover(path),
                lambda done: self._recovered(path, done),
            )
        elif choice == "Open read-only":
            # Shown as it will be once recovered: a private copy, rolled back and checked.
            self.opening = tasks.run(
                self,
                f"Recovering {path.name}…",
                lambda: recovery.recovered_copy(path),
                self._open_recovered_copy,
            )

    def _recovered(self, path: Path, done: recovery.Recovered) -> None:
        messages.info(str(done))
        self.opening = None
        self.open_file(path)

    def _open_recovered_copy(self, copy: Path) -> None:
        from db.document import Document

        try:
            doc = Document.open(copy, read_only=True, integrity=False)
        except ScrutineerError as exc:
            messages.error(str(exc))
            return
        self.set_document(doc)

    def _open_as_local_copy(self, path: Path) -> None:
        from db.document import Document

        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = messages.save_path(
            self, "Save a local copy", str(Path(documents) / path.name), FILTER
        )
        if not name:
            return
        target = Path(name)
        try:
            with Document.open(path, read_only=True) as source:
                source.save_copy(target)
        except ScrutineerError as exc:
            messages.error(str(exc))
            return
        self.open_file(target)

    def _take_editing_lock(self, doc: Document) -> Document | None:
        """Take the editing lock of ``doc``; return it, or it reopened read-only when another has it.

        Returns None (having said why) when the read-only reopen fails.
        """
        from db.document import Document
        from desktop import plan_lock

        self._unlock()
        if doc.read_only:
            return doc
        self._lock = plan_lock.take(self.settings, doc.path)
        if self._lock is not None:
            return doc
        path = doc.path
        doc.close()
        try:
            doc = Document.open(path, read_only=True, integrity=False)
        except ScrutineerError as exc:
            messages.error(str(exc))
            return None
        messages.info(
            f"{path.name} is open for editing in another Scrutineer window, so it is "
            "open read-only here."
        )
        return doc

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def clean_close_key(path: Path) -> str:
    """Return the settings key under which a file's state at its last clean close is kept."""
    import hashlib

    digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:32]
    return f"closed_cleanly/{digest}"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].lower() + text[1:] if not text[:2].isupper() else text
    return text if text.endswith(".") else text + "."
