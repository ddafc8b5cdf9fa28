"""A filter drop-down that takes one choice with a click, or several with Ctrl-click or Space."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

ALL = "__all__"
_SEVERAL = "__several__"


class ChoiceCombo(QComboBox):
    """Its first item means "all"; the others may be ticked together ("Amber or Red").

    Choosing an item as usual (click, arrows, Return) shows that one alone. Ctrl-click, or
    Space on an item of the open list, ticks or unticks it and keeps the list open.
    """

    chosen = Signal()  # the ticked set changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStandardItemModel(self))
        self._several = False
        self.currentIndexChanged.connect(self._picked)
        self.view().viewport().installEventFilter(self)
        self.view().installEventFilter(self)
        self.setToolTip("Ctrl-click or Space in the list to show several at once")

    def fill(self, everything: str, choices: list[tuple[str, object]]) -> None:
        """Offer "all" and ``choices`` (text, data), keeping what was ticked where it still exists."""
        kept = set(self.checked())
        model: QStandardItemModel = self.model()  # type: ignore[assignment]
        blocked = self.blockSignals(True)
        try:
            model.clear()
            model.appendRow(QStandardItem(everything))
            model.item(0).setData(ALL, Qt.ItemDataRole.UserRole)
            for text, data in choices:
                item = QStandardItem(text)
                item.setData(data, Qt.ItemDataRole.UserRole)
                item.setCheckable(True)
                item.setCheckState(
                    Qt.CheckState.Checked if data in kept else Qt.CheckState.Unchecked
                )
                model.appendRow(item)
            several = QStandardItem("")
            several.setData(_SEVERAL, Qt.ItemDataRole.UserRole)
            model.appendRow(several)
            self.view().setRowHidden(model.rowCount() - 1, True)
            self._show()
        finally:
            self.blockSignals(blocked)

    def checked(self) -> list[object]:
        """Return the data of every ticked choice (empty: everything is shown)."""
        model: QStandardItemModel = self.model()  # type: ignore[assignment]
        return [
            model.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(1, model.rowCount())
            if model.item(r).isCheckable() and model.item(r).checkState() == Qt.CheckState.Checked
        ]

    def toggle(self, row: int) -> None:
        """Tick or untick the choice in ``row``, as Ctrl-click does."""
        item = self.model().item(row)  # type: ignore[attr-defined]
        if item is None or not item.isCheckable():
            return
        ticked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
        blocked = self.blockSignals(True)
        try:
            self._show()
        finally:
            self.blockSignals(blocked)
        self.chosen.emit()

    def _picked(self, row: int) -> None:
        """Choosing an item the ordinary way shows that one alone."""
        model: QStandardItemModel = self.model()  # type: ignore[assignment]
        if row < 0 or model.item(row) is None:
            return
        if model.item(row).data(Qt.ItemDataRole.UserRole) == _SEVERAL:
            return
        for r in range(1, model.rowCount()):
            if model.item(r).isCheckable():
                model.item(r).setCheckState(
                    Qt.CheckState.Checked if r == row else Qt.CheckState.Unchecked
                )
        self.chosen.emit()

    def _show(self) -> None:
        """Show the one choice, "all", or the several ticked ("Amber or Red")."""
        model: QStandardItemModel = self.model()  # type: ignore[assignment]
        rows = [
            r
            for r in range(1, model.rowCount())
            if model.item(r).isCheckable() and model.item(r).checkState() == Qt.CheckState.Checked
        ]
        last = model.rowCount() - 1
        if len(rows) > 1:
            model.item(last).setText(" or ".join(model.item(r).text() for r in rows))
            self.setCurrentIndex(last)
        else:
            self.setCurrentIndex(rows[0] if rows else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl-click or Space on an item of the open list ticks it without closing the list."""
        view = self.view()
        if (
            watched is view.viewport()
            and event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonPress)
            and isinstance(event, QMouseEvent)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if event.type() == QEvent.Type.MouseButtonRelease:
                self.toggle(view.indexAt(event.position().toPoint()).row())
            return True
        if (
            watched is view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        ):
            self.toggle(view.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
