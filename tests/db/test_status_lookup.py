"""One status lookup: a written status means the same status on every path."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from db.build import create_plan
from db.document import Document
from db.merge import merge_sheet
from db.model import ReturnedSheet, ReturnedUpdate, Status, status_lookup
from db.reads import read_plan
from exports.sheets.importing import import_file

# "A" is one status's code and another's label: the kind of key that split the paths.
SCHEME = [
    {"code": "A", "label": "Amber", "colour": "#FFC000"},
    {"code": "X", "label": "A", "colour": "#FF0000"},
    {"code": "G", "label": "Green", "colour": "#00B050"},
]


def test_label_beats_code_and_earlier_beats_later() -> None:
    statuses = [Status(str(i), s["code"], s["label"]) for i, s in enumerate(SCHEME)]
    named = status_lookup(statuses)
    assert named("a").label == "A"  # a label, though it is also Amber's code
    assert named("  AMBER ").label == "Amber"
    assert named("x").label == "A" and named("g").label == "Green"
    assert named("Blue") is None and named("") is None and named(None) is None
    twice = status_lookup([Status("1", "G", "Green"), Status("2", "G2", "green")])
    assert twice("GREEN").id == "1"


def status_of(path: Path) -> str:
    with Document.open(path, read_only=True) as doc:
        data = read_plan(doc)
    update = data.update_for(data.actions[0].id, data.periods[-1].id)
    return data.status_by_id()[update.status_id].label


def test_build_import_and_merge_read_a_status_alike(tmp_path: Path) -> None:
    plan = {
        "plan": {"title": "P"},
        "statuses": SCHEME,
        "periods": [{"label": "Q1"}],
        "themes": [
            {
                "number": "1",
                "title": "T",
                "actions": [{"ref": "1", "activity": "Do", "updates": {"Q1": {"status": "A"}}}],
                "measures": [],
            }
        ],
    }
    create_plan(tmp_path / "built.scrutiny", plan).close()
    assert status_of(tmp_path / "built.scrutiny") == "A"

    workbook = openpyxl.Workbook()
    workbook.active.title = "Actions"
    workbook.active.append(["Theme", "Ref", "Strategic activity", "Status"])
    workbook.active.append(["1", "1", "Do", "a"])
    key = workbook.create_sheet("Status key")
    key.append(["Status", "Code", "Colour"])
    for status in SCHEME:
        key.append([status["label"], status["code"], status["colour"]])
    plan_sheet = workbook.create_sheet("Plan")
    plan_sheet.append(["Period", "Q1"])
    workbook.save(tmp_path / "in.xlsx")
    import_file(tmp_path / "in.xlsx", tmp_path / "imported.scrutiny")
    assert status_of(tmp_path / "imported.scrutiny") == "A"

    create_plan(tmp_path / "merged.scrutiny", {**plan, "themes": [
        {**plan["themes"][0], "actions": [{"ref": "1", "activity": "Do"}]}
    ]}).close()  # fmt: skip
    returned = ReturnedSheet(
        name="back.xlsx",
        plan_id=None,
        period_label="Q1",
        lead=None,
        updates=[ReturnedUpdate(None, "1", "1", None, "", "A", "Done")],
    )
    with Document.open(tmp_path / "merged.scrutiny", who="Tester") as doc:
        merge_sheet(doc, returned)
    assert status_of(tmp_path / "merged.scrutiny") == "A"
