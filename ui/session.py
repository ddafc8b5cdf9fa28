"""The open document as the windows see it: its undo stack and one signal for every change."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from db import edits, safety
from db.changes import Changes, RowChange
from db.document import Document
from db.errors import ScrutineerError
from ui import messages

# How often the file is asked whether anyone else (another window, a merge from the command
# line) has committed to it; the windows agree with the file within this time.
OUTSIDE_POLL_MS = 400
STATUS_MERGE_ID = 1
TYPING_MERGE_ID = 2


class EditCommand(QUndoCommand):
    """One committed edit on the undo stack; its text is the one db gave it."""

    def __init__(self, session: Session, changes: Changes, burst: object = None) -> None:
        super().__init__(changes.text)
        self.session = session
        self.changes = changes
        self.burst = burst  # the run of typing this commit belongs to, if it is typing
        # The edit is already committed when it is pushed, so the stack's first redo is a no-op.
        self._pushed = False

    def id(self) -> int:
        """Return the merge id.

        Status choices for one update merge, so arrowing through a list is one step; so do the
        commits one run of typing makes in one field (each pause in the typing commits).
        """
        rows = self.changes.rows
        if len(rows) != 1:
            return -1
        if self.burst is not None:
            return TYPING_MERGE_ID
        if rows[0].table == "updates" and rows[0].changed_fields() == ["status_id"]:
            return STATUS_MERGE_ID
        return -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Fold another status choice, or more of the same typing, into this step."""
        if not isinstance(other, EditCommand) or other.id() != self.id() or self.id() == -1:
            return False
        mine, theirs = self.changes.rows[0], other.changes.rows[0]
        if (mine.table, mine.id) != (theirs.table, theirs.id) or other.burst != self.burst:
            return False
        merged = RowChange(mine.table, mine.id, mine.before, theirs.after)
        self.changes = Changes(self.changes.text, (merged,))
        # Choosing the status it started with leaves nothing to undo.
        self.setObsolete(not merged.changed_fields())
        return True

    def redo(self) -> None:
        """Apply the edit again (skipped when first pushed: it is committed already)."""
        if not self._pushed:
            self._pushed = True
            return
        self._run(edits.redo)

    def undo(self) -> None:
        """Take the edit back."""
        self._run(edits.undo)

    def _run(self, step: Callable[[Document, Changes], Changes]) -> None:
        try:
            step(self.session.doc, self.changes)
        except ScrutineerError as exc:
            # The records moved on (a merge, say); this step can no longer be taken back.
            self.setObsolete(True)
            messages.error(str(exc))
            return
        self.session.changed.emit(self.changes)
        self.session.replayed.emit(self.changes)


class Session(QObject):
    """An open plan, its undo history, and the signal views listen to."""

    changed = Signal(object)  # the Changes just applied, undone or redone
    replayed = Signal(object)  # the Changes just undone or redone (after ``changed``)
    outside = Signal()  # someone else committed to the file: read everything shown again

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.stack = QUndoStack(self)
        self.closed = False
        self._seen = self._version()
        self._tried: object = None  # a version of the file that failed to open once
        self._unreadable: object = None  # one that failed twice: not tried again
        self._poll = QTimer(self, interval=OUTSIDE_POLL_MS)
        self._poll.timeout.connect(self.check_outside)
        self._poll.start()

    def _version(self) -> object:
        """Return what changes when another connection commits to the file.

        SQLite's ``data_version`` does so for an editable file; a read-only file is opened
        immutable (nothing beside it is read), so its header's change counter is read instead.
        """
        try:
            if self.doc.read_only:
                return safety.fingerprint(self.doc.path)
            return self.doc.conn.execute("PRAGMA data_version").fetchone()[0]
        except (OSError, sqlite3.Error):
            return None

    def check_outside(self) -> bool:
        """Tell the views when the file was changed by anyone else; return whether it was."""
        if self.closed:
            return False
        version = self._version()
        if version is None or version in (self._seen, self._unreadable):
            return False
        if self.doc.read_only:
            try:
                self.doc.read_again()
            except ScrutineerError:
                # Caught halfway through a write, look again next time; the same state twice
                # is a file that cannot be read now: stop opening it until it changes again.
                if version == self._tried:
                    self._unreadable = version
                self._tried = version
                return False
        self._seen = version
        self.outside.emit()
        return True

    @property
    def read_only(self) -> bool:
        """Return whether the plan may not be changed."""
        return self.doc.read_only

    def commit(
        self, edit: Callable[..., Changes], *args: Any, burst: object = None, **kwargs: Any
    ) -> Changes | None:
        """Run one db edit (committed at once) and put it on the undo stack.

        ``burst`` names a run of typing: commits of one burst to one record are one undo step.

        Returns:
            The change, or None when it failed (the person has been told why) or changed nothing.
        """
        if self.closed:
            return None
        try:
            changes = edit(self.doc, *args, **kwargs)
        except ScrutineerError as exc:
            messages.error(str(exc))
            return None
        if not changes:
            return None
        self.push(changes, burst)
        return changes

    def push(self, changes: Changes, burst: object = None) -> None:
        """Put a change already committed to the file on the undo stack and tell the views."""
        self.stack.push(EditCommand(self, changes, burst))
        self.changed.emit(changes)

    def close(self) -> None:
        """Close the file; every edit is already committed."""
        self._poll.stop()
        self.closed = True
        self.stack.clear()
        self.doc.close()


def record(session: Session | None, changes: Changes) -> None:
    """Put a change a dialog already applied on the session it was handed, if it has one.

    A dialog is handed the window's session when it is made (never looked up through its
    parents); a dialog made on a bare Document (a test, a tool) has no undo stack to use.
    """
    if session is not None and changes:
        session.push(changes)


def run_edit(session: Session | None, step: Callable[[], Changes]) -> Changes | None:
    """Run a dialog's edit and record it on the undo stack of the session it was handed.

    Returns:
        The change (perhaps empty), or None when it was refused (the person has been told why).
    """
    try:
        changes = step()
    except ScrutineerError as exc:
        messages.error(str(exc))
        return None
    record(session, changes)
    return changes
