"""Plan settings: title, organisation, marking, vocabulary, own columns and the status scheme."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import edits, reads
from db.changes import Changes
from ui.fit import resize_within_screen
from ui.session import Session
from ui.status_model import StatusModel

# (label, field, accessible name)
FIELDS = (
    ("&Title:", "title", "Plan title"),
    ("&Organisation:", "organisation", "Organisation"),
    ("&Commissioner:", "commissioner", "Commissioner"),
    ("&Years:", "years", "Years covered"),
    ("Protective &marking:", "marking", "Protective marking"),
    ("Word for a t&heme:", "theme_word", "Word for a theme"),
    ("Word for an &action:", "action_word", "Word for an action"),
    ("Appe&ndix label:", "appendix_label", "Appendix label"),
    ("&Version label:", "version_label", "Version label"),
)


class SettingsDialog(QDialog):
    """Each field is committed (and undoable) when the person leaves it; Close just closes."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Plan settings")
        resize_within_screen(self, 760, 600)
        plan = reads.plan(session.doc)
        details = QGroupBox("Plan", self)
        form = QFormLayout(details)
        self.fields: dict[str, QLineEdit] = {}
        for label, field, name in FIELDS:
            line = QLineEdit(str(getattr(plan, field)), details)
            line.setAccessibleName(name)
            line.setReadOnly(session.read_only)
            line.editingFinished.connect(lambda field=field, line=line: self._edit(field, line))
            form.addRow(label, line)
            self.fields[field] = line
        self.extra = QLineEdit(", ".join(plan.extra_fields), details)
        self.extra.setAccessibleName("Own columns")
        self.extra.setPlaceholderText("Timescale, Sponsor, Links")
        self.extra.setReadOnly(session.read_only)
        self.extra.editingFinished.connect(self._edit_extra)
        form.addRow("Own col&umns:", self.extra)

        scheme = QGroupBox("Status scheme (in print order)", self)
        self.statuses = StatusModel(session, self)
        self.table = QTableView(scheme)
        self.table.setAccessibleName("Status scheme")
        self.table.setModel(self.statuses)
        self.table.verticalHeader().setVisible(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.add_status = QPushButton("Add &status", scheme)
        self.add_status.clicked.connect(self._add_status)
        self.remove_status = QPushButton("&Remove status", scheme)
        self.remove_status.clicked.connect(self._remove_status)
        # Return in a field should finish the field, not add a status.
        for button in (self.add_status, self.remove_status):
            button.setAutoDefault(False)
        self.add_status.setEnabled(not session.read_only)
        self.remove_status.setEnabled(not session.read_only)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_status)
        buttons_row.addWidget(self.remove_status)
        buttons_row.addStretch(1)
        scheme_layout = QVBoxLayout(scheme)
        scheme_layout.addWidget(self.table)
        scheme_layout.addLayout(buttons_row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(details)
        layout.addWidget(scheme, 1)
        layout.addWidget(buttons)
        session.changed.connect(self._on_changed)

    def _edit(self, field: str, line: QLineEdit) -> None:
        value = line.text().strip()
        if getattr(reads.plan(self.session.doc), field) != value:
            self.session.commit(edits.edit_plan, **{field: value})

    def _edit_extra(self) -> None:
        names = [n.strip() for n in self.extra.text().split(",") if n.strip()]
        if tuple(names) != reads.plan(self.session.doc).extra_fields:
            self.session.commit(edits.edit_plan, extra_fields=names)

    def _on_changed(self, changes: Changes) -> None:
        if "plan" in changes.tables:
            plan = reads.plan(self.session.doc)
            for field, line in self.fields.items():
                line.setText(str(getattr(plan, field)))
            self.extra.setText(", ".join(plan.extra_fields))

    def _add_status(self) -> None:
        count = self.statuses.rowCount()
        if self.session.commit(
            edits.add,
            "statuses",
            code="N",
            label="New status",
            colour="#FFFFFF",
            meaning="",
            complete=False,
        ):
            self.table.setCurrentIndex(self.statuses.index(count, 1))
            self.table.setFocus()

    def _remove_status(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.statuses.statuses):
            self.session.commit(edits.delete, "statuses", self.statuses.statuses[row].id)
