"""The main window driven as a person would: keys, clicks and menus, checked against the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from db import edits, reads
from db.document import Document
from db.errors import ReadOnlyError
from tests.desktop.gui import (
    choose_status,
    click_row,
    make_window,
    stored_update,
    type_update,
    visible_refs,
    wait_merged,
)

# The offscreen platform cannot resize a real window frame and says so for every main window.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_opening_shows_the_plan_tree_and_the_file_name(window, sample_path):
    assert sample_path.name in window.windowTitle()
    model = window.view.model
    assert model.index(0, 0).data() == "Theme 7"
    assert visible_refs(window)[:2] == ["7C01", "7C02"]
    assert window.view.period.currentText() == "Q2 2017/18"


def test_clicking_an_action_shows_its_form(qtbot, window):
    click_row(qtbot, window, "7C02")
    form = window.view.action_form
    assert window.view.forms.currentWidget() is form
    assert form.leads.text() == "CR"
    assert "balanced budget" in form.update_editor.text()


def test_a_file_that_is_not_a_plan_is_refused_in_one_sentence(qtbot, tmp_path, told):
    bad = tmp_path / "hostile.scrutiny"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(bad)
    qtbot.waitUntil(lambda: bool(told.texts("error")))
    assert window.session is None
    message = told.texts("error")[0]
    assert message.startswith("hostile.scrutiny was not opened:") and "Traceback" not in message


def test_a_plan_with_a_foreign_trigger_is_refused(qtbot, tmp_path, sample_path, told):
    import sqlite3

    conn = sqlite3.connect(sample_path)
    conn.execute("CREATE TRIGGER evil AFTER INSERT ON themes BEGIN DELETE FROM actions; END")
    conn.commit()
    conn.close()
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: bool(told.texts("error")))
    assert window.session is None
    assert "was not opened" in told.texts("error")[0]


def test_a_newer_file_is_refused_naming_the_reason(qtbot, tmp_path, sample_path, told):
    import sqlite3

    conn = sqlite3.connect(sample_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: bool(told.texts("error")))
    assert window.session is None
    assert "newer" in told.texts("error")[0].lower()


def test_a_missing_file_is_reported(qtbot, tmp_path, told):
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(tmp_path / "nowhere.scrutiny")
    assert told.texts("error") == [f"nowhere.scrutiny cannot be found in {tmp_path}."]


def _refuse_writing(monkeypatch, refused: Path) -> None:
    """Make ``refused`` open only read-only, as a file the person may not write to would."""
    real_open = Document.open

    def refuse(path, *, read_only=False, **kw):
        if not read_only and Path(path) == refused:
            raise ReadOnlyError(
                f"{Path(path).name} is read-only here; open it read-only, or save a copy you can edit."
            )
        return real_open(path, read_only=read_only, **kw)

    monkeypatch.setattr(Document, "open", staticmethod(refuse))


def test_a_read_only_file_can_be_opened_read_only(qtbot, tmp_path, sample_path, told, monkeypatch):
    _refuse_writing(monkeypatch, sample_path)
    told.answers = ["Open read-only"]
    # The open is checked off the GUI thread: wait for it, as the test below does.
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    assert window.session.read_only
    assert "[read-only]" in window.windowTitle()
    assert not window.add_period_action.isEnabled()
    click_row(qtbot, window, "7C01")
    assert window.view.action_form.update_editor.edit.isReadOnly()
    assert not window.view.action_form.status.isEnabled()


def test_a_read_only_file_can_be_saved_as_a_copy_to_edit(
    qtbot, tmp_path, sample_path, told, monkeypatch
):
    _refuse_writing(monkeypatch, sample_path)
    copy = tmp_path / "mine.scrutiny"
    told.answers = ["Save a copy…"]
    told.save_paths = [str(copy)]
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None)
    assert window.session.doc.path == copy and not window.session.read_only


def test_a_file_on_a_removable_drive_is_copied_locally_first(
    qtbot, tmp_path, sample_path, told, monkeypatch
):
    from desktop import removable

    monkeypatch.setattr(removable, "is_removable", lambda path: Path(path) == sample_path)
    local = tmp_path / "local.scrutiny"
    told.answers = ["Save a local copy"]
    told.save_paths = [str(local)]
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None)
    assert "removable drive" in told.texts("question")[0]
    assert window.session.doc.path == local


def test_a_file_on_a_removable_drive_can_be_opened_read_only(
    qtbot, tmp_path, sample_path, told, monkeypatch
):
    from desktop import removable

    monkeypatch.setattr(removable, "is_removable", lambda path: True)
    told.answers = ["Open read-only"]
    # The open is checked off the GUI thread: wait for it, as the test below does.
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    assert window.session.read_only


def test_an_older_file_is_upgraded_only_when_the_person_agrees(
    qtbot, tmp_path, sample_path, told, monkeypatch
):
    from db.errors import UpgradeNeeded

    real_open = Document.open
    asked = []

    def older(path, *, read_only=False, upgrade=False, **kw):
        asked.append(upgrade)
        if not read_only and not upgrade:
            raise UpgradeNeeded("sample.scrutiny uses file format 1.", 1)
        return real_open(path, read_only=read_only, **kw)

    monkeypatch.setattr(Document, "open", staticmethod(older))
    told.answers = ["Cancel"]
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: bool(told.texts("question")))
    assert window.session is None
    assert told.texts("question")[0].endswith("keeping a backup of the old file beside it?")
    told.answers = ["Upgrade"]
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session is not None)
    assert asked[-1] is True and not window.session.read_only


# -- editing, undo and redo --------------------------------------------------------------------


def test_choosing_a_status_commits_it_at_once(qtbot, window, sample_path):
    click_row(qtbot, window, "7C01")
    choose_status(qtbot, window, "Red")
    assert stored_update(sample_path, "7C01")[0] == "Red"
    index = window.view.model.index_of(window.view.current_id())
    assert index.siblingAtColumn(2).data() == "R"


def test_typing_an_update_commits_when_leaving_the_field(qtbot, window, sample_path):
    click_row(qtbot, window, "7C02")
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "Budget balanced for the year.")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert stored_update(sample_path, "7C02")[1] == "Budget balanced for the year."
    assert window.undo_action.text() == "&Undo Edit update of 7C02 (Q2 2017/18)"


def test_typing_reaches_the_file_after_a_pause_and_undoes_as_one_step(qtbot, window, sample_path):
    click_row(qtbot, window, "7C01")
    before = stored_update(sample_path, "7C01")[1]
    steps = window.session.stack.count()
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, " Reviewed ")
    # Still typing, never leaving the field: a fresh reader of the file sees it after a pause.
    qtbot.waitUntil(
        lambda: stored_update(sample_path, "7C01")[1] == before + " Reviewed ", timeout=3000
    )
    assert edit.hasFocus() and edit.toPlainText() == before + " Reviewed "
    qtbot.keyClicks(edit, "in October.")
    qtbot.waitUntil(
        lambda: stored_update(sample_path, "7C01")[1] == before + " Reviewed in October.",
        timeout=3000,
    )
    assert edit.toPlainText() == before + " Reviewed in October."
    assert window.session.stack.count() == steps + 1
    window.undo_action.trigger()
    assert stored_update(sample_path, "7C01")[1] == before
    assert edit.toPlainText() == before
    window.redo_action.trigger()
    assert stored_update(sample_path, "7C01")[1] == before + " Reviewed in October."


def test_a_pause_while_typing_a_trimmed_field_keeps_the_space_and_the_cursor(
    qtbot, window, sample_path
):
    click_row(qtbot, window, "7C01")
    activity = window.view.action_form.activity
    activity.setFocus()
    qtbot.keyClick(activity, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(activity, "Balance the ")
    with Document.open(sample_path, read_only=True) as doc:
        action_id = next(a.id for a in reads.actions(doc) if a.ref == "7C01")

    def stored() -> str:
        with Document.open(sample_path, read_only=True) as doc:
            return reads.action(doc, action_id).activity

    qtbot.waitUntil(lambda: stored() == "Balance the", timeout=3000)
    qtbot.keyClicks(activity, "budget.")
    qtbot.waitUntil(lambda: stored() == "Balance the budget.", timeout=3000)
    assert activity.toPlainText() == "Balance the budget."


def test_undo_and_redo_with_the_standard_shortcuts(qtbot, window, sample_path):
    before = stored_update(sample_path, "7C03")
    click_row(qtbot, window, "7C03")
    choose_status(qtbot, window, "Blue")
    assert stored_update(sample_path, "7C03")[0] == "Blue"
    window.view.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_update(sample_path, "7C03") == before
    assert window.view.action_form.status.currentText().startswith(before[0])
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored_update(sample_path, "7C03")[0] == "Blue"
    assert window.view.action_form.status.currentText().startswith("Blue")


def test_undo_commits_text_still_being_typed_first(qtbot, window, sample_path):
    click_row(qtbot, window, "7C04")
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, " More to follow.")
    window.undo_action.trigger()
    # The typing became an edit of its own and was the one undone: nothing is lost silently.
    assert not stored_update(sample_path, "7C04")[1].endswith("More to follow.")
    window.redo_action.trigger()
    assert stored_update(sample_path, "7C04")[1].endswith("More to follow.")


def test_undo_works_across_forms(qtbot, window, sample_path):
    window.view.select(window.view.model.index(0, 0).data(257))
    title = window.view.theme_form.title
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Value for money")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    click_row(qtbot, window, "7C05")
    choose_status(qtbot, window, "Green")
    window.undo_action.trigger()
    window.undo_action.trigger()
    with Document.open(sample_path, read_only=True) as doc:
        assert reads.themes(doc)[0].title == "Spending Public Money Wisely"
    assert stored_update(sample_path, "7C05")[0] == "Amber"
    assert window.view.model.index(0, 1).data() == "Spending Public Money Wisely"


def test_editing_the_ref_updates_the_tree(qtbot, window, sample_path):
    click_row(qtbot, window, "7C09")
    ref = window.view.action_form.ref
    ref.setFocus()
    ref.selectAll()
    qtbot.keyClicks(ref, "7C10")
    qtbot.keyClick(ref, Qt.Key.Key_Return)
    assert "7C10" in visible_refs(window) and "7C09" not in visible_refs(window)
    with Document.open(sample_path, read_only=True) as doc:
        assert "7C10" in [a.ref for a in reads.actions(doc)]


def test_editing_leads_adds_the_new_lead_to_the_filter(qtbot, window, sample_path):
    click_row(qtbot, window, "7C09")
    leads = window.view.action_form.leads
    leads.setFocus()
    qtbot.keyClicks(leads, "Chief Finance Officer, KD")
    qtbot.keyClick(leads, Qt.Key.Key_Return)
    with Document.open(sample_path, read_only=True) as doc:
        action = next(a for a in reads.actions(doc) if a.ref == "7C09")
    assert action.leads == ("Chief Finance Officer", "KD")
    assert window.view.lead.findText("Chief Finance Officer") >= 0


def test_a_stale_undo_is_explained_not_crashed(qtbot, window, sample_path, told):
    click_row(qtbot, window, "7C06")
    choose_status(qtbot, window, "Red")
    # Someone else (a merge, say) changes the same update behind the window's back.
    doc = window.session.doc
    action = next(a for a in reads.actions(doc) if a.ref == "7C06")
    green = next(s.id for s in reads.statuses(doc) if s.label == "Green")
    edits.set_update(doc, action.id, window.view.period_id, status_id=green)
    window.undo_action.trigger()
    assert "changed elsewhere" in told.texts("error")[0]
    assert stored_update(sample_path, "7C06")[0] == "Green"
    assert not window.undo_action.isEnabled()


def test_undo_shows_the_action_it_took_back(qtbot, window, sample_path):
    click_row(qtbot, window, "7C02")
    choose_status(qtbot, window, "Red")
    click_row(qtbot, window, "7F05")
    window.undo_action.trigger()
    assert window.view.action_form.ref.text() == "7C02"
    assert window.view.action_form.status.currentText().startswith("Green")


def test_edits_survive_closing_and_reopening(qtbot, tmp_path, window, sample_path):
    click_row(qtbot, window, "7F01")
    type_update(qtbot, window, "Twelve new volunteers recruited.")
    window.close()
    again = make_window(qtbot, tmp_path / "settings")
    from desktop.app import file_to_open

    path = file_to_open(None, again.settings, tmp_path / "settings")
    assert path == sample_path.resolve()
    again.open_file(path)
    qtbot.waitUntil(lambda: again.session is not None)
    with Document.open(path, read_only=True) as doc:
        action_id = next(a.id for a in reads.actions(doc) if a.ref == "7F01")
    assert again.view.select(action_id)
    assert again.view.action_form.update_editor.text() == "Twelve new volunteers recruited."
    again.close()


def test_word_count_follows_the_typing(qtbot, window):
    click_row(qtbot, window, "7C01")
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "three short words")
    assert window.view.action_form.update_editor.words.text().startswith("3 words")


def test_marking_a_passage_exempt(qtbot, window, sample_path, told):
    click_row(qtbot, window, "7C01")
    edit = window.view.action_form.update_editor.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "Public part. Secret part.")
    qtbot.keyClick(edit, Qt.Key.Key_End)
    for _ in range(len("Secret part.")):
        qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    told.picks = ["s.31(1)(a) – Law enforcement"]
    qtbot.keyClick(
        edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert (
        stored_update(sample_path, "7C01")[1]
        == "Public part. [exempt: s.31(1)(a)]Secret part.[/exempt]"
    )
    assert "exempt: s.31(1)(a)" in window.view.action_form.update_editor.words.text()


def test_marking_exempt_without_a_selection_says_what_to_do(qtbot, window, told):
    click_row(qtbot, window, "7C01")
    window.view.action_form.update_editor.exempt.click()
    assert told.texts("info") == [
        "Select the words to mark exempt first, then choose the exemption."
    ]


def test_adding_a_dated_entry(qtbot, window, sample_path):
    from ui.text_editor import today_entry

    click_row(qtbot, window, "7C02")
    editor = window.view.action_form.update_editor
    qtbot.mouseClick(editor.dated, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.edit, "Budget approved.")
    window.view.action_form.flush()
    assert stored_update(sample_path, "7C02")[1].endswith(f"\n\n{today_entry()}Budget approved.")


def test_add_and_delete_an_action_with_undo(qtbot, window, sample_path, told):
    window.view.select(window.view.model.index(0, 0).data(257))
    count = len(visible_refs(window))
    qtbot.keyClick(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(visible_refs(window)) == count + 1
    assert window.view.action_form.activity.toPlainText() == "New action"
    told.answers = ["Delete"]
    window.delete_action.trigger()
    assert len(visible_refs(window)) == count
    window.undo_action.trigger()
    assert len(visible_refs(window)) == count + 1
    with Document.open(sample_path, read_only=True) as doc:
        assert len(reads.actions(doc)) == count + 1


def test_add_theme(qtbot, window, sample_path):
    window.add_theme_action.trigger()
    assert window.view.model.rowCount() == 2
    assert window.view.forms.currentWidget() is window.view.theme_form
    with Document.open(sample_path, read_only=True) as doc:
        assert [t.title for t in reads.themes(doc)] == ["Spending Public Money Wisely", "New theme"]


# -- filters and search ------------------------------------------------------------------------


def test_filter_by_status(qtbot, window, sample_path):
    combo = window.view.status
    combo.setCurrentIndex(combo.findText("Green (G)"))
    refs = visible_refs(window)
    with Document.open(sample_path, read_only=True) as doc:
        period = reads.periods(doc)[-1]
        green = next(s.id for s in reads.statuses(doc) if s.code == "G")
        updates = reads.updates(doc, period.id)
        expected = [a.ref for a in reads.actions(doc) if updates[a.id].status_id == green]
    assert refs == expected and 0 < len(refs) < 20
    assert window.view.count.text() == f"{len(expected)} actions found"
    combo.setCurrentIndex(0)
    assert len(visible_refs(window)) == 20


# The offscreen platform cannot raise a popup or grab the keyboard for it, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support", extend=True)
def test_filter_by_several_statuses_with_ctrl_click_and_space(qtbot, window, sample_path):
    combo = window.view.status
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("Green (G)"))
    combo.showPopup()
    view = combo.view()
    amber = combo.findText("Amber (A)")
    rect = view.visualRect(combo.model().index(amber, 0))
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        rect.center(),
    )
    assert view.isVisible()  # the list stays open for another choice
    assert combo.currentText() == "Green (G) or Amber (A)"
    with Document.open(sample_path, read_only=True) as doc:
        period = reads.periods(doc)[-1]
        wanted = {s.id for s in reads.statuses(doc) if s.code in ("G", "A")}
        updates = reads.updates(doc, period.id)
        expected = [a.ref for a in reads.actions(doc) if updates[a.id].status_id in wanted]
    assert visible_refs(window) == expected
    # Space on the highlighted item unticks it again.
    view.setCurrentIndex(combo.model().index(amber, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert combo.currentText() == "Green (G)"
    combo.hidePopup()
    assert 0 < len(visible_refs(window)) < len(expected)


def test_filter_by_lead(qtbot, window):
    combo = window.view.lead
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("KD"))
    assert visible_refs(window) == ["7C01", "7C06", "7C07", "7C08"]


def test_search_as_you_type(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.view.search.hasFocus()
    qtbot.keyClicks(window.view.search, "volunte")
    qtbot.waitUntil(lambda: window.view.count.text().endswith("found"))
    refs = visible_refs(window)
    assert "7F01" in refs and "7C01" not in refs
    index = window.view.model.index_of(
        window.view.model.index(0, 0, window.view.model.index(0, 0)).data(257)
    )
    assert "Found:" in index.siblingAtColumn(1).data(Qt.ItemDataRole.ToolTipRole)
    window.view.search.clear()
    qtbot.waitUntil(lambda: window.view.count.text() == "1 theme")
    assert len(visible_refs(window)) == 20


def test_search_with_no_match_shows_nothing(qtbot, window):
    qtbot.keyClicks(window.view.search, "zzzqqq")
    qtbot.keyClick(window.view.search, Qt.Key.Key_Return)  # Return searches at once
    assert visible_refs(window) == []
    assert window.view.count.text() == "0 actions found"


# -- periods -------------------------------------------------------------------------------------


def add_period_by_keyboard(qtbot, window, label: str | None = None):
    from ui.period_dialog import PeriodDialog

    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(PeriodDialog)
    assert dialog is not None and dialog.isVisible()
    if label is not None:
        dialog.label.selectAll()
        qtbot.keyClicks(dialog.label, label)
    qtbot.keyClick(dialog.label, Qt.Key.Key_Return)
    return dialog


def test_add_a_period_carries_actions_forward(qtbot, window, sample_path):
    add_period_by_keyboard(qtbot, window)
    assert window.view.period.currentText() == "Q3 2017/18"
    old_status = stored_update(sample_path, "7C01", "Q2 2017/18")[0]
    assert stored_update(sample_path, "7C01", "Q3 2017/18") == (old_status, "")
    click_row(qtbot, window, "7C01")
    assert window.view.action_form.period_box.title() == "Q3 2017/18"
    assert window.view.action_form.update_editor.text() == ""
    window.view.changed_only.setChecked(True)
    assert visible_refs(window) == []
    window.view.changed_only.setChecked(False)
    click_row(qtbot, window, "7C01")
    window.undo_action.trigger()
    with Document.open(sample_path, read_only=True) as doc:
        assert [p.label for p in reads.periods(doc)] == ["Q2 2017/18"]
    assert window.view.period.currentText() == "Q2 2017/18"
    assert window.view.action_form.period_box.title() == "Q2 2017/18"
    assert window.view.action_form.update_editor.text().startswith("A decision had been made")


def test_an_added_period_prints_under_the_plans_own_heading(qtbot, window, sample_path):
    from exports.appendix.layout import PrintOptions, build_appendix
    from exports.appendix.printing import read_for_print

    add_period_by_keyboard(qtbot, window)
    with Document.open(sample_path, read_only=True) as doc:
        added = reads.periods(doc)[-1]
        assert (added.label, added.starts, added.ends) == ("Q3 2017/18", "2017-10-01", "2017-12-31")
        options = PrintOptions(period="Q3 2017/18")
        appendix = build_appendix(read_for_print(doc, options), options)
    assert appendix.heading.period_heading == "QRT 3 UPDATE (April 2017 to December 2017)"


def test_an_action_closed_last_quarter_is_not_listed_in_the_next(qtbot, window, sample_path):
    assert "7F02" in visible_refs(window)
    add_period_by_keyboard(qtbot, window)
    assert window.view.period.currentText() == "Q3 2017/18"
    assert "7F02" not in visible_refs(window)
    assert "7F03" in visible_refs(window)
    # Reopening it (Closed in: none) from the quarter it was closed in brings it back.
    window.view.period.setCurrentIndex(window.view.period.findText("Q2 2017/18"))
    click_row(qtbot, window, "7F02")
    closed_in = window.view.action_form.closed_in
    closed_in.setFocus()
    qtbot.keyClick(closed_in, Qt.Key.Key_Home)
    assert closed_in.currentText() == "—"
    window.view.period.setCurrentIndex(window.view.period.findText("Q3 2017/18"))
    assert "7F02" in visible_refs(window)


def test_changed_this_period_shows_the_actions_updated(qtbot, window):
    add_period_by_keyboard(qtbot, window)
    click_row(qtbot, window, "7C02")
    choose_status(qtbot, window, "Red")
    click_row(qtbot, window, "7F03")
    type_update(qtbot, window, "Reviewed in October.")
    window.view.changed_only.setChecked(True)
    assert visible_refs(window) == ["7C02", "7F03"]


def test_changed_this_period_lists_only_what_was_changed(qtbot, window):
    click_row(qtbot, window, "7C02")
    choose_status(qtbot, window, "Red")
    window.view.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(window.view.changed_only, Qt.Key.Key_Space)
    assert window.view.changed_only.isChecked()
    # Every update of the sample has text; only the one edited here has changed.
    assert visible_refs(window) == ["7C02"]


def test_a_duplicate_period_label_is_refused(qtbot, window, told):
    add_period_by_keyboard(qtbot, window, "Q2 2017/18")
    assert told.texts("error") == ["There is already a period called Q2 2017/18."]


def test_locking_waits_for_every_update_to_be_signed_off(qtbot, window, sample_path, told):
    from ui.signoff_dialog import SignOffDialog

    told.answers = ["Sign off updates…"]
    window.lock_action.trigger()
    assert told.texts("question")[0].startswith("Q2 2017/18 cannot be locked yet: 20 updates")
    dialog = window.findChild(SignOffDialog)
    assert dialog.isVisible() and dialog.period.currentText() == "Q2 2017/18"
    with Document.open(sample_path, read_only=True) as doc:
        assert not reads.periods(doc)[0].locked
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(0, 2).text() == "Accepted"
    dialog.close()
    # The acceptance is an edit like any other: the window's Undo takes it back.
    window.undo_action.trigger()
    dialog.reload()
    assert dialog.table.item(0, 2).text() == "Draft"


def test_locking_a_period_stops_edits_to_it(qtbot, window, sample_path, told):
    from db import signoff

    doc = window.session.doc
    period = reads.periods(doc)[0].id
    for update in reads.updates(doc, period).values():
        signoff.accept(doc, update.id)
    told.answers = ["Lock"]
    qtbot.keyClick(
        window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    with Document.open(sample_path, read_only=True) as doc:
        assert reads.periods(doc)[0].locked
    assert window.view.period.currentText() == "Q2 2017/18 (locked)"
    assert window.lock_action.text() == "Un&lock period"
    click_row(qtbot, window, "7C01")
    form = window.view.action_form
    assert not form.status.isEnabled() and form.update_editor.edit.isReadOnly()
    assert "locked" in form.locked_note.text()
    told.answers = ["Unlock"]
    window.lock_action.trigger()
    assert form.status.isEnabled()
    assert window.lock_action.text() == "&Lock period"
    assert window.view.period.currentText() == "Q2 2017/18"
    with Document.open(sample_path, read_only=True) as doc:
        assert not reads.periods(doc)[0].locked


def test_an_edit_to_a_locked_period_is_explained(qtbot, window, told):
    doc = window.session.doc
    edits.lock_period(doc, reads.periods(doc)[0].id)
    action = reads.actions(doc)[0]
    window.session.commit(edits.set_update, action.id, reads.periods(doc)[0].id, text="Late")
    assert told.texts("error") == [
        "Period Q2 2017/18 is locked, so its updates and performance cannot be changed."
    ]


# -- other windows -----------------------------------------------------------------------------


def test_history_shows_who_changed_the_status(qtbot, window):
    from ui.history_dialog import HistoryDialog

    click_row(qtbot, window, "7C01")
    choose_status(qtbot, window, "Red")
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(HistoryDialog)
    assert dialog.isVisible() and dialog.windowTitle() == "History of 7C01"
    model = dialog.model
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first[2:5] == ["Update Q2 2017/18: Status", "Amber", "Red"]
    assert first[1] == window.session.doc.who
    assert "Q2 2017/18: Red" in dialog.statuses.text()


def test_the_forms_history_button_shows_the_actions_history(qtbot, window):
    from ui.history_dialog import HistoryDialog

    click_row(qtbot, window, "7C02")
    assert window.findChild(HistoryDialog) is None
    qtbot.mouseClick(window.view.action_form.history, Qt.MouseButton.LeftButton)
    dialog = window.findChild(HistoryDialog)
    assert dialog.isVisible() and dialog.windowTitle() == "History of 7C02"
    assert dialog.statuses.text().startswith("Status by period: Q2 2017/18: ")


def test_plan_settings_edit_and_undo(qtbot, window, sample_path):
    from ui.settings_dialog import SettingsDialog

    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    marking = dialog.fields["marking"]
    marking.setFocus()
    marking.selectAll()
    qtbot.keyClicks(marking, "OFFICIAL-SENSITIVE")
    qtbot.keyClick(marking, Qt.Key.Key_Return)
    with Document.open(sample_path, read_only=True) as doc:
        assert reads.plan(doc).marking == "OFFICIAL-SENSITIVE"
    window.undo_action.trigger()
    assert marking.text() == "OFFICIAL"


def test_status_scheme_colour_is_edited_in_the_table(qtbot, window, sample_path, told):
    from ui.settings_dialog import SettingsDialog

    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    model = dialog.statuses
    assert model.setData(model.index(0, 2), "#11aa55")
    assert not model.setData(model.index(0, 2), "not a colour")
    assert told.texts("error") == [
        "“not a colour” is not a colour; type one such as #00B050 or green."
    ]
    with Document.open(sample_path, read_only=True) as doc:
        assert reads.statuses(doc)[0].colour == "#11AA55"
    click_row(qtbot, window, "7C02")
    index = window.view.model.index_of(window.view.current_id()).siblingAtColumn(2)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#11aa55"


def test_measure_performance_is_typed_into_the_table(qtbot, window, sample_path):
    window.view.select(window.view.model.index(0, 0).data(257))
    table = window.view.theme_form.table
    model = window.view.theme_form.measures
    table.setFocus()
    table.setCurrentIndex(model.index(0, 4))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    from PySide6.QtWidgets import QLineEdit

    editor = table.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "£2.1m saved so far")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(0, 4).data() == "£2.1m saved so far")
    with Document.open(sample_path, read_only=True) as doc:
        measure = reads.measures(doc)[0]
        assert (
            reads.performance(doc, measure.id, reads.periods(doc)[-1].id).text
            == "£2.1m saved so far"
        )
    assert model.index(0, 4).data() == "£2.1m saved so far"


# -- printing -----------------------------------------------------------------------------------


@pytest.fixture
def preview(qtbot, window):
    from ui.print_dialog import PrintDialog

    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(PrintDialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    return dialog


def test_print_preview_shows_the_real_pages(preview):
    from ui.pdf_pages import page_count

    assert preview.isVisible()
    assert len(preview.pages) == page_count(preview.pdf) > 0
    assert preview.status.text() == f"{len(preview.pages)} pages"
    assert preview.pdf.startswith(b"%PDF")


def test_save_as_pdf_and_word(qtbot, preview, told, tmp_path):
    told.save_paths = [str(tmp_path / "appendix.pdf"), str(tmp_path / "appendix")]
    preview.pdf_button.click()
    assert (tmp_path / "appendix.pdf").read_bytes() == preview.pdf
    preview.word_button.click()  # read and rendered in the background
    qtbot.waitUntil(lambda: preview.saved_path == tmp_path / "appendix.docx", timeout=30000)
    import zipfile

    assert "word/document.xml" in zipfile.ZipFile(tmp_path / "appendix.docx").namelist()


def test_print_sends_every_page_to_the_printer(preview, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    from ui.pdf_pages import page_count

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(preview, "ask_printer", lambda p: True)
    assert preview.print_pages(printer)
    assert page_count((tmp_path / "printed.pdf").read_bytes()) == len(preview.pages)


def test_unticking_every_theme_says_so(qtbot, preview):
    item = preview.themes.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert preview.status.text() == "Tick at least one theme to print."
    assert not preview.print_button.isEnabled()


def _preview_with_update(qtbot, window, text: str):
    """Write ``text`` as the first action's update, open Print and wait for the preview."""
    from ui.print_dialog import PrintDialog

    doc = window.session.doc
    action = reads.actions(doc)[0]
    edits.set_update(doc, action.id, reads.periods(doc)[-1].id, text=text)
    window.print_action.trigger()
    dialog = window.findChild(PrintDialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    return dialog, action


def test_public_preview_hides_exempt_passages(qtbot, window, told):
    dialog, _action = _preview_with_update(
        qtbot, window, "Open. [exempt: s.31(1)(a)]Hidden words[/exempt]"
    )
    dialog.public.setChecked(True)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    import io

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert "Hidden words" not in text and "s.31(1)(a)" in text


def test_public_preview_refuses_a_mistyped_tag(qtbot, window, told):
    """The window's public preview refuses markup it cannot read, as every public path does."""
    dialog, action = _preview_with_update(
        qtbot, window, "Open. [exempt : s.31(1)(a)]Hidden words[/exempt]"
    )
    dialog.public.setChecked(True)  # the internal preview printed; the public one refuses
    expected = f"The update of action {action.ref} (theme 7) for Q2 2017/18 has exempt markup"
    qtbot.waitUntil(lambda: dialog.status.text().startswith(expected), timeout=30000)
    assert dialog.pdf is None or b"Hidden words" not in dialog.pdf
    assert ("error", dialog.status.text()) in told.messages


def test_accepted_only_preview_leaves_out_unaccepted_updates(qtbot, window):
    from db import signoff
    from ui.print_dialog import PrintDialog

    doc = window.session.doc
    action = reads.actions(doc)[0]
    period = reads.periods(doc)[-1].id
    edits.set_update(doc, action.id, period, text="Not yet accepted words")
    window.print_action.trigger()
    dialog = window.findChild(PrintDialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    assert "Not yet accepted words" in _pdf_text(dialog.pdf)
    qtbot.mouseClick(dialog.accepted, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    assert "Not yet accepted words" not in _pdf_text(dialog.pdf)
    update_id = reads.updates(doc, period)[action.id].id
    signoff.submit(doc, update_id)
    signoff.accept(doc, update_id)
    dialog.refresh_button.click()
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    assert "Not yet accepted words" in _pdf_text(dialog.pdf)


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# -- the window itself -----------------------------------------------------------------------------


def test_menus_reach_every_command_by_keyboard(window):
    menus = {
        m.title().replace("&", ""): m
        for m in window.menuBar().findChildren(type(window.recent_menu))
    }
    assert {"File", "Edit", "Plan", "View", "Help"} <= set(menus)
    for action in window.actions():
        assert "&" in action.text(), f"{action.text()} has no access key"


def test_controls_have_accessible_names(window):
    view = window.view
    for widget in (
        view.period,
        view.search,
        view.status,
        view.lead,
        view.theme,
        view.tree,
        view.action_form.status,
        view.action_form.update_editor.edit,
        view.action_form.leads,
    ):
        assert widget.accessibleName()


def test_tab_order_runs_from_the_filters_to_the_tree(qtbot, window):
    view = window.view
    view.period.setFocus()
    seen = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen[0] is view.search and seen[-1] is view.tree


def test_window_layout_and_recent_files_are_remembered(qtbot, window, sample_path, tmp_path):
    # The offscreen screen is 800 pixels wide, so only the height can show the layout came back.
    window.resize(780, 590)
    window.close()
    from desktop.app import make_settings

    settings = make_settings(tmp_path / "settings")
    assert settings.value("window/geometry") is not None
    assert settings.value("last_file") == str(sample_path.resolve())
    again = make_window(qtbot, tmp_path / "settings")
    assert again.size().height() == 590
    again._fill_recent()
    assert [a.statusTip() for a in again.recent_menu.actions()] == [str(sample_path.resolve())]
    again.recent_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: again.session is not None)
    again.close()


def test_close_then_new_plan(qtbot, window, told, tmp_path):
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.session is None and not window.print_action.isEnabled()
    from ui.new_plan_dialog import NewPlanDialog

    told.save_paths = [str(tmp_path / "fresh")]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(NewPlanDialog)
    assert dialog.isVisible() and dialog.focusWidget() is dialog.title
    qtbot.keyClicks(dialog.title, "Police and Crime Plan 2021-2025")
    dialog.organisation.setFocus()
    qtbot.keyClicks(dialog.organisation, "OPCC for Somewhere")
    proposed = dialog.period.values()
    assert proposed["label"] and proposed["heading"].startswith("QRT ")
    qtbot.keyClick(dialog.organisation, Qt.Key.Key_Return)
    assert window.session.doc.path == tmp_path / "fresh.scrutiny"
    doc = window.session.doc
    assert [s.label for s in reads.statuses(doc)][:3] == ["Green", "Amber", "Red"]
    plan = reads.plan(doc)
    assert (plan.title, plan.organisation, plan.marking) == (
        "Police and Crime Plan 2021-2025",
        "OPCC for Somewhere",
        "OFFICIAL",
    )
    [period] = reads.periods(doc)
    assert (period.label, period.starts, period.ends, period.heading) == tuple(proposed.values())
    assert window.view.period.currentText() == proposed["label"]
    assert window.view.model.rowCount() == 0


def test_save_a_copy(qtbot, window, told, tmp_path):
    told.save_paths = [str(tmp_path / "copy.scrutiny")]
    window.save_copy_action.trigger()
    with Document.open(tmp_path / "copy.scrutiny", read_only=True) as doc:
        assert len(reads.actions(doc)) == 20
    assert window.session.doc.path != tmp_path / "copy.scrutiny"


def test_merging_a_return_shows_in_the_tree_and_can_be_undone(
    qtbot, window, told, tmp_path, monkeypatch
):
    from ui import messages
    from ui.merge_dialog import MergeDialog

    returned = tmp_path / "returned.scrutiny"
    window.session.doc.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        action = next(a for a in reads.actions(copy) if a.ref == "7C01")
        blue = next(s.id for s in reads.statuses(copy) if s.label == "Blue")
        edits.set_update(copy, action.id, reads.periods(copy)[-1].id, status_id=blue)
    monkeypatch.setattr(messages, "open_paths", lambda *a: [str(returned)])
    window.merge_action.trigger()
    dialog = window.findChild(MergeDialog)
    assert dialog is not None
    wait_merged(dialog)
    assert dialog.report is not None
    index = window.view.model.index_of(action.id)
    assert index.siblingAtColumn(2).data() == "B"
    window.undo_action.trigger()
    assert window.view.model.index_of(action.id).siblingAtColumn(2).data() == "A"


def test_quick_check_is_skipped_only_for_a_file_closed_cleanly_here(
    qtbot, window, sample_path, monkeypatch
):
    from db import safety

    # Whether each check of the file ran SQLite's quick_check: the window's own check comes
    # first, then Document.open's (which never repeats it).
    checks: list[bool] = []
    real = safety.check_file

    def spy(path, *, integrity=True):
        checks.append(integrity)
        return real(path, integrity=integrity)

    monkeypatch.setattr(safety, "check_file", spy)

    def reopen():
        checks.clear()
        window.open_file(sample_path)
        qtbot.waitUntil(lambda: window.session is not None)

    window.close_plan()
    reopen()
    assert checks == [False, False]
    # Someone else writes to the file while it is closed: the next open checks it in full.
    window.close_plan()
    with Document.open(sample_path, who="Someone else") as doc:
        edits.edit(doc, "themes", reads.themes(doc)[0].id, "Retitle", title="Changed")
    reopen()
    assert checks == [True, False]
    # A session that never closed (a crash) leaves nothing trusted behind.
    window.session.close()
    window.session = None
    reopen()
    assert checks == [True, False]


def test_a_new_plan_cannot_replace_the_open_one(qtbot, window, told, sample_path):
    from ui.new_plan_dialog import NewPlanDialog

    told.save_paths = [str(sample_path)]
    window.new_action.trigger()
    window.findChild(NewPlanDialog).accept()
    assert told.texts("error") == [
        "sample.scrutiny is the plan open now; choose another name for the new plan."
    ]
    assert window.session.doc.path == sample_path and sample_path.exists()


def test_send_to_lead_opens_the_send_dialog(window):
    from ui.send_dialog import SendDialog

    window.send_action.trigger()
    dialog = window.findChild(SendDialog)
    assert dialog is not None and dialog.isVisible()


def test_a_clash_shows_in_the_tree_and_status_bar_until_it_is_resolved(
    qtbot, window, told, tmp_path, monkeypatch
):
    from ui import messages
    from ui.clash_dialog import ClashDialog
    from ui.merge_dialog import MergeDialog

    doc = window.session.doc
    returned = tmp_path / "returned.scrutiny"
    doc.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        action = next(a for a in reads.actions(copy) if a.ref == "7C01")
        edits.set_update(copy, action.id, reads.periods(copy)[-1].id, text="KD's words.")
    click_row(qtbot, window, "7C01")
    type_update(qtbot, window, "The office's words.")
    assert not window.clashes_action.isEnabled()
    monkeypatch.setattr(messages, "open_paths", lambda *a: [str(returned)])
    window.merge_action.trigger()
    wait_merged(window.findChild(MergeDialog))
    window.findChild(MergeDialog).close()
    window.activateWindow()  # the offscreen platform does not hand it back by itself
    qtbot.waitUntil(window.isActiveWindow)
    index = window.view.model.index_of(action.id)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "7C01, clash open"
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert window.clash_note.text().startswith("1 clash open")
    assert window.clashes_action.isEnabled()
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(ClashDialog)
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.take_theirs, Qt.MouseButton.LeftButton)
    assert window.clash_note.text() == ""
    assert window.view.model.index_of(action.id).data(Qt.ItemDataRole.DecorationRole) is None
    with Document.open(window.session.doc.path, read_only=True) as stored:
        assert reads.updates(stored, reads.periods(stored)[-1].id)[action.id].text == "KD's words."


def test_keyboard_shortcut_list(window, told):
    window.keys_action.trigger()
    text = told.texts("info")[0]
    assert "Undo" in text and "Ctrl+Z" in text


def test_the_whole_quarter_without_a_mouse(qtbot, window, sample_path):
    """Open the sample, add a quarter, update three actions, undo one, preview, close: keys only."""
    from ui.print_dialog import PrintDialog

    add_period_by_keyboard(qtbot, window)
    tree = window.view.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Home)
    wanted = {
        "7C01": ("Green", "Alliance work on track."),
        "7C02": ("Blue", "Budget balanced."),
        "7C03": ("Red", "Savings slipped."),
    }
    for ref, (status, text) in wanted.items():
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
        assert window.view.action_form.ref.text() == ref
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is window.view.action_form.status
        choose_status(qtbot, window, status)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is window.view.action_form.update_editor.edit
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_update(sample_path, "7C01", "Q3 2017/18") == ("Green", "Alliance work on track.")
    assert stored_update(sample_path, "7C02", "Q3 2017/18") == ("Blue", "Budget balanced.")
    assert stored_update(sample_path, "7C03", "Q3 2017/18") == ("Red", "")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(PrintDialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)
    assert dialog.period.currentText() == "Q3 2017/18" and dialog.pages
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    window.activateWindow()  # what the window manager does when a dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible() and window.session is None
    assert stored_update(sample_path, "7C02", "Q3 2017/18") == ("Blue", "Budget balanced.")


