"""The restore drill through the window: a backup made in Einstellungen → Datensicherung, the live
file destroyed (zero bytes, random bytes), the program started again through the app's start-up
path, the recovery dialog lists the backup, it is restored and the window opens on data that
passes every check. Also: restoring from the menu, and a tampered file found by the background
check at start with the newest good backup offered.

No modal dialog runs: message boxes are recorded (conftest), the recovery dialog's ``exec`` is
replaced by a function that clicks its buttons."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from paktdesk.app import create_application, create_main_window, open_startup_workspace
from paktdesk.core import entities as e
from paktdesk.db.backup import sidecar_of
from paktdesk.ui.backup_actions import RUNNING_CHECKS
from paktdesk.ui.recovery_dialog import RecoveryDialog
from paktdesk.workspace import Workspace


@pytest.fixture
def qt_app(qapp):
    return create_application()


@pytest.fixture
def answers(monkeypatch, message_boxes):
    """QMessageBox.question answers in order (Yes when the list runs out); every question is
    recorded in ``message_boxes`` as ("question", title, text)."""
    queue: list[QMessageBox.StandardButton] = []

    def question(parent, title, text, *args, **kwargs):
        message_boxes.append(("question", title, text))
        return queue.pop(0) if queue else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return queue


def open_window(qtbot, workspace):
    """The main window as the app builds it, after its background check has reported."""
    win = create_main_window(workspace)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.guard.last_report is not None, timeout=10000)
    return win


def snapshot(workspace: Workspace) -> tuple:
    counts = workspace.counts()
    counts.pop("audit_log")  # restoring is itself recorded in the audit log
    return counts, workspace.control_totals()


@pytest.mark.parametrize("damage", ["zero bytes", "random bytes"])
def test_restore_drill_after_the_live_file_was_destroyed(qt_app, qtbot, demo_file, message_boxes, answers,
                                                         monkeypatch, damage):
    startup = open_startup_workspace(demo_file)
    assert startup.workspace is not None and not startup.workspace.read_only
    win = open_window(qtbot, startup.workspace)
    assert win.guard.last_report.ok
    before = snapshot(win.workspace)
    page = win.show_section("settings").show_page("Datensicherung")
    result = page.make_backup()
    assert result is not None and result.path.is_file()
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)  # the deep check in the background
    assert [entry.ok for entry in page.table.entries] == [True]
    win.close()
    assert not win.guard.close_backup_error

    broken = b"" if damage == "zero bytes" else random.Random(7).randbytes(64 * 1024)
    demo_file.write_bytes(broken)

    seen = {}

    def restore_first(dialog: RecoveryDialog) -> int:
        qtbot.addWidget(dialog)
        seen["rows"] = [entry.path for entry in dialog.table.entries]
        seen["problem"] = dialog.problem_label.text()
        assert dialog.restore_button.isEnabled()
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", restore_first)
    startup = open_startup_workspace(demo_file)
    assert seen["rows"] == [result.path]
    assert "Demo-Lindenbach.paktdesk" in seen["problem"] and "Traceback" not in seen["problem"]
    assert any(kind == "question" and title == "Sicherung zurückspielen" for kind, title, _ in message_boxes)
    workspace = startup.workspace
    assert workspace is not None and startup.exit_code == 0 and not workspace.read_only
    assert workspace.check() == []
    assert snapshot(workspace) == before
    assert message_boxes[-1][:2] == ("information", "Sicherung zurückgespielt")

    aside = list((demo_file.parent / "Sicherungen").glob("*.paktdesk-alt"))
    assert len(aside) == 1 and aside[0].read_bytes() == broken  # the broken file kept as evidence

    win = open_window(qtbot, workspace)
    assert win.guard.last_report.ok
    assert win.workspace.audit_trail(limit=1)[0].action == "Sicherung zurückgespielt"
    win.close()


def test_cancelled_recovery_leaves_the_broken_file_alone(qt_app, qtbot, demo_file, monkeypatch):
    Workspace.open(demo_file).make_backup()
    demo_file.write_bytes(b"")
    monkeypatch.setattr(RecoveryDialog, "exec", lambda dialog: dialog.cancel_button.click() or dialog.result())
    startup = open_startup_workspace(demo_file)
    assert startup.workspace is None and startup.exit_code == 1
    assert demo_file.read_bytes() == b""


def test_a_damaged_file_without_backups_offers_to_search_elsewhere(qt_app, qtbot, demo_file, monkeypatch,
                                                                  tmp_path):
    from PySide6.QtWidgets import QFileDialog

    usb = tmp_path / "usb"
    usb.mkdir()
    ws = Workspace.open(demo_file)
    backup = ws.make_backup(to=usb).path
    ws.close()
    demo_file.write_bytes(b"")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(backup), "")))
    seen = {}

    def search_then_cancel(dialog: RecoveryDialog) -> int:
        qtbot.addWidget(dialog)
        seen["empty"] = dialog.stack.currentWidget() is dialog.empty_label
        seen["restorable_before"] = dialog.restore_button.isEnabled()
        dialog.browse_button.click()
        seen["rows"] = [entry.path for entry in dialog.table.entries]
        seen["restorable_after"] = dialog.restore_button.isEnabled()
        dialog.cancel_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", search_then_cancel)
    assert open_startup_workspace(demo_file).workspace is None
    assert seen == {"empty": True, "restorable_before": False, "rows": [backup], "restorable_after": True}


def test_restore_from_the_menu(qt_app, qtbot, demo_file, message_boxes, answers, monkeypatch):
    win = open_window(qtbot, open_startup_workspace(demo_file).workspace)
    old = win.backup_now()
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)
    before = snapshot(win.workspace)
    provider = win.workspace.providers()[0].id
    assert win.ctx.perform(lambda: win.workspace.save_person(e.Person(None, "Nach", "Sicherung", provider)))
    assert snapshot(win.workspace) != before

    def choose_old(dialog: RecoveryDialog) -> int:
        qtbot.addWidget(dialog)
        row = next(number for number, entry in enumerate(dialog.table.entries) if entry.path == old.path)
        dialog.table.selectRow(row)
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", choose_old)
    win.restore_action.trigger()
    assert snapshot(win.workspace) == before  # the window works on the restored file
    assert win.workspace.check() == []
    assert win.counts_label.text().startswith(f"{before[0]['persons']} Personen")
    reasons = [entry.reason for entry in win.workspace.backups()]
    assert "restore" in reasons  # the state before restoring was backed up first
    assert message_boxes[-1][:2] == ("information", "Sicherung zurückgespielt")


def test_restore_from_the_menu_needs_confirmation(qt_app, qtbot, demo_file, answers, monkeypatch):
    win = open_window(qtbot, open_startup_workspace(demo_file).workspace)
    win.backup_now()
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)
    answers.append(QMessageBox.StandardButton.No)
    audit_rows = win.workspace.counts()["audit_log"]

    def click_restore(dialog: RecoveryDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.restore_button.click()
        assert dialog.isVisible() or dialog.result() == 0
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", click_restore)
    assert win.restore_backup() is None
    assert win.workspace.counts()["audit_log"] == audit_rows


def tamper_with_an_amount(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE receipts SET amount_cents = amount_cents + 100 WHERE id = (SELECT min(id) FROM receipts)")
    conn.commit()
    conn.close()


def test_background_check_finds_tampering_and_restores_the_newest_good_backup(qt_app, qtbot, demo_file,
                                                                              message_boxes, answers):
    ws = Workspace.open_guarded(demo_file)
    good = ws.make_backup()
    totals = ws.control_totals()
    ws.close()
    tamper_with_an_amount(demo_file)

    startup = open_startup_workspace(demo_file)  # the quick check does not see an edited amount
    assert startup.workspace is not None
    win = create_main_window(startup.workspace)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.guard.check_finished, timeout=10000) as finished:
        win.show()
    report = finished.args[0]
    assert not report.ok and report.suggestion.path == good.path
    _, title, text = next(box for box in message_boxes if box[0] == "question")
    assert title == "Datenbestand beschädigt oder verändert"
    assert "außerhalb von PaktDesk verändert" in text and "Jetzt zurückspielen?" in text
    assert win.workspace.check() == [] and win.workspace.control_totals() == totals
    aside = list((demo_file.parent / "Sicherungen").glob("*.paktdesk-alt"))
    assert len(aside) == 1


def test_datei_pruefen_reports_tampering_without_repairing(qt_app, qtbot, demo_file, message_boxes, answers):
    win = open_window(qtbot, open_startup_workspace(demo_file).workspace)
    page = win.show_section("settings").show_page("Datensicherung")
    report = page.check_file()
    assert report.ok and "in Ordnung" in page.check_label.text()
    tamper_with_an_amount(demo_file)
    tampered = demo_file.read_bytes()
    report = page.check_file()
    assert not report.ok
    assert "3 Problem(e)" in page.check_label.text()  # row hash, control totals and the hash chain
    assert "außerhalb von PaktDesk verändert." in page.check_label.text().splitlines()[-1]
    assert "außerhalb von PaktDesk verändert" in page.check_label.text()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("critical", "Datenbestand beschädigt oder verändert")
    assert "keine geprüfte Sicherung" in text  # no backup yet: nothing offered
    assert demo_file.read_bytes() == tampered  # never repaired in place
    win.close()  # a tampered file is not backed up: the clerk is told, the window still closes
    assert "Prüfung nicht bestanden" in win.guard.close_backup_error and not win.isVisible()
    assert message_boxes[-1][:2] == ("warning", "Sicherung beim Schließen fehlgeschlagen")
    assert demo_file.read_bytes() == tampered


# --- "Jetzt sichern": the snapshot, then the deep check in the background ---------------------------

def sidecar_state(path) -> str:
    return json.loads(sidecar_of(path).read_text(encoding="utf-8"))["deep_check"]


def test_backup_now_returns_after_the_snapshot_and_the_check_follows_in_the_background(qt_app, qtbot, demo_file):
    win = open_window(qtbot, open_startup_workspace(demo_file).workspace)
    page = win.show_section("settings").show_page("Datensicherung")
    page.backup_button.click()
    entry = page.table.entries[0]
    state_cell = page.table.item(0, page.table.columnCount() - 1)
    assert entry.pending and state_cell.text() == "Prüfung ausstehend" and "Hintergrund" in state_cell.toolTip()
    assert "Prüfung ausstehend" in page.detail_label.text()
    assert win.statusBar().currentMessage().startswith(f"Sicherung angelegt: {entry.path.name}")
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)
    assert win.statusBar().currentMessage() == f"Sicherung geprüft: {entry.path.name} ist in Ordnung."
    assert sidecar_state(entry.path) == "geprüft"
    assert page.table.entries[0].ok and page.table.item(0, page.table.columnCount() - 1).text() == "ja"
    assert page.restore_button.isEnabled()


def test_a_failed_deep_check_says_the_live_file_may_be_damaged_and_offers_the_full_check(
        qt_app, qtbot, demo_file, message_boxes, answers):
    tamper_with_an_amount(demo_file)  # behind PaktDesk's back: only the money check sees it
    win = open_window(qtbot, open_startup_workspace(demo_file).workspace)
    assert not win.guard.last_report.ok  # the session's own check found it too (nothing to restore)
    message_boxes.clear()
    page = win.show_section("settings").show_page("Datensicherung")
    result = page.make_backup()
    assert result is not None and result.pending is not None
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)
    kind, title, text = message_boxes[0]
    assert (kind, title) == ("question", "Sicherung fehlerhaft – Datenbestand prüfen")
    assert "Datenbestand selbst beschädigt" in text and "Belege" in text and "Jetzt den Datenbestand" in text
    assert message_boxes[1][:2] == ("critical", "Datenbestand beschädigt oder verändert")  # the full check ran
    assert "fehlerhaft" in win.statusBar().currentMessage()
    assert sidecar_state(result.path) == "fehlgeschlagen"
    entry = page.table.entries[0]
    assert entry.path == result.path and not entry.restorable
    assert page.table.item(0, page.table.columnCount() - 1).text() == "Prüfung fehlgeschlagen"
    page.table.selectRow(0)
    assert not page.restore_button.isEnabled()


def test_a_backup_left_unchecked_is_checked_after_the_next_start(qt_app, qtbot, demo_file):
    ws = Workspace.open_guarded(demo_file)
    try:
        left = ws.make_backup(deep_check="later").path  # the program ended before the check
    finally:
        ws.close()
    assert sidecar_state(left) == "ausstehend"
    win = create_main_window(open_startup_workspace(demo_file).workspace)
    qtbot.addWidget(win)
    shown: list[str] = []  # the session's own check may report before or after the backup's
    win.statusBar().messageChanged.connect(shown.append)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.guard.last_report is not None and not RUNNING_CHECKS, timeout=20000)
    assert sidecar_state(left) == "geprüft"
    assert f"Sicherung geprüft: {left.name} ist in Ordnung." in shown


def test_restoring_another_gemeindes_backup_asks_first(qt_app, qtbot, demo_file, message_boxes, answers,
                                                       monkeypatch):
    win = open_window(qtbot, open_startup_workspace(demo_file).workspace)
    old = win.backup_now()
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)
    profile = win.workspace.profile()
    other_ags = "08111000" if profile.ags != "08111000" else "08125097"
    assert win.ctx.perform(lambda: win.workspace.save_profile(e.Profile(
        name="Gemeinde Anderswo", kind=profile.kind, ags=other_ags, contact_name=profile.contact_name)))

    def choose_old(dialog: RecoveryDialog) -> int:
        qtbot.addWidget(dialog)
        row = next(number for number, entry in enumerate(dialog.table.entries) if entry.path == old.path)
        dialog.table.selectRow(row)
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", choose_old)
    answers.extend([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No])
    win.restore_action.trigger()
    question = message_boxes[-1]
    assert question[:2] == ("question", "Sicherung einer anderen Gemeinde")
    assert profile.ags in question[2] and other_ags in question[2]
    assert win.workspace.profile().ags == other_ags  # "No": nothing was replaced

    win.restore_action.trigger()  # both questions answered "Yes"
    assert win.workspace.profile().ags == profile.ags
    assert win.workspace.check() == []
