"""The keyboard: no underlined letter used twice in one window, dialog or menu, and F1 lists every key."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QTabWidget, QWidget

from db import edits, reads
from db.document import Document
from tests.desktop.gui import click_row

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

_MNEMONIC = re.compile(r"&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def _texts(root: QWidget) -> list[str]:
    """Return the texts that can carry an underlined letter in ``root`` as it is shown now."""
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton | QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
    return texts


def _twice(texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for text in texts:
        letter = _letter(text)
        if letter:
            seen.setdefault(letter, []).append(text)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _menus(menu: QMenu) -> list[QMenu]:
    found = [menu]
    for action in menu.actions():
        if action.menu() is not None:
            found += _menus(action.menu())
    return found


def test_no_underlined_letter_is_used_twice_in_the_main_window_or_a_menu(qtbot, window):
    bar = [a.text() for a in window.menuBar().actions()]
    # The action form, then the theme form: each is shown with the tree and the menu bar.
    click_row(qtbot, window, "7C01")
    assert _twice(bar + _texts(window)) == {}
    window.view.select(window.view.model.index(0, 0).data(257))
    assert window.view.forms.currentWidget() is window.view.theme_form
    assert _twice(bar + _texts(window)) == {}
    for top in window.menuBar().actions():
        for menu in _menus(top.menu()):
            menu.aboutToShow.emit()
            assert _twice([a.text() for a in menu.actions() if not a.isSeparator()]) == {}, (
                menu.title()
            )


def test_no_underlined_letter_is_used_twice_in_any_dialog(qtbot, window, tmp_path):
    from ui.clash_dialog import ClashDialog
    from ui.history_dialog import HistoryDialog
    from ui.merge_dialog import MergeDialog
    from ui.new_plan_dialog import NewPlanDialog
    from ui.period_dialog import PeriodDialog
    from ui.print_dialog import PrintDialog
    from ui.send_dialog import SendDialog
    from ui.settings_dialog import SettingsDialog
    from ui.signoff_dialog import SignOffDialog

    doc = window.session.doc
    returned = tmp_path / "returned.scrutiny"
    doc.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        action = reads.actions(copy)[0]
        edits.set_update(copy, action.id, reads.periods(copy)[-1].id, text="KD's words.")
    window.session.commit(
        edits.set_update, action.id, reads.periods(doc)[-1].id, text="The office's words."
    )
    dialogs = [
        PeriodDialog(reads.periods(doc), window),
        NewPlanDialog(window),
        SettingsDialog(window.session, window),
        HistoryDialog(doc, action.id, window),
        PrintDialog(doc, None, window),
        SendDialog(doc, window),
        MergeDialog(doc, returned, window),
        ClashDialog(doc, window),
        SignOffDialog(doc, window),
    ]
    from tests.desktop.gui import wait_merged

    wait_merged(dialogs[6])
    for dialog in dialogs:
        dialog.show()
        assert _twice(_texts(dialog)) == {}, type(dialog).__name__
        dialog.close()


def test_f1_lists_every_key_the_window_has(qtbot, window, told):
    click_row(qtbot, window, "7C01")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    [listed] = [t for t in told.texts("info") if t.startswith("Keyboard shortcuts")]
    keys = [
        key.toString(QKeySequence.SequenceFormat.NativeText)
        for action in window.findChildren(QAction)
        for key in action.shortcuts()
    ]
    # Keys not made as actions would be missed by the list: there must be none.
    assert window.findChildren(QShortcut) == []
    assert keys and all(key in listed for key in keys)
    for key in ("Ctrl+Shift+D", "Ctrl+Shift+E", "Ctrl+Return", "Esc", "Ctrl+X", "Ctrl+V"):
        assert key in listed, key
    # The print preview's own keys are listed with it, whether it is open or not.
    preview = listed.split("In the print preview:")[1]
    for key in ("Ctrl++", "Ctrl+-", "Ctrl+0"):
        assert key in preview, key


def test_alt_h_and_alt_p_reach_the_menus_and_the_fields_have_their_own(qtbot, window):
    view = window.view
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert view.changed_only.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert view.period.hasFocus()


def test_escape_clears_the_search(qtbot, window):
    from tests.desktop.gui import visible_refs

    search = window.view.search
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search, "budget")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    narrowed = visible_refs(window)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    qtbot.waitUntil(lambda: len(visible_refs(window)) > len(narrowed))


def test_edit_menu_cuts_copies_and_pastes_in_the_field(qtbot, window, sample_path):
    from PySide6.QtWidgets import QApplication

    click_row(qtbot, window, "7C01")
    ref = window.view.action_form.plan_ref
    ref.setFocus()
    qtbot.keyClick(ref, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(ref, "PL9")
    ref.selectAll()
    window.copy_action.trigger()
    assert QApplication.clipboard().text() == "PL9"
    window.cut_action.trigger()
    assert ref.text() == ""
    window.paste_action.trigger()
    window.paste_action.trigger()
    assert ref.text() == "PL9PL9"


@pytest.mark.parametrize("word", ["Pillar", "Strand", "Objective area"])
def test_the_print_dialog_keeps_its_letters_apart_whatever_the_plan_calls_a_theme(
    qtbot, window, word
):
    from ui.print_dialog import PrintDialog

    doc = window.session.doc
    window.session.commit(edits.edit_plan, theme_word=word)
    dialog = PrintDialog(doc, None, window)
    dialog.show()
    assert _twice(_texts(dialog)) == {}, word
    assert any(t.replace("&", "") == f"{word}s:" and "&" in t for t in _texts(dialog))
    dialog.close()
