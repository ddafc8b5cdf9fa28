"""A new plan's first details: title, organisation, protective marking and its first period."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ui.period_dialog import PeriodFields

MARKINGS = ["OFFICIAL", "OFFICIAL-SENSITIVE", ""]


class NewPlanDialog(QDialog):
    """Asks what the plan is called and for its first reporting period, so it starts usable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New plan")
        self.setMinimumWidth(520)
        intro = QLabel(
            "A plan holds themes, their actions and a reporting period for each quarter. Give it "
            "a name and its first period; you can change any of this later in Plan ▸ Plan "
            "settings, add themes with Ctrl+Shift+T, or import your tracker with File ▸ Import "
            "spreadsheet.",
            self,
        )
        intro.setWordWrap(True)
        self.title = QLineEdit("Police and Crime Plan", self)
        self.title.setAccessibleName("Plan title")
        self.organisation = QLineEdit(self)
        self.organisation.setAccessibleName("Organisation")
        self.organisation.setPlaceholderText("Office of the Police and Crime Commissioner for …")
        self.marking = QComboBox(self)
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setAccessibleName("Protective marking")
        self.period = PeriodFields([], self)
        self.period.hide()  # its fields live in this dialog's form
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Make the plan")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Title:", self.title)
        form.addRow("&Organisation:", self.organisation)
        form.addRow("Protective &marking:", self.marking)
        self.period.add_rows(form, "First &period:")
        form.addRow(buttons)
        self.title.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        """Start in the title, ready to type over it."""
        super().showEvent(event)
        self.title.setFocus()
        self.title.selectAll()

    def data(self) -> dict[str, Any]:
        """Return the new plan for ``db.build.create_plan`` (statuses are added by the caller)."""
        period = self.period.values()
        return {
            "plan": {
                "title": self.title.text().strip() or "Police and Crime Plan",
                "organisation": self.organisation.text().strip(),
                "marking": self.marking.currentText().strip(),
            },
            "periods": [period] if period["label"] else [],
        }
