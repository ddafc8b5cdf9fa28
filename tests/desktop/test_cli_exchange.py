"""`scrutineer signoff`, `lock`, `unlock` and `clashes`: the window's sign-off and clashes, headless."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from db import clashes, edits, reads, signoff
from db.document import Document
from desktop.cli import main

PERIOD = "Q2 2017/18"


def _sign_off(path: Path, ref: str) -> signoff.SignOff:
    """Return ``ref``'s sign-off in the latest period as a fresh read of the file finds it."""
    with Document.open(path, read_only=True) as doc:
        return signoff.sign_off(doc, _update_id(doc, ref))


def _update_id(doc: Document, ref: str) -> str:
    action = next(a for a in reads.actions(doc) if a.ref == ref)
    return reads.updates(doc, reads.periods(doc)[-1].id)[action.id].id


def _submit(path: Path, *refs: str) -> None:
    """Mark updates submitted, as a merged return does."""
    with Document.open(path, who="KD") as doc:
        for ref in refs:
            signoff.submit(doc, _update_id(doc, ref))


def _refs(path: Path) -> list[str]:
    with Document.open(path, read_only=True) as doc:
        return [a.ref for a in reads.actions(doc)]


def _locked(path: Path) -> bool:
    with Document.open(path, read_only=True) as doc:
        return reads.periods(doc)[-1].locked


def _one_sentence(capsys: pytest.CaptureFixture[str]) -> str:
    """Return the one line a refused command wrote on stderr, checking it wrote nothing else."""
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert "Traceback" not in captured.err
    return line


