"""Exporting plans as spreadsheets, and reading them back as the same plan."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from db.build import create_plan
from db.document import Document
from db.errors import ScrutineerError
from db.model import PlanData
from db.reads import read_plan
from exports.exporting import export_file
from exports.sheets.importing import import_file


def content(data: PlanData, period_label: str | None = None) -> dict:
    """Return a plan's content for one period by value, ids left out."""
    period = data.period_by_label(period_label) if period_label else data.periods[-1]
    statuses = data.status_by_id()
    plan = data.plan
    themes = []
    for theme in data.themes:
        actions = []
        for action in data.actions_of(theme.id):
            update = data.update_for(action.id, period.id) if period else None
            status = statuses[update.status_id].label if update and update.status_id else None
            actions.append(
                (
                    action.ref,
                    action.leads,
                    action.plan_ref,
                    action.activity,
                    action.extra,
                    status,
                    update.text if update else "",
                )
            )
        measures = []
        for m in data.measures_of(theme.id):
            performance = data.performance_for(m.id, period.id) if period else None
            measures.append(
                (
                    m.number,
                    m.measure,
                    m.objective,
                    m.target,
                    m.footnotes,
                    performance.text if performance else "",
                )
            )
        themes.append(
            (
                theme.number,
                theme.title,
                theme.aim,
                theme.performance_heading,
                theme.why_important,
                actions,
                measures,
            )
        )
    return {
        "plan": (
            plan.title,
            plan.organisation,
            plan.commissioner,
            plan.years,
            plan.marking,
            plan.theme_word,
            plan.action_word,
            plan.appendix_label,
            plan.version_label,
            plan.extra_fields,
        ),
        "statuses": [(s.code, s.label, s.colour, s.meaning, s.complete) for s in data.statuses],
        "period": (period.label, period.starts, period.ends, period.heading) if period else None,
        "themes": themes,
    }


def read(path: Path) -> PlanData:
    with Document.open(path, read_only=True) as doc:
        return read_plan(doc)


