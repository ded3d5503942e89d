"""Windows delivery: icon files, PyInstaller spec, NSIS script, version resource, bundle smoke check.

Fast and runnable anywhere; the one test that compiles the installer needs ``makensis`` (Debian
package nsis) and is skipped without it, except on CI (conftest.py)."""

from __future__ import annotations

import ast
import importlib.util
import re
import struct
import sys
import types
from pathlib import Path

import platformdirs
import platformdirs.windows
import pytest

import paktdesk
from paktdesk import paths

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _load(name: str):
    """A module from installers/ by file path (``build`` would clash with PyPI's build package)."""
    if str(INSTALLERS) not in sys.path:
        sys.path.insert(0, str(INSTALLERS))
    spec = importlib.util.spec_from_file_location(f"paktdesk_installers_{name}", INSTALLERS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


versioninfo = _load("versioninfo")


def _nsi() -> str:
    return (INSTALLERS / "paktdesk.nsi").read_text(encoding="utf-8-sig")


def _section(script: str, header: str) -> str:
    """The body of the NSIS section whose header line contains ``header``."""
    start = script.index(header)
    return script[start:script.index("SectionEnd", start)]


# --- icons ------------------------------------------------------------------------------------------

def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_app_icon_png_exists_in_every_size(size):
    assert _png_size(ICONS / f"paktdesk-{size}.png") == (size, size)


def test_ico_holds_every_size_windows_asks_for():
    data = (ICONS / "paktdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an icon file"
    sizes = set()
    for index in range(count):
        width, height = struct.unpack("<BB", data[6 + 16 * index:8 + 16 * index])
        sizes.add((width or 256, height or 256))  # 0 means 256 in the ICO directory
    assert sizes == {(s, s) for s in ICON_SIZES}


def test_icons_are_found_through_resource_path():
    assert paths.resource_path("icons", "paktdesk.ico").is_file()
    assert paths.resource_path("icons", "paktdesk-256.png").is_file()


def test_pyproject_installs_the_icons_with_the_package():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    package_data = re.search(r'"paktdesk\.resources"\s*=\s*\[(.*?)\]', text, re.S)
    assert package_data and '"icons/*"' in package_data.group(1)


# --- resource_path in the bundle --------------------------------------------------------------------

def test_resource_path_prefers_the_bundle_folder(tmp_path, monkeypatch):
    font = tmp_path / "paktdesk" / "resources" / "fonts" / "DejaVuSans.ttf"
    font.parent.mkdir(parents=True)
    font.write_bytes(b"bundled")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resource_path("fonts", "DejaVuSans.ttf") == font


def test_resource_path_survives_a_namespace_package_without_file(monkeypatch):
    """In the bundle ``paktdesk.resources`` imports as a namespace package (``__file__`` None)."""
    namespace = types.ModuleType("paktdesk.resources")
    namespace.__file__ = None
    monkeypatch.setitem(sys.modules, "paktdesk.resources", namespace)
    monkeypatch.setattr(paktdesk, "resources", namespace, raising=False)
    assert paths.resource_path("fonts", "DejaVuSans.ttf").is_file()


# --- PyInstaller spec -------------------------------------------------------------------------------

def test_spec_is_python_and_ships_icon_fonts_schema_and_german_qt():
    text = (INSTALLERS / "paktdesk.spec").read_text(encoding="utf-8")
    ast.parse(text)
    assert 'resources" / "icons" / "paktdesk.ico"' in text and "icon=str(ICON)" in text
    assert '"DejaVuSans.ttf"' in text and '"DejaVuSans-Bold.ttf"' in text
    assert '"paktdesk", "resources"' in text  # resources/ lands where resource_path looks
    assert '.glob("*.sql")' in text and '"paktdesk/db"' in text
    assert 'startswith("qtbase_de")' in text
    assert "console=False" in text  # windowed
    assert "COLLECT(" in text  # one folder, not one file
    assert "versioninfo.resource_text" in text and "version=" in text
    for name in ("paktdesk.ico",):
        assert (ICONS / name).is_file()


def test_spec_keeps_only_german_qtbase_translations():
    """Run the spec's own filter function on typical Qt translation paths."""
    text = (INSTALLERS / "paktdesk.spec").read_text(encoding="utf-8")
    tree = ast.parse(text)
    wanted = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "_wanted")
    namespace: dict = {}
    exec(compile(ast.Module(body=[wanted], type_ignores=[]), "paktdesk.spec", "exec"), namespace)
    keep = namespace["_wanted"]
    assert keep("PySide6/Qt/translations/qtbase_de.qm")
    assert keep("PySide6\\Qt\\translations\\qtbase_de.qm")
    assert not keep("PySide6/Qt/translations/qtbase_fr.qm")
    assert not keep("PySide6/Qt/translations/qt_de.qm")  # meta catalogue that cannot load here
    assert not keep("PySide6/Qt/translations/qt_help_de.qm")
    assert keep("paktdesk/resources/fonts/DejaVuSans.ttf")


# --- version ----------------------------------------------------------------------------------------

def test_version_generator_reads_the_package_version():
    assert versioninfo.app_version() == paktdesk.__version__


@pytest.mark.parametrize(("version", "expected"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2", (2, 0, 0, 0)), ("1.4.0rc2", (1, 4, 0, 0)),
])
def test_windows_version_has_four_numbers(version, expected):
    assert versioninfo.version_tuple(version) == expected


@pytest.mark.parametrize("version", ["", "v1.0", "1.70000.0"])
def test_unusable_version_is_refused(version):
    with pytest.raises(ValueError):
        versioninfo.version_tuple(version)


def test_version_resource_text_carries_the_package_version():
    """Evaluate the generated file like PyInstaller does, with recording stand-ins for its classes."""
    def record(kind):
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]
    info = eval(versioninfo.resource_text(paktdesk.__version__), {n: record(n) for n in names})  # noqa: S307
    numbers = versioninfo.version_tuple(paktdesk.__version__)
    assert info["ffi"]["filevers"] == numbers and info["ffi"]["prodvers"] == numbers
    table = info["kids"][0]["args"][0][0]
    assert table["args"][0] == "040704B0"  # German, Unicode
    strings = {s["args"][0]: s["args"][1] for s in table["args"][1]}
    assert strings["ProductVersion"] == paktdesk.__version__
    assert strings["OriginalFilename"] == "paktdesk.exe"


