"""The export command: a plan as a spreadsheet, a lead officer's return sheet or a public copy."""

from __future__ import annotations

from pathlib import Path

from db.document import Document
from db.errors import ScrutineerError
from db.reads import leads, read_plan
from exports.sheets.template import key


def export_file(
    file: Path,
    out: Path,
    *,
    public: bool = False,
    lead: str | None = None,
    period: str | None = None,
) -> str:
    """Write the plan ``file`` to ``out`` in the format its extension names; return a sentence.

    Args:
        file: the plan (.scrutiny).
        out: .xlsx or .csv for a spreadsheet (with ``lead``, that lead officer's return
            sheet, .xlsx only), or .scrutiny with ``public`` for a public copy.
        public: replace exempt passages by their markers (a public copy leaves them out).
        lead: write only this lead officer's actions, as a locked return sheet.
        period: the reporting period's label; the latest when None.

    Raises:
        ScrutineerError: the file, period or lead is unknown, or ``out`` cannot be written.
    """
    file, out = Path(file), Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".scrutiny"):
        raise ScrutineerError(
            f"Scrutineer exports to .xlsx, .csv or (with --public) .scrutiny, not {out.name}."
        )
    if suffix == ".scrutiny":
        if not public:
            # A full copy would carry every exempt passage; a plain "export" must never do that.
            raise ScrutineerError(
                "Use --public to export a public copy (.scrutiny) without exempt passages; "
                "to copy the whole plan, use Save a copy in the window."
            )
        if lead or period:
            raise ScrutineerError(
                "A public copy holds the whole plan; leave out --lead and --period."
            )
    elif lead is not None and suffix != ".xlsx":
        raise ScrutineerError(
            "A lead officer's return sheet is an Excel workbook; name the output .xlsx."
        )
    with Document.open(file, read_only=True) as doc:
        if suffix == ".scrutiny":
            from exports.public_copy import write_public_copy

            return write_public_copy(doc, out)
        if lead is not None:
            from exports.sheets.lead_sheet import write_lead_sheet

            count = write_lead_sheet(doc, out, lead=lead, period_label=period, public=public)
            lead = next((n for n in leads(doc) if key(n) == key(lead)), lead)
            return (
                f"Wrote {_actions(count)} led by {lead} to {out.name}; "
                "only their Status and Update cells can be changed."
            )
        data = read_plan(doc)
    from exports.sheets.exporting import choose_period, write_csv, write_workbook

    writer = write_csv if suffix == ".csv" else write_workbook
    count = writer(data, out, period_label=period, public=public)
    chosen = choose_period(data, period)
    of = f" with the {chosen.label} updates" if chosen else ""
    public_note = " (public: exempt passages replaced by markers)" if public else ""
    return f"Wrote {_actions(count)}{of} to {out.name}{public_note}."


def _actions(count: int) -> str:
    return f"{count} action" + ("" if count == 1 else "s")
