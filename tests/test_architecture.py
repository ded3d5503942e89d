"""The layer rules as tests: import-linter with the contracts in pyproject.toml, and a plain AST
scan that needs nothing but Python, so the rules hold even where import-linter is missing.

Contracts name packages that may not exist yet in every branch (ui, reports, exchange, app).
The linter run drops such names from the contracts (optional layers, absent sources), so a
package is checked from the moment it exists."""

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "paktdesk"

QT = {"PySide6", "shiboken6"}
QT_ALLOWED = ("paktdesk/ui/", "paktdesk/app.py")
SQL = {"sqlite_utils", "sqlite3"}
SQL_ALLOWED = ("paktdesk/db/",)


# --- import-linter -----------------------------------------------------------------------------

def module_exists(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative / "__init__.py").exists() or (ROOT / relative).with_suffix(".py").exists()


def _internal(name: str) -> bool:
    return name == "paktdesk" or name.startswith("paktdesk.")


def contracts_for_this_tree(config: dict) -> tuple[list[dict], list[str]]:
    """The pyproject contracts, restricted to modules that exist here. Returns them and notes."""
    kept, notes = [], []
    for contract in config["contracts"]:
        contract = dict(contract)
        if contract["type"] == "layers":
            layers = []
            for layer in contract["layers"]:
                separator = " | " if "|" in layer else " : "
                names = [n.strip() for n in layer.replace(":", "|").split("|")]
                layers.append(separator.join(n if module_exists(n) else f"({n})" for n in names))
            contract["layers"] = layers
        elif contract["type"] == "forbidden":
            for key in ("source_modules", "forbidden_modules"):
                missing = [m for m in contract[key] if _internal(m) and not module_exists(m)]
                contract[key] = [m for m in contract[key] if m not in missing]
                if missing:
                    notes.append(f"{contract['name']}: {', '.join(missing)} not there yet")
            if not contract["source_modules"] or not contract["forbidden_modules"]:
                continue
        kept.append(contract)
    return kept, notes


def toml_value(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # strings, lists of strings and booleans


def write_config(path: Path, config: dict, contracts: list[dict]) -> None:
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in config.items() if key != "contracts"]
    for contract in contracts:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in contract.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def lint(config_file: Path, *, pythonpath: Path, cwd: Path) -> subprocess.CompletedProcess:
    script = ("import sys; from importlinter.cli import lint_imports; "
              f"sys.exit(lint_imports(config_filename={str(config_file)!r}, no_cache=True, no_logo=True))")
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


@pytest.fixture(scope="module")
def importlinter_config() -> dict:
    pytest.importorskip("importlinter", reason="import-linter fehlt; die AST-Prüfung unten gilt trotzdem")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert len(config["contracts"]) >= 4
    return config


def test_import_linter_contracts_hold(importlinter_config, tmp_path):
    contracts, notes = contracts_for_this_tree(importlinter_config)
    assert {c["name"] for c in contracts} >= {"Only ui and app import Qt", "Only db imports sqlite_utils",
                                             "Core is plain Python", "Layers"}
    config_file = tmp_path / "contracts.toml"
    write_config(config_file, importlinter_config, contracts)
    result = lint(config_file, pythonpath=ROOT, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr + "\n".join(notes)
    assert "BROKEN" not in result.stdout and "KEPT" in result.stdout


def test_import_linter_run_catches_a_violation(importlinter_config, tmp_path):
    """The same run on a copy of the package with one forbidden import must fail."""
    copy = tmp_path / "src"
    for source in PACKAGE.rglob("*.py"):
        target = copy / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    money = copy / "paktdesk" / "core" / "money.py"
    money.write_text(money.read_text(encoding="utf-8") + "\nimport sqlite_utils  # noqa\n", encoding="utf-8")
    contracts, _ = contracts_for_this_tree(importlinter_config)
    config_file = tmp_path / "contracts.toml"
    write_config(config_file, importlinter_config, contracts)
    result = lint(config_file, pythonpath=copy, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "paktdesk.core.money -> sqlite_utils" in result.stdout


# --- plain AST scan ----------------------------------------------------------------------------

def imported_roots(source: str, module: str) -> set[str]:
    """Top-level names of every module imported anywhere in ``source`` (also inside functions).
    Relative imports are resolved against ``module`` (dotted name of the file)."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                roots.add(base[0] if base else "paktdesk")
            elif node.module:
                roots.add(node.module.split(".")[0])
    return roots


def scan() -> dict[str, set[str]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        module = relative.removesuffix(".py").replace("/", ".")
        found[relative] = imported_roots(path.read_text(encoding="utf-8"), module)
    return found


def violations(found: dict[str, set[str]]) -> list[str]:
    problems = []
    for relative, roots in found.items():
        if roots & QT and not relative.startswith(QT_ALLOWED):
            problems.append(f"{relative} imports {sorted(roots & QT)} (only paktdesk/ui and paktdesk/app.py may)")
        if roots & SQL and not relative.startswith(SQL_ALLOWED):
            problems.append(f"{relative} imports {sorted(roots & SQL)} (only paktdesk/db may)")
        if relative.startswith("paktdesk/core/"):
            foreign = {r for r in roots if r not in sys.stdlib_module_names and r != "paktdesk"}
            if foreign:
                problems.append(f"{relative} imports {sorted(foreign)} (core is standard library only)")
    return problems


def test_ast_scan_finds_the_package():
    found = scan()
    assert "paktdesk/core/money.py" in found and "paktdesk/db/connection.py" in found
    assert "sqlite_utils" in found["paktdesk/db/connection.py"]


def test_no_qt_or_sql_outside_their_layers():
    assert violations(scan()) == []


@pytest.mark.parametrize(("relative", "source", "expected"), [
    ("paktdesk/workspace/x.py", "from PySide6.QtCore import QObject", "only paktdesk/ui"),
    ("paktdesk/cli.py", "def f():\n    import PySide6.QtWidgets", "only paktdesk/ui"),
    ("paktdesk/reports/x.py", "import sqlite_utils", "only paktdesk/db"),
    ("paktdesk/ui/x.py", "from sqlite_utils import Database", "only paktdesk/db"),
    ("paktdesk/workspace/x.py", "import sqlite3", "only paktdesk/db"),
    ("paktdesk/core/x.py", "import platformdirs", "standard library only"),
])
def test_ast_scan_reports_violations(relative, source, expected):
    module = relative.removesuffix(".py").replace("/", ".")
    (problem,) = violations({relative: imported_roots(source, module)})
    assert expected in problem


def test_ast_scan_allows_the_right_places():
    assert violations({"paktdesk/ui/main_window.py": {"PySide6", "paktdesk"},
                       "paktdesk/app.py": {"PySide6", "shiboken6"},
                       "paktdesk/db/repo.py": {"sqlite_utils", "sqlite3"},
                       "paktdesk/core/money.py": {"decimal", "re", "paktdesk"}}) == []
