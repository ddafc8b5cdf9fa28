"""Printing the appendix: choose themes and period, see the real PDF's pages, print or save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import reads
from db.document import Document
from db.errors import ScrutineerError
from ui import messages, tasks
from ui.pdf_pages import render_pages

PREVIEW_DPI = 110
PRINT_DPI = 300


class PrintDialog(QDialog):
    """Preview of the appendix as it will print; Print…, Save as PDF… and Save as Word…."""

    def __init__(self, doc: Document, period: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.pdf: bytes | None = None
        self.pages: list[QImage] = []
        self.task: tasks.Task | None = None
        self.setWindowTitle("Print the appendix")
        self.resize(1100, 760)
        plan = reads.plan(doc)
        word = plan.theme_word or "Theme"

        self.themes = QListWidget(self)
        self.themes.setAccessibleName(f"{word}s to print")
        for theme in reads.themes(doc):
            item = QListWidgetItem(f"{word} {theme.number}: {theme.title}".strip(), self.themes)
            item.setData(Qt.ItemDataRole.UserRole, theme.number)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.period = QComboBox(self)
        self.period.setAccessibleName("Period to print")
        for p in reads.periods(doc):
            self.period.addItem(p.label, p.label)
        if period:
            self.period.setCurrentIndex(max(self.period.findData(period), 0))
        else:
            self.period.setCurrentIndex(self.period.count() - 1)
        self.public = QCheckBox("Pu&blic copy (exempt passages hidden)", self)
        self.previous = QCheckBox("Show previous status and &direction of travel", self)
        self.portrait = QCheckBox("P&ortrait", self)
        self.accepted = QCheckBox("&Accepted updates only", self)
        self.accepted.setToolTip("Leave out every update the office has not accepted yet")
        self.refresh_button = QPushButton("&Update preview", self)
        self.refresh_button.clicked.connect(self.render)
        self.print_button = QPushButton("&Print…", self)
        self.print_button.clicked.connect(self.print_pages)
        self.pdf_button = QPushButton("Save as PD&F…", self)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.word_button = QPushButton("Save as &Word…", self)
        self.word_button.clicked.connect(lambda: self.save("docx"))
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.reject)

        choices = QFormLayout()
        themes_label = QLabel(f"&{word}s:", self)
        themes_label.setBuddy(self.themes)
        choices.addRow(themes_label)
        choices.addRow(self.themes)
        choices.addRow("P&eriod:", self.period)
        choices.addRow(self.public)
        choices.addRow(self.previous)
        choices.addRow(self.portrait)
        choices.addRow(self.accepted)
        choices.addRow(self.refresh_button)
        side = QWidget(self)
        side.setLayout(choices)
        side.setMaximumWidth(340)

        self.status = QLabel(self)
        self.status.setAccessibleName("Preview status")
        self.page_box = QWidget(self)
        self.page_layout = QVBoxLayout(self.page_box)
        self.page_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setAccessibleName("Preview")
        self.scroll.setWidget(self.page_box)
        self.scroll.setWidgetResizable(True)
        self.scroll.setBackgroundRole(self.scroll.backgroundRole().Dark)

        top = QHBoxLayout()
        top.addWidget(side)
        preview = QVBoxLayout()
        preview.addWidget(self.status)
        preview.addWidget(self.scroll, 1)
        top.addLayout(preview, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.pdf_button, self.word_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self._set_ready(False)
        self._again = False
        self.themes.itemChanged.connect(lambda _item: self.render())
        self.period.currentIndexChanged.connect(lambda _i: self.render())
        for box in (self.public, self.previous, self.portrait, self.accepted):
            box.toggled.connect(lambda _on: self.render())

    def options(self):
        """Return the print options the controls describe."""
        from exports.appendix.printing import PrintOptions

        numbers = [
            self.themes.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.themes.count())
            if self.themes.item(i).checkState() == Qt.CheckState.Checked
        ]
        return PrintOptions(
            themes=numbers,
            period=self.period.currentData(),
            public=self.public.isChecked(),
            previous=self.previous.isChecked(),
            portrait=self.portrait.isChecked(),
            accepted_only=self.accepted.isChecked(),
        )

    def _set_ready(self, ready: bool) -> None:
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(ready)

    def render(self) -> None:
        """Make the PDF and its page images off the GUI thread, then show them."""
        from exports.appendix.printing import read_for_print, render_pdf

        if self.task is not None and self.task.running:
            self._again = True  # the choices changed meanwhile: render once more when done
            return
        self.pdf = None
        options = self.options()
        if not options.themes:
            self.status.setText("Tick at least one theme to print.")
            self._set_ready(False)
            return
        # The plan is read here, on the thread that owns the file; the worker gets plain data.
        data = read_for_print(self.doc, options)
        self._set_ready(False)
        self.status.setText("Preparing the appendix…")

        def work() -> tuple[bytes, list[QImage]]:
            pdf = render_pdf(data, options)
            return pdf, render_pages(pdf, PREVIEW_DPI)

        self.task = tasks.run(self, "Preparing the appendix…", work, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._again = False
        if not isinstance(exc, ScrutineerError):
            raise exc
        self.status.setText(str(exc))
        messages.error(str(exc))

    def _show(self, result: tuple[bytes, list[QImage]]) -> None:
        if self._again:
            self._again = False
            self.render()
            return
        self.pdf, self.pages = result
        while self.page_layout.count():
            item = self.page_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for number, image in enumerate(self.pages, start=1):
            label = QLabel(self.page_box)
            pixmap = QPixmap.fromImage(image)
            width = self.scroll.viewport().width() - 40
            if 200 < width < pixmap.width():
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setAccessibleName(f"Page {number}")
            label.setFrameShape(QLabel.Shape.Box)
            self.page_layout.addWidget(label)
        count = len(self.pages)
        self.status.setText(f"{count} page{'s' if count != 1 else ''}")
        self._set_ready(True)

    def ask_printer(self, printer: QPrinter) -> bool:
        """Show Qt's print dialog; False when the person cancels."""
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def print_pages(self, printer: QPrinter | None = None) -> bool:
        """Send the previewed pages to a printer the person chooses; True when printed."""
        if not self.pdf:
            return False
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("Appendix")
        if not self.ask_printer(printer):
            return False
        pages = list(range(len(self.pages)))
        first, last = printer.fromPage(), printer.toPage()
        if first or last:
            pages = [p for p in pages if first - 1 <= p <= (last or len(pages)) - 1]
        painter = QPainter()
        if not painter.begin(printer):
            messages.error(
                "The printer could not be started; check it is switched on and try again."
            )
            return False
        try:
            for position, number in enumerate(pages):
                if position:
                    printer.newPage()
                image = render_pages(self.pdf, PRINT_DPI, [number])[0]
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
        finally:
            painter.end()
        return True

    def save(self, kind: str) -> Path | None:
        """Write the appendix as PDF or Word to a file the person chooses; return its path."""
        from exports.appendix.printing import (
            read_for_print,
            render_docx,
            render_pdf,
            write_atomically,
        )

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
        try:
            if kind == "pdf" and self.pdf is not None:
                content = self.pdf
            else:
                options = self.options()
                render = render_pdf if kind == "pdf" else render_docx
                content = render(read_for_print(self.doc, options), options)
            write_atomically(path, content)
        except ScrutineerError as exc:
            messages.error(str(exc))
            return None
        except OSError as exc:
            messages.error(f"{path.name} could not be written ({exc.strerror}).")
            return None
        self.status.setText(f"Saved {path.name}.")
        return path
