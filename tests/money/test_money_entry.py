"""Money in and out: payments against the decided amount, receipts with numbering, period,
person and duplicate checks, attachments in the data file, pass-through."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

import pytest
from money_helpers import snapshot

from paktdesk.core import entities as e
from paktdesk.core.errors import ValidationError
from paktdesk.workspace import money as money_module


def test_payment_above_decided_amount_is_refused_with_the_open_rest(small):
    ws = small.ws
    ws.record_payment(e.Payment(None, small.im, date(2023, 1, 10), date(2023, 2, 1), 10_000_000, cash_ref="KZ-1"))
    ws.record_payment(e.Payment(None, small.im, date(2023, 7, 10), None, 5_000_000))
    before = snapshot(ws)
    with pytest.raises(ValidationError) as err:
        ws.record_payment(e.Payment(None, small.im, date(2024, 1, 10), None, 3_000_001))
    assert "mehr als bewilligt (180.000,00 €)" in str(err.value) and "30.000,00 €" in str(err.value)
    assert snapshot(ws) == before
    remainder = ws.open_remainder(small.im)
    assert remainder == {"decided": 18_000_000, "received": 10_000_000, "requested_open": 5_000_000,
                         "open": 8_000_000, "requestable": 3_000_000}
    requested = [p for p in ws.payments(small.im) if p.received_on is None][0]
    ws.mark_payment_received(requested.id, date(2023, 8, 1), cash_ref="KZ-2")
    assert ws.open_remainder(small.im)["received"] == 15_000_000
    with pytest.raises(ValidationError, match="Abrufdatum oder das Eingangsdatum"):
        ws.record_payment(e.Payment(None, small.im, None, None, 100))
    with pytest.raises(ValidationError, match="Eingang liegt vor dem Abruf"):
        ws.record_payment(e.Payment(None, small.im, date(2023, 5, 1), date(2023, 4, 1), 100))


def test_repayment_reduces_received(small):
    ws = small.ws
    ws.record_payment(e.Payment(None, small.im, None, date(2023, 2, 1), 1_000_000))
    ws.record_repayment(small.im, 250_000, date(2025, 4, 1), cash_ref="RZ-1", note="nach Verwendungsnachweis")
    assert ws.balance(small.im).received == 750_000
    with pytest.raises(ValidationError, match="höchstens die erhaltenen"):
        ws.record_repayment(small.im, 800_000, date(2025, 4, 2))


def test_receipts_are_numbered_per_list_and_numbers_are_editable(small):
    ws = small.ws
    ws.add_receipt(small.receipt())
    ws.add_receipt(small.receipt(purpose="Papier"))
    ws.add_receipt(small.receipt(list_kind=e.ListKind.PERSONNEL, cost_category="P_ENTGELT", purpose="Entgelt 05/2023",
                                 payee="Gemeindekasse"))
    numbers = sorted((str(r.list_kind), r.number) for r in ws.receipts(small.im))
    assert numbers == [("P", 1), ("S", 1), ("S", 2)]
    material = [r for r in ws.receipts(small.im) if r.list_kind == e.ListKind.MATERIAL]
    ws.update_receipt(dataclasses.replace(material[1], number=17))
    assert ws.next_receipt_number(small.im, "S") == 18
    with pytest.raises(ValidationError, match="S-0017 ist in diesem Bescheid schon vergeben"):
        ws.update_receipt(dataclasses.replace(material[0], number=17))
    with pytest.raises(ValidationError, match="gehört zu den Personalausgaben"):
        ws.add_receipt(small.receipt(cost_category="P_SOZ"))


def test_receipt_checks_give_german_messages_and_write_nothing(small):
    ws = small.ws
    before = snapshot(ws)
    cases = [
        (small.receipt(receipt_date=date(2022, 12, 31)), "außerhalb des Bewilligungszeitraums 01.01.2023 – 31.12.2024"),
        (small.receipt(person_id=small.outsider), "Otto Außenvor hat in diesem Bescheid keine Stelle"),
        (small.receipt(amount_cents=0), "Belegbetrag darf nicht 0,00 €"),
        (small.receipt(amount_cents=-5), "Belegbetrag darf nicht negativ"),
        (small.receipt(payee="  "), "Empfänger"),
        (small.receipt(budget_year=1999), "Haushaltsjahr 1999"),
        (small.receipt(cost_category="XYZ"), "Unbekannte Kostenart"),
    ]
    for receipt, message in cases:
        with pytest.raises(ValidationError) as err:
            ws.add_receipt(receipt)
        assert message in str(err.value)
    assert snapshot(ws) == before


def test_duplicate_receipt_needs_confirmation(small):
    ws = small.ws
    ws.add_receipt(small.receipt())
    with pytest.raises(ValidationError, match=r"schon erfasst zu sein \(S-0001"):
        ws.add_receipt(small.receipt(payee=" bürobedarf  müller ", paid_on=None))
    change = ws.add_receipt(small.receipt(), allow_duplicate=True)
    assert "bewusst ein zweites Mal" in change.warnings[0]
    assert len(ws.receipts(small.im)) == 2


def test_budget_year_is_separate_from_the_paid_date(small):
    ws = small.ws
    ws.add_receipt(small.receipt(receipt_date=date(2023, 12, 20), paid_on=date(2024, 1, 5), budget_year=2023))
    b = ws.balance(small.im)
    years = {line.label: line.spent for line in b.by_year}
    assert years["2023"] == 12_345 and years["2024"] == 0
    series = ws.money_series(small.im)
    assert series.spent[series.months.index(date(2024, 1, 1))] == 12_345
    assert series.spent[series.months.index(date(2023, 12, 1))] == 0
    change = ws.add_receipt(small.receipt(budget_year=2030, purpose="Spätes Jahr"))
    assert "Haushaltsjahr 2030 liegt außerhalb" in change.warnings[0]


def test_attachments_are_stored_with_sha256_and_read_back(small, tmp_path, monkeypatch):
    ws = small.ws
    scan = tmp_path / "Rechnung Müller.pdf"
    content = b"%PDF-1.4\n" + bytes(range(256)) * 40
    scan.write_bytes(content)
    change = ws.add_attachment(scan)
    attachment_id = change.ids[0]
    info = ws.attachment(attachment_id)
    assert (info.filename, info.mime, info.size) == ("Rechnung Müller.pdf", "application/pdf", len(content))
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    assert ws.attachment_content(attachment_id) == content
    assert ws.add_attachment(scan).ids == (attachment_id,)  # identical content stored once
    ws.add_receipt(small.receipt(attachment_id=attachment_id))
    assert ws.receipts(small.im)[0].attachment_id == attachment_id
    monkeypatch.setattr(money_module, "MAX_ATTACHMENT_BYTES", 100)
    with pytest.raises(ValidationError, match="größer als"):
        ws.add_attachment(scan, content=b"x" * 101, filename="gross.png")
    with pytest.raises(ValidationError, match="gibt es nicht"):
        ws.add_attachment(tmp_path / "fehlt.pdf")
    with pytest.raises(ValidationError, match="ist leer"):
        ws.add_attachment(tmp_path / "leer.pdf", content=b"", filename="leer.pdf")


def test_pass_through_agreement_payments_and_proof(small, tmp_path):
    ws = small.ws
    change = ws.add_pass_through(e.PassThrough(None, small.im, small.caritas, date(2023, 1, 2), "V-1", 6_000_000))
    agreement = change.ids[0]
    ws.pay_pass_through(e.PassThroughPayment(None, agreement, date(2023, 2, 1), 4_000_000))
    with pytest.raises(ValidationError, match="höchstens 20.000,00 €"):
        ws.pay_pass_through(e.PassThroughPayment(None, agreement, date(2023, 3, 1), 2_000_001))
    ws.pay_pass_through(e.PassThroughPayment(None, agreement, date(2023, 3, 1), 2_000_000))
    proof = tmp_path / "nachweis.pdf"
    proof.write_bytes(b"%PDF-1.4 Nachweis")
    attachment = ws.add_attachment(proof).ids[0]
    ws.add_provider_proof(e.ProviderProof(None, agreement, date(2025, 2, 1), 5_900_000, attachment_id=attachment))
    b = ws.balance(small.im)
    assert b.total.passed_on == 6_000_000 and b.total.provider_refund == 100_000
    schaefer = next(line for line in b.by_person if line.key == f"person:{small.schaefer}")
    assert schaefer.passed_on == 6_000_000 and schaefer.provider_refund == 100_000
    warning = ws.add_pass_through(e.PassThrough(None, small.im, small.caritas, date(2023, 1, 2), "V-2",
                                                13_000_000)).warnings
    assert "mehr als bewilligt" in warning[0]
