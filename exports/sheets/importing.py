"""Making a plan file from a spreadsheet in the template (.xlsx) or its Actions sheet (.csv).

The workbook is someone else's file, so it is read defensively: its size and unpacked size
are capped, anything the parser chokes on is reported as a damaged file, and every bad row is
collected and reported by sheet and row before anything is written. The plan file appears
only once it is complete (``db.build.create_plan``), so nothing is ever half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from db.build import create_plan
from db.cells import csv_text
from db.errors import ScrutineerError
from db.model import status_lookup
from exports.dates import iso_from_uk
from exports.sheets import template as tb
from exports.sheets.optional import OPTIONAL_SHEETS, read_optional_sheets

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 20_000  # rows with something in them, per sheet; a real plan has a few hundred
MAX_COLUMNS = 200
_SHOWN_PROBLEMS = 5

_SUFFIX = re.compile(r"^(.*?)\s*\(\s*([^()]+?)\s*\)\s*$")
_THEME_PREFIX = re.compile(r"^(?:theme|strand|pillar|priority)\s+", re.IGNORECASE)


class ImportRefused(ScrutineerError):
    """The spreadsheet has bad rows; nothing was written. ``problems`` lists every one."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportSummary:
    """What an import brought in; ``str()`` is the sentence shown to the person."""

    out: Path
    themes: int
    actions: int
    measures: int
    statuses: int = 0
    extra_fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        counts = [
            _count(self.themes, "theme"),
            _count(self.actions, "action"),
            _count(self.measures, "measure"),
        ]
        return f"Imported {', '.join(counts[:-1])} and {counts[-1]} into {self.out.name}."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def import_file(source: Path, out: Path) -> ImportSummary:
    """Read the spreadsheet ``source`` and write it as a new plan file ``out``.

    Args:
        source: a workbook in the template (.xlsx) or its Actions sheet alone (.csv).
        out: the plan file to create; it must not exist yet.

    Returns:
        How many themes, actions and measures came in.

    Raises:
        ImportRefused: some rows are bad (every one is listed); nothing was written.
        ScrutineerError: the file is missing, not a spreadsheet, damaged or too large.
    """
    source, out = Path(source), Path(out)
    if out.exists():
        raise ScrutineerError(f"{out.name} already exists; choose another name.")
    data = read_source(source)
    doc = create_plan(out, data, text=f"Import {source.name}")
    doc.close()
    themes = data["themes"]
    return ImportSummary(
        out=out,
        themes=len(themes),
        actions=sum(len(t["actions"]) for t in themes),
        measures=sum(len(t["measures"]) for t in themes),
        statuses=len(data["statuses"]),
        extra_fields=tuple(data["plan"].get("extra_fields", ())),
    )


def read_source(source: Path) -> dict[str, Any]:
    """Return the plan held by a spreadsheet, as ``db.build.create_plan`` takes it.

    Raises:
        ImportRefused: some rows are bad.
        ScrutineerError: the file cannot be read as a spreadsheet.
    """
    source = Path(source)
    suffix = source.suffix.lower()
    if suffix == ".xls":
        raise ScrutineerError(
            f"{source.name} is in the old Excel format; save it as an Excel Workbook (.xlsx) "
            "and import that."
        )
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise ScrutineerError(
            f"{source.name} is not a spreadsheet Scrutineer reads; use an Excel Workbook "
            "(.xlsx) or a .csv file."
        )
    _check_size(source)
    if suffix == ".csv":
        sheets = {tb.ACTIONS_SHEET: Sheet(tb.ACTIONS_SHEET, _csv_rows(source))}
        plan_fields = {"title": source.stem}
    else:
        sheets = read_workbook(source)
        plan_fields = read_plan_fields(sheets.get(tb.PLAN_SHEET))
    return _Reader(source.name, sheets, plan_fields).data()


# -- reading the file ------------------------------------------------------------------------


@dataclass
class Sheet:
    """A sheet's name as written and its rows of raw cell values (and fills, for the key)."""

    name: str
    rows: list[tuple[object, ...]]
    fills: list[tuple[str | None, ...]] = field(default_factory=list)
    # Cells (row, column, 1-based) holding a formula whose value was never saved: read as
    # values only they look empty, so the import must say so rather than lose them.
    uncached: list[tuple[int, int]] = field(default_factory=list)


