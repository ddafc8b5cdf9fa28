"""Every public output refuses exempt markup it cannot read, and redacts every text it shows.

Issue 20, findings 4 and 5: a mistyped tag was refused by the public copy but published by
``print --public`` (PDF and Word), ``export --public`` (.xlsx, .csv) and a public lead
sheet; a public lead sheet carried an exempt passage in the plan's title.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from db import edits
from db.document import Document
from db.errors import ScrutineerError
from db.reads import read_plan
from desktop.cli import main
from exports.appendix.printing import print_file
from exports.exporting import export_file
from exports.report.printing import report_file

SECRET = "Nightjar"
# The six mistakes the attack found, each of which published the passage.
MISTAKES = {
    "no closing tag": f"[exempt: s.31(1)(a)]{SECRET} meets us",
    "nested tags": f"[exempt: s.31][exempt: s.40]{SECRET}[/exempt][/exempt]",
    "newline in the code": f"[exempt: s.31\n(1)(a)]{SECRET}[/exempt]",
    "space before the colon": f"[exempt : s.31(1)(a)]{SECRET}[/exempt]",
    "space in the closing tag": f"[exempt: s.31(1)(a)]{SECRET}[/exempt ]",
    "empty code": f"[exempt:]{SECRET}[/exempt]",
}


def public_outputs(path: Path, out: Path) -> dict[str, object]:
    """Return a way to write each public output of ``path`` into the folder ``out``."""
    return {
        "public.pdf": lambda: print_file(path, out / "public.pdf", public=True),
        "public.docx": lambda: print_file(path, out / "public.docx", public=True),
        "public.xlsx": lambda: export_file(path, out / "public.xlsx", public=True),
        "public.csv": lambda: export_file(path, out / "public.csv", public=True),
        "lead.xlsx": lambda: export_file(path, out / "lead.xlsx", public=True, lead="KD"),
        "copy.scrutiny": lambda: export_file(path, out / "copy.scrutiny", public=True),
        "report.pdf": lambda: report_file(path, out / "report.pdf", public=True, appendix=True),
        "report.docx": lambda: report_file(path, out / "report.docx", public=True),
    }


def written(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file()]


def everything_in(path: Path) -> bytes:
    """Return a file's bytes, unpacked when it is a zip (xlsx, docx), to search for a secret."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())
    return path.read_bytes()


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistyped_tag_stops_every_public_output(
    mistake: str, sample_doc: Document, tmp_path: Path
) -> None:
    data = read_plan(sample_doc)
    action, period = data.actions[0], data.periods[-1]
    edits.set_update(sample_doc, action.id, period.id, text=f"Open part. {MISTAKES[mistake]}")
    out = tmp_path / "out"
    out.mkdir()
    for name, write in public_outputs(sample_doc.path, out).items():
        with pytest.raises(ScrutineerError) as refused:
            write()  # type: ignore[operator]
        sentence = str(refused.value)
        # One sentence naming the action (ref and theme) and the field.
        assert f"The update of action {action.ref} (theme 7) for {period.label}" in sentence, name
        assert "so nothing public was written" in sentence and "\n" not in sentence
        assert written(out) == [], name


def test_an_internal_print_still_works_and_says_what_a_public_one_would_refuse(
    sample_doc: Document, tmp_path: Path
) -> None:
    import pdfplumber

    data = read_plan(sample_doc)
    action, period = data.actions[0], data.periods[-1]
    edits.set_update(sample_doc, action.id, period.id, text=MISTAKES["space before the colon"])
    message = " ".join(print_file(sample_doc.path, tmp_path / "internal.pdf").notes)
    assert f"Note: the update of action {action.ref}" in message
    assert "so a public version would be refused" in message
    with pdfplumber.open(tmp_path / "internal.pdf") as pdf:
        words = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert SECRET in words and "[exempt" not in words.lower()