OWN_COLUMNS_PLAN = {
    "plan": {
        "title": "Delivery plan",
        "organisation": "OPCC",
        "extra_fields": ["Timescale", "Sponsor", "Links to force plan"],
    },
    "statuses": [],
    "periods": [{"label": "2019 Q1"}, {"label": "2019 Q2", "starts": "2019-07-01"}],
    "themes": [
        {
            "number": "A",
            "title": "Safer streets",
            "actions": [
                {
                    "leads": ["Council", "Police"],
                    "activity": "Light the alleys",
                    "extra": {"Timescale": "2019", "Links to force plan": "FP3"},
                    "updates": {"2019 Q1": {"text": "Begun"}, "2019 Q2": {"text": "Lit"}},
                },
                {"activity": "=SUM(A1) is a text here", "extra": {"Sponsor": "+44 1234"}},
            ],
            "measures": [],
        },
        {"number": "B", "title": "No actions yet", "actions": [], "measures": []},
    ],
}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_sample_round_trip(sample_path: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"sample{suffix}"
    message = export_file(sample_path, out)
    assert message == f"Wrote 20 actions with the Q2 2017/18 updates to {out.name}."
    import_file(out, tmp_path / "back.scrutiny")
    original, back = content(read(sample_path)), content(read(tmp_path / "back.scrutiny"))
    if suffix == ".xlsx":
        assert back == original
    else:
        # A CSV is the Actions sheet alone: actions, leads, statuses named and updates.
        assert [t[5] for t in back["themes"]] == [t[5] for t in original["themes"]]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_own_columns_and_no_statuses_round_trip(tmp_path: Path, suffix: str) -> None:
    create_plan(tmp_path / "own.scrutiny", OWN_COLUMNS_PLAN).close()
    out = tmp_path / f"own{suffix}"
    export_file(tmp_path / "own.scrutiny", out)
    import_file(out, tmp_path / "back.scrutiny")
    original, back = (
        content(read(tmp_path / "own.scrutiny")),
        content(read(tmp_path / "back.scrutiny")),
    )
    assert back["statuses"] == [] == original["statuses"]
    if suffix == ".xlsx":
        assert back == original
    else:
        assert back["plan"][-1] == original["plan"][-1]
        assert [t[5] for t in back["themes"] if t[5]] == [t[5] for t in original["themes"] if t[5]]


def test_exported_workbook_has_the_template_sheets(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    export_file(sample_path, out)
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == [
        "Plan", "Status key", "Actions", "Measures", "Themes", "Report", "Figures", "Approval",
    ]  # fmt: skip
    assert workbook.active.title == "Actions"
    headers = [c.value for c in workbook["Actions"][1]]
    assert headers[:8] == [
        "Theme", "Theme title", "Ref", "Lead officer", "Plan ref", "Strategic activity",
        "Status", "Update",
    ]  # fmt: skip
    assert [c.value for c in workbook["Measures"][1]][:6] == [
        "Theme", "No", "Measure", "Objective", "Target", "Performance to date",
    ]  # fmt: skip
    fields = {r[0]: r[1] for r in workbook["Plan"].iter_rows(min_row=2, values_only=True)}
    assert fields["Period"] == "Q2 2017/18"
    assert fields["Marking"] == "OFFICIAL"
    key = list(workbook["Status key"].iter_rows(min_row=2, values_only=True))
    data = read(sample_path)
    assert [r[0] for r in key] == [s.label for s in data.statuses]
    assert workbook["Status key"]["B2"].fill.fgColor.rgb.endswith(data.statuses[0].colour[1:])


def test_formula_like_texts_stay_texts(tmp_path: Path) -> None:
    create_plan(tmp_path / "own.scrutiny", OWN_COLUMNS_PLAN).close()
    export_file(tmp_path / "own.scrutiny", tmp_path / "own.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "own.xlsx")["Actions"]
    cell = sheet["F3"]
    assert cell.value == "=SUM(A1) is a text here" and cell.data_type == "s"
    export_file(tmp_path / "own.scrutiny", tmp_path / "own.csv")
    raw = (tmp_path / "own.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[2][5] == "'=SUM(A1) is a text here"


def test_public_export_replaces_exempt_passages(sample_doc: Document, tmp_path: Path) -> None:
    from db import edits

    data = read_plan(sample_doc)
    action = data.actions[0]
    edits.set_update(
        sample_doc,
        action.id,
        data.periods[-1].id,
        text="Open part. [exempt: s.31(1)(a)]Covert tactic[/exempt] Done.",
    )
    for suffix in (".xlsx", ".csv"):
        out = tmp_path / f"public{suffix}"
        message = export_file(sample_doc.path, out, public=True)
        assert "public" in message
        import_file(out, tmp_path / f"public{suffix}.scrutiny")
        back = read(tmp_path / f"public{suffix}.scrutiny")
        text = back.update_for(back.actions[0].id, back.periods[-1].id).text
        assert text == "Open part. [Exempt – s.31(1)(a)] Done."
    export_file(sample_doc.path, tmp_path / "internal.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "internal.xlsx")["Actions"]
    assert "Covert tactic" in sheet["H2"].value


def test_period_choice(tmp_path: Path) -> None:
    create_plan(tmp_path / "own.scrutiny", OWN_COLUMNS_PLAN).close()
    export_file(tmp_path / "own.scrutiny", tmp_path / "q1.xlsx", period="2019  q1")
    sheet = openpyxl.load_workbook(tmp_path / "q1.xlsx")["Actions"]
    assert sheet["H2"].value == "Begun"
    export_file(tmp_path / "own.scrutiny", tmp_path / "latest.xlsx")
    assert openpyxl.load_workbook(tmp_path / "latest.xlsx")["Actions"]["H2"].value == "Lit"
    with pytest.raises(ScrutineerError, match="no period 'Q9'; its periods are: 2019 Q1, 2019 Q2"):
        export_file(tmp_path / "own.scrutiny", tmp_path / "q9.xlsx", period="Q9")
    assert not (tmp_path / "q9.xlsx").exists()


def test_export_errors_are_sentences(sample_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ScrutineerError, match="could not be written"):
        export_file(sample_path, tmp_path / "no such folder" / "out.xlsx")
    with pytest.raises(ScrutineerError, match=r"not out\.pdf"):
        export_file(sample_path, tmp_path / "out.pdf")
    with pytest.raises(ScrutineerError, match=r"^Use --public"):
        export_file(sample_path, tmp_path / "copy.scrutiny")
    with pytest.raises(ScrutineerError, match=r"name the output \.xlsx"):
        export_file(sample_path, tmp_path / "lead.csv", lead="KD")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.scrutiny"]


def test_export_overwrites_whole(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    export_file(sample_path, out)
    assert openpyxl.load_workbook(out).sheetnames[0] == "Plan"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