def test_nsis_version_defines_match_the_package():
    defines = versioninfo.nsis_defines(paktdesk.__version__)
    assert defines["APP_VERSION"] == paktdesk.__version__
    assert defines["APP_VERSION_WIN"] == ".".join(map(str, versioninfo.version_tuple(paktdesk.__version__)))


# --- NSIS script ------------------------------------------------------------------------------------

def test_installer_needs_no_admin_rights_and_speaks_german():
    script = _nsi()
    assert re.search(r"^RequestExecutionLevel user$", script, re.M)
    assert '!insertmacro MUI_LANGUAGE "German"' in script
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\PaktDesk"$', script, re.M)
    assert "Unicode true" in script
    assert "HKLM" not in script and "$PROGRAMFILES" not in script  # nothing that needs admin rights
    assert 'CreateShortCut "$SMPROGRAMS\\' in script
    assert 'WriteRegStr HKCU "Software\\Classes\\${FILE_EXT}"' in script
    assert re.search(r'^!define FILE_EXT "\.paktdesk"$', script, re.M)
    assert "VIProductVersion" in script and "/LANG=${LANG_GERMAN}" in script


def test_file_association_opens_the_file_with_data_option():
    script = _nsi()
    assert '"$INSTDIR\\${APP_EXE}" --data "%1"' in script


def test_uninstaller_keeps_the_data_unless_the_clerk_ticks_the_box():
    script = _nsi()
    data_section = _section(script, 'Section /o "un.Meine Daten ebenfalls entfernen"')
    assert 'RMDir /r "${DATA_DIR}"' in data_section
    assert "/SD IDNO" in data_section  # a silent uninstall never deletes data
    # Nowhere else is the data folder removed.
    assert script.count('RMDir /r "${DATA_DIR}"') == 1
    program_section = _section(script, 'Section "-un.Programm"')
    assert "${DATA_DIR}" not in program_section and "$LOCALAPPDATA\\PaktDesk" not in program_section


