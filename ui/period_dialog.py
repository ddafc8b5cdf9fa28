"""Asking for a new reporting period: its label, dates and the heading its column prints under."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from db.model import Period
from db.periods import heading_for, next_label, propose

__all__ = ["PeriodDialog", "PeriodFields", "date_field", "date_format", "next_label"]


def date_format() -> str:
    """Return the person's own short date format with a four-digit year ("dd/MM/yyyy")."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return "dd/MM/yyyy"  # no language chosen (a bare system): the plans' own, British, form
    text = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in text:
        text = text.replace("yy", "yyyy")
    return text


class PeriodFields(QWidget):
    """The label, dates and column heading of a period, filled with a proposal.

    The heading follows the label and dates until the person writes their own.
    """

    def __init__(self, periods: list[Period], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._previous = periods[-1] if periods else None
        proposal = propose(periods)
        self.label = QLineEdit(proposal.label, self)
        self.label.setAccessibleName("Period label")
        self.starts = date_field(self, "Starts", proposal.starts)
        self.ends = date_field(self, "Ends", proposal.ends)
        self.heading = QLineEdit(proposal.heading, self)
        self.heading.setAccessibleName("Column heading")
        self.heading.setToolTip("The heading of the update column in the printed appendix")
        for signal in (self.label.textEdited, self.starts.dateChanged, self.ends.dateChanged):
            signal.connect(lambda *_: self._follow())

    def add_rows(self, form: QFormLayout, label: str = "&Label:") -> None:
        """Put the fields into ``form``, the label's row named ``label``."""
        form.addRow(label, self.label)
        form.addRow("&Starts:", self.starts)
        form.addRow("&Ends:", self.ends)
        form.addRow("Column &heading:", self.heading)

    def _follow(self) -> None:
        if self.heading.isModified():
            return
        self.heading.setText(
            heading_for(
                self.label.text().strip(),
                _day(self.starts.date()),
                _day(self.ends.date()),
                self._previous,
            )
        )

    def values(self) -> dict[str, str]:
        """Return the period as shown, dates as ISO, for ``db.edits.add_period``."""
        return {
            "label": self.label.text().strip(),
            "starts": _day(self.starts.date()).isoformat(),
            "ends": _day(self.ends.date()).isoformat(),
            "heading": self.heading.text().strip(),
        }


def date_field(parent: QWidget, name: str, iso: str) -> QDateEdit:
    """Return a date field showing ``iso`` in the person's own date format, with a calendar."""
    field = QDateEdit(QDate.fromString(iso, "yyyy-MM-dd"), parent)
    field.setAccessibleName(name)
    field.setDisplayFormat(date_format())
    field.setCalendarPopup(True)
    return field


class PeriodDialog(QDialog):
    """A small form for the new period, filled with the next quarter; open actions carry forward."""

    def __init__(self, periods: list[Period], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add reporting period")
        self.setMinimumWidth(480)
        self.fields = PeriodFields(periods, self)
        self.fields.hide()  # its fields live in this dialog's form
        self.label, self.starts = self.fields.label, self.fields.starts
        self.ends, self.heading = self.fields.ends, self.fields.heading
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
        self.fields.add_rows(form)
        form.addRow(note)
        form.addRow(buttons)
        self.label.selectAll()

    def values(self) -> dict[str, str]:
        """Return the period as shown, dates as ISO, for ``db.edits.add_period``."""
        return self.fields.values()


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())