def test_the_command_line_refuses_in_one_sentence(
    sample_doc: Document, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = read_plan(sample_doc)
    edits.edit(sample_doc, "themes", data.themes[0].id, aim=MISTAKES["no closing tag"])
    path = str(sample_doc.path)
    for args in (
        ["print", path, "-o", str(tmp_path / "p.pdf"), "--public"],
        ["export", path, str(tmp_path / "p.csv"), "--public"],
        ["export", path, str(tmp_path / "l.xlsx"), "--lead", "KD", "--public"],
    ):
        assert main(args) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("The aim of theme 7 has exempt markup Scrutineer cannot read")
        assert "not closed with [/exempt]" in err and len(err.splitlines()) == 1
    assert written(tmp_path) == [sample_doc.path]


def test_public_lead_sheet_redacts_the_title_everywhere(
    sample_doc: Document, tmp_path: Path
) -> None:
    """Finding 5: the title went into the workbook's properties and "How to return"."""
    import openpyxl

    edits.edit_plan(sample_doc, title=f"Plan [exempt: s.31]{SECRET}[/exempt] 2017")
    out = tmp_path / "lead.xlsx"
    export_file(sample_doc.path, out, lead="KD", public=True)
    assert SECRET.encode() not in everything_in(out)
    workbook = openpyxl.load_workbook(out)
    assert workbook.properties.title.startswith("Plan [Exempt – s.31] 2017 – KD")
    assert workbook["How to return"]["A1"].value.startswith("Plan [Exempt – s.31] 2017 – ")
    # The internal sheet keeps the title whole.
    export_file(sample_doc.path, tmp_path / "internal.xlsx", lead="KD")
    assert SECRET.encode() in everything_in(tmp_path / "internal.xlsx")


def test_no_public_output_carries_a_well_formed_passage_anywhere(
    sample_doc: Document, tmp_path: Path
) -> None:
    """Every text, titles, headers and names included, is redacted in every public output."""
    data = read_plan(sample_doc)
    hidden = f"[exempt: s.31]{SECRET}[/exempt]"
    action, period, theme = data.actions[0], data.periods[-1], data.themes[0]
    edits.edit_plan(
        sample_doc,
        title=f"Plan {hidden}",
        organisation=f"Org {hidden}",
        version_label=f"v {hidden}",
        extra_fields=[f"Sponsor {hidden}"],
    )
    edits.edit(sample_doc, "themes", theme.id, title=f"Theme {hidden}")
    edits.edit(sample_doc, "actions", action.id, activity=f"Do {hidden}")
    edits.edit(sample_doc, "periods", period.id, heading=f"Heading {hidden}")
    edits.edit(sample_doc, "periods", period.id, label=f"Q2 2017/18 {hidden}")
    edits.add(sample_doc, "milestones", action_id=action.id, phase=f"Phase {hidden}")
    report = data.reports[0]
    edits.edit(sample_doc, "reports", report.id, title=f"Report {hidden}")
    edits.edit(sample_doc, "report_sections", report.sections[0].id, text=f"Purpose {hidden}")
    edits.edit(sample_doc, "statuses", data.statuses[0].id, meaning=f"On track {hidden}")
    edits.set_update(sample_doc, action.id, period.id, text=f"Update {hidden}")
    out = tmp_path / "out"
    out.mkdir()
    for name, write in public_outputs(sample_doc.path, out).items():
        write()  # type: ignore[operator]
        assert SECRET.encode() not in everything_in(out / name), name
    # The PDF's text is compressed: read it back to be sure.
    import pdfplumber

    with pdfplumber.open(out / "public.pdf") as pdf:
        words = " ".join(page.extract_text() or "" for page in pdf.pages)
        assert SECRET not in words and SECRET not in str(pdf.metadata)
        assert "[Exempt – s.31]" in words
    with pdfplumber.open(out / "report.pdf") as pdf:
        words = " ".join(page.extract_text() or "" for page in pdf.pages)
        assert SECRET not in words and SECRET not in str(pdf.metadata)
        assert "Purpose [Exempt – s.31]" in words


def test_the_public_workbook_keeps_a_public_report_and_leaves_out_one_that_is_not(
    sample_doc: Document, tmp_path: Path
) -> None:
    import openpyxl

    export_file(sample_doc.path, tmp_path / "public.xlsx", public=True)
    assert "Report" in openpyxl.load_workbook(tmp_path / "public.xlsx").sheetnames
    report = read_plan(sample_doc).reports[0]
    edits.edit(sample_doc, "reports", report.id, public=False)
    export_file(sample_doc.path, tmp_path / "withheld.xlsx", public=True)
    names = openpyxl.load_workbook(tmp_path / "withheld.xlsx").sheetnames
    assert not {"Report", "Figures", "Approval"} & set(names)
