"""The form for one action: its details, and its status and update for the chosen period."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import edits, reads
from db.changes import Changes
from db.model import Period
from ui.milestones_editor import MilestonesDialog
from ui.session import Session
from ui.text_editor import CommitLine, UpdateEditor

NONE = "—"


class ActionForm(QWidget):
    """Shows one action; each field is committed (and undoable) as soon as the person leaves it."""

    history_requested = Signal(str)
    pending = Signal()  # something is typed but not yet committed

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.action_id: str | None = None
        self.period_id: str | None = None
        self._periods: list[Period] = []
        self._loading = False

        self.heading = QLabel(self)
        self.heading.setObjectName("formHeading")
        self.ref = QLineEdit(self)
        self.ref.setAccessibleName("Ref")
        self.leads = QLineEdit(self)
        self.leads.setAccessibleName("Lead officers")
        self.leads.setPlaceholderText("Names or initials, separated by commas")
        self.plan_ref = QLineEdit(self)
        self.plan_ref.setAccessibleName("Plan reference")
        self.activity = CommitLine(self, lines=3)
        self.activity.setAccessibleName("Strategic activity")
        self.activity.setMaximumHeight(self.activity.fontMetrics().lineSpacing() * 5 + 12)
        self.added_in = QComboBox(self)
        self.added_in.setAccessibleName("New in period")
        self.closed_in = QComboBox(self)
        self.closed_in.setAccessibleName("Closed in period")
        self.history = QPushButton("Histor&y…", self)
        self.history.setToolTip("Who changed this action and when, and its status in every period")
        self.history.clicked.connect(
            lambda: self.action_id and self.history_requested.emit(self.action_id)
        )

        details = QFormLayout()
        details.addRow("&Ref:", self.ref)
        details.addRow("&Lead officers:", self.leads)
        details.addRow("Pla&n ref:", self.plan_ref)
        details.addRow("&Activity:", self.activity)
        details.addRow("New &in:", self.added_in)
        details.addRow("&Closed in:", self.closed_in)

        self.period_box = QGroupBox(self)
        self.status = QComboBox(self.period_box)
        self.status.setAccessibleName("Status")
        self.locked_note = QLabel(self.period_box)
        self.locked_note.setWordWrap(True)
        self.update_editor = UpdateEditor(self.period_box)
        period_layout = QFormLayout(self.period_box)
        period_layout.addRow("S&tatus:", self.status)
        period_layout.addRow(self.locked_note)
        update_label = QLabel("&Update:", self.period_box)
        update_label.setBuddy(self.update_editor.edit)
        period_layout.addRow(update_label)
        period_layout.addRow(self.update_editor)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(details)
        layout.addWidget(self.period_box, 1)
        # Milestones open in their own window beside History: the form keeps its size.
        self.milestones_button = QPushButton("&Milestones…", self)
        self.milestones_button.setToolTip("The action's phases, with their dates and state")
        self.milestones_dialog = MilestonesDialog(session, self)
        self.milestones = self.milestones_dialog.editor
        self.milestones_button.clicked.connect(self.milestones_dialog.show)
        buttons = QHBoxLayout()
        buttons.addWidget(self.history, 1)
        buttons.addWidget(self.milestones_button)
        layout.addLayout(buttons)

        self.ref.editingFinished.connect(lambda: self._edit_field("ref", self.ref.text().strip()))
        self.plan_ref.editingFinished.connect(
            lambda: self._edit_field("plan_ref", self.plan_ref.text().strip())
        )
        self.activity.committed.connect(
            lambda text: self._edit_field("activity", text.strip(), burst=self.activity.burst)
        )
        self.leads.editingFinished.connect(self._edit_leads)
        self.added_in.activated.connect(
            lambda _: self._edit_period_field("added_in", self.added_in)
        )
        self.closed_in.activated.connect(
            lambda _: self._edit_period_field("closed_in", self.closed_in)
        )
        self.status.activated.connect(self._edit_status)
        self.update_editor.committed.connect(self._edit_text)
        session.changed.connect(self._on_changed)
        for line in (self.ref, self.leads, self.plan_ref):
            line.textEdited.connect(lambda _text: self.pending.emit())
        self.activity.pending.connect(self.pending)
        self.update_editor.edit.pending.connect(self.pending)
        self.setTabOrder(self.ref, self.leads)
        self.setTabOrder(self.leads, self.plan_ref)
        self.setTabOrder(self.plan_ref, self.activity)
        self.setTabOrder(self.activity, self.added_in)
        self.setTabOrder(self.added_in, self.closed_in)
        self.setTabOrder(self.closed_in, self.status)
        self.setTabOrder(self.status, self.update_editor.edit)

    # -- showing -----------------------------------------------------------------------------

    def show_action(self, action_id: str | None, period_id: str | None) -> None:
        """Show an action (None: nothing) with its status and update for ``period_id``."""
        self.flush()
        self.action_id = action_id
        self.period_id = period_id
        self.refresh()

    def refresh(self) -> None:
        """Read the shown action again from the file."""
        doc = self.session.doc
        action = reads.action(doc, self.action_id) if self.action_id else None
        self.setEnabled(action is not None)
        if action is None:
            return
        self._loading = True
        try:
            plan = reads.plan(doc)
            self._periods = reads.periods(doc)
            period = next((p for p in self._periods if p.id == self.period_id), None)
            self.heading.setText(
                f"<b>{plan.action_word} {action.ref}</b>"
                if action.ref
                else f"<b>{plan.action_word}</b>"
            )
            self.ref.setText(action.ref)
            self.leads.setText(", ".join(action.leads))
            self.plan_ref.setText(action.plan_ref)
            self.activity.show_text(action.activity)
            for combo, value in (
                (self.added_in, action.added_in),
                (self.closed_in, action.closed_in),
            ):
                combo.clear()
                combo.addItem(NONE, None)
                for p in self._periods:
                    combo.addItem(p.label, p.id)
                combo.setCurrentIndex(max(combo.findData(value), 0))
            update = reads.update(doc, action.id, period.id) if period else None
            self.status.clear()
            self.status.addItem("No status", None)
            for status in reads.statuses(doc):
                self.status.addItem(f"{status.label} ({status.code})", status.id)
            self.status.setCurrentIndex(
                max(self.status.findData(update.status_id if update else None), 0)
            )
            self.update_editor.exemptions = reads.exemptions(doc)
            self.update_editor.show_text(update.text if update else "")
            locked = bool(period and period.locked)
            self.period_box.setTitle(period.label if period else "No reporting period yet")
            self.locked_note.setVisible(locked or self.session.read_only)
            self.locked_note.setText(
                f"{period.label} is locked because it has been published; unlock it "
                "(Plan ▸ Lock period) to change it."
                if locked and period
                else "This file is open read-only."
            )
            writable = not self.session.read_only
            for field in (self.ref, self.leads, self.plan_ref):
                field.setReadOnly(not writable)
            self.activity.setReadOnly(not writable)
            self.added_in.setEnabled(writable)
            self.closed_in.setEnabled(writable)
            self.status.setEnabled(writable and not locked and period is not None)
            self.update_editor.set_read_only(not writable or locked or period is None)
            self.milestones.show_action(action.id, writable)
            count = self.milestones.table.rowCount()
            self.milestones_button.setText(f"&Milestones ({count})…" if count else "&Milestones…")
            self.milestones_dialog.setWindowTitle(f"Milestones of {action.ref or plan.action_word}")
        finally:
            self._loading = False

    def flush(self) -> None:
        """Commit whatever is typed but not yet committed (before undo, switching or closing)."""
        if self.action_id is None or self._loading or self.session.closed:
            return
        self.activity.commit()
        self.update_editor.edit.commit()
        if self.ref.isModified():
            self._edit_field("ref", self.ref.text().strip())
        if self.plan_ref.isModified():
            self._edit_field("plan_ref", self.plan_ref.text().strip())
        if self.leads.isModified():
            self._edit_leads()

    def _on_changed(self, changes: Changes) -> None:
        if self.action_id is None or self._loading or self.session.closed:
            return
        touched = {
            str((r.after or r.before or {}).get("action_id", r.id)) for r in changes.rows
        } | changes.ids
        if self.action_id in touched or changes.tables & {"statuses", "periods", "plan"}:
            self.refresh()

    # -- editing -----------------------------------------------------------------------------

    def _edit_field(self, field: str, value: object, burst: object = None) -> None:
        if self._loading or self.action_id is None or self.session.closed:
            return
        for line in (self.ref, self.plan_ref):
            line.setModified(False)
        action = self.session.doc.row("actions", self.action_id)
        if action is not None and action.get(field) != value:
            self.session.commit(
                edits.edit, "actions", self.action_id, burst=burst, **{field: value}
            )

    def _edit_leads(self) -> None:
        if self._loading or self.action_id is None or self.session.closed:
            return
        self.leads.setModified(False)
        names = [n.strip() for n in self.leads.text().split(",") if n.strip()]
        self.session.commit(edits.set_leads, self.action_id, names)

    def _edit_period_field(self, field: str, combo: QComboBox) -> None:
        self._edit_field(field, combo.currentData())

    def _edit_status(self, _row: int) -> None:
        if self._loading or self.action_id is None or self.period_id is None or self.session.closed:
            return
        if (
            self.session.commit(
                edits.set_update,
                self.action_id,
                self.period_id,
                status_id=self.status.currentData(),
            )
            is None
        ):
            self.refresh()

    def _edit_text(self, text: str) -> None:
        if self._loading or self.action_id is None or self.period_id is None or self.session.closed:
            return
        self.session.commit(
            edits.set_update,
            self.action_id,
            self.period_id,
            text=text,
            burst=self.update_editor.edit.burst,
        )
