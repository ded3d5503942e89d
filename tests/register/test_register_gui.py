"""The register GUI with real widgets on a demo copy: person dialog with bad then good input, the
deadline board's colours and "erledigt", the person's file, Papierkorb, settings, bulk shift."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog

from paktdesk.core.deadlines import Urgency
from paktdesk.core.requalification import RequalStatus
from paktdesk.ui.dialogs.employment import EmploymentDialog, InterruptionDialog
from paktdesk.ui.dialogs.person import PersonDialog
from paktdesk.ui.dialogs.person_file import PersonFileDialog
from paktdesk.ui.dialogs.qualification import RequalificationDialog
from paktdesk.ui.dialogs.shift_deadlines import ShiftDeadlinesDialog
from paktdesk.ui.dialogs.trash import TrashDialog
from paktdesk.ui.pages.deadlines import URGENCY_COLOURS
from paktdesk.workspace import Workspace

from .helpers import person_by_name

TODAY = date(2025, 6, 1)


@pytest.fixture
def stored(demo_path):
    """What is really in the file, through a second connection."""
    def read():
        return Workspace.open(demo_path, read_only=True)
    return read


def _board(window, *, reopen: tuple[str, ...] = ()):
    """The Übersicht's board on TODAY; ``reopen``: deadlines the demo has marked done, unmarked
    again (the demo shows nothing overdue on its story day)."""
    for key in reopen:
        window.ctx.workspace.unmark_deadline_done(key)
    board = window.show_section("overview").currentWidget().panels[0]
    board.set_today(TODAY)
    return board


def test_the_demo_board_opens_on_the_demos_story_day(window):
    board = window.show_section("overview").currentWidget().panels[0]
    assert board.today == board.demo_day == TODAY  # the demo's setting, not the real day
    assert board.summary_label.text().startswith("Stand 01.06.2025 (Stichtag der Demo): 0 überfällig, ")
    assert not [i for i in board.items if i.urgency == Urgency.OVERDUE]


def test_add_person_bad_then_good_input(window, qtbot, stored):
    page = window.show_section("persons").show_page("Personen")
    before = page.model.rowCount()
    dialog = PersonDialog(window.ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.first_name_edit, "Aylin")
    qtbot.keyClicks(dialog.start_edit, "01.03.2025")
    dialog.vza_edit.clear()
    qtbot.keyClicks(dialog.vza_edit, "0,1")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("b"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.messages.texts() == ["Bitte den Nachnamen angeben."]
    assert dialog.messages.message("last_name") == "Bitte den Nachnamen angeben."
    assert dialog.focusWidget() is dialog.last_name_edit
    qtbot.keyClicks(dialog.last_name_edit, "Demir")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.messages.message("last_name") == ""  # corrected: its message is gone
    assert "mindestens 0,25" in dialog.messages.message("vza")
    assert dialog.focusWidget() is dialog.vza_edit and "b3261e" in dialog.vza_edit.styleSheet()
    ws = stored()
    assert len(ws.persons()) == before  # nothing saved
    ws.close()
    dialog.vza_edit.clear()
    qtbot.keyClicks(dialog.vza_edit, "0,5")
    qtbot.keyClick(dialog.vza_edit, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    ws = stored()
    demir = person_by_name(ws, "Demir")
    assert [(s.first_day, s.vza_milli) for s in ws.employments(demir.id)] == [(date(2025, 3, 1), 500)]
    assert ws.current_category(demir.id) == "b"
    ws.close()
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1)


def test_board_colours_on_demo_data(window):
    board = _board(window, reopen=("kennzahlen:2024",))
    rows = {item.key: row for row, item in enumerate(board.items)}
    assert board.table.rowCount() == len(board.items) == 5
    by_urgency = {}
    for row, item in enumerate(board.items):
        by_urgency.setdefault(item.urgency, []).append(row)
        background = board.table.item(row, 0).background().color().name()
        expected = URGENCY_COLOURS[item.urgency]
        if expected:
            assert background == expected, item.key
        else:
            assert board.table.item(row, 0).background().style() == Qt.BrushStyle.NoBrush
    assert len(by_urgency[Urgency.OVERDUE]) == 1 and len(by_urgency[Urgency.SOON]) == 1
    assert len(by_urgency[Urgency.FAR]) == 3
    lena = board.items[by_urgency[Urgency.SOON][0]]
    assert "Lena Weiß" in lena.deadline.concerns and board.table.item(rows[lena.key], 0).text() == "01.07.2025"
    assert board.summary_label.text().startswith("Stand 01.06.2025 (Stichtag der Demo): 1 überfällig, 1 bald fällig")


def test_mark_done_through_the_board(window, qtbot, stored):
    board = _board(window, reopen=("kennzahlen:2024",))
    assert not board.done_button.isEnabled()  # nothing selected
    board.table.selectRow(next(r for r, i in enumerate(board.items) if i.key == "kennzahlen:2024"))
    assert board.done_button.isEnabled()
    with qtbot.waitSignal(window.ctx.changed):
        qtbot.mouseClick(board.done_button, Qt.MouseButton.LeftButton)
    assert "kennzahlen:2024" not in [i.key for i in board.items]
    ws = stored()
    done = next(i for i in ws.deadlines(TODAY) if i.key == "kennzahlen:2024")
    assert done.urgency == Urgency.DONE and done.done_by == "test.sachbearbeitung"
    ws.close()
    board.show_all_check.setChecked(True)
    row = board.row_of("kennzahlen:2024")
    assert board.table.item(row, 4).text().startswith("erledigt ") and "test.sachbearbeitung" in \
        board.table.item(row, 4).text()
    board.table.selectRow(row)
    assert board.undo_button.isEnabled() and not board.done_button.isEnabled()


def test_ics_export_from_the_board(window, tmp_path, monkeypatch, message_boxes):
    target = tmp_path / "Fristen"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    board = _board(window)
    path = board.export_ics()
    assert path == tmp_path / "Fristen.ics" and path.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert path.read_bytes().count(b"STATUS:CONFIRMED") == 4  # those done go out as STATUS:CANCELLED
    assert path.read_bytes().count(b"BEGIN:VEVENT") == 4 + path.read_bytes().count(b"STATUS:CANCELLED")
    assert "4 offene Fristen" in message_boxes.texts("information")[-1]


def test_person_file_interruption_moves_the_board(window, qtbot, stored):
    ws = window.ctx.workspace
    sabine = person_by_name(ws, "Keller")
    board = _board(window)
    file_dialog = PersonFileDialog(window.ctx, sabine.id, window, today=TODAY)
    qtbot.addWidget(file_dialog)
    file_dialog.show()
    assert file_dialog.interruptions_table.rowCount() == 0
    dialog = InterruptionDialog(window.ctx, sabine, None, file_dialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.first_edit, "01.03.2019")  # outside her shares (gap 2019–2023)
    qtbot.keyClicks(dialog.last_edit, "31.12.2022")
    assert not dialog.try_save()
    assert "außerhalb der Beschäftigung" in " ".join(dialog.messages.texts())
    dialog.first_edit.setText("01.03.2024")
    dialog.last_edit.setText("31.12.2024")
    dialog.reason_combo.setCurrentText("Lange Krankheit")
    assert dialog.try_save()
    assert file_dialog.interruptions_table.rowCount() == 1
    assert file_dialog.interruptions_table.item(0, 2).text() == "306"
    keys = [i.key for i in board.items]
    assert any(k.startswith("verlaengerung:") and f":{sabine.id}:" in k for k in keys)


def test_share_above_one_vza_refused_in_the_dialog(window, qtbot, stored):
    sabine = person_by_name(window.ctx.workspace, "Keller")
    dialog = EmploymentDialog(window.ctx, sabine, None, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.first_edit, "01.01.2025")
    qtbot.keyClicks(dialog.vza_edit, "0,25")
    assert not dialog.try_save()
    assert " ".join(dialog.messages.texts()).startswith("Am 01.01.2025 hätte die Person zusammen 1,25 VZÄ")
    ws = stored()
    assert len(ws.employments(sabine.id)) == 2
    ws.close()


def test_requalification_dialog_rule_deadline_reason_and_certificate(window, qtbot, tmp_path, monkeypatch,
                                                                     stored):
    ws = window.ctx.workspace
    mehmet = person_by_name(ws, "Yıldız")
    current = ws.requalifications(mehmet.id)[-1]
    scan = tmp_path / "Zertifikat.pdf"
    scan.write_bytes(b"%PDF-1.4 Zertifikat Yildiz")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(scan), "")))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))

    dialog = RequalificationDialog(window.ctx, mehmet, current, window, today=date(2026, 6, 1))
    qtbot.addWidget(dialog)
    assert dialog.deadline_edit.text() == "01.09.2027"
    assert "Nach der Regel: 01.09.2027" in dialog.rule_label.text()
    dialog.deadline_edit.setText("01.12.2027")
    assert not dialog.try_save()
    assert "Grund" in dialog.messages.message("deadline_reason")
    qtbot.keyClicks(dialog.reason_edit, "Elternzeit im Kurs")
    dialog.done_edit.setText("240")
    qtbot.keyClicks(dialog.completed_edit, "15.05.2026")
    qtbot.mouseClick(dialog.file_chooser.button, Qt.MouseButton.LeftButton)
    assert dialog.file_chooser.label.text() == "neu: Zertifikat.pdf"
    assert dialog.try_save()
    check = stored()
    assert check.requalification_status(mehmet.id, date(2026, 6, 1)).status == RequalStatus.COMPLETED
    newest = check.requalifications(mehmet.id)[-1]
    assert (newest.deadline, newest.deadline_reason) == (date(2027, 12, 1), "Elternzeit im Kurs")
    check.close()

    file_dialog = PersonFileDialog(window.ctx, mehmet.id, window, today=date(2026, 6, 1))
    qtbot.addWidget(file_dialog)
    assert file_dialog.requal_table.rowCount() == 2
    assert file_dialog.requal_table.item(0, 7).text() == "liegt vor"
    assert "abgeschlossen" in file_dialog.status_label.text()
    file_dialog.requal_table.selectRow(0)
    file_dialog.open_certificate()
    assert len(opened) == 1
    assert open(opened[0].toLocalFile(), "rb").read() == b"%PDF-1.4 Zertifikat Yildiz"


def test_new_requalification_fills_the_rule_deadline(window, qtbot):
    julia = person_by_name(window.ctx.workspace, "Schäfer")
    dialog = RequalificationDialog(window.ctx, julia, None, window, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.deadline_edit.text() == ""
    qtbot.keyClicks(dialog.start_edit, "31.08.2023")
    dialog.start_edit.editingFinished.emit()
    assert dialog.deadline_edit.text() == "31.08.2025"
    dialog.start_edit.setText("29.02.2024")
    dialog.start_edit.editingFinished.emit()
    assert dialog.deadline_edit.text() == "28.02.2026"  # follows the start while not typed by hand


def test_delete_person_papierkorb_and_restore(window, qtbot, message_boxes, stored):
    ws = window.ctx.workspace
    page = window.show_section("persons").show_page("Personen")
    dialog = PersonDialog(window.ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.last_name_edit.setText("Irrtum")
    assert dialog.try_save()
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)
    sabine_row = next(r for r in range(page.model.rowCount()) if page.model.index(r, 0).data() == "Keller, Sabine")
    page.table.selectRow(sabine_row)
    message_boxes.answers.append(True)
    page.delete_selected()
    assert "gebucht" in message_boxes.texts("warning")[-1]  # money booked: refused
    row = next(r for r in range(page.model.rowCount()) if page.model.index(r, 0).data() == "Irrtum, ")
    page.table.selectRow(row)
    message_boxes.answers.append(False)
    page.delete_selected()  # the clerk says no
    assert page.model.rowCount() == 6
    page.table.selectRow(row)
    message_boxes.answers.append(True)
    with qtbot.waitSignal(window.ctx.changed):
        page.delete_selected()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    trash = TrashDialog(window.ctx, page)
    qtbot.addWidget(trash)
    assert trash.table.rowCount() == 1 and trash.table.item(0, 1).text() == "Irrtum, "
    trash.table.selectRow(0)
    qtbot.mouseClick(trash.restore_button, Qt.MouseButton.LeftButton)
    assert trash.empty_label.isVisibleTo(trash) and ws.trash() == ([], [])
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)


def test_settings_rule_change_shows_what_changed(window, message_boxes, stored):
    page = window.show_section("settings").show_page("Nachqualifizierung und Fristen")
    page.today = date(2026, 6, 1)
    assert page.rule_combo.currentText() == "VwV Integrationsmanagement 2023/2024"
    page.months_spin.setValue(6)
    result = page.save_rules()
    assert [c.name for c in result.status_changes] == ["Mehmet Yıldız"]
    assert "Nachqualifizierung läuft → Nachqualifizierung überfällig" in message_boxes.texts("information")[-1]
    page.rate_edits["c"].setText("sechzig")
    assert page.save_rules() is None and "kein gültiger Betrag" in page.rules_error.text()
    page.lead_spins["verwendungsnachweis"][0].setValue(200)
    assert not page.save_lead() and "Vorlaufzeiten" in page.lead_error.text()
    page.lead_spins["verwendungsnachweis"][1].setValue(240)
    assert page.save_lead()
    ws = stored()
    assert ws.lead_times().for_kind("verwendungsnachweis") == (200, 240)
    assert ws.requalification_status(person_by_name(ws, "Yıldız").id, date(2026, 6, 1)).status == \
        RequalStatus.OVERDUE
    ws.close()


def test_shift_dialog(window, qtbot, stored):
    dialog = ShiftDeadlinesDialog(window.ctx, window, today=TODAY)
    qtbot.addWidget(dialog)
    assert len(dialog.boxes) == 1
    dialog.months_spin.setValue(3)
    assert not dialog.try_save() and "Vermerk" in " ".join(dialog.messages.texts())
    qtbot.keyClicks(dialog.note_edit, "Erlass vom 12.05.2025")
    assert dialog.try_save()
    ws = stored()
    assert ws.requalification_status(person_by_name(ws, "Yıldız").id, TODAY).deadline == date(2027, 12, 1)
    ws.close()


def test_qualification_overview_filters_and_colours(window):
    page = window.show_section("persons").show_page("Qualifikationsübersicht")
    page.today = TODAY
    page.refresh()
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert names == sorted(names)
    page.status_combo.setCurrentIndex(page.status_combo.findData(RequalStatus.RUNNING))
    visible = [r for r in range(page.table.rowCount()) if not page.table.isRowHidden(r)]
    assert [page.table.item(r, 0).text() for r in visible] == ["Yıldız, Mehmet"]
    assert page.table.item(visible[0], 5).text() == "01.09.2027"
    assert page.count_label.text() == "1 von 5 Personen"


def test_qualification_overview_csv(window, tmp_path, monkeypatch):
    target = tmp_path / "Liste"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    page = window.show_section("persons").show_page("Qualifikationsübersicht")
    path = page.export_csv()
    assert path == tmp_path / "Liste.csv"
    assert path.read_bytes().count(b"\r\n") == 6  # header + 5 persons
