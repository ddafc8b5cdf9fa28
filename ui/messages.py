"""Everything the app tells or asks a person goes through here, so tests and batch runs can intercept it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

# Set by ``--no-err-windows``: messages go to stderr and questions take their default.
no_windows = False

Presenter = Callable[[str, str, Sequence[str], str | None], str | None]


def _dialog(kind: str, text: str, choices: Sequence[str], default: str | None) -> str | None:
    """Show ``text`` in a message box and return the button chosen (None when dismissed)."""
    icons = {
        "error": QMessageBox.Icon.Warning,
        "info": QMessageBox.Icon.Information,
        "question": QMessageBox.Icon.Question,
    }
    box = QMessageBox(icons.get(kind, QMessageBox.Icon.Information), "Scrutineer", text)
    buttons = {}
    for choice in choices or ["OK"]:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if choice == "Cancel"
            else QMessageBox.ButtonRole.AcceptRole
        )
        buttons[box.addButton(choice, role)] = choice
        if choice == default:
            box.setDefaultButton(next(reversed(buttons)))
    box.exec()
    return buttons.get(box.clickedButton())


def _stderr(kind: str, text: str, choices: Sequence[str], default: str | None) -> str | None:
    print(text, file=sys.stderr)
    return default


presenter: Presenter = _dialog


def _present(
    kind: str, text: str, choices: Sequence[str] = (), default: str | None = None
) -> str | None:
    if no_windows:
        return _stderr(kind, text, choices, default)
    return presenter(kind, text, choices, default)


def error(text: str) -> None:
    """Tell the person something went wrong, in one sentence."""
    _present("error", text)


def info(text: str) -> None:
    """Tell the person something they should know."""
    _present("info", text)


def choose(text: str, choices: Sequence[str], default: str | None = None) -> str | None:
    """Ask the person to pick one of ``choices`` (buttons); return it, or None when dismissed."""
    return _present("question", text, choices, default)


def pick_item(parent: QWidget | None, title: str, label: str, items: Sequence[str]) -> str | None:
    """Ask the person to pick one item from a list; return it, or None when cancelled."""
    if no_windows or not items:
        return None
    item, ok = QInputDialog.getItem(parent, title, label, list(items), 0, False)
    return item if ok else None


def open_path(parent: QWidget | None, title: str, folder: str, filters: str) -> str | None:
    """Ask for a file to open with the real file dialog; return its path or None."""
    if no_windows:
        return None
    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return name or None


def open_paths(parent: QWidget | None, title: str, folder: str, filters: str) -> list[str]:
    """Ask for one or more files to open with the real file dialog; return their paths."""
    if no_windows:
        return []
    names, _ = QFileDialog.getOpenFileNames(parent, title, folder, filters)
    return list(names)


def folder_path(parent: QWidget | None, title: str, folder: str) -> str | None:
    """Ask for a folder with the real folder dialog; return its path or None."""
    if no_windows:
        return None
    return QFileDialog.getExistingDirectory(parent, title, folder) or None


def save_path(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """Ask where to save with the real file dialog; return the path or None."""
    if no_windows:
        return None
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return name or None
