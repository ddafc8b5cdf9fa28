"""Merging returns: one-side changes come in, both-side changes clash, nothing is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import clashes, edits, merge, reads, signoff
from db.document import Document
from db.errors import LockedPeriodError, ScrutineerError
from db.model import ReturnedSheet, ReturnedUpdate
from db.sample import write_sample

PLAN_TABLES = (
    "plan", "statuses", "periods", "leads", "themes", "actions", "action_leads", "updates",
    "milestones", "measures", "performance",
)  # fmt: skip


def _copy(doc: Document, path: Path, who: str) -> Document:
    """Send ``doc`` to a lead: a clean copy, opened as the lead would open it."""
    doc.save_copy(path)
    return Document.open(path, who=who)


def _action(doc: Document, ref: str):
    return next(a for a in reads.actions(doc) if a.ref == ref)


def _period(doc: Document):
    return reads.periods(doc)[-1]


def _update(doc: Document, ref: str):
    return reads.update(doc, _action(doc, ref).id, _period(doc).id)


def _status(doc: Document, code: str) -> str:
    return next(s.id for s in reads.statuses(doc) if s.code == code)


def _set_text(doc: Document, ref: str, text: str) -> None:
    edits.set_update(doc, _action(doc, ref).id, _period(doc).id, text=text)


def _set_status(doc: Document, ref: str, code: str) -> None:
    edits.set_update(doc, _action(doc, ref).id, _period(doc).id, status_id=_status(doc, code))


def _merge(doc: Document, path: Path) -> merge.MergeReport:
    with Document.open(path, read_only=True) as theirs:
        return merge.merge_copy(doc, theirs)


def _dump(doc: Document) -> dict[str, list[tuple]]:
    return {
        t: sorted(tuple(r) for r in doc.conn.execute(f"SELECT * FROM {t}")) for t in PLAN_TABLES
    }


def test_change_made_in_the_return_only_comes_in_with_its_origin(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "return-kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C01", "10.10.17 - Alliance work streams agreed.")
        _set_status(copy, "7C01", "G")
    report = _merge(sample_doc, returned)
    update = _update(sample_doc, "7C01")
    assert update.text == "10.10.17 - Alliance work streams agreed."
    assert update.status_id == _status(sample_doc, "G")
    assert not report.clashes
    assert report.came_in in (
        ["7C01 (Q2 2017/18): update, status"],
        ["7C01 (Q2 2017/18): status, update"],
    )
    history = [h for h in reads.history(sample_doc, [update.id]) if h.field == "text"]
    assert history[0].origin == "return-kd.scrutiny" and history[0].who == "KD"
    assert signoff.sign_off(sample_doc, update.id).state == "submitted"
    assert "return-kd.scrutiny" in str(report) and "7C01" in str(report)


def test_change_made_here_only_stays_and_other_fields_still_come_in(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "cr.scrutiny"
    with _copy(sample_doc, returned, "CR") as copy:
        _set_status(copy, "7C02", "R")
    _set_text(sample_doc, "7C02", "Office rewrote this.")
    report = _merge(sample_doc, returned)
    update = _update(sample_doc, "7C02")
    assert update.text == "Office rewrote this."
    assert update.status_id == _status(sample_doc, "R")
    assert not report.clashes


def test_both_sides_changing_a_field_is_a_clash_keeping_both_texts(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C01", "Lead's words.")
    _set_text(sample_doc, "7C01", "Office's words.")
    report = _merge(sample_doc, returned)
    assert _update(sample_doc, "7C01").text == "Office's words."
    [clash] = report.clashes
    assert (clash.ref, clash.field, clash.mine, clash.theirs) == (
        "7C01 (Q2 2017/18)", "text", "Office's words.", "Lead's words."
    )  # fmt: skip
    assert [c.id for c in clashes.clashes(sample_doc)] == [clash.id]
    assert clashes.open_clash_count(sample_doc) == 1
    assert "clash: 7C01 (Q2 2017/18), update" in str(report)
    clashes.resolve(sample_doc, clash.id, "combined", "Office's words. Lead's words.")
    assert _update(sample_doc, "7C01").text == "Office's words. Lead's words."
    assert clashes.open_clash_count(sample_doc) == 0
    assert clashes.clash(sample_doc, clash.id).resolution == "combined"


def test_merging_the_same_return_twice_changes_nothing(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C01", "Lead's words.")
        _set_text(copy, "7C06", "Lead's other words.")
        edits.delete(copy, "actions", _action(copy, "7C08").id)
        theme = reads.themes(copy)[0].id
        added = edits.add(copy, "actions", theme_id=theme, ref="7C10", activity="New work")
        edits.set_leads(copy, added.rows[0].id, ["KD", "New Lead"])
        edits.add(copy, "measures", theme_id=theme, number="7.9", measure="Calls answered")
    _set_text(sample_doc, "7C06", "Office's words.")
    first = _merge(sample_doc, returned)
    assert first.came_in and len(first.clashes) == 1
    after_first = _dump(sample_doc)
    clashes_first = clashes.clashes(sample_doc, include_resolved=True)
    second = _merge(sample_doc, returned)
    assert not second.came_in and not second.clashes and not second.changes
    assert _dump(sample_doc) == after_first
    assert clashes.clashes(sample_doc, include_resolved=True) == clashes_first
    assert "Nothing new came in" in str(second)
    assert "Calls answered" in [m.measure for m in reads.measures(sample_doc)]
    # What the return added and deleted did arrive the first time.
    assert _action(sample_doc, "7C10").leads == ("KD", "New Lead")
    assert not [a for a in reads.actions(sample_doc) if a.ref == "7C08"]


def test_order_of_non_clashing_returns_does_not_matter(tmp_path: Path) -> None:
    with write_sample(tmp_path / "office.scrutiny", who="Office") as office:
        office.save_copy(tmp_path / "first.scrutiny")
        office.save_copy(tmp_path / "second.scrutiny")
        with _copy(office, tmp_path / "a.scrutiny", "KD") as a:
            _set_text(a, "7C01", "From KD.")
            edits.add_period(a, "Q3 2017/18", "2017-04-01", "2017-12-31")
            _set_text(a, "7C06", "KD in Q3.")
        with _copy(office, tmp_path / "b.scrutiny", "CR") as b:
            _set_text(b, "7C02", "From CR.")
            edits.add_period(b, "Q3 2017/18", "2017-04-01", "2017-12-31")
            q3 = _period(b).id
            edits.set_update(b, _action(b, "7C02").id, q3, text="CR in Q3.")
    dumps = []
    for order in (("a", "b"), ("b", "a")):
        target = tmp_path / ("first.scrutiny" if order == ("a", "b") else "second.scrutiny")
        with Document.open(target, who="Office") as doc:
            for name in order:
                assert not _merge(doc, tmp_path / f"{name}.scrutiny").clashes
            dumps.append(_by_value(doc))
    assert dumps[0] == dumps[1]
    with Document.open(tmp_path / "first.scrutiny") as doc:
        assert [p.label for p in reads.periods(doc)] == ["Q2 2017/18", "Q3 2017/18"]
        assert reads.update(doc, _action(doc, "7C02").id, _period(doc).id).text == "CR in Q3."
        assert _update_in(doc, "7C01", "Q2 2017/18").text == "From KD."


def _update_in(doc: Document, ref: str, label: str):
    period = next(p for p in reads.periods(doc) if p.label == label)
    return reads.update(doc, _action(doc, ref).id, period.id)


def _by_value(doc: Document) -> list[tuple]:
    """Return the plan as refs and values, ignoring ids that differ between the two orders."""
    periods = {p.id: p.label for p in reads.periods(doc)}
    statuses = {s.id: s.code for s in reads.statuses(doc)}
    rows = []
    for action in reads.actions(doc):
        for update in doc.conn.execute("SELECT * FROM updates WHERE action_id = ?", (action.id,)):
            rows.append(
                (
                    action.ref,
                    action.leads,
                    periods[update["period_id"]],
                    statuses.get(update["status_id"]),
                    update["text"],
                )
            )
    return sorted(rows, key=repr)


def test_deleted_in_the_return_but_edited_here_is_a_clash(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        edits.delete(copy, "actions", _action(copy, "7C07").id)
        edits.delete(copy, "actions", _action(copy, "7C08").id)
    _set_text(sample_doc, "7C07", "Still needed, says the office.")
    report = _merge(sample_doc, returned)
    assert [(c.ref, c.kind) for c in report.clashes] == [("7C07", "deleted_there")]
    assert _update(sample_doc, "7C07").text == "Still needed, says the office."
    assert not [a for a in reads.actions(sample_doc) if a.ref == "7C08"]
    clashes.resolve(sample_doc, report.clashes[0].id, "theirs")
    assert not [a for a in reads.actions(sample_doc) if a.ref == "7C07"]


def test_deleted_here_but_edited_in_the_return_is_a_clash_that_restores_it(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C07", "The lead still reports on this.")
    before = _action(sample_doc, "7C07")
    edits.delete(sample_doc, "actions", before.id)
    report = _merge(sample_doc, returned)
    [clash] = report.clashes
    assert (clash.ref, clash.kind, clash.record_id) == ("7C07", "deleted_here", before.id)
    assert not [a for a in reads.actions(sample_doc) if a.ref == "7C07"]
    clashes.resolve(sample_doc, clash.id, "theirs")
    restored = _action(sample_doc, "7C07")
    assert restored.leads == before.leads and restored.activity == before.activity
    assert _update(sample_doc, "7C07").text == "The lead still reports on this."


def test_resolving_with_mine_keeps_the_plan_and_is_undoable(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_status(copy, "7C01", "R")
    _set_status(sample_doc, "7C01", "B")
    [clash] = _merge(sample_doc, returned).clashes
    assert clashes.shown(sample_doc, clash, clash.theirs) == "Red"
    assert not clash.editable
    with pytest.raises(ScrutineerError, match="cannot be combined"):
        clashes.resolve(sample_doc, clash.id, "combined", "Purple")
    done = clashes.resolve(sample_doc, clash.id, "mine")
    assert _update(sample_doc, "7C01").status_id == _status(sample_doc, "B")
    with pytest.raises(ScrutineerError, match="already been resolved"):
        clashes.resolve(sample_doc, clash.id, "theirs")
    edits.undo(sample_doc, done)
    assert clashes.open_clash_count(sample_doc) == 1


def test_a_merge_is_one_undoable_step(sample_doc: Document, tmp_path: Path) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C01", "Lead's words.")
        _set_text(copy, "7C06", "More words.")
    _set_text(sample_doc, "7C06", "Office's words.")
    before = _dump(sample_doc)
    report = _merge(sample_doc, returned)
    assert _dump(sample_doc) != before
    edits.undo(sample_doc, report.changes)
    assert _dump(sample_doc) == before
    assert clashes.open_clash_count(sample_doc) == 0


def test_a_copy_of_another_plan_is_refused_and_nothing_changes(
    sample_doc: Document, tmp_path: Path
) -> None:
    other = tmp_path / "other.scrutiny"
    write_sample(other).close()
    before = _dump(sample_doc)
    with pytest.raises(merge.MergeRefused, match="different plan"):
        _merge(sample_doc, other)
    assert _dump(sample_doc) == before


def test_a_return_touching_a_locked_period_is_refused_whole(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C01", "Too late.")
    edits.lock_period(sample_doc, _period(sample_doc).id)
    before = _dump(sample_doc)
    with pytest.raises(LockedPeriodError):
        _merge(sample_doc, returned)
    assert _dump(sample_doc) == before


def test_the_returned_file_is_never_written(sample_doc: Document, tmp_path: Path) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        _set_text(copy, "7C01", "Lead's words.")
    data = returned.read_bytes()
    _merge(sample_doc, returned)
    assert returned.read_bytes() == data
    assert not returned.with_name(returned.name + "-journal").exists()


# -- spreadsheets -----------------------------------------------------------------------------


def _sheet(
    doc: Document, *rows: tuple[str, str | None, str], plan_id: str | None = ""
) -> ReturnedSheet:
    """Make the sheet a lead returns: each row is (ref, status code, text) as they left it."""
    updates = []
    for ref, status, text in rows:
        action = _action(doc, ref)
        sent = reads.update(doc, action.id, _period(doc).id)
        code = {s.id: s.code for s in reads.statuses(doc)}.get(sent.status_id)
        updates.append(ReturnedUpdate(action.id, "7", ref, code, sent.text, status, text))
    plan = reads.plan(doc).id if plan_id == "" else plan_id
    return ReturnedSheet("kd.xlsx", plan, "Q2 2017/18", "KD", updates)


def test_sheet_changes_come_in_and_both_side_changes_clash(sample_doc: Document) -> None:
    sheet = _sheet(
        sample_doc,
        ("7C01", "G", "KD's new update."),
        ("7C06", "A", "KD's words on 7C06."),
        ("7C07", None, _update(sample_doc, "7C07").text),
    )
    _set_text(sample_doc, "7C06", "Office's words on 7C06.")
    report = merge.merge_sheet(sample_doc, sheet)
    assert _update(sample_doc, "7C01").text == "KD's new update."
    assert _update(sample_doc, "7C01").status_id == _status(sample_doc, "G")
    assert [(c.ref, c.field) for c in report.clashes] == [("7C06 (Q2 2017/18)", "text")]
    assert _update(sample_doc, "7C06").text == "Office's words on 7C06."
    # A status the lead cleared is a change like any other.
    assert _update(sample_doc, "7C07").status_id is None
    history = [h for h in reads.history(sample_doc, [_update(sample_doc, "7C01").id])]
    assert {(h.origin, h.who) for h in history if h.field == "text"} == {("kd.xlsx", "KD")}
    again = merge.merge_sheet(sample_doc, sheet)
    assert not again.changes and not again.came_in


def test_sheet_for_an_action_deleted_here_keeps_the_lead_text(sample_doc: Document) -> None:
    sheet = _sheet(sample_doc, ("7C08", "G", "Work on the deleted action."))
    edits.delete(sample_doc, "actions", _action(sample_doc, "7C08").id)
    [clash] = merge.merge_sheet(sample_doc, sheet).clashes
    assert clash.kind == "deleted_here"
    assert clash.theirs == {"status": "G", "text": "Work on the deleted action."}
    with pytest.raises(ScrutineerError, match="cannot be restored"):
        clashes.resolve(sample_doc, clash.id, "theirs")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan_id": "another-plan"}, "different plan"),
        ({"period_label": "Q4 2030/31"}, "does not have"),
        ({"period_label": ""}, "does not say which reporting period"),
        ({"status": "Purple"}, "status key"),
    ],
)
def test_bad_sheet_is_refused_whole(sample_doc: Document, change: dict, message: str) -> None:
    sheet = _sheet(sample_doc, ("7C01", "G", "Fine."), ("7C06", "G", "Also fine."))
    if "status" in change:
        last = sheet.updates[-1]
        sheet.updates[-1] = ReturnedUpdate(
            last.action_id, last.theme_number, last.ref, last.base_status, last.base_text,
            change["status"], last.text,
        )  # fmt: skip
    else:
        sheet = ReturnedSheet(
            sheet.name,
            change.get("plan_id", sheet.plan_id),
            change.get("period_label", sheet.period_label),
            sheet.lead,
            sheet.updates,
        )
    before = _dump(sample_doc)
    with pytest.raises(merge.MergeRefused, match=message):
        merge.merge_sheet(sample_doc, sheet)
    assert _dump(sample_doc) == before


def test_sheet_rows_matched_by_theme_and_ref_without_ids(sample_doc: Document) -> None:
    base = _update(sample_doc, "7C03")
    sheet = ReturnedSheet(
        "old.xlsx", None, "q2 2017/18", None,
        [ReturnedUpdate(None, "7", "7c03", "G", base.text, "B", "Complete.")],
    )  # fmt: skip
    merge.merge_sheet(sample_doc, sheet)
    assert _update(sample_doc, "7C03").text == "Complete."
    assert _update(sample_doc, "7C03").status_id == _status(sample_doc, "B")


def test_history_rows_compare_across_files(sample_path: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(sample_path)
    try:
        sent = conn.execute("SELECT max(id) FROM history").fetchone()[0]
        assert merge.fork_point(conn, conn) == sent
    finally:
        conn.close()
    # A copy edited on both sides after it was sent forks where it was sent.
    with (
        Document.open(sample_path, who="Office") as doc,
        _copy(doc, tmp_path / "kd.scrutiny", "KD") as copy,
    ):
        _set_text(copy, "7C01", "Lead's words.")
        _set_text(doc, "7C02", "Office's words.")
        assert merge.fork_point(doc.conn, copy.conn) == sent
        with write_sample(tmp_path / "other.scrutiny") as other:
            assert merge.fork_point(doc.conn, other.conn) == 0


def test_a_status_deleted_in_the_return_but_used_here_is_kept_as_a_clash(
    sample_doc: Document, tmp_path: Path
) -> None:
    returned = tmp_path / "kd.scrutiny"
    with _copy(sample_doc, returned, "KD") as copy:
        white = next(s.id for s in reads.statuses(copy) if s.code == "W")
        edits.delete(copy, "statuses", white)
    edits.set_update(
        sample_doc, _action(sample_doc, "7C01").id, _period(sample_doc).id, status_id=white
    )
    [clash] = _merge(sample_doc, returned).clashes
    assert (clash.kind, clash.record_id) == ("deleted_there", white)
    assert white in [s.id for s in reads.statuses(sample_doc)]
    clashes.resolve(sample_doc, clash.id, "theirs")
    assert white not in [s.id for s in reads.statuses(sample_doc)]
    assert _update(sample_doc, "7C01").status_id is None


# -- nothing lost: issue 20, finding 1 --------------------------------------------------------


def _texts_in_open_clashes(doc: Document) -> str:
    """Return every value the open clashes hold, as one text to search."""
    return "\n".join(repr((c.mine, c.theirs, c.restore)) for c in clashes.clashes(doc))


def test_two_leads_writing_on_an_action_deleted_here_each_keep_their_text(
    sample_doc: Document, tmp_path: Path
) -> None:
    """The finding: the second lead's text was in neither the plan nor any clash."""
    first, second = tmp_path / "kd.scrutiny", tmp_path / "cr.scrutiny"
    with _copy(sample_doc, first, "KD") as copy:
        _set_text(copy, "7C07", "KD's words on 7C07.")
    with _copy(sample_doc, second, "CR") as copy:
        _set_text(copy, "7C07", "CR's words on 7C07.")
    edits.delete(sample_doc, "actions", _action(sample_doc, "7C07").id)
    [one] = _merge(sample_doc, first).clashes
    assert str(one) == "7C07: deleted here but changed in kd.scrutiny"
    report = _merge(sample_doc, second)
    assert "Nothing new came in" not in str(report)
    [two] = report.clashes
    assert str(two) == "7C07: deleted here but changed in cr.scrutiny"
    held = _texts_in_open_clashes(sample_doc)
    assert "KD's words on 7C07." in held and "CR's words on 7C07." in held
    # Each clash brings back its own lead's text; the second takes theirs over the first.
    clashes.resolve(sample_doc, one.id, "theirs")
    assert _update(sample_doc, "7C07").text == "KD's words on 7C07."
    clashes.resolve(sample_doc, two.id, "theirs")
    assert _update(sample_doc, "7C07").text == "CR's words on 7C07."
    # Merging either again changes nothing.
    assert not _merge(sample_doc, first).changes and not _merge(sample_doc, second).changes


