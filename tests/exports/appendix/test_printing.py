"""Printing a plan file to PDF or Word: the summary, the errors, the command line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from db.document import Document
from db.errors import ScrutineerError
from db.sample_data import SAMPLE
from desktop.cli import main
from exports.appendix.layout import PrintOptions
from exports.appendix.printing import print_file


def test_print_pdf_reports_what_it_printed(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "appendix.pdf"
    printed = print_file(sample_path, out, themes=["7"], period=None, public=False)
    pages = len(PdfReader(out).pages)
    assert (printed.pages, printed.theme_numbers, printed.period_label) == (
        pages,
        ["7"],
        "Q2 2017/18",
    )
    assert printed.notes == []
    # No temporary file is left beside the output.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["appendix.pdf", sample_path.name]


def test_print_docx_counts_actions(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "appendix.docx"
    printed = print_file(sample_path, out, public=True)
    actions = len(SAMPLE["themes"][0]["actions"])
    assert (printed.pages, printed.actions, printed.public) == (None, actions, True)
    document = docx.Document(str(out))
    assert "APPENDIX A" in document.paragraphs[0].text
    # Every action's ref is in the action table's first column, in plan order.
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Ref")
    # (An update's rows say "Update", then "7F03 (continued)" when it is long.)
    labels = [row.cells[0].text for row in table.rows[1:]]
    refs = [t.splitlines()[0] for t in labels if t != "Update" and "(continued)" not in t]
    assert refs == [a["ref"] for a in SAMPLE["themes"][0]["actions"]]


def test_print_leaves_the_plan_untouched(sample_path: Path, tmp_path: Path) -> None:
    before = sample_path.read_bytes()
    print_file(sample_path, tmp_path / "a.pdf")
    assert sample_path.read_bytes() == before
    assert sorted(p.name for p in sample_path.parent.iterdir()) == ["a.pdf", sample_path.name]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"themes": ["9"]}, "no theme numbered 9; its themes are 7"),
        ({"period": "Q3 2017/18"}, "no period 'Q3 2017/18'; its periods are: Q2 2017/18"),
    ],
)
def test_unknown_choices_fail_in_one_sentence_and_keep_the_old_output(
    sample_path: Path, tmp_path: Path, options: dict, message: str
) -> None:
    out = tmp_path / "appendix.pdf"
    out.write_bytes(b"the last good print")
    with pytest.raises(ScrutineerError, match=message):
        print_file(sample_path, out, **options)
    assert out.read_bytes() == b"the last good print"


def test_unknown_output_type_and_missing_file(sample_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ScrutineerError, match=r"\.pdf or a \.docx"):
        print_file(sample_path, tmp_path / "appendix.txt")
    with pytest.raises(ScrutineerError, match="does not exist"):
        print_file(tmp_path / "missing.scrutiny", tmp_path / "a.pdf")
    with pytest.raises(ScrutineerError, match="folder"):
        print_file(sample_path, tmp_path / "no" / "such" / "a.pdf")


def test_a_plan_without_periods_says_so(tmp_path: Path) -> None:
    doc = Document.create(tmp_path / "empty.scrutiny", title="Plan")
    doc.close()
    with pytest.raises(ScrutineerError, match="no reporting periods"):
        print_file(tmp_path / "empty.scrutiny", tmp_path / "a.pdf")


def test_command_line_prints_both_formats(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, word = tmp_path / "a.pdf", tmp_path / "a.docx"
    argv = ["print", str(sample_path), "--theme", "7", "--period", "Q2 2017/18", "--public"]
    assert main([*argv, "-o", str(pdf), "--portrait", "--previous"]) == 0
    assert main([*argv, "-o", str(word), "--appendix", "APPENDIX B"]) == 0
    out = capsys.readouterr().out
    assert "to a.pdf" in out and "to a.docx" in out
    page = PdfReader(pdf).pages[0]
    assert page.mediabox.height > page.mediabox.width
    assert "APPENDIX B" in docx.Document(str(word)).paragraphs[0].text
    assert main(["print", str(sample_path), "-o", str(pdf), "--theme", "1"]) == 1
    assert "no theme numbered 1" in capsys.readouterr().err


def test_command_line_says_what_it_printed_and_what_could_not_apply(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "a.pdf"
    assert main(["print", str(sample_path), "-o", str(pdf)]) == 0
    pages = len(PdfReader(pdf).pages)
    captured = capsys.readouterr()
    assert captured.out.strip() == f"Printed Theme 7 (Q2 2017/18) to a.pdf: {pages} pages."
    assert captured.err == ""
    # The sample has one period, no exempt passage and nothing accepted: each choice says
    # in one sentence that it could not change the print, and the print still happens.
    pdf.unlink()
    argv = ["print", str(sample_path), "-o", str(pdf), "--previous", "--public", "--accepted-only"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert pdf.exists()
    assert captured.out.startswith(
        "Printed Theme 7 (Q2 2017/18, public version, accepted updates only) to a.pdf:"
    )
    notes = captured.err.strip().splitlines()
    assert len(notes) == 3
    assert "no period before Q2 2017/18" in notes[0]
    assert "accepted" in notes[1] and "No update received" in notes[1]
    assert "no exempt passage" in notes[2]
    assert all(n.endswith(".") and n.count(". ") == 0 for n in notes)


def test_print_options_defaults_take_the_plan_s_own() -> None:
    options = PrintOptions()
    assert options.themes is None and options.period is None and not options.public


def test_exports_printing_imports_no_qt_or_renderers() -> None:
    code = (
        "import sys, exports.appendix.printing, exports.appendix.layout;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'reportlab', 'docx'))];"
        "print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_pdf_bytes_render_with_pypdfium2(sample_path: Path, tmp_path: Path) -> None:
    # The print preview draws the real PDF with pypdfium2; it must open what we write.
    import pypdfium2

    out = tmp_path / "a.pdf"
    print_file(sample_path, out)
    pdf = pypdfium2.PdfDocument(io.BytesIO(out.read_bytes()))
    try:
        assert len(pdf) == len(PdfReader(out).pages)
        bitmap = pdf[0].render(scale=0.5)
        assert bitmap.width > bitmap.height
    finally:
        pdf.close()


def _pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def test_accepted_only_leaves_out_every_update_not_accepted(
    sample_path: Path, tmp_path: Path
) -> None:
    from db import edits, reads, signoff

    with Document.open(sample_path, who="OPCC") as doc:
        period = reads.periods(doc)[-1].id
        first, second = reads.actions(doc)[:2]
        edits.set_update(doc, first.id, period, text="Accepted words alpha.")
        edits.set_update(doc, second.id, period, text="Submitted words beta.")
        for action in (first, second):
            signoff.submit(doc, reads.updates(doc, period)[action.id].id)
        signoff.accept(doc, reads.updates(doc, period)[first.id].id)
    everything, accepted = tmp_path / "all.pdf", tmp_path / "accepted.pdf"
    print_file(sample_path, everything)
    assert main(["print", str(sample_path), "-o", str(accepted), "--accepted-only"]) == 0
    assert "Submitted words beta" in _pdf_text(everything)
    text = _pdf_text(accepted)
    assert "Accepted words alpha" in text
    assert "Submitted words beta" not in text
    assert "No update received" in text


def test_a_print_reads_the_text_of_the_printed_period_only(sample_path: Path) -> None:
    from db import edits, reads
    from exports.appendix.printing import read_for_print

    with Document.open(sample_path, who="OPCC") as doc:
        old = reads.periods(doc)[-1]
        edits.add_period(doc, "Q3 2017/18")
        new = reads.periods(doc)[-1]
        action = reads.actions(doc)[0]
        edits.set_update(doc, action.id, new.id, text="The new quarter.")
        latest = read_for_print(doc, PrintOptions())
        # A label typed in another case still finds the period and its texts.
        earlier = read_for_print(doc, PrintOptions(period=old.label.lower()))
    assert latest.update_for(action.id, new.id).text == "The new quarter."
    assert latest.update_for(action.id, old.id).text == ""
    # The previous quarter still lends its status to the direction-of-travel column.
    assert (
        latest.update_for(action.id, old.id).status_id
        == earlier.update_for(action.id, old.id).status_id
    )
    assert earlier.update_for(action.id, old.id).text
    # A later quarter's updates, and those before the previous one, are not read at all.
    assert earlier.update_for(action.id, new.id) is None
    assert {u.period_id for u in latest.updates} == {old.id, new.id}
