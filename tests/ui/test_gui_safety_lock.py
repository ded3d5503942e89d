"""One writer per Datenbestand, through the window: a second instance gets the lock dialog and
opens read-only (edits refused with a German message), a stale lock after a crash can be taken
over after confirmation, the lock is renewed on a timer and a lost lock turns the window
read-only; a live file in a sync-client folder is refused and can be copied to a local folder."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from paktdesk.app import create_application, create_main_window, open_startup_workspace
from paktdesk.lockfile import REFRESH_EVERY, FileLock, lock_path, read_lock
from paktdesk.ui.lock_dialog import LockDialog
from paktdesk.workspace import Workspace


@pytest.fixture
def qt_app(qapp):
    return create_application()


@pytest.fixture
def answers(monkeypatch, message_boxes):
    queue: list[QMessageBox.StandardButton] = []

    def question(parent, title, text, *args, **kwargs):
        message_boxes.append(("question", title, text))
        return queue.pop(0) if queue else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return queue


@pytest.fixture
def lock_dialogs(monkeypatch, qtbot):
    """Replace LockDialog.exec: click the button named in ``choice[0]`` and record the dialog."""
    shown: list[LockDialog] = []
    choice = ["read_only_button"]

    def run(dialog: LockDialog) -> int:
        qtbot.addWidget(dialog)
        shown.append(dialog)
        getattr(dialog, choice[0]).click()
        return dialog.result()

    monkeypatch.setattr(LockDialog, "exec", run)
    return shown, choice


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_second_instance_opens_read_only_and_refuses_edits(qt_app, qtbot, demo_file, message_boxes,
                                                           lock_dialogs):
    shown, _ = lock_dialogs
    first = Workspace.open_guarded(demo_file)  # the first instance holds the lock
    try:
        startup = open_startup_workspace(demo_file)
        assert len(shown) == 1 and not shown[0].stale
        dialog = shown[0]
        assert dialog.windowTitle() == "Datenbestand wird bereits benutzt"
        assert dialog.user_label.text() == first._lock.user and dialog.host_label.text() == first._lock.host
        assert dialog.take_over_button.isHidden()
        workspace = startup.workspace
        assert workspace is not None and workspace.read_only and workspace.lock_holder is not None
        win = create_main_window(workspace)
        qtbot.addWidget(win)
        assert "[schreibgeschützt]" in win.windowTitle()
        assert not win.restore_action.isEnabled() and not win.guard.lock_timer.isActive()
        profile = win.workspace.profile()
        assert win.ctx.perform(lambda: win.workspace.save_profile(replace(profile, city="Anderswo"))) is None
        kind, title, text = message_boxes[-1]
        assert (kind, title) == ("warning", "Nicht gespeichert")
        assert "schreibgeschützt" in text and "Traceback" not in text
        win.close()
        assert win.guard.last_close_backup is None  # only the instance holding the lock backs up
        assert not (demo_file.parent / "Sicherungen").exists()
        assert read_lock(demo_file).token == first._lock.token  # the first instance still holds it
    finally:
        first.close()
    assert Workspace.open(demo_file, read_only=True).profile().city == profile.city


def test_cancel_in_the_lock_dialog_opens_nothing(qt_app, demo_file, lock_dialogs):
    _, choice = lock_dialogs
    choice[0] = "cancel_button"
    first = Workspace.open_guarded(demo_file)
    try:
        startup = open_startup_workspace(demo_file)
        assert startup.workspace is None
    finally:
        first.close()


def stale_lock(demo_file) -> FileLock:
    lock = FileLock(demo_file, user="kollegin", pid=dead_pid())  # crashed on this PC
    lock.acquire()
    return lock


def test_stale_lock_is_taken_over_after_confirmation(qt_app, qtbot, demo_file, message_boxes, answers,
                                                     lock_dialogs):
    shown, choice = lock_dialogs
    choice[0] = "take_over_button"
    old = stale_lock(demo_file)
    startup = open_startup_workspace(demo_file)
    dialog = shown[0]
    assert dialog.stale and not dialog.take_over_button.isHidden()
    assert dialog.windowTitle() == "Datenbestand noch gesperrt" and dialog.user_label.text() == "kollegin"
    assert "läuft auf diesem PC nicht mehr" in dialog.text_label.text()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("question", "Sperre übernehmen") and "kollegin" in text
    workspace = startup.workspace
    assert workspace is not None and not workspace.read_only
    holder = read_lock(demo_file)
    assert holder.token != old.token and holder.user != "kollegin"
    win = create_main_window(workspace)
    qtbot.addWidget(win)
    assert win.guard.lock_timer.isActive()
    win.close()
    assert not lock_path(demo_file).exists()  # released on closing


def test_stale_lock_stays_when_the_take_over_is_not_confirmed(qt_app, demo_file, answers, lock_dialogs):
    _, choice = lock_dialogs
    choice[0] = "take_over_button"
    answers.append(QMessageBox.StandardButton.No)
    old = stale_lock(demo_file)
    assert open_startup_workspace(demo_file).workspace is None
    assert read_lock(demo_file).token == old.token


def test_stale_lock_can_be_opened_read_only(qt_app, demo_file, lock_dialogs):
    old = stale_lock(demo_file)
    workspace = open_startup_workspace(demo_file).workspace
    try:
        assert workspace.read_only
    finally:
        workspace.close()
    assert read_lock(demo_file).token == old.token


def test_the_lock_is_renewed_and_a_lost_lock_makes_the_window_read_only(qt_app, qtbot, demo_file,
                                                                         message_boxes):
    win = create_main_window(open_startup_workspace(demo_file).workspace)
    qtbot.addWidget(win)
    timer = win.guard.lock_timer
    assert timer.isActive() and timer.interval() == REFRESH_EVERY.total_seconds() * 1000
    path = lock_path(demo_file)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["refreshed"] = "2000-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data), encoding="utf-8")
    timer.timeout.emit()  # what the timer does every ten minutes
    assert read_lock(demo_file).refreshed > "2000"  # renewed
    assert read_lock(demo_file).since == data["since"]

    data = json.loads(path.read_text(encoding="utf-8"))
    data["token"] = "eine-andere-sitzung"  # someone took the lock over meanwhile
    path.write_text(json.dumps(data), encoding="utf-8")
    timer.timeout.emit()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Sperre verloren") and "schreibgeschützt" in text
    assert win.workspace.read_only and "[schreibgeschützt]" in win.windowTitle()
    assert not timer.isActive()
    win.close()
    assert path.exists()  # the other session's lock is left alone


def test_live_file_in_a_sync_folder_is_refused_with_the_explanation(qt_app, demo_file, tmp_path, message_boxes,
                                                                    answers):
    synced = tmp_path / "OneDrive - Gemeinde Lindenbach" / "Daten.paktdesk"
    synced.parent.mkdir()
    synced.write_bytes(demo_file.read_bytes())
    answers.append(QMessageBox.StandardButton.No)
    startup = open_startup_workspace(synced)
    assert startup.workspace is None
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("question", "Speicherort nicht geeignet")
    assert "OneDrive" in text and "Festplatte dieses PCs" in text
    assert not lock_path(synced).exists()


def test_a_refused_file_can_be_copied_to_a_local_folder(qt_app, demo_file, tmp_path, message_boxes, answers,
                                                        monkeypatch):
    synced = tmp_path / "Nextcloud" / "Daten.paktdesk"
    synced.parent.mkdir()
    synced.write_bytes(demo_file.read_bytes())
    before = synced.read_bytes()
    target = tmp_path / "lokal" / "Daten.paktdesk"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    startup = open_startup_workspace(synced)
    workspace = startup.workspace
    try:
        assert workspace is not None and workspace.path == target and not workspace.read_only
        assert workspace.check() == []
        assert workspace.counts() == Workspace.open(synced, read_only=True).counts()
        assert read_lock(target) is not None and not lock_path(synced).exists()
    finally:
        workspace.close()
    assert synced.read_bytes() == before  # the original is left untouched
    assert not (target.parent / (target.name + ".json")).exists()
    assert any(title == "Datenbestand kopiert" for _, title, _ in message_boxes)


def test_mapped_network_drive_is_refused_and_a_usb_stick_only_warned(qt_app, demo_file, message_boxes, answers):
    from paktdesk.core.location import DriveType
    from paktdesk.ui.safe_open import open_guarded

    answers.append(QMessageBox.StandardButton.No)
    assert open_guarded(demo_file, drive_type=lambda root: DriveType.NETWORK) is None
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("question", "Speicherort nicht geeignet") and "Netzlaufwerk" in text
    assert not lock_path(demo_file).exists()

    workspace = open_guarded(demo_file, drive_type=lambda root: DriveType.REMOVABLE)
    try:
        assert workspace is not None and not workspace.read_only
        kind, title, text = message_boxes[-1]
        assert (kind, title) == ("information", "Hinweis zum Speicherort") and "USB-Stick" in text
    finally:
        workspace.close()
