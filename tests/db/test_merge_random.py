"""A seeded random three-way merge: nothing is lost, a second merge is a no-op, order is moot.

Each trial starts from one small plan. The office sends two returns, each a copy of the plan
or a lead's return sheet (as ``read_return`` gives it back; in one trial in eight an Excel
workbook written, filled in and read back), possibly editing between the sends; the office and both leads then
edit, delete and add (actions, periods, milestones, performance, leads) at random. The
office's plan is merged with return A then B, and a second copy of it with B then A. Every
text any side wrote and still holds must then be in the plan or in an open clash, merging
either return again must change nothing, and the two orders must give the same plan except
for fields both returns changed differently (which are clashes in both).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from db import clashes, edits, merge, reads
from db.build import create_plan
from db.document import Document
from db.errors import ScrutineerError
from db.model import ReturnedSheet, ReturnedUpdate
from db.tables import NATURAL, ORDER, REFS

TRIALS = 300
LEADS = ("KD", "CR", "NW")
STATUSES = ("Green", "Amber", "Red")
NEW_PERIODS = ("Q3", "Q4")


def _action(ref: str, leads: list[str], status: str) -> dict:
    return {
        "ref": ref, "leads": leads, "activity": f"Activity {ref}", "status": status,
        "update": f"Base update {ref}", "milestones": [{"phase": f"Phase {ref}"}],
        "updates": {"Q1": {"status": "G", "text": f"Q1 update {ref}"}},
    }  # fmt: skip


PLAN = {
    "plan": {"title": "Trial plan"},
    "statuses": [{"code": label[0], "label": label} for label in STATUSES],
    "periods": [
        {"label": "Q1", "starts": "2017-04-01", "ends": "2017-06-30"},
        {"label": "Q2", "starts": "2017-07-01", "ends": "2017-09-30"},
    ],
    "themes": [
        {
            "number": "1",
            "title": "One",
            "actions": [_action("1A", ["KD"], "G"), _action("1B", ["CR"], "A")],
            "measures": [{"number": "1.1", "measure": "Calls", "performance": "Base calls"}],
        },
        {
            "number": "2",
            "title": "Two",
            "actions": [_action("2A", ["KD"], "R"), _action("2B", ["KD", "CR"], "G")],
        },
    ],
}


@dataclass
class _Side:
    """One side of a trial: the office, or a lead with a copy or a return sheet."""

    name: str
    path: Path
    doc: Document | None = None
    sheet: ReturnedSheet | None = None
    marks: list[str] = field(default_factory=list)
    workbook: Path | None = None
    written: int = 0

    def mark(self) -> str:
        """Return a new text, found anywhere by its unique marker."""
        text = f"<{self.name}-{self.written}>"
        self.written += 1
        self.marks.append(text)
        return text


def _open(path: Path, who: str, *, read_only: bool = False) -> Document:
    """Open a file this test wrote, without the checks and the waits for the disk.

    Checking received files is tested elsewhere; 300 trials open some 2,000 files.
    """
    mode = "ro" if read_only else "rw"
    conn = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = OFF")
    return Document(path, conn, read_only=read_only, who=who)


def _edit_copy(doc: Document, side: _Side, rng: random.Random) -> None:
    """Make one random edit a person could make in the window."""
    actions = reads.actions(doc)
    periods = reads.periods(doc)
    statuses = reads.statuses(doc)
    op = rng.choice(
        ["text", "text", "text", "status", "activity", "delete_action", "add_action",
         "add_period", "delete_period", "milestone", "delete_milestone", "performance", "leads"]
    )  # fmt: skip
    try:
        if op in ("text", "status") and actions and periods:
            action, period = rng.choice(actions), rng.choice(periods)
            if op == "text":
                edits.set_update(doc, action.id, period.id, text=side.mark())
            else:
                edits.set_update(doc, action.id, period.id, status_id=rng.choice(statuses).id)
        elif op == "activity" and actions:
            edits.edit(doc, "actions", rng.choice(actions).id, activity=side.mark())
        elif op == "delete_action" and actions:
            edits.delete(doc, "actions", rng.choice(actions).id)
        elif op == "add_action":
            theme = rng.choice(reads.themes(doc))
            added = edits.add(
                doc, "actions", theme_id=theme.id, ref=side.mark(), activity=side.mark()
            )
            action_id = added.rows[0].id
            edits.set_leads(doc, action_id, rng.sample(LEADS, rng.randint(0, 2)))
            if periods:
                edits.set_update(doc, action_id, periods[-1].id, text=side.mark())
        elif op == "add_period":
            label = rng.choice(NEW_PERIODS)
            if label not in [p.label for p in periods]:
                edits.add_period(doc, label)
        elif op == "delete_period" and periods:
            edits.delete(doc, "periods", rng.choice(periods).id)
        elif op == "milestone" and actions:
            edits.add(doc, "milestones", action_id=rng.choice(actions).id, phase=side.mark())
        elif op == "delete_milestone":
            found = doc.conn.execute("SELECT id FROM milestones").fetchall()
            if found:
                edits.delete(doc, "milestones", rng.choice(found)[0])
        elif op == "performance" and periods:
            measures = reads.measures(doc)
            if measures:
                measure = rng.choice(measures)
                edits.set_performance(doc, measure.id, rng.choice(periods).id, text=side.mark())
        elif op == "leads" and actions:
            edits.set_leads(doc, rng.choice(actions).id, rng.sample(LEADS, rng.randint(0, 2)))
    except ScrutineerError:
        pass  # a period an action names cannot be deleted: a person would be told so


def _send_sheet(office: Document, side: _Side, lead: str) -> None:
    """Record what a lead's return sheet is sent with (as ``read_return`` gives it back)."""
    period = reads.periods(office)[-1]
    labels = {s.id: s.label for s in reads.statuses(office)}
    themes = {t.id: t.number for t in reads.themes(office)}
    rows = []
    for action in reads.actions(office):
        if lead not in action.leads:
            continue
        update = reads.update(office, action.id, period.id)
        status = labels.get(update.status_id) if update else None
        text = update.text if update else ""
        rows.append(
            ReturnedUpdate(
                action.id, themes[action.theme_id], action.ref, status, text, status, text
            )
        )
    side.sheet = ReturnedSheet(f"{side.name}.xlsx", reads.plan(office).id, period.label, lead, rows)