def test_a_deletion_meeting_an_edit_keeps_the_record_whichever_arrives_first(
    tmp_path: Path,
) -> None:
    with write_sample(tmp_path / "office.scrutiny", who="Office") as office:
        office.save_copy(tmp_path / "first.scrutiny")
        office.save_copy(tmp_path / "second.scrutiny")
        with _copy(office, tmp_path / "deletes.scrutiny", "KD") as a:
            edits.delete(a, "actions", _action(a, "7C07").id)
        with _copy(office, tmp_path / "edits.scrutiny", "CR") as b:
            _set_text(b, "7C07", "CR still reports on 7C07.")
    dumps = []
    for target, order in (("first", ("deletes", "edits")), ("second", ("edits", "deletes"))):
        with Document.open(tmp_path / f"{target}.scrutiny", who="Office") as doc:
            reports = [_merge(doc, tmp_path / f"{name}.scrutiny") for name in order]
            assert _update(doc, "7C07").text == "CR still reports on 7C07."
            [clash] = clashes.clashes(doc)
            assert str(clash) == "7C07: deleted in deletes.scrutiny but changed here"
            dumps.append(_dump(doc))
            for name in order:  # merging either again changes nothing
                assert not _merge(doc, tmp_path / f"{name}.scrutiny").changes
            assert reports
    assert dumps[0] == dumps[1]
