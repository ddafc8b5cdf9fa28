"""The Report view: create a report, write a section, type a figure, see the total, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.document import Document
from db.reads import read_plan
from db.report import DEFAULT_SECTIONS, read_report
from exports.sheets.importing import import_file
from tests.exports.report.hightech import TABLE_1, report_workbook
from ui.report_view import ReportDialog
from ui.session import Session

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _report_dialog(qtbot, path: Path, *, create: bool) -> tuple[Session, str, ReportDialog]:
    """Open ``path``'s first period in the Report view; click Create report when asked."""
    session = Session(Document.open(path))
    period = read_plan(session.doc).periods[0].id
    dialog = ReportDialog(session, period)
    qtbot.addWidget(dialog)
    if create:
        qtbot.mouseClick(dialog.view.create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(dialog.view.section_editors))
    return session, period, dialog


def test_a_new_report_is_created_and_written(qtbot, ui_empty_path: Path) -> None:
    session, period, dialog = _report_dialog(qtbot, ui_empty_path, create=True)
    assert list(dialog.view.section_editors) == list(DEFAULT_SECTIONS)
    editor = dialog.view.section_editors["Purpose"].edit
    editor.setFocus()
    qtbot.keyClicks(editor, "The purpose of this report is to update the Panel.")
    editor.commit()
    report = read_report(session.doc, period)
    assert report.sections[0].text == "The purpose of this report is to update the Panel."
    assert session.stack.undoText() == "Edit text of report section Purpose"
    session.stack.undo()
    assert read_report(session.doc, period).sections[0].text == ""
    session.close()


def test_a_sections_typing_with_pauses_undoes_as_one_step(qtbot, ui_empty_path: Path) -> None:
    """Each pause in typing commits; one visit to the section is still one undo step."""
    session, period, dialog = _report_dialog(qtbot, ui_empty_path, create=True)
    editor = dialog.view.section_editors["Background"].edit
    editor.setFocus()
    for words in ("The Panel asked", " for this report", " in June."):
        qtbot.keyClicks(editor, words)
        editor.commit()  # what a pause in typing does
    assert read_report(session.doc, period).sections[2].text == (
        "The Panel asked for this report in June."
    )
    session.stack.undo()
    assert read_report(session.doc, period).sections[2].text == ""
    session.close()


def test_figures_grid_shows_and_recomputes_the_total(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "r.scrutiny"
    import_file(report_workbook(tmp_path / "r.xlsx"), path)
    session, period, dialog = _report_dialog(qtbot, path, create=False)
    dialog.show()
    grid = dialog.view.grids[TABLE_1]
    total = grid.rowCount() - 1
    assert grid.item(total, 0).text() == "TOTAL"
    assert [grid.item(total, c).text() for c in range(1, 6)] == [
        "37,802", "37,359", "38,306", "38,967", "40,249",
    ]  # fmt: skip
    grid.setCurrentCell(0, 1)
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    line = grid.viewport().focusWidget() or grid.focusWidget()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, "15,282")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.view.grids[TABLE_1].item(total, 1).text() == "38,802")
    stored = read_report(session.doc, period).tables[0].rows[0].cells[0]
    assert stored == "15282"
    dialog.view.scroll.ensureWidgetVisible(dialog.view.grids[TABLE_1])
    dialog.grab().save(str(tmp_path / "report-view.png"))
    session.stack.undo()
    qtbot.waitUntil(lambda: dialog.view.grids[TABLE_1].item(total, 1).text() == "37,802")
    session.close()


def test_print_dialog_saves_the_report_then_the_appendix(qtbot, tmp_path: Path, monkeypatch):
    import pdfplumber

    from ui import messages
    from ui.print_dialog import PrintDialog

    path = tmp_path / "r.scrutiny"
    import_file(report_workbook(tmp_path / "r.xlsx"), path)
    doc = Document.open(path)
    dialog = PrintDialog(doc, "Q1 2010/11")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.with_report, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert dialog.status.text() == "3 pages"
    monkeypatch.setattr(messages, "save_path", lambda *a: str(tmp_path / "item.pdf"))
    saved = dialog.save("pdf")
    with pdfplumber.open(saved) as pdf:
        assert "1. PURPOSE" in pdf.pages[0].extract_text()
        assert "APPENDIX A" in pdf.pages[2].extract_text()
    doc.close()
