from __future__ import annotations

import pytest

from db.errors import ScrutineerError
from ui import tasks


def test_result_comes_back_on_the_gui_thread(qtbot):
    import threading

    results = []
    task = tasks.run(None, "Working…", lambda: threading.current_thread().name, results.append)
    qtbot.waitUntil(lambda: bool(results))
    assert results[0] != threading.current_thread().name
    assert not task.running


def test_a_known_error_is_shown_as_its_sentence(qtbot, ui_messages):
    def fail():
        raise ScrutineerError("The disk is full.")

    task = tasks.run(None, "Working…", fail, lambda r: pytest.fail("no result expected"))
    qtbot.waitUntil(lambda: not task.running)
    assert ui_messages == [("error", "The disk is full.")]


def test_a_failure_can_be_taken_by_the_caller(qtbot):
    seen = []
    task = tasks.run(None, "Working…", lambda: 1 / 0, lambda r: None, seen.append)
    qtbot.waitUntil(lambda: not task.running)
    assert isinstance(seen[0], ZeroDivisionError)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_slow_work_shows_a_busy_cursor_and_progress_then_clears_them(qtbot, monkeypatch):
    import threading

    from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

    # Thresholds of zero stand for "the work is slow", without the test waiting on a clock.
    monkeypatch.setattr(tasks, "BUSY_AFTER_MS", 0)
    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    release = threading.Event()
    results = []
    task = tasks.run(window, "Checking the plan…", lambda: release.wait(30), results.append)
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is not None)
    assert QApplication.overrideCursor() is not None
    assert window.findChild(QProgressDialog).labelText() == "Checking the plan…"
    release.set()
    qtbot.waitUntil(lambda: not task.running)
    assert results == [True]
    assert QApplication.overrideCursor() is None


def test_the_work_is_let_go_once_it_has_run(qtbot):
    """A big result's maker (a preview's plan data) must not outlive its task."""
    import gc
    import weakref

    class Big:
        pass

    big = Big()
    alive = weakref.ref(big)
    results = []

    def work(held=big):
        return len([held])

    task = tasks.run(None, "Working…", work, results.append)
    del big, work
    qtbot.waitUntil(lambda: bool(results))
    gc.collect()
    assert alive() is None and not task.running


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_cancel_in_the_progress_window_stops_the_work_before_it_writes(
    qtbot, monkeypatch, tmp_path
):
    import threading

    from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    cancel = tasks.Cancel()
    out = tmp_path / "out.txt"

    def work():
        while not cancel.requested:  # slow work, until the person gives up on it
            threading.Event().wait(0.01)
        cancel.check()
        out.write_text("written")

    results, cancelled = [], []
    task = tasks.run(
        window,
        "Saving…",
        work,
        results.append,
        cancel=cancel,
        on_cancel=lambda: cancelled.append(1),
    )
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is not None)
    progress = window.findChild(QProgressDialog)
    qtbot.waitUntil(progress.isVisible)
    (button,) = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
    button.click()
    qtbot.waitUntil(lambda: not task.running)
    assert cancelled == [1] and results == [] and not out.exists()


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_work_that_says_how_far_it_is_fills_the_progress_bar(qtbot, monkeypatch):
    import threading

    from PySide6.QtWidgets import QProgressDialog, QWidget

    monkeypatch.setattr(tasks, "PROGRESS_AFTER_MS", 0)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    cancel, release = tasks.Cancel(), threading.Event()

    def work():
        cancel.say("Merging KD's return, 4 of 12…", 3, 12)
        return release.wait(30)

    task = tasks.run(window, "Merging 12 returns…", work, lambda _r: None, cancel=cancel)
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is not None)
    progress = window.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: progress.labelText() == "Merging KD's return, 4 of 12…")
    assert (progress.value(), progress.maximum()) == (3, 12)
    release.set()
    qtbot.waitUntil(lambda: not task.running)
