"""The window's public preview refuses exempt markup it cannot read, as every public path does."""

from __future__ import annotations

import pytest

from db import edits, reads

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_public_preview_refuses_a_mistyped_tag(qtbot, window, told):
    from ui.print_dialog import PrintDialog

    doc = window.session.doc
    action = reads.actions(doc)[0]
    edits.set_update(
        doc,
        action.id,
        reads.periods(doc)[-1].id,
        text="Open. [exempt : s.31(1)(a)]Hidden words[/exempt]",
    )
    window.print_action.trigger()
    dialog = window.findChild(PrintDialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=30000)  # internal: prints
    dialog.public.setChecked(True)
    expected = f"The update of action {action.ref} (theme 7) for Q2 2017/18 has exempt markup"
    qtbot.waitUntil(lambda: dialog.status.text().startswith(expected), timeout=30000)
    assert dialog.pdf is None or b"Hidden words" not in dialog.pdf
    assert ("error", dialog.status.text()) in told.messages
