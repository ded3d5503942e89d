"""Fixtures for the register tests: real data files in tmp_path, never mocks of storage."""

from __future__ import annotations

from datetime import date

import pytest

from paktdesk.core import entities as e
from paktdesk.demo import create_demo
from paktdesk.workspace import Workspace


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAKTDESK_HOME", str(tmp_path / "home"))


@pytest.fixture
def demo(tmp_path):
    ws = create_demo(tmp_path / "demo.paktdesk")
    ws.user = "test.sachbearbeitung"
    yield ws
    ws.close()


@pytest.fixture
def ws(tmp_path):
    """An empty Datenbestand with one provider."""
    workspace = Workspace.open(tmp_path / "leer.paktdesk", create=True)
    workspace.user = "test.sachbearbeitung"
    workspace.save_profile(e.Profile("Gemeinde Testhausen", e.OwnerKind.GEMEINDE, "08111000"))
    workspace.save_provider(e.Provider(None, "Gemeinde Testhausen", e.ProviderKind.OWN))
    yield workspace
    workspace.close()


@pytest.fixture
def provider_id(ws):
    return ws.providers()[0].id
