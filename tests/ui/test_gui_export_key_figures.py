"""The Kennzahlen grid on the demo: an implausible entry is marked at its field and nothing is
saved; a valid entry of several subjects is saved in one transaction and comes back after a
reload; last year's values are carried forward; the list of figures in Einstellungen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMessageBox

from paktdesk.core.errors import ValidationError
from paktdesk.ui.pages.key_figures import (
    ERROR_COLOUR,
    PREVIOUS_ROLE,
    WARNING_COLOUR,
    KeyFigurePage,
)


@pytest.fixture
def page(window) -> KeyFigurePage:
    page = window.show_section("persons").show_page("Kennzahlen")
    page.set_year(2025)
    return page


def _stored(check_ws, year, person_id=None):
    ws = check_ws()
    try:
        return ws.key_figures(year, person_id), len(ws.audit_entries(entity="key_figures"))
    finally:
        ws.close()


def _type(qtbot, page, person_id, code, text):
    """Type into a cell the way a clerk does: select it, type, Enter."""
    item = page.item(person_id, code)
    page.table.setCurrentItem(item)
    page.table.editItem(item)
    (editor,) = [w for w in page.table.viewport().findChildren(QLineEdit) if w.isVisible()]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits through a queued call
    qtbot.waitUntil(lambda: page.table.state() != QAbstractItemView.State.EditingState)


def test_grid_shows_subjects_figures_and_last_year(page, check_ws):
    ws = check_ws()
    subjects = ws.key_figure_subjects(2025)
    previous = ws.key_figures(2024, None)
    person = subjects[1]
    person_previous = ws.key_figures(2024, person)
    name = ws.person(person)
    ws.close()
    assert page.subjects == subjects and page.table.columnCount() == len(subjects)
    assert page.table.horizontalHeaderItem(0).text() == "Antragsteller\ninsgesamt"
    assert page.table.horizontalHeaderItem(1).text() == f"{name.first_name}\n{name.last_name}"
    assert page.item(None, "beraten_gesamt").data(PREVIOUS_ROLE) == previous["beraten_gesamt"]
    assert page.item(person, "faelle_neu").data(PREVIOUS_ROLE) == person_previous["faelle_neu"]
    assert page.value(None, "beraten_gesamt") is None  # 2025 not entered yet
    headers = [page.table.verticalHeaderItem(r).text() for r in range(page.table.rowCount())]
    assert "Beratene Personen insgesamt" in headers and "Fälle" in headers  # figures under their groups
    assert headers.index("Fälle") < headers.index("Abgeschlossene Fälle")
    assert "31.01.2026" in page.due_label.text()
    assert not page.save_button.isEnabled()  # nothing changed


def test_closed_above_counselled_is_an_error_and_saves_nothing(page, qtbot, check_ws, message_boxes):
    before, audit_before = _stored(check_ws, 2025)
    _type(qtbot, page, None, "beraten_gesamt", "40")
    _type(qtbot, page, None, "faelle_abgeschlossen", "41")

    level, message = page.problem(None, "faelle_abgeschlossen")
    assert level == "error"
    assert "„Abgeschlossene Fälle“ (41) ist größer als „Beratene Personen insgesamt“ (40)" in message
    item = page.item(None, "faelle_abgeschlossen")
    assert item.background().color() == QColor(ERROR_COLOUR)
    assert message in item.toolTip()
    assert page.error_label.isVisible() and "Abgeschlossene Fälle" in page.error_label.text()
    assert not page.save_button.isEnabled()
    assert page.save() is False
    assert _stored(check_ws, 2025) == (before, audit_before)
    assert message_boxes == []

    _type(qtbot, page, None, "faelle_abgeschlossen", "40")  # corrected: saves
    assert page.problem(None, "faelle_abgeschlossen") is None
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    stored, _ = _stored(check_ws, 2025)
    assert stored == {"beraten_gesamt": 40, "faelle_abgeschlossen": 40}


def test_only_whole_numbers_can_be_typed(page, qtbot):
    _type(qtbot, page, None, "vermittlungen", "-3,5x7")
    assert page.item(None, "vermittlungen").text() == "357"


def test_valid_entry_of_several_subjects_saves_in_one_transaction_and_reloads(page, qtbot, check_ws):
    person = page.subjects[1]
    _, audit_before = _stored(check_ws, 2025)
    _type(qtbot, page, None, "vermittlungen", "12")
    _type(qtbot, page, person, "beraten_gesamt", "30")
    _type(qtbot, page, person, "faelle_neu", "31")  # more new cases than counselled: a warning only
    assert page.problem(person, "faelle_neu")[0] == "warning"
    assert page.item(person, "faelle_neu").background().color() == QColor(WARNING_COLOUR)
    assert page.warning_label.isVisible()
    assert page.changes() == {None: {"vermittlungen": 12}, person: {"beraten_gesamt": 30, "faelle_neu": 31}}

    changes = []
    page.ctx.changed.connect(changes.append)
    assert page.save() is True
    assert [c.action for c in changes] == ["Kennzahlen gespeichert"]  # one use case, one transaction
    assert "3 Werte für 2025 gespeichert" in page.saved_label.text()
    assert _stored(check_ws, 2025)[0] == {"vermittlungen": 12}
    assert _stored(check_ws, 2025, person)[0] == {"beraten_gesamt": 30, "faelle_neu": 31}
    ws = check_ws()
    entries = ws.audit_entries(entity="key_figures")
    ws.close()
    assert len(entries) - audit_before == 3

    page.set_year(2024)
    page.set_year(2025)  # reloaded from the file
    assert page.value(None, "vermittlungen") == 12
    assert page.value(person, "faelle_neu") == 31
    assert page.changes() == {}
    assert page.problem(person, "faelle_neu")[0] == "warning"  # still shown after reload


def test_sheet_with_an_error_in_one_subject_saves_no_subject(window, check_ws):
    ws = window.ctx.workspace
    person = ws.key_figure_subjects(2025)[1]
    before = _stored(check_ws, 2025)
    with pytest.raises(ValidationError, match="Abgeschlossene Fälle"):
        ws.save_key_figure_sheet(2025, {None: {"vermittlungen": 3},
                                        person: {"beraten_gesamt": 2, "faelle_abgeschlossen": 5}})
    assert _stored(check_ws, 2025) == before
    assert _stored(check_ws, 2025, person)[0] == {}


def test_copy_forward_fills_last_years_values(page, qtbot, check_ws):
    ws = check_ws()
    previous = {pid: ws.key_figures(2024, pid) for pid in page.subjects}
    ws.close()
    _type(qtbot, page, None, "vermittlungen", "99")  # typed values are kept
    filled = page.copy_forward()
    expected = sum(len(values) for values in previous.values()) - 1
    assert filled == expected
    for pid, values in previous.items():
        for code, value in values.items():
            if (pid, code) != (None, "vermittlungen"):
                assert page.value(pid, code) == value, (pid, code)
    assert page.value(None, "vermittlungen") == 99
    assert _stored(check_ws, 2025)[0] == {}  # nothing saved until "Speichern"
    assert page.save() is True
    assert _stored(check_ws, 2025)[0] == {**previous[None], "vermittlungen": 99}


def test_unsaved_entries_are_kept_when_the_year_change_is_declined(page, qtbot, message_boxes):
    _type(qtbot, page, None, "vermittlungen", "5")
    page.year_combo.setCurrentIndex(page.year_combo.findData(2024))  # the question is answered "Nein"
    assert message_boxes[-1][0] == "question"
    assert page.year == 2025 and page.value(None, "vermittlungen") == 5
    assert page.year_combo.currentData() == 2025


def test_figure_list_add_rename_deactivate(window, qtbot, check_ws, monkeypatch):
    defs = window.show_section("settings").show_page("Kennzahlen")
    dialog = defs.new_definition()
    qtbot.keyClicks(dialog.label_edit, "Vermittlungen in Sprachkurse")
    assert dialog.code_edit.text() == "vermittlungen_in_sprachkurse"
    dialog.group_combo.setCurrentText("Vermittlungen")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    ws = check_ws()
    added = {d.code: d for d in ws.key_figure_defs(active_only=False)}["vermittlungen_in_sprachkurse"]
    ws.close()
    assert (added.label, added.group, added.active) == ("Vermittlungen in Sprachkurse", "Vermittlungen", True)

    grid = window.show_section("persons").show_page("Kennzahlen")
    assert "vermittlungen_in_sprachkurse" in grid.codes  # the entry form follows the list

    defs.select("vermittlungen_in_sprachkurse")
    dialog = defs.edit_selected()
    assert dialog.code_edit.isReadOnly()
    dialog.label_edit.setText("Vermittlungen in Sprach- und Integrationskurse")
    dialog.try_save()
    defs.select("vermittlungen_in_sprachkurse")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    assert defs.toggle_button.text() == "&Deaktivieren"
    qtbot.mouseClick(defs.toggle_button, Qt.MouseButton.LeftButton)
    ws = check_ws()
    changed = {d.code: d for d in ws.key_figure_defs(active_only=False)}["vermittlungen_in_sprachkurse"]
    ws.close()
    assert (changed.label, changed.active) == ("Vermittlungen in Sprach- und Integrationskurse", False)
    row = [defs.table.item(r, 2).text() for r in range(defs.table.rowCount())].index("vermittlungen_in_sprachkurse")
    assert defs.table.item(row, 4).text() == "deaktiviert"
    assert "vermittlungen_in_sprachkurse" not in grid.codes


def test_bad_code_is_shown_in_the_dialog(window, qtbot, check_ws):
    defs = window.show_section("settings").show_page("Kennzahlen")
    dialog = defs.new_definition()
    dialog.label_edit.setText("Neu")
    dialog.code_edit.setText("Neu Kennzahl")
    assert dialog.try_save() is False
    assert "nicht zulässig" in dialog.messages.message("code")  # at the field
    assert dialog.focusWidget() is dialog.code_edit
    ws = check_ws()
    assert "Neu Kennzahl" not in [d.code for d in ws.key_figure_defs(active_only=False)]
    ws.close()
    dialog.done(0)