def test_themes_expand_with_the_keyboard_and_the_mouse(qtbot, window):
    tree = window.view.tree
    theme = window.view.model.index(0, 0)
    tree.collapse(theme)
    rect = tree.visualRect(theme)
    # The branch arrow sits in the indentation to the left of the theme's text.
    arrow = QPoint(rect.left() - tree.indentation() // 2, rect.center().y())
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=arrow)
    assert tree.isExpanded(theme)
    tree.setFocus()
    tree.setCurrentIndex(theme)
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    assert not tree.isExpanded(theme)
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    assert tree.isExpanded(theme)


def test_add_and_delete_a_measure_with_undo(qtbot, window, sample_path):
    window.view.select(window.view.model.index(0, 0).data(257))
    form = window.view.theme_form
    count = form.measures.rowCount()
    qtbot.mouseClick(form.add_measure, Qt.MouseButton.LeftButton)
    assert form.measures.rowCount() == count + 1
    assert form.measures.index(count, 1).data() == "New measure"
    form.table.setCurrentIndex(form.measures.index(0, 1))
    qtbot.mouseClick(form.remove_measure, Qt.MouseButton.LeftButton)
    assert form.measures.rowCount() == count
    window.undo_action.trigger()
    assert form.measures.rowCount() == count + 1
    with Document.open(sample_path, read_only=True) as doc:
        assert len(reads.measures(doc)) == count + 1


