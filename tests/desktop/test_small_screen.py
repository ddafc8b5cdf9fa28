"""The window and every dialog fit a 1024×700 screen: nothing's minimum forces them wider."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import reads
from tests.desktop.gui import click_row, wait_merged
from ui.plan_model import ID_ROLE

SCREEN = (1024, 700)
# The offscreen platform says so whenever a minimum size changes; it is not a fault.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _fits(qtbot, widget) -> None:
    widget.show()
    widget.resize(*SCREEN)
    # Layouts settle once the posted layout requests are handled, as on screen.
    qtbot.wait(50)
    hint = widget.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], type(widget).__name__
    assert widget.width() <= SCREEN[0] and widget.height() <= SCREEN[1], type(widget).__name__


def test_the_main_window_fits_with_a_long_note_under_the_update(qtbot, window):
    click_row(qtbot, window, "7C01")
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    # Exemption codes and a mistyped tag put a long sentence beside the word count.
    qtbot.keyClicks(
        edit,
        " [exempt: s.31(1)(a)]Ports[/exempt] [exempt: s.38(1)(b)]Names[/exempt]"
        " [exempt: s.43(2)]Prices[/exempt] [exempt : s.40(2)]The officer named[/exempt] will report.",
    )
    qtbot.keyClick(edit, Qt.Key.Key_Left)
    _fits(qtbot, window)
    # The theme's form, shown next, keeps the window's width too.
    window.view.select(window.view.model.index(0, 0).data(ID_ROLE))
    _fits(qtbot, window)


def test_every_dialog_fits(qtbot, window, tmp_path):
    from ui.clash_dialog import ClashDialog
    from ui.history_dialog import HistoryDialog
    from ui.merge_dialog import MergeDialog
    from ui.milestones_editor import MilestonesDialog
    from ui.new_plan_dialog import NewPlanDialog
    from ui.period_dialog import PeriodDialog
    from ui.print_dialog import PrintDialog
    from ui.report_view import ReportDialog
    from ui.send_dialog import SendDialog
    from ui.settings_dialog import SettingsDialog
    from ui.signoff_dialog import SignOffDialog

    session = window.session
    doc = session.doc
    action = reads.actions(doc)[1]
    period = reads.periods(doc)[-1].id
    for dialog in (
        HistoryDialog(doc, action.id, window),
        SettingsDialog(session, window),
        PeriodDialog(reads.periods(doc), window),
        NewPlanDialog(window),
        PrintDialog(doc, None, window, session=session),
        SendDialog(doc, window),
        ClashDialog(doc, window, session=session),
        SignOffDialog(doc, window, session=session),
        MilestonesDialog(session, window),
        ReportDialog(session, period, window),
    ):
        qtbot.addWidget(dialog)
        _fits(qtbot, dialog)
        dialog.close()
    returned = tmp_path / "returned.scrutiny"
    doc.save_copy(returned)
    merging = MergeDialog(doc, returned, window, session=session)
    qtbot.addWidget(merging)
    wait_merged(merging)
    _fits(qtbot, merging)
    merging.close()


def test_dialogs_open_no_larger_than_the_screen(qtbot, window):
    from ui.print_dialog import PrintDialog
    from ui.report_view import ReportDialog

    available = window.screen().availableGeometry()
    doc = window.session.doc
    for dialog in (
        PrintDialog(doc, None, window, session=window.session),
        ReportDialog(window.session, reads.periods(doc)[-1].id, window),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.width() <= available.width() and dialog.height() <= available.height()
        dialog.close()
