"""Fixtures for the register tests: real data files in tmp_path, never mocks of storage."""

from __future__ import annotations

import os
import shutil

import pytest

from paktdesk.core import entities as e
from paktdesk.demo import create_demo
from paktdesk.workspace import Workspace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists


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


class Boxes:
    def __init__(self, shown, answers):
        self.shown = shown
        self.answers = answers

    def texts(self, kind: str) -> list[str]:
        return [text for k, _title, text in self.shown if k == kind]


# --- GUI fixtures (Qt offscreen; message boxes and file dialogs never block) --------------------

@pytest.fixture
def message_boxes(monkeypatch):
    """Every message box as (kind, title, text); ``answers`` holds the replies to questions."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str, str]] = []
    answers: list[bool] = []

    def recorder(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            if kind == "question":
                yes = answers.pop(0) if answers else False
                return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind))
    return Boxes(shown, answers)


@pytest.fixture
def window(qtbot, demo_path, message_boxes):
    from paktdesk.app import create_application, create_main_window

    create_application()
    win = create_main_window(Workspace.open(demo_path))
    win.ctx.workspace.user = "test.sachbearbeitung"
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("register-demo") / "Demo-Lindenbach.paktdesk"
    create_demo(path).close()
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path):
    path = tmp_path / "Demo-Lindenbach.paktdesk"
    shutil.copyfile(demo_template, path)
    return path
