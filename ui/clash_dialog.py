"""The clash dialog: mine | theirs | a combination, one open clash after another."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import clashes
from db.document import Document
from ui.fit import resize_within_screen
from ui.session import Session, run_edit


class ClashDialog(QDialog):
    """Shows each open clash side by side; a person takes mine, theirs or a combination."""

    def __init__(
        self, doc: Document, parent: QWidget | None = None, *, session: Session | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.session = session  # the window's undo stack, when there is one
        self.setWindowTitle("Resolve clashes")
        resize_within_screen(self, 960, 480)
        self.index = 0
        self.clashes: list[clashes.Clash] = []
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.mine = self._pane("mine", read_only=True)
        self.theirs = self._pane("theirs", read_only=True)
        self.combination = self._pane("combination", read_only=False)
        self.mine_label = QLabel("&Mine (this plan)")
        self.theirs_label = QLabel("&Theirs")
        self.combination_label = QLabel("&Combination (edit it)")
        for label, pane in (
            (self.mine_label, self.mine),
            (self.theirs_label, self.theirs),
            (self.combination_label, self.combination),
        ):
            label.setBuddy(pane)
        panes = QGridLayout()
        for column, (label, pane) in enumerate(
            (
                (self.mine_label, self.mine),
                (self.theirs_label, self.theirs),
                (self.combination_label, self.combination),
            )
        ):
            panes.addWidget(label, 0, column, Qt.AlignmentFlag.AlignBottom)
            panes.addWidget(pane, 1, column)
            # Three equal panes, whatever the length of the returned file's name above one.
            panes.setColumnStretch(column, 1)
            label.setWordWrap(True)
        self.take_mine = QPushButton("Take mine")
        self.take_theirs = QPushButton("Take theirs")
        self.use_combination = QPushButton("Use combination")
        self.later = QPushButton("Later")
        self.later.setToolTip("Leave this clash open and look at the next one")
        self.close_button = QPushButton("Close")
        self.take_mine.clicked.connect(lambda: self._resolve("mine"))
        self.take_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.use_combination.clicked.connect(lambda: self._resolve("combined"))
        self.later.clicked.connect(self._next)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.take_mine, self.take_theirs, self.use_combination):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.later)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(panes, 1)
        layout.addLayout(buttons)
        self.reload()

    def _pane(self, name: str, *, read_only: bool) -> QPlainTextEdit:
        pane = QPlainTextEdit()
        pane.setObjectName(name)
        pane.setReadOnly(read_only)
        pane.setTabChangesFocus(True)
        return pane

    @property
    def current(self) -> clashes.Clash | None:
        """Return the clash on show, or None when every clash is resolved."""
        return self.clashes[self.index] if self.clashes else None

    def reload(self) -> None:
        """Read the open clashes again and show the one at the current place in the list."""
        self.clashes = clashes.clashes(self.doc)
        if self.index >= len(self.clashes):
            self.index = 0
        self._show()

    def _show(self) -> None:
        item = self.current
        enabled = item is not None
        for widget in (self.take_mine, self.take_theirs, self.later):
            widget.setEnabled(enabled)
        if item is None:
            self.heading.setText("Every clash is resolved.")
            self.explain.setText("")
            for pane in (self.mine, self.theirs, self.combination):
                pane.setPlainText("")
            self.use_combination.setEnabled(False)
            self.combination.setEnabled(False)
            return
        self.heading.setText(
            f"Clash {self.index + 1} of {len(self.clashes)}: {item.ref}, {item.field_label}"
        )
        source = f"{item.origin} ({item.who})" if item.who else item.origin
        self.theirs_label.setText(f"&Theirs ({source})")
        if item.kind == "deleted_here":
            self.explain.setText(
                f"This was deleted here, but {source} changed it. Take theirs to restore it "
                "with everything that belongs to it, or take mine to keep it deleted."
            )
        elif item.kind == "deleted_there":
            self.explain.setText(
                f"{source} deleted this, but it was changed here. Take theirs to delete it, "
                "or take mine to keep it."
            )
        else:
            self.explain.setText(
                f"The {item.field_label} was changed here and in {source} since the file was "
                "sent. Choose one, or write a combination of both."
            )
        mine = clashes.shown(self.doc, item, item.mine)
        theirs = clashes.shown(self.doc, item, item.theirs)
        self.mine.setPlainText(mine)
        self.theirs.setPlainText(theirs)
        self.combination.setEnabled(item.editable)
        self.use_combination.setEnabled(item.editable)
        if item.editable:
            self.combination.setPlaceholderText("")
            self.combination.setPlainText(f"{mine}\n\n{theirs}")
        else:
            self.combination.setPlainText("")
            self.combination.setPlaceholderText(
                f"The {item.field_label} cannot be combined; take mine or theirs."
            )

    def _next(self) -> None:
        if self.clashes:
            self.index = (self.index + 1) % len(self.clashes)
        self._show()

    def _resolve(self, choice: str) -> None:
        item = self.current
        if item is None:
            return
        text = self.combination.toPlainText() if choice == "combined" else None
        resolved = run_edit(self.session, lambda: clashes.resolve(self.doc, item.id, choice, text))
        if resolved is None:
            return
        self.reload()
        if self.current is None:
            self.accept()
