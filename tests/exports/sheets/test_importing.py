"""Importing plans from spreadsheets: the template, offices' own layouts, bad rows, bad files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from db.document import Document
from db.errors import ScrutineerError
from db.reads import read_plan
from exports.sheets import importing as spreadsheet_import
from exports.sheets.importing import ImportRefused, import_file

ACTION_HEADERS = [
    "Theme",
    "Theme title",
    "Ref",
    "Lead officer",
    "Plan ref",
    "Strategic activity",
    "Status",
    "Update",
]


def make_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write a workbook with the given sheets of rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def plan_sheet(period: str = "Q1 2018/19") -> list[list[object]]:
    return [
        ["Field", "Value"],
        ["Title", "Police and Crime Plan"],
        ["Organisation", "OPCC for Somewhere"],
        ["Period", period],
        ["Period start", "01/04/2018"],
        ["Period end", "30/06/2018"],
        ["Marking", "OFFICIAL"],
    ]


def imported(source: Path, tmp_path: Path, name: str = "out.scrutiny"):
    out = tmp_path / name
    summary = import_file(source, out)
    with Document.open(out, read_only=True) as doc:
        return summary, read_plan(doc)


def test_template_workbook_imports_every_part(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "plan.xlsx",
        {
            "Plan": plan_sheet(),
            "Actions": [
                ACTION_HEADERS,
                [1, "Protect", "1.1", "DCC Barber/DH", "PL1", "Do a thing", "G", "Going well"],
                [
                    1,
                    None,
                    "1.2",
                    "KD",
                    None,
                    "Do another",
                    "amber",
                    "10.10.17 - Late\n\n• one\n• two",
                ],
                [2, "Prevent", "2.1", "KD", None, "Third", None, None],
            ],
            "Measures": [
                ["Theme", "No", "Measure", "Objective", "Target", "Performance to date"],
                [2, 1, "Savings", "Save money", "£5m", 4.5],
            ],
        },
    )
    summary, data = imported(source, tmp_path)
    assert str(summary) == "Imported 2 themes, 3 actions and 1 measure into out.scrutiny."
    assert data.plan.title == "Police and Crime Plan"
    assert data.plan.organisation == "OPCC for Somewhere"
    assert data.plan.marking == "OFFICIAL"
    [period] = data.periods
    assert (period.label, period.starts, period.ends) == ("Q1 2018/19", "2018-04-01", "2018-06-30")
    assert [(t.number, t.title) for t in data.themes] == [("1", "Protect"), ("2", "Prevent")]
    statuses = data.status_by_id()
    first, second, third = data.actions
    assert first.leads == ("DCC Barber", "DH")
    assert first.plan_ref == "PL1"
    assert statuses[data.update_for(first.id, period.id).status_id].label == "Green"
    update = data.update_for(second.id, period.id)
    assert statuses[update.status_id].label == "Amber"
    assert update.text == "10.10.17 - Late\n\n• one\n• two"
    assert data.update_for(third.id, period.id) is None
    # Rows carry statuses and there is no key: the default scheme applies, whole.
    assert [s.label for s in data.statuses] == ["Green", "Amber", "Red", "Blue", "White"]
    assert [s.complete for s in data.statuses] == [False, False, False, True, False]
    [measure] = data.measures
    assert measure.theme_id == data.themes[1].id
    performance = data.performance_for(measure.id, period.id)
    assert (performance.text, performance.value) == ("4.5", 4.5)


def test_office_layout_without_refs_statuses_or_theme_column(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "office.xlsx",
        {
            "Sheet1": [["something the importer does not know"]],
            "actions ": [
                ["Our delivery plan 2018"],
                [],
                ["Action", "Agency", "Progress", "Timescale", "Sponsor"],
                ["Set up a hub", "Council; Police", "Opened in May", "2018", "PCC"],
                ["Train staff", "Fire\nPolice", "", "", "DPCC"],
            ],
        },
    )
    summary, data = imported(source, tmp_path)
    assert summary.actions == 2
    assert data.statuses == []  # no row has a status: no scheme at all, nothing guessed
    assert data.plan.extra_fields == ("Timescale", "Sponsor")
    hub, train = data.actions
    assert (hub.ref, hub.activity, hub.leads) == ("", "Set up a hub", ("Council", "Police"))
    assert hub.extra == {"Timescale": "2018", "Sponsor": "PCC"}
    assert train.leads == ("Fire", "Police")
    assert train.extra == {"Sponsor": "DPCC"}
    [theme] = data.themes
    assert (theme.number, theme.title) == ("1", "Theme 1")
    # An update without a Plan sheet still needs a period to belong to.
    [period] = data.periods
    assert data.update_for(hub.id, period.id).text == "Opened in May"
    assert data.update_for(hub.id, period.id).status_id is None


def test_green_c_becomes_its_own_complete_status(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "c.xlsx",
        {
            "Plan": plan_sheet(),
            "Actions": [
                ["Theme", "Ref", "Action", "RAG"],
                [7, "7C01", "Finished", "Green (C)"],
                [7, "7C02", "Ongoing", "Green"],
                [7, "7C03", "Unknown yet", ""],
            ],
        },
    )
    _, data = imported(source, tmp_path)
    labels = [s.label for s in data.statuses]
    assert labels[:2] == ["Green", "Green (C)"]
    green, variant = data.statuses[:2]
    assert variant.complete and not green.complete
    assert variant.colour == green.colour
    period = data.periods[0]
    by_ref = {a.ref: a for a in data.actions}
    status_of = data.status_by_id()
    assert status_of[data.update_for(by_ref["7C01"].id, period.id).status_id] == variant
    assert status_of[data.update_for(by_ref["7C02"].id, period.id).status_id] == green
    assert data.update_for(by_ref["7C03"].id, period.id) is None


def test_status_key_sheet_gives_the_offices_own_scheme(tmp_path: Path) -> None:
    path = tmp_path / "key.xlsx"
    make_workbook(
        path,
        {
            "STATUS  key": [
                ["Status", "Colour", "Meaning"],
                ["On track", "#00b050", "Going to plan"],
                ["Behind", "", "Slipping"],
                ["Done", "blue", "Complete"],
            ],
            "Plan": plan_sheet(),
            "Actions": [
                ["theme", "REF", "Strategic  Activity", "status"],
                [1, "a", "First", "on track"],
                [1, "b", "Second", "BEHIND"],
            ],
        },
    )
    workbook = openpyxl.load_workbook(path)
    workbook["STATUS  key"]["A3"].fill = PatternFill("solid", start_color="FFC000")
    workbook.save(path)
    _, data = imported(path, tmp_path)
    assert [(s.label, s.colour, s.meaning, s.complete) for s in data.statuses] == [
        ("On track", "#00B050", "Going to plan", False),
        ("Behind", "#FFC000", "Slipping", False),
        ("Done", "#0070C0", "Complete", True),
    ]
    assert len({s.code for s in data.statuses}) == 3


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "bad.xlsx",
        {
            "Plan": plan_sheet(),
            "Actions": [
                ["Theme", "Ref", "Strategic activity", "Status"],
                [1, "1.1", "Fine", "Green"],
                [1, "1.2", "Odd status", "Purple"],
                [1, "1.1", "Same ref again", "Green"],
                [2, "1.1", "Same ref, other theme: fine", "Red"],
                [1, None, None, "Green"],
            ],
            "Measures": [["Theme", "No", "Measure"], [1, None, None, "stray"], [1, None, "", ""]],
        },
    )
    out = tmp_path / "out.scrutiny"
    with pytest.raises(ImportRefused) as caught:
        import_file(source, out)
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("Actions row 3:") and "'Purple'" in problems[0]
    assert problems[1].startswith("Actions row 4:") and "twice" in problems[1]
    assert problems[2].startswith("Actions row 6:") and "neither" in problems[2]
    assert "nothing was written" in str(caught.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_exempt_markup_and_theme_prefix_are_kept(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "x.xlsx",
        {
            "Actions": [
                ["Theme", "Ref", "Strategic activity", "Update"],
                ["Theme 3", "1", "Work", "Public part [exempt: S31(1)(a)]secret[/exempt]."],
            ]
        },
    )
    _, data = imported(source, tmp_path)
    assert data.themes[0].number == "3"
    update = data.update_for(data.actions[0].id, data.periods[0].id)
    assert update.text == "Public part [exempt: S31(1)(a)]secret[/exempt]."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-8"])
def test_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "actions.csv"
    text = (
        "Theme,Ref,Lead officer,Strategic activity,Status,Update\r\n"
        '7,7C01,KD,Save £5m,A,"Agreed – the Force’s plan\r\n• one"\r\n'
    )
    source.write_bytes(text.encode(encoding))
    summary, data = imported(source, tmp_path)
    assert summary.actions == 1
    assert data.plan.title == "actions"
    [action] = data.actions
    assert action.activity == "Save £5m"
    update = data.update_for(action.id, data.periods[0].id)
    assert update.text == "Agreed – the Force’s plan\n• one"
    assert data.status_by_id()[update.status_id].label == "Amber"


def test_csv_with_semicolons(tmp_path: Path) -> None:
    source = tmp_path / "semi.csv"
    source.write_text("Ref;Strategic activity;Lead\n1;One;A/B\n", encoding="utf-8")
    _, data = imported(source, tmp_path)
    assert data.actions[0].leads == ("A", "B")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "junk.xlsx",
            b"this is not a zip",
            "junk.xlsx is not an Excel workbook (.xlsx) or is damaged.",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls is in the old Excel format"),
        ("plan.txt", b"hello", "plan.txt is not a spreadsheet Scrutineer reads"),
        ("nul.csv", b"a,b\x00,c", "nul.csv is not a text (.csv) file."),
    ],
)
def test_files_that_are_not_spreadsheets(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(
        ScrutineerError, match="^" + message.replace("(", r"\(").replace(")", r"\)")
    ):
        import_file(source, tmp_path / "out.scrutiny")
    assert not (tmp_path / "out.scrutiny").exists()


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    source = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ScrutineerError, match="is not an Excel workbook"):
        import_file(source, tmp_path / "out.scrutiny")


def test_damaged_sheet_xml(tmp_path: Path) -> None:
    good = make_workbook(tmp_path / "good.xlsx", {"Actions": [["Ref", "Strategic activity"]]})
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    with pytest.raises(ScrutineerError, match=r"damaged\.xlsx is not an Excel workbook"):
        import_file(damaged, tmp_path / "out.scrutiny")


def test_missing_file_and_existing_output(tmp_path: Path) -> None:
    with pytest.raises(ScrutineerError, match=r"^gone\.xlsx was not found\.$"):
        import_file(tmp_path / "gone.xlsx", tmp_path / "out.scrutiny")
    source = make_workbook(tmp_path / "p.xlsx", {"Actions": [["Ref", "Action"], ["1", "x"]]})
    (tmp_path / "out.scrutiny").write_text("mine")
    with pytest.raises(ScrutineerError, match="already exists"):
        import_file(source, tmp_path / "out.scrutiny")
    assert (tmp_path / "out.scrutiny").read_text() == "mine"


def test_workbook_without_actions_sheet(tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "p.xlsx", {"Plan": plan_sheet()})
    with pytest.raises(ScrutineerError, match="no sheet called Actions"):
        import_file(source, tmp_path / "out.scrutiny")


def test_absurd_sizes_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["Ref", "Strategic activity"]] + [[str(i), f"Action {i}"] for i in range(30)]
    source = make_workbook(tmp_path / "big.xlsx", {"Actions": rows})
    monkeypatch.setattr(spreadsheet_import, "MAX_ROWS", 20)
    with pytest.raises(ScrutineerError, match="more than 20 rows"):
        import_file(source, tmp_path / "a.scrutiny")
    monkeypatch.setattr(spreadsheet_import, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ScrutineerError, match="unpacks to more than"):
        import_file(source, tmp_path / "b.scrutiny")
    monkeypatch.setattr(spreadsheet_import, "MAX_FILE_BYTES", 100)
    with pytest.raises(ScrutineerError, match="too large for a plan"):
        import_file(source, tmp_path / "c.scrutiny")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.xlsx"]


def test_default_period_label_is_the_financial_quarter() -> None:
    import datetime as dt

    label = spreadsheet_import._default_period_label
    assert label(dt.date(2026, 11, 23)) == "Q3 2026/27"
    assert label(dt.date(2027, 1, 5)) == "Q4 2026/27"
    assert label(dt.date(2026, 4, 1)) == "Q1 2026/27"
    assert label(dt.date(1999, 9, 30)) == "Q2 1999/00"


def test_single_column_list_and_title_row_named_like_a_column(tmp_path: Path) -> None:
    source = tmp_path / "one.csv"
    source.write_text("Action\nFirst thing\nSecond thing\n", encoding="utf-8")
    _, data = imported(source, tmp_path)
    assert [a.activity for a in data.actions] == ["First thing", "Second thing"]
    assert data.periods == []  # nothing belongs to a period, so none is made up

    titled = make_workbook(
        tmp_path / "titled.xlsx",
        {"Actions": [["Actions"], ["Ref", "Action", "Lead"], ["1", "Do", "KD"]]},
    )
    _, data = imported(titled, tmp_path, "titled.scrutiny")
    [action] = data.actions
    assert (action.ref, action.activity, action.leads) == ("1", "Do", ("KD",))


def test_endless_styled_blank_rows_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "styled.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(["Ref", "Strategic activity"])
    sheet.append(["1", "Only action"])
    for row in range(3, 40):
        sheet.cell(row, 1).fill = PatternFill("solid", start_color="FFFF00")
    workbook.save(path)
    monkeypatch.setattr(spreadsheet_import, "MAX_ROWS", 5)
    with pytest.raises(ScrutineerError, match="more than 5 rows"):
        import_file(path, tmp_path / "out.scrutiny")
    monkeypatch.setattr(spreadsheet_import, "MAX_ROWS", 10)
    summary, _ = imported(path, tmp_path)
    assert summary.actions == 1


def test_a_formula_with_no_saved_value_is_a_bad_row(tmp_path: Path) -> None:
    """Issue 20: such a cell imported as empty without a word."""
    source = make_workbook(
        tmp_path / "formulas.xlsx",
        {
            "Plan": plan_sheet(),
            "Actions": [
                ACTION_HEADERS,
                ["1", "Safer", "1A", "DCC", "", "Patrol", "", "Plain update"],
                ["1", "Safer", "1B", "DCC", "", "Lights", "", '=A2&" and more"'],
            ],
            "Measures": [["Theme", "No", "Measure", "Target"], ["1", "1", "Crime", "=1+1"]],
        },
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(source, tmp_path / "out.scrutiny")
    assert refused.value.problems == [
        "Actions row 3: cell H3 holds a formula whose value was never saved "
        "(open the workbook in Excel, save it and import again)",
        "Measures row 2: cell D2 holds a formula whose value was never saved "
        "(open the workbook in Excel, save it and import again)",
    ]
    assert not (tmp_path / "out.scrutiny").exists()


def test_a_formula_with_its_saved_value_imports_that_value(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "saved.xlsx",
        {"Actions": [ACTION_HEADERS, ["1", "Safer", "1A", "DCC", "", "Patrol", "", "x"]]},
    )
    # Write the saved value beside the formula, as Excel does.
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/"))
    parts[name] = parts[name].replace(
        b'<c r="H2" t="inlineStr"><is><t>x</t></is></c>',
        b'<c r="H2" t="str"><f>"Sa"&amp;"ved"</f><v>Saved</v></c>',
    )
    assert b"<f>" in parts[name]
    with zipfile.ZipFile(source, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    _, data = imported(source, tmp_path)
    assert data.updates[0].text == "Saved"


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        (["Ref", "Strategic activity", "Update", "Update"], "two Update columns, C ('Update') and D ('Update')"),
        (["Ref", "Update", "Strategic activity", "Progress"], "two Update columns, B ('Update') and D ('Progress')"),
        (["Ref", "ref ", "Strategic activity"], "two Ref columns, A ('Ref') and B ('ref')"),
    ],
)  # fmt: skip
def test_a_template_column_named_twice_is_refused(
    tmp_path: Path, headers: list[str], named: str
) -> None:
    """Issue 20: a duplicated header silently used one of the two columns."""
    source = make_workbook(
        tmp_path / "twice.xlsx", {"Actions": [headers, ["1", "A", "B", "C"][: len(headers)]]}
    )
    with pytest.raises(ScrutineerError) as refused:
        import_file(source, tmp_path / "out.scrutiny")
    assert str(refused.value) == (
        f"The Actions sheet of twice.xlsx has {named}, so it is not clear which to import; "
        "delete or rename one and import again."
    )
    assert not (tmp_path / "out.scrutiny").exists()


def test_a_measures_column_named_twice_is_refused_too(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "m.xlsx",
        {
            "Actions": [["Ref", "Strategic activity"], ["1", "Do"]],
            "Measures": [["No", "Measure", "Target", "Target"], ["1", "Crime", "5%", "10%"]],
        },
    )
    with pytest.raises(ScrutineerError, match=r"The Measures sheet of m\.xlsx has two Target"):
        import_file(source, tmp_path / "out.scrutiny")


def test_a_plan_field_given_twice_with_different_values_is_refused(tmp_path: Path) -> None:
    source = make_workbook(
        tmp_path / "p.xlsx",
        {
            "Plan": [*plan_sheet(), ["Period", "Q2 2018/19"]],
            "Actions": [["Ref", "Strategic activity"], ["1", "Do"]],
        },
    )
    with pytest.raises(ScrutineerError) as refused:
        import_file(source, tmp_path / "out.scrutiny")
    assert str(refused.value) == (
        "The Plan sheet gives Period twice, in rows 4 and 8, with different values; "
        "keep one and try again."
    )
