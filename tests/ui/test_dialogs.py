from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QDate, QLocale
from reportlab.pdfgen import canvas

from db import reads
from db.model import Period
from ui.pdf_pages import page_count, render_pages
from ui.period_dialog import PeriodDialog, date_format, next_label


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        ("Q2 2017/18", "Q3 2017/18"),
        ("Q4 2017/18", "Q1 2018/19"),
        ("Q4 2099/00", "Q1 2100/01"),
        ("Spring", ""),
    ],
)
def test_next_label(latest, expected):
    assert next_label([Period(id="x", label=latest)]) == expected


def test_period_dialog_proposes_the_next_quarter_in_the_persons_date_format(qtbot):
    dialog = PeriodDialog([Period(id="x", label="Q2 2017/18")])
    qtbot.addWidget(dialog)
    assert dialog.starts.text() == QLocale().toString(QDate(2017, 10, 1), date_format())
    assert "2017-10-01" not in dialog.starts.text()
    assert dialog.values() == {
        "label": "Q3 2017/18",
        "starts": "2017-10-01",
        "ends": "2017-12-31",
        "heading": "QRT 3 UPDATE (April 2017 to December 2017)",
    }


def test_the_period_heading_follows_the_dates_until_the_person_writes_one(qtbot):
    dialog = PeriodDialog([Period(id="x", label="Q2 2017/18")])
    qtbot.addWidget(dialog)
    dialog.ends.setFocus()
    dialog.ends.setCurrentSection(dialog.ends.sectionAt(0))
    dialog.ends.setDate(QDate(2018, 1, 31))
    assert dialog.values()["heading"] == "QRT 3 UPDATE (April 2017 to January 2018)"
    dialog.heading.selectAll()
    qtbot.keyClicks(dialog.heading, "Our own heading")
    dialog.ends.setDate(QDate(2017, 12, 31))
    assert dialog.values()["heading"] == "Our own heading"


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(200, 100))
    for number in range(pages):
        c.setFillColorRGB(0, 0, 0)
        c.rect(0, 0, 100, 100, fill=1)
        c.drawString(10, 10, f"Page {number}")
        c.showPage()
    c.save()
    return out.getvalue()


def test_pdf_pages_render_at_the_asked_resolution(qapp):
    pdf = _pdf(3)
    assert page_count(pdf) == 3
    images = render_pages(pdf, dpi=72, pages=[1])
    assert len(images) == 1 and (images[0].width(), images[0].height()) == (200, 100)
    # The left half is painted black, the right half left white: the pixels are the page's.
    assert images[0].pixelColor(50, 50).name() == "#000000"
    assert images[0].pixelColor(150, 50).name() == "#ffffff"


def test_history_dialog_lists_status_per_period(qtbot, sample_doc):
    from db import edits
    from ui.history_dialog import HistoryDialog, status_per_period

    action = reads.actions(sample_doc)[0]
    edits.add_period(sample_doc, "Q3 2017/18")
    assert [p for p, _ in status_per_period(sample_doc, action.id)] == ["Q2 2017/18", "Q3 2017/18"]
    dialog = HistoryDialog(sample_doc, action.id)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() >= 3
    assert dialog.model.index(0, 2).data() == "Update Q3 2017/18: added"


def test_print_dialog_with_a_stand_in_renderer(qtbot, sample_doc, monkeypatch):
    from ui import print_dialog
    from ui.print_dialog import PrintDialog

    monkeypatch.setattr(
        print_dialog,
        "make_pdf",
        lambda data, options, period=None, first_look=False, with_report=False: (_pdf(2), [], True),
    )
    dialog = PrintDialog(sample_doc, "Q2 2017/18")
    qtbot.addWidget(dialog)
    dialog.render()
    qtbot.waitUntil(lambda: dialog.pdf is not None)
    assert dialog.status.text() == "2 pages"
    assert dialog.options().themes == ["7"] and dialog.options().period == "Q2 2017/18"
