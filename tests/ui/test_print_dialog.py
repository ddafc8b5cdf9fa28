"""The print preview driven as a clerk would: ticks, All/None, options, print and save."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from reportlab.pdfgen import canvas

from db import print_choices
from db.document import Document
from ui import print_dialog
from ui.pdf_pages import page_count

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def pdf_of(pages: int, size: tuple[float, float] = (842, 595)) -> bytes:
    """Return a PDF of ``pages`` pages, each saying its number in words pdfplumber can read."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=size)
    for number in range(pages):
        c.setFillColorRGB(0.2, 0.6, 0.2)
        c.rect(40, 40, 200, 100, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.drawString(60, 300, f"Page {number + 1} of the stand-in appendix")
        c.showPage()
    c.save()
    return out.getvalue()


class StandIn:
    """Replaces the appendix's PDF maker: records each call; 20 pages a theme; can be held."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], bool]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.waiting = threading.Event()

    def __call__(self, data, options, period=None, first_look=False, with_report=False):
        self.calls.append((list(options.themes), first_look))
        if first_look:
            return pdf_of(3), [], False
        self.waiting.set()  # the whole appendix: a test may hold it mid-render
        assert self.hold.wait(20)
        return pdf_of(20 * len(options.themes)), ["--previous does nothing: one period."], True


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    """Return a plan of three themes with actions and two columns of the office's own."""
    from db.build import create_plan

    data = {
        "plan": {"title": "Three themes", "extra_fields": ["Timescale", "Sponsor"]},
        "statuses": [{"code": "G", "label": "Green", "colour": "#00B050"}],
        "periods": [{"label": "Q1 2024/25"}, {"label": "Q2 2024/25"}],
        "themes": [
            {
                "number": str(n),
                "title": f"Theme number {n}",
                "actions": [{"ref": f"{n}A", "activity": "Do one thing.", "status": "G"}],
            }
            for n in (1, 2, 3)
        ],
    }
    path = tmp_path / "three.scrutiny"
    create_plan(path, data).close()
    return path


@pytest.fixture
def doc(plan_path: Path):
    """Return the three-theme plan, open for editing."""
    document = Document.open(plan_path, who="Clerk")
    yield document
    document.close()


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    """Put a StandIn in place of the appendix's PDF maker."""
    maker = StandIn()
    monkeypatch.setattr(print_dialog, "make_pdf", maker)
    return maker


def show(qtbot, doc, *, rendered: bool = True) -> print_dialog.PrintDialog:
    """Return the dialog opened at 1024×700, rendered once unless told not to."""
    shown = print_dialog.PrintDialog(doc, None)
    qtbot.addWidget(shown)
    shown.resize(1024, 700)
    shown.show()
    qtbot.waitExposed(shown)
    if rendered:
        shown.render()
        qtbot.waitUntil(lambda: shown.pdf is not None, timeout=10000)
    return shown


@pytest.fixture
def dialog(qtbot, doc, stand_in):
    """Return the dialog opened at 1024×700 and rendered once."""
    return show(qtbot, doc)


def settle(qtbot, dialog) -> None:
    """Wait until every page in view (and the few ahead) has been drawn."""
    view = dialog.view

    def drawn() -> bool:
        return not view._pending and all(n in view.images for n in view._wanted)

    qtbot.waitUntil(drawn, timeout=10000)


def toggle_theme(qtbot, dialog, row: int) -> None:
    """Tick or untick one theme with the keyboard, as a person would."""
    dialog.themes.setFocus()
    dialog.themes.setCurrentRow(row)
    qtbot.keyClick(dialog.themes, Qt.Key.Key_Space)


def test_first_theme_shows_first_then_the_whole_appendix(dialog, stand_in):
    assert stand_in.calls == [(["1", "2", "3"], True), (["1", "2", "3"], False)]
    assert len(dialog.pages) == page_count(dialog.pdf) == 60
    assert dialog.status.text() == "60 pages"
    assert dialog.print_button.isEnabled()
    assert not dialog.note.isHidden()
    assert "--previous does nothing" in dialog.note.text()


def test_only_the_pages_in_view_are_drawn(qtbot, dialog):
    settle(qtbot, dialog)
    view = dialog.view
    shown = view.visible_pages()
    assert 0 < len(shown) < 5
    assert set(view.rendered) <= set(range(shown.stop + 2))
    assert len(view.rendered) < 10  # of 60 pages (the first theme's few are drawn once more)
    view.show_page(59)
    settle(qtbot, dialog)
    assert 59 in view.images and 58 in view.images
    assert not set(range(10, 55)) & set(view.rendered)  # the pages scrolled past: never drawn
    assert len(view.images) <= 12  # pictures kept are bounded


def test_a_picture_a_pixel_wider_than_asked_is_kept_not_drawn_again(
    qtbot, doc, stand_in, monkeypatch
):
    """A page pdfium draws a pixel wider (it rounds up) is kept, not redrawn without end."""
    from PySide6.QtGui import QImage

    from ui.pdf_pages import PdfPages

    drawn = PdfPages.render

    def wider(self, number: int, width: int) -> QImage:
        image = drawn(self, number, width)
        return image.scaled(width + 1, image.height())

    monkeypatch.setattr(PdfPages, "render", wider)
    shown = show(qtbot, doc)
    settle(qtbot, shown)
    assert shown.view.images and len(shown.view.rendered) < 12


def test_going_to_a_page_by_number_and_the_number_following_the_scroll(qtbot, dialog):
    assert dialog.page.isEnabled() and dialog.page.suffix() == " of 60"
    dialog.page.setFocus()
    dialog.page.selectAll()
    qtbot.keyClicks(dialog.page, "42")
    qtbot.keyClick(dialog.page, Qt.Key.Key_Return)
    assert dialog.view.visible_pages().start == 41
    settle(qtbot, dialog)
    assert 41 in dialog.view.images
    dialog.view.show_page(9)
    assert dialog.page.value() == 10


def _zoom_shown(dialog) -> str:
    return next(b.text() for b in dialog.zoom_buttons if b.accessibleName() == "Zoom")


def test_zooming_with_the_keys_redraws_the_pages_larger_and_keeps_the_place(qtbot, dialog):
    view = dialog.view
    view.show_page(20)
    settle(qtbot, dialog)
    fitted = view.page_rect(20).width()
    dialog.print_button.setFocus()  # the keys work anywhere in the dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert _zoom_shown(dialog) == "150%"
    assert view.page_rect(20).width() == int(fitted * 1.5)
    assert 20 in view.visible_pages()  # the same page is still in view
    assert view.horizontalScrollBar().maximum() > 0  # wider than the view: it scrolls across
    settle(qtbot, dialog)
    ratio = view.devicePixelRatioF()
    assert view.images[20].width() in (int(fitted * 1.5 * ratio), int(fitted * 1.5 * ratio) + 1)
    assert len(view.images) <= round(12 / 1.5**2) + 2  # fewer, larger pictures kept
    qtbot.keyClick(dialog, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert _zoom_shown(dialog) == "100%" and view.page_rect(20).width() == fitted
    assert view.horizontalScrollBar().maximum() == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert _zoom_shown(dialog) == "75%" and view.page_rect(20).width() == int(fitted * 0.75)


def test_the_zoom_buttons_and_ctrl_wheel_zoom(qtbot, dialog):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    view = dialog.view
    fitted = view.page_rect(0).width()
    zoom_out, _shown, zoom_in, fit = dialog.zoom_buttons
    qtbot.mouseClick(zoom_in, Qt.MouseButton.LeftButton)
    assert _zoom_shown(dialog) == "125%" and "Ctrl+" in zoom_in.toolTip()
    qtbot.mouseClick(fit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(zoom_out, Qt.MouseButton.LeftButton)
    assert view.page_rect(0).width() == int(fitted * 0.75)
    for _ in range(9):  # never below half the fitted width
        qtbot.mouseClick(zoom_out, Qt.MouseButton.LeftButton)
    assert _zoom_shown(dialog) == "50%"
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre, view.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert _zoom_shown(dialog) == "75%"


def test_ticks_in_quick_succession_make_one_render(qtbot, dialog, stand_in):
    started = dialog.started
    toggle_theme(qtbot, dialog, 1)
    assert dialog.pdf is None and not dialog.print_button.isEnabled()
    toggle_theme(qtbot, dialog, 1)
    toggle_theme(qtbot, dialog, 2)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=10000)
    assert dialog.started == started + 1
    assert stand_in.calls[-2:] == [(["1", "2"], True), (["1", "2"], False)]
    assert len(dialog.pages) == 40


def test_a_change_mid_render_throws_the_old_render_away(qtbot, dialog, stand_in):
    stand_in.hold.clear()
    stand_in.waiting.clear()
    dialog.previous.click()
    qtbot.waitUntil(stand_in.waiting.is_set, timeout=10000)  # the whole appendix is being made
    discarded = dialog.discarded
    dialog.orientation.setCurrentIndex(1)  # a second choice while the first render runs
    stand_in.hold.set()
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=10000)
    assert dialog.discarded == discarded + 1
    assert dialog.options().portrait and dialog.options().previous


def test_all_and_none(qtbot, dialog, stand_in):
    started = dialog.started
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    qtbot.wait(print_dialog.DEBOUNCE_MS + 100)
    assert dialog.status.text() == "Tick at least one theme to print."
    assert not dialog.print_button.isEnabled() and dialog.view.document is None
    assert dialog.started == started
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=10000)
    assert dialog.started == started + 1 and stand_in.calls[-1] == (["1", "2", "3"], False)
    assert dialog.choices()["themes"] is None