def _check_size(source: Path) -> None:
    try:
        size = source.stat().st_size
    except FileNotFoundError:
        raise ScrutineerError(f"{source.name} was not found.") from None
    except OSError as exc:
        raise ScrutineerError(f"{source.name} could not be read ({exc.strerror}).") from None
    if size > MAX_FILE_BYTES:
        raise ScrutineerError(
            f"{source.name} is {size // (1024 * 1024)} MB, too large for a plan "
            f"(the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)."
        )


def _not_workbook(source: Path) -> ScrutineerError:
    return ScrutineerError(f"{source.name} is not an Excel workbook (.xlsx) or is damaged.")


def open_workbook(source: Path) -> Any:
    """Open an untrusted workbook read-only, values only, after checking what it unpacks to.

    Raises:
        ScrutineerError: the file is not a workbook, is damaged, or unpacks to too much.
    """
    import openpyxl

    _check_size(source)
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_workbook(source) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ScrutineerError(
            f"{source.name} unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB, "
            "far more than a plan needs, so it was not opened."
        )
    try:
        return openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # the parser's failures on a hostile or broken file are many and untyped
        raise _not_workbook(source) from None


def read_workbook(source: Path) -> dict[str, Sheet]:
    """Return the template sheets a workbook has, keyed by their template names.

    Sheets the template does not know are ignored.
    """
    wanted = (tb.PLAN_SHEET, tb.STATUS_SHEET, tb.ACTIONS_SHEET, tb.MEASURES_SHEET, tb.THEMES_SHEET)
    wanted += OPTIONAL_SHEETS
    workbook = open_workbook(source)
    try:
        sheets: dict[str, Sheet] = {}
        for name in wanted:
            found = tb.find_sheet(workbook.sheetnames, name)
            if found is None:
                continue
            try:
                sheets[name] = read_sheet(
                    workbook[found], fills=name == tb.STATUS_SHEET, source=source
                )
            except ScrutineerError:
                raise
            except Exception:  # rows are parsed lazily, so damage can surface only here
                raise _not_workbook(source) from None
        return sheets
    finally:
        workbook.close()


def read_sheet(worksheet: Any, *, fills: bool = False, source: Path) -> Sheet:
    """Return a worksheet's rows of values (and cell fills when ``fills``), within the limits.

    Raises:
        ScrutineerError: the sheet has more rows than a plan could hold.
    """
    rows: list[tuple[object, ...]] = []
    colours: list[tuple[str | None, ...]] = []
    filled = 0
    for count, row in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        values = tuple(getattr(c, "value", None) for c in row)
        if any(v not in (None, "") for v in values):
            filled += 1
        # Blank rows count too, more loosely: a file can hold a million styled empty rows.
        if filled > MAX_ROWS or count > 5 * MAX_ROWS:
            raise ScrutineerError(
                f"The {worksheet.title} sheet of {source.name} has more than "
                f"{MAX_ROWS:,} rows, far more than a plan holds, so it was not imported."
            )
        rows.append(_trim(values))
        if fills:
            colours.append(tuple(_fill(c) for c in row))
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(worksheet.title, rows, colours, _uncached_formulas(worksheet))


_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1 << 20


def _uncached_formulas(worksheet: Any) -> list[tuple[int, int]]:
    """Return the cells of ``worksheet`` holding a formula with no saved value.

    Excel saves each formula's last value beside it, and the import reads that value; a
    workbook written by a program that does not calculate has none, so the cell would
    import as empty without a word. The sheet is read as a stream, never whole.
    """
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.functions import iterparse

    source = getattr(worksheet, "_get_source", None)
    if source is None or not _has_formula(source):
        return []  # the usual case: no formula at all, nothing more to read
    found = []
    with source() as handle:
        for _, element in iterparse(handle):
            if element.tag.rsplit("}", 1)[-1] != "c":
                continue
            children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            value = children.get("v")
            if (
                "f" in children
                and (value is None or not value.text)
                and element.get("t") != "str"  # a formula whose saved value is an empty text
                and element.get("r")
            ):
                found.append(coordinate_to_tuple(element.get("r")))
            element.clear()
    return found