def test_actions_without_a_status_can_be_found(qtbot, window):
    doc = window.session.doc
    action = next(a for a in reads.actions(doc) if a.ref == "7P03")
    window.session.commit(edits.set_update, action.id, window.view.period_id, status_id=None)
    combo = window.view.status
    combo.setCurrentIndex(combo.findText("No status"))
    assert visible_refs(window) == ["7P03"]
    assert window.view.model.index_of(action.id).siblingAtColumn(2).data() == ""


def test_own_columns_are_plan_settings(qtbot, window, sample_path):
    from ui.settings_dialog import SettingsDialog

    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    dialog.extra.setFocus()
    qtbot.keyClicks(dialog.extra, "Timescale, Sponsor")
    qtbot.keyClick(dialog.extra, Qt.Key.Key_Return)
    with Document.open(sample_path, read_only=True) as doc:
        assert reads.plan(doc).extra_fields == ("Timescale", "Sponsor")


# -- one truth on screen -------------------------------------------------------------------------


def _tree_status(window, ref: str) -> str | None:
    refs = visible_refs(window)
    if ref not in refs:
        return None
    model = window.view.model
    theme = model.index(0, 0)
    row = next(r for r in range(model.rowCount(theme)) if model.index(r, 0, theme).data() == ref)
    return model.index(row, 2, theme).data()


def test_a_merge_from_the_command_line_shows_in_tree_form_and_status_bar(
    qtbot, window, sample_path, tmp_path
):
    import subprocess
    import sys

    returned = tmp_path / "returned.scrutiny"
    window.session.doc.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        period = reads.periods(copy)[-1].id
        by_ref = {a.ref: a.id for a in reads.actions(copy)}
        red = next(s.id for s in reads.statuses(copy) if s.label == "Red")
        edits.set_update(copy, by_ref["7C03"], period, status_id=red)
        edits.set_update(copy, by_ref["7C01"], period, text="The lead's words.")
    click_row(qtbot, window, "7C01")
    type_update(qtbot, window, "The office's words.")
    click_row(qtbot, window, "7C03")
    assert not window.view.action_form.status.currentText().startswith("Red")
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "merge", str(sample_path), str(returned)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: _tree_status(window, "7C03") == "R", timeout=3000)
    assert window.view.action_form.status.currentText().startswith("Red")
    assert window.clash_note.text().startswith("1 clash open")
    assert window.clashes_action.isEnabled()


def test_a_plan_open_in_another_window_opens_read_only_and_follows_its_edits(
    qtbot, window, sample_path, tmp_path, told
):
    second = make_window(qtbot, tmp_path / "settings", sample_path)
    try:
        assert second.session.read_only and "[read-only]" in second.windowTitle()
        assert told.texts("info") == [
            "sample.scrutiny is open for editing in another Scrutineer window, so it is open "
            "read-only here."
        ]
        # In the second window, arrow down the tree to 7C02.
        second.view.tree.setFocus()
        for _ in range(10):
            if second.view.action_form.ref.text() == "7C02":
                break
            qtbot.keyClick(second.view.tree, Qt.Key.Key_Down)
        assert second.view.forms.currentWidget() is second.view.action_form
        click_row(qtbot, window, "7C02")
        choose_status(qtbot, window, "Red")
        qtbot.waitUntil(lambda: _tree_status(second, "7C02") == "R", timeout=3000)
        assert second.view.action_form.status.currentText().startswith("Red")
    finally:
        second.close()
    # Closed here, the plan opens for editing in the next window.
    window.close()
    third = make_window(qtbot, tmp_path / "settings", sample_path)
    assert not third.session.read_only
    third.close()