def test_choices_are_remembered_in_the_plan_and_restored(qtbot, dialog, doc, tmp_path, monkeypatch):
    toggle_theme(qtbot, dialog, 0)
    dialog.paper.setCurrentIndex(1)
    dialog.orientation.setCurrentIndex(1)
    dialog.previous.click()
    dialog.public.click()
    dialog.accepted.click()
    dialog.columns.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=10000)
    options = dialog.options()
    assert (options.letter, options.portrait, options.extra_fields) == (True, True, ["Sponsor"])
    monkeypatch.setattr(dialog, "ask_printer", lambda p: True)
    assert dialog.print_pages(pdf_printer(tmp_path / "printed.pdf"))
    wanted = {
        "themes": ["2", "3"],
        "previous": True,
        "public": True,
        "accepted_only": True,
        "portrait": True,
        "letter": True,
        "extra_fields": ["Sponsor"],
    }
    with Document.open(doc.path, read_only=True) as other:
        assert print_choices.load(other) == wanted  # committed to the file
    again = print_dialog.PrintDialog(doc, None)
    qtbot.addWidget(again)
    assert again.choices() == wanted
    assert again.options().themes == ["2", "3"]


def test_a_theme_that_has_gone_does_not_hide_the_rest(qtbot, doc, stand_in):
    print_choices.save(doc, {"themes": ["9"]})
    again = print_dialog.PrintDialog(doc, None)
    qtbot.addWidget(again)
    assert again.options().themes == ["1", "2", "3"]


