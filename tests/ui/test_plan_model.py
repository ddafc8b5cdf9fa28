from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from db import edits, reads
from db.document import Document
from ui.plan_filter import PlanFilter
from ui.plan_model import ID_ROLE, PlanModel


def _period(doc: Document) -> str:
    return reads.periods(doc)[-1].id


def _expand_all(model: PlanModel) -> None:
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if model.canFetchMore(index):
            model.fetchMore(index)


def test_model_passes_the_model_tester_over_the_sample(qtmodeltester, sample_doc):
    model = PlanModel(sample_doc, _period(sample_doc))
    qtmodeltester.check(model)
    _expand_all(model)
    qtmodeltester.check(model)


def test_model_passes_the_model_tester_with_empty_themes(qtmodeltester, ui_empty_path):
    with Document.open(ui_empty_path) as doc:
        model = PlanModel(doc, _period(doc))
        qtmodeltester.check(model)
        _expand_all(model)
        qtmodeltester.check(model)
        assert not model.hasChildren(model.index(0, 0))
        assert model.rowCount(model.index(1, 0)) == 1


def test_filtered_model_passes_the_model_tester(qtmodeltester, sample_doc):
    model = PlanModel(sample_doc, _period(sample_doc))
    model.set_filter(PlanFilter(search="budget"))
    qtmodeltester.check(model)


def test_actions_are_read_only_when_their_theme_is_expanded(sample_doc):
    model = PlanModel(sample_doc, _period(sample_doc))
    theme = model.index(0, 0)
    assert model.rowCount(theme) == 0 and model.canFetchMore(theme)
    model.fetchMore(theme)
    assert model.rowCount(theme) == len(reads.actions(sample_doc, model.theme_at(theme).id))


def test_status_cell_shows_the_letter_in_the_status_colour(sample_doc):
    period = _period(sample_doc)
    model = PlanModel(sample_doc, period)
    _expand_all(model)
    first = model.index(0, 0, model.index(0, 0))
    action_id = model.data(first, ID_ROLE)
    update = reads.update(sample_doc, action_id, period)
    status = next(s for s in reads.statuses(sample_doc) if s.id == update.status_id)
    cell = first.siblingAtColumn(2)
    assert model.data(cell) == status.code
    assert (
        model.data(cell, Qt.ItemDataRole.BackgroundRole).color().name().lower()
        == status.colour.lower()
    )


def test_an_edit_refreshes_just_that_row(qtbot, sample_doc):
    period = _period(sample_doc)
    model = PlanModel(sample_doc, period)
    _expand_all(model)
    first = model.index(0, 0, model.index(0, 0))
    action_id = model.data(first, ID_ROLE)
    red = next(s for s in reads.statuses(sample_doc) if s.label == "Red")
    changes = edits.set_update(sample_doc, action_id, period, status_id=red.id)
    with qtbot.waitSignal(model.dataChanged):
        model.apply_changes(changes)
    assert model.data(first.siblingAtColumn(2)) == red.code


def test_index_of_finds_an_unread_action(sample_doc):
    model = PlanModel(sample_doc, _period(sample_doc))
    action = reads.actions(sample_doc)[3]
    index = model.index_of(action.id)
    assert index.isValid() and model.data(index) == action.ref
    assert model.index_of("no such id") == QModelIndex()