def test_a_lock_left_by_a_crash_is_taken_over(qtbot, sample_path, tmp_path, told):
    import subprocess
    import sys

    from desktop.app import make_settings
    from desktop.plan_lock import lock_file

    where = lock_file(make_settings(tmp_path / "settings"), sample_path)
    where.parent.mkdir(parents=True, exist_ok=True)
    crash = (
        "import os, sys\n"
        "from PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1])\n"
        "assert lock.tryLock(0)\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(where)], check=True)
    assert where.exists()
    window = make_window(qtbot, tmp_path / "settings", sample_path)
    assert not window.session.read_only
    assert told.texts("info") == []
    window.close()


def test_a_long_theme_heading_shows_its_start(qtbot, window):
    window.view.tree.setFocus()
    window.view.tree.setCurrentIndex(window.view.model.index(0, 0))
    heading = window.view.theme_form.performance_heading
    assert heading.text().startswith("Strategic Priority Theme 7")
    assert heading.cursorPosition() == 0


def test_import_a_spreadsheet_off_the_gui_thread_and_open_it(
    qtbot, window, told, tmp_path, sample_path, monkeypatch
):
    import threading

    from exports.exporting import export_file
    from exports.sheets import importing
    from ui import messages

    tracker = tmp_path / "tracker.xlsx"
    export_file(sample_path, tracker)
    threads: list[threading.Thread] = []
    real = importing.import_file

    def spy(source, out):
        threads.append(threading.current_thread())
        return real(source, out)

    monkeypatch.setattr(importing, "import_file", spy)
    monkeypatch.setattr(messages, "open_path", lambda *a: str(tracker))
    told.save_paths = [str(tmp_path / "Imported")]
    window.menuBar().actions()[0].menu().aboutToShow.emit()
    window.import_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.session is not None and window.session.doc.path == tmp_path / "Imported.scrutiny"
        ),
        timeout=20000,
    )
    assert threads and threads[0] is not threading.main_thread()
    assert len(reads.actions(window.session.doc)) == 20
    assert visible_refs(window)[:2] == ["7C01", "7C02"]


