"""The main window: menus and shortcuts, the open plan's lifecycle, and the settings it remembers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QWidget

from db.errors import ScrutineerError
from desktop.opener import FILTER, FileOpener, clean_close_key
from ui import messages, tasks
from ui.fit import resize_within_screen

# The window paints before the plan's modules load: each command imports what it uses
# when first used, and the file check imports the checker in its worker thread.
if TYPE_CHECKING:
    from db.document import Document
    from db.model import Period
    from ui.plan_view import PlanView
    from ui.session import Session

EMPTY_HINT = "Open a plan (Ctrl+O), make a new one (Ctrl+N) or import a spreadsheet (File menu)."
SAMPLE_NOTE = (
    "This is the sample plan, to try things out: File ▸ New plan… or Import spreadsheet… "
    "starts your own."
)


class MainWindow(FileOpener, QMainWindow):
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
            "&Merge a return…", self.merge_return, None, "Bring in a lead officer's returned copy"
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

    def show_report(self) -> None:
        """Open the Report view for the period shown (the covering report, issue 22)."""
        from ui.report_view import ReportDialog

        period_id = self.view.period_id if self.session is not None else None
        if period_id is None:
            return
        self.report_dialog = ReportDialog(self.session, period_id, self)
        self.report_dialog.show()

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

    def new_plan(self) -> None:
        """Ask for the new plan's name and first period, then where to keep it; make it and open it."""
        from ui.new_plan_dialog import NewPlanDialog

        dialog = NewPlanDialog(self)
        dialog.accepted.connect(lambda: self._make_plan(dialog.data()))
        dialog.open()

    def _make_plan(self, data: dict) -> None:
        name = messages.save_path(
            self, "New plan", str(Path(self._folder()) / "New plan.scrutiny"), FILTER
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".scrutiny":
            path = path.with_name(path.name + ".scrutiny")
        from db.build import create_plan
        from db.sample_data import SAMPLE

        if self.session is not None and path.resolve() == self.session.doc.path.resolve():
            messages.error(
                f"{path.name} is the plan open now; choose another name for the new plan."
            )
            return
        try:
            if path.exists():  # the file dialog has asked the person whether to replace it
                path.unlink()
            doc = create_plan(path, {**data, "statuses": SAMPLE["statuses"]}, text="Create plan")
        except (ScrutineerError, OSError) as exc:
            messages.error(
                str(exc)
                if isinstance(exc, ScrutineerError)
                else f"{path.name} could not be made ({exc.strerror})."
            )
            return
        self.set_document(doc)

    def import_spreadsheet(self) -> None:
        """Make a plan file from a spreadsheet (off the GUI thread), then open it."""
        name = messages.open_path(
            self,
            "Import a spreadsheet",
            self._folder(),
            "Spreadsheets (*.xlsx *.csv);;All files (*)",
        )
        if not name:
            return
        source = Path(name)
        out_name = messages.save_path(
            self, "Save the imported plan as", str(source.with_suffix(".scrutiny")), FILTER
        )
        if not out_name:
            return
        out = Path(out_name)
        if out.suffix.lower() != ".scrutiny":
            out = out.with_name(out.name + ".scrutiny")
        if self.session is not None and out.resolve() == self.session.doc.path.resolve():
            messages.error(f"{out.name} is the plan open now; choose another name for the import.")
            return
        try:
            if out.exists():  # the file dialog has asked the person whether to replace it
                out.unlink()
        except OSError as exc:
            messages.error(f"{out.name} could not be replaced ({exc.strerror}).")
            return
        from exports.sheets.importing import import_file

        self.statusBar().showMessage(f"Importing {source.name}…")
        self.importing = tasks.run(
            self,
            f"Importing {source.name}…",
            lambda: import_file(source, out),
            self._imported,
        )

    def _imported(self, summary) -> None:
        self.statusBar().showMessage(str(summary), 10000)
        self.open_file(summary.out)

    def save_copy(self) -> None:
        """Write a clean copy of the plan to a file the person chooses."""
        if self.session is None:
            return
        self.view.flush()
        doc = self.session.doc
        suggested = doc.path.with_name(f"{doc.path.stem} copy{doc.path.suffix}")
        name = messages.save_path(self, "Save a copy", str(suggested), FILTER)
        if not name:
            return
        try:
            doc.save_copy(Path(name))
        except ScrutineerError as exc:
            messages.error(str(exc))
            return
        if (
            doc.read_only
            and messages.choose(
                f"Saved a copy as {Path(name).name}. Open the copy to edit it?",
                ["Open the copy", "Stay here"],
                "Open the copy",
            )
            == "Open the copy"
        ):
            self.open_file(Path(name))
            return
        self.statusBar().showMessage(f"Saved a copy as {Path(name).name}.", 5000)

    # -- editing -------------------------------------------------------------------------------

    def _period(self) -> Period | None:
        return self.view.shown_period() if self.view is not None else None

    def _show_replayed(self, changes) -> None:
        """Show the record an undo or redo changed, so the person sees what came back."""
        if self.view is None:
            return
        for row in changes.rows:
            state = row.after or row.before or {}
            if row.table == "updates":
                period_id = str(state.get("period_id"))
                if period_id != self.view.period_id and self.session.doc.row("periods", period_id):
                    self.view.show_period(period_id)
                target = str(state.get("action_id"))
            elif row.table == "action_leads":
                target = str(state.get("action_id"))
            elif row.table in ("actions", "themes"):
                target = row.id
            elif row.table in ("measures", "performance"):
                measure = self.session.doc.row("measures", str(state.get("measure_id", row.id)))
                target = str(measure["theme_id"]) if measure else ""
            else:
                continue
            if target and target != self.view.current_id():
                self.view.select(target)
            return

    def undo(self) -> None:
        """Take back the last edit (after committing anything still being typed)."""
        if self.session is None:
            return
        self.view.flush()
        self.session.stack.undo()

    def redo(self) -> None:
        """Apply the last undone edit again."""
        if self.session is not None:
            self.session.stack.redo()

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        if self.view is not None:
            self.view.search.setFocus()
            self.view.search.selectAll()

    def focus_tree(self) -> None:
        """Put the keyboard focus on the plan tree."""
        if self.view is not None:
            self.view.tree.setFocus()

    def focus_form(self) -> None:
        """Put the keyboard focus on the first field of the form shown."""
        if self.view is not None:
            form = self.view.forms.currentWidget()
            target = {
                self.view.action_form: self.view.action_form.status,
                self.view.theme_form: self.view.theme_form.title,
            }.get(form)
            if target is not None and not target.isEnabled():
                target = (
                    self.view.action_form.update_editor.edit
                    if form is self.view.action_form
                    else None
                )
            (target or form).setFocus()

    def add_theme(self) -> None:
        """Add a theme at the end of the plan and select it."""
        from db import edits, reads

        if self.session is None:
            return
        number = str(len(reads.themes(self.session.doc)) + 1)
        changes = self.session.commit(edits.add, "themes", number=number, title="New theme")
        if changes:
            self.view.select(changes.rows[0].id)
            self.view.theme_form.title.setFocus()
            self.view.theme_form.title.selectAll()

    def add_action(self) -> None:
        """Add an action to the selected theme, with an empty update for the shown period."""
        from db import edits

        if self.session is None:
            return
        theme_id = self.view.current_theme_id()
        if theme_id is None:
            messages.info("Choose the theme to add the action to first.")
            return
        changes = self.session.commit(
            edits.add,
            "actions",
            theme_id=theme_id,
            activity="New action",
            added_in=self.view.period_id,
        )
        if changes:
            self.view.select(changes.rows[0].id)
            self.view.action_form.ref.setFocus()

    def delete_selected(self) -> None:
        """Delete the selected theme or action after asking (it can be undone)."""
        from db import edits

        if self.session is None:
            return
        record_id, kind = self.view.current_id(), self.view.current_kind()
        if record_id is None:
            return
        row = self.session.doc.row(f"{kind}s", record_id) or {}
        what = edits.describe(self.session.doc, f"{kind}s", row)
        extra = " with all its actions and measures" if kind == "theme" else " with its updates"
        if (
            messages.choose(
                f"Delete {what}{extra}? You can undo this.", ["Delete", "Cancel"], "Cancel"
            )
            == "Delete"
        ):
            self.session.commit(edits.delete, f"{kind}s", record_id)

    def show_history(self) -> None:
        """Show who changed the selected action and when, and its status in every period."""
        if self.session is None or self.view.current_kind() != "action":
            messages.info("Choose an action to see its history.")
            return
        from ui.history_dialog import HistoryDialog

        HistoryDialog(self.session.doc, self.view.current_id(), self).open()

    def edit_settings(self) -> None:
        """Edit the plan's title, marking, vocabulary and status scheme."""
        if self.session is None:
            return
        from ui.settings_dialog import SettingsDialog

        self.view.flush()
        SettingsDialog(self.session, self).open()

    def add_period(self) -> None:
        """Ask for the new period's label and dates, add it (actions carried forward) and show it."""
        from db import edits, reads

        if self.session is None:
            return
        from ui.period_dialog import PeriodDialog

        self.view.flush()
        dialog = PeriodDialog(reads.periods(self.session.doc), self)

        def add() -> None:
            changes = self.session.commit(edits.add_period, **dialog.values())
            if changes:
                self.view.show_period(changes.rows[0].id)
                self.statusBar().showMessage(
                    f"Added {dialog.values()['label']}; {len(changes.rows) - 1} open actions carried forward.",
                    8000,
                )

        dialog.accepted.connect(add)
        dialog.open()

    def toggle_lock(self) -> None:
        """Lock the shown period (once published) or unlock it, after asking."""
        from db import edits, signoff

        period = self._period()
        if period is None or self.session is None:
            return
        if period.locked:
            question = f"Unlock {period.label} so its statuses and updates can be changed again?"
            answer = "Unlock"
        else:
            question = (
                f"Lock {period.label}? Once it is published its statuses, updates and "
                "performance should not change; you can unlock it later."
            )
            answer = "Lock"
        self.view.flush()
        if not period.locked:
            waiting = signoff.unfinished(self.session.doc, period.id)
            if waiting:
                count = f"{len(waiting)} update{'s' if len(waiting) != 1 else ''}"
                if (
                    messages.choose(
                        f"{period.label} cannot be locked yet: {count} still "
                        f"wait{'s' if len(waiting) == 1 else ''} to be accepted or waived.",
                        ["Sign off updates…", "Cancel"],
                        "Sign off updates…",
                    )
                    == "Sign off updates…"
                ):
                    self.sign_off()
                return
        if messages.choose(question, [answer, "Cancel"], answer) == answer:
            if period.locked:
                self.session.commit(edits.lock_period, period.id, False)
            else:
                self.session.commit(signoff.lock_period, period.id)
            self.view.show_period(period.id)

    def print_appendix(self) -> None:
        """Open the print preview of the appendix for the shown period."""
        if self.session is None:
            return
        from ui.print_dialog import PrintDialog

        self.view.flush()
        period = self._period()
        dialog = PrintDialog(
            self.session.doc, period.label if period else None, self, session=self.session
        )
        dialog.open()
        dialog.render()

    def send_to_lead(self) -> None:
        """Make a copy of the plan (or a return sheet) for a lead officer to fill in."""
        if self.session is None:
            return
        from ui.send_dialog import SendDialog

        self.view.flush()
        SendDialog(self.session.doc, self, self.settings).open()

    def merge_return(self) -> None:
        """Merge a lead officer's returned copy into the plan (the exchange dialog)."""
        if self.session is None:
            return
        name = messages.open_path(
            self, "Merge a return", self._folder(), FILTER + ";;Spreadsheets (*.xlsx *.csv)"
        )
        if not name:
            return
        from ui.merge_dialog import MergeDialog

        self.view.flush()
        MergeDialog(self.session.doc, Path(name), self, session=self.session).open()

    def sign_off(self) -> None:
        """Open the sign-off list for the shown period: accept, send back or waive updates."""
        if self.session is None:
            return
        from ui.signoff_dialog import SignOffDialog

        self.view.flush()
        SignOffDialog(
            self.session.doc, self, period_id=self.view.period_id, session=self.session
        ).open()

    def resolve_clashes(self) -> None:
        """Open the clash dialog on every clash still open."""
        if self.session is None:
            return
        from ui.clash_dialog import ClashDialog

        self.view.flush()
        dialog = ClashDialog(self.session.doc, self, session=self.session)
        dialog.finished.connect(lambda _r: self._update_clashes())
        dialog.open()

    def _clipboard(self, operation: str) -> None:
        """Cut, copy or paste in the text field that has (or last had) the keyboard."""
        widget = QApplication.focusWidget()
        if widget is not None and hasattr(widget, operation):
            getattr(widget, operation)()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Return (keys, what they do) for every action in the window that has keys.

        Read from the actions themselves (the menus' and the fields' own), so the list can
        never leave one out.
        """
        rows: list[tuple[str, str]] = []
        for action in [*self.actions(), *self.findChildren(QAction)]:
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            name = action.text().replace("&", "").removesuffix("…")
            if keys and (keys, name) not in rows:
                rows.append((keys, name))
        return rows

    def show_keys(self) -> None:
        """List the keyboard shortcuts."""
        messages.info(
            "Keyboard shortcuts:\n\n"
            + "\n".join(f"{keys}\t{name}" for keys, name in self.shortcut_rows())
        )

    def about(self) -> None:
        """Say what the program is."""
        from desktop import __version__

        messages.info(
            f"Scrutineer {__version__}: keep a Police and Crime Plan in one file, exchange it "
            "with lead officers and print the panel's appendix."
        )


def _keys(standard: QKeySequence.StandardKey, *extra: str) -> list[QKeySequence]:
    """Return the platform's keys for a standard command plus ``extra``, each once."""
    keys: list[QKeySequence] = []
    for key in [*QKeySequence.keyBindings(standard), *(QKeySequence(e) for e in extra)]:
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys
