"""The form for one theme: its details, and its measures with their performance for the period."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import edits, reads
from db.changes import Changes
from ui.measures_model import MeasuresModel
from ui.session import Session
from ui.text_editor import CommitLine


class ThemeForm(QWidget):
    """Shows one theme; fields commit when the person leaves them, measures cell by cell."""

    pending = Signal()  # something is typed but not yet committed

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.theme_id: str | None = None
        self.period_id: str | None = None
        self._loading = False
        self.heading = QLabel(self)
        self.number = QLineEdit(self)
        self.number.setAccessibleName("Theme number")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Theme title")
        self.aim = CommitLine(self, lines=2)
        self.aim.setAccessibleName("Aim")
        self.aim.setMaximumHeight(self.aim.fontMetrics().lineSpacing() * 3 + 12)
        self.performance_heading = QLineEdit(self)
        self.performance_heading.setAccessibleName("Performance heading")
        self.why_important = CommitLine(self, lines=3)
        self.why_important.setAccessibleName("Why it is important")
        self.why_important.setMaximumHeight(self.why_important.fontMetrics().lineSpacing() * 6 + 12)
        # The one-line fields, each with the theme's field it edits.
        self._lines = (
            (self.number, "number"),
            (self.title, "title"),
            (self.performance_heading, "performance_heading"),
        )
        form = QFormLayout()
        form.addRow("N&umber:", self.number)
        form.addRow("&Title:", self.title)
        form.addRow("&Aim:", self.aim)
        form.addRow("Performance head&ing:", self.performance_heading)
        form.addRow("Why it is impo&rtant:", self.why_important)

        self.measures = MeasuresModel(session, self)
        self.table = QTableView(self)
        self.table.setModel(self.measures)
        self.table.setAccessibleName("Performance measures")
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.add_measure = QPushButton("Add &measure", self)
        self.add_measure.clicked.connect(self._add_measure)
        self.remove_measure = QPushButton("&Delete measure", self)
        self.remove_measure.clicked.connect(self._delete_measure)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_measure)
        buttons.addWidget(self.remove_measure)
        buttons.addStretch(1)
        self.measures_label = QLabel("Performa&nce measures (F2 edits a cell):", self)
        self.measures_label.setBuddy(self.table)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.measures_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        for line, field in self._lines:
            line.editingFinished.connect(
                lambda line=line, field=field: self._edit(field, line.text().strip())
            )
        self.aim.committed.connect(lambda text: self._edit("aim", text.strip(), self.aim.burst))
        self.why_important.committed.connect(
            lambda text: self._edit("why_important", text.strip(), self.why_important.burst)
        )
        session.changed.connect(self._on_changed)
        for line, _field in self._lines:
            line.textEdited.connect(lambda _text: self.pending.emit())
        self.aim.pending.connect(self.pending)
        self.why_important.pending.connect(self.pending)

    def show_theme(self, theme_id: str | None, period_id: str | None) -> None:
        """Show a theme (None: nothing) and its measures' performance for ``period_id``."""
        self.flush()
        self.theme_id, self.period_id = theme_id, period_id
        self.refresh()

    def refresh(self) -> None:
        """Read the shown theme again."""
        theme = self.session.doc.row("themes", self.theme_id) if self.theme_id else None
        self.setEnabled(theme is not None)
        self._loading = True
        try:
            word = reads.plan(self.session.doc).theme_word or "Theme"
            self.heading.setText(f"<b>{word} {theme['number']}</b>" if theme else "")
            for line, field in self._lines:
                line.setText(str(theme[field]) if theme else "")
                line.setCursorPosition(0)  # show the start of a long heading, not its end
                line.setModified(False)
                line.setReadOnly(self.session.read_only)
            self.aim.show_text(str(theme["aim"]) if theme else "")
            self.why_important.show_text(str(theme["why_important"]) if theme else "")
            self.aim.setReadOnly(self.session.read_only)
            self.why_important.setReadOnly(self.session.read_only)
            self.add_measure.setEnabled(not self.session.read_only)
            self.remove_measure.setEnabled(not self.session.read_only)
            self.measures.show(self.theme_id, self.period_id)
            self.table.resizeColumnsToContents()
            for column in (1, 2, 4):
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        finally:
            self._loading = False

    def flush(self) -> None:
        """Commit whatever is typed but not yet committed."""
        if self.theme_id is None or self._loading or self.session.closed:
            return
        self.aim.commit()
        self.why_important.commit()
        for line, field in self._lines:
            if line.isModified():
                self._edit(field, line.text().strip())

    def _on_changed(self, changes: Changes) -> None:
        if self.theme_id is None or self._loading or self.session.closed:
            return
        # The measures table keeps itself up to date; the theme's own fields are read here.
        if self.theme_id in changes.ids or changes.tables & {"plan", "periods"}:
            self.refresh()

    def _edit(self, field: str, value: str, burst: object = None) -> None:
        if self._loading or self.theme_id is None or self.session.closed:
            return
        theme = self.session.doc.row("themes", self.theme_id)
        if theme is not None and theme.get(field) != value:
            self.session.commit(edits.edit, "themes", self.theme_id, burst=burst, **{field: value})

    def _add_measure(self) -> None:
        if self.theme_id is None:
            return
        number = str(self.measures.rowCount() + 1)
        if self.session.commit(
            edits.add, "measures", theme_id=self.theme_id, number=number, measure="New measure"
        ):
            row = self.measures.rowCount() - 1
            self.table.setCurrentIndex(self.measures.index(row, 1))
            self.table.setFocus()

    def _delete_measure(self) -> None:
        measure = self.measures.measure_at(self.table.currentIndex().row())
        if measure is not None:
            self.session.commit(edits.delete, "measures", measure.id)
