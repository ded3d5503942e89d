"""The Windows stage's harness (installers/windows_wine.py) without Wine: what it installs into the
Windows interpreter, how it counts, and that its Wine bridges stay out of what ships."""

from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _harness():
    spec = importlib.util.spec_from_file_location("paktdesk_windows_wine", ROOT / "installers" / "windows_wine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_windows_interpreter_gets_the_projects_own_pins():
    harness = _harness()
    wanted = harness.requirements()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["bundle"]:
        assert requirement in wanted
    names = [_name(r) for r in wanted]
    assert len(names) == len(set(names)), "one requirement per package"
    assert "rpds-py==0.18.0" in wanted  # the Wine bridge (bcryptprimitives.dll), see the harness
    assert not {"import-linter", "zizmor"} & set(names)
    assert {"colorama", "pefile", "pywin32-ctypes"} <= set(names)  # Windows-only, pip cannot see them


def test_the_wine_bridges_never_reach_the_shipped_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    shipped = {_name(r) for r in project["dependencies"]}
    assert "rpds-py" not in shipped
    spec = (ROOT / "installers" / "paktdesk.spec").read_text(encoding="utf-8")
    nsis = (ROOT / "installers" / "paktdesk.nsi").read_text(encoding="utf-8")
    harness = _harness()
    assert set(harness.WINE_STUBS) == {"bcryptprimitives.dll", "icuuc.dll"}
    for name in harness.WINE_STUBS:
        stem = name.removesuffix(".dll")
        assert stem not in spec.lower() and stem not in nsis.lower()
        assert harness.stub_target(name) == str(ROOT / ".cache" / "windows" / "prefix" / "drive_c" / "windows"
                                                / "system32" / name)


def test_the_bcryptprimitives_stand_in_fills_the_buffer_or_crashes():
    # Rust's std (cryptography's _rust.pyd) ignores ProcessPrng's result: unfilled bytes must never pass
    source = _harness().BCRYPTPRIMITIVES_SOURCE
    assert "BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)" in source
    assert "BCRYPT_USE_SYSTEM_PREFERRED_RNG" in source and "__builtin_trap()" in source
    assert "return FALSE" not in source


def test_mingw_comes_with_the_plain_windows_stage():
    spec = importlib.util.spec_from_file_location("paktdesk_dev", ROOT / "installers" / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    assert "gcc-mingw-w64-x86-64" in dev.WINE_PACKAGES  # the stubs are needed before the first test


def test_paths_as_wine_shows_them():
    harness = _harness()
    assert harness.windows_path("/srv/ci/Förderung 2025/x.py") == "Z:\\srv\\ci\\Förderung 2025\\x.py"


def test_the_summary_counts_what_pytest_reported():
    counts = _harness().summary_counts
    assert counts(["    ...F..", "    4 failed, 669 passed, 4 skipped, 12 deselected in 1290.84s (0:21:30)"]) == {
        "failed": 4, "passed": 669, "skipped": 4, "deselected": 12}
    assert counts(["==== 159 passed, 2 warnings in 20.74s ===="]) == {"passed": 159, "warning": 2}
    assert counts(["    1 error in 3.10s"]) == {"error": 1}
    assert counts(["collected 12 items", "INTERNALERROR> ImportError"]) == {}


def test_the_cache_folder_is_ignored_by_git():
    assert "/.cache/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert _harness().CACHE == str(ROOT / ".cache" / "windows")
    assert sys.version_info >= (3, 11)  # tomllib, as the harness uses it
