"""Signing off updates: draft, submitted, accepted or sent back, waived; and locking a period.

An update moves draft → submitted (the lead returns it, or a merge brings it in) →
accepted, or returned (sent back to the lead, who submits again). The office may also
waive an update it does not need, or accept one it wrote itself. An update with no
sign-off row is a draft. A period can
only be locked once every one of its updates is accepted or waived and none of its clashes
is open; :func:`lock_period` is the check, and the windows and command line call it rather
than ``db.edits.lock_period``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from db import errors, reads
from db.changes import Changes, RowChange
from db.document import Document, new_id, now
from db.edits import describe
from db.edits import lock_period as _lock
from db.model import Action, PlanData, Update

STATES = ("draft", "submitted", "accepted", "returned", "waived")
DONE = ("accepted", "waived")
LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "accepted": "Accepted",
    "returned": "Sent back",
    "waived": "Waived",
}
# Which state may follow which; the office may change its mind about accepting or waiving.
_NEXT = {
    # The office may accept an update it wrote itself, with no lead to submit it.
    "draft": {"submitted", "accepted", "waived"},
    "submitted": {"accepted", "returned", "waived", "submitted"},
    # A lead may resubmit by telephone or e-mail, or in a return that clashed: the office
    # may accept an update it sent back without waiting for a merge to mark it submitted.
    "returned": {"submitted", "accepted", "waived"},
    "accepted": {"returned", "waived"},
    "waived": {"draft", "submitted", "accepted"},
}


def allowed(current: str, state: str) -> bool:
    """Return whether an update that is ``current`` may be moved to ``state``."""
    return state in _NEXT.get(current, set())


@dataclass(frozen=True)
class SignOff:
    """An update's sign-off state, with who set it and when."""

    update_id: str
    state: str = "draft"
    who: str = ""
    at: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        """Return the state as a person reads it ("Sent back")."""
        return LABELS[self.state]


def sign_off(doc: Document, update_id: str) -> SignOff:
    """Return an update's sign-off (a draft when none has been recorded)."""
    row = doc.conn.execute("SELECT * FROM signoffs WHERE update_id = ?", (update_id,)).fetchone()
    if row is None:
        return SignOff(update_id)
    return SignOff(row["update_id"], row["state"], row["who"], row["at"], row["note"])


def period_sign_offs(doc: Document, period_id: str) -> dict[str, SignOff]:
    """Return the sign-off of every update of a period, keyed by update id."""
    found: dict[str, SignOff] = {}
    for row in doc.conn.execute(
        "SELECT u.id, s.state, s.who, s.at, s.note FROM updates u "
        "LEFT JOIN signoffs s ON s.update_id = u.id WHERE u.period_id = ?",
        (period_id,),
    ):
        found[row[0]] = SignOff(row[0], row[1] or "draft", row[2] or "", row[3] or "", row[4] or "")
    return found


def state_row(doc: Document, update_id: str, state: str, who: str, note: str = "") -> RowChange:
    """Return the change that sets an update's sign-off state (for building bigger edits)."""
    if state not in STATES:
        raise ValueError(f"not a sign-off state: {state!r}")
    before = doc.conn.execute("SELECT * FROM signoffs WHERE update_id = ?", (update_id,)).fetchone()
    values = {"update_id": update_id, "state": state, "who": who, "at": now(), "note": note}
    if before is None:
        return RowChange("signoffs", new_id(), None, values)
    return RowChange("signoffs", before["id"], dict(before), {**dict(before), **values})


def check_move(doc: Document, update_id: str, state: str) -> dict[str, object]:
    """Return an update's row when it may move to ``state`` now; change nothing.

    What :func:`set_state` checks first, so a caller with several moves to make (the
    command line) can check them all before it makes any.

    Raises:
        ScrutineerError: the update does not exist, its period is locked, or it cannot
            move to ``state`` from where it is (a draft cannot be sent back before it is
            submitted).
    """
    update = doc.row("updates", update_id)
    if update is None:
        raise errors.StaleEditError("That update no longer exists (a merge or undo removed it).")
    period = doc.row("periods", str(update["period_id"])) or {}
    if period.get("locked"):
        # A locked period was published with every update signed off; it stays that way.
        raise errors.ScrutineerError(
            f"Period {period['label']} is locked, so the sign-off of its updates cannot "
            "change; unlock it first."
        )
    current = sign_off(doc, update_id).state
    if not allowed(current, state):
        raise errors.ScrutineerError(
            f"An update that is {LABELS[current].lower()} cannot be marked "
            f"{LABELS.get(state, state).lower()}."
        )
    return update


