"""The command line: help, version, sample and check, with one-sentence errors and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.cli import COMMANDS, main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"scrutineer {__version__}"


def test_help_lists_every_command_with_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name, (help_text, _) in COMMANDS.items():
        assert name in out
        assert help_text.split()[0] in out
    for name in COMMANDS:
        with pytest.raises(SystemExit) as caught:
            main([name, "--help"])
        assert caught.value.code == 0


def test_sample_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.scrutiny"
    assert main(["sample", str(out)]) == 0
    assert main(["check", str(out)]) == 0
    assert "sound Scrutineer plan" in capsys.readouterr().out


def test_sample_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.scrutiny"
    out.write_text("precious")
    assert main(["sample", str(out)]) == 1
    assert out.read_text() == "precious"
    err = capsys.readouterr().err.strip()
    assert err == "plan.scrutiny already exists; choose another name."


def test_check_bad_file_exits_1_with_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.scrutiny"
    bad.write_text("hello")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a SQLite database" in err


def test_help_runs_in_a_fresh_interpreter_without_qt() -> None:
    """The CLI's help must not need Qt or any test-only package."""
    code = (
        "import sys; from desktop.cli import main\n"
        "try: main(['--help'])\n"
        "except SystemExit: pass\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pytest', 'reportlab', 'docx'))]\n"
        "print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
