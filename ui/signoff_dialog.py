"""The sign-off dialog: accept, send back or waive each update of a period, then lock it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import reads, signoff
from db.changes import Changes
from db.document import Document
from ui import messages
from ui.plan_model import short
from ui.session import run_edit

COLUMNS = ("Ref", "Lead", "State", "By", "When", "Note", "Update")


class SignOffDialog(QDialog):
    """Lists a period's updates with their sign-off state; the office acts on the selected one."""

    def __init__(
        self, doc: Document, parent: QWidget | None = None, *, period_id: str | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("Sign off updates")
        self.resize(980, 520)
        self.periods = reads.periods(doc)
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.addItems([p.label for p in self.periods])
        ids = [p.id for p in self.periods]
        self.period.setCurrentIndex(ids.index(period_id) if period_id in ids else len(ids) - 1)
        self.period.currentIndexChanged.connect(self.reload)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("Why it is sent back or waived (optional)")
        self.accept_button = QPushButton("&Accept")
        self.send_back_button = QPushButton("Send &back")
        self.waive_button = QPushButton("&Waive")
        self.accept_all_button = QPushButton("Accept all &submitted")
        self.lock_button = QPushButton("&Lock period")
        self.close_button = QPushButton("Close")
        self.accept_button.clicked.connect(lambda: self._act(signoff.accept))
        self.send_back_button.clicked.connect(
            lambda: self._act(lambda d, u: signoff.send_back(d, u, self.note.text().strip()))
        )
        self.waive_button.clicked.connect(
            lambda: self._act(lambda d, u: signoff.waive(d, u, self.note.text().strip()))
        )
        self.accept_all_button.clicked.connect(self.accept_all)
        self.lock_button.clicked.connect(self.lock)
        self.close_button.clicked.connect(self.reject)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        form = QFormLayout()
        form.addRow("&Period", self.period)
        form.addRow("&Note", self.note)
        buttons = QHBoxLayout()
        for button in (
            self.accept_button,
            self.send_back_button,
            self.waive_button,
            self.accept_all_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.lock_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.update_ids: list[str] = []
        self.reload()

    def period_id(self) -> str | None:
        """Return the id of the period on show."""
        index = self.period.currentIndex()
        return self.periods[index].id if 0 <= index < len(self.periods) else None

    def reload(self) -> None:
        """Read the period's updates and their states again."""
        period_id = self.period_id()
        row_now = self.table.currentRow()
        self.table.setRowCount(0)
        self.update_ids = []
        if period_id is None:
            self.summary.setText("The plan has no reporting period yet.")
            return
        offs = signoff.period_sign_offs(self.doc, period_id)
        updates = reads.updates(self.doc, period_id)
        counts: dict[str, int] = {}
        for action in reads.actions(self.doc):
            update = updates.get(action.id)
            if update is None:
                continue
            state = offs.get(update.id) or signoff.SignOff(update.id)
            counts[state.label] = counts.get(state.label, 0) + 1
            row = self.table.rowCount()
            self.table.insertRow(row)
            when = state.at.replace("T", " ")[:16]
            for column, text in enumerate(
                (
                    action.ref,
                    ", ".join(action.leads),
                    state.label,
                    state.who,
                    when,
                    state.note,
                    short(update.text, 120) or "No update written",
                )
            ):
                item = QTableWidgetItem(text)
                if column == len(COLUMNS) - 1:
                    item.setToolTip(update.text)
                self.table.setItem(row, column, item)
            self.update_ids.append(update.id)
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)
        if 0 <= row_now < self.table.rowCount():
            self.table.selectRow(row_now)
        self.summary.setText(", ".join(f"{n} {label.lower()}" for label, n in counts.items()))

    def selected(self) -> str | None:
        """Return the id of the selected update, or None."""
        row = self.table.currentRow()
        return self.update_ids[row] if 0 <= row < len(self.update_ids) else None

    def _act(self, step: Callable[[Document, str], Changes]) -> None:
        update_id = self.selected()
        if update_id is None:
            messages.info("Select an update first.")
            return
        self._run(lambda: step(self.doc, update_id))

    def _run(self, step: Callable[[], Changes]) -> bool:
        if run_edit(self, self.doc, step) is None:
            return False
        self.note.clear()
        self.reload()
        return True

    def accept_all(self) -> None:
        """Accept every submitted update of the period."""
        period_id = self.period_id()
        if period_id is None:
            return
        for update_id, state in signoff.period_sign_offs(self.doc, period_id).items():
            if state.state == "submitted" and not self._run(
                lambda u=update_id: signoff.accept(self.doc, u)
            ):
                return

    def lock(self) -> None:
        """Lock the period, if every update is accepted or waived and no clash is open."""
        period_id = self.period_id()
        if period_id is not None and self._run(lambda: signoff.lock_period(self.doc, period_id)):
            self.periods = reads.periods(self.doc)
            messages.info(f"{self.period.currentText()} is locked.")
