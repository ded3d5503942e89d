"""Einstellungen → Datensicherung and Änderungsprotokoll, the backup on close, deleting a person's
personal data, and the crash dialog's "Details kopieren"."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from paktdesk.app import (
    create_application,
    create_main_window,
    handle_exception,
    open_startup_workspace,
)
from paktdesk.core import entities as e
from paktdesk.db.backup import sidecar_of
from paktdesk.ui.backup_actions import RUNNING_CHECKS
from paktdesk.ui.dialogs.erase_person import ErasePersonDialog
from paktdesk.ui.dialogs.trash import TrashDialog
from paktdesk.ui.pages.audit_log import CUSTOM, change_summary
from paktdesk.workspace import Workspace


@pytest.fixture
def qt_app(qapp):
    return create_application()


@pytest.fixture
def win(qt_app, qtbot, demo_file):
    """The window as the app opens it (with the lock), after the background check reported."""
    window = create_main_window(open_startup_workspace(demo_file).workspace)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.guard.last_report is not None, timeout=10000)
    return window


def backups_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.paktdesk")) if folder.is_dir() else []


# --- Datensicherung ---------------------------------------------------------------------------------

def test_backup_tab_makes_verified_backups_and_saves_rotation_and_second_target(qtbot, win, tmp_path, monkeypatch):
    page = win.show_section("settings").show_page("Datensicherung")
    assert page.table.rowCount() == 0 and not page.empty_label.isHidden()
    usb = tmp_path / "usb-stick"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: str(usb)))
    page.choose_second_button.click()
    page.daily_spin.setValue(3)
    page.monthly_spin.setValue(24)
    assert page.daily_spin.suffix() == " Tage"
    page.save_rotation_button.click()
    settings = win.workspace.backup_settings()
    assert (settings.keep.daily, settings.keep.weekly, settings.keep.monthly) == (3, 4, 24)
    assert settings.second_folder == usb

    page.backup_button.click()  # the snapshot; its deep check runs in the background
    entries = page.table.entries
    assert len(entries) == 1 and entries[0].pending and entries[0].reason == "manual"
    assert win.statusBar().currentMessage().startswith("Sicherung angelegt:")
    qtbot.waitUntil(lambda: win.statusBar().currentMessage().startswith("Sicherung geprüft"), timeout=20000)
    entries = page.table.entries  # the page refreshed itself
    assert len(entries) == 1 and entries[0].ok and entries[0].reason == "manual"
    assert page.table.item(0, page.table.columnCount() - 1).text() == "ja"
    assert page.table.item(0, 2).text() == "Gemeinde Lindenbach"
    assert "Belege über" in page.detail_label.text()
    assert len(backups_in(usb)) == 1  # copied to the second target after the check
    assert json.loads(sidecar_of(backups_in(usb)[0]).read_text(encoding="utf-8"))["deep_check"] == "geprüft"
    page.clear_second_button.click()
    page.save_rotation_button.click()
    assert win.workspace.backup_settings().second_folder is None


def test_retention_periods_are_saved_with_singular_units(win):
    page = win.show_section("settings").show_page("Datensicherung")
    spins = page.retention_spins
    spins["grant_files_years"].setValue(7)
    spins["accounts_lag_years"].setValue(1)
    assert spins["accounts_lag_years"].suffix() == " Jahr" and spins["grant_files_years"].suffix() == " Jahre"
    page.save_retention_button.click()
    retention = win.workspace.retention()
    assert retention.grant_files_years == 7 and retention.accounts_lag_years == 1
    assert win.workspace.audit_trail(limit=1)[0].action == "Aufbewahrungsfristen gespeichert"


def test_backup_on_close_runs_when_something_changed(qtbot, win, demo_file):
    folder = demo_file.parent / "Sicherungen"
    win.ctx.perform(lambda: win.workspace.save_setting("probe", 1))
    win.close()
    made = win.guard.last_close_backup
    assert made is not None and made.path.parent == folder and made.summary.reason == "close"
    assert Workspace.backup_info(made.path).ok
    assert not win.isVisible()


def test_closing_without_changes_makes_no_second_backup(qtbot, win, demo_file):
    win.backup_now()
    qtbot.waitUntil(lambda: not RUNNING_CHECKS, timeout=20000)
    win.close()
    assert win.guard.last_close_backup is None and not win.guard.close_backup_error
    assert len(backups_in(demo_file.parent / "Sicherungen")) == 1


def test_a_failing_backup_on_close_is_told_but_does_not_block_closing(qtbot, win, demo_file, message_boxes):
    (demo_file.parent / "Sicherungen").write_text("kein Ordner", encoding="utf-8")
    win.ctx.perform(lambda: win.workspace.save_setting("probe", 2))
    win.close()
    assert not win.isVisible()
    kind, title, text = message_boxes[-1]
    assert (kind, title) == ("warning", "Sicherung beim Schließen fehlgeschlagen")
    assert "vollständig gespeichert" in text and "Traceback" not in text
    reopened = Workspace.open(demo_file, read_only=True)
    assert reopened.setting("probe") == 2  # the data itself is saved


# --- Änderungsprotokoll -------------------------------------------------------------------------------

def local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone().date()


def test_audit_view_is_lazy_and_filters_by_period_and_area(win):
    page = win.show_section("settings").show_page("Änderungsprotokoll")
    ws = win.workspace
    total = ws.audit_trail_count()
    assert total > page.model.PAGE_SIZE  # the demo has more entries than one page
    assert page.model.rowCount() == total and page.model.fetches <= 2
    assert page.count_label.text() == f"{total} Einträge"

    page.set_entity("receipts")
    receipts = ws.audit_trail_count(entity="receipts")
    assert 0 < receipts < total and page.model.rowCount() == receipts
    assert page.model.index(0, 3).data() == "Beleg"

    newest = local_day(ws.audit_trail(limit=1)[0].at)
    page.today = newest
    page.set_period(4)  # Dieses Jahr
    assert page.model.rowCount() == receipts
    page.set_period(5)  # Letztes Jahr
    assert page.model.rowCount() == 0 and not page.empty_label.isHidden() and not page.csv_button.isEnabled()
    page.set_period(CUSTOM, date(newest.year - 3, 1, 1), date(newest.year - 1, 12, 31))
    assert page.model.rowCount() == 0
    page.set_period(CUSTOM, newest, newest)
    assert page.model.rowCount() == ws.audit_trail_count(entity="receipts", period=page.current_period())
    page.set_entity(None)
    page.set_period(0)
    assert page.model.rowCount() == total


def test_audit_view_shows_old_and_new_readably_and_follows_changes(win):
    page = win.show_section("settings").show_page("Änderungsprotokoll")
    ws = win.workspace
    receipt = ws.receipts(ws.decisions()[0].id)[-1]
    before = page.model.rowCount()
    from dataclasses import replace

    assert win.ctx.perform(lambda: ws.update_receipt(replace(receipt, amount_cents=2_465, purpose="Druckerpapier")))
    assert page.model.rowCount() == before + 1  # refreshed after the change
    page.table.selectRow(0)
    entry = page.model.entry(0)
    assert entry.entity == "receipts"
    summary = change_summary(entry)
    assert "Betrag:" in summary and "→ 24,65 €" in summary and "Druckerpapier" in summary
    rows = {page.detail.item(row, 0).text(): (page.detail.item(row, 1).text(), page.detail.item(row, 2).text())
            for row in range(page.detail.rowCount())}
    assert rows["Betrag"][1] == "24,65 €" and rows["Zweck"] == (receipt.purpose, "Druckerpapier")
    assert "Beleg" in page.detail_title.text()


def test_audit_view_names_areas_and_fields_in_german(win, tmp_path):
    page = win.show_section("settings").show_page("Änderungsprotokoll")
    ws = win.workspace
    from dataclasses import replace

    key = next(item.key for item in ws.deadlines() if item.deadline.done_on is None)
    assert win.ctx.perform(lambda: ws.mark_deadline_done(key))
    profile = ws.profile()
    assert win.ctx.perform(lambda: ws.save_profile(replace(profile, bank_name="Sparkasse Test",
                                                           has_audit_office=not profile.has_audit_office)))
    assert "Erledigte Fristen" in [page.entity_combo.itemText(i) for i in range(page.entity_combo.count())]
    page.table.selectRow(1)  # the deadline marked done (newest first)
    assert page.model.index(1, 3).data() == "Erledigte Fristen"
    fields = [page.detail.item(row, 0).text() for row in range(page.detail.rowCount())]
    assert "Betrifft" in fields and "Erledigt von" in fields and "concerns" not in fields
    page.table.selectRow(0)
    summary = page.model.index(0, 5).data()
    assert "Bank: Kreissparkasse (Demo) → Sparkasse Test" in summary and "bank_name" not in summary
    assert "Rechnungsprüfungsamt:" in summary and "has_audit_office" not in summary
    page.set_entity("key_figures")
    assert "(" in page.model.index(0, 5).data()  # a key figure's name stands beside its code
    page.set_entity(None)
    page.table.selectRow(0)
    win.grab().save(str(tmp_path / "aenderungsprotokoll.png"))


def test_audit_csv_export_uses_the_filter(win, tmp_path, monkeypatch):
    page = win.show_section("settings").show_page("Änderungsprotokoll")
    target = tmp_path / "protokoll.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    page.set_entity("payments")
    assert page.export_csv() == target
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:5] == ["Nr.", "Zeitpunkt", "Benutzer", "Aktion", "Bereich"]
    assert {row[4] for row in rows[1:]} == {"Zahlung"}
    assert len({row[0] for row in rows[1:]}) == win.workspace.audit_trail_count(entity="payments")
    assert page.pdf_button.isHidden() != hasattr(win.workspace, "print_audit_trail")


# --- personal data ---------------------------------------------------------------------------------

def test_erasure_is_refused_while_retention_blocks_it(qtbot, win, message_boxes):
    ws = win.workspace
    person = ws.persons()[0]
    dialog = ErasePersonDialog(win.ctx, person.id, win)
    qtbot.addWidget(dialog)
    assert not dialog.allowed
    text = dialog.verdict_label.text()
    assert "noch nicht gelöscht" in text and "Verwendungsnachweis ist noch nicht eingereicht" in text
    assert dialog.delete_button.isHidden() and dialog.name_edit.isHidden()
    dialog.name_edit.setText(person.full_name)
    dialog.erase()  # even if called, nothing happens
    assert dialog.change is None and ws.person(person.id).last_name == person.last_name


def test_erasure_needs_the_typed_name_and_then_deletes(qtbot, win):
    ws = win.workspace
    provider = ws.providers()[0].id
    person_id = win.ctx.perform(lambda: ws.save_person(e.Person(None, "Frieda", "Probst", provider,
                                                                email="f.probst@example.org"))).ids[0]
    dialog = ErasePersonDialog(win.ctx, person_id, win)
    qtbot.addWidget(dialog)
    assert dialog.allowed and "Löschung ist erlaubt" in dialog.verdict_label.text()
    dialog.name_edit.setText("Frieda Probs")
    assert not dialog.delete_button.isEnabled()
    dialog.name_edit.setText("  frieda   probst ")
    assert dialog.delete_button.isEnabled()
    dialog.delete_button.click()
    assert dialog.change is not None and dialog.change.action == "Personenbezogene Daten gelöscht"
    erased = ws.person(person_id)
    assert erased.last_name == f"Gelöscht (Nr. {person_id})" and erased.email == ""
    assert b"f.probst@example.org" not in ws.path.read_bytes()


def test_erasure_is_reached_from_the_context_menu_and_the_papierkorb(qtbot, win, monkeypatch):
    opened = []
    monkeypatch.setattr(ErasePersonDialog, "exec", lambda dialog: opened.append(dialog.person_id) or 0)
    page = win.show_section("persons").page("Personen")
    page.table.setCurrentIndex(page.model.index(0, 0))
    menu = page.context_menu()
    action = next(a for a in menu.actions() if a.text() == "Personenbezogene Daten löschen …")
    assert action.isEnabled()
    action.trigger()
    assert opened == [page.model.row_id(0)]

    ws = win.workspace
    provider = ws.providers()[0].id
    person_id = ws.save_person(e.Person(None, "Paul", "Papierkorb", provider)).ids[0]
    ws.delete_person(person_id)
    trash = TrashDialog(win.ctx, win)
    qtbot.addWidget(trash)
    row = next(r for r in range(trash.table.rowCount()) if trash.table.item(r, 1).text().startswith("Papierkorb"))
    trash.table.selectRow(row)
    assert trash.erase_button.isEnabled()
    trash.erase_button.click()
    assert opened[-1] == person_id


# --- crash dialog ----------------------------------------------------------------------------------

def test_crash_dialog_copies_the_report(qt_app, monkeypatch, message_boxes):
    def click_copy(box):
        message_boxes.append(("exec", box.windowTitle(), box.text()))
        next(button for button in box.buttons() if button.text() == "Details &kopieren").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_copy)
    QApplication.clipboard().clear()
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        handle_exception(*sys.exc_info())
    copied = QApplication.clipboard().text()
    assert "PaktDesk – Fehlerbericht" in copied and "ZeroDivisionError" in copied
    assert "Ihre Daten sind sicher" in message_boxes[-1][2]