def pdf_printer(path: Path) -> QPrinter:
    """Return a printer that prints to a PDF file, as "Print to file" does."""
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_a_pdf_printer_gets_the_vector_pdf_itself(dialog, tmp_path, monkeypatch):
    monkeypatch.setattr(dialog, "ask_printer", lambda p: True)
    out = tmp_path / "printed.pdf"
    assert dialog.print_pages(pdf_printer(out))
    assert out.read_bytes() == dialog.pdf


def test_a_page_range_prints_only_those_pages_still_vector(dialog, tmp_path, monkeypatch):
    import pdfplumber

    def ask(printer):
        printer.setFromTo(3, 4)
        return True

    monkeypatch.setattr(dialog, "ask_printer", ask)
    out = tmp_path / "printed.pdf"
    assert dialog.print_pages(pdf_printer(out))
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2 and not pdf.pages[0].images
        assert "Page 3 of the stand-in appendix" in pdf.pages[0].extract_text()


def test_a_cups_printer_gets_the_pdf_through_lp(dialog, monkeypatch):
    import subprocess

    sent = []
    monkeypatch.setattr(dialog, "ask_printer", lambda p: True)
    monkeypatch.setattr(print_dialog.shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(print_dialog.sys, "platform", "linux")
    monkeypatch.setattr(
        subprocess, "run", lambda command, input, **kw: sent.append((command, input))
    )
    printer = QPrinter()
    monkeypatch.setattr(printer, "printerName", lambda: "Office_Laser")
    monkeypatch.setattr(printer, "outputFormat", lambda: QPrinter.OutputFormat.NativeFormat)
    assert dialog.print_pages(printer)
    assert sent == [(["lp", "-d", "Office_Laser", "-t", "Appendix", "-n", "1"], dialog.pdf)]
    monkeypatch.setattr(printer, "duplex", lambda: QPrinter.DuplexMode.DuplexShortSide)
    printer.setCopyCount(2)
    assert dialog.print_pages(printer)
    assert sent[-1][0][-4:] == ["-n", "2", "-o", "sides=two-sided-short-edge"]


def test_the_image_path_sends_bounded_lossless_pages(dialog, tmp_path):
    import pdfplumber

    out = tmp_path / "images.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # 1200 dpi: drawn at 300
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    assert print_dialog.print_images(dialog.pdf, printer, [0, 1, 2])
    data = out.read_bytes()
    assert b"/DCTDecode" not in data and b"/FlateDecode" in data  # no JPEG: lossless
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 3
        image = pdf.pages[0].images[0]
        assert image["srcsize"][0] <= 842 / 72 * print_dialog.IMAGE_DPI + 1
        assert not pdf.pages[0].extract_words()  # pictures, not text
    assert len(data) / 3 < 2e6


def test_a_page_shows_exactly_the_picture_pdfium_drew(qtbot, dialog):
    """Drawn at its own size: scaling to a rounded height dropped a pixel row mid-text."""
    from PySide6.QtGui import QImage

    settle(qtbot, dialog)
    view = dialog.view
    picture = view.images[0].convertToFormat(QImage.Format.Format_RGB32)
    rect = view.page_rect(0)
    rect.setSize(picture.size())
    shown = view.strip.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)
    inside = picture.rect().adjusted(2, 2, -2, -2)  # the page's border is drawn over the edge
    assert shown.copy(inside) == picture.copy(inside)


