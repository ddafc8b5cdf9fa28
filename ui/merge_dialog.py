"""The merge dialog: merges a lead's return into the plan and shows what came in and what clashed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clashes, merge, merge_core
from db.document import Document
from db.errors import ScrutineerError
from exports.returns import merge_into
from ui import tasks
from ui.clash_dialog import ClashDialog
from ui.fit import resize_within_screen
from ui.session import Session, record


class MergeDialog(QDialog):
    """Merges each return in ``paths`` into ``doc`` as it opens and shows what came in.

    The merge runs off the GUI thread, on a connection of its own to the plan, so the
    window keeps painting (with a progress window saying which return of how many, if it
    takes a while); ``report`` or ``error`` is set, and ``merged`` emitted, when it is done.
    Each return is one undoable step. A refused return changes nothing; the dialog shows
    the one sentence saying why, and the other returns chosen with it are still merged.
    When the window that opened it has a session for ``doc``, the merges and every clash
    resolved from here go on its undo stack.
    """

    merged = Signal(object)  # the last MergeReport, once every return is in

    def __init__(
        self,
        doc: Document,
        paths: Path | Sequence[Path],
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.session = session  # the window's undo stack, when there is one
        self.paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
        self.path = self.paths[0]
        self.report: merge.MergeReport | None = None
        self.reports: list[merge.MergeReport] = []
        self.refused: list[str] = []  # the sentence saying why, for each return refused
        self.error: str | None = None
        self.clash_dialog: ClashDialog | None = None
        # What the worker has merged so far: kept if the person cancels before the rest.
        self._done: list[merge.MergeReport | str] = []
        many = len(self.paths) > 1
        self.what = f"{len(self.paths)} returns" if many else self.path.name
        self.setWindowTitle(f"Merge {self.what}")
        resize_within_screen(self, 640, 420)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.details = QListWidget()
        self.details.setObjectName("details")
        # A long line (a return's name, a clash) wraps instead of running off to the right.
        self.details.setWordWrap(True)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details.setResizeMode(QListView.ResizeMode.Adjust)
        self.resolve_button = QPushButton("&Resolve clashes…")
        self.resolve_button.clicked.connect(self.resolve_clashes)
        self.close_button = QPushButton("Close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resolve_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addLayout(buttons)
        self.summary.setText(f"Merging {self.what}…")
        self.resolve_button.setEnabled(False)
        self.close_button.setEnabled(False)  # the merge finishes, or is refused, first
        self.cancel = tasks.Cancel()
        self.task = tasks.run(
            self,
            f"Merging {self.what}…",
            self._work,
            self._merged,
            self._refused,
            cancel=self.cancel,
            on_cancel=self._cancelled,
        )

    def _work(self) -> list[merge.MergeReport | str]:
        """Merge on a connection of the worker's own: SQLite's are not shared across threads."""
        many = len(self.paths) > 1
        with Document.open(self.doc.path, who=self.doc.who, integrity=False) as own:
            for number, path in enumerate(self.paths, start=1):
                self.cancel.check()
                if many:
                    self.cancel.say(
                        f"Merging {path.name}, {number} of {len(self.paths)}…",
                        number - 1,
                        len(self.paths),
                    )
                try:
                    # Cancel stops a merge once its return is read, before the plan is changed.
                    self._done.append(merge_into(own, path, before_write=self.cancel.check))
                except ScrutineerError as exc:
                    if not many:
                        raise
                    self._done.append(str(exc))  # one bad return does not hold up the rest
        return self._done

    def _cancelled(self) -> None:
        merged = self._take(self._done)
        left = len(self.paths) - len(self._done)
        if merged or len(self.paths) > 1:
            self.summary.setText(
                f"Cancelled: {len(merged)} of {len(self.paths)} returns merged; "
                f"the other {left} {'was' if left == 1 else 'were'} not merged."
            )
        else:
            self.summary.setText(f"Cancelled: nothing of {self.path.name} was merged.")
        self.close_button.setEnabled(True)
        self._update_button()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, ScrutineerError):
            raise exc
        self.error = str(exc)
        self.summary.setText(self.error)
        self.close_button.setEnabled(True)
        self.resolve_button.setEnabled(clashes.open_clash_count(self.doc) > 0)

    def _take(self, done: list[merge.MergeReport | str]) -> list[merge.MergeReport]:
        """Put each merge on the undo stack and list what it brought; return the reports."""
        for outcome in done:
            if isinstance(outcome, str):
                self.refused.append(outcome)
                self.details.addItem(outcome)
                continue
            self.reports.append(outcome)
            record(self.session, outcome.changes)
            lines = str(outcome).splitlines()
            if len(self.paths) > 1:
                # Each return's own summary heads what it brought, so a dozen read apart.
                heading = QListWidgetItem(lines[0], self.details)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
            self.details.addItems([line.strip() for line in lines[1:]])
        return self.reports

    def _merged(self, done: list[merge.MergeReport | str]) -> None:
        self.close_button.setEnabled(True)
        reports = self._take(done)
        if len(self.paths) == 1:
            self.summary.setText(str(reports[0]).splitlines()[0])
        else:
            came_in = sum(len(r.came_in) for r in reports)
            clashed = sum(len(r.clashes) for r in reports)
            text = (
                f"Merged {len(reports)} of {len(self.paths)} returns: "
                f"{merge_core.count(came_in, 'change')} came in, "
                f"{merge_core.count(clashed, 'clash', 'clashes')} to resolve."
            )
            if self.refused:
                text += f" {len(self.refused)} refused, as listed below."
            self.summary.setText(text)
        if not reports:
            self.error = " ".join(self.refused)
        else:
            self.report = reports[-1]
        self._update_button()
        if self.report is not None:
            self.merged.emit(self.report)

    def _update_button(self) -> None:
        waiting = clashes.open_clash_count(self.doc)
        self.resolve_button.setEnabled(waiting > 0)
        self.resolve_button.setText(
            f"&Resolve {waiting} clash{'es' if waiting != 1 else ''}…"
            if waiting
            else "No clashes to resolve"
        )

    def resolve_clashes(self) -> None:
        """Open the clash dialog on the plan's open clashes, one after another."""
        self.clash_dialog = ClashDialog(self.doc, self, session=self.session)
        self.clash_dialog.finished.connect(self._update_button)
        self.clash_dialog.open()
