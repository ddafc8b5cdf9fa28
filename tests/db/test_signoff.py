"""Sign-off: draft → submitted → accepted or sent back, waived; locking needs every update done."""

from __future__ import annotations

import pytest

from db import edits, reads, signoff
from db.document import Document
from db.errors import ScrutineerError


def _period(doc: Document):
    return reads.periods(doc)[-1]


def _updates(doc: Document) -> list[str]:
    return sorted(reads.updates(doc, _period(doc).id)[a.id].id for a in reads.actions(doc))


def test_an_update_moves_through_the_states_with_who_and_when(sample_doc: Document) -> None:
    update_id = _updates(sample_doc)[0]
    assert signoff.sign_off(sample_doc, update_id).state == "draft"
    with pytest.raises(ScrutineerError, match="draft cannot be marked sent back"):
        signoff.send_back(sample_doc, update_id)
    signoff.submit(sample_doc, update_id)
    back = signoff.send_back(sample_doc, update_id, "Say what the savings were.")
    with pytest.raises(ScrutineerError, match="sent back cannot be marked sent back"):
        signoff.send_back(sample_doc, update_id)
    state = signoff.sign_off(sample_doc, update_id)
    assert (state.state, state.label, state.who, state.note) == (
        "returned", "Sent back", "Tester", "Say what the savings were."
    )  # fmt: skip
    assert state.at
    assert back.text.startswith("Send back ")
    signoff.submit(sample_doc, update_id)
    signoff.accept(sample_doc, update_id)
    assert signoff.sign_off(sample_doc, update_id).state == "accepted"
    fields = {h.field for h in reads.history(sample_doc, [back.rows[0].id])}
    assert "state" in fields


def test_a_sent_back_update_the_lead_resubmitted_by_hand_can_be_accepted(
    sample_doc: Document,
) -> None:
    # Resubmitted by e-mail, or in a return whose update clashed: no merge marked it submitted.
    update_id = _updates(sample_doc)[0]
    signoff.submit(sample_doc, update_id)
    signoff.send_back(sample_doc, update_id, "Say what the savings were.")
    signoff.accept(sample_doc, update_id)
    assert signoff.sign_off(sample_doc, update_id).state == "accepted"


def test_moves_in_bulk_are_one_step_and_all_or_nothing(sample_doc: Document) -> None:
    ids = _updates(sample_doc)
    signoff.submit(sample_doc, ids[0])
    with pytest.raises(
        ScrutineerError,
        match=r"^\S+ \(Q2 2017/18\): an update that is draft cannot be marked sent back",
    ):
        signoff.set_states(sample_doc, ids[:2], "returned", "More, please.")
    assert signoff.sign_off(sample_doc, ids[0]).state == "submitted"
    assert signoff.waiting(sample_doc, _period(sample_doc).id) == [ids[0]]
    assert len(signoff.waiting(sample_doc, _period(sample_doc).id, drafts=True)) == len(ids)
    changes = signoff.set_states(sample_doc, ids, "accepted")
    assert changes.text == f"Accept {len(ids)} updates"
    assert {signoff.sign_off(sample_doc, u).state for u in ids} == {"accepted"}
    # Already accepted: nothing to do, and nothing refused.
    assert not signoff.set_states(sample_doc, ids[:3], "accepted")


def test_the_office_accepts_an_update_it_wrote_itself(sample_doc: Document) -> None:
    update_id = _updates(sample_doc)[1]
    signoff.accept(sample_doc, update_id)
    assert signoff.sign_off(sample_doc, update_id).state == "accepted"


def test_sign_off_is_undoable(sample_doc: Document) -> None:
    update_id = _updates(sample_doc)[0]
    changes = signoff.submit(sample_doc, update_id)
    edits.undo(sample_doc, changes)
    assert signoff.sign_off(sample_doc, update_id).state == "draft"


def test_a_period_locks_only_when_every_update_is_accepted_or_waived(
    sample_doc: Document,
) -> None:
    period = _period(sample_doc)
    ids = _updates(sample_doc)
    with pytest.raises(ScrutineerError, match="still waiting: 7C01, 7C02"):
        signoff.lock_period(sample_doc, period.id)
    for update_id in ids[:-1]:
        signoff.submit(sample_doc, update_id)
        signoff.accept(sample_doc, update_id)
    with pytest.raises(ScrutineerError, match="cannot be locked"):
        signoff.lock_period(sample_doc, period.id)
    assert not reads.periods(sample_doc)[-1].locked
    signoff.waive(sample_doc, ids[-1], "Action closed last quarter.")
    signoff.lock_period(sample_doc, period.id)
    assert reads.periods(sample_doc)[-1].locked