def _fill_sheet(side: _Side, rng: random.Random) -> None:
    """Have the lead change some statuses and updates on the sheet."""
    assert side.sheet is not None
    rows = []
    for row in side.sheet.updates:
        status, text = row.status, row.text
        if rng.random() < 0.5:
            text = side.mark()
        if rng.random() < 0.3:
            status = rng.choice(STATUSES)
        rows.append(
            ReturnedUpdate(
                row.action_id, row.theme_number, row.ref, row.base_status, row.base_text,
                status, text,
            )
        )  # fmt: skip
    side.sheet.updates[:] = rows


def _send_workbook(office: Document, side: _Side, lead: str, folder: Path) -> bool:
    """Export the lead's return sheet as Excel, as *Send to lead* does (in one trial in 8)."""
    from exports.sheets.lead_sheet import write_lead_sheet

    side.workbook = folder / f"{side.name}.xlsx"
    try:
        write_lead_sheet(office, side.workbook, lead=lead, period_label=None)
    except ScrutineerError:  # the lead has no open action: send a copy instead
        side.workbook = None
        return False
    return True


def _fill_workbook(side: _Side, rng: random.Random) -> None:
    """Have the lead fill the sheet in Excel, then read it back as a merge does."""
    import openpyxl

    from exports.sheets.lead_sheet import read_return

    assert side.workbook is not None
    workbook = openpyxl.load_workbook(side.workbook)
    sheet = workbook["Actions"]
    headers = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if rng.random() < 0.5:
            sheet.cell(row, headers.index("Update") + 1).value = side.mark()
        if rng.random() < 0.3:
            sheet.cell(row, headers.index("Status") + 1).value = rng.choice(STATUSES)
    workbook.save(side.workbook)
    side.sheet = read_return(side.workbook)


def _merge(doc: Document, side: _Side) -> merge.MergeReport:
    if side.sheet is not None:
        return merge.merge_sheet(doc, side.sheet)
    assert side.doc is not None
    return merge.merge_copy(doc, side.doc, side.name)


def _dump_text(doc: Document) -> str:
    return "\n".join(
        repr(tuple(row)) for table in ORDER for row in doc.conn.execute(f"SELECT * FROM {table}")
    )


def _clash_text(doc: Document) -> str:
    return "\n".join(json.dumps([c.mine, c.theirs, list(c.restore)]) for c in clashes.clashes(doc))


def _names(doc: Document) -> dict[str, str]:
    """Return a name for each record that does not depend on which side made it first."""
    names: dict[str, str] = {}
    for table in ("periods", "leads"):
        for row in doc.conn.execute(f"SELECT * FROM {table}"):
            names[row["id"]] = f"{table}:{row[NATURAL[table][0]]}"
    for table in ("action_leads", "updates", "performance"):
        for row in doc.conn.execute(f"SELECT * FROM {table}"):
            parts = [names.get(row[c], row[c]) for c in NATURAL[table]]
            names[row["id"]] = f"{table}:{':'.join(map(str, parts))}"
    return names


def _masked(doc: Document) -> set[tuple[str, str]]:
    """Return the fields (record name, field) with an open clash between two values."""
    names = _names(doc)
    return {
        (names.get(c.record_id, c.record_id), c.field)
        for c in clashes.clashes(doc)
        if c.kind == "field"
    }


