"""Förderung › Drittmittel with real widgets on a copy of the demo: the list, entering money
received by keyboard only, delete only after a confirmation (No keeps it), and a row locked by a
submitted proof that can only be reversed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_money_gui import DECISION_2023, type_text

from paktdesk.core import entities as e
from paktdesk.ui.dialogs.third_party_dialog import ThirdPartyDialog
from paktdesk.ui.pages.third_party import ThirdPartyPage
from paktdesk.ui.sections import section


def _page(ui, qtbot) -> ThirdPartyPage:
    page = ThirdPartyPage(ui)
    qtbot.addWidget(page)
    page.resize(1100, 420)
    page.show()
    qtbot.waitExposed(page)
    return page


def _select(page: ThirdPartyPage, row_id: int) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == row_id)
    page.table.setCurrentIndex(page.model.index(row, 0))


def test_the_tab_is_in_the_funding_section():
    assert any(t.title == "Drittmittel" and t.factory.endswith(":ThirdPartyPage") for t in section("funding").tabs)


def test_list_and_keyboard_entry_of_money_received(ui, qtbot, shot):
    ws = ui.workspace
    page = _page(ui, qtbot)
    assert page.model.rowCount() == 3  # the demo: plan 10.000 €, received 2023 and 2024
    assert page.count_label.text() == "3 Drittmittel-Buchungen"
    shot(page, "gui_third_party_page")

    dialog = ThirdPartyDialog(ui, decision_id=DECISION_2023, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.kind_combo)
    assert dialog.giver_edit.text() == "Landkreis Heilbronn"  # the decision's only co-financier proposed
    assert "geplant 10.000,00 €" in dialog.info_label.text() and "erhalten 10.000,00 €" in dialog.info_label.text()
    qtbot.keyClick(dialog.kind_combo, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.giver_edit
    qtbot.keyClick(dialog.giver_edit, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.received_field
    qtbot.keyClicks(dialog.received_field, "15.10.24")
    qtbot.keyClick(dialog.received_field, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.amount_field, "1.250,5")
    qtbot.keyClick(dialog.amount_field, Qt.Key.Key_Return)
    type_text(qtbot, dialog.person_combo, "Weiß")
    assert dialog.person_combo.currentText() == "Weiß, Lena"
    qtbot.keyClick(dialog.person_combo, Qt.Key.Key_Return)
    type_text(qtbot, dialog.purpose_edit, "Nachzahlung Zuschuss 2024")
    shot(dialog, "gui_third_party_dialog")
    with qtbot.waitSignal(ui.changed):
        qtbot.keyClick(dialog.purpose_edit, Qt.Key.Key_Return)  # Enter in the last field saves
    assert dialog.result() == dialog.DialogCode.Accepted
    row = ws.third_party_fund(dialog.change.ids[0])
    lena = next(p.id for p in ws.persons() if p.last_name == "Weiß")
    assert (row.kind, row.giver, row.received_on, row.amount_cents, row.person_id, row.purpose) == (
        e.ThirdPartyKind.RECEIVED, "Landkreis Heilbronn", date(2024, 10, 15), 125_050, lena,
        "Nachzahlung Zuschuss 2024")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    assert ws.check() == []


def test_a_plan_row_has_no_date_field_and_enter_skips_it(ui, qtbot):
    dialog = ThirdPartyDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(e.ThirdPartyKind.PLANNED))
    assert not dialog.received_field.isEnabled()
    dialog.giver_edit.setFocus()
    qtbot.keyClick(dialog.giver_edit, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.amount_field


def test_delete_asks_first_and_no_keeps_the_row(ui, qtbot, message_boxes, monkeypatch):
    ws = ui.workspace
    page = _page(ui, qtbot)
    row_id = ws.add_third_party(e.ThirdPartyFund(None, DECISION_2023, e.ThirdPartyKind.RECEIVED, "Stiftung X",
                                                 10_000, date(2024, 2, 2), purpose="falsch erfasst")).ids[0]
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    _select(page, row_id)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *args, **kwargs: message_boxes.append(("question", args[1], args[2])) or QMessageBox.StandardButton.No))
    assert page.delete_selected() is False
    assert message_boxes[-1][1] == "Drittmittel löschen" and "Stiftung X" in message_boxes[-1][2]
    assert ws.third_party_fund(row_id).amount_cents == 10_000
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *args, **kwargs: QMessageBox.StandardButton.Yes))
    assert page.delete_selected() is True
    assert row_id not in [r.id for r in ws.third_party_funds(DECISION_2023)]
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)


def test_a_locked_row_is_not_edited_but_reversed(ui, qtbot, message_boxes):
    ws = ui.workspace
    page = _page(ui, qtbot)
    ws.submit_proof(e.ProofSubmission(None, DECISION_2023, e.ProofKind.FINAL, date(2023, 1, 1), date(2024, 12, 31),
                                      date(2025, 3, 1)))
    first = next(r for r in ws.third_party_funds(DECISION_2023) if r.is_received)
    assert page.edit_entry(first.id) is None
    assert message_boxes[-1][1] == "Gesperrt"
    _select(page, first.id)
    assert page.delete_selected() is False and ws.third_party_fund(first.id)
    dialog = page.reverse_selected()
    qtbot.addWidget(dialog)
    assert "Eingang vom 14.04.2023 von Landkreis Heilbronn über 5.000,00 €" in dialog.intro_label.text()
    dialog.reason_edit.setText("Zuschuss zurückgefordert")
    dialog.date_field.setText("02.05.2025")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    reversal = ws.third_party_fund(dialog.change.ids[0])
    assert (reversal.amount_cents, reversal.reversal_of, reversal.received_on) == (-500_000, first.id,
                                                                                  date(2025, 5, 2))
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    purposes = [page.model.index(r, page.model.column_index("purpose")).data() for r in range(4)]
    assert "Storno: Zuschuss zurückgefordert" in purposes
