"""The Förderung GUI with real widgets on a real demo file: keyboard-only receipt entry, Save
disabled while saving, import with a bad row, the decision dialog's flagged differences and
amendment, Storno with a reason, the lock, and the plan-vs-actual view with its charts."""

from __future__ import annotations

from datetime import date

import pytest
from money_helpers import fingerprint, raw
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents
from paktdesk.ui.dialogs.decision_dialog import DecisionDialog
from paktdesk.ui.dialogs.receipt_entry import ReceiptEntryDialog
from paktdesk.ui.dialogs.receipt_import_dialog import ReceiptImportDialog
from paktdesk.ui.pages.money_pages import DecisionsPage, ReceiptsPage
from paktdesk.ui.pages.plan_actual import MoneyOverviewPanel, PlanActualPage

DECISION_2023 = 2  # demo: 15.2-8712.23/1274, 01.01.2023 – 31.12.2024 (a rest of the grant still to request)
DECISION_2017 = 1  # demo: 15.2-8712.17/0815, amended to 30.06.2020 (everything received)


def type_text(qtbot, widget, text: str) -> None:
    """Type like a clerk, umlauts included (QTest's keyClicks knows only ASCII)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def test_receipt_entry_by_keyboard_only_and_last_values_proposed(ui, qtbot, shot):
    ws = ui.workspace
    dialog = ReceiptEntryDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.date_field)
    next_s = ws.next_receipt_number(DECISION_2023, "S")

    qtbot.keyClicks(dialog.date_field, "15.03.2023")
    qtbot.keyClick(dialog.date_field, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.paid_field
    qtbot.keyClicks(dialog.paid_field, "16.3.23")
    qtbot.keyClick(dialog.paid_field, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.year_spin and dialog.year_spin.value() == 2023  # proposed from the paid date
    qtbot.keyClick(dialog.year_spin, Qt.Key.Key_Return)
    type_text(qtbot, dialog.payee_edit, "Bürobedarf Müller")
    qtbot.keyClick(dialog.payee_edit, Qt.Key.Key_Return)
    type_text(qtbot, dialog.purpose_edit, "Toner für Beratungsbüro")
    qtbot.keyClick(dialog.purpose_edit, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.category_combo
    type_text(qtbot, dialog.category_combo, "Büro")  # keyboard search in the list
    assert dialog.category_combo.currentData() == "S_BUERO"
    qtbot.keyClick(dialog.category_combo, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.amount_field, "1.234,5")
    qtbot.keyClick(dialog.amount_field, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.person_combo, "Keller")
    assert dialog.person_combo.currentText() == "Keller, Sabine"
    qtbot.keyClick(dialog.person_combo, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.number_spin and dialog.number_spin.value() == next_s
    assert dialog.number_prefix.text() == "S-"
    qtbot.keyClick(dialog.number_spin, Qt.Key.Key_Return)  # books

    assert len(dialog.booked) == 1
    assert dialog.focusWidget() is dialog.date_field and dialog.amount_field.text() == ""
    assert dialog.payee_edit.text() == "Bürobedarf Müller"  # last values proposed
    assert dialog.number_spin.value() == next_s + 1
    shot(dialog, "gui_receipt_entry")

    # the second receipt: only the amount is new; Enter through every field
    for field in dialog.fields[:6]:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.amount_field
    qtbot.keyClicks(dialog.amount_field, "10")
    for field in dialog.fields[6:]:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert len(dialog.booked) == 2

    conn = raw(ws)
    try:
        rows = conn.execute("SELECT list_kind, number, receipt_date, paid_on, budget_year, payee, purpose, "
                            "cost_category, amount_cents, person_id FROM receipts WHERE id IN (?, ?) ORDER BY id",
                            dialog.booked).fetchall()
        keller = conn.execute("SELECT id FROM persons WHERE last_name = 'Keller'").fetchone()[0]
    finally:
        conn.close()
    assert rows == [
        ("S", next_s, "2023-03-15", "2023-03-16", 2023, "Bürobedarf Müller", "Toner für Beratungsbüro", "S_BUERO",
         123_450, keller),
        ("S", next_s + 1, "2023-03-15", "2023-03-16", 2023, "Bürobedarf Müller", "Toner für Beratungsbüro",
         "S_BUERO", 1_000, keller),
    ]
    assert dialog.session_table.rowCount() == 2


def test_save_is_disabled_while_saving_and_a_second_enter_books_nothing(ui, qtbot, monkeypatch, message_boxes):
    ws = ui.workspace
    dialog = ReceiptEntryDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    dialog.date_field.setText("20.03.2023")
    dialog.payee_edit.setText("Post")
    dialog.purpose_edit.setText("Porto")
    dialog.amount_field.setText("5,00")
    seen = []
    real_add = ws.add_receipt

    def add_and_press_again(receipt, **kwargs):
        seen.append(dialog.save_button.isEnabled())
        dialog.save()  # a double click / second Enter while the first save runs
        return real_add(receipt, **kwargs)

    monkeypatch.setattr(ws, "add_receipt", add_and_press_again)
    before = fingerprint(ws)[0][0][0]
    dialog.save()
    assert seen == [False] and dialog.save_button.isEnabled()
    assert fingerprint(ws)[0][0][0] == before + 1
    # the same receipt again is a possible duplicate: the clerk is asked, "Nein" books nothing
    monkeypatch.setattr(ws, "add_receipt", real_add)
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    dialog.amount_field.setText("5,00")
    dialog.save()
    assert fingerprint(ws)[0][0][0] == before + 1


def test_receipt_outside_the_period_shows_a_german_message(ui, qtbot, message_boxes):
    dialog = ReceiptEntryDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    for widget, text in ((dialog.date_field, "05.05.2025"), (dialog.payee_edit, "X"), (dialog.purpose_edit, "Y"),
                         (dialog.amount_field, "1,00")):
        widget.setText(text)
    dialog.save()
    assert "außerhalb des Bewilligungszeitraums" in dialog.general_label.text()  # in the dialog, no box
    assert not message_boxes and dialog.booked == []


def test_import_with_one_bad_row_imports_nothing_and_shows_the_row(ui, qtbot, tmp_path, shot):
    ws = ui.workspace
    source = tmp_path / "Buchungen März.csv"
    source.write_bytes(("Belegdatum;Betrag;Empfänger;Verwendungszweck;Kostenart\n"
                        "05.03.2023;1.234,56 €;Bürobedarf Müller;Toner;Büro- und Sachmittel\n"
                        "06.03.2023;12.50;Post;Porto;S_BUERO\n"
                        "07.03.2023;99,00;Deutsche Bahn;Fahrkarte;Reisekosten\n").encode("utf-8-sig"))
    dialog = ReceiptImportDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    dialog.show()
    before = fingerprint(ws)
    dialog.load_file(str(source))
    assert dialog.table.rowCount() == 3
    statuses = [dialog.table.item(row, 1).text() for row in range(3)]
    assert statuses == ["übernommen", "fehlerhaft", "übernommen"]
    assert "Dezimalpunkt" in dialog.table.item(1, 2).text()
    assert dialog.table.item(1, 0).background().color() == QColor("#fde7e4")
    assert not dialog.import_button.isEnabled()
    assert "1 mit Fehlern" in dialog.summary_label.text()
    shot(dialog, "gui_import_bad_row")
    dialog.run_import()
    assert fingerprint(ws) == before

    source.write_bytes(source.read_bytes().replace(b"12.50", b"12,50"))
    dialog.load_file(str(source))
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(ui.changed):
        dialog.run_import()
    assert dialog.result() == dialog.DialogCode.Accepted and len(dialog.change.ids) == 3
    assert ws.import_mapping()["amount"] == "Betrag"


def test_decision_dialog_shows_computed_beside_decided_and_flags_the_difference(ui, qtbot, message_boxes, shot):
    ws = ui.workspace
    dialog = DecisionDialog(ui, mode="new")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.file_number_edit.setText("15.2-8712.25/0042")
    dialog.decided_on_field.setText("10.12.2024")
    dialog.first_field.setText("01.01.2025")
    dialog.last_field.setText("31.12.2026")
    dialog.amount_field.setText("179.000,00")
    rules = next(r for r in ws.rule_sets() if r.code == "VwV2023")
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData(rules.id))
    keller = next(p for p in ws.persons() if p.last_name == "Keller")
    weiss = next(p for p in ws.persons() if p.last_name == "Weiß")
    first = dialog.add_position(None)
    first.person.setCurrentIndex(first.person.findData(keller.id))
    second = dialog.add_position(None)
    second.person.setCurrentIndex(second.person.findData(weiss.id))
    second.vza.setText("0,5")
    second.vza.editingFinished.emit()
    assert dialog.positions_table.item(0, 7).text() == "120.000,00 €"  # 1,0 VZÄ × 60.000 € × 24/12
    assert dialog.positions_table.item(1, 7).text() == "60.000,00 €"
    second.decided.selectAll()
    qtbot.keyClicks(second.decided, "59.000,00")  # typed over: the decided amount stands from now on
    second.decided.editingFinished.emit()
    assert dialog.positions_table.item(1, 8).text() == "-1.000,00 € ⚑"
    assert dialog.positions_table.item(0, 8).text() == ""
    assert "Abweichung" in dialog.positions_sum_label.text()
    shot(dialog, "gui_decision_new")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    info = [text for kind, _title, text in message_boxes if kind == "information"]
    assert info and "laut Bescheid 59.000,00 €, berechnet 60.000,00 €" in info[-1]
    decision_id = dialog.change.ids[0]
    assert ws.balance(decision_id).decided == 17_900_000
    assert [p.decided_cents for p in ws.balance(decision_id).positions] == [12_000_000, 5_900_000]

    # open it again: header editable, content read-only, history visible; then an amendment
    page = DecisionsPage(ui)
    qtbot.addWidget(page)
    view = page.open_decision(decision_id)
    assert view.history_table.rowCount() == 1 and view.positions_table.item(1, 8).text().endswith("⚑")
    amend = DecisionDialog(ui, decision_id=decision_id, mode="amend")
    qtbot.addWidget(amend)
    amend.amount_field.setText("180.000,00")
    amend.position_rows[1].decided.setText("60.000,00")
    amend.save()
    assert amend.result() == amend.DialogCode.Accepted
    history = ws.decision_history(decision_id)
    assert [(s.version.version_no, s.version.amount_cents, s.flagged) for s in history] == [
        (1, 17_900_000, True), (2, 18_000_000, False)]
    view.close()


def test_reversal_with_reason_in_the_receipts_list_and_the_lock(ui, qtbot, message_boxes):
    ws = ui.workspace
    page = ReceiptsPage(ui)
    qtbot.addWidget(page)
    page.show()
    page.table.selectRow(0)
    receipt_id = page.selected_id()
    original = ws.receipt(receipt_id)
    dialog = page.reverse_selected()
    dialog.save_button.click()  # no reason: refused, said at the field
    assert dialog.messages.message("reason") == "Bitte einen Grund für die Stornierung angeben."
    assert not [kind for kind, _title, _text in message_boxes if kind == "warning"]
    dialog.reason_edit.setText("Doppelt gebucht")
    with qtbot.waitSignal(ui.changed):
        dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    reversal = [r for r in ws.receipts(original.decision_id) if r.reversal_of == receipt_id]
    assert len(reversal) == 1 and reversal[0].amount_cents == -original.amount_cents
    assert reversal[0].reversal_reason == "Doppelt gebucht"
    actions = {a.action for a in ws.audit_entries(entity="receipts", entity_id=receipt_id)}
    assert {"Beleg erfasst", "Beleg storniert"} <= actions

    ws.submit_proof(e.ProofSubmission(None, original.decision_id, e.ProofKind.FINAL, date(2017, 7, 1),
                                      date(2020, 6, 30), date(2020, 9, 1)))
    locked = next(r for r in ws.receipts(1) if r.reversal_of is None and r.id != receipt_id)
    assert page.edit_receipt(locked.id) is None
    assert "eingereichten Nachweis" in message_boxes[-1][2]


def test_plan_actual_page_shows_the_balance_and_draws_charts(ui, qtbot, shot):
    ws = ui.workspace
    page = PlanActualPage(ui)
    qtbot.addWidget(page)
    page.resize(1200, 1000)
    page.show()
    qtbot.waitExposed(page)
    for decision in ws.decisions():
        page.select_decision(decision.id)
        b = ws.balance(decision.id)
        assert page.figure_labels["decided"].text() == format_cents(b.decided)
        assert page.figure_labels["received"].text() == format_cents(b.received)
        assert page.figure_labels["actual"].text() == format_cents(b.total.actual)
        shown = b.total.balance_label + (f": {format_cents(abs(b.total.balance))}" if b.total.balance else "")
        assert page.figure_labels["balance"].text() == shown
        assert page.person_table.rowCount() == len(b.by_person) + 1
        assert page.person_table.item(page.person_table.rowCount() - 1, 3).text() == format_cents(b.total.spent)
        assert page.line_chart.series.received[-1] == b.received
        assert len(page.bars_chart.bars) == 5
        assert format_cents(b.total.spent) in page.line_chart.describe()
    image = page.line_chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert {"#2e7d32", "#c05600"} <= colours  # the received and spent lines were drawn
    shot(page, "gui_plan_actual")
    panel = MoneyOverviewPanel(ui)
    qtbot.addWidget(panel)
    assert panel.decision_combo.count() == 2 and panel.line_chart.series is not None


@pytest.mark.parametrize("width", [520, 1400])
def test_charts_draw_at_any_width(ui, qtbot, width):
    panel = MoneyOverviewPanel(ui)
    qtbot.addWidget(panel)
    panel.resize(width, 420)
    panel.show()
    assert not panel.grab().isNull()


def test_scan_is_stored_in_the_file_and_opened_with_the_system_viewer(ui, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    ws = ui.workspace
    scan = tmp_path / "Rechnung 4711.pdf"
    scan.write_bytes(b"%PDF-1.4 Rechnung 4711 " + bytes(range(256)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(scan), "")))
    dialog = ReceiptEntryDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    dialog.choose_attachment()
    assert dialog.attachment_label.text() == "Rechnung 4711.pdf"
    for widget, text in ((dialog.date_field, "02.02.2024"), (dialog.payee_edit, "Druckerei"),
                         (dialog.purpose_edit, "Flyer"), (dialog.amount_field, "80,00")):
        widget.setText(text)
    dialog.save()
    receipt = ws.receipt(dialog.booked[0])
    assert receipt.attachment_id is not None and dialog.attachment_label.text() == "kein Scan"
    scan.unlink()  # the scan lives in the data file, not in the folder it came from

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    page = ReceiptsPage(ui)
    qtbot.addWidget(page)
    row = next(r for r in range(page.model.rowCount()) if page.model.row_id(r) == receipt.id)
    page.table.selectRow(row)
    path = page.open_scan()
    assert opened == [str(path)] and path.name == "Rechnung 4711.pdf"
    assert path.read_bytes() == b"%PDF-1.4 Rechnung 4711 " + bytes(range(256))


def test_payment_dialog_refuses_more_than_decided_and_records_a_payment(ui, qtbot, message_boxes):
    from paktdesk.ui.dialogs.payment_dialog import PaymentDialog

    ws = ui.workspace
    dialog = PaymentDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    remainder = ws.open_remainder(DECISION_2023)
    assert format_cents(remainder["requestable"]) in dialog.info_label.text()
    dialog.amount_field.setText("1,00")
    dialog.save_button.click()
    assert "Abrufdatum oder das Eingangsdatum" in dialog.messages.message("received_on")
    dialog.received_field.setText("15.01.2024")
    assert dialog.messages.message("received_on") == ""  # valid now: the message is gone
    dialog.amount_field.setText(format_cents(remainder["requestable"] + 1))
    dialog.save_button.click()
    assert "mehr als bewilligt" in dialog.messages.message("amount") and dialog.result() == 0
    assert dialog.focusWidget() is dialog.amount_field
    dialog.amount_field.setText("1.000,00")
    dialog.cash_ref_edit.setText("KZ-2024-77")
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert ws.payment(dialog.change.ids[0]).cash_ref == "KZ-2024-77"
    assert ws.open_remainder(DECISION_2023)["received"] == remainder["received"] + 100_000


def test_pass_through_agreement_payment_and_provider_proof_by_dialog(ui, qtbot):
    from paktdesk.ui.dialogs.pass_through_dialogs import (
        AgreementDialog,
        PassThroughPaymentDialog,
        ProviderProofDialog,
    )

    ws = ui.workspace
    agreement = AgreementDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(agreement)
    agreement.amount_field.setText("10.000,00")
    agreement.reference_edit.setText("WV 2024/3")
    agreement.save_button.click()
    pass_through_id = agreement.change.ids[0]
    pay = PassThroughPaymentDialog(ui, pass_through_id=pass_through_id)
    qtbot.addWidget(pay)
    assert "offen 10.000,00 €" in pay.info_label.text()
    pay.amount_field.setText("4.000,00")
    pay.date_field.setText("01.03.2024")
    pay.save_button.click()
    proof = ProviderProofDialog(ui, pass_through_id=pass_through_id)
    qtbot.addWidget(proof)
    proof.amount_field.setText("3.900,00")
    proof.save_button.click()
    line = next(p for p in ws.balance(DECISION_2023).by_provider if p.pass_through_id == pass_through_id)
    assert (line.agreed, line.passed_on, line.proven, line.provider_refund) == (1_000_000, 400_000, 390_000, 10_000)


def test_new_cost_plan_decision_by_dialog(ui, qtbot, message_boxes):
    ws = ui.workspace
    dialog = DecisionDialog(ui, mode="new")
    qtbot.addWidget(dialog)
    dialog.area_combo.setCurrentIndex(dialog.area_combo.findData(e.FundingArea.LANGUAGE.value))
    assert dialog.cost_plan_box.isVisibleTo(dialog) and not dialog.positions_box.isVisibleTo(dialog)
    dialog.file_number_edit.setText("SP-2025/1")
    dialog.first_field.setText("01.03.2025")
    dialog.last_field.setText("31.12.2025")
    dialog.amount_field.setText("12.000,00")
    dialog.add_cost_item(None)
    dialog.add_cost_item(None)
    dialog.cost_rows[0][1].setText("8.000,00")
    dialog.cost_rows[1][1].setText("4.000,00")
    dialog.cost_rows[1][1].editingFinished.emit()
    assert "12.000,00 €" in dialog.cost_sum_label.text() and "Abweichung" not in dialog.cost_sum_label.text()
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    b = ws.balance(dialog.change.ids[0])
    assert b.computed == b.decided == 1_200_000
    assert sorted(line.planned for line in b.by_category) == [400_000, 800_000]


def test_marking_the_proof_submitted_locks_the_receipts(ui, qtbot, message_boxes):
    ws = ui.workspace
    page = DecisionsPage(ui)
    qtbot.addWidget(page)
    page.table.selectRow(page.model.rowCount() - 1)
    decision_id = page.selected_id()
    dialog = page.submit_selected()
    assert dialog.first_field.text() == "01.01.2023" and dialog.last_field.text() == "31.12.2024"
    with qtbot.waitSignal(ui.changed):
        dialog.save_button.click()
    assert [kind for kind, _title, text in message_boxes if "gesperrt" in text] == ["question"]
    assert [s.kind for s in ws.proof_submissions(decision_id)] == [e.ProofKind.FINAL]
    receipt = ws.receipts(decision_id)[0]
    assert ws.receipt_locked(receipt.id)


def test_import_dialog_shows_title_lines_skipped_totals_and_credits(ui, qtbot, tmp_path, shot):
    """An SAP-style export with title lines and totals rows, as the clerk opens it: the header row
    found, the totals rows übersprungen with their amounts, the credit as Gutschrift; the clerk
    names a profile and imports with the keyboard."""
    from test_money_import_exports import SAP_LINES, references

    ws = ui.workspace
    source = tmp_path / "Einzelposten 42710000.csv"
    source.write_bytes(("\r\n".join(SAP_LINES) + "\r\n").encode("cp1252", errors="replace"))
    dialog = ReceiptImportDialog(ui, decision_id=DECISION_2023)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.default_category_combo, "Büro")
    assert dialog.default_category_combo.currentData() == "S_BUERO"
    type_text(qtbot, dialog.path_edit, str(source))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert dialog.table.rowCount() == 6
    assert "Spaltennamen in Zeile 6" in dialog.header_label.text()
    assert "Gemeinde Lindenbach, Kämmerei" in dialog.header_label.text()
    statuses = [dialog.table.item(row, 1).text() for row in range(6)]
    assert statuses == ["übernommen"] * 4 + ["übersprungen"] * 2
    assert dialog.table.item(4, 2).text() == "Summenzeile („*“): 1.534,76 €"
    assert dialog.table.item(4, 0).background().color() == QColor("#ececec")
    assert dialog.table.item(2, 2).text() == "Gutschrift (mindert die Kosten)"
    assert dialog.table.item(2, 4).text() == "-45,00 €" and dialog.table.item(0, 7).text() == "1900004711"
    assert "2 übersprungen" in dialog.summary_label.text() and "1 Gutschrift" in dialog.summary_label.text()
    shot(dialog, "gui_import_sap_export")

    # the clerk tries another header row by typing it, sees the mapping fail, goes back
    dialog.header_spin.selectAll()
    qtbot.keyClicks(dialog.header_spin, "3")
    assert "Spaltenzuordnung passt nicht" in dialog.summary_label.text() and not dialog.import_button.isEnabled()
    dialog.header_spin.selectAll()
    qtbot.keyClicks(dialog.header_spin, "0")  # 0 shows as "erkannt": the row found again
    qtbot.keyClick(dialog.header_spin, Qt.Key.Key_Return)
    assert dialog.header_spin.value() == 0 and dialog.header_spin.text() == "erkannt", dialog.summary_label.text()
    assert dialog.import_button.isEnabled(), dialog.summary_label.text()
    assert dialog.import_button.isEnabled()

    type_text(qtbot, dialog.profile_name_edit, "SAP Einzelposten")
    dialog.import_button.setFocus()
    with qtbot.waitSignal(ui.changed):
        qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    assert dialog.result() == dialog.DialogCode.Accepted and len(dialog.change.ids) == 4
    assert sorted(references(ws)) == ["1900004711", "1900004712", "1900004790", "1900004801"]
    assert "SAP Einzelposten" in ws.import_profiles()