def _plan(doc: Document) -> list[tuple]:
    """Return every field of the plan as (table, record name, field, value)."""
    names = _names(doc)
    return [
        (
            table,
            names.get(row["id"], row["id"]),
            k,
            names.get(v, v) if k in REFS.get(table, {}) else v,
        )
        for table in ORDER
        for row in doc.conn.execute(f"SELECT * FROM {table}")
        for k, v in dict(row).items()
        if k not in ("id", "position")
    ]


def _trial(seed: int, base: Path, folder: Path) -> None:
    rng = random.Random(seed)
    folder.mkdir(exist_ok=True)  # each trial writes over the last one's files
    office = _Side("office", folder / "office.scrutiny")
    shutil.copyfile(base, office.path)
    sides = [_Side("a", folder / "a.scrutiny"), _Side("b", folder / "b.scrutiny")]
    with _open(office.path, "Office") as doc:
        for side in sides:
            for _ in range(rng.randint(0, 2)):
                _edit_copy(doc, office, rng)
            if rng.random() < 0.25 and reads.periods(doc):
                lead = rng.choice(("KD", "CR"))
                if seed % 8 == 0 and _send_workbook(doc, side, lead, folder):
                    continue
                _send_sheet(doc, side, lead)
            else:  # what Save a copy writes, without its wait for the disk
                shutil.copyfile(office.path, side.path)
        # What the office wrote before a send is that return's starting point, which the
        # lead may change or delete like any other; what it writes after both sends counts.
        del office.marks[:]
        for _ in range(rng.randint(0, 3)):
            _edit_copy(doc, office, rng)
        office_text = _dump_text(doc)
        office_periods = {p.label for p in reads.periods(doc)}
    for side in sides:
        if side.workbook is not None:
            _fill_workbook(side, rng)
            continue
        if side.sheet is not None:
            _fill_sheet(side, rng)
            continue
        with _open(side.path, side.name.upper()) as copy:
            for _ in range(rng.randint(1, 5)):
                _edit_copy(copy, side, rng)
            side.marks[:] = [m for m in side.marks if m in _dump_text(copy)]
    office.marks[:] = [m for m in office.marks if m in office_text]
    shutil.copyfile(office.path, folder / "other.scrutiny")
    for side in sides:
        if side.sheet is None:
            side.doc = _open(side.path, side.name.upper(), read_only=True)
    try:
        masked: set[tuple[str, str]] = set()
        refused: list[set[str]] = []
        plans: list[list[tuple]] = []
        paths = (office.path, folder / "other.scrutiny")
        for path, order in zip(paths, (sides, sides[::-1]), strict=True):
            refused.append(set())
            with _open(path, "Office") as doc:
                for side in order:
                    try:
                        _merge(doc, side)
                    except merge.MergeRefused as error:
                        # Only a sheet for a period the office deleted itself is refused
                        # (whole, in one sentence: nothing is dropped without a word).
                        assert side.sheet and side.sheet.period_label not in office_periods, error
                        refused[-1].add(side.name)
                        continue
                    _check_nothing_lost(doc, [office, side], seed)
                _check_nothing_lost(
                    doc, [office, *(s for s in order if s.name not in refused[-1])], seed
                )
                for side in order:
                    if side.name in refused[-1]:
                        continue
                    again = _merge(doc, side)
                    assert not again.changes, f"seed {seed}: merging {side.name} again: {again}"
                masked |= _masked(doc)
                plans.append(_plan(doc))
        assert refused[0] == refused[1], f"seed {seed}: refused {refused}"
    finally:
        for side in sides:
            if side.doc is not None:
                side.doc.close()
    dumps = [sorted((r for r in plan if (r[1], r[2]) not in masked), key=repr) for plan in plans]
    differ = sorted(set(dumps[0]) ^ set(dumps[1]), key=repr)
    assert dumps[0] == dumps[1], f"seed {seed}: the order of the returns changed {differ}"


def _check_nothing_lost(doc: Document, sides: list[_Side], seed: int) -> None:
    """Every text a side wrote and still holds is in the plan or in an open clash."""
    plan, held = _dump_text(doc), _clash_text(doc)
    for side in sides:
        for mark in side.marks:
            assert mark in plan or mark in held, f"seed {seed}: {mark} was lost"


@pytest.fixture(scope="module")
def base_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("random-merge") / "base.scrutiny"
    create_plan(path, PLAN, who="Office").close()
    return path


@pytest.mark.parametrize("block", range(10))
def test_random_three_way_merges_lose_nothing_and_do_not_depend_on_order(
    base_plan: Path, tmp_path: Path, block: int
) -> None:
    per_block = TRIALS // 10
    for seed in range(block * per_block, (block + 1) * per_block):
        _trial(seed, base_plan, tmp_path / "trial")
