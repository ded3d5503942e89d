"""Shared fixtures for every test: Qt offscreen, a private PAKTDESK_HOME, fresh data files.

Sub-folders (tests/ui, tests/reports, …) add their own conftest.py for their special needs."""

import os

# Before anything can create a QApplication: without a display Qt would abort the whole run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from paktdesk.db.connection import Store  # noqa: E402
from paktdesk.db.datafile import open_datafile  # noqa: E402
from paktdesk.demo import create_demo  # noqa: E402
from paktdesk.workspace import Workspace  # noqa: E402


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