def test_an_import_never_replaces_a_plan_open_in_another_window(
    qtbot, window, told, tmp_path, monkeypatch
):
    import shutil

    from exports.exporting import export_file
    from ui import messages

    open_elsewhere = tmp_path / "Open elsewhere.scrutiny"
    shutil.copy(window.session.doc.path, open_elsewhere)
    other = make_window(qtbot, tmp_path / "settings", open_elsewhere)
    assert not other.session.read_only
    before = open_elsewhere.read_bytes()
    tracker = tmp_path / "tracker.xlsx"
    export_file(open_elsewhere, tracker)
    monkeypatch.setattr(messages, "open_path", lambda *a: str(tracker))
    told.save_paths = [str(open_elsewhere)]
    window.import_action.trigger()
    [message] = told.texts("error")
    assert message.startswith("Open elsewhere.scrutiny is open in another Scrutineer window")
    assert open_elsewhere.read_bytes() == before
    other.close()


def test_a_bad_spreadsheet_is_refused_in_one_sentence(qtbot, window, told, tmp_path, monkeypatch):
    from ui import messages

    bad = tmp_path / "not a tracker.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is no workbook")
    monkeypatch.setattr(messages, "open_path", lambda *a: str(bad))
    told.save_paths = [str(tmp_path / "out.scrutiny")]
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(told.texts("error")), timeout=20000)
    [message] = told.texts("error")
    assert "Traceback" not in message and "\n" not in message
    assert not (tmp_path / "out.scrutiny").exists()


