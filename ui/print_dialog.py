"""Printing the appendix: choose what to print, see the real PDF's pages, print or save."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db import print_choices, reads
from db.document import Document
from db.errors import ScrutineerError
from db.model import Period, PlanData
from ui import messages, tasks
from ui.fit import resize_within_screen
from ui.page_view import PageView
from ui.pdf_pages import PdfPages, pdf_subset
from ui.session import Session, run_edit

DEBOUNCE_MS = 300  # ticks closer together than this make one render
IMAGE_DPI = 300  # the most an image page is drawn at: sharp on paper, a bounded spool
LP_TIMEOUT = 120
FIRST_LOOK_ACTIONS = 12  # more than a first page holds, a fraction of a big first theme


def make_pdf(
    data: PlanData,
    options: Any,
    period: Period | None = None,
    first_look: bool = False,
    with_report: bool = False,
) -> tuple[bytes, list[str], bool]:
    """Return the appendix's PDF bytes, its notes, and whether that is the whole appendix.

    The notes are sentences about options that did nothing. ``with_report`` puts the
    period's covering report first: the agenda item as the panel receives it (no first look).
    A ``first_look`` is laid out for every theme chosen (so its title, key and counts are the
    whole appendix's) but drawn only as far as the first ``FIRST_LOOK_ACTIONS`` actions of
    the first theme: its first page is the real first page, apart from the page count.
    """
    from exports.appendix.layout import build_appendix
    from exports.appendix.pdf import build_pdf

    appendix = build_appendix(data, options, period)
    if with_report:
        from exports.report.layout import build_report
        from exports.report.pdf import build_report_pdf

        report = build_report(data, appendix.period_label, options.public)
        return build_report_pdf(report, appendix)[0], list(appendix.notes), True
    whole = not first_look or appendix.action_count <= FIRST_LOOK_ACTIONS
    if not whole:
        theme = appendix.themes[0]
        shortened = dataclasses.replace(theme, actions=theme.actions[:FIRST_LOOK_ACTIONS])
        appendix = dataclasses.replace(appendix, themes=[shortened])
    return build_pdf(appendix)[0], list(appendix.notes), whole


def unused_mnemonic(text: str, window: QWidget, own: QWidget) -> str:
    """Return ``text`` with ``&`` before its first letter no other control of ``window`` uses."""
    taken = set()
    for widget in window.findChildren(QWidget):
        if widget is own or not isinstance(widget, QAbstractButton | QLabel):
            continue
        marked = widget.text().replace("&&", "")
        if "&" in marked[:-1]:
            taken.add(marked[marked.index("&") + 1].casefold())
    for index, letter in enumerate(text):
        if letter.isalpha() and letter.casefold() not in taken:
            return f"{text[:index]}&{text[index:]}"
    return text


def _checked(widget: QListWidget) -> list[str]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class PrintDialog(QDialog):
    """Preview of the appendix as it will print; Print…, Save as PDF… and Save as Word….

    The preview is made in two steps off the GUI thread: a first look (the first actions of
    the first ticked theme, under the whole appendix's heading and key, so its first page
    shows in well under a second on any plan), then the whole appendix. Only the pages in
    view are drawn. A change of choice waits for the ticks to settle, then throws
    away whatever was being made for the old choices.
    """

    saved = Signal(object)  # the Path of a file written by Save as PDF or Word

    def __init__(
        self,
        doc: Document,
        period: str | None,
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.session = session  # the window's undo stack, when there is one
        self.saved_path: Path | None = None
        self.saving: tasks.Task | None = None
        self.pdf: bytes | None = None  # the whole appendix, once made: what prints and saves
        self.notes: list[str] = []
        self.generation = 0  # one per render; a result of an older one is thrown away
        self.started = 0  # renders started (tests count them)
        self.discarded = 0  # results thrown away because the choices changed meanwhile
        self.setWindowTitle("Print the appendix")
        resize_within_screen(self, 1100, 760)
        plan = reads.plan(doc)
        word = plan.theme_word or "Theme"
        self.theme_word = word

        self.themes = QListWidget(self)
        self.themes.setAccessibleName(f"{word}s to print")
        # A long title wraps onto a second line rather than running off behind a scroll bar.
        self.themes.setWordWrap(True)
        self.themes.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.themes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for theme in reads.themes(doc):
            item = QListWidgetItem(f"{word} {theme.number}: {theme.title}".strip(), self.themes)
            item.setData(Qt.ItemDataRole.UserRole, theme.number)
            item.setToolTip(item.text())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.all_button = QPushButton("A&ll", self)
        self.all_button.setToolTip(f"Tick every {word.lower()}")
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button = QPushButton("&None", self)
        self.none_button.setToolTip(f"Untick every {word.lower()}")
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        self.period = QComboBox(self)
        self.period.setAccessibleName("Period to print")
        for p in reads.periods(doc):
            self.period.addItem(p.label, p.label)
        if period:
            self.period.setCurrentIndex(max(self.period.findData(period), 0))
        else:
            self.period.setCurrentIndex(self.period.count() - 1)
        self.paper = QComboBox(self)
        self.paper.setAccessibleName("Paper")
        self.paper.addItem("A4", False)
        self.paper.addItem("Letter", True)
        self.orientation = QComboBox(self)
        self.orientation.setAccessibleName("Orientation")
        self.orientation.addItem("Landscape", False)
        self.orientation.addItem("Portrait", True)
        self.public = QCheckBox("Pu&blic copy (exempt passages hidden)", self)
        self.previous = QCheckBox("Show previous status and &direction of travel", self)
        self.accepted = QCheckBox("&Accepted updates only", self)
        self.accepted.setToolTip("Leave out every update the office has not accepted yet")
        self.with_report = QCheckBox("W&ith the covering report first", self)
        self.with_report.setToolTip("The agenda item: the period's covering report, then this")
        self.columns = QListWidget(self)
        self.columns.setAccessibleName("Own columns to print")
        for name in plan.extra_fields:
            item = QListWidgetItem(name, self.columns)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.columns.setMaximumHeight(90)
        self.refresh_button = QPushButton("&Update preview", self)
        self.refresh_button.clicked.connect(self.render)
        self.print_button = QPushButton("&Print…", self)
        self.print_button.clicked.connect(lambda: self.print_pages())
        self.pdf_button = QPushButton("Save as PD&F…", self)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.word_button = QPushButton("Save as &Word…", self)
        self.word_button.clicked.connect(lambda: self.save("docx"))
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.reject)
        for button in (
            self.all_button,
            self.none_button,
            self.refresh_button,
            self.print_button,
            self.pdf_button,
            self.word_button,
            self.close_button,
        ):
            # Enter goes to the page number; it never prints, saves or ticks the lot.
            button.setAutoDefault(False)

        choices = QFormLayout()
        themes_label = QLabel(f"&{word}s:", self)
        themes_label.setBuddy(self.themes)
        ticks = QHBoxLayout()
        ticks.addWidget(themes_label, 1)
        ticks.addWidget(self.all_button)
        ticks.addWidget(self.none_button)
        choices.addRow(ticks)
        choices.addRow(self.themes)
        choices.addRow("P&eriod:", self.period)
        choices.addRow("Pape&r:", self.paper)
        choices.addRow("&Orientation:", self.orientation)
        choices.addRow(self.public)
        choices.addRow(self.previous)
        choices.addRow(self.accepted)
        choices.addRow(self.with_report)
        if plan.extra_fields:
            columns_label = QLabel("Own &columns:", self)
            columns_label.setBuddy(self.columns)
            choices.addRow(columns_label)
            choices.addRow(self.columns)
        else:
            self.columns.hide()
        choices.addRow(self.refresh_button)
        side = QWidget(self)
        side.setLayout(choices)
        side.setMaximumWidth(340)

        self.status = QLabel(self)
        self.status.setAccessibleName("Preview status")
        self.page = QSpinBox(self)
        self.page.setAccessibleName("Go to page")
        self.page.setPrefix("Page ")
        self.page.setKeyboardTracking(False)  # go when the number is typed, not per digit
        self.page.setEnabled(False)
        self.note = QLabel(self)
        self.note.setAccessibleName("Notes on the print")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a4b00;")
        self.note.hide()
        self.view = PageView(self)
        self.view.setAccessibleName("Preview")
        self._then: Callable[[], None] | None = None  # the whole appendix, after the first
        self.view.settled.connect(self._start_whole)
        self.view.page_changed.connect(self._follow_page)
        self.page.valueChanged.connect(lambda number: self.view.show_page(number - 1))

        self.zoom_buttons = self._zoom_buttons()

        top = QHBoxLayout()
        top.addWidget(side)
        preview = QVBoxLayout()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        for button in self.zoom_buttons:
            status_row.addWidget(button)
        status_row.addWidget(self.page)
        preview.addLayout(status_row)
        preview.addWidget(self.note)
        preview.addWidget(self.view, 1)
        top.addLayout(preview, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.pdf_button, self.word_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self._set_ready(False)
        # The plan's own word ("Pillars") must not take a letter another control has.
        themes_label.setText(unused_mnemonic(f"{word}s:", self, themes_label))
        self.restore(print_choices.load(doc))

        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.render)
        self.themes.itemChanged.connect(lambda _item: self.schedule())
        self.columns.itemChanged.connect(lambda _item: self.schedule())
        for combo in (self.period, self.paper, self.orientation):
            combo.currentIndexChanged.connect(lambda _i: self.schedule())
        for box in (self.public, self.previous, self.accepted, self.with_report):
            box.toggled.connect(lambda _on: self.schedule())

    # -- the choices --------------------------------------------------------------------------

    @property
    def pages(self) -> list[tuple[float, float]]:
        """Return the size of each page of the whole appendix shown (empty until it is made)."""
        document = self.view.document
        return list(document.sizes) if document is not None and self.pdf is not None else []

    def _tick_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.themes.blockSignals(True)  # one render for the lot, not one per theme
        for i in range(self.themes.count()):
            self.themes.item(i).setCheckState(state)
        self.themes.blockSignals(False)
        self.themes.viewport().update()
        self.schedule()

    def restore(self, choices: dict[str, Any]) -> None:
        """Set the controls to remembered ``choices`` (as ``print_choices.load`` returns them)."""
        themes = choices.get("themes")
        known = {
            self.themes.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.themes.count())
        }
        if themes is not None and not set(themes) & known:
            themes = None  # the plan's themes were renumbered since: print them all
        for i in range(self.themes.count()):
            item = self.themes.item(i)
            on = themes is None or item.data(Qt.ItemDataRole.UserRole) in themes
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        columns = set(choices.get("extra_fields") or ())
        for i in range(self.columns.count()):
            item = self.columns.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in columns
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.paper.setCurrentIndex(1 if choices.get("letter") else 0)
        self.orientation.setCurrentIndex(1 if choices.get("portrait") else 0)
        self.public.setChecked(bool(choices.get("public")))
        self.previous.setChecked(bool(choices.get("previous")))
        self.accepted.setChecked(bool(choices.get("accepted_only")))

    def choices(self) -> dict[str, Any]:
        """Return the controls' choices in the form the plan remembers them."""
        themes = _checked(self.themes)
        return {
            "themes": None if len(themes) == self.themes.count() else themes,
            "previous": self.previous.isChecked(),
            "public": self.public.isChecked(),
            "accepted_only": self.accepted.isChecked(),
            "portrait": bool(self.orientation.currentData()),
            "letter": bool(self.paper.currentData()),
            "extra_fields": _checked(self.columns),
        }

    def options(self):
        """Return the print options the controls describe."""
        from exports.appendix.layout import PrintOptions

        return PrintOptions(
            themes=_checked(self.themes),
            period=self.period.currentData(),
            public=self.public.isChecked(),
            previous=self.previous.isChecked(),
            portrait=bool(self.orientation.currentData()),
            letter=bool(self.paper.currentData()),
            extra_fields=_checked(self.columns),
            accepted_only=self.accepted.isChecked(),
        )

    def remember(self) -> None:
        """Keep the choices in the plan (one edit, on the undo stack) so next time prints alike."""
        if self.doc.read_only:
            return
        choices = self.choices()
        run_edit(self.session, lambda: print_choices.save(self.doc, choices))

    # -- the preview --------------------------------------------------------------------------

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.print_button, self.pdf_button, self.page):
            widget.setEnabled(ready)

    def schedule(self) -> None:
        """Drop what is shown and render once the ticks settle (a choice changed)."""
        self.generation += 1  # whatever is being made now is for old choices
        self.pdf = None
        self._set_ready(False)
        if not _checked(self.themes):
            self.render()  # nothing to print: say so at once
            return
        self.status.setText("Waiting for your choices…")
        self.timer.start()

    def render(self) -> None:
        """Make the appendix off the GUI thread: the first theme at once, then the whole."""
        from exports.appendix.layout import print_period
        from exports.appendix.printing import read_for_print

        self.timer.stop()
        self.generation += 1
        generation = self.generation
        self.pdf = None
        self._set_ready(False)
        options = self.options()
        if not options.themes:
            self.status.setText(f"Tick at least one {self.theme_word.lower()} to print.")
            self.view.show_document(None)
            self._show_notes([])
            return
        try:
            # The plan is read here, on the thread that owns the file; the workers get data.
            # The period is chosen once, here, and passed down to every step.
            period = print_period(reads.periods(self.doc), options.period)
            data = read_for_print(self.doc, options, period)
        except ScrutineerError as exc:
            self._failed(exc)
            return
        self.started += 1
        self.status.setText("Preparing the appendix…")
        self._start(generation, (data, period), options, "first")

    def _start(
        self, generation: int, read: tuple[PlanData, Period], options: Any, stage: str
    ) -> None:
        """Make one PDF in the background: a ``first`` look, or the ``whole`` appendix.

        The first look starts the whole appendix once its pages in view are drawn.
        """
        with_report = self.with_report.isChecked()

        def work() -> tuple[bytes, list[str], bool, PdfPages] | None:
            if generation != self.generation:
                return None  # the choices changed before it began
            pdf, notes, whole = make_pdf(
                read[0], options, read[1], first_look=stage == "first", with_report=with_report
            )
            if generation != self.generation:
                return None
            return pdf, notes, whole, PdfPages(pdf)

        def done(result: tuple[bytes, list[str], bool, PdfPages] | None) -> None:
            task.deleteLater()
            if result is None or generation != self.generation:
                self.discarded += 1
                if result is not None:
                    result[3].close()
                return
            pdf, notes, whole, document = result
            # The whole appendix replaces the first theme's pages where the person is reading.
            self.view.show_document(document, keep_place=stage == "whole")
            self.page.setRange(1, max(len(document), 1))
            self.page.setSuffix(f" of {len(document)}" if whole else "")
            if whole:
                self.pdf, self.notes = pdf, notes
                count = len(document)
                self.status.setText(f"{count} page{'s' if count != 1 else ''}")
                self._show_notes(notes)
                self._set_ready(True)
                return
            self.status.setText(
                "Showing the first pages while the rest is laid out (the page count follows)…"
            )
            # The whole appendix starts once the pages in view are drawn, so it does not
            # compete with them for the processor.
            self._then = lambda: self._start(generation, read, options, "whole")
            if not self.view.busy():
                self._start_whole()

        task = tasks.run(self, "Preparing the appendix…", work, done, self._failed, quiet=True)

    def _start_whole(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()

    def _zoom_buttons(self) -> list[QWidget]:
        """Return Zoom out, the zoom shown, Zoom in and Fit: the view's keys, as buttons."""
        # The keys work anywhere in the dialog, not only with the pages focused.
        self.addActions(self.view.zoom_actions)
        zoom_in, zoom_out, fit = self.view.zoom_actions
        shown = QLabel("100%", self)
        shown.setAccessibleName("Zoom")
        shown.setMinimumWidth(shown.fontMetrics().horizontalAdvance("300% "))
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.zoom_changed.connect(lambda zoom: shown.setText(f"{round(zoom * 100)}%"))
        widgets: list[QWidget] = []
        for action, text in ((zoom_out, "−"), (None, ""), (zoom_in, "+"), (fit, "Fit")):
            if action is None:
                widgets.append(shown)
                continue
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setText(text)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{action.text()} ({keys})")
            button.setAccessibleName(action.text())
            button.setAutoRaise(True)
            widgets.append(button)
        return widgets

    def _follow_page(self, number: int) -> None:
        self.page.blockSignals(True)  # scrolling moves the number, not the other way round
        self.page.setValue(number + 1)
        self.page.blockSignals(False)

    def _show_notes(self, notes: list[str]) -> None:
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ScrutineerError):
            raise exc
        self.status.setText(str(exc))
        messages.error(str(exc))

    def done(self, result: int) -> None:
        """Close, and give back the memory the preview held."""
        self.timer.stop()
        self.generation += 1  # anything still being made is thrown away when it arrives
        self.view.release()
        self.pdf = None
        super().done(result)

    # -- printing -----------------------------------------------------------------------------

    def ask_printer(self, printer: QPrinter) -> bool:
        """Show Qt's print dialog; False when the person cancels."""
        printer.setFromTo(1, len(self.pages))
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def _chosen_pages(self, printer: QPrinter) -> list[int]:
        count = len(self.pages)
        first, last = printer.fromPage(), printer.toPage()
        if not (first or last):
            return list(range(count))
        return [p for p in range(count) if first - 1 <= p <= (last or count) - 1]

    def print_pages(self, printer: QPrinter | None = None) -> bool:
        """Send the previewed appendix to a printer the person chooses; True when printed.

        A PDF printer gets our PDF itself, and so does a CUPS printer (through ``lp``): pages
        stay vector. Anything else (Windows' own printing) gets one picture a page, drawn at
        the printer's resolution (at most ``IMAGE_DPI``) and sent without lossy compression.
        """
        if not self.pdf:
            return False
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Appendix")
        if not self.ask_printer(printer):
            return False
        pages = self._chosen_pages(printer)
        if not pages:
            return False
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            printed = self._print_pdf_file(printer, pages)
        elif sys.platform != "win32" and shutil.which("lp") and printer.printerName():
            printed = self._print_lp(printer, pages)
        else:
            printed = print_images(self.pdf, printer, pages, self)
        if printed:
            self.remember()
            self.status.setText(f"Sent {len(pages)} page{'s' if len(pages) != 1 else ''}.")
        return printed

    def _print_pdf_file(self, printer: QPrinter, pages: list[int]) -> bool:
        from exports.appendix.printing import write_atomically

        assert self.pdf is not None
        content = self.pdf if len(pages) == len(self.pages) else pdf_subset(self.pdf, pages)
        try:
            write_atomically(Path(printer.outputFileName()), content)
        except ScrutineerError as exc:
            messages.error(str(exc))
            return False
        return True

    def _print_lp(self, printer: QPrinter, pages: list[int]) -> bool:
        assert self.pdf is not None
        command = ["lp", "-d", printer.printerName(), "-t", "Appendix"]
        command += ["-n", str(max(printer.copyCount(), 1))]
        if len(pages) != len(self.pages):
            command += ["-o", f"page-ranges={pages[0] + 1}-{pages[-1] + 1}"]
        sides = {
            QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
            QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
        }.get(printer.duplex())
        if sides:
            command += ["-o", f"sides={sides}"]
        try:
            subprocess.run(
                command, input=self.pdf, capture_output=True, check=True, timeout=LP_TIMEOUT
            )
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            said = detail.decode(errors="replace").strip().splitlines()
            reason = f" ({said[-1]})" if said else ""
            messages.error(
                f"The appendix could not be sent to {printer.printerName()}{reason}; "
                "check the printer and try again."
            )
            return False
        return True

    # -- saving -------------------------------------------------------------------------------

    def save(self, kind: str) -> Path | None:
        """Write the appendix as PDF or Word to a file the person chooses.

        The PDF the preview already made is written at once (its path is returned). Anything
        else (Word, or a PDF before the preview is done) is read and rendered off the GUI
        thread, with progress and Cancel, and ``saved`` names the file when it is written
        (``None`` is returned). Cancelling stops before the write, so no file is left.
        """
        from exports.appendix.printing import write_atomically

        label = "PDF" if kind == "pdf" else "Word"
        suggested = self.doc.path.with_name(
            f"{self.doc.path.stem} appendix {self.period.currentText()}".replace("/", "-")
            + f".{kind}"
        )
        name = messages.save_path(
            self, f"Save as {label}", str(suggested), f"{label} files (*.{kind})"
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        if kind == "pdf" and self.pdf is not None:
            return path if self._write(path, lambda: write_atomically(path, self.pdf)) else None
        options = self.options()
        with_report = self.with_report.isChecked()
        source, who = self.doc.path, self.doc.who
        cancel = tasks.Cancel()

        def work() -> bytes:
            from exports.appendix.layout import print_period
            from exports.appendix.printing import read_for_print, render_docx

            # The worker reads the plan on a connection of its own.
            with Document.open(source, read_only=True, integrity=False, who=who) as own:
                period = print_period(reads.periods(own), options.period)
                data = read_for_print(own, options, period)
            cancel.check()
            if kind == "pdf":
                content = make_pdf(data, options, period, with_report=with_report)[0]
            elif with_report:
                from exports.report.printing import render_agenda_item

                content = render_agenda_item(data, options, "docx")
            else:
                content = render_docx(data, options, period)
            cancel.check()  # the last moment to stop: after this the file is written whole
            write_atomically(path, content)
            return content

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                messages.error(f"{path.name} could not be written ({exc.strerror}).")
                return
            if not isinstance(exc, ScrutineerError):
                raise exc
            messages.error(str(exc))

        self.status.setText(f"Saving {path.name}…")
        self.saving = tasks.run(
            self,
            f"Saving {path.name}…",
            work,
            lambda _content: self._saved(path),
            failed,
            cancel=cancel,
            on_cancel=lambda: self.status.setText(f"Cancelled: {path.name} was not written."),
        )
        return None

    def _write(self, path: Path, write: Callable[[], object]) -> bool:
        try:
            write()
        except ScrutineerError as exc:
            messages.error(str(exc))
            return False
        except OSError as exc:
            messages.error(f"{path.name} could not be written ({exc.strerror}).")
            return False
        self._saved(path)
        return True

    def _saved(self, path: Path) -> None:
        self.remember()
        self.status.setText(f"Saved {path.name}.")
        self.saved_path = path
        self.saved.emit(path)


def print_images(
    pdf: bytes, printer: QPrinter, pages: list[int], parent: QWidget | None = None
) -> bool:
    """Print ``pages`` of ``pdf`` as one picture a page; True when every page was sent.

    Each page is drawn only when it is printed, at the printer's resolution up to
    ``IMAGE_DPI``, and handed over with lossless compression, so the spool grows by one
    bounded page at a time and nothing is kept once it has gone.
    """
    painter = QPainter()
    if not painter.begin(printer):
        messages.error("The printer could not be started; check it is switched on and try again.")
        return False
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    dpi = min(printer.resolution(), IMAGE_DPI)
    progress = None
    if parent is not None and len(pages) > 1:
        progress = QProgressDialog("Printing…", "Cancel", 0, len(pages), parent)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
    document = PdfPages(pdf)
    try:
        for position, number in enumerate(pages):
            if progress is not None:
                progress.setValue(position)
                if progress.wasCanceled():
                    printer.abort()
                    return False
            if position:
                printer.newPage()
            image = document.render_dpi(number, dpi)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
            del image  # one page's pixels at a time
    finally:
        painter.end()
        document.close()
        if progress is not None:
            progress.close()
            progress.deleteLater()
    return True
