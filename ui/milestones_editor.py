"""A small table editor for an action's milestones: each cell is one committed, undoable edit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import edits, reads
from exports.dates import read_date
from ui.fit import resize_within_screen
from ui.session import Session

# (field, header); dates are typed as "2010-08-01", "Aug 2010" or "01/08/2010" and kept ISO.
FIELDS = (("phase", "Phase"), ("starts", "Starts"), ("ends", "Ends"), ("state", "State"),
          ("note", "Note"))  # fmt: skip


class MilestonesEditor(QWidget):
    """Lists an action's phases; Add and Remove change the list, typing changes a cell."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.action_id: str | None = None
        self._ids: list[str] = []
        self._loading = False
        self.table = QTableWidget(0, len(FIELDS), self)
        self.table.setAccessibleName("Milestones")
        self.table.setHorizontalHeaderLabels([header for _, header in FIELDS])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        line = self.table.fontMetrics().lineSpacing()
        self.table.setMinimumHeight(line * 8)
        self.add_button = QPushButton("Add &phase", self)
        self.remove_button = QPushButton("&Remove phase", self)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.itemChanged.connect(self._edit_cell)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)

    def show_action(self, action_id: str | None, writable: bool) -> None:
        """Show the phases of ``action_id`` (None: none), editable when ``writable``."""
        self.action_id = action_id
        self._loading = True
        try:
            milestones = reads.milestones(self.session.doc, action_id) if action_id else []
            self._ids = [m.id for m in milestones]
            self.table.setRowCount(len(milestones))
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            if writable:
                flags |= Qt.ItemFlag.ItemIsEditable
            for row, milestone in enumerate(milestones):
                for column, (field, _) in enumerate(FIELDS):
                    # Items are changed in place: the cell just edited may still be committing.
                    item = self.table.item(row, column)
                    if item is None:
                        item = QTableWidgetItem()
                        self.table.setItem(row, column, item)
                    item.setText(str(getattr(milestone, field)))
                    item.setFlags(flags)
            self.add_button.setEnabled(writable and action_id is not None)
            self.remove_button.setEnabled(writable and bool(milestones))
        finally:
            self._loading = False

    def _edit_cell(self, item: QTableWidgetItem) -> None:
        if self._loading or self.session.closed or item.row() >= len(self._ids):
            return
        field = FIELDS[item.column()][0]
        value = item.text().strip()
        if field in ("starts", "ends"):
            value = read_date(value)
        self.session.commit(edits.edit, "milestones", self._ids[item.row()], **{field: value})

    def _add(self) -> None:
        if self.action_id is None or self.session.closed:
            return
        self.session.commit(edits.add, "milestones", action_id=self.action_id, phase="New phase")

    def _remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._ids) and not self.session.closed:
            self.session.commit(edits.delete, "milestones", self._ids[row])


class MilestonesDialog(QDialog):
    """A window over the action form holding its milestones editor (the form stays compact)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Milestones")
        self.editor = MilestonesEditor(session, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(close)
        resize_within_screen(self, 720, 320)
