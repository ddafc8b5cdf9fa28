"""The send dialog: a copy of the plan or a lead's return sheet, written where the person chooses."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db import reads
from db.document import Document
from db.errors import ScrutineerError
from ui import messages

ALL_LEADS = "Every lead"
COPY_FILTER = "Scrutineer plans (*.scrutiny)"
SHEET_FILTER = "Excel workbooks (*.xlsx)"


class SendDialog(QDialog):
    """Choose a lead (or every lead) and a format, then where to write what they are sent.

    A copy of the plan holds the whole plan (the lead edits their own actions in the app);
    a return sheet holds only that lead's actions for one period, with only Status and
    Update open to change. Either comes back through "Merge a return…".
    """

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.written: Path | None = None
        self.setWindowTitle("Send to lead")
        self.lead = QComboBox()
        self.lead.setObjectName("lead")
        self.lead.addItem(ALL_LEADS)
        self.lead.addItems(reads.leads(doc))
        self.period = QComboBox()
        self.period.setObjectName("period")
        periods = reads.periods(doc)
        self.period.addItems([p.label for p in periods])
        self.period.setCurrentIndex(len(periods) - 1)
        self.as_copy = QRadioButton("A &copy of the plan (.scrutiny), to fill in with Scrutineer")
        self.as_sheet = QRadioButton("A return s&heet (.xlsx), to fill in with Excel")
        self.as_copy.setChecked(True)
        self.as_copy.toggled.connect(self._format_changed)
        form = QFormLayout()
        form.addRow("&Lead officer", self.lead)
        form.addRow("&Period", self.period)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.send_button = QPushButton("&Send…")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.as_copy)
        layout.addWidget(self.as_sheet)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        self._format_changed()

    def _format_changed(self) -> None:
        # A copy holds every period; only a sheet is for one.
        self.period.setEnabled(self.as_sheet.isChecked())

    def _chosen_lead(self) -> str | None:
        text = self.lead.currentText()
        return None if text == ALL_LEADS else text

    def suggested(self) -> Path:
        """Return the file name offered in the save dialog."""
        lead = self._chosen_lead()
        who = re.sub(r"[^\w\- ]+", "", lead or "all leads").strip() or "lead"
        suffix = ".xlsx" if self.as_sheet.isChecked() else ".scrutiny"
        return self.doc.path.with_name(f"{self.doc.path.stem} for {who}{suffix}")

    def send(self) -> None:
        """Ask where to write, then write the copy or the sheet there."""
        sheet = self.as_sheet.isChecked()
        name = messages.save_path(
            self, "Send to lead", str(self.suggested()), SHEET_FILTER if sheet else COPY_FILTER
        )
        if not name:
            return
        out = Path(name)
        if out.suffix.lower() != (".xlsx" if sheet else ".scrutiny"):
            out = out.with_name(out.name + (".xlsx" if sheet else ".scrutiny"))
        lead = self._chosen_lead()
        try:
            if sheet:
                from exports.sheets.lead_sheet import write_lead_sheet

                count = write_lead_sheet(
                    self.doc, out, lead=lead, period_label=self.period.currentText() or None
                )
                what = f"{count} action{'s' if count != 1 else ''} for {lead or 'every lead'}"
                done = f"Wrote {what} to {out.name}; only Status and Update can be changed."
            else:
                self.doc.save_copy(out)
                done = f"Wrote a copy of the plan to {out.name} for {lead or 'the leads'}."
        except ScrutineerError as exc:
            messages.error(str(exc))
            return
        self.written = out
        self.result.setText(done + " Send it, and merge it when it comes back.")
