"""The main window's commands: new, import, save a copy, edit, periods, exchange, print, help."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from db.errors import ScrutineerError
from desktop.opener import FILTER
from ui import messages, tasks

# The window paints before the plan's modules load: each command imports what it uses
# when first used.
if TYPE_CHECKING:
    from db.model import Period


class Commands:
    """What the main window's menus and keys do (a mixin of MainWindow).

    Each command acts on the window's ``session`` and hands dialogs that session, so every
    edit goes through one commit path.
    """

    def show_report(self) -> None:
        """Open the Report view: the covering report the period shown is attached to."""
        from ui.report_view import ReportDialog

        period_id = self.view.period_id if self.session is not None else None
        if period_id is None:
            return
        self.close_report()  # one at a time, so none is left holding a closed plan
        self.report_dialog = ReportDialog(self.session, period_id, self)
        self.report_dialog.show()

    def close_report(self) -> None:
        """Close the Report view, if one is open; its edits are already in the file."""
        dialog, self.report_dialog = getattr(self, "report_dialog", None), None
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()

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
        if out.exists():  # the file dialog has asked the person whether to replace it
            from desktop import plan_lock

            held = plan_lock.take(self.settings, out)  # another window may have it open
            if held is None:
                messages.error(
                    f"{out.name} is open in another Scrutineer window; close it there, or "
                    "choose another name for the import."
                )
                return
            try:
                out.unlink()
            except OSError as exc:
                messages.error(f"{out.name} could not be replaced ({exc.strerror}).")
                return
            finally:
                held.unlock()
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
                    f"Added {dialog.values()['label']}; {len(changes.rows) - 1:,} open actions carried forward.",
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
        """Merge the returns the person chooses (one, or a dozen at once) into the plan."""
        if self.session is None:
            return
        names = messages.open_paths(
            self, "Merge returns", self._folder(), FILTER + ";;Spreadsheets (*.xlsx *.csv)"
        )
        if not names:
            return
        from ui.merge_dialog import MergeDialog

        self.view.flush()
        MergeDialog(self.session.doc, [Path(n) for n in names], self, session=self.session).open()

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
        from ui.page_view import PageView

        rows: list[tuple[str, str]] = []
        for action in [*self.actions(), *self.findChildren(QAction)]:
            if isinstance(action.parent(), PageView):
                continue  # an open preview's keys: listed on their own below
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            name = action.text().replace("&", "").removesuffix("…")
            if keys and (keys, name) not in rows:
                rows.append((keys, name))
        return rows

    def show_keys(self) -> None:
        """List the keyboard shortcuts: the window's, then the print preview's."""
        from ui.page_view import ZOOM_KEYS

        preview = [(keys, name) for _standard, keys, name in ZOOM_KEYS]
        messages.info(
            "Keyboard shortcuts:\n\n"
            + "\n".join(f"{keys}\t{name}" for keys, name in self.shortcut_rows())
            + "\n\nIn the print preview:\n"
            + "\n".join(f"{keys}\t{name}" for keys, name in preview)
        )

    def about(self) -> None:
        """Say what the program is."""
        from desktop import __version__

        messages.info(
            f"Scrutineer {__version__}: keep a Police and Crime Plan in one file, exchange it "
            "with lead officers and print the panel's appendix."
        )
