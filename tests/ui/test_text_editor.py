from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.text_editor import CommitLine, UpdateEditor, today_entry

# The offscreen platform cannot resize a real window frame and says so for every shown window.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _form(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    editor = UpdateEditor(host)
    other = QLineEdit(host)
    layout.addWidget(editor)
    layout.addWidget(other)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    return host, editor, other


def test_commits_once_when_focus_leaves(qtbot):
    _host, editor, other = _form(qtbot)
    seen = []
    editor.committed.connect(seen.append)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "Hello")
    assert seen == []
    other.setFocus()
    assert seen == ["Hello"]
    editor.edit.setFocus()
    other.setFocus()
    assert seen == ["Hello"]


def test_ctrl_return_commits_and_tab_moves_on(qtbot):
    _host, editor, _other = _form(qtbot)
    seen = []
    editor.committed.connect(seen.append)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "Text")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Text"]
    qtbot.keyClick(editor.edit, Qt.Key.Key_Tab)
    assert editor.edit.toPlainText() == "Text"
    assert editor.dated.hasFocus()  # the next field, not a tab character


def test_show_text_is_not_an_edit(qtbot):
    line = CommitLine()
    qtbot.addWidget(line)
    seen = []
    line.committed.connect(seen.append)
    line.show_text("Stored")
    line.commit()
    assert seen == []


def test_dated_entry_starts_a_new_paragraph(qtbot):
    _host, editor, _ = _form(qtbot)
    editor.show_text("First entry.")
    editor.dated.click()
    qtbot.keyClicks(editor.edit, "Second.")
    assert editor.text() == f"First entry.\n\n{today_entry()}Second."


def test_read_only_disables_the_tools(qtbot):
    _host, editor, _ = _form(qtbot)
    editor.set_read_only(True)
    assert (
        editor.edit.isReadOnly() and not editor.dated.isEnabled() and not editor.exempt.isEnabled()
    )
    editor.add_dated_entry()
    assert editor.text() == ""


def test_word_count_ignores_markup(qtbot):
    _host, editor, _ = _form(qtbot)
    editor.show_text("Two words [exempt: s.40]three more here[/exempt]")
    assert editor.words.text() == "5 words · exempt: s.40"


def test_markup_a_public_output_would_refuse_is_flagged_as_typed(qtbot):
    _host, editor, _ = _form(qtbot)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "Open. [exempt : s.31]secret[/exempt]")
    assert editor.words.text().endswith("An exempt tag is not written [exempt: code] on one line.")
    (flag,) = editor.edit.extraSelections()
    assert flag.cursor.selectedText() == "[exempt : s.31]"
    editor.edit.selectAll()
    qtbot.keyClicks(editor.edit, "Open. [exempt: s.31]secret[/exempt]")
    assert editor.words.text() == "2 words · exempt: s.31"
    assert editor.edit.extraSelections() == []