def test_installer_data_folder_is_where_paktdesk_keeps_its_data_on_windows(monkeypatch):
    r"""The folder the uninstaller may remove is paths.data_dir() on Windows (%LOCALAPPDATA%\PaktDesk),
    and settings and logs live inside it, so "Meine Daten ebenfalls entfernen" removes all of them."""
    local = "C:\\Users\\Anna Müller\\AppData\\Local"
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": "C:\\Users\\Anna Müller\\AppData\\Roaming"}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.delenv("PAKTDESK_HOME", raising=False)

    def windows(path: Path) -> str:
        return str(path).replace("/", "\\")

    data = windows(paths.data_dir())
    script = _nsi()
    declared = re.search(r'^!define DATA_DIR "(.*)"$', script, re.M).group(1)
    assert data == declared.replace("$LOCALAPPDATA", local)
    for folder in (paths.config_dir(), paths.log_dir(), paths.backup_dir()):
        assert windows(folder) == data or windows(folder).startswith(data + "\\")
    install_dir = re.search(r'^InstallDir "(.*)"$', script, re.M).group(1).replace("$LOCALAPPDATA", local)
    assert not install_dir.startswith(data + "\\") and install_dir != data  # uninstall never eats data


@pytest.mark.needs_tool("makensis", package="nsis")
def test_makensis_compiles_the_installer_around_a_placeholder(tmp_path):
    build = _load("build")
    out = build.build_installer(build.placeholder_payload(tmp_path), tmp_path / "PaktDesk-Setup-Test.exe",
                                compressor="zlib")
    data = out.read_bytes()
    assert data[:2] == b"MZ" and b"Nullsoft" in data
    assert b'requestedExecutionLevel level="asInvoker"' in data
    assert paktdesk.__version__.encode("utf-16-le") in data
    assert out.stat().st_size > 100_000  # stub, icons and the uninstaller


# --- bundle smoke check -----------------------------------------------------------------------------

def test_smoke_check_is_off_unless_asked(monkeypatch):
    smoke = _load("bundle_smoke")
    monkeypatch.delenv("PAKTDESK_SMOKE", raising=False)
    assert not smoke.enabled()
    monkeypatch.setenv("PAKTDESK_SMOKE", "0")
    assert not smoke.enabled()
    monkeypatch.setenv("PAKTDESK_SMOKE", "1")
    assert smoke.enabled()


def test_smoke_check_notices_missing_german_qt_translation(qtbot):
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QMainWindow

    smoke = _load("bundle_smoke")
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setWindowTitle("PaktDesk")
    app = QCoreApplication.instance()
    assert any("Übersetzung" in p for p in smoke.problems_of(app, window))

    translator = QTranslator()
    assert translator.load(QLocale(QLocale.Language.German), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    app.installTranslator(translator)
    try:
        assert smoke.problems_of(app, window) == []
    finally:
        app.removeTranslator(translator)


# --- CI definitions ---------------------------------------------------------------------------------

def test_windows_workflow_builds_with_the_same_pinned_pyinstaller_as_linux_ci():
    workflow = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    ci_step = (INSTALLERS / "ci_bundle.sh").read_text(encoding="utf-8")
    pinned = re.search(r'^PYINSTALLER_VERSION="([\d.]+)"$', ci_step, re.M).group(1)
    assert f'"pyinstaller=={pinned}"' in workflow
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^bundle = \["pyinstaller=={re.escape(pinned)}"\]$', pyproject, re.M)
    assert "runs-on: windows-latest" in workflow and 'python-version: "3.11"' in workflow
    for step in ("python -m pytest", "installers/build.py bundle check", "installers/build.py installer",
                 "actions/upload-artifact"):
        assert step in workflow


def test_windows_workflow_is_valid_yaml():
    import yaml
    parsed = yaml.safe_load((ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8"))
    steps = parsed["jobs"]["windows"]["steps"]
    assert all(("uses" in step) != ("run" in step) for step in steps)  # each step does one thing
