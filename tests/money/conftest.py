"""Fixtures for the money tests: real data files in tmp_path, the demo Gemeinde, a small
hand-made Datenbestand with one decision per kind (positions / cost plan)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from money_helpers import Small  # noqa: E402

from paktdesk.demo import create_demo  # noqa: E402
from paktdesk.workspace import Workspace  # noqa: E402


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAKTDESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def demo(tmp_path):
    ws = create_demo(tmp_path / "demo.paktdesk")
    yield ws
    ws.close()


@pytest.fixture
def small(tmp_path):
    ws = Workspace.open(tmp_path / "small.paktdesk", create=True)
    data = Small(ws)
    yield data
    ws.close()
