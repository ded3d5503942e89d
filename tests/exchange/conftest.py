"""Fixtures of the exchange tests: a private PAKTDESK_HOME, the demo Gemeinde, an empty Kreis."""

from __future__ import annotations

import pytest
from exchange_builders import make_kreis

from paktdesk.demo import create_demo


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAKTDESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def demo(tmp_path):
    ws = create_demo(tmp_path / "lindenbach.paktdesk")
    yield ws
    ws.close()


@pytest.fixture
def kreis(tmp_path):
    ws = make_kreis(tmp_path / "kreis.paktdesk")
    yield ws
    ws.close()
