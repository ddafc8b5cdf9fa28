"""An action's history: its status in every period, and who changed what and when."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import reads
from db.document import Document
from ui.fit import resize_within_screen
from ui.history_model import HistoryModel


def status_per_period(doc: Document, action_id: str) -> list[tuple[str, str]]:
    """Return (period label, status label) for every period, oldest first."""
    statuses = {s.id: s for s in reads.statuses(doc)}
    result = []
    for period in reads.periods(doc):
        update = reads.update(doc, action_id, period.id)
        status = statuses.get(update.status_id or "") if update else None
        result.append((period.label, status.label if status else "—"))
    return result


class HistoryDialog(QDialog):
    """Shows one action's status by period above the table of its recorded changes."""

    def __init__(self, doc: Document, action_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        action = reads.action(doc, action_id)
        name = action.ref if action and action.ref else "action"
        self.setWindowTitle(f"History of {name}")
        resize_within_screen(self, 900, 480)
        statuses = status_per_period(doc, action_id)
        self.statuses = QLabel(
            "Status by period: " + "; ".join(f"{p}: {s}" for p, s in statuses), self
        )
        self.statuses.setWordWrap(True)
        self.statuses.setAccessibleName("Status by period")
        self.model = HistoryModel(doc, action_id, self)
        self.table = QTableView(self)
        self.table.setAccessibleName("Changes")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.statuses)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
