"""The plan's status scheme as an editable table: code, label, colour, meaning, complete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from db import edits, reads
from db.changes import Changes
from db.model import Status
from ui import messages
from ui.plan_model import readable_on
from ui.session import Session
from ui.table_model import Index, TableModel

COLUMNS = (
    ("Code", "code"),
    ("Label", "label"),
    ("Colour", "colour"),
    ("Meaning", "meaning"),
    ("Complete", "complete"),
)


class StatusModel(TableModel):
    """Rows are the statuses in print order; edits commit through the session."""

    titles = tuple(title for title, _field in COLUMNS)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.statuses: list[Status] = reads.statuses(session.doc)
        session.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if "statuses" in changes.tables:
            self.beginResetModel()
            self.statuses = reads.statuses(self.session.doc)
            self.endResetModel()

    def row_count(self) -> int:
        """Return the number of rows."""
        return len(self.statuses)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Return what may be done with a cell: edit it, or tick Complete."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.session.read_only:
            return flags
        if COLUMNS[index.column()][1] == "complete":
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Return a cell's text; the colour cell is painted in its colour."""
        if not index.isValid():
            return None
        status = self.statuses[index.row()]
        field = COLUMNS[index.column()][1]
        if field == "complete":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if status.complete else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "Complete" if status.complete else "Not complete"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return str(getattr(status, field))
        if field == "colour" and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(status.colour))
        if field == "colour" and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(readable_on(status.colour))
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Commit an edited cell."""
        if not index.isValid():
            return False
        status = self.statuses[index.row()]
        field = COLUMNS[index.column()][1]
        if field == "complete" and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            return (
                self.session.commit(edits.edit, "statuses", status.id, complete=checked) is not None
            )
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip()
        if field == "colour" and not QColor.isValidColorName(text):
            messages.error(f"“{text}” is not a colour; type one such as #00B050 or green.")
            return False
        if field in ("code", "label") and not text:
            messages.error(f"A status needs a {field}.")
            return False
        if field == "colour":
            text = QColor(text).name().upper()
        return self.session.commit(edits.edit, "statuses", status.id, **{field: text}) is not None
