"""Shared fixtures for every test: Qt offscreen, a private PAKTDESK_HOME, fresh data files.

Sub-folders (tests/ui, tests/reports, …) add their own conftest.py for their special needs."""

import os

# Before anything can create a QApplication: without a display Qt would abort the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from paktdesk.db.connection import Store  # noqa: E402
from paktdesk.db.datafile import open_datafile  # noqa: E402
from paktdesk.demo import create_demo  # noqa: E402
from paktdesk.workspace import Workspace  # noqa: E402


def _strict_about_tools() -> bool:
    """On CI under Linux a missing outside program fails the run: `installers/dev.py test` installs
    every one of them there, so a skip would only hide that a proof was not made."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes") and sys.platform == "linux"


def pytest_runtest_setup(item):
    for mark in item.iter_markers("needs_tool"):
        names, package = mark.args, mark.kwargs["package"]
        if any(shutil.which(name) for name in names):
            continue
        message = f"{' oder '.join(names)} fehlt (Debian-Paket {package}; installers/dev.py test installiert es)"
        if _strict_about_tools():
            pytest.fail(f"CI: {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def paktdesk_home(tmp_path, monkeypatch) -> Path:
    """Every test gets its own data, config and log folders; nothing touches the real user's."""
    home = tmp_path / "paktdesk-home"
    home.mkdir()
    monkeypatch.setenv("PAKTDESK_HOME", str(home))
    return home


@pytest.fixture
def data_path(tmp_path) -> Path:
    """Where a test's data file lives (not created yet)."""
    return tmp_path / "Test.paktdesk"


@pytest.fixture
def store(data_path):
    """A fresh data file with every migration applied, opened at the storage level."""
    opened: Store = open_datafile(data_path, create=True)
    yield opened
    opened.close()


@pytest.fixture
def workspace(data_path):
    """A workspace on a fresh, migrated, empty data file."""
    ws = Workspace.open(data_path, create=True)
    yield ws
    ws.close()


@pytest.fixture
def demo_path(tmp_path) -> Path:
    return tmp_path / "Demo.paktdesk"


@pytest.fixture
def demo_ws(demo_path):
    """A workspace on a freshly created demo Datenbestand (Gemeinde Lindenbach)."""
    ws = create_demo(demo_path)
    yield ws
    ws.close()
