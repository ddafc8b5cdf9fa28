"""`scrutineer report`: the covering report from the command line, and its one-sentence errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from exports.sheets.importing import import_file
from tests.exports.report.hightech import collaboration_workbook, report_workbook


def test_report_command_prints_and_refuses_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "r.scrutiny"
    import_file(report_workbook(tmp_path / "r.xlsx", public=False), plan)
    assert main(["report", str(plan), "-o", str(tmp_path / "r.docx"), "--appendix"]) == 0
    assert "covering report and its appendix (Q1 2010/11) to r.docx" in capsys.readouterr().out
    assert main(["report", str(plan), "-o", str(tmp_path / "p.pdf"), "--public"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not suitable for the public domain" in err
    assert "Traceback" not in err and not (tmp_path / "p.pdf").exists()
    bare = tmp_path / "bare.scrutiny"
    import_file(collaboration_workbook(tmp_path / "bare.xlsx"), bare)
    assert main(["report", str(bare), "-o", str(tmp_path / "b.pdf")]) == 1
    assert "has no covering report yet" in capsys.readouterr().err
    assert main(["report", str(plan), "-o", str(tmp_path / "b.txt")]) == 1
    assert ".pdf or a .docx" in capsys.readouterr().err
