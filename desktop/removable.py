"""Whether a file sits on removable media (a USB stick, a card), where it should not be edited in place."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Where Linux desktops mount sticks and cards.
_LINUX_MOUNTS = ("/media/", "/run/media/", "/mnt/")
_DRIVE_REMOVABLE = 2


def is_removable(path: Path) -> bool:
    """Return whether ``path`` is on a removable drive (best effort; False when unsure)."""
    try:
        resolved = path.resolve()
    except OSError:
        return False
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(str(resolved))[0]
        if not drive:
            return False
        return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOVABLE  # type: ignore[attr-defined]
    return str(resolved).startswith(_LINUX_MOUNTS)
