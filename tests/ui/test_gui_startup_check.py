"""Start-up without SQLite's quick check in the way: the window opens at once on the file, the
background full check confirms it (writes then need no check of their own); a file damaged so
badly that the window cannot read it leads to the recovery dialog, as a damaged file always did;
damage the window does not touch is found by the background check and offered for restore."""

from __future__ import annotations

import sqlite3

from paktdesk.app import create_application, fill_startup_window, open_startup_workspace
from paktdesk.ui.main_window import MainWindow
from paktdesk.ui.recovery_dialog import RecoveryDialog
from tests.db.test_deferred_check import damage_an_index


def start(qtbot, path):
    """What run_gui does before the event loop: the frame first, then the file."""
    create_application()
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    startup = open_startup_workspace(path, parent=window)
    if startup.workspace is not None:
        startup = fill_startup_window(window, startup, path)
    return window, startup


def test_the_window_opens_unchecked_and_the_background_check_confirms(qapp, qtbot, demo_file):
    create_application()
    startup = open_startup_workspace(demo_file)
    assert startup.workspace.store.check_pending  # no quick check before the window
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.guard.check_finished, timeout=15000) as finished:
        fill_startup_window(window, startup, demo_file)
    assert finished.args[0].ok
    assert not window.workspace.store.check_pending


def test_a_file_the_window_cannot_read_leads_to_the_recovery_dialog(qapp, qtbot, demo_file, monkeypatch):
    damage_an_index(demo_file)  # the status bar's counts read this index
    before = demo_file.read_bytes()
    shown = []

    def cancel(dialog):
        shown.append(dialog)
        return RecoveryDialog.DialogCode.Rejected

    monkeypatch.setattr(RecoveryDialog, "exec", cancel)
    window, startup = start(qtbot, demo_file)
    assert len(shown) == 1 and startup.workspace is None
    assert window.ctx is None
    assert demo_file.read_bytes() == before
    assert not demo_file.with_name(demo_file.name + ".lock").exists()  # the lock was released


def test_damage_away_from_the_first_page_is_found_by_the_background_check(qapp, qtbot, demo_file,
                                                                           message_boxes, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *args, **kwargs: QMessageBox.StandardButton.No))
    conn = sqlite3.connect(demo_file)  # the receipts' date index: not read to show the Übersicht
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'receipts_date'").fetchone()[0]
    conn.close()
    with demo_file.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x00" * page_size)
    create_application()
    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    startup = open_startup_workspace(demo_file, parent=window)
    with qtbot.waitSignal(window.guard.check_finished, timeout=15000) as finished:
        fill_startup_window(window, startup, demo_file)
    report = finished.args[0]
    assert not report.ok and "SQLite-Integritätsprüfung" in report.problems[0]
    assert window.workspace.store.check_pending  # writes stay behind the quick check
    assert any(box[1] == "Datenbestand beschädigt oder verändert" for box in message_boxes)
