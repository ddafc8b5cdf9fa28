"""Text fields that commit within a second of the last keystroke, and the update editor on one."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import ScrutineerError
from db.text import exemption_codes, mark_exempt, passage_at, unmark_passage, word_count
from ui import messages
from ui.markup_highlighter import MarkupHighlighter


def key_action(widget: QWidget, name: str, key: str, slot: Callable[[], object]) -> QAction:
    """Give ``widget`` a key of its own, as an action, so the keyboard list (F1) names it."""
    action = QAction(name, widget)
    action.setShortcut(QKeySequence(key))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    widget.addAction(action)
    return action


# A crash loses at most this much typing; a pause this long ends a commit, not the undo step.
COMMIT_PAUSE_MS = 800
_bursts = itertools.count(1)


class CommitLine(QPlainTextEdit):
    """A multi-line field that reports its text after a pause in the typing, on leaving or Ctrl+Return.

    ``burst`` names the run of typing the commit belongs to: it changes when the person leaves
    the field or another text is shown, so the commits of one visit are one undo step.
    Tab moves to the next field (people fill forms with the keyboard); the text is plain.
    """

    committed = Signal(str)
    pending = Signal()  # typed text differs from what is stored

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._shown = ""
        self.burst = next(_bursts)
        self._pause = QTimer(self, singleShot=True, interval=COMMIT_PAUSE_MS)
        self._pause.timeout.connect(self.commit)
        self.textChanged.connect(self._changed)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)
        self.commit_action = key_action(
            self, "Save the text now (and stay in the field)", "Ctrl+Return", self.commit
        )

    def show_text(self, text: str) -> None:
        """Show ``text`` as the stored value, without reporting it as an edit."""
        if self.toPlainText() == self._shown and text in (self._shown, self._shown.strip()):
            # Our own commit read back (perhaps trimmed): the person may be typing on, so the
            # text and the cursor stay as they are.
            return
        self._pause.stop()
        self.burst = next(_bursts)
        self._shown = text
        if self.toPlainText() != text:
            self.setPlainText(text)

    def _changed(self) -> None:
        if self.toPlainText() != self._shown:
            self.pending.emit()
            if not self.isReadOnly():
                self._pause.start()

    def commit(self) -> None:
        """Report the text if it differs from what is stored."""
        self._pause.stop()
        text = self.toPlainText()
        if text != self._shown:
            self._shown = text
            self.committed.emit(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Commit when the person moves on; what they type next is another undo step."""
        self.commit()
        self.burst = next(_bursts)
        super().focusOutEvent(event)


def today_entry() -> str:
    """Return the start of a dated entry for today, the way the plans write it ("10.10.17 - ")."""
    return dt.date.today().strftime("%d.%m.%y - ")


MARK_LABEL = "Mark passage e&xempt…"
UNMARK_LABEL = "Remove e&xemption"


