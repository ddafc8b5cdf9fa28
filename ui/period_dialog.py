"""Asking for a new reporting period: its label, dates and the heading its column prints under."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from db.model import Period

_QUARTER = re.compile(r"Q([1-4])\s+(\d{4})/(\d{2})", re.IGNORECASE)


def next_label(periods: list[Period]) -> str:
    """Suggest the label after the latest one ("Q2 2017/18" → "Q3 2017/18"), else nothing."""
    if not periods:
        return ""
    match = _QUARTER.fullmatch(periods[-1].label.strip())
    if not match:
        return ""
    quarter, year = int(match.group(1)), int(match.group(2))
    if quarter == 4:
        quarter, year = 1, year + 1
    else:
        quarter += 1
    return f"Q{quarter} {year}/{(year + 1) % 100:02d}"


class PeriodDialog(QDialog):
    """A small form for the new period; every open action is carried forward into it."""

    def __init__(self, periods: list[Period], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add reporting period")
        self.setMinimumWidth(480)
        self.label = QLineEdit(next_label(periods), self)
        self.label.setAccessibleName("Period label")
        self.label.setPlaceholderText("Q3 2017/18")
        self.starts = QLineEdit(self)
        self.starts.setAccessibleName("Starts")
        self.starts.setPlaceholderText("2017-10-01")
        self.ends = QLineEdit(self)
        self.ends.setAccessibleName("Ends")
        self.ends.setPlaceholderText("2017-12-31")
        self.heading = QLineEdit(self)
        self.heading.setAccessibleName("Column heading")
        self.heading.setPlaceholderText("QRT 3 UPDATE (April 2017 to December 2017)")
        note = QLabel(
            "Every open action is carried forward with its latest status; its update starts empty.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add period")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Label:", self.label)
        form.addRow("&Starts:", self.starts)
        form.addRow("&Ends:", self.ends)
        form.addRow("Column &heading:", self.heading)
        form.addRow(note)
        form.addRow(buttons)
        self.label.selectAll()

    def values(self) -> dict[str, str]:
        """Return the period as typed, for ``db.edits.add_period``."""
        return {
            "label": self.label.text().strip(),
            "starts": self.starts.text().strip(),
            "ends": self.ends.text().strip(),
            "heading": self.heading.text().strip(),
        }
