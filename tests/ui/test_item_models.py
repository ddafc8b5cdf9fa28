"""Every table model passes Qt's model tester over the sample plan and over a plan with empty themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db import reads
from db.document import Document
from ui.history_model import HistoryModel
from ui.measures_model import MeasuresModel
from ui.session import Session
from ui.status_model import StatusModel


@pytest.fixture(params=["sample", "empty"])
def ui_session(request, sample_path, ui_empty_path, qapp):
    path = sample_path if request.param == "sample" else ui_empty_path
    doc = Document.open(path, who="Tester")
    session = Session(doc)
    yield session
    session.close()


def test_measures_model(qtmodeltester, ui_session):
    doc = ui_session.doc
    model = MeasuresModel(ui_session)
    for theme in reads.themes(doc):
        model.show(theme.id, reads.periods(doc)[-1].id)
        qtmodeltester.check(model)


def test_status_model(qtmodeltester, ui_session):
    qtmodeltester.check(StatusModel(ui_session))


def test_history_model(qtmodeltester, ui_session):
    for action in reads.actions(ui_session.doc)[:3]:
        qtmodeltester.check(HistoryModel(ui_session.doc, action.id))


def test_measure_value_must_be_a_number(ui_messages, sample_doc, qapp):
    session = Session(sample_doc)
    model = MeasuresModel(session)
    model.show(reads.themes(sample_doc)[0].id, reads.periods(sample_doc)[-1].id)
    value = model.index(0, 5)
    assert not model.setData(value, "lots")
    assert ui_messages == [
        ("error", "“lots” is not a number; type a value such as 4.5, or nothing.")
    ]
    assert model.setData(value, "1,250.5")
    measure = model.measure_at(0)
    assert reads.performance(sample_doc, measure.id, model.period_id).value == 1250.5
    assert model.index(0, 5).data() == "1250.5"


def test_locked_period_makes_performance_read_only(sample_doc, qapp):
    from db import edits

    session = Session(sample_doc)
    period = reads.periods(sample_doc)[-1]
    edits.lock_period(sample_doc, period.id)
    model = MeasuresModel(session)
    model.show(reads.themes(sample_doc)[0].id, period.id)
    assert not model.flags(model.index(0, 4)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_status_complete_is_a_tick_box(sample_doc, qapp):
    session = Session(sample_doc)
    model = StatusModel(session)
    cell = model.index(0, 4)
    assert model.data(cell, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(cell, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert reads.statuses(sample_doc)[0].complete
    assert model.data(cell, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
