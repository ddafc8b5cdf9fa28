"""One editor per plan: a lock in the application's own folder, keyed by the plan's real path.

The lock lives beside the settings, never beside the plan: a plan is mailed, copied and kept on
shared drives, and a file left next to it would travel with it. A lock a crash left behind
names a process that no longer runs, and is taken over.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings


def lock_file(settings: QSettings, path: Path) -> Path:
    """Return where the lock of the plan at ``path`` is kept."""
    # One file has one lock however it is named: resolved, and case-folded where Windows does.
    key = os.path.normcase(str(Path(path).resolve()))
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return Path(settings.fileName()).parent / "locks" / f"{digest}.lock"


def take(settings: QSettings, path: Path) -> QLockFile | None:
    """Lock the plan for editing here; None when another window or process has it."""
    where = lock_file(settings, path)
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    lock = QLockFile(str(where))
    # Never stale by age (a plan stays open all day); stale only when its process has gone.
    lock.setStaleLockTime(0)
    return lock if lock.tryLock(0) else None
