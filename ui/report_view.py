"""The Report view: a period's covering report, its sections, figures and approvals, edited.

Every field is one committed, undoable edit through the session, like the action form:
section texts use the update editor (dated entries, exempt marking), each table of figures
is a grid whose TOTAL row shows its computed figures in grey until one is typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import edits, reads
from db.changes import Changes
from db.report import REPORT_TABLES, FigureTable, computed_cells, formatted, new_report, read_report
from ui.fit import resize_within_screen
from ui.session import Session
from ui.text_editor import UpdateEditor

_COMPUTED = QColor("#707070")


class ReportView(QWidget):
    """Shows and edits the covering report of one period."""

    def __init__(self, session: Session, period_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.period_id = period_id
        self._own = False  # an edit made here: the fields already show it
        self._pending = False
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll)
        self.section_editors: dict[str, UpdateEditor] = {}
        self.grids: dict[str, QTableWidget] = {}
        session.changed.connect(self._on_changed)
        self.rebuild()

    # -- building ------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Read the report again and lay out its fields."""
        doc = self.session.doc
        report = read_report(doc, self.period_id)
        period = next((p for p in reads.periods(doc) if p.id == self.period_id), None)
        locked = bool(period and period.locked)
        writable = not self.session.read_only and not locked
        page = QWidget()
        layout = QVBoxLayout(page)
        self.section_editors, self.grids = {}, {}
        label = period.label if period else ""
        if report is None:
            layout.addWidget(QLabel(f"{label} has no covering report yet.", page))
            self.create_button = QPushButton("&Create the covering report", page)
            self.create_button.setEnabled(writable)
            self.create_button.clicked.connect(self._create)
            layout.addWidget(self.create_button)
            layout.addStretch(1)
            self.scroll.setWidget(page)
            return
        if locked:
            layout.addWidget(QLabel(f"{label} is locked because it has been published.", page))
        form = QFormLayout()
        self.title = QLineEdit(report.title, page)
        self.title.setAccessibleName("Report title")
        self.title.setReadOnly(not writable)
        self.title.editingFinished.connect(
            lambda: self._edit("reports", report.id, title=self.title.text().strip())
        )
        form.addRow("&Title:", self.title)
        self.public = QCheckBox("Suitable for the &public domain", page)
        self.public.setChecked(report.public)
        self.public.setEnabled(writable)
        self.public.toggled.connect(lambda on: self._edit("reports", report.id, public=int(on)))
        form.addRow(self.public)
        self.reason = QLineEdit(report.exempt_reason, page)
        self.reason.setAccessibleName("Reason not public")
        self.reason.setReadOnly(not writable)
        self.reason.editingFinished.connect(
            lambda: self._edit("reports", report.id, exempt_reason=self.reason.text().strip())
        )
        form.addRow("Why it is &not public:", self.reason)
        layout.addLayout(form)
        exemptions = reads.exemptions(self.session.doc)
        for number, section in enumerate(report.sections, start=1):
            box = QGroupBox(f"{section.number or number}. {section.heading}", page)
            editor = UpdateEditor(box)
            editor.exemptions = exemptions
            editor.show_text(section.text)
            editor.set_read_only(not writable)
            editor.committed.connect(
                lambda text, sid=section.id, ed=editor: self._edit(
                    "report_sections", sid, burst=ed.edit.burst, text=text
                )
            )
            editor.setMinimumHeight(140)
            QVBoxLayout(box).addWidget(editor)
            self.section_editors[section.heading] = editor
            layout.addWidget(box)
        for table in report.tables:
            box = QGroupBox(f"Figures: {table.name}", page)
            grid = self._grid(table, writable, box)
            QVBoxLayout(box).addWidget(grid)
            self.grids[table.name] = grid
            layout.addWidget(box)
        if report.approvals:
            box = QGroupBox("Approval", page)
            box_layout = QVBoxLayout(box)
            for approval in report.approvals:
                when = f", {approval.date}" if approval.date else ""
                text = f"{approval.role}: {approval.name or '(to sign)'}{when}"
                box_layout.addWidget(QLabel(text, box))
            layout.addWidget(box)
        layout.addStretch(1)
        self.scroll.setWidget(page)

    def _grid(self, table: FigureTable, writable: bool, parent: QWidget) -> QTableWidget:
        grid = QTableWidget(len(table.rows), len(table.columns) + 1, parent)
        grid.setAccessibleName(f"Figures {table.name}")
        grid.setHorizontalHeaderLabels(["", *table.columns])
        grid.verticalHeader().setVisible(False)
        grid.setProperty("table_id", table.id)
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if writable:
            flags |= Qt.ItemFlag.ItemIsEditable
        for r, row in enumerate(table.rows):
            shown = computed_cells(table, row)
            label = QTableWidgetItem(row.label)
            label.setFlags(flags)
            grid.setItem(r, 0, label)
            for c in range(len(table.columns)):
                given = row.cells[c] if c < len(row.cells) else ""
                item = QTableWidgetItem(formatted(given or (shown[c] if c < len(shown) else "")))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(flags)
                if row.total and not given:
                    item.setForeground(_COMPUTED)
                    item.setToolTip("Computed from the rows above; type a figure to replace it.")
                grid.setItem(r, c + 1, item)
        grid.resizeColumnsToContents()
        grid.setMinimumHeight(grid.verticalHeader().length() + grid.horizontalHeader().height() + 6)
        grid.itemChanged.connect(lambda item, t=table: self._edit_figure(t, item))
        return grid

    # -- editing -------------------------------------------------------------------------------

    def _edit(self, table: str, record_id: str, burst: object = None, **fields: object) -> None:
        """Commit ``fields`` of one record; the commits of one ``burst`` of typing undo as one."""
        if self.session.closed:
            return
        row = self.session.doc.row(table, record_id)
        if row is None or all(row.get(k) == v for k, v in fields.items()):
            return
        self._own = True
        try:
            self.session.commit(edits.edit, table, record_id, burst=burst, **fields)
        finally:
            self._own = False

    def _edit_figure(self, table: FigureTable, item: QTableWidgetItem) -> None:
        if item.row() >= len(table.rows):
            return
        row = table.rows[item.row()]
        text = item.text().strip()
        if item.column() == 0:
            self._edit("report_rows", row.id, label=text, total=int(text.casefold() == "total"))
            return
        cells = list(row.cells) + [""] * (len(table.columns) - len(row.cells))
        index = item.column() - 1
        computed = computed_cells(table, row)
        if row.total and formatted(computed[index]) == text and not cells[index]:
            return  # the computed figure shown, not typed
        cells[index] = text.replace(",", "")
        self._edit("report_rows", row.id, cells=cells)

    def _create(self) -> None:
        self.session.commit(new_report, self.period_id)

    def _on_changed(self, changes: Changes) -> None:
        if self.session.closed:
            return
        if self._own and not changes.tables & {"report_rows"}:
            return  # the field already shows it; figures show totals again below
        if changes.tables & (REPORT_TABLES | {"periods"}) and not self._pending:
            # Later, not now: the grid cell that was just edited may still be committing.
            self._pending = True
            QTimer.singleShot(0, self._rebuild_later)

    def _rebuild_later(self) -> None:
        self._pending = False
        if not self.session.closed:
            self.rebuild()


class ReportDialog(QDialog):
    """A window holding the Report view of one period."""

    def __init__(self, session: Session, period_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Covering report")
        self.view = ReportView(session, period_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        resize_within_screen(self, 820, 760)
