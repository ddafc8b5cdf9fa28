"""The merge dialog: merges a lead's return into the plan and shows what came in and what clashed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clashes, merge
from db.document import Document
from db.errors import ScrutineerError
from exports.returns import merge_into
from ui import tasks
from ui.clash_dialog import ClashDialog
from ui.fit import resize_within_screen
from ui.session import Session, record


class MergeDialog(QDialog):
    """Merges ``path`` into ``doc`` as it opens (one undoable step) and shows the summary.

    The merge runs off the GUI thread, on a connection of its own to the plan, so the
    window keeps painting (with a progress window if it takes a while); ``report`` or
    ``error`` is set, and ``merged`` emitted, when it is done. A refused return changes
    nothing; the dialog then shows the one sentence saying why. When the window that opened
    it has a session for ``doc``, the merge and every clash resolved from here go on its
    undo stack.
    """

    merged = Signal(object)  # the MergeReport, once the return is in

    def __init__(
        self,
        doc: Document,
        path: Path,
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.session = session  # the window's undo stack, when there is one
        self.path = Path(path)
        self.report: merge.MergeReport | None = None
        self.error: str | None = None
        self.clash_dialog: ClashDialog | None = None
        self.setWindowTitle(f"Merge {self.path.name}")
        resize_within_screen(self, 640, 420)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.details = QListWidget()
        self.details.setObjectName("details")
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
        self.summary.setText(f"Merging {self.path.name}…")
        self.resolve_button.setEnabled(False)
        self.close_button.setEnabled(False)  # the merge finishes, or is refused, first
        self.cancel = tasks.Cancel()
        self.task = tasks.run(
            self,
            f"Merging {self.path.name}…",
            self._work,
            self._merged,
            self._refused,
            cancel=self.cancel,
            on_cancel=self._cancelled,
        )

    def _work(self) -> merge.MergeReport:
        """Merge on a connection of the worker's own: SQLite's are not shared across threads."""
        with Document.open(self.doc.path, who=self.doc.who, integrity=False) as own:
            # Cancel stops the merge once the return is read, before the plan is changed.
            return merge_into(own, self.path, before_write=self.cancel.check)

    def _cancelled(self) -> None:
        self.summary.setText(f"Cancelled: nothing of {self.path.name} was merged.")
        self.close_button.setEnabled(True)

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, ScrutineerError):
            raise exc
        self.error = str(exc)
        self.summary.setText(self.error)
        self.close_button.setEnabled(True)
        self.resolve_button.setEnabled(clashes.open_clash_count(self.doc) > 0)

    def _merged(self, report: merge.MergeReport) -> None:
        self.close_button.setEnabled(True)
        self.report = report
        record(self.session, report.changes)
        lines = str(report).splitlines()
        self.summary.setText(lines[0])
        for line in lines[1:]:
            self.details.addItem(line.strip())
        self._update_button()
        self.merged.emit(report)

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