class UpdateEditor(QWidget):
    """An action's update for one period: dated entries, a word count, and exempt passages.

    Exempt passages show as marked (shaded, the code readable, tags grey) and broken markup
    is underlined as it is typed, both read by the parser public output uses. With the
    cursor in a passage, the exempt button takes the marking off again.
    """

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exemptions: list[tuple[str, str]] = []
        self.edit = CommitLine(self, lines=8)
        self.edit.setAccessibleName("Update text")
        self.edit.committed.connect(self.committed)
        self.edit.textChanged.connect(self._count)
        self.marks = MarkupHighlighter(self.edit.document())
        self.edit.cursorPositionChanged.connect(self._follow_cursor)
        self.dated = QPushButton("Add &dated entry", self)
        self.dated.setToolTip("Start a new paragraph dated today (Ctrl+Shift+D)")
        self.dated.clicked.connect(self.add_dated_entry)
        self.exempt = QPushButton(MARK_LABEL, self)
        self.exempt.setToolTip(
            "Mark the selected words exempt from publication under an FOI exemption (Ctrl+Shift+E)"
        )
        self.exempt.clicked.connect(self.toggle_exempt)
        self.words = QLabel(self)
        self.words.setAccessibleName("Word count")
        # Codes and a problem can make a long line: it has a line of its own and wraps
        # there, so it never widens the window.
        self.words.setWordWrap(True)
        self.dated_action = key_action(
            self.edit, "In an update: add a dated entry", "Ctrl+Shift+D", self.add_dated_entry
        )
        self.exempt_action = key_action(
            self.edit,
            "In an update: mark the selected passage exempt (or remove the exemption)",
            "Ctrl+Shift+E",
            self.toggle_exempt,
        )
        bar = QHBoxLayout()
        bar.addWidget(self.dated)
        bar.addWidget(self.exempt)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addLayout(bar)
        layout.addWidget(self.words)
        self._count()

    def show_text(self, text: str) -> None:
        """Show the stored update."""
        self.edit.show_text(text)
        self._count()

    def text(self) -> str:
        """Return the text as it stands in the editor."""
        return self.edit.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        """Allow or forbid changes (a locked period, a read-only file)."""
        self.edit.setReadOnly(read_only)
        self.dated.setEnabled(not read_only)
        self.exempt.setEnabled(not read_only)

    def _count(self) -> None:
        text = self.edit.toPlainText()
        words = word_count(text)
        codes = exemption_codes(text)
        note = f" · exempt: {', '.join(codes)}" if codes else ""
        # Markup a public output would refuse is flagged as it is typed: underlined by the
        # highlighter, and named here, from the one parse both share.
        problems = self.marks.parsed.problems
        if problems:
            note += f" · {problems[0].sentence}"
        self.words.setText(f"{words} word{'s' if words != 1 else ''}{note}")
        self._follow_cursor()

    def _passage_here(self):  # -> db.text.Passage | None
        cursor = self.edit.textCursor()
        if cursor.hasSelection():
            return None
        text = self.edit.toPlainText()
        # Qt's position counts UTF-16 units; the text's indexes count characters.
        position = len(text.encode("utf-16-le")[: cursor.position() * 2].decode("utf-16-le"))
        return passage_at(text, position)

    def _follow_cursor(self) -> None:
        passage = self._passage_here()
        self.exempt.setText(UNMARK_LABEL if passage else MARK_LABEL)
        self.exempt.setToolTip(
            f"Take the marking off this passage (exempt under {passage.code or 'no code'}); "
            "its words stay (Ctrl+Shift+E)"
            if passage
            else "Mark the selected words exempt from publication under an FOI exemption "
            "(Ctrl+Shift+E)"
        )

    def toggle_exempt(self) -> None:
        """Remove the marking of the passage the cursor is in, else mark the selection exempt."""
        passage = self._passage_here()
        if passage is None:
            self.mark_exempt()
        elif not self.edit.isReadOnly():
            self.edit.setPlainText(unmark_passage(self.edit.toPlainText(), passage))
            cursor = self.edit.textCursor()
            cursor.setPosition(
                len(self.edit.toPlainText()[: passage.start].encode("utf-16-le")) // 2
            )
            self.edit.setTextCursor(cursor)
            self.edit.commit()

    def add_dated_entry(self) -> None:
        """Start a new paragraph at the end, dated today, and put the cursor after the date."""
        if self.edit.isReadOnly():
            return
        text = self.edit.toPlainText().rstrip()
        self.edit.setPlainText(f"{text}\n\n{today_entry()}" if text else today_entry())
        cursor = self.edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.edit.setTextCursor(cursor)
        self.edit.setFocus()

    def mark_exempt(self) -> None:
        """Mark the selected passage exempt under the FOI exemption the person chooses."""
        if self.edit.isReadOnly():
            return
        cursor = self.edit.textCursor()
        start, end = sorted((cursor.selectionStart(), cursor.selectionEnd()))
        if start == end:
            messages.info("Select the words to mark exempt first, then choose the exemption.")
            return
        items = [f"{code} – {description}" for code, description in self.exemptions]
        chosen = messages.pick_item(self, "Mark passage exempt", "FOI exemption:", items)
        if not chosen:
            return
        code = chosen.split(" – ", 1)[0]
        try:
            marked = mark_exempt(self.edit.toPlainText(), start, end, code)
        except ScrutineerError as exc:  # the selection crosses an exempt passage's tags
            messages.info(str(exc))
            return
        self.edit.setPlainText(marked)
        self.edit.commit()
