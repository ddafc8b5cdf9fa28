"""The send dialog: a copy of the plan or a lead's return sheet, written where the person chooses."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
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

from db import atomic, reads
from db.document import Document
from db.errors import ScrutineerError
from ui import messages, tasks

ALL_LEADS = "Every lead"
COPY_FILTER = "Scrutineer plans (*.scrutiny)"
SHEET_FILTER = "Excel workbooks (*.xlsx)"


def _in_place(
    tmp: Path, lead: str | None, out: Path, problem: str, count: int
) -> tuple[str | None, Path, str, int]:
    """Move one finished file into place; its problem when that cannot be done."""
    if problem:
        return lead, out, problem, count
    try:
        atomic.put_in_place(tmp, out)
    except ScrutineerError as exc:
        return lead, out, str(exc), 0
    return lead, out, "", count


class SendDialog(QDialog):
    """Choose a lead (or every lead) and a format, then where to write what they are sent.

    A copy of the plan holds the whole plan (the lead edits their own actions in the app);
    a return sheet holds only that lead's actions for one period, with only Status and
    Update open to change. Either comes back through "Merge returns…".
    """

    def __init__(
        self, doc: Document, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.settings = settings  # remembers the format and folder between sends
        self.written: Path | None = None
        self.written_all: list[Path] = []
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
        remembered = settings.value("send/format") if settings is not None else None
        (self.as_sheet if remembered == "sheet" else self.as_copy).setChecked(True)
        self.as_copy.toggled.connect(self._format_changed)
        form = QFormLayout()
        form.addRow("&Lead officer", self.lead)
        form.addRow("&Period", self.period)
        self.result = QLabel()
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.result.setMinimumWidth(420)
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

    def _folder(self) -> Path:
        """Return the folder last sent to, else the plan's own."""
        found = self.settings.value("send/folder") if self.settings is not None else None
        return Path(str(found)) if found and Path(str(found)).is_dir() else self.doc.path.parent

    def _remember(self, folder: Path) -> None:
        if self.settings is not None:
            self.settings.setValue("send/format", "sheet" if self.as_sheet.isChecked() else "copy")
            self.settings.setValue("send/folder", str(folder))

    def file_name(self, lead: str | None) -> str:
        """Return the name of what ``lead`` is sent: by lead and, for a sheet, period."""
        who = _safe(lead or "all leads") or "lead"
        if self.as_sheet.isChecked():
            period = _safe(self.period.currentText().replace("/", "-"))
            return (
                f"{self.doc.path.stem} – {who} – {period}.xlsx"
                if period
                else f"{self.doc.path.stem} – {who}.xlsx"
            )
        return f"{self.doc.path.stem} for {who}.scrutiny"

    def suggested(self) -> Path:
        """Return the file name offered in the save dialog."""
        return self._folder() / self.file_name(self._chosen_lead())

    def send(self) -> None:
        """Ask where to write, then write the copy or the sheet there (every lead: one each)."""
        if self._chosen_lead() is None and self.lead.count() > 1:
            self.send_every_lead()
            return
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
        self._write([(lead, out)], f"Writing {out.name}…", lambda r: self._sent_one(out, r[0]))

    def _sent_one(self, out: Path, result: tuple[str | None, Path, str, int]) -> None:
        self.send_button.setEnabled(True)
        lead, _out, problem, count = result
        if problem:
            messages.error(problem)
            return
        if self.as_sheet.isChecked():
            what = f"{count} action{'s' if count != 1 else ''} for {lead or 'every lead'}"
            done = f"Wrote {what} to {out.name}; only Status and Update can be changed."
        else:
            done = f"Wrote a copy of the plan to {out.name} for {lead or 'the leads'}."
        self.written = out
        self._remember(out.parent)
        self._say(done + " Send it, and merge it when it comes back.")

    def send_every_lead(self) -> None:
        """Ask for a folder and write one file per lead into it, off the GUI thread."""
        chosen = messages.folder_path(
            self, "Send to every lead: choose a folder", str(self._folder())
        )
        if not chosen:
            return
        folder = Path(chosen)
        jobs = [(lead, folder / self.file_name(lead)) for lead in reads.leads(self.doc)]
        there = [out.name for _lead, out in jobs if out.exists()]
        if there:
            more = f" and {len(there) - 1} more" if len(there) > 1 else ""
            replace = f"Replace {len(there)} file{'s' if len(there) > 1 else ''}"
            if (
                messages.choose(
                    f"{there[0]}{more} already in {folder.name}; replace them with this quarter's?",
                    [replace, "Cancel"],
                    "Cancel",
                )
                != replace
            ):
                return
        self._write(jobs, f"Writing {len(jobs)} files…", lambda r: self._sent(folder, r))

    def _write(
        self,
        jobs: list[tuple[str | None, Path]],
        label: str,
        on_done: Callable[[list[tuple[str | None, Path, str, int]]], None],
    ) -> None:
        """Write each (lead, file) off the GUI thread, with progress; Cancel leaves no file."""
        sheet = self.as_sheet.isChecked()
        period = self.period.currentText() or None
        path = self.doc.path
        cancel = tasks.Cancel()

        def work() -> list[tuple[str | None, Path, str, int]]:
            from db.reads import read_plan
            from exports.sheets.lead_sheet import write_lead_sheet

            done: list[tuple[str | None, Path, str, int]] = []
            # Each file is written under a temporary name and moved into place only when the
            # run is complete, so Cancel leaves the folder as it was, older files included.
            staged = {out: atomic.temporary_name(out) for _lead, out in jobs}
            try:
                # The worker reads the plan on a connection of its own.
                with Document.open(path, read_only=True, integrity=False) as own:
                    # Read once for every sheet: at 2,000 actions it is half of each one's time.
                    data = read_plan(own) if sheet and len(jobs) > 1 else None
                    for number, (lead, out) in enumerate(jobs, start=1):
                        cancel.check()  # before each file is written
                        if len(jobs) > 1:
                            cancel.say(
                                f"Writing {lead}'s file, {number} of {len(jobs)}…",
                                number - 1,
                                len(jobs),
                            )
                        try:
                            count = 0
                            if sheet:
                                count = write_lead_sheet(
                                    own, staged[out], lead=lead, period_label=period, data=data
                                )
                            else:
                                own.save_copy(staged[out])
                            done.append((lead, out, "", count))
                        except ScrutineerError as exc:
                            told = str(exc).replace(staged[out].name, out.name)
                            done.append((lead, out, told, 0))
                    cancel.check()  # a Cancel pressed during the last file takes it back too
                return [
                    _in_place(staged[out], lead, out, problem, n) for lead, out, problem, n in done
                ]
            finally:
                for tmp in staged.values():
                    tmp.unlink(missing_ok=True)

        def cancelled() -> None:
            self.send_button.setEnabled(True)
            self._say("Cancelled: no file was written.")

        self.send_button.setEnabled(False)
        self.task = tasks.run(self, label, work, on_done, cancel=cancel, on_cancel=cancelled)
        self.task.failed.connect(lambda _e: self.send_button.setEnabled(True))

    def _sent(self, folder: Path, results: list[tuple[str | None, Path, str, int]]) -> None:
        self.send_button.setEnabled(True)
        written = [out for _lead, out, problem, _count in results if not problem]
        skipped = [
            f"{lead} ({problem.rstrip('.')})" for lead, _o, problem, _c in results if problem
        ]
        self.written_all = written
        if written:
            self.written = written[0]
            self._remember(folder)
        text = f"Wrote {len(written)} file{'s' if len(written) != 1 else ''}, one per lead, to {folder}."
        if skipped:
            text += f" Nothing for {len(skipped)}: " + "; ".join(skipped) + "."
        self._say(text + " Send each lead theirs, and merge them as they come back.")

    def _say(self, text: str) -> None:
        """Show the result in full: the dialog grows to hold it."""
        self.result.setText(text)
        self.adjustSize()


def _safe(text: str) -> str:
    """Return ``text`` fit to be part of a file name on every system."""
    return re.sub(r"[^\w\- ]+", "", text).strip()
