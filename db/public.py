"""Building a public copy of a plan: a new file with exempt passages replaced and history left out.

The copy is rebuilt from scratch, never by deleting from a copy of the file: SQLite leaves
deleted text in free pages, the journal and the full-text index, so the only way to be
sure no byte of an exempt passage remains is never to write it. Each text is redacted
before it is written (``db.text.redact``, after ``db.markup.check_public``), the protective marking becomes
:data:`PUBLIC_MARKING`, and the history, clashes and sign-off records, which are for the
office only, are not copied. The history the building itself writes holds only redacted
text, and is emptied and the file vacuumed before the copy is moved into place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from db import atomic, errors
from db.changes import Changes, RowChange
from db.document import Document
from db.markup import check_public
from db.reads import read_plan
from db.tables import ORDER
from db.text import MarkupError, parse, redact

# Under the Government Security Classifications a document released to the public carries
# OFFICIAL with no descriptor (never OFFICIAL-SENSITIVE); the panel's website copies do too.
PUBLIC_MARKING = "OFFICIAL"
# Parents before children, so every record's parent is there when it is added; the plan
# row is written first on its own, and the exemption codes are not copied.
PUBLISHED = tuple(t for t in ORDER if t not in ("plan", "exemptions"))
_PLAN_FIELDS = (
    "title", "organisation", "commissioner", "years", "theme_word", "action_word",
    "appendix_label", "version_label",
)  # fmt: skip


@dataclass(frozen=True)
class PublicCopy:
    """What building a public copy did."""

    path: Path
    passages: int
    marking: str


class _Redactor:
    def __init__(self) -> None:
        self.passages = 0

    def text(self, value: str, where: str) -> str:
        try:
            clean = redact(value)
        except MarkupError as exc:
            # check_public names the field first; this covers a column it does not read.
            raise errors.ScrutineerError(
                f"The {where} has exempt markup Scrutineer cannot read "
                f"({exc.problem.reason}), so no public copy was written; correct the marking first."
            ) from None
        if clean != value:
            self.passages += sum(code is not None for _, code in parse(value).segments)
        return clean

    def value(self, value: object, where: str) -> object:
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, list):
            return [self.value(v, where) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k), where): self.value(v, where) for k, v in value.items()}
        return value

    def row(self, table: str, row: dict[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        name = row.get("ref") or row.get("label") or row.get("number") or ""
        where = f"{table.rstrip('s').replace('_', ' ')} {name}".strip()
        for column, value in row.items():
            if column in ("extra", "extra_fields") and isinstance(value, str):
                out[column] = json.dumps(
                    self.value(json.loads(value or "null"), where), ensure_ascii=False
                )
            else:
                out[column] = self.value(value, where)
        return out


def _withheld(doc: Document) -> set[str]:
    """Return the ids of covering reports marked not public, and of everything in them."""
    conn = doc.conn
    ids = {r[0] for r in conn.execute("SELECT id FROM reports WHERE public = 0")}
    for table in ("report_sections", "report_tables", "approvals"):
        ids |= {
            r[0]
            for r in conn.execute(
                f"SELECT t.id FROM {table} t JOIN reports p ON p.id = t.report_id "
                "WHERE p.public = 0"
            )
        }
    ids |= {
        r[0]
        for r in conn.execute(
            "SELECT r.id FROM report_rows r JOIN report_tables t ON t.id = r.table_id "
            "JOIN reports p ON p.id = t.report_id WHERE p.public = 0"
        )
    }
    return ids


def build_public_copy(
    doc: Document, out: str | Path, *, marking: str = PUBLIC_MARKING
) -> PublicCopy:
    """Write a public copy of ``doc`` to ``out`` and return what it did.

    Raises:
        ScrutineerError: ``out`` is the plan itself, cannot be written, or a text has
            exempt markup that is not closed (nothing is written then).
    """
    out = Path(out)
    if out.exists() and out.resolve() == Path(doc.path).resolve():
        raise errors.ScrutineerError("A public copy cannot be written over the plan itself.")
    check_public(read_plan(doc))
    redactor = _Redactor()
    plan = dict(doc.conn.execute("SELECT * FROM plan").fetchone())
    clean_plan = redactor.row("plan", plan)
    details = {k: clean_plan[k] for k in _PLAN_FIELDS}
    rows: list[RowChange] = []
    locked: list[str] = []
    withheld = _withheld(doc)
    for table in PUBLISHED:
        for found in doc.conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            if found["id"] in withheld:
                continue
            values = redactor.row(table, dict(found))
            record_id = str(values.pop("id"))
            if table == "periods" and values.get("locked"):
                locked.append(record_id)
                values["locked"] = 0
            rows.append(RowChange(table, record_id, None, values))
    with atomic.replacing(out) as tmp:
        copy = Document.create(
            tmp,
            who="Scrutineer public copy",
            id=plan["id"],
            marking=marking,
            extra_fields=clean_plan["extra_fields"],
            **details,
        )
        try:
            known = {r[0] for r in copy.conn.execute("SELECT code FROM exemptions")}
            for found in doc.conn.execute("SELECT * FROM exemptions ORDER BY rowid"):
                if found["code"] not in known:
                    values = redactor.row("exemptions", dict(found))
                    rows.append(RowChange("exemptions", str(values.pop("id")), None, values))
            copy.apply(Changes("Public copy", tuple(rows)))
            if locked:
                copy.apply(
                    Changes(
                        "Lock published periods",
                        tuple(
                            RowChange("periods", p, {"locked": 0}, {"locked": 1}) for p in locked
                        ),
                    )
                )
            copy.conn.execute("DELETE FROM history")
            copy.conn.execute("VACUUM")
        finally:
            copy.close()
    return PublicCopy(out, redactor.passages, marking)
