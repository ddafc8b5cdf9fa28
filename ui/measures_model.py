"""A theme's performance measures as an editable table, with the performance for one period."""

from __future__ import annotations

from PySide6.QtCore import Qt

from db import edits, reads
from db.changes import Changes
from db.model import Measure, Performance
from ui.session import Session
from ui.table_model import Index, TableModel

# (heading, field) — fields of a measure, then of its performance for the period.
COLUMNS = (
    ("No.", "number"),
    ("Measure", "measure"),
    ("Objective", "objective"),
    ("Target", "target"),
    ("Performance to date", "performance"),
    ("Value", "value"),
)
PERFORMANCE = {"performance", "value"}


class MeasuresModel(TableModel):
    """Rows are the measures of one theme; editing a cell commits it through the session."""

    titles = tuple(title for title, _field in COLUMNS)

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.theme_id: str | None = None
        self.period_id: str | None = None
        self.locked = False
        self._measures: list[Measure] = []
        self._performance: dict[str, Performance] = {}
        session.changed.connect(self.apply_changes)

    def show(self, theme_id: str | None, period_id: str | None) -> None:
        """Show the measures of ``theme_id`` with their performance for ``period_id``."""
        self.theme_id, self.period_id = theme_id, period_id
        self.reload()

    def reload(self) -> None:
        """Read the measures again."""
        self.beginResetModel()
        doc = self.session.doc
        self._measures = reads.measures(doc, self.theme_id) if self.theme_id else []
        self._performance = {}
        period = next((p for p in reads.periods(doc) if p.id == self.period_id), None)
        self.locked = bool(period and period.locked)
        if period is not None:
            for measure in self._measures:
                found = reads.performance(doc, measure.id, period.id)
                if found is not None:
                    self._performance[measure.id] = found
        self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        """Re-read after an edit that touched measures, performance or periods.

        An edited cell is refreshed in place: resetting the model would close the editor the
        person is committing from.
        """
        if not changes.tables & {"measures", "performance", "periods", "themes"}:
            return
        added_or_removed = any(
            r.table == "measures" and (r.before is None or r.after is None) for r in changes.rows
        )
        if added_or_removed or changes.tables & {"periods", "themes"}:
            self.reload()
            return
        doc = self.session.doc
        for row, measure in enumerate(self._measures):
            fresh = doc.row("measures", measure.id)
            if fresh is not None:
                self._measures[row] = Measure(**fresh)
            if self.period_id:
                found = reads.performance(doc, measure.id, self.period_id)
                if found is not None:
                    self._performance[measure.id] = found
        if self._measures:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._measures) - 1, len(COLUMNS) - 1)
            )

    def measure_at(self, row: int) -> Measure | None:
        """Return the measure on ``row``."""
        return self._measures[row] if 0 <= row < len(self._measures) else None

    def row_count(self) -> int:
        """Return the number of rows."""
        return len(self._measures)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Return whether a cell may be edited: not in a read-only file or a locked period."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        field = COLUMNS[index.column()][1]
        if self.session.read_only or (field in PERFORMANCE and (self.locked or not self.period_id)):
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def _value(self, measure: Measure, field: str) -> str:
        if field == "performance":
            found = self._performance.get(measure.id)
            return found.text if found else ""
        if field == "value":
            found = self._performance.get(measure.id)
            return "" if found is None or found.value is None else f"{found.value:g}"
        return str(getattr(measure, field))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Return a cell's text."""
        if not index.isValid():
            return None
        measure = self._measures[index.row()]
        field = COLUMNS[index.column()][1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._value(measure, field)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._value(measure, field) or None
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Commit an edited cell; False when the edit was refused (the person was told why)."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        measure = self._measures[index.row()]
        field = COLUMNS[index.column()][1]
        text = str(value).strip()
        if text == self._value(measure, field):
            return False
        if field == "performance":
            done = self.session.commit(edits.set_performance, measure.id, self.period_id, text=text)
        elif field == "value":
            try:
                number = float(text.replace(",", "")) if text else None
            except ValueError:
                from ui import messages

                messages.error(f"“{text}” is not a number; type a value such as 4.5, or nothing.")
                return False
            done = self.session.commit(
                edits.set_performance, measure.id, self.period_id, value=number
            )
        else:
            done = self.session.commit(edits.edit, "measures", measure.id, **{field: text})
        return done is not None
