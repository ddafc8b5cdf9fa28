"""Driving the main window in tests as a person would: what it told them, clicks and typing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from db import reads
from db.document import Document


class Told:
    """What the window told the person, and the answers queued for its questions."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.answers: list[str | None] = []
        self.save_paths: list[str | None] = []
        self.picks: list[str | None] = []
        self.folders: list[str | None] = []

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.messages if kind is None or k == kind]


def make_window(qtbot, settings_dir: Path, path: Path | None = None):
    from desktop.app import make_settings
    from desktop.main_window import MainWindow

    window = MainWindow(make_settings(settings_dir))
    qtbot.addWidget(window)
    window.show()
    if path is not None:
        window.open_file(path)
        qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    return window


def wait_merged(dialog, timeout_s: float = 20.0) -> None:
    """Wait until a merge dialog's merge (run off the GUI thread) has come in or been refused."""
    import time

    from PySide6.QtCore import QCoreApplication

    end = time.monotonic() + timeout_s
    while dialog.report is None and dialog.error is None:
        assert time.monotonic() < end, "the merge did not finish"
        QCoreApplication.processEvents()
        time.sleep(0.005)


def period_id(path: Path, label: str | None = None) -> str:
    with Document.open(path, read_only=True) as doc:
        periods = reads.periods(doc)
        return next(p.id for p in periods if label is None or p.label == label)


def stored_update(path: Path, ref: str, label: str | None = None):
    """Reopen the file and return the update of the action ``ref`` for a period (default latest)."""
    with Document.open(path, read_only=True) as doc:
        periods = reads.periods(doc)
        period = periods[-1] if label is None else next(p for p in periods if p.label == label)
        action = next(a for a in reads.actions(doc) if a.ref == ref)
        update = reads.update(doc, action.id, period.id)
        statuses = {s.id: s.label for s in reads.statuses(doc)}
        return (statuses.get(update.status_id or "") if update else None), (
            update.text if update else None
        )


def click_row(qtbot, window, ref: str) -> None:
    """Click the action ``ref`` in the tree with the mouse."""
    view = window.view
    # A plan shown a moment ago may not be laid out yet: a person sees the tree first.
    qtbot.waitUntil(lambda: view.tree.viewport().height() > 0)
    model = view.model
    theme = model.index(0, 0)
    view.tree.expand(theme)
    if model.canFetchMore(theme):
        model.fetchMore(theme)
    row = next(r for r in range(model.rowCount(theme)) if model.index(r, 0, theme).data() == ref)
    view.tree.scrollTo(model.index(row, 1, theme))
    rect = view.tree.visualRect(model.index(row, 1, theme))
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.action_form.ref.text() == ref


def choose_status(qtbot, window, label: str) -> None:
    """Pick a status in the form's combo box with the keyboard, as a person would."""
    combo = window.view.action_form.status
    combo.setFocus()
    target = next(i for i in range(combo.count()) if combo.itemText(i).startswith(label))
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def type_update(qtbot, window, text: str) -> None:
    """Replace the update text by typing, then leave the field with Tab."""
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)
    window.view.action_form.flush()


def visible_refs(window) -> list[str]:
    model = window.view.model
    refs = []
    for t in range(model.rowCount()):
        theme = model.index(t, 0)
        if model.canFetchMore(theme):
            model.fetchMore(theme)
        refs += [model.index(r, 0, theme).data() for r in range(model.rowCount(theme))]
    return refs


# -- opening -----------------------------------------------------------------------------------
