"""Export of the demo Gemeinde: JSON valid against the published schema, control totals equal
to the database's, period filter, refusal on a failed check, atomic writing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from paktdesk.exchange.document import AMOUNT_FIELD, TABLES, content_sha256
from paktdesk.exchange.errors import ExportRefusedError
from paktdesk.exchange.json_export import write_json
from paktdesk.exchange.json_import import read_file

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "paktdesk-exchange.schema.json"
DB_TABLE = {"decision_versions": "decision_versions", "positions": "positions", "cost_plan_items": "cost_plan_items",
            "payments": "payments", "receipts": "receipts", "pass_throughs": "pass_throughs",
            "pass_through_payments": "pass_through_payments", "provider_proofs": "provider_proofs",
            "third_party_funds": "third_party_funds"}


def _schema_validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("fmt,suffix", [("json", ".json"), ("xlsx", ".xlsx"), ("csv", ".zip")])
def test_demo_exports_in_every_format(demo, tmp_path, fmt, suffix):
    out = tmp_path / f"lindenbach{suffix}"
    summary = demo.export(fmt, out)
    assert out.stat().st_size > 1000
    assert "personenbezogene Daten" in summary
    assert "Belege 400 (544.733,74 €)" in summary
    assert list(tmp_path.glob(".*.tmp")) == []
    assert demo.audit_entries(entity="export")[0].action == "Austauschdatei exportiert"


def test_json_validates_and_totals_equal_the_database(demo, tmp_path):
    out = tmp_path / "lindenbach.json"
    demo.export("json", out)
    document = json.loads(out.read_text(encoding="utf-8"))
    errors = list(_schema_validator().iter_errors(document))
    assert errors == []
    assert document["sha256"] == content_sha256(document)
    db_totals = demo.control_totals()
    for table in AMOUNT_FIELD:
        stated = document["control_totals"][table]
        if table == "settlements":  # computed, not stored: test_settlement_export compares it with the core
            assert stated["count"] == len(document["tables"][table]) > 0
        else:
            assert (stated["count"], stated["sum_cents"]) == db_totals[DB_TABLE[table]], table
        rows = document["tables"][table]
        assert stated["sum_cents"] == sum(r[AMOUNT_FIELD[table]] for r in rows)
    counts = demo.counts()
    for table in ("persons", "decisions", "key_figures", "narrative_reports"):
        assert document["control_totals"][table]["count"] == counts[table]
    assert read_file(out).document == document  # our own importer accepts it


def test_no_private_contact_data_in_the_file(demo, tmp_path):
    out = tmp_path / "lindenbach.json"
    demo.export("json", out)
    text = out.read_text(encoding="utf-8")
    for person in demo.persons():
        assert person.last_name in text
        assert person.email and person.email not in text
    assert "Elternzeit" not in text  # the reason of a pay interruption stays with the sender
    assert "p.sommer@" not in text and "DE" + demo.profile().iban[2:] not in text
    keys = set(json.loads(text)["tables"]["persons"][0])
    assert keys == {"id", "first_name", "last_name", "provider_id", "category", "requalification_status", "ended_on"}


def test_funded_period_extended_by_parental_leave_and_requalification_status(demo):
    document = demo.exchange_document()
    persons = {p["last_name"]: p for p in document["tables"]["persons"]}
    assert persons["Yıldız"]["requalification_status"] == "Nachqualifizierung läuft"
    assert persons["Keller"]["requalification_status"] == "qualifiziert"
    periods = [f for f in document["tables"]["funded_periods"]
               if f["person_id"] == persons["Weiß"]["id"] and f["first_day"] == "2023-01-01"]
    assert periods[0]["last_day"] == "2024-12-31"
    # + 182 days of Elternzeit (01.09.2023–29.02.2024): 01.01.2025 + 182 days = 02.07.2025 (exclusive)
    assert periods[0]["extended_last_day"] == "2025-07-01"


def test_period_filter(demo):
    whole = demo.exchange_document()
    year = demo.exchange_document(date(2023, 1, 1), date(2023, 12, 31))
    tables = year["tables"]
    assert year["period"] == {"first_day": "2023-01-01", "last_day": "2023-12-31"}
    assert all("2023-01-01" <= r["receipt_date"] <= "2023-12-31" for r in tables["receipts"])
    assert len(tables["receipts"]) == sum(1 for r in whole["tables"]["receipts"]
                                          if r["receipt_date"].startswith("2023"))
    assert all((p["received_on"] or p["requested_on"]).startswith("2023") for p in tables["payments"])
    assert [d["file_number"] for d in tables["decisions"]] == ["15.2-8712.23/1274"]
    assert {k["year"] for k in tables["key_figures"]} == {2023}
    assert all(z["paid_on"].startswith("2023") for z in tables["pass_through_payments"])
    # the 2017 decision (amended to 30.06.2020) overlaps 2020 and is included there
    early = demo.exchange_document(date(2020, 1, 1), date(2020, 12, 31))
    assert [d["file_number"] for d in early["tables"]["decisions"]] == ["15.2-8712.17/0815"]
    assert len(early["tables"]["decision_versions"]) == 2


def test_half_a_period_is_refused(demo, tmp_path):
    from paktdesk.core.errors import ValidationError

    with pytest.raises(ValidationError, match="Beginn und Ende"):
        demo.export("json", tmp_path / "x.json", date(2023, 1, 1), None)
    with pytest.raises(ValidationError, match="vor dem Beginn"):
        demo.export("json", tmp_path / "x.json", date(2023, 1, 1), date(2022, 1, 1))
    with pytest.raises(ValidationError, match="Unbekanntes Format"):
        demo.export("pdf", tmp_path / "x.pdf")


def test_export_refused_when_the_check_fails(demo, tmp_path):
    out = tmp_path / "lindenbach.json"
    out.write_bytes(b"old content")
    conn = sqlite3.connect(demo.path)
    conn.execute("UPDATE receipts SET amount_cents = amount_cents + 1 WHERE id = 5")
    conn.commit()
    conn.close()
    with pytest.raises(ExportRefusedError, match="Prüfung des Datenbestands ist fehlgeschlagen"):
        demo.export("json", out)
    assert out.read_bytes() == b"old content"


def test_invalid_document_is_never_written(demo, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.json"
    out.write_bytes(b"previous")
    document = demo.exchange_document()
    document["tables"]["receipts"][0]["amount_cents"] = "12,50"
    with pytest.raises(ExportRefusedError, match="amount_cents"):
        write_json(document, out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in folder.iterdir()] == ["x.json"]


def test_export_into_missing_folder_is_a_german_error(demo, tmp_path):
    with pytest.raises(ExportRefusedError, match="gibt es nicht"):
        demo.export("json", tmp_path / "fehlt" / "x.json")


def test_every_table_is_present(demo):
    document = demo.exchange_document()
    assert list(document["tables"]) == list(TABLES)
    assert all(document["tables"][t] for t in TABLES if t != "cost_plan_items")
