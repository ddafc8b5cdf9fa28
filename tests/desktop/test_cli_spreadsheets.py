"""The import and export commands, run in-process: exit codes, messages, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from db.document import Document
from db.reads import actions
from desktop.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_then_import(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "plan.xlsx"
    code, out, err = run(["export", str(sample_path), str(sheet)], capsys)
    assert (code, err) == (0, "")
    assert out.strip() == "Wrote 20 actions with the Q2 2017/18 updates to plan.xlsx."
    code, out, err = run(["import", str(sheet), str(tmp_path / "back.scrutiny")], capsys)
    assert (code, err) == (0, "")
    assert out.strip() == "Imported 1 theme, 20 actions and 5 measures into back.scrutiny."
    assert run(["check", str(tmp_path / "back.scrutiny")], capsys)[0] == 0


def test_export_for_a_lead(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "kd.xlsx"
    code, out, _ = run(
        ["export", str(sample_path), str(sheet), "--lead", "KD", "--period", "Q2 2017/18"], capsys
    )
    assert code == 0
    with Document.open(sample_path, read_only=True) as doc:
        refs = [a.ref for a in actions(doc) if "KD" in a.leads]
    assert out.startswith(f"Wrote {len(refs)} actions led by KD to kd.xlsx")
    rows = openpyxl.load_workbook(sheet)["Actions"].iter_rows(min_row=2, values_only=True)
    assert [r[2] for r in rows] == refs


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "{tmp}/missing.xlsx", "{tmp}/out.scrutiny"], "missing.xlsx was not found."),
        (["import", "{tmp}/junk.xlsx", "{tmp}/out.scrutiny"], "junk.xlsx is not an Excel workbook"),
        (["import", "{tmp}/bad.csv", "{tmp}/out.scrutiny"], "bad.csv was not imported"),
        (["export", "{sample}", "{tmp}/copy.scrutiny"], "Use --public"),
        (["export", "{sample}", "{tmp}/x.xlsx", "--period", "Q9"], "The plan has no period 'Q9'"),
        (["export", "{sample}", "{tmp}/x.xlsx", "--lead", "Nobody"], "No open action of Q2"),
        (["export", "{tmp}/missing.scrutiny", "{tmp}/x.xlsx"], "missing.scrutiny"),
    ],
)
def test_mistakes_are_one_sentence_on_stderr(
    sample_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "bad.csv").write_text("Ref,Strategic activity,Status\n1,One,Purple\n")
    argv = [a.format(tmp=tmp_path, sample=sample_path) for a in argv]
    code, out, err = run(argv, capsys)
    assert code == 1
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "out.scrutiny").exists()
    assert not (tmp_path / "x.xlsx").exists()


def test_public_copy_through_export(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["export", str(sample_path), str(tmp_path / "public.scrutiny"), "--public"], capsys
    )
    assert (code, err) == (0, "")
    assert out.strip()
    assert run(["check", str(tmp_path / "public.scrutiny")], capsys)[0] == 0
