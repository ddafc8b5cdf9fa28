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
    assert editor.words.text().endswith(
        "An exempt tag is not written exactly [exempt: code], on one line."
    )
    assert _underlined(editor) == "[exempt : s.31]"
    editor.edit.selectAll()
    qtbot.keyClicks(editor.edit, "Open. [exempt: s.31]secret[/exempt]")
    assert editor.words.text() == "2 words · exempt: s.31"
    assert _underlined(editor) == ""


def _painted(editor):
    """Return, per character of the editor's text, the format the highlighter gave it."""
    from PySide6.QtGui import QTextCharFormat

    document = editor.edit.document()
    chars = []
    block = document.begin()
    while block.isValid():
        formats = block.layout().formats()
        for offset in range(block.length()):
            found = QTextCharFormat()
            for r in formats:
                if r.start <= offset < r.start + r.length:
                    found = QTextCharFormat(r.format)
            chars.append(found)
        block = block.next()
    return chars


def _units(text):
    """Return the text one UTF-16 unit at a time, as Qt counts (an emoji is two)."""
    return [u for c in text for u in ((c, "") if ord(c) > 0xFFFF else (c,))]


def _underlined(editor):
    text = _units(editor.edit.toPlainText())
    painted = _painted(editor)
    return "".join(
        c
        for c, f in zip(text, painted, strict=False)
        if f.underlineStyle() == f.UnderlineStyle.WaveUnderline
    )


def _shaded(editor):
    from ui.markup_highlighter import PASSAGE_SHADE

    text = _units(editor.edit.toPlainText())
    return "".join(
        c if f.background().color().name().upper() == PASSAGE_SHADE else "_"
        for c, f in zip(text, _painted(editor), strict=False)
    )


def test_an_exempt_passage_typed_shows_as_a_marked_passage(qtbot):
    from PySide6.QtGui import QFont

    from ui.markup_highlighter import CODE_COLOUR, TAG_GREY

    _host, editor, _ = _form(qtbot)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "Open. [exempt: s.31(1)(a)]secret plan[/exempt] after.")
    text = editor.text()
    # The passage and its tags are shaded as one; what is public is not.
    assert _shaded(editor) == "______[exempt: s.31(1)(a)]secret plan[/exempt]_______"
    painted = _painted(editor)
    code = text.index("s.31(1)(a)")
    assert painted[code].foreground().color().name().upper() == CODE_COLOUR
    assert painted[code].fontWeight() == QFont.Weight.Bold
    assert painted[text.index("[exempt")].foreground().color().name().upper() == TAG_GREY
    assert painted[text.index("[/exempt")].foreground().color().name().upper() == TAG_GREY
    assert painted[text.index("secret")].foreground().color().name().upper() != TAG_GREY
    assert _underlined(editor) == ""


def test_a_closing_tag_typed_lines_later_mends_the_passage_it_closes(qtbot):
    _host, editor, _ = _form(qtbot)
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "[exempt: s.40]first line")
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.edit, "second")
    # Unclosed: its opening tag, on the first line, is flagged, and the rest is shaded.
    assert _underlined(editor) == "[exempt: s.40]"
    assert "not closed" in editor.words.text()
    qtbot.keyClicks(editor.edit, "[/exempt] public")
    assert _underlined(editor) == ""
    assert _shaded(editor) == "[exempt: s.40]first line_second[/exempt]_______"


def test_shading_stays_on_the_passage_after_an_emoji(qtbot):
    _host, editor, _ = _form(qtbot)
    editor.show_text("😀 ok [exempt: s.40]x[/exempt] y")
    assert _shaded(editor) == "______[exempt: s.40]x[/exempt]__"  # 😀 is two units


def test_the_exemption_is_taken_off_from_inside_the_passage(qtbot):
    _host, editor, _ = _form(qtbot)
    seen = []
    editor.committed.connect(seen.append)
    editor.show_text("Keep [exempt: s.40]these words[/exempt] here.")
    assert editor.exempt.text() == "Mark passage e&xempt…"
    editor.edit.setFocus()
    cursor = editor.edit.textCursor()
    cursor.setPosition(editor.text().index("these") + 2)
    editor.edit.setTextCursor(cursor)
    assert editor.exempt.text() == "Remove e&xemption"
    assert "s.40" in editor.exempt.toolTip()
    qtbot.mouseClick(editor.exempt, Qt.MouseButton.LeftButton)
    assert seen == ["Keep these words here."]
    assert _shaded(editor).strip("_") == ""
    assert editor.exempt.text() == "Mark passage e&xempt…"
