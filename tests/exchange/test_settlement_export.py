"""Format 1.2: the exchange file carries the settlement of every decision per person, exactly as
the core computes it for the proof of use and the Soll-Ist screen (JSON, XLSX sheet "Abrechnung",
CSV file of the archive); a period export carries the Zwischennachweis figures of that period; a
file of format 1.1 without the table is still read and taken over by a Kreis."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from exchange_builders import reseal, write_document
from openpyxl import load_workbook

from paktdesk.core.money import parse_cents
from paktdesk.exchange.errors import ExchangeError
from paktdesk.exchange.json_import import read_file

DECISION_2023 = "15.2-8712.23/1274"


def _settlement(document: dict, decision_id: int) -> dict:
    return {(r["line"], r["person_id"]): r for r in document["tables"]["settlements"] if r["decision_id"] == decision_id}


def _person_id(line) -> int | None:
    kind, _, rest = line.key.partition(":")
    return int(rest) if kind == "person" and rest.isdigit() else None


def test_the_json_settlement_is_the_screens_balance_line_by_line(demo, tmp_path):
    demo.export("json", tmp_path / "lindenbach.json")
    document = json.loads((tmp_path / "lindenbach.json").read_text(encoding="utf-8"))
    assert document["format_version"] == "1.2"
    decisions = {d["id"] for d in document["tables"]["decisions"]}
    assert {r["decision_id"] for r in document["tables"]["settlements"]} == decisions
    for decision_id in decisions:
        balance = demo.balance(decision_id)
        rows = [r for r in document["tables"]["settlements"] if r["decision_id"] == decision_id]
        assert len(rows) == 1 + len(balance.by_person)
        whole, *persons = rows
        assert (whole["line"], whole["due_cents"], whole["balance_cents"], whole["own_share_cents"]) == (
            "bescheid", balance.total.due, balance.total.balance, balance.total.own_share)
        for record, line in zip(persons, balance.by_person, strict=True):
            assert record["person_id"] == _person_id(line)
            assert (record["actual_cents"], record["due_cents"], record["received_cents"],
                    record["third_party_cents"], record["balance_cents"]) == (
                line.actual, line.due, line.received or 0, line.third_party, line.balance)
        assert sum(r["actual_cents"] for r in persons) == whole["actual_cents"]
    settlement = _settlement(document, demo.decision_by_file_number(DECISION_2023))
    assert settlement[("bescheid", None)]["due_cents"] == 37_829_725  # 378.297,25 € = Σ of the five persons
    assert sum(r["due_cents"] for (kind, _), r in settlement.items() if kind == "person") == 37_829_725
    assert all(r["own_share_cents"] is None or r["own_share_cents"] >= 0 for r in document["tables"]["settlements"])


def test_the_spreadsheets_show_the_same_settlement(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    balance = demo.balance(decision)
    demo.export("xlsx", tmp_path / "lindenbach.xlsx")
    sheet = load_workbook(tmp_path / "lindenbach.xlsx", read_only=True)["Abrechnung"]
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    column = {name: header.index(name) for name in header}
    mine = [r for r in rows if r[column["Bescheid-Nr."]] == decision]
    assert mine[0][column["Zeile"]] == "Bescheid insgesamt"
    assert round(mine[0][column["zustehende Zuwendung (EUR)"]] * 100) == balance.total.due
    assert [round(r[column["Eigenanteil (EUR)"]] * 100) for r in mine[1:]] == [
        line.own_share for line in balance.by_person]

    demo.export("csv", tmp_path / "lindenbach.zip")
    with zipfile.ZipFile(tmp_path / "lindenbach.zip") as archive:
        name = next(n for n in archive.namelist() if n.endswith("_abrechnung.csv"))
        text = archive.read(name).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    mine = [r for r in table if r["Bescheid-Nr."] == str(decision)]
    assert parse_cents(mine[0]["zustehende Zuwendung (EUR)"]) == balance.total.due
    assert [parse_cents(r["Saldo (EUR)"]) for r in mine[1:]] == [line.balance for line in balance.by_person]


def test_a_period_export_carries_the_interim_figures_of_that_period(demo, tmp_path):
    decision = demo.decision_by_file_number(DECISION_2023)
    first, last = date(2023, 1, 1), date(2023, 12, 31)
    demo.export("json", tmp_path / "2023.json", first, last)
    document = json.loads((tmp_path / "2023.json").read_text(encoding="utf-8"))
    interim = demo.interim_data(decision, first, last)
    settlement = _settlement(document, decision)
    whole = interim.numeric[0].figures
    assert (settlement[("bescheid", None)]["planned_cents"], settlement[("bescheid", None)]["due_cents"]) == (
        whole.planned, whole.due)
    assert whole.planned < demo.current_version(decision).amount_cents  # the 2023 share, not the whole grant
    for proof in interim.numeric[1:]:
        record = settlement[("person", _person_id(proof.figures))]
        assert (record["planned_cents"], record["due_cents"], record["own_share_cents"]) == (
            proof.figures.planned, proof.figures.due, proof.figures.own_share)


def test_a_1_1_file_without_settlements_is_still_read(demo, tmp_path):
    demo.export("json", tmp_path / "neu.json")
    document = json.loads((tmp_path / "neu.json").read_text(encoding="utf-8"))
    del document["tables"]["settlements"]
    del document["chain"], document["signature"]  # an older PaktDesk neither signed nor had a chain
    document["format_version"] = "1.1"
    old = read_file(write_document(reseal(document), tmp_path / "alt.json"))
    assert "settlements" not in old.document["tables"]
    document["tables"]["settlements"] = []
    with pytest.raises(ExchangeError, match="erst ab Version 1.2"):
        read_file(write_document(reseal(document), tmp_path / "falsch.json"))