def set_state(doc: Document, update_id: str, state: str, note: str = "") -> Changes:
    """Move an update to ``state`` in one undoable step, recording who and when.

    Raises:
        ScrutineerError: the update does not exist, or cannot move to ``state`` from where
            it is (a draft cannot be sent back before it is submitted).
    """
    update = check_move(doc, update_id, state)
    change = state_row(doc, update_id, state, doc.who, note)
    verb = {"returned": "Send back"}.get(state, f"Mark {LABELS[state].lower()}")
    return doc.apply(Changes(f"{verb} {describe(doc, 'updates', update)}", (change,)))


_VERBS = {"returned": "Send back", "accepted": "Accept", "waived": "Waive", "submitted": "Submit"}


@dataclass(frozen=True)
class Row:
    """One update of a period with its action and sign-off, as the lists show it."""

    action: Action
    update: Update
    sign_off: SignOff


def period_rows(doc: Document, period_id: str) -> list[Row]:
    """Return each update of a period with its action and sign-off, in the plan's order.

    What the sign-off window lists and ``scrutineer signoff`` prints.
    """
    updates = reads.updates(doc, period_id)
    offs = period_sign_offs(doc, period_id)
    return [
        Row(a, updates[a.id], offs.get(updates[a.id].id) or SignOff(updates[a.id].id))
        for a in reads.actions(doc)
        if a.id in updates
    ]


def waiting(doc: Document, period_id: str, *, drafts: bool = False) -> list[str]:
    """Return the updates of a period that wait to be accepted: submitted (and drafts).

    A draft is one nobody submitted: most often an update the office wrote itself.
    """
    wanted = {"submitted", "draft"} if drafts else {"submitted"}
    return [r.update.id for r in period_rows(doc, period_id) if r.sign_off.state in wanted]


def move_all(doc: Document, moves: Iterable[tuple[str, str, str]]) -> Changes:
    """Make several sign-off moves, each (update id, state, note), in one undoable step.

    Every move is checked before any is made, so a refused one changes nothing.

    Raises:
        ScrutineerError: a move is not allowed; the sentence names its update.
    """
    rows: list[RowChange] = []
    named: list[tuple[str, str]] = []
    for update_id, state, note in moves:
        try:
            update = check_move(doc, update_id, state)
        except errors.StaleEditError:
            raise
        except errors.ScrutineerError as exc:
            name = describe(doc, "updates", doc.row("updates", update_id) or {})
            raise errors.ScrutineerError(f"{name}: {str(exc)[:1].lower()}{str(exc)[1:]}") from exc
        rows.append(state_row(doc, update_id, state, doc.who, note))
        named.append((state, describe(doc, "updates", update)))
    states = {state for state, _ in named}
    if len(named) == 1:
        text = f"{_VERBS[named[0][0]]} {named[0][1]}"
    elif len(states) == 1:
        text = f"{_VERBS[next(iter(states))]} {len(named)} updates"
    else:
        text = f"Sign off {len(named)} updates"
    return doc.apply(Changes(text, tuple(rows)))


def set_states(doc: Document, update_ids: Iterable[str], state: str, note: str = "") -> Changes:
    """Move the updates ``update_ids`` to ``state`` in one step; those already there stay as they are."""
    return move_all(doc, [(u, state, note) for u in update_ids if sign_off(doc, u).state != state])


def submit(doc: Document, update_id: str) -> Changes:
    """Mark an update submitted by its lead."""
    return set_state(doc, update_id, "submitted")


def accept(doc: Document, update_id: str) -> Changes:
    """Accept a submitted update."""
    return set_state(doc, update_id, "accepted")


