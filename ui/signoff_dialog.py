"""The sign-off dialog: accept, send back or waive each update of a period, then lock it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QItemSelectionModel
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
from ui.fit import resize_within_screen
from ui.plan_model import short
from ui.session import Session, run_edit

COLUMNS = ("Ref", "Lead", "State", "By", "When", "Note", "Update")


class SignOffDialog(QDialog):
    """Lists a period's updates with their sign-off state; the office acts on the selected one."""

    def __init__(
        self,
        doc: Document,
        parent: QWidget | None = None,
        *,
        period_id: str | None = None,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.session = session  # the window's undo stack, when there is one
        self.setWindowTitle("Sign off updates")
        resize_within_screen(self, 980, 520)
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
        # Many at once: Ctrl+A, Shift-click and Ctrl-click select the updates to act on.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        self.accept_all_button = QPushButton("Accept &everything waiting…")
        self.accept_all_button.setToolTip(
            "Accept every submitted update, and if you wish the drafts the office wrote itself"
        )
        self.lock_button = QPushButton("&Lock period")
        self.close_button = QPushButton("Close")
        self.accept_button.clicked.connect(lambda: self._act("accepted"))
        self.send_back_button.clicked.connect(lambda: self._act("returned"))
        self.waive_button.clicked.connect(lambda: self._act("waived"))
        self.table.itemSelectionChanged.connect(self._enable)
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
        """Read the period's updates and their states again, keeping the selection."""
        period_id = self.period_id()
        keep = set(self.selected())
        current = self.table.currentRow()
        self.table.setRowCount(0)
        self.update_ids = []
        self.states: list[str] = []
        if period_id is None:
            self.summary.setText("The plan has no reporting period yet.")
            self._enable()
            return
        counts: dict[str, int] = {}
        rows = signoff.period_rows(self.doc, period_id)
        self.table.setRowCount(len(rows))
        for row, found in enumerate(rows):
            action, update, state = found.action, found.update, found.sign_off
            counts[state.label] = counts.get(state.label, 0) + 1
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
            self.states.append(state.state)
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)
        self._select([r for r, u in enumerate(self.update_ids) if u in keep], current)
        self.summary.setText(", ".join(f"{n:,} {label.lower()}" for label, n in counts.items()))
        self._enable()

    def _select(self, rows: list[int], current: int) -> None:
        """Select ``rows`` and put the current row at ``current`` (where the keyboard is)."""
        model, selection = self.table.model(), QItemSelection()
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
        if 0 <= current < self.table.rowCount():
            self.table.setCurrentCell(current, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def selected(self) -> list[str]:
        """Return the ids of the selected updates, in the list's order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.update_ids[r] for r in rows if r < len(self.update_ids)]

    def _selected_states(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.states[r] for r in rows if r < len(self.states)]

    def _enable(self) -> None:
        """Offer only what the selection can do: Accept is off when all of it is accepted."""
        states = self._selected_states()
        for button, state in (
            (self.accept_button, "accepted"),
            (self.send_back_button, "returned"),
            (self.waive_button, "waived"),
        ):
            button.setEnabled(any(s != state and signoff.allowed(s, state) for s in states))

    def _act(self, state: str) -> None:
        """Move every selected update to ``state`` in one step, with the one note."""
        update_ids = self.selected()
        if not update_ids:
            messages.info("Select the updates first (Ctrl+A selects them all).")
            return
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        note = "" if state == "accepted" else self.note.text().strip()
        if not self._run(lambda: signoff.set_states(self.doc, update_ids, state, note)):
            return
        if state == "accepted" and rows[-1] + 1 < self.table.rowCount():
            # On to the next update, as a person working down the list expects.
            self._select([rows[-1] + 1], rows[-1] + 1)
            self.table.scrollTo(self.table.model().index(rows[-1] + 1, 0))

    def _run(self, step: Callable[[], Changes]) -> bool:
        if run_edit(self.session, step) is None:
            return False
        self.note.clear()
        self.reload()
        return True

    def accept_all(self) -> None:
        """Accept every submitted update of the period, and the office's own drafts if wished."""
        period_id = self.period_id()
        if period_id is None:
            return
        submitted = signoff.waiting(self.doc, period_id)
        everything = signoff.waiting(self.doc, period_id, drafts=True)
        drafts = len(everything) - len(submitted)
        chosen = submitted
        if drafts:
            count = f"{drafts} update{'s' if drafts != 1 else ''}"
            answer = messages.choose(
                f"{len(submitted)} submitted update{'s' if len(submitted) != 1 else ''} "
                f"wait{'s' if len(submitted) == 1 else ''} to be accepted, and {count} "
                f"{'are drafts' if drafts != 1 else 'is a draft'} nobody submitted (most "
                "often written by the office itself). Accept the drafts too?",
                ["Accept drafts too", "Submitted only", "Cancel"],
                "Accept drafts too",
            )
            if answer in (None, "Cancel"):
                return
            chosen = everything if answer == "Accept drafts too" else submitted
        if not chosen:
            messages.info("No update waits to be accepted.")
            return
        self._run(lambda: signoff.set_states(self.doc, chosen, "accepted"))

    def lock(self) -> None:
        """Lock the period, if every update is accepted or waived and no clash is open."""
        period_id = self.period_id()
        if period_id is not None and self._run(lambda: signoff.lock_period(self.doc, period_id)):
            self.periods = reads.periods(self.doc)
            messages.info(f"{self.period.currentText()} is locked.")
