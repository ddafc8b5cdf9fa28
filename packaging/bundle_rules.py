"""What the frozen bundle leaves out: unused Qt modules, plugins, libraries and translations.

The spec (``scrutineer.spec``) keeps a collected file only when :func:`wanted` says so.
Scrutineer uses QtCore, QtGui, QtWidgets and QtPrintSupport; it renders PDF pages with
pypdfium2, not QtPdf, and never opens a network connection, so Qt's network, QML, Quick,
SQL, OpenGL and PDF parts are not needed. The rules name what to drop or keep by the
plugin's or library's base name, so one list serves Linux (``libqxcb.so``) and Windows
(``qwindows.dll``). A plugin type not named here is kept: Windows has types (``styles``)
that Linux lacks, and a missing style is worse than a few hundred kilobytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath, PureWindowsPath

# Python modules the app never imports; excluding them stops a stray import in a
# dependency from dragging them (and their Qt libraries) into the bundle.
EXCLUDED_MODULES = [
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "pypdf",
    "pdfplumber",
    "pdfminer",
    "numpy",
    "IPython",
    # reportlab needs Pillow for pictures; these formats and colour management it never uses
    # (AVIF alone is 5 MB of libraries).
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
    # python-docx and openpyxl use lxml.etree only.
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    # No TLS: the app never opens a connection (urllib and http.client run without it).
    "ssl",
    "_ssl",
    "readline",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDBus",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtPdf",
]

# Qt modules the app imports (desktop and ui import them lazily, so name them here).
QT_MODULES = [
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtPrintSupport",
]

# The runtime dependencies, named so a lazy import inside a function that PyInstaller
# cannot see still finds them frozen (the print preview renders pages with pypdfium2).
# reportlab finds its C accelerator by a guarded import PyInstaller does not follow.
# apsw is a package whose __init__ is a compiled extension with its own SQLite; it checks
# every received file, so a bundle without it could open none.
RUNTIME_MODULES = [
    "sqlite_utils",
    "reportlab",
    "_rl_accel",
    "openpyxl",
    "docx",
    "pypdfium2",
    "apsw",
]

# Plugin types that serve nothing Scrutineer does: touch and tablet input devices
# (tuio listens on a UDP port), embedded-screen back ends, network status and TLS,
# SQL drivers (the app uses Python's sqlite3), QML tooling, Designer and Wayland shells.
DROPPED_PLUGIN_TYPES = {
    "generic",
    "egldeviceintegrations",
    "networkinformation",
    "tls",
    "sqldrivers",
    "qmltooling",
    "qmllint",
    "designer",
    "vectorimageformats",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-graphics-integration-server",
    "wayland-shell-integration",
    "multimedia",
    "position",
    "sensors",
    "texttospeech",
}

# For these plugin types, only the named plugins are kept.
KEPT_PLUGINS = {
    # offscreen: tests and batch runs; xcb: Linux desktops (also under XWayland);
    # minimal: a fallback with no screen at all; windows: Windows.
    "platforms": {"qoffscreen", "qxcb", "qminimal", "qwindows"},
    # PNG is built into QtGui; these read the icons and pictures a user may drop in.
    "imageformats": {"qico", "qjpeg", "qgif"},
    # The portal theme gives native file dialogs on Linux desktops over D-Bus (local);
    # the GTK theme would pull GTK into the bundle.
    "platformthemes": {"qxdgdesktopportal"},
    # Compose keys and IBus let people type accented names; the virtual keyboard is QML.
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    # The SVG icon engine needs QtSvg, which the app does not use.
    "iconengines": set(),
}

# Qt libraries that only dropped plugins or unused modules link to, and on Windows the
# software OpenGL renderer and shader compiler (about 25 MB) that only OpenGL and Quick use:
# widgets paint without them.
DROPPED_LIBRARIES = re.compile(
    r"^((lib)?Qt6("
    r"Network|Qml\w*|Quick\w*|OpenGL\w*|Sql|Test|Pdf\w*|Svg\w*|VirtualKeyboard\w*|"
    r"Wayland\w*|Wl\w*|EglFS\w*|EglFs\w*|Designer\w*|Help|UiTools|Concurrent|Xml"
    r")(\.so.*|\.dll)"
    r"|opengl32sw\.dll|d3dcompiler_\d+\.dll)$",
    re.IGNORECASE,
)


def _parts(dest: str) -> tuple[str, ...]:
    """Return the parts of a bundle path written with either kind of slash."""
    return PureWindowsPath(dest).parts if "\\" in dest else PurePosixPath(dest).parts


def _stem(filename: str) -> str:
    """Return a plugin's base name without ``lib``, its suffix or a version (``libqxcb.so`` → ``qxcb``)."""
    name = filename.split(".", 1)[0]
    return name[3:] if name.startswith("lib") else name


def wanted(dest: str) -> bool:
    """Return whether the file collected at bundle path ``dest`` belongs in the lean bundle.

    Args:
        dest: the file's path inside the bundle, e.g. ``PySide6/Qt/plugins/platforms/libqxcb.so``.

    Returns:
        False for Qt translations, dropped plugins and libraries only they need; True otherwise.
    """
    parts = _parts(dest)
    name = parts[-1]
    if "translations" in parts and name.endswith(".qm"):
        # Scrutineer's interface is English, which Qt carries built in.
        return False
    if DROPPED_LIBRARIES.match(name):
        return False
    if "plugins" in parts and parts.index("plugins") + 2 < len(parts):
        # plugins/<type>/<file>
        plugin_type = parts[parts.index("plugins") + 1]
        if plugin_type in DROPPED_PLUGIN_TYPES:
            return False
        if plugin_type in KEPT_PLUGINS:
            return _stem(name) in KEPT_PLUGINS[plugin_type]
    return True


def orphans(kept: list[str], dropped: list[str], needs: Callable[[str], Iterable[str]]) -> set[str]:
    """Return the top-level libraries that only dropped files needed, so they can go too.

    PyInstaller collects a plugin's system libraries (the GTK theme brings cairo, pango,
    gio...) before the rules drop the plugin; this finds what that left behind.

    Args:
        kept: bundle paths of the binaries kept.
        dropped: bundle paths of the binaries the rules dropped.
        needs: the library names a bundle path links to, directly or not.

    Returns:
        Bundle paths (top-level names) of kept libraries that nothing kept links to.
    """

    def closure(paths: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(paths)
        while stack:
            for name in needs(stack.pop()):
                if name not in seen:
                    seen.add(name)
                    stack.append(name)
        return seen

    wanted_by_dropped = closure(dropped)
    top_level = {path for path in kept if len(_parts(path)) == 1}
    roots = [path for path in kept if path not in top_level or path not in wanted_by_dropped]
    return (top_level & wanted_by_dropped) - closure(roots)