def send_back(doc: Document, update_id: str, note: str = "") -> Changes:
    """Send a submitted update back to its lead, with a note saying why."""
    return set_state(doc, update_id, "returned", note)


def waive(doc: Document, update_id: str, note: str = "") -> Changes:
    """Waive an update the office does not need this period."""
    return set_state(doc, update_id, "waived", note)


def update_called(doc: Document, period_id: str, ref: str) -> str:
    """Return the id of the update for ``period_id`` of the action called ``ref``.

    The ref is matched as a person types it: case and spacing are ignored ("7c 01" is
    7C01). For the command line, which names updates by their action's ref.

    Raises:
        ScrutineerError: no action or more than one is called ``ref``, or it has no update
            in the period.
    """
    wanted = "".join(ref.split()).casefold()
    found = [
        (row[0], row[1])
        for row in doc.conn.execute(
            "SELECT a.ref, u.id FROM actions a "
            "LEFT JOIN updates u ON u.action_id = a.id AND u.period_id = ?",
            (period_id,),
        )
        if wanted and "".join(str(row[0]).split()).casefold() == wanted
    ]
    period = doc.row("periods", period_id) or {}
    if not found:
        raise errors.ScrutineerError(f"The plan has no action {ref.strip()!r}.")
    if len(found) > 1:
        raise errors.ScrutineerError(
            f"{len(found)} actions are called {found[0][0]}; give them different refs so "
            "each can be named."
        )
    name, update_id = found[0]
    if update_id is None:
        raise errors.ScrutineerError(
            f"{name} has no update for {period.get('label')}, so there is nothing to sign off."
        )
    return str(update_id)


def unfinished(doc: Document, period_id: str) -> list[str]:
    """Return how each update of a period that is neither accepted nor waived is named."""
    rows = doc.conn.execute(
        "SELECT a.ref, a.activity FROM updates u JOIN actions a ON a.id = u.action_id "
        "LEFT JOIN signoffs s ON s.update_id = u.id "
        f"WHERE u.period_id = ? AND coalesce(s.state, 'draft') NOT IN {DONE!r}",
        (period_id,),
    )
    return sorted(describe(doc, "actions", dict(r)) for r in rows)


def lock_period(doc: Document, period_id: str) -> Changes:
    """Lock a period once every update is accepted or waived and no clash in it is open.

    Raises:
        ScrutineerError: an update still waits for sign-off, or a clash is open.
    """
    period = doc.row("periods", period_id)
    if period is None:
        raise errors.StaleEditError("That period no longer exists (a merge or undo removed it).")
    waiting = unfinished(doc, period_id)
    if waiting:
        shown = ", ".join(waiting[:5]) + (
            f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        )
        raise errors.ScrutineerError(
            f"Period {period['label']} cannot be locked until every update is accepted or "
            f"waived; still waiting: {shown}."
        )
    open_clashes = doc.conn.execute(
        "SELECT count(*) FROM clashes c JOIN updates u ON u.id = c.record_id "
        "WHERE c.status = 'open' AND u.period_id = ?",
        (period_id,),
    ).fetchone()[0]
    if open_clashes:
        raise errors.ScrutineerError(
            f"Period {period['label']} cannot be locked while {open_clashes} clash"
            f"{'es' if open_clashes != 1 else ''} in it "
            f"{'are' if open_clashes != 1 else 'is'} open; resolve them first."
        )
    return _lock(doc, period_id, True)


def accepted_ids(doc: Document) -> set[str]:
    """Return the ids of every accepted update."""
    return {
        r[0] for r in doc.conn.execute("SELECT update_id FROM signoffs WHERE state = 'accepted'")
    }


def accepted_only(data: PlanData, doc: Document) -> PlanData:
    """Return ``data`` holding only the updates the office has accepted, for printing.

    Every other update (its status and text) is left out, so the appendix shows nothing
    rather than an unapproved update.
    """
    keep = accepted_ids(doc)
    return dataclasses.replace(data, updates=[u for u in data.updates if u.id in keep])
