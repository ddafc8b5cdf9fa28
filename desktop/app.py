"""The application: settings, the sample plan for a first run, and the main window's event loop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from db.errors import ScrutineerError

APP_NAME = "Scrutineer"
SAMPLE_NAME = "Sample plan.scrutiny"


def make_settings(settings_dir: Path | None) -> QSettings:
    """Return the settings store: an INI file in ``settings_dir`` when given (tests), else the user's."""
    if settings_dir is not None:
        settings_dir.mkdir(parents=True, exist_ok=True)
        return QSettings(str(settings_dir / "scrutineer.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, APP_NAME)


def sample_path(settings_dir: Path | None = None) -> Path:
    """Return the sample plan in the user's data folder, writing it there on first use."""
    if settings_dir is not None:
        folder = settings_dir
    else:
        folder = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        )
    path = folder / SAMPLE_NAME
    if not path.exists():
        from db.sample import write_sample

        folder.mkdir(parents=True, exist_ok=True)
        write_sample(path).close()
    return path


def file_to_open(file: Path | None, settings: QSettings, settings_dir: Path | None) -> Path:
    """Return the file named on the command line, else the last file, else the sample plan."""
    if file is not None:
        return file
    last = settings.value("last_file")
    if last and Path(str(last)).exists():
        return Path(str(last))
    return sample_path(settings_dir)


def no_screen() -> str | None:
    """Return the sentence to say when there is no screen to open the window on, else None.

    Asked before the QApplication is made: without a display Qt aborts the whole process
    with advice to reinstall, which is wrong and cannot be caught.
    """
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "Scrutineer cannot open its window because there is no screen here (neither DISPLAY "
        "nor WAYLAND_DISPLAY is set); run it as `xvfb-run -a scrutineer`, or use the commands "
        "that need no screen, such as `scrutineer check`, `print`, `export`, `merge` and "
        "`signoff` (`scrutineer --help` lists them all)."
    )


def application() -> QApplication:
    """Return the QApplication, making it on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app  # type: ignore[return-value]


def start(file: Path | None, settings_dir: Path | None, no_err_windows: bool):
    """Build the main window and start opening the right file; return the window (for tests)."""
    from desktop.main_window import MainWindow
    from ui import messages

    application()
    messages.no_windows = no_err_windows
    settings = make_settings(settings_dir)
    window = MainWindow(settings)
    window.show()
    try:
        path = file_to_open(file, settings, settings_dir)
    except ScrutineerError as exc:
        messages.error(str(exc))
    else:
        window.open_file(path)
    return window


def install_crash_handler() -> None:
    """Show an unexpected error as a sentence (details on stderr) instead of losing it in a slot.

    Every edit is committed as it is made, so the message can promise that nothing is lost.
    """
    import traceback

    from ui import messages

    def report(kind, value, trace) -> None:
        traceback.print_exception(kind, value, trace, file=sys.stderr)
        if isinstance(value, ScrutineerError):
            messages.error(str(value))
            return
        messages.error(
            "Something went wrong inside Scrutineer; every change made so far is saved in the "
            f"file. Please tell your administrator: {kind.__name__}: {value}"
        )

    sys.excepthook = report


def run_app(file: Path | None, settings_dir: Path | None, no_err_windows: bool) -> int:
    """Open the window on ``file`` (else the last file, else the sample plan); return the exit code.

    Raises:
        ScrutineerError: there is no screen to show the window on.
    """
    problem = no_screen()
    if problem is not None and QApplication.instance() is None:
        raise ScrutineerError(problem)
    app = application()
    install_crash_handler()
    window = start(file, settings_dir, no_err_windows)
    code = app.exec()
    del window
    return int(code)
