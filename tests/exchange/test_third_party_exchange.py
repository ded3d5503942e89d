"""Format 1.1: the Drittmittel (table ``third_party_funds``) travel from a Gemeinde's Datenbestand
through the exchange file into its Landkreis's consolidation, its spreadsheets and its own file;
a stored file of format 1.0 (written by PaktDesk before 1.1) is still read and taken over."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from exchange_builders import build, euros_to_cents, gemeinde_data, read_csv_zip, reseal, write_document
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from paktdesk.core import entities as e
from paktdesk.core.money import format_cents as _euro
from paktdesk.core.money import parse_cents
from paktdesk.exchange import FORMAT_VERSION, errors
from paktdesk.exchange import document as doc
from paktdesk.exchange.json_import import read_file
from paktdesk.exchange.schema import schema

FIXTURE_1_0 = Path(__file__).parent / "fixtures" / "lindenbach-2023-format-1.0.json"
EURO_FORMAT = '#,##0.00 "€";-#,##0.00 "€"'


def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _db_rows(ws) -> list[e.ThirdPartyFund]:
    return [row for decision in ws.decisions() for row in ws.third_party_funds(decision.id)]


def _sums(ws) -> tuple[int, int]:
    rows = _db_rows(ws)
    return (sum(r.amount_cents for r in rows if r.kind == e.ThirdPartyKind.PLANNED),
            sum(r.amount_cents for r in rows if r.kind == e.ThirdPartyKind.RECEIVED))


@pytest.fixture
def demo_with_reversal(demo):
    """The demo Gemeinde with one more received amount and its reversal (a negative row)."""
    decision = next(d.id for d in demo.decisions() if demo.third_party_funds(d.id))
    change = demo.add_third_party(e.ThirdPartyFund(None, decision, e.ThirdPartyKind.RECEIVED, "Bürgerstiftung",
                                                   123_456, date(2024, 6, 3), purpose="=Spende"))
    demo.reverse_third_party(change.ids[0], "doppelt erfasst", on=date(2024, 6, 10))
    return demo


def test_the_demo_exports_its_drittmittel_with_control_total(demo_with_reversal, tmp_path):
    demo = demo_with_reversal
    out = demo.export("json", tmp_path / "lindenbach.json")
    document = json.loads((tmp_path / "lindenbach.json").read_text(encoding="utf-8"))
    assert document["format_version"] == FORMAT_VERSION == "1.2"
    assert list(_validator().iter_errors(document)) == []
    records = document["tables"]["third_party_funds"]
    stored = _db_rows(demo)
    assert sorted(r["id"] for r in records) == sorted(r.id for r in stored) and len(records) == 5
    assert document["control_totals"]["third_party_funds"] == {
        "count": 5, "sum_cents": sum(r.amount_cents for r in stored)}
    assert demo.control_totals()["third_party_funds"] == (5, sum(r.amount_cents for r in stored))
    reversal = next(r for r in records if r["reversal_of"] is not None)
    assert reversal["amount_cents"] == -123_456 and reversal["received_on"] == "2024-06-10"
    planned, received = _sums(demo)
    assert f"Drittmittel geplant {_euro(planned)}, erhalten {_euro(received)}" in out


def test_a_period_holds_the_plan_and_the_money_received_in_it(demo):
    """Received rows by their day received (like payments and receipts), plan rows with their
    decision, whatever the period."""
    stored = _db_rows(demo)
    received_days = sorted(r.received_on for r in stored if r.received_on)
    assert len({d.year for d in received_days}) == 2  # the demo has money received in 2023 and 2024
    for year in {d.year for d in received_days}:
        records = demo.exchange_document(date(year, 1, 1), date(year, 12, 31))["tables"]["third_party_funds"]
        assert sorted(r["id"] for r in records) == sorted(
            r.id for r in stored if r.received_on is None or r.received_on.year == year), year
    assert demo.exchange_document(date(2019, 1, 1), date(2019, 12, 31))["tables"]["third_party_funds"] == []


def test_a_decision_with_only_drittmittel_received_in_the_period_is_exported(demo):
    decision = next(d for d in demo.decisions() if demo.third_party_funds(d.id))
    version_days = [(v.first_day, v.last_day) for v in demo.versions(decision.id)]
    later = max(last for _first, last in version_days)
    day = date(later.year + 1, 2, 1)
    demo.add_third_party(e.ThirdPartyFund(None, decision.id, e.ThirdPartyKind.RECEIVED, "Nachzahlung Kreis",
                                          50_000, day))
    document = demo.exchange_document(day, day)
    assert [d["id"] for d in document["tables"]["decisions"]] == [decision.id]
    assert [r["giver"] for r in document["tables"]["third_party_funds"] if r["kind"] == "eingang"] == [
        "Nachzahlung Kreis"]


def test_objects_and_rows_give_the_same_records(demo_with_reversal):
    demo = demo_with_reversal
    for first, last in [(None, None), (date(2024, 1, 1), date(2024, 12, 31))]:
        fast = demo.exchange_document(first, last)["tables"]["third_party_funds"]
        slow = doc.build_document(demo.exchange_data(first, last, via_objects=True), created_at=datetime.now(UTC),
                                  generator_version="x")["tables"]["third_party_funds"]
        assert fast == slow and fast


def test_round_trip_into_the_kreis_keeps_the_drittmittel(kreis, demo_with_reversal, tmp_path):
    demo = demo_with_reversal
    demo.export("json", tmp_path / "lindenbach.json")
    planned, received = _sums(demo)
    assert planned and received
    preview = kreis.preview_gemeinde_import([tmp_path / "lindenbach.json"])
    assert f"Drittmittel: geplant {_euro(planned)}, erhalten {_euro(received)}" in preview.items[0].message
    kreis.import_gemeinde_files([tmp_path / "lindenbach.json"])

    stored = kreis.gemeinde_document(kreis.gemeinde_imports()[0]["id"])["tables"]["third_party_funds"]
    assert sum(r["amount_cents"] for r in stored if r["kind"] == "plan") == planned
    assert sum(r["amount_cents"] for r in stored if r["kind"] == "eingang") == received
    overview = kreis.consolidation_overview()
    (row,) = overview.gemeinden
    assert (row.third_party_planned_cents, row.third_party_received_cents) == (planned, received)
    assert overview.gemeinden_total.third_party_received_cents == received
    assert overview.total.third_party_planned_cents == planned  # the Kreis itself has none

    kreis.export("json", tmp_path / "kreis.json")
    kreis_document = read_file(tmp_path / "kreis.json").document
    assert kreis_document["tables"]["third_party_funds"] == []
    (member,) = kreis_document["gemeinden"]
    assert member["tables"]["third_party_funds"] == stored
    assert member["control_totals"]["third_party_funds"]["sum_cents"] == planned + received

    kreis.export("xlsx", tmp_path / "kreis.xlsx")
    sheet = load_workbook(tmp_path / "kreis.xlsx")["Drittmittel"]
    header = [c.value for c in sheet[1]]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {line[0] for line in lines} == {"08125097"} and len(lines) == len(stored)
    assert sum(euros_to_cents(line[header.index("Betrag (EUR)")]) for line in lines
               if line[header.index("Art")] == "Eingang") == received


def test_spreadsheets_have_the_drittmittel_sheet_with_the_right_sums(demo_with_reversal, tmp_path):
    demo = demo_with_reversal
    planned, received = _sums(demo)
    demo.export("xlsx", tmp_path / "lindenbach.xlsx")
    book = load_workbook(tmp_path / "lindenbach.xlsx")
    sheet = book["Drittmittel"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["AGS Inhaber", "Nr.", "Bescheid-Nr.", "Art"]
    amount, kind, purpose = header.index("Betrag (EUR)"), header.index("Art"), header.index("Zweck")
    lines = list(sheet.iter_rows(min_row=2))
    assert len(lines) == 5
    assert all(line[amount].number_format == EURO_FORMAT for line in lines)
    assert sum(euros_to_cents(line[amount].value) for line in lines if line[kind].value == "Finanzierungsplan") \
        == planned
    assert sum(euros_to_cents(line[amount].value) for line in lines if line[kind].value == "Eingang") == received
    assert any(line[purpose].value == "=Spende" and line[purpose].data_type == "s" for line in lines)
    assert any(line[header.index("eingegangen am")].is_date for line in lines)
    controls = {row[1]: row[2] for row in book["Kontrollsummen"].iter_rows(min_row=2, values_only=True)}
    assert controls["Drittmittel"] == 5

    demo.export("csv", tmp_path / "lindenbach.zip")
    files = read_csv_zip(tmp_path / "lindenbach.zip")
    _raw, table = files["18_drittmittel.csv"]
    header, lines = table[0], table[1:]
    assert header[:4] == ["AGS Inhaber", "Nr.", "Bescheid-Nr.", "Art"] and len(lines) == 5
    amount, kind = header.index("Betrag (EUR)"), header.index("Art")
    assert sum(parse_cents(line[amount]) for line in lines if line[kind] == "Finanzierungsplan") == planned
    assert sum(parse_cents(line[amount]) for line in lines if line[kind] == "Eingang") == received
    assert "'=Spende" in [line[header.index("Zweck")] for line in lines]


# a stored file of format 1.0

def test_the_stored_1_0_file_is_what_the_old_writer_wrote():
    document = json.loads(FIXTURE_1_0.read_text(encoding="utf-8"))
    assert document["format_version"] == "1.0"
    assert "third_party_funds" not in document["tables"] and "third_party_funds" not in document["control_totals"]
    assert document["sha256"] == doc.content_sha256(document)
    assert list(_validator().iter_errors(document)) == []


def test_a_1_0_file_is_read_taken_over_and_passed_on_unchanged(kreis, tmp_path):
    found = read_file(FIXTURE_1_0)
    assert found.document["format_version"] == "1.0"
    (item,) = kreis.preview_gemeinde_import([FIXTURE_1_0]).items
    assert item.action == "neu" and "Drittmittel" not in item.message
    kreis.import_gemeinde_files([FIXTURE_1_0])
    (row,) = kreis.consolidation_overview().gemeinden
    assert (row.third_party_planned_cents, row.third_party_received_cents) == (0, 0)
    assert row.receipts == len(found.document["tables"]["receipts"])

    kreis.export("json", tmp_path / "kreis.json")
    (member,) = read_file(tmp_path / "kreis.json").document["gemeinden"]
    assert member == found.document  # exactly as received, still format 1.0
    kreis.export("xlsx", tmp_path / "kreis.xlsx")
    assert load_workbook(tmp_path / "kreis.xlsx")["Drittmittel"].max_row == 1  # the heading only
    kreis.export("csv", tmp_path / "kreis.zip")
    files = read_csv_zip(tmp_path / "kreis.zip")
    assert len(files["18_drittmittel.csv"][1]) == 1
    controls = files["99_kontrollsummen.csv"][1]
    assert not [line for line in controls if line[0].endswith('"08125097"') and line[1] == "Drittmittel"]


# refused files

def _gemeinde_document() -> dict:
    return build(gemeinde_data())


def _refused(tmp_path, document: dict, error: type[Exception], text: str, kreis) -> None:
    path = write_document(document, tmp_path / "gemeinde.json")
    with pytest.raises(error) as refused:
        read_file(path)
    assert text in str(refused.value)
    (item,) = kreis.preview_gemeinde_import([path]).items
    assert item.action == "abgelehnt"


def test_the_builder_document_is_valid_1_2(tmp_path):
    document = _gemeinde_document()
    assert document["tables"]["third_party_funds"] and document["format_version"] == "1.2"
    found = read_file(write_document(document, tmp_path / "ok.json"))
    assert found.name == "ok.json" and found.sha256 == document["sha256"]
    assert found.document["tables"]["third_party_funds"] == document["tables"]["third_party_funds"]
    assert found.document == json.loads(json.dumps(document))  # read back as written, nothing dropped


def test_a_tampered_drittmittel_amount_is_refused_by_the_checksum(kreis, tmp_path):
    document = _gemeinde_document()
    document["tables"]["third_party_funds"][1]["amount_cents"] += 100
    _refused(tmp_path, document, errors.ChecksumError, "Prüfsumme (SHA-256)", kreis)


def test_a_tampered_drittmittel_amount_with_a_new_checksum_is_refused_by_the_control_total(kreis, tmp_path):
    document = _gemeinde_document()
    document["tables"]["third_party_funds"][1]["amount_cents"] += 100
    document["sha256"] = doc.content_sha256(document)
    _refused(tmp_path, document, errors.ControlTotalsError, "Drittmittel: angegeben 2 Zeilen / 750000 Cent", kreis)


@pytest.mark.parametrize(("column", "value", "target"), [("decision_id", 99, "Bescheide"),
                                                          ("person_id", 77, "Integrationsmanager:innen")])
def test_a_reference_to_a_missing_record_is_refused(kreis, tmp_path, column, value, target):
    document = _gemeinde_document()
    document["tables"]["third_party_funds"][0][column] = value
    _refused(tmp_path, reseal(document), errors.InconsistentContentError,
             f"Drittmittel: Verweis {column} = {value} zeigt auf keinen Eintrag in {target}", kreis)


@pytest.mark.parametrize(("change", "text"), [
    (lambda r: r.update(received_on="2023-01-01"), "Finanzierungsplans mit Eingangsdatum"),
    (lambda r: r.update(kind="eingang"), "Eingang ohne Eingangsdatum"),
    (lambda r: r.update(amount_cents=-5), "negativen Betrag"),
])
def test_a_drittmittel_record_that_contradicts_itself_is_refused(kreis, tmp_path, change, text):
    document = _gemeinde_document()
    change(document["tables"]["third_party_funds"][0])  # the plan row
    _refused(tmp_path, reseal(document), errors.InconsistentContentError, text, kreis)


def test_a_1_0_file_with_the_1_1_table_is_refused(kreis, tmp_path):
    document = _gemeinde_document()
    document["format_version"] = "1.0"
    _refused(tmp_path, reseal(document), errors.SchemaViolationError,
             "unbekannte Angabe „third_party_funds“ (erst ab Version 1.1", kreis)


def test_the_table_without_its_control_total_is_refused(kreis, tmp_path):
    document = _gemeinde_document()
    del document["control_totals"]["third_party_funds"]
    document["sha256"] = doc.content_sha256(document)
    _refused(tmp_path, document, errors.SchemaViolationError, "Angabe „third_party_funds“ fehlt", kreis)


def test_a_1_1_file_without_the_optional_table_is_read(kreis, tmp_path):
    document = _gemeinde_document()
    del document["tables"]["third_party_funds"]
    path = write_document(reseal(document), tmp_path / "ohne.json")
    found = read_file(path)
    assert "third_party_funds" not in found.document["tables"]
    assert found.document["tables"]["receipts"] == document["tables"]["receipts"]
    (item,) = kreis.preview_gemeinde_import([path]).items
    assert item.action == "neu", item.message


@pytest.mark.parametrize("version", ["1.3", "2.0"])
def test_newer_versions_are_still_refused_in_german(kreis, tmp_path, version):
    document = copy.deepcopy(_gemeinde_document())
    document["format_version"] = version
    _refused(tmp_path, reseal(document), errors.NewerFormatError,
             f"hat das Austauschformat {version}; dieses PaktDesk kennt Version 1.2. Bitte PaktDesk aktualisieren",
             kreis)
