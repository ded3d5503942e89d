"""installers/dev.py, the README's two commands: which outside programs it installs for the tests,
and that a signal ending its child reaches whoever started dev.py."""

from __future__ import annotations

import ast
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "installers" / "dev.py"
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX-Signale")


def _dev():
    spec = importlib.util.spec_from_file_location("paktdesk_installers_dev", DEV)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _needs_tool_marks() -> dict[str, set[str]]:
    """package → programs, from every ``needs_tool(...)`` marker in the test files."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "needs_tool"):
                package = next(k.value.value for k in node.keywords if k.arg == "package")
                found.setdefault(package, set()).update(a.value for a in node.args)
    return found


def test_every_program_a_test_needs_is_installed_by_the_test_command():
    marks = _needs_tool_marks()
    assert {"sqlite3", "strace", "libreoffice-calc-nogui", "nsis", "poppler-utils"} <= set(marks)
    tools = _dev().TEST_TOOLS
    for package, programs in marks.items():
        assert package in tools, package
        assert programs <= set(tools[package]), (package, programs)


def test_under_ci_a_missing_program_stops_the_test_command(tmp_path, monkeypatch, capsys):
    dev = _dev()
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find
    monkeypatch.setattr(dev.sys, "platform", "linux")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(SystemExit) as stopped:
        dev.ensure_test_tools()
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "FEHLER: CI=true, aber diese Programme für die Tests fehlen" in err
    for name in ("sqlite3 (sqlite3)", "strace (strace)", "soffice / libreoffice (libreoffice-calc-nogui)",
                 "makensis (nsis)", "pdftotext (poppler-utils)"):
        assert name in err
    monkeypatch.setenv("CI", "false")
    dev.ensure_test_tools()  # a developer's PC: the tests skip and say why


def test_a_missing_program_fails_a_marked_test_under_ci(tmp_path):
    test = tmp_path / "test_marked.py"
    test.write_text("import pytest\n\n@pytest.mark.needs_tool('gibt-es-nicht-42', package='paket-42')\n"
                    "def test_x():\n    pass\n", encoding="utf-8")
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\nmarkers =\n    needs_tool: outside program\n", encoding="utf-8")

    def run(ci: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "CI": ci}
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                               "-rs", "-c", str(ini), str(test)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    strict, lenient = run("true"), run("")
    if sys.platform == "linux":
        assert strict.returncode == 1 and "1 error" in strict.stdout, strict.stdout  # in setup
        assert "CI: gibt-es-nicht-42 fehlt (Debian-Paket paket-42" in strict.stdout
    assert lenient.returncode == 0 and "1 skipped" in lenient.stdout, lenient.stdout
    assert "gibt-es-nicht-42 fehlt" in lenient.stdout


CHILD_ENDED_BY_SIGTERM = """
import os, signal, sys
sys.path.insert(0, {installers!r})
import dev
dev.exit_like(dev.run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"]))
"""


@posix_only
def test_a_child_ended_by_sigterm_ends_dev_py_the_same_way(tmp_path):
    script = tmp_path / "wrapper.py"
    script.write_text(CHILD_ENDED_BY_SIGTERM.format(installers=str(DEV.parent)), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == -signal.SIGTERM, (result.returncode, result.stderr)  # was 241


def test_exit_codes_pass_through_unchanged(tmp_path):
    script = tmp_path / "wrapper.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(DEV.parent)!r})\nimport dev\n"
                      "dev.exit_like(dev.run([sys.executable, '-c', 'raise SystemExit(5)']))\n", encoding="utf-8")
    assert subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60).returncode == 5


SIGTERM_TO_DEV_PY = """
import sys
sys.path.insert(0, {installers!r})
import dev
child = '''
import pathlib, signal, sys, time
folder = pathlib.Path(sys.argv[1])
def done(signum, frame):
    (folder / "aufgeraeumt").write_text("ja")
    sys.exit(3)
signal.signal(signal.SIGTERM, done)
(folder / "bereit").write_text("ja")
time.sleep(120)
'''
dev.exit_like(dev.run([sys.executable, "-c", child, {folder!r}]))
"""


@posix_only
def test_sigterm_to_dev_py_reaches_the_child_and_its_status_comes_back(tmp_path):
    script = tmp_path / "wrapper.py"
    script.write_text(SIGTERM_TO_DEV_PY.format(installers=str(DEV.parent), folder=str(tmp_path)), encoding="utf-8")
    wrapper = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):  # the child has set its handler
            if (tmp_path / "bereit").exists():
                break
            try:
                wrapper.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                pass
        assert (tmp_path / "bereit").exists(), wrapper.stderr.read() if wrapper.poll() is not None else ""
        wrapper.send_signal(signal.SIGTERM)
        assert wrapper.wait(timeout=60) == 3
    finally:
        if wrapper.poll() is None:
            wrapper.kill()
            wrapper.wait()
    assert (tmp_path / "aufgeraeumt").read_text() == "ja"  # the child cleaned up, not orphaned


def test_the_readme_names_every_package_the_test_command_installs():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for package in _dev().TEST_TOOLS:
        assert f"`{package}`" in readme, package