def _has_formula(source: Any) -> bool:
    """Return whether a sheet's XML holds a formula element, reading it a megabyte at a time."""
    tail = b""
    with source() as handle:
        while chunk := handle.read(_CHUNK):
            if _ANY_FORMULA.search(tail + chunk):
                return True
            tail = chunk[-32:]  # a tag split across two chunks
    return False


def _trim(values: tuple[object, ...]) -> tuple[object, ...]:
    end = len(values)
    while end and values[end - 1] in (None, ""):
        end -= 1
    return values[:end]


def _fill(cell: Any) -> str | None:
    """Return a cell's solid fill as ``#RRGGBB`` (a key's colour is often shown, not written)."""
    try:
        fill = cell.fill
        if fill is None or fill.fill_type != "solid" or fill.fgColor.type != "rgb":
            return None
        rgb = str(fill.fgColor.rgb)
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return None
    if len(rgb) >= 6 and re.fullmatch(r"[0-9A-Fa-f]+", rgb) and rgb != "00000000":
        return "#" + rgb[-6:].upper()
    return None


def _csv_rows(source: Path) -> list[tuple[object, ...]]:
    """Return a CSV file's rows; Excel on Windows writes UTF-8 with a BOM or cp1252."""
    raw = source.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Excel's "CSV" on Windows is cp1252; its five undefined bytes become U+FFFD.
            text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise ScrutineerError(f"{source.name} is not a text (.csv) file.")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[object, ...]] = []
    try:
        for row in reader:
            rows.append(_trim(tuple(csv_text(v) for v in row[:MAX_COLUMNS])))
            if len(rows) > MAX_ROWS:
                raise ScrutineerError(
                    f"{source.name} has more than {MAX_ROWS:,} rows, far more than a plan "
                    "holds, so it was not imported."
                )
    except csv.Error:
        raise ScrutineerError(f"{source.name} is not a well-formed .csv file.") from None
    while rows and not rows[-1]:
        rows.pop()
    return rows


def read_plan_fields(sheet: Sheet | None) -> dict[str, str]:
    """Return the Plan sheet's fields: each row names a field in one cell, its value in the next."""
    if sheet is None:
        return {}
    names = {tb.norm(label): field_key for label, field_key in tb.PLAN_FIELDS}
    names.update(tb.PLAN_SYNONYMS)
    fields: dict[str, str] = {}
    rows: dict[str, int] = {}
    for number, row in enumerate(sheet.rows, start=1):
        cells = [c for c in row if c not in (None, "")]
        if not cells:
            continue
        name = tb.cell_text(cells[0])
        field_key = names.get(tb.norm(name))
        if not field_key or len(cells) < 2:
            continue
        value = tb.cell_text(cells[1])
        if field_key in fields and fields[field_key] != value:
            raise ScrutineerError(
                f"The {sheet.name} sheet gives {name} twice, in rows {rows[field_key]} and "
                f"{number}, with different values; keep one and try again."
            )
        fields.setdefault(field_key, value)
        rows.setdefault(field_key, number)
    return fields


# -- making sense of the rows ----------------------------------------------------------------


class _Scheme:
    """The status scheme being built: the key's statuses, or the default one on demand."""

    def __init__(self, statuses: list[dict[str, Any]], *, given: bool) -> None:
        self.statuses = statuses
        self.given = given
        self.used = False

    def resolve(self, text: str) -> str | None:
        """Return the label of the status a cell names, adding a "Green (C)" variant if needed."""
        self.used = True
        named = status_lookup(self.statuses)
        found = named(text)
        if found is not None:
            return found["label"]
        match = _SUFFIX.match(text)
        base = named(match.group(1)) if match else None
        if match is None or base is None:
            return None
        suffix = " ".join(match.group(2).split())
        label = f"{base['label']} ({suffix})"
        variant = {
            "code": _unique_code(f"{base['code']}{suffix[:1].upper()}", self.statuses),
            "label": label,
            "colour": base["colour"],
            "meaning": f"{base['meaning']} ({suffix})" if base["meaning"] else "",
            "complete": base["complete"] or tb.key(suffix) in tb.COMPLETE_WORDS,
        }
        self.statuses.insert(self.statuses.index(base) + 1, variant)
        return label

    def final(self) -> list[dict[str, Any]]:
        """Return the scheme the plan gets: none when no key was given and no row has a status."""
        return self.statuses if self.given or self.used else []


