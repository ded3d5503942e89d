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


@pytest.fixture
def message_boxes(monkeypatch):
    """Every message box as (kind, title, text); none blocks. ``answers`` sets the reply to
    questions (default: Ja)."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str, str]] = []

    def recorder(kind, answer=QMessageBox.StandardButton.Ok):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return answer
        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "warning", recorder("warning"))
    monkeypatch.setattr(QMessageBox, "critical", recorder("critical"))
    monkeypatch.setattr(QMessageBox, "information", recorder("information"))
    monkeypatch.setattr(QMessageBox, "question", recorder("question", QMessageBox.StandardButton.Yes))
    return shown


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("money-demo") / "Demo.paktdesk"
    create_demo(path).close()
    return path


@pytest.fixture
def ui(qtbot, demo_template, tmp_path, message_boxes):
    """A UiContext on a fresh copy of the demo (QApplication set up as the program does)."""
    import shutil

    from paktdesk.app import create_application
    from paktdesk.ui.context import UiContext

    create_application()
    path = tmp_path / "Demo.paktdesk"
    shutil.copyfile(demo_template, path)
    ws = Workspace.open(path)
    ctx = UiContext(ws)
    yield ctx
    ws.close()


@pytest.fixture
def shot():
    """Save a widget's picture when PAKTDESK_SHOTS names a folder (to look at, not committed)."""
    folder = os.environ.get("PAKTDESK_SHOTS")

    def save(widget, name: str) -> None:
        image = widget.grab()
        assert not image.isNull() and image.width() > 100
        if folder:
            from pathlib import Path

            Path(folder).mkdir(parents=True, exist_ok=True)
            image.save(str(Path(folder) / f"{name}.png"))
    return save
