"""The rules that trim the frozen bundle: what they keep, what they drop, and what the app imports."""

from __future__ import annotations

import ast
import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_rules():
    # packaging/ is not a Python package (it would shadow the "packaging" distribution).
    spec = importlib.util.spec_from_file_location(
        "bundle_rules", ROOT / "packaging" / "bundle_rules.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rules = _load_rules()

# The app's own top-level packages, as pyproject.toml installs them.
APP_PACKAGES = sorted(
    {
        name.split(".")[0]
        for name in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
            "setuptools"
        ]["packages"]
    }
)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
        "PySide6\\plugins\\imageformats\\qico.dll",
        "PySide6\\Qt6Widgets.dll",
        "exports/fonts/DejaVuSans.ttf",
        "pypdfium2_raw/libpdfium.so",
        "docx/templates/default-header.xml",
    ],
)
def test_keeps_what_the_app_needs(dest: str) -> None:
    assert rules.wanted(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6QmlModels.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6\\Qt6Network.dll",
        "PySide6\\opengl32sw.dll",
        "PySide6\\plugins\\platforms\\qdirect2d.dll",
        "PySide6\\plugins\\networkinformation\\qnetworklistmanager.dll",
        "PySide6\\translations\\qtbase_fr.qm",
    ],
)
def test_drops_what_the_app_never_uses(dest: str) -> None:
    assert not rules.wanted(dest)


def test_orphans_are_the_libraries_only_dropped_files_need() -> None:
    links = {
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so": ["libgtk-3.so.0", "libglib-2.0.so.0"],
        "libgtk-3.so.0": ["libcairo.so.2", "libglib-2.0.so.0"],
        "PySide6/Qt/lib/libQt6Core.so.6": ["libglib-2.0.so.0"],
    }
    kept = [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libgtk-3.so.0",
        "libcairo.so.2",
        "libglib-2.0.so.0",
        "libuuid.so.1",
    ]
    dropped = ["PySide6/Qt/plugins/platformthemes/libqgtk3.so"]

    gone = rules.orphans(kept, dropped, lambda dest: links.get(dest, ()))

    # glib is still needed by QtCore; uuid was never the plugin's; GTK and what only GTK links go.
    assert gone == {"libgtk-3.so.0", "libcairo.so.2"}


def test_orphans_never_reach_into_a_package_folder() -> None:
    links = {"PySide6/Qt/plugins/tls/libqopensslbackend.so": ["PySide6/Qt/lib/libQt6Network.so.6"]}
    kept = ["PySide6/Qt/lib/libQt6Network.so.6"]

    gone = rules.orphans(
        kept, ["PySide6/Qt/plugins/tls/libqopensslbackend.so"], lambda dest: links.get(dest, ())
    )

    assert gone == set()


def _imported_modules() -> set[str]:
    """Return every module the app's packages import, anywhere in their code."""
    names: set[str] = set()
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module)
                    names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_bundle_excludes_nothing_the_app_imports() -> None:
    imported = _imported_modules()

    clashes = {
        name
        for name in imported
        for excluded in rules.EXCLUDED_MODULES
        if name == excluded or name.startswith(excluded + ".")
    }

    assert not clashes, f"the bundle would leave out {sorted(clashes)}: update bundle_rules.py"


def test_the_bundle_names_every_qt_module_the_app_imports() -> None:
    # Qt module names only (PySide6.QtCore), not the classes imported from them.
    qt_modules = {
        ".".join(name.split(".")[:2])
        for name in _imported_modules()
        if name.startswith("PySide6.Qt")
    }

    assert qt_modules, "the app imports no Qt module: the scan is broken"
    assert qt_modules <= set(rules.QT_MODULES), (
        f"{sorted(qt_modules - set(rules.QT_MODULES))} not in bundle_rules.QT_MODULES"
    )


@pytest.mark.parametrize("module", rules.QT_MODULES + rules.RUNTIME_MODULES)
def test_every_named_module_exists(module: str) -> None:
    # PyInstaller only warns about a hidden import it cannot find; the bundle then lacks it.
    assert importlib.util.find_spec(module) is not None


def _spec_packages() -> list[str]:
    """Return the list the spec assigns to ``packages``: the app packages it collects."""
    tree = ast.parse((ROOT / "packaging" / "scrutineer.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "packages"
        ]:
            return ast.literal_eval(node.value)
    raise AssertionError("scrutineer.spec assigns no packages list")


def test_the_spec_collects_every_app_package() -> None:
    assert sorted(_spec_packages()) == APP_PACKAGES


def test_the_bundle_carries_the_sqlite_that_checks_received_files() -> None:
    # db.safety reads every file from someone else with APSW's own SQLite; without it frozen,
    # the bundle could open no file at all.
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    assert any(d.split(">")[0].split("=")[0].strip() == "apsw" for d in dependencies)
    assert "apsw" in rules.RUNTIME_MODULES
    assert not any(name == "apsw" or name.startswith("apsw.") for name in rules.EXCLUDED_MODULES)