def _unique_code(code: str, statuses: Iterable[dict[str, Any]]) -> str:
    taken = {tb.key(s["code"]) for s in statuses} | {tb.key(s["label"]) for s in statuses}
    candidate, counter = code, 1
    while tb.key(candidate) in taken:
        counter += 1
        candidate = f"{code}{counter}"
    return candidate


def _default_period_label(today: dt.date | None = None) -> str:
    """Return the financial quarter of ``today`` ("Q3 2026/27"): police years start in April."""
    today = today or dt.date.today()
    year = today.year if today.month >= 4 else today.year - 1
    quarter = (today.month - 4) % 12 // 3 + 1
    return f"Q{quarter} {year}/{(year + 1) % 100:02d}"


class _Reader:
    """Turns the sheets' rows into the plan data, collecting every bad row on the way."""

    def __init__(self, name: str, sheets: dict[str, Sheet], plan_fields: dict[str, str]) -> None:
        self.name = name
        self.sheets = sheets
        self.fields = plan_fields
        self.problems: list[str] = []
        self.themes: list[dict[str, Any]] = []
        self.theme_word = plan_fields.get("theme_word") or "Theme"
        self.extra_fields: list[str] = []
        self.has_period_data = False

    def problem(self, sheet: Sheet, row: int, text: str) -> None:
        self.problems.append(f"{sheet.name} row {row}: {text}")

    def _header(self, sheet: Sheet, columns: Sequence[tb.Column]) -> tb.Header | None:
        """Find a sheet's header row, refusing one that names a template column twice."""
        return tb.find_header(sheet.name, sheet.rows, columns, self.name)

    def data(self) -> dict[str, Any]:
        actions = self.sheets.get(tb.ACTIONS_SHEET)
        if actions is None:
            raise ScrutineerError(
                f"{self.name} has no sheet called Actions, so there is nothing to import."
            )
        for sheet in self.sheets.values():
            for row, column in sheet.uncached:
                self.problem(
                    sheet,
                    row,
                    f"cell {tb.column_letter(column - 1)}{row} holds a formula whose value was "
                    "never saved (open the workbook in Excel, save it and import again)",
                )
        scheme = self._scheme()
        if tb.THEMES_SHEET in self.sheets:
            self._themes(self.sheets[tb.THEMES_SHEET])
        self._actions(actions, scheme)
        if tb.MEASURES_SHEET in self.sheets:
            self._measures(self.sheets[tb.MEASURES_SHEET])
        beside = read_optional_sheets(self.sheets, self.themes, self.problem)
        self.has_period_data = self.has_period_data or bool(beside.get("reports"))
        if self.problems:
            shown = "; ".join(self.problems[:_SHOWN_PROBLEMS])
            more = len(self.problems) - _SHOWN_PROBLEMS
            tail = f"; and {more} more" if more > 0 else ""
            raise ImportRefused(
                f"{self.name} was not imported, so nothing was written: {shown}{tail}.",
                self.problems,
            )
        data = self._assemble(scheme)
        for report in beside.get("reports", ()):
            report["period"] = data["periods"][-1]["label"]
        return {**data, **beside}

    # -- status key

    def _scheme(self) -> _Scheme:
        sheet = self.sheets.get(tb.STATUS_SHEET)
        if sheet is None:
            return _Scheme([dict(s) for s in tb.DEFAULT_STATUSES], given=False)
        header = self._header(sheet, tb.STATUS_COLUMNS)
        if header is None or "label" not in header.columns:
            raise ScrutineerError(
                f"The {sheet.name} sheet of {self.name} has no Status column, so its statuses "
                "cannot be read."
            )
        statuses: list[dict[str, Any]] = []
        for index in range(header.row, len(sheet.rows)):
            row, number = sheet.rows[index], index + 1
            fills = sheet.fills[index] if index < len(sheet.fills) else ()
            cells = _Cells(row, header)
            label = " ".join(cells.get("label").split())
            if not label:
                continue
            if any(tb.key(s["label"]) == tb.key(label) for s in statuses):
                self.problem(sheet, number, f"status {label!r} is listed twice")
                continue
            colour_text = cells.get("colour")
            colour = tb.colour_hex(colour_text) if colour_text else None
            if colour is None:
                colour = _at(fills, header.columns.get("colour")) or _at(
                    fills, header.columns["label"]
                )
            if colour is None:
                colour = tb.COLOUR_NAMES.get(tb.key(label.split()[0]), "#FFFFFF")
            meaning = cells.get("meaning")
            if "complete" in header.columns:
                complete = tb.yes(cells.get("complete"))
            else:
                suffix = _SUFFIX.match(label)
                complete = tb.key(meaning) in tb.COMPLETE_WORDS or bool(
                    suffix and tb.key(suffix.group(2)) in tb.COMPLETE_WORDS
                )
            code = cells.get("code") or _unique_code(label[:1].upper(), statuses)
            statuses.append(
                {
                    "code": code,
                    "label": label,
                    "colour": colour,
                    "meaning": meaning,
                    "complete": complete,
                }
            )
        return _Scheme(statuses, given=True)

    # -- themes

    def _theme(self, number: str, title: str) -> dict[str, Any]:
        number = _THEME_PREFIX.sub("", number).strip()
        for theme in self.themes:
            if (number and tb.key(theme["number"]) == tb.key(number)) or (
                not number and title and tb.key(theme["title"]) == tb.key(title)
            ):
                if title and not theme["title"]:
                    theme["title"] = title
                return theme
        theme = {"number": number, "title": title, "actions": [], "measures": []}
        self.themes.append(theme)
        return theme

    def _themes(self, sheet: Sheet) -> None:
        header = self._header(sheet, tb.THEME_COLUMNS)
        if header is None:
            return
        for index in range(header.row, len(sheet.rows)):
            cells = _Cells(sheet.rows[index], header)
            number, title = cells.get("number"), cells.get("title")
            if not (number or title):
                continue
            theme = self._theme(number, title)
            for name in ("aim", "performance_heading", "why_important"):
                theme[name] = cells.get(name)

    # -- actions

    def _actions(self, sheet: Sheet, scheme: _Scheme) -> None:
        header = self._header(sheet, tb.ACTION_COLUMNS)
        if header is None or not {"activity", "ref"} & header.columns.keys():
            raise ScrutineerError(
                f"The {sheet.name} sheet of {self.name} has no header row naming a Strategic "
                "activity or Ref column, so its actions cannot be read."
            )
        extras = self._extra_columns(sheet, header)
        current: dict[str, Any] | None = None
        refs: dict[int, set[str]] = {}
        for index in range(header.row, len(sheet.rows)):
            number = index + 1
            cells = _Cells(sheet.rows[index], header)
            theme_no, theme_title = cells.get("theme"), cells.get("theme_title")
            if theme_no or theme_title:
                current = self._theme(theme_no, theme_title)
            values = {k: cells.get(k) for k in ("ref", "lead", "plan_ref", "activity")}
            status_text, update = cells.get("status"), cells.get("update")
            extra = {name: cells.at(i) for i, name in extras}
            extra = {k: v for k, v in extra.items() if v}
            if not (any(values.values()) or status_text or update or extra):
                continue  # a blank row, or a row that only names a theme
            if current is None:
                current = self._theme("", "")
            ref, activity = values["ref"], values["activity"]
            if not (ref or activity):
                self.problem(sheet, number, "has neither a ref nor a strategic activity")
                continue
            seen = refs.setdefault(id(current), set())
            if ref and tb.key(ref) in seen:
                where = current["number"] or current["title"] or "its theme"
                self.problem(sheet, number, f"ref {ref} appears twice in theme {where}")
                continue
            seen.add(tb.key(ref))
            status = None
            if status_text:
                status = scheme.resolve(" ".join(status_text.split()))
                if status is None:
                    self.problem(
                        sheet,
                        number,
                        f"status {status_text!r} is not in the "
                        + (
                            "status key"
                            if scheme.given
                            else "default scheme (add a Status key sheet)"
                        ),
                    )
                    continue
            action: dict[str, Any] = {
                "ref": ref,
                "leads": tb.split_leads(values["lead"]),
                "plan_ref": values["plan_ref"],
                "activity": activity,
                "extra": extra,
            }
            if status or update:
                action["status"] = status
                action["update"] = update
                self.has_period_data = True
            current["actions"].append(action)

    def _extra_columns(self, sheet: Sheet, header: tb.Header) -> list[tuple[int, str]]:
        """Return the office's own columns (by index and name) and add them to the plan."""
        extras = list(header.extras)
        named = {i for i, _ in extras} | set(header.columns.values())
        width = max((len(r) for r in sheet.rows[header.row :]), default=0)
        for index in range(width):
            # A column with no header but with entries is kept, not silently dropped.
            if index not in named and any(
                tb.cell_text(r[index]) for r in sheet.rows[header.row :] if index < len(r)
            ):
                extras.append((index, f"Column {tb.column_letter(index)}"))
        extras.sort()
        names = tb.unique_names(name for _, name in extras)
        self.extra_fields = names
        return [(index, name) for (index, _), name in zip(extras, names, strict=True)]

    # -- measures

    def _measures(self, sheet: Sheet) -> None:
        header = self._header(sheet, tb.MEASURE_COLUMNS)
        if header is None:
            return
        current: dict[str, Any] | None = None
        for index in range(header.row, len(sheet.rows)):
            number = index + 1
            cells = _Cells(sheet.rows[index], header)
            if cells.get("theme"):
                current = self._theme(cells.get("theme"), "")
            fields = {
                k: cells.get(k)
                for k in ("number", "measure", "objective", "target", "performance", "footnotes")
            }
            if not any(fields.values()):
                continue
            if not (fields["number"] or fields["measure"]):
                self.problem(sheet, number, "has neither a number nor a measure")
                continue
            if current is None:
                current = self.themes[0] if self.themes else self._theme("", "")
            measure: dict[str, Any] = {k: v for k, v in fields.items() if k not in ("performance",)}
            raw = cells.raw("performance")
            if fields["performance"]:
                measure["performance"] = {
                    "text": fields["performance"],
                    "value": float(raw)
                    if isinstance(raw, int | float) and not isinstance(raw, bool)
                    else None,
                }
                self.has_period_data = True
            current["measures"].append(measure)

    # -- the whole plan

    def _assemble(self, scheme: _Scheme) -> dict[str, Any]:
        fields = self.fields
        label = fields.get("period") or (_default_period_label() if self.has_period_data else "")
        periods = []
        if label:
            periods.append(
                {
                    "label": label,
                    "starts": iso_from_uk(fields.get("period_start", "")),
                    "ends": iso_from_uk(fields.get("period_end", "")),
                    "heading": fields.get("period_heading", ""),
                }
            )
        for position, theme in enumerate(self.themes):
            if not theme["number"]:
                theme["number"] = str(position + 1)
            if not theme["title"]:
                theme["title"] = f"{self.theme_word} {theme['number']}"
            for measure in theme["measures"]:
                performance = measure.pop("performance", None)
                if performance and label:
                    measure["performances"] = {label: performance}
        plan = {
            name: fields[name]
            for _, name in tb.PLAN_FIELDS
            if fields.get(name) and not name.startswith("period")
        }
        plan["extra_fields"] = list(self.extra_fields)
        return {
            "plan": plan,
            "statuses": scheme.final(),
            "periods": periods,
            "themes": self.themes,
        }


class _Cells:
    """One row's cells, looked up by template column."""

    def __init__(self, row: Sequence[object], header: tb.Header) -> None:
        self.row = row
        self.header = header

    def raw(self, column: str) -> object:
        index = self.header.columns.get(column)
        return self.row[index] if index is not None and index < len(self.row) else None

    def get(self, column: str) -> str:
        return tb.cell_text(self.raw(column))

    def at(self, index: int) -> str:
        return tb.cell_text(self.row[index]) if index < len(self.row) else ""


def _at(values: Sequence[str | None], index: int | None) -> str | None:
    return values[index] if index is not None and index < len(values) else None
