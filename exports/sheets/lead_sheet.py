"""A lead officer's return sheet: their actions only, Status and Update the only cells to fill.

The workbook carries a very hidden sheet (one Excel's menus cannot unhide) recording where it
came from: the plan's id, the period, the lead, and for each row the action's id and the
status and update it was sent with. :func:`read_return` checks that record and reads the
returned values against it, so a merge can tell what the lead changed.

The sheets are protected without a password: protection here guides the lead officer to the
two cells that are theirs to change; it is not a security boundary (the merge never trusts
anything but the Status and Update cells, checked against the origin record).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from db.cells import append_row
from db.document import Document
from db.errors import ScrutineerError
from db.markup import public_plan
from db.model import Action, Period, PlanData, ReturnedSheet, ReturnedUpdate
from db.periods import exists_in, positions
from db.reads import read_plan
from exports.sheets import template as tb
from exports.sheets.exporting import (
    action_table,
    choose_period,
    fill_sheet,
    paint,
    save_workbook,
    text_filter,
)
from exports.sheets.importing import Sheet, open_workbook, read_plan_fields, read_sheet

ORIGIN_SHEET = "Scrutineer origin"
ORIGIN_MARK = "Scrutineer lead return sheet"
ORIGIN_VERSION = 1
ORIGIN_COLUMNS = ("Row", "Action id", "Theme", "Ref", "Base status", "Base update")
INSTRUCTIONS_SHEET = "How to return"
# Read-only columns beside the ones to fill; never read back.
PREVIOUS_HEADER = "Your previous update"
NOTE_HEADER = "Note from the office"
_STATUS = [c.key for c in tb.ACTION_COLUMNS].index("status") + 1
_UPDATE = [c.key for c in tb.ACTION_COLUMNS].index("update") + 1
# A drop-down written as a list in the rule itself may hold at most 255 characters.
_INLINE_LIST_LIMIT = 255


def lead_actions(data: PlanData, lead: str | None, period: Period) -> list[Action]:
    """Return the actions a lead officer reports on for ``period`` (every lead's when None).

    An action closed in an earlier period, or added in a later one, is not theirs to update.
    """
    order = positions(data.periods)
    wanted = tb.key(lead) if lead else None
    chosen = []
    for theme in data.themes:
        for action in data.actions_of(theme.id):
            if wanted is not None and wanted not in {tb.key(n) for n in action.leads}:
                continue
            if not exists_in(action, period.id, order):
                continue
            chosen.append(action)
    return chosen


def write_lead_sheet(
    doc: Document,
    out: Path,
    *,
    lead: str | None,
    period_label: str | None,
    public: bool = False,
    data: PlanData | None = None,
) -> int:
    """Write the return sheet of ``lead``'s actions for a period to ``out`` (.xlsx).

    Args:
        doc: the open plan.
        out: the workbook to write.
        lead: the lead officer (case and spacing ignored); None for every action.
        period_label: the period to report on; the latest when None.
        public: replace exempt passages by their markers.
        data: ``doc`` as ``read_plan`` returns it, when the caller writes several sheets
            (a dozen leads' at once): the plan is then read once, not once a sheet.

    Returns:
        The number of actions written.

    Raises:
        ScrutineerError: no period, no such period, no action for that lead, or ``out``
            cannot be written.
    """
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    data = read_plan(doc) if data is None else data
    # Everything the sheet shows, its title and instructions too, comes from redacted data.
    data = public_plan(data) if public else data
    period = choose_period(data, period_label)
    if period is None:
        raise ScrutineerError(
            "The plan has no reporting period, so there is nothing for a lead to update."
        )
    actions = lead_actions(data, lead, period)
    if not actions:
        leads = sorted({n for a in data.actions for n in a.leads}, key=str.casefold)
        raise ScrutineerError(
            f"No open action of {period.label} is led by {lead}; "
            f"the plan's leads are: {', '.join(leads) or 'none'}."
        )
    if lead is not None:
        # Record the name as the plan spells it, whatever the person typed.
        lead = next(n for n in actions[0].leads if tb.key(n) == tb.key(lead))
    headers, rows = action_table(data, period, actions, public=public)
    shown = _for_reading(doc, data, period, actions, public)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = tb.ACTIONS_SHEET
    fill_sheet(
        sheet,
        headers + [header for header, _ in shown],
        [row + [texts[i] for _, texts in shown] for i, row in enumerate(rows)],
    )
    _shade_read_only(sheet, len(headers), len(shown), len(rows))
    _open_cells(sheet, data, len(rows))
    _protect(sheet)
    if data.statuses:
        key_sheet = workbook.create_sheet(tb.STATUS_SHEET)
        clean = text_filter(public)
        fill_sheet(
            key_sheet,
            ["Status", "Meaning"],
            [[s.label, clean(s.meaning)] for s in data.statuses],
        )
        for number, status in enumerate(data.statuses, start=2):
            paint(key_sheet.cell(number, 1), status.colour)
        _protect(key_sheet)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), data, lead, period)
    origin = workbook.create_sheet(ORIGIN_SHEET)
    append_row(origin, [ORIGIN_MARK, ORIGIN_VERSION])
    append_row(origin, ["Plan id", data.plan.id])
    append_row(origin, ["Period", period.label])
    append_row(origin, ["Lead", lead or ""])
    append_row(origin, list(ORIGIN_COLUMNS))
    for number, (action, row) in enumerate(zip(actions, rows, strict=True), start=2):
        append_row(origin, [number, action.id, row[0], row[2], row[_STATUS - 1], row[_UPDATE - 1]])
    origin.sheet_state = "veryHidden"
    _protect(origin)
    workbook.active = 0
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.properties.title = f"{data.plan.title} – {lead or 'all leads'} – {period.label}"
    save_workbook(workbook, out)
    return len(actions)


def _for_reading(
    doc: Document, data: PlanData, period: Period, actions: Sequence[Action], public: bool
) -> list[tuple[str, list[str]]]:
    """Return the read-only columns beside the cells to fill: (header, one text per action).

    The lead's update of the period before, and the note the office sent an update back
    with. A column with nothing in it is left out (nothing prints as a column of blanks).
    :func:`read_return` never reads them, so what a lead types over them changes nothing.
    """
    from db.signoff import period_sign_offs

    clean = text_filter(public)
    columns: list[tuple[str, list[str]]] = []
    index = next(i for i, p in enumerate(data.periods) if p.id == period.id)
    if index:
        before = data.periods[index - 1]
        texts = []
        for action in actions:
            update = data.update_for(action.id, before.id)
            texts.append(clean(update.text if update else ""))
        if any(texts):
            columns.append((f"{PREVIOUS_HEADER} ({before.label})", texts))
    sign_offs = period_sign_offs(doc, period.id)
    notes = []
    for action in actions:
        update = data.update_for(action.id, period.id)
        sign_off = sign_offs.get(update.id) if update else None
        returned = sign_off is not None and sign_off.state == "returned"
        notes.append(clean(sign_off.note) if returned and sign_off else "")
    if any(notes):
        columns.append((NOTE_HEADER, notes))
    return columns


def _shade_read_only(sheet: Any, first: int, count: int, rows: int) -> None:
    """Grey the read-only columns after the ``first`` ones and make them wide enough to read."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    grey = PatternFill(fill_type="solid", start_color="EDEDED", end_color="EDEDED")
    for column in range(first + 1, first + count + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 60
        for row in range(2, rows + 2):
            sheet.cell(row, column).fill = grey


def _open_cells(sheet: Any, data: PlanData, count: int) -> None:
    """Unlock Status and Update, offer the scheme as a drop-down and colour what is chosen."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if count == 0:
        return
    editable = PatternFill(fill_type="solid", start_color="FFF2CC", end_color="FFF2CC")
    columns = [_UPDATE] + ([_STATUS] if data.statuses else [])
    for column in columns:
        for row in range(2, count + 2):
            cell = sheet.cell(row, column)
            cell.protection = Protection(locked=False)
            if column == _UPDATE:
                cell.fill = editable
    if not data.statuses:
        return
    letter = get_column_letter(_STATUS)
    cells = f"{letter}2:{letter}{count + 1}"
    labels = [s.label for s in data.statuses]
    inline = ",".join(labels)
    if any("," in label or '"' in label for label in labels) or len(inline) > _INLINE_LIST_LIMIT:
        source = f"'{tb.STATUS_SHEET}'!$A$2:$A${len(labels) + 1}"
    else:
        source = f'"{inline}"'
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a status of this plan",
        error="Choose a status from the list, or leave it blank.",
        showInputMessage=True,
        promptTitle="Status",
        prompt="Choose from the list.",
    )
    validation.add(cells)
    sheet.add_data_validation(validation)
    for status in data.statuses:
        rgb = status.colour.lstrip("#").upper()
        quoted = status.label.replace('"', '""')
        sheet.conditional_formatting.add(
            cells,
            CellIsRule(
                operator="equal",
                formula=[f'"{quoted}"'],
                fill=PatternFill(fill_type="solid", start_color=rgb, end_color=rgb),
            ),
        )


def _protect(sheet: Any) -> None:
    """Protect a sheet without a password, still letting rows and columns be resized."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _instructions(sheet: Any, data: PlanData, lead: str | None, period: Period) -> None:
    lines = [
        f"{data.plan.title} – {period.label}",
        f"Actions led by {lead}" if lead else "Every open action",
        "",
        "1. On the Actions sheet, choose each action's Status from the drop-down list"
        + (" (the Status key sheet says what each means)." if data.statuses else "."),
        "2. Write your Update in the yellow cell beside it. Start each new entry with its "
        "date, e.g. '10.10.17 - ...'; keep earlier entries as they are.",
        "3. Only the Status and Update cells can be changed; please do not rename, move or "
        "copy the sheets. The grey columns, where there are any, show your previous update "
        "and the office's note on an update it sent back, for reference.",
        "4. Save the workbook and send it back to the office. It is merged as it is.",
        "",
        "To mark a passage exempt from publication, write [exempt: s.31(1)(a)]the passage[/exempt].",
    ]
    for line in lines:
        append_row(sheet, [line])
    sheet.column_dimensions["A"].width = 110
    _protect(sheet)


# -- reading a returned sheet ---------------------------------------------------------------


def _not_ours(path: Path) -> ScrutineerError:
    return ScrutineerError(
        f"{path.name} was not exported from Scrutineer for a lead, so it cannot be merged."
    )


def read_return(path: Path) -> ReturnedSheet:
    """Read a lead officer's returned sheet, checked against the origin record it carries.

    A workbook without the record but with the Actions sheet of the template is read too:
    its rows are matched to the plan by theme and ref (``action_id`` None, no base values).

    Raises:
        ScrutineerError: the file is not a workbook, is damaged, was not exported for a lead
            and has no Actions sheet, is a lead's sheet whose record was removed, or its
            rows no longer match the record (an id's ref is checked by ``db.merge``).
    """
    path = Path(path)
    workbook = open_workbook(path)
    try:
        names = workbook.sheetnames
        found = {
            name: tb.find_sheet(names, name)
            for name in (ORIGIN_SHEET, tb.ACTIONS_SHEET, tb.PLAN_SHEET)
        }
        sheets: dict[str, Sheet] = {}
        for name, actual in found.items():
            if actual is not None:
                try:
                    sheets[name] = read_sheet(workbook[actual], source=path)
                except ScrutineerError:
                    raise
                except Exception:  # rows are parsed lazily, so damage can surface only here
                    raise ScrutineerError(
                        f"{path.name} is not an Excel workbook (.xlsx) or is damaged."
                    ) from None
    finally:
        workbook.close()
    actions = sheets.get(tb.ACTIONS_SHEET)
    if actions is None:
        raise _not_ours(path)
    header = tb.find_header(actions.name, actions.rows, tb.ACTION_COLUMNS, path.name)
    if header is None or not {"ref", "update"} <= header.columns.keys():
        raise _not_ours(path)
    if ORIGIN_SHEET in sheets:
        return _read_with_origin(path, sheets[ORIGIN_SHEET], actions, header)
    if tb.PLAN_SHEET not in sheets and tb.find_sheet(names, INSTRUCTIONS_SHEET) is not None:
        # A lead's sheet carries its plan, period and base values only in the origin record.
        raise ScrutineerError(
            f"{path.name} is a lead's return sheet whose hidden origin record has been "
            "removed, so what the lead changed cannot be told apart; export a new return "
            "sheet for the lead."
        )
    period = read_plan_fields(sheets.get(tb.PLAN_SHEET)).get("period", "")
    updates = []
    for row in actions.rows[header.row :]:
        ref = _cell(row, header.columns.get("ref"))
        if not ref:
            continue
        status = _cell(row, header.columns.get("status"))
        updates.append(
            ReturnedUpdate(
                action_id=None,
                theme_number=_cell(row, header.columns.get("theme")),
                ref=ref,
                base_status=None,
                base_text="",
                status=" ".join(status.split()) or None,
                text=_cell(row, header.columns.get("update")),
            )
        )
    if not updates:
        raise _not_ours(path)
    return ReturnedSheet(
        name=path.name, plan_id=None, period_label=period, lead=None, updates=updates
    )


def _read_with_origin(
    path: Path, origin: Sheet, actions: Sheet, header: tb.Header
) -> ReturnedSheet:
    # Texts are compared exactly as they were sent: the merge tells an untouched update from
    # a changed one by equality, so not even surrounding spaces may be tidied away.
    rows = [tuple(_exact(v) for v in row) for row in origin.rows]
    if (
        len(rows) < 5
        or rows[0][:2] != (ORIGIN_MARK, str(ORIGIN_VERSION))
        or [r[:1] for r in rows[1:4]] != [("Plan id",), ("Period",), ("Lead",)]
        or rows[4][: len(ORIGIN_COLUMNS)] != ORIGIN_COLUMNS
    ):
        raise _not_ours(path)
    plan_id, period, lead = (_at(rows[i], 1) for i in (1, 2, 3))
    if not plan_id or not period:
        raise _not_ours(path)
    updates = []
    seen: set[str] = set()
    for record in rows[5:]:
        number, action_id, theme, ref, base_status, base_text = (
            _at(record, i) for i in range(len(ORIGIN_COLUMNS))
        )
        if not number.isdigit() or not action_id or action_id in seen:
            raise _not_ours(path)
        seen.add(action_id)
        index = int(number) - 1
        row = actions.rows[index] if index < len(actions.rows) else ()
        if tb.key(_cell(row, header.columns.get("ref"))) != tb.key(ref):
            raise ScrutineerError(
                f"Row {number} of the Actions sheet in {path.name} no longer holds action "
                f"{ref or action_id}, so the sheet cannot be merged."
            )
        status = " ".join(_cell(row, header.columns.get("status")).split())
        updates.append(
            ReturnedUpdate(
                action_id=action_id,
                theme_number=theme,
                ref=ref,
                base_status=base_status or None,
                base_text=base_text,
                status=status or None,
                text=_exact(_value(row, header.columns.get("update"))),
            )
        )
    return ReturnedSheet(
        name=path.name, plan_id=plan_id, period_label=period, lead=lead or None, updates=updates
    )


def _value(row: Sequence[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


def _cell(row: Sequence[object], index: int | None) -> str:
    return tb.cell_text(_value(row, index))


def _exact(value: object) -> str:
    """Return a text cell exactly as stored; other values as :func:`tabular.cell_text` does."""
    return value if isinstance(value, str) else tb.cell_text(value)


def _at(row: Sequence[str], index: int) -> str:
    return row[index] if index < len(row) else ""
