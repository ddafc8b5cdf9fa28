"""The covering report: import of 004's Table 1, print in PDF and Word, --appendix, round trip."""

from __future__ import annotations

from pathlib import Path

import docx
import pdfplumber
import pytest

from db import edits
from db.document import Document
from db.errors import LockedPeriodError, ScrutineerError
from db.public import build_public_copy
from db.reads import read_plan
from db.report import DEFAULT_SECTIONS, new_report, read_report
from exports.exporting import export_file
from exports.report.printing import report_file
from exports.sheets.importing import ImportRefused, import_file
from tests.exports.report.hightech import (
    PRINTED,
    TABLE_1,
    TOTALS,
    YEARS,
    report_workbook,
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    out = tmp_path / "report.scrutiny"
    import_file(report_workbook(tmp_path / "report.xlsx"), out)
    return out


def _pdf_lines(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def test_table_1_prints_its_computed_total_as_paragraph_6_12_in_pdf(plan: Path, tmp_path) -> None:
    out = tmp_path / "report.pdf"
    printed = report_file(plan, out)
    assert printed.pages == 2 and printed.output == out and not printed.with_appendix
    lines = _pdf_lines(out)
    caption = lines.index(f"6.12 {TABLE_1}")
    assert lines[caption - 1] == "6.11 Paragraph 6.11 of the paper."
    assert lines[caption + 1 :].index("TOTAL " + " ".join(TOTALS)) < 12
    assert "Joint Protective Services 14,282 13,817 14,168 14,533 14,909" in lines
    assert any(line.startswith("6.13 Since the BCH collaboration") for line in lines)
    headings = [
        line for line in lines if line[:2] in ("1.", "2.", "6.", "7.", "8.") and line.isupper()
    ]
    assert headings[:2] == ["1. PURPOSE", "2. RECOMMENDATION"]
    assert "7. Public interest" in lines and "8. Approval" in lines
    assert (
        "7.2 Are the contents of this report, observations and appendices necessary and suitable for the"
        in lines
    )
    assert "Date: 24 May 2021" in lines


def test_word_has_real_headings_and_a_real_table(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    report_file(plan, out)
    document = docx.Document(out)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["1. PURPOSE", "2. RECOMMENDATION", "3. TERMS OF REFERENCE"]
    assert headings[-2:] == ["7. Public interest", "8. Approval"]
    texts = [p.text for p in document.paragraphs]
    assert f"6.12\t{TABLE_1}" in texts
    table = document.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["", *YEARS]
    assert rows[-1] == ["TOTAL", *TOTALS]
    assert table.rows[0]._tr.trPr is not None  # the header row repeats on every page


def test_a_total_that_disagrees_is_refused_in_one_sentence(tmp_path: Path) -> None:
    source = report_workbook(tmp_path / "bad.xlsx", total=[37802, 37360, None, None, None])
    with pytest.raises(ImportRefused) as caught:
        import_file(source, tmp_path / "bad.scrutiny")
    assert (
        f"Figures row 7: the TOTAL for 2018/19 (£'000) in {TABLE_1} is 37360 but its rows add "
        "up to 37,359" in str(caught.value)
    )
    assert not (tmp_path / "bad.scrutiny").exists()


def test_a_table_placed_but_not_given_is_a_bad_row(tmp_path: Path) -> None:
    import openpyxl

    source = report_workbook(tmp_path / "bad.xlsx")
    book = openpyxl.load_workbook(source)
    book["Report"].append(["9", "Annexes", "[table: Table 9]"])
    book.save(source)
    with pytest.raises(ImportRefused, match=r"Report row 10: places table 'Table 9', which is not"):
        import_file(source, tmp_path / "bad.scrutiny")


def test_report_with_appendix_is_one_document(plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "item.pdf"
    report_file(plan, out, appendix=True)
    with pdfplumber.open(out) as pdf:
        pages = pdf.pages
        assert len(pages) == 3
        assert pages[0].width < pages[0].height  # the report is portrait
        assert pages[2].width > pages[2].height  # the appendix keeps its landscape
        last = pages[2].extract_text()
        assert "APPENDIX A" in last and "Page 3 of 3" in last
        assert "Aug to Sept 2010" in last  # the milestones print in the appendix too
    word = tmp_path / "item.docx"
    report_file(plan, word, appendix=True)
    document = docx.Document(word)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. PURPOSE" and headings[-1] == "THEME 1: THEME 1"
    assert len(document.sections) == 2
    assert document.sections[0].page_width < document.sections[0].page_height
    assert document.sections[1].page_width > document.sections[1].page_height


def test_not_public_report_is_refused_by_public_and_left_out_of_a_public_copy(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "secret.scrutiny"
    import_file(report_workbook(tmp_path / "s.xlsx", public=False), plan)
    with pytest.raises(ScrutineerError) as caught:
        report_file(plan, tmp_path / "x.pdf", public=True)
    assert str(caught.value) == (
        "The covering report for Q1 2010/11 is marked not suitable for the public domain "
        "(Names a live investigation), so no public version is printed."
    )
    assert not (tmp_path / "x.pdf").exists()
    report_file(plan, tmp_path / "x.pdf")  # the office's own print is fine
    with Document.open(plan) as doc:
        build_public_copy(doc, tmp_path / "public.scrutiny")
    with Document.open(tmp_path / "public.scrutiny", read_only=True) as copy:
        assert copy.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 0
        assert copy.conn.execute("SELECT count(*) FROM report_rows").fetchone()[0] == 0


def test_exempt_passages_print_as_markers_in_a_public_report(plan: Path, tmp_path: Path) -> None:
    with Document.open(plan) as doc:
        report = read_report(doc, read_plan(doc).periods[-1].id)
        section = report.sections[0]
        edits.edit(doc, "report_sections", section.id,
                   text=section.text + " [exempt: s.40(2)]Officer X[/exempt]")  # fmt: skip
    report_file(plan, tmp_path / "public.pdf", public=True)
    text = "\n".join(_pdf_lines(tmp_path / "public.pdf"))
    assert "Officer X" not in text and "s.40(2)" in text


def _content(path: Path) -> tuple:
    with Document.open(path, read_only=True) as doc:
        data = read_plan(doc)
    report = data.reports[0]
    milestones = sorted((m.phase, m.starts, m.ends, m.state, m.note) for m in data.milestones)
    return (
        (report.title, report.public, report.exempt_reason, report.public_confidence),
        [(s.number, s.heading, s.text) for s in report.sections],
        [(t.name, t.columns, [(r.label, r.cells, r.total) for r in t.rows]) for t in report.tables],
        [(a.role, a.name, a.statement, a.date) for a in report.approvals],
        milestones,
    )


def test_export_then_import_gives_back_the_same_report(plan: Path, tmp_path: Path) -> None:
    export_file(plan, tmp_path / "again.xlsx")
    import_file(tmp_path / "again.xlsx", tmp_path / "again.scrutiny")
    before, after = _content(plan), _content(tmp_path / "again.scrutiny")
    assert after == before
    assert len(before[2]) == 2 and len(before[4]) == len(PRINTED)  # both tables, every phase


def test_report_edits_keep_history_respect_locks_and_merge(plan: Path, tmp_path: Path) -> None:
    from db.merge import merge_copy

    with Document.open(plan) as doc:
        period = read_plan(doc).periods[-1]
        report = read_report(doc, period.id)
        doc.save_copy(tmp_path / "theirs.scrutiny")
        change = edits.edit(doc, "report_sections", report.sections[1].id, text="Note it.")
        assert change.text == "Edit text of report section RECOMMENDATION"
        history = doc.conn.execute(
            "SELECT old, new FROM history WHERE record_id = ? AND field = 'text'",
            (report.sections[1].id,),
        ).fetchall()
        assert [tuple(h) for h in history] == [
            ("The Panel is recommended to note the report.", "Note it.")
        ]
    with Document.open(tmp_path / "theirs.scrutiny", who="Clerk") as theirs:
        edits.add(theirs, "approvals", report_id=report.id, role="Clerk", name="A. Clerk")
    with Document.open(plan) as doc, Document.open(tmp_path / "theirs.scrutiny") as theirs:
        merge_copy(doc, theirs)
        merged = read_report(doc, period.id)
        assert [a.role for a in merged.approvals][-1] == "Clerk"
        assert merged.sections[1].text == "Note it."
        edits.lock_period(doc, period.id)
        with pytest.raises(LockedPeriodError):
            edits.edit(doc, "reports", report.id, title="Changed")


def test_a_new_report_has_the_papers_sections(plan: Path) -> None:
    with Document.open(plan) as doc:
        period = edits.add_period(doc, "Q2 2010/11").rows[0].id
        new_report(doc, period)
        report = read_report(doc, period)
    assert [s.heading for s in report.sections] == list(DEFAULT_SECTIONS)
    assert DEFAULT_SECTIONS[:3] == ("Purpose", "Recommendation", "Background")


def test_a_lead_return_sheet_never_carries_the_report(plan: Path, tmp_path: Path) -> None:
    import openpyxl

    with Document.open(plan) as doc:
        edits.set_leads(doc, read_plan(doc).actions[0].id, ["DCC Smith"])
    export_file(plan, tmp_path / "lead.xlsx", lead="DCC Smith")
    names = openpyxl.load_workbook(tmp_path / "lead.xlsx").sheetnames
    assert not {"Report", "Figures", "Approval"} & set(names)


def test_unclosed_exempt_markup_stops_a_public_report(plan: Path, tmp_path: Path) -> None:
    with Document.open(plan) as doc:
        report = read_report(doc, read_plan(doc).periods[-1].id)
        edits.edit(doc, "report_sections", report.sections[3].id,
                   text="Open [exempt: s.40(2)]a name never closed")  # fmt: skip
    with pytest.raises(ScrutineerError, match=r"^Section 4 of the covering report has exempt"):
        report_file(plan, tmp_path / "p.pdf", public=True)
    assert not (tmp_path / "p.pdf").exists()


def test_hostile_figures_stay_text_and_never_total(tmp_path: Path) -> None:
    import openpyxl

    source = report_workbook(tmp_path / "h.xlsx")
    book = openpyxl.load_workbook(source)
    sheet = book["Figures"]
    sheet.insert_rows(2)
    for column, value in enumerate(["", "Orphan", 1, 2, 3, 4, 5], start=1):
        sheet.cell(2, column, value)
    book.save(source)
    with pytest.raises(ImportRefused, match="Figures row 2: names no table"):
        import_file(source, tmp_path / "h.scrutiny")
    sheet.delete_rows(2)
    sheet["C2"] = "=cmd|' /C calc'!A0"
    sheet["C2"].data_type = "s"  # a text that looks like a formula, as a hostile file holds
    sheet["D2"] = "9" * 40
    book.save(source)
    import_file(source, tmp_path / "h.scrutiny")
    out = tmp_path / "h.pdf"
    report_file(tmp_path / "h.scrutiny", out)
    lines = _pdf_lines(out)
    total = next(line for line in lines if line.startswith("TOTAL"))
    # A figure that is not a number leaves its column's total empty rather than wrong.
    assert total.split()[1] != "37,802" and "38,306 38,967 40,249" in total
    printed = "\n".join(lines)  # printed as text, wrapped in its narrow cell
    assert "=cmd|' /C" in printed and "calc'!A0" in printed
    export_file(tmp_path / "h.scrutiny", tmp_path / "again.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "again.xlsx")["Figures"]["C2"]
    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"


def test_the_report_alone_in_word_has_the_appendixs_fonts_and_british_english(
    plan: Path, tmp_path: Path
) -> None:
    import zipfile

    out = tmp_path / "report.docx"
    report_file(plan, out)
    with zipfile.ZipFile(out) as package:
        xml = b"".join(package.read(name) for name in package.namelist() if name.endswith(".xml"))
    assert b"en-US" not in xml and b'w:lang w:val="en-GB"' in xml
    assert b"DejaVu Sans" in xml


def test_an_approvals_date_stays_with_its_own_row(tmp_path: Path) -> None:
    """A row filled only in a column of the office's own must not shift dates down."""
    import openpyxl

    source = report_workbook(tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(source)
    sheet = book["Approval"]
    sheet.cell(1, 5, "Comment")
    sheet.insert_rows(2)
    sheet.cell(2, 5, "Approvals below were given in May.")
    book.save(source)
    out = tmp_path / "r.scrutiny"
    import_file(source, out)
    with Document.open(out, read_only=True) as doc:
        approvals = read_plan(doc).reports[0].approvals
    dates = {a.role: a.date for a in approvals}
    assert dates["Chief Officer"] == "2021-05-24"
    assert dates["Police and Crime Commissioner for Gwent"] == ""


def test_the_appendix_after_the_report_prints_as_the_plan_remembers(
    sample_path: Path, tmp_path: Path
) -> None:
    from db import print_choices

    with Document.open(sample_path) as doc:
        print_choices.save(doc, {"letter": True, "themes": ["7", "99"]})
    out = tmp_path / "item.pdf"
    report_file(sample_path, out, appendix=True)
    with pdfplumber.open(out) as pdf:
        sizes = [(round(p.width), round(p.height)) for p in pdf.pages]
    assert sizes[0] == (612, 792)  # the report on the same remembered paper, portrait
    assert set(sizes[2:]) == {(792, 612)}  # the appendix: Letter, landscape