def test_the_sample_says_it_is_a_sample(qtbot, tmp_path, sample_path, told):
    from db.sample import write_sample
    from desktop.app import SAMPLE_NAME

    sample = tmp_path / SAMPLE_NAME
    write_sample(sample).close()
    window = make_window(qtbot, tmp_path / "settings", sample)
    assert window.sample_note.isVisible()
    assert window.sample_note.text().startswith("This is the sample plan")
    window.open_file(sample_path)
    qtbot.waitUntil(lambda: window.session.doc.path == sample_path, timeout=20000)
    assert not window.sample_note.isVisible()
    window.close()


def test_while_a_file_is_checked_the_window_says_so(qtbot, tmp_path, sample_path, told):
    window = make_window(qtbot, tmp_path / "settings")
    window.open_file(sample_path)
    assert window.centralWidget().text() == "Checking sample.scrutiny…"
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)
    window.close_plan()
    bad = tmp_path / "hostile.scrutiny"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    window.open_file(bad)
    assert window.centralWidget().text() == "Checking hostile.scrutiny…"
    qtbot.waitUntil(lambda: bool(told.texts("error")), timeout=20000)
    assert window.centralWidget().text().startswith("Open a plan (Ctrl+O)")
    window.close()


def test_history_shows_where_a_long_update_changed(qtbot, window):
    from ui.history_dialog import HistoryDialog

    click_row(qtbot, window, "7C01")
    edit = window.view.action_form.update_editor.edit
    assert len(edit.toPlainText()) > 150
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, " Agreed in October.")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    window.view.tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(HistoryDialog)
    model = dialog.table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 2).data().endswith(": Update"))
    was, now = model.index(row, 3).data(), model.index(row, 4).data()
    assert was != now and now.endswith("Agreed in October.")


def test_the_report_view_is_one_at_a_time_and_closes_with_its_plan(qtbot, window):
    """A Report view left open after Close would show, and drop edits to, a closed plan."""
    window.report_action.trigger()
    first = window.report_dialog
    assert first is not None and first.isVisible()
    window.report_action.trigger()
    assert window.report_dialog is not first and not first.isVisible()
    window.close_action.trigger()
    assert window.report_dialog is None
    assert not window.report_action.isEnabled()