def test_closing_gives_the_memory_back(qtbot, dialog):
    settle(qtbot, dialog)
    assert dialog.view.images
    dialog.close_button.click()
    assert not dialog.isVisible()
    assert dialog.view.document is None and not dialog.view.images and dialog.pdf is None


def test_saving_a_pdf_remembers_the_choices(qtbot, dialog, doc, tmp_path, monkeypatch):
    from ui import messages

    monkeypatch.setattr(messages, "save_path", lambda *a: str(tmp_path / "appendix"))
    dialog.previous.click()
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=10000)
    path = dialog.save("pdf")
    assert path == tmp_path / "appendix.pdf" and path.read_bytes() == dialog.pdf
    assert print_choices.load(doc)["previous"] is True


def test_the_first_look_has_the_whole_appendixs_first_page(tmp_path):
    """Heading, key counts and first rows are the whole appendix's; only the page count differs."""
    import pdfplumber

    from db import reads
    from db.build import create_plan
    from exports.appendix.layout import PrintOptions, print_period
    from exports.appendix.printing import read_for_print

    data = {
        "plan": {"title": "Twenty actions"},
        "statuses": [
            {"code": "G", "label": "Green", "colour": "#00B050"},
            {"code": "R", "label": "Red", "colour": "#FF0000"},
        ],
        "periods": [{"label": "Q1 2024/25"}],
        "themes": [
            {
                "number": str(n),
                "title": f"Theme number {n}",
                "actions": [
                    {
                        "ref": f"{n}A{i:02d}",
                        "activity": "Do one thing well.",
                        "status": "G" if i % 3 else "R",
                        "update": "Progress was made this quarter. " * 12,
                    }
                    for i in range(10)
                ],
            }
            for n in (1, 2)
        ],
    }
    path = tmp_path / "twenty.scrutiny"
    create_plan(path, data).close()
    options = PrintOptions(themes=["1", "2"])
    with Document.open(path, read_only=True) as doc:
        period = print_period(reads.periods(doc), options.period)
        plan = read_for_print(doc, options, period)
    first, _notes, whole = print_dialog.make_pdf(plan, options, period, first_look=True)
    assert not whole
    full, _notes, whole = print_dialog.make_pdf(plan, options, period)
    assert whole

    def page_one(pdf: bytes) -> tuple[list[str], int]:
        with pdfplumber.open(io.BytesIO(pdf)) as read:
            words = [w["text"] for w in read.pages[0].extract_words()]
            return words, len(read.pages)

    (first_words, first_pages), (full_words, full_pages) = page_one(first), page_one(full)
    assert first_pages < full_pages
    assert f"{first_pages}" in first_words and f"{full_pages}" in full_words
    strip = {str(first_pages), str(full_pages)}
    assert [w for w in first_words if w not in strip] == [w for w in full_words if w not in strip]
    assert "THEMES 1 AND 2" in " ".join(first_words)  # the whole appendix's title


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_save_as_word_runs_in_the_background_and_can_be_cancelled(
    qtbot, dialog, tmp_path, monkeypatch
):
    """The Word file is read and rendered off the GUI thread; Cancel leaves no file."""
    import zipfile

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from exports.appendix import printing
    from ui import messages, tasks

    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    real = printing.render_docx
    rendering, release, threads = threading.Event(), threading.Event(), []

    def slow_render(*args, **kwargs):
        threads.append(threading.current_thread())
        rendering.set()
        assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "render_docx", slow_render)
    names = [str(tmp_path / "cancelled"), str(tmp_path / "kept")]
    monkeypatch.setattr(messages, "save_path", lambda *a: names.pop(0))

    qtbot.mouseClick(dialog.word_button, Qt.MouseButton.LeftButton)
    assert rendering.wait(20)
    assert threads[0] is not threading.main_thread()  # the window keeps painting meanwhile
    qtbot.waitUntil(lambda: dialog.findChild(QProgressDialog) is not None)
    progress = dialog.findChild(QProgressDialog)
    qtbot.waitUntil(progress.isVisible)
    (cancel,) = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not dialog.saving.running, timeout=20000)
    assert not (tmp_path / "cancelled.docx").exists()
    assert dialog.status.text() == "Cancelled: cancelled.docx was not written."

    qtbot.mouseClick(dialog.word_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved_path == tmp_path / "kept.docx", timeout=20000)
    assert "word/document.xml" in zipfile.ZipFile(tmp_path / "kept.docx").namelist()
    assert dialog.status.text() == "Saved kept.docx."


def test_a_long_theme_title_wraps_instead_of_running_off(qtbot, doc, stand_in):
    from db import edits, reads

    title = "Protecting vulnerable people and reducing harm in every neighbourhood of the county"
    edits.edit(doc, "themes", reads.themes(doc)[0].id, title=title)
    themes = show(qtbot, doc, rendered=False).themes
    long_row = themes.visualItemRect(themes.item(0))
    short_row = themes.visualItemRect(themes.item(1))
    assert long_row.height() > 1.5 * short_row.height()  # two lines or more
    assert long_row.right() <= themes.viewport().width()
    assert not themes.horizontalScrollBar().isVisible()