def test_signoff_lists_each_update_with_leads_state_who_and_when(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["signoff", str(sample_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 21
    assert out[0].split() == ["7C01", "KD", "Draft"]
    assert out[11].split() == ["7F03", "ACC", "Prior,", "Austin", "Fuller", "Draft"]
    assert out[-1] == f"{PERIOD}: 20 updates, 20 draft."
    _submit(sample_path, "7C02")
    assert main(["signoff", str(sample_path), "--period", " q2   2017/18 "]) == 0
    out = capsys.readouterr().out.splitlines()
    words = out[1].split()
    assert words[:4] == ["7C02", "CR", "Submitted", "KD"]
    assert words[4].startswith("20") and len(words[5]) == 5  # the date and time it was set
    assert out[-1] == f"{PERIOD}: 20 updates, 19 draft, 1 submitted."


def test_signoff_accepts_by_ref_recording_who(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["signoff", str(sample_path), "--accept", "7c 01", "--who", "OPCC"]) == 0
    assert capsys.readouterr().out == f"Accepted 7C01 ({PERIOD}).\n"
    state = _sign_off(sample_path, "7C01")
    assert (state.state, state.who) == ("accepted", "OPCC")
    assert _sign_off(sample_path, "7C02").state == "draft"


def test_signoff_records_the_login_name_by_default(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["signoff", str(sample_path), "--waive", "7C09"]) == 0
    assert _sign_off(sample_path, "7C09").who == getpass.getuser()


def test_signoff_sends_back_with_a_note(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _submit(sample_path, "7C02")
    note = "Say what the savings were."
    assert main(["signoff", str(sample_path), "--send-back", "7C02", "--note", note]) == 0
    assert capsys.readouterr().out == f"Sent back 7C02 ({PERIOD}) (note: {note}).\n"
    state = _sign_off(sample_path, "7C02")
    assert (state.state, state.label, state.note) == ("returned", "Sent back", note)


def test_signoff_waives_with_a_note(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["signoff", str(sample_path), "--waive", "7C08", "--waive", "7C09"]
    assert main([*args, "--note", "Closed last quarter."]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Waived 7C08 ({PERIOD}) (note: Closed last quarter.).",
        f"Waived 7C09 ({PERIOD}) (note: Closed last quarter.).",
    ]
    for ref in ("7C08", "7C09"):
        assert (_sign_off(sample_path, ref).state, _sign_off(sample_path, ref).note) == (
            "waived",
            "Closed last quarter.",
        )


def test_signoff_accepts_every_submitted_update(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _submit(sample_path, "7C06", "7C02")
    assert main(["signoff", str(sample_path), "--accept-submitted"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Accepted 7C02 ({PERIOD}).",
        f"Accepted 7C06 ({PERIOD}).",
    ]
    assert [_sign_off(sample_path, r).state for r in ("7C02", "7C06", "7C03")] == [
        "accepted",
        "accepted",
        "draft",
    ]
    assert main(["signoff", str(sample_path), "--accept-submitted"]) == 0
    assert "No update of Q2 2017/18 is submitted" in capsys.readouterr().out


def test_signoff_refused_move_changes_nothing_and_names_the_update(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sample_path.read_bytes()
    args = ["signoff", str(sample_path), "--accept", "7C01", "--send-back", "7C03"]
    assert main(args) == 1
    assert _one_sentence(capsys) == (
        f"7C03 ({PERIOD}): an update that is draft cannot be marked sent back."
    )
    assert _sign_off(sample_path, "7C01").state == "draft"
    assert sample_path.read_bytes() == before


def test_signoff_unknown_ref_or_period_is_one_sentence(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sample_path.read_bytes()
    assert main(["signoff", str(sample_path), "--accept", "7C01", "--accept", "7X99"]) == 1
    assert _one_sentence(capsys) == "The plan has no action '7X99'."
    assert main(["signoff", str(sample_path), "--period", "Q9", "--accept", "7C01"]) == 1
    assert _one_sentence(capsys) == f"The plan has no period 'Q9'; its periods are: {PERIOD}."
    assert sample_path.read_bytes() == before


def test_lock_is_refused_while_updates_wait_and_names_them(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waived = [r for r in _refs(sample_path) if r not in ("7C04", "7F02")]
    assert main(["signoff", str(sample_path), *(f"--waive={r}" for r in waived)]) == 0
    capsys.readouterr()
    before = sample_path.read_bytes()
    assert main(["lock", str(sample_path), "--period", PERIOD]) == 1
    assert _one_sentence(capsys) == (
        f"Period {PERIOD} cannot be locked until every update is accepted or waived; "
        "still waiting: 7C04, 7F02."
    )
    assert sample_path.read_bytes() == before
    assert not _locked(sample_path)


def test_lock_after_every_update_is_accepted_then_unlock(
    sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted = [f"--accept={r}" for r in _refs(sample_path)]
    assert main(["signoff", str(sample_path), *accepted]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 20
    assert main(["lock", str(sample_path), "--period", "q2 2017/18", "--who", "OPCC"]) == 0
    assert capsys.readouterr().out.startswith(f"Locked {PERIOD}")
    assert _locked(sample_path)
    with Document.open(sample_path, read_only=True) as doc:
        assert reads.history(doc)[0].who == "OPCC"
    assert main(["signoff", str(sample_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{PERIOD} (locked): 20 updates, 20 accepted."
    )
    assert main(["unlock", str(sample_path), "--period", PERIOD]) == 0
    assert capsys.readouterr().out.startswith(f"Unlocked {PERIOD}")
    assert not _locked(sample_path)
    assert main(["unlock", str(sample_path), "--period", PERIOD]) == 0
    assert capsys.readouterr().out == f"{PERIOD} is not locked.\n"


def _status(doc: Document, code: str) -> str:
    return next(s.id for s in reads.statuses(doc) if s.code == code)


@pytest.fixture
def clash_path(sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Return the sample plan after `scrutineer merge` of a return clashing over 7C01 and 7C02."""
    returned = tmp_path / "kd.scrutiny"
    with Document.open(sample_path) as office:
        office.save_copy(returned)
    with Document.open(returned, who="KD") as copy:
        actions = {a.ref: a.id for a in reads.actions(copy)}
        period = reads.periods(copy)[-1].id
        edits.set_update(copy, actions["7C01"], period, text="KD: alliance agreed.")
        edits.set_update(copy, actions["7C02"], period, status_id=_status(copy, "R"))
    with Document.open(sample_path, who="OPCC") as office:
        actions = {a.ref: a.id for a in reads.actions(office)}
        period = reads.periods(office)[-1].id
        edits.set_update(office, actions["7C01"], period, text="OPCC: awaiting decision.")
        edits.set_update(office, actions["7C02"], period, status_id=_status(office, "B"))
    assert main(["merge", str(sample_path), str(returned)]) == 0
    assert "2 clashes to resolve" in capsys.readouterr().out
    return sample_path


def _stored(path: Path, ref: str) -> tuple[str | None, str, int]:
    """Return (status label, update text, open clashes) of ``ref`` as a fresh read finds them."""
    with Document.open(path, read_only=True) as doc:
        action = next(a for a in reads.actions(doc) if a.ref == ref)
        update = reads.updates(doc, reads.periods(doc)[-1].id)[action.id]
        labels = {s.id: s.label for s in reads.statuses(doc)}
        return labels.get(update.status_id or ""), update.text, clashes.open_clash_count(doc)


def test_clashes_lists_each_open_clash_with_both_values(
    clash_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clashes", str(clash_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"1. 7C01 ({PERIOD}), update: changed here and in kd.scrutiny",
        "   mine: OPCC: awaiting decision.",
        "   theirs (kd.scrutiny (KD)): KD: alliance agreed.",
        f"2. 7C02 ({PERIOD}), status: changed here and in kd.scrutiny",
        "   mine: Blue",
        "   theirs (kd.scrutiny (KD)): Red",
        "2 clashes are open in sample.scrutiny.",
    ]


def test_clashes_resolve_by_combination_then_theirs(
    clash_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    combined = "OPCC and KD: alliance agreed, decision awaited."
    assert main(["clashes", str(clash_path), "--resolve", "1", "--combined", combined]) == 0
    assert capsys.readouterr().out == (
        f"Combined both for 7C01 ({PERIOD}), update; 1 clash is open.\n"
    )
    assert _stored(clash_path, "7C01")[1:] == (combined, 1)
    # What was clash 2 is now clash 1.
    assert main(["clashes", str(clash_path), "--resolve", "1", "--take", "theirs"]) == 0
    assert (
        capsys.readouterr().out == f"Took theirs for 7C02 ({PERIOD}), status; no clash is open.\n"
    )
    assert _stored(clash_path, "7C02")[::2] == ("Red", 0)
    assert main(["clashes", str(clash_path)]) == 0
    assert capsys.readouterr().out == "No clash is open in sample.scrutiny.\n"


def test_clashes_resolve_by_mine_keeps_the_plan_and_then_lets_it_lock(
    clash_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["signoff", str(clash_path), *(f"--waive={r}" for r in _refs(clash_path))]) == 0
    assert main(["lock", str(clash_path), "--period", PERIOD]) == 1
    assert "2 clashes in it are open" in capsys.readouterr().err
    assert main(["clashes", str(clash_path), "--resolve", "2", "--take", "mine"]) == 0
    assert (
        main(["clashes", str(clash_path), "--resolve", "1", "--take", "mine", "--who", "Al"]) == 0
    )
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Kept mine for 7C01 ({PERIOD}), update; no clash is open."
    )
    assert _stored(clash_path, "7C01")[1:] == ("OPCC: awaiting decision.", 0)
    assert _stored(clash_path, "7C02")[0] == "Blue"
    with Document.open(clash_path, read_only=True) as doc:
        assert [c.resolved_by for c in clashes.clashes(doc, include_resolved=True)] == [
            "Al",
            getpass.getuser(),
        ]
    assert main(["lock", str(clash_path), "--period", PERIOD]) == 0
    assert _locked(clash_path)


def test_clashes_bad_number_or_way_is_one_sentence(
    clash_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = clash_path.read_bytes()
    assert main(["clashes", str(clash_path), "--resolve", "3", "--take", "theirs"]) == 1
    assert _one_sentence(capsys) == (
        "There is no clash 3; 2 clashes are open "
        "(run 'scrutineer clashes sample.scrutiny' to list them)."
    )
    assert main(["clashes", str(clash_path), "--resolve", "2", "--combined", "Blue-Red"]) == 1
    assert _one_sentence(capsys) == f"The status of 7C02 ({PERIOD}) cannot be combined."
    assert main(["clashes", str(clash_path), "--resolve", "1"]) == 1
    assert _one_sentence(capsys).startswith("Say how to resolve it")
    assert clash_path.read_bytes() == before
    assert _stored(clash_path, "7C02")[::2] == ("Blue", 2)
