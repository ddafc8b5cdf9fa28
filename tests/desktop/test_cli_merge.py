"""`scrutineer merge` and `scrutineer export --public`: what came in, clashes, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import edits, reads
from db.document import Document
from desktop.cli import main


def _send_and_edit(sample_path: Path, tmp_path: Path, ref: str, text: str) -> Path:
    returned = tmp_path / "returned.scrutiny"
    with Document.open(sample_path) as office:
        office.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        action = next(a for a in reads.actions(copy) if a.ref == ref)
        edits.set_update(copy, action.id, reads.periods(copy)[-1].id, text=text)
    return returned


def test_merge_prints_what_came_in_and_every_clash(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = _send_and_edit(sample_path, tmp_path, "7C01", "Lead's words.")
    with Document.open(sample_path, who="OPCC") as office:
        action = next(a for a in reads.actions(office) if a.ref == "7C01")
        edits.set_update(office, action.id, reads.periods(office)[-1].id, text="Office's words.")
    assert main(["merge", str(sample_path), str(returned)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Merged returned.scrutiny (KD): 0 changes came in, 1 clash to resolve.",
        "  clash: 7C01 (Q2 2017/18), update: changed here and in returned.scrutiny",
    ]
    assert main(["merge", str(sample_path), str(returned)]) == 0
    assert "Nothing new came in" in capsys.readouterr().out


def test_merge_refuses_a_bad_return_in_one_sentence(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    returned = _send_and_edit(sample_path, tmp_path, "7C01", "Lead's words.")
    conn = sqlite3.connect(returned)
    conn.execute("CREATE VIEW sneaky AS SELECT 1")
    conn.commit()
    conn.close()
    before = sample_path.read_bytes()
    assert main(["merge", str(sample_path), str(returned)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("returned.scrutiny was refused and nothing was merged")
    assert "Traceback" not in captured.err
    assert sample_path.read_bytes() == before


def test_export_public_copy(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "public.scrutiny"
    assert main(["export", str(sample_path), str(out), "--public"]) == 0
    assert "public copy" in capsys.readouterr().out
    assert main(["check", str(out)]) == 0
