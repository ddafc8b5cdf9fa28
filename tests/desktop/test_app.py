"""Starting the application: settings in a given folder, the file it opens, the sample plan."""

from __future__ import annotations

import pytest

from db import reads
from db.document import Document

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_settings_live_in_the_given_folder(tmp_path, qapp):
    from desktop.app import make_settings

    settings = make_settings(tmp_path / "settings")
    settings.setValue("last_file", "x")
    settings.sync()
    assert (tmp_path / "settings" / "scrutineer.ini").read_text().count("last_file") == 1


def test_file_to_open_prefers_the_command_line_then_the_last_file(tmp_path, sample_path, qapp):
    from desktop.app import file_to_open, make_settings

    settings = make_settings(tmp_path / "settings")
    other = tmp_path / "other.scrutiny"
    assert file_to_open(other, settings, tmp_path / "settings") == other
    settings.setValue("last_file", str(sample_path))
    assert file_to_open(None, settings, tmp_path / "settings") == sample_path


def test_with_nothing_to_open_the_sample_is_written_and_opened(qtbot, tmp_path):
    from desktop.app import SAMPLE_NAME, start

    window = start(None, tmp_path / "settings", no_err_windows=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.session is not None)
    assert window.session.doc.path == tmp_path / "settings" / SAMPLE_NAME
    assert window.view.model.index(0, 0).data() == "Theme 7"
    with Document.open(window.session.doc.path, read_only=True) as doc:
        assert len(reads.actions(doc)) == 20
    window.close()


def test_no_err_windows_sends_messages_to_stderr(qtbot, tmp_path, capsys):
    from desktop.app import start
    from ui import messages

    window = start(tmp_path / "missing.scrutiny", tmp_path / "settings", no_err_windows=True)
    qtbot.addWidget(window)
    try:
        assert window.session is None
        assert "missing.scrutiny cannot be found" in capsys.readouterr().err
    finally:
        messages.no_windows = False
        window.close()


def test_a_file_named_on_the_command_line_is_opened(qtbot, tmp_path, sample_path):
    from desktop.app import start
    from ui import messages

    window = start(sample_path, tmp_path / "settings", no_err_windows=True)
    messages.no_windows = False
    qtbot.addWidget(window)
    # The check waits for the window's first paint, which says what is happening.
    assert window.opening is None
    assert window.centralWidget().text() == "Checking sample.scrutiny…"
    qtbot.waitUntil(lambda: window.session is not None)
    assert window.session.doc.path == sample_path
    window.close()


def test_no_screen_is_said_in_one_sentence_not_a_qt_abort(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--settings", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert "no screen" in line and "xvfb-run" in line and "scrutineer check" in line
    assert "Reinstalling" not in done.stderr
    assert not (tmp_path / "Sample plan.scrutiny").exists()


def test_the_window_paints_before_the_plans_modules_load(tmp_path):
    """Start-up imports only what the first paint needs; the rest loads when first used."""
    import ast
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop.app import application, make_settings\n"
        "application()\n"
        "from desktop.main_window import MainWindow\n"
        f"window = MainWindow(make_settings(Path({str(tmp_path)!r})))\n"
        "window.show()\n"
        "from PySide6.QtWidgets import QApplication\n"
        "QApplication.processEvents()\n"
        "ours = ('db', 'ui', 'exports', 'openpyxl', 'reportlab', 'docx', 'pypdfium2', 'apsw')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ours))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    loaded = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    # The messages, the background helper, the screen-size fit and the error classes; no
    # plan, print or sheet.
    assert loaded == ["db", "db.errors", "ui", "ui.fit", "ui.messages", "ui.tasks"]
