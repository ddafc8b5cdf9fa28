"""The main window: menus and shortcuts, the open plan's lifecycle, and the settings it remembers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QWidget

from desktop.commands import Commands
from desktop.opener import FileOpener, clean_close_key
from ui import tasks
from ui.fit import resize_within_screen

# The window paints before the plan's modules load: each command imports what it uses
# when first used, and the file check imports the checker in its worker thread.
if TYPE_CHECKING:
    from db.document import Document
    from ui.plan_view import PlanView
    from ui.session import Session

EMPTY_HINT = "Open a plan (Ctrl+O), make a new one (Ctrl+N) or import a spreadsheet (File menu)."
SAMPLE_NOTE = (
    "This is the sample plan, to try things out: File ▸ New plan… or Import spreadsheet… "
    "starts your own."
)


class MainWindow(FileOpener, Commands, QMainWindow):
    """One window showing one plan; every edit is already saved, so closing never asks."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session: Session | None = None
        self.view: PlanView | None = None
        self.opening: tasks.Task | None = None
        self._lock: QLockFile | None = None
        self.importing: tasks.Task | None = None
        self._painted = False  # start-up work waits for the window's first paint
        self._after_paint: list[Callable[[], None]] = []
        self.setWindowTitle("Scrutineer")
        self.setAccessibleName("Scrutineer")
        self._show_empty()
        self._build_actions()
        self._build_menus()
        self.clash_note = QLabel(self)
        self.clash_note.setAccessibleName("Open clashes")
        self.statusBar().addPermanentWidget(self.clash_note)
        self.sample_note = QLabel(SAMPLE_NOTE, self)
        self.sample_note.setAccessibleName("Sample plan")
        self.sample_note.hide()
        self.statusBar().addWidget(self.sample_note, 1)
        self._update_actions()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            resize_within_screen(self, 1280, 800)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _show_empty(self, text: str = EMPTY_HINT) -> None:
        """Show the hint (or what is happening) that stands in for a plan while none is open."""
        hint = QLabel(text, self, alignment=Qt.AlignmentFlag.AlignCenter)
        hint.setObjectName("emptyHint")
        self.setCentralWidget(hint)

    # -- actions and menus ---------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_action = self._action(
            "&New plan…", self.new_plan, std.New, "Make a new, empty plan file"
        )
        self.open_action = self._action(
            "&Open…", self.choose_and_open, std.Open, "Open a plan file"
        )
        self.import_action = self._action(
            "&Import spreadsheet…",
            self.import_spreadsheet,
            None,
            "Make a plan from an Excel tracker (.xlsx) or its Actions sheet (.csv)",
        )
        self.save_copy_action = self._action(
            "Save a &copy…",
            self.save_copy,
            "Ctrl+Shift+S",
            "Write a clean copy of the plan to another file",
        )
        self.send_action = self._action(
            "Send to &lead…", self.send_to_lead, None, "Make a copy for a lead officer"
        )
        self.merge_action = self._action(
            "&Merge returns…", self.merge_return, None, "Bring in lead officers' returned files"
        )
        self.print_action = self._action(
            "&Print…", self.print_appendix, std.Print, "Preview and print the appendix"
        )
        self.close_action = self._action(
            "Clos&e", self.close_plan, _keys(std.Close, "Ctrl+W"), "Close the plan"
        )
        # Windows has no standard Quit key; Ctrl+Q is what people try.
        self.quit_action = self._action(
            "&Quit", self.close, _keys(std.Quit, "Ctrl+Q"), "Close Scrutineer"
        )
        self.undo_action = self._action("&Undo", self.undo, _keys(std.Undo, "Ctrl+Z"))
        self.redo_action = self._action(
            "&Redo", self.redo, _keys(std.Redo, "Ctrl+Shift+Z", "Ctrl+Y")
        )
        self.find_action = self._action("&Find…", self.focus_search, std.Find, "Search all text")
        # The text fields handle these keys themselves; the menu items reach the field too.
        self.cut_action = self._action(
            "Cu&t", lambda: self._clipboard("cut"), std.Cut, "Cut the selected text"
        )
        self.copy_action = self._action(
            "&Copy", lambda: self._clipboard("copy"), std.Copy, "Copy the selected text"
        )
        self.paste_action = self._action(
            "&Paste", lambda: self._clipboard("paste"), std.Paste, "Paste at the cursor"
        )
        self.add_action_action = self._action(
            "Add &action", self.add_action, "Ctrl+Shift+N", "Add an action to the selected theme"
        )
        self.add_theme_action = self._action(
            "Add th&eme", self.add_theme, "Ctrl+Shift+T", "Add a theme at the end"
        )
        self.delete_action = self._action(
            "&Delete…",
            self.delete_selected,
            "Ctrl+Shift+Del",
            "Delete the selected theme or action",
        )
        self.history_action = self._action(
            "Action &history…", self.show_history, "Ctrl+H", "Who changed the action and when"
        )
        self.settings_action = self._action(
            "Plan &settings…",
            self.edit_settings,
            "Ctrl+,",
            "Title, marking, vocabulary and status scheme",
        )
        self.add_period_action = self._action(
            "Add reporting &period…", self.add_period, "Ctrl+Shift+P", "Start a new quarter"
        )
        self.lock_action = self._action(
            "&Lock period",
            self.toggle_lock,
            "Ctrl+Shift+L",
            "Lock the shown period once it is published",
        )
        self.tree_action = self._action("Go to the &plan", self.focus_tree, "Ctrl+1")
        self.form_action = self._action("Go to the &form", self.focus_form, "Ctrl+2")
        self.keys_action = self._action(
            "&Keyboard shortcuts", self.show_keys, _keys(std.HelpContents, "F1")
        )
        self.about_action = self._action("&About Scrutineer", self.about)
        self.signoff_action = self._action(
            "Sign &off updates…",
            self.sign_off,
            "Ctrl+Shift+O",
            "Accept, send back or waive the shown period's updates",
        )
        self.clashes_action = self._action(
            "Resolve &clashes…",
            self.resolve_clashes,
            "Ctrl+Shift+R",
            "Choose between this plan's text and a return's where both changed",
        )

        self.report_action = self._action(
            "Covering &report…",
            self.show_report,
            tip="Write the covering report the appendix is attached to, for the period shown",
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.save_copy_action)
        file_menu.addSeparator()
        file_menu.addActions([self.send_action, self.merge_action])
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addActions([self.close_action, self.quit_action])
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.cut_action, self.copy_action, self.paste_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.add_theme_action, self.add_action_action, self.delete_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.history_action)
        plan_menu = bar.addMenu("&Plan")
        plan_menu.addActions([self.settings_action, self.add_period_action])
        plan_menu.addAction(self.report_action)
        plan_menu.addSeparator()
        plan_menu.addActions([self.signoff_action, self.clashes_action, self.lock_action])
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.tree_action, self.form_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.keys_action, self.about_action])

    def _update_actions(self) -> None:
        open_ = self.session is not None
        writable = open_ and not self.session.read_only
        for action in (
            self.save_copy_action,
            self.print_action,
            self.close_action,
            self.find_action,
            self.tree_action,
            self.form_action,
            self.report_action,
        ):
            action.setEnabled(open_)
        for action in (
            self.add_action_action,
            self.add_theme_action,
            self.delete_action,
            self.settings_action,
            self.add_period_action,
            self.lock_action,
            self.signoff_action,
            self.merge_action,
        ):
            action.setEnabled(writable)
        self.history_action.setEnabled(open_)
        self.send_action.setEnabled(open_)
        self._update_undo()
        self._update_clashes()
        self._update_lock()
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def _update_undo(self) -> None:
        stack = self.session.stack if self.session else None
        can_undo = bool(stack and stack.canUndo())
        can_redo = bool(stack and stack.canRedo())
        self.undo_action.setEnabled(can_undo)
        self.redo_action.setEnabled(can_redo)
        self.undo_action.setText(f"&Undo {stack.undoText()}" if can_undo else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}" if can_redo else "&Redo")

    def _typing(self) -> None:
        # Undo takes back what is being typed too (it is committed first, then undone).
        if not self.undo_action.isEnabled():
            self.undo_action.setEnabled(True)
            self.undo_action.setText("&Undo typing")

    def _update_clashes(self) -> None:
        """Say in the status bar, for as long as it is true, that clashes wait to be resolved."""
        waiting = 0
        if self.session is not None:
            from db import clashes  # not before a plan is shown: the first paint waits for none

            waiting = clashes.open_clash_count(self.session.doc)
        self.clashes_action.setEnabled(bool(waiting) and not self.session.read_only)
        self.clash_note.setText(
            f"{waiting} clash{'es' if waiting != 1 else ''} open: Plan ▸ Resolve clashes… "
            "(Ctrl+Shift+R)"
            if waiting
            else ""
        )
        self.clash_note.setVisible(bool(waiting))

    def _update_lock(self) -> None:
        period = self._period()
        self.lock_action.setText("Un&lock period" if period and period.locked else "&Lock period")
        if self.session is not None:
            self.lock_action.setEnabled(not self.session.read_only and period is not None)

    # -- opening and closing: desktop/opener.py ----------------------------------------

    def set_document(self, doc: Document) -> None:
        """Show ``doc`` in the window (closing any plan shown before).

        A plan open for editing in another window or process is shown read-only here.
        """
        from db import reads
        from ui.plan_view import PlanView
        from ui.session import Session

        self.close_plan()
        taken = self._take_editing_lock(doc)
        if taken is None:
            return
        doc = taken
        self.session = Session(doc, self)
        self.session.stack.indexChanged.connect(lambda _i: self._update_undo())
        self.view = PlanView(self.session, self)
        # Connected after the view's own listener, so the lock reads the periods it re-read.
        self.session.changed.connect(lambda _c: self._update_lock())
        self.session.changed.connect(lambda _c: self._update_clashes())
        self.session.replayed.connect(self._show_replayed)
        # Connected after the view's reload, so the status bar reads what the tree shows.
        self.session.outside.connect(self._update_actions)
        self.view.period_changed.connect(lambda _p: self._update_lock())
        self.view.pending.connect(self._typing)
        self.view.action_form.history_requested.connect(lambda _id: self.show_history())
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.view.restoreState(splitter)
        self.setCentralWidget(self.view)
        # Shown now, not when the event loop gets round to it: once ``session`` is set the plan
        # is on screen (a click straight after opening must land on the tree).
        self.view.show()
        title = reads.plan(doc).title or doc.path.stem
        from desktop.app import SAMPLE_NAME

        self.sample_note.setVisible(doc.path.name == SAMPLE_NAME)
        self.setWindowTitle(
            f"{doc.path.name}{' [read-only]' if doc.read_only else ''} – {title} – Scrutineer"
        )
        if not doc.read_only:
            self._remember_file(doc.path)
            # Until it is closed again the file may change; a crash must not leave it trusted.
            self.settings.remove(clean_close_key(doc.path))
        self._update_actions()
        self.view.tree.setFocus()
        if self.view.model.rowCount():
            self.view.tree.setCurrentIndex(self.view.model.index(0, 0))

    def close_plan(self) -> None:
        """Close the shown plan; nothing is lost, every edit is already in the file."""
        if self.session is None:
            return
        self.close_report()
        if self.view is not None:
            self.view.flush()
            self.settings.setValue("window/splitter", self.view.saveState())
            # Hiding moves the focus out of any field while the file is still open to take it.
            self.view.hide()
        self._show_empty()
        self.sample_note.hide()
        self.view = None
        doc = self.session.doc
        self.session.close()
        if not doc.read_only:
            self._record_clean_close(doc.path)
        self._unlock()
        self.session.deleteLater()
        self.session = None
        self.setWindowTitle("Scrutineer")
        self._update_actions()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the layout and close the plan; there is nothing unsaved to ask about."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.close_plan()
        self.settings.sync()
        super().closeEvent(event)


def _keys(standard: QKeySequence.StandardKey, *extra: str) -> list[QKeySequence]:
    """Return the platform's keys for a standard command plus ``extra``, each once."""
    keys: list[QKeySequence] = []
    for key in [*QKeySequence.keyBindings(standard), *(QKeySequence(e) for e in extra)]:
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys
