"""Fixtures for the window tests: Qt offscreen, a private PAKTDESK_HOME, a demo file, a main window
on it, and message boxes that record instead of waiting for a click."""

import os

# Must happen before a QApplication exists; tests/conftest.py does the same.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from paktdesk.demo import create_demo  # noqa: E402
from paktdesk.workspace import Workspace  # noqa: E402


@pytest.fixture(autouse=True)
def ui_home(tmp_path, monkeypatch) -> Path:
    """Data, config (window settings) and logs of each test in its own folder."""
    home = tmp_path / "ui-home"
    home.mkdir()
    monkeypatch.setenv("PAKTDESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch) -> list[tuple[str, str, str]]:
    """Every message box shown during the test as (kind, title, text); none of them blocks."""
    shown: list[tuple[str, str, str]] = []

    def recorder(kind, answer=QMessageBox.StandardButton.Ok):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return answer
        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "warning", recorder("warning"))
    monkeypatch.setattr(QMessageBox, "critical", recorder("critical"))
    monkeypatch.setattr(QMessageBox, "information", recorder("information"))
    monkeypatch.setattr(QMessageBox, "question", recorder("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "about", recorder("about"))

    def exec_box(box):
        shown.append(("exec", box.windowTitle(), box.text() + "\n" + box.detailedText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return shown


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo Datenbestand, built once per run; tests get copies."""
    path = tmp_path_factory.mktemp("demo-template") / "Demo-Lindenbach.paktdesk"
    create_demo(path).close()
    return path


@pytest.fixture
def demo_file(demo_template, tmp_path) -> Path:
    path = tmp_path / "Demo-Lindenbach.paktdesk"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def window(qtbot, demo_file):
    """The main window on a demo copy, shown at 1280×800."""
    from paktdesk.app import create_application, create_main_window

    create_application()
    win = create_main_window(Workspace.open(demo_file))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def check_ws(demo_file):
    """A second, independent connection to the window's file to check what was really stored."""
    def open_it() -> Workspace:
        return Workspace.open(demo_file, read_only=True)
    return open_it