def test_accepted_only_leaves_out_every_other_update(sample_doc: Document) -> None:
    ids = _updates(sample_doc)
    signoff.submit(sample_doc, ids[0])
    signoff.accept(sample_doc, ids[0])
    signoff.submit(sample_doc, ids[1])
    data = reads.read_plan(sample_doc)
    printed = signoff.accepted_only(data, sample_doc)
    assert [u.id for u in printed.updates] == [ids[0]]
    assert len(data.updates) == len(ids)  # the plan read is left as it was
    assert printed.update_for(printed.updates[0].action_id, _period(sample_doc).id) is not None


def test_an_open_clash_stops_the_period_being_locked(sample_doc: Document, tmp_path) -> None:
    from db import clashes, merge

    returned = tmp_path / "kd.scrutiny"
    sample_doc.save_copy(returned)
    period = _period(sample_doc)
    with Document.open(returned, who="KD") as copy:
        action = reads.actions(copy)[0]
        edits.set_update(copy, action.id, period.id, text="KD's words.")
    edits.set_update(sample_doc, reads.actions(sample_doc)[0].id, period.id, text="OPCC's words.")
    with Document.open(returned, read_only=True) as theirs:
        [clash] = merge.merge_copy(sample_doc, theirs).clashes
    for update_id in _updates(sample_doc):
        signoff.waive(sample_doc, update_id)
    with pytest.raises(ScrutineerError, match="1 clash in it is open"):
        signoff.lock_period(sample_doc, period.id)
    clashes.resolve(sample_doc, clash.id, "mine")
    signoff.lock_period(sample_doc, period.id)
    assert reads.periods(sample_doc)[-1].locked


def test_update_called_finds_an_update_by_its_action_ref(sample_doc: Document) -> None:
    period = _period(sample_doc)
    action = next(a for a in reads.actions(sample_doc) if a.ref == "7C02")
    expected = reads.updates(sample_doc, period.id)[action.id].id
    assert signoff.update_called(sample_doc, period.id, "7C02") == expected
    assert signoff.update_called(sample_doc, period.id, " 7c 02 ") == expected
    with pytest.raises(ScrutineerError, match="The plan has no action '7X99'"):
        signoff.update_called(sample_doc, period.id, "7X99")
    edits.edit(sample_doc, "actions", reads.actions(sample_doc)[0].id, ref="7C02")
    with pytest.raises(ScrutineerError, match="2 actions are called 7C02"):
        signoff.update_called(sample_doc, period.id, "7C02")


def test_update_called_refuses_an_action_without_an_update(sample_doc: Document) -> None:
    later = edits.add_period(sample_doc, "Q3 2017/18")
    period_id = next(r.id for r in later.rows if r.table == "periods")
    action = next(a for a in reads.actions(sample_doc) if a.ref == "7C01")
    edits.delete(sample_doc, "updates", reads.updates(sample_doc, period_id)[action.id].id)
    other = next(a for a in reads.actions(sample_doc) if a.ref == "7C02")
    assert (
        signoff.update_called(sample_doc, period_id, "7C02")
        == reads.updates(sample_doc, period_id)[other.id].id
    )
    with pytest.raises(ScrutineerError, match="7C01 has no update for Q3 2017/18"):
        signoff.update_called(sample_doc, period_id, "7C01")


def test_check_move_refuses_as_set_state_would_and_changes_nothing(sample_doc: Document) -> None:
    update_id = _updates(sample_doc)[0]
    assert signoff.check_move(sample_doc, update_id, "accepted")["id"] == update_id
    with pytest.raises(ScrutineerError, match="draft cannot be marked sent back"):
        signoff.check_move(sample_doc, update_id, "returned")
    assert signoff.sign_off(sample_doc, update_id).state == "draft"


def test_a_locked_period_s_sign_off_cannot_change(sample_doc: Document) -> None:
    update_ids = _updates(sample_doc)
    for update_id in update_ids:
        signoff.accept(sample_doc, update_id)
    signoff.lock_period(sample_doc, _period(sample_doc).id)
    with pytest.raises(ScrutineerError, match="is locked, so the sign-off"):
        signoff.send_back(sample_doc, update_ids[0], "Too late")
    assert signoff.sign_off(sample_doc, update_ids[0]).state == "accepted"
