"""The DuckDB query that EXCHANGE-FORMAT.md shows a Landkreis, run as printed on a folder of
Gemeinde files: one with a reversal (Storno), one whose receipts table is empty. The types are
the stated ones even where no file has a value to infer them from."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from exchange_builders import build, gemeinde_data, write_document

duckdb = pytest.importorskip("duckdb")

DOC = (Path(__file__).resolve().parents[2] / "resources" / "EXCHANGE-FORMAT.md").read_text(encoding="utf-8")


def documented_query() -> str:
    match = re.search(r"```sql\n(-- paktdesk-receipts-duckdb\n.*?)```", DOC, re.S)
    assert match, "the DuckDB query is missing from EXCHANGE-FORMAT.md"
    return match.group(1).strip().rstrip(";")


def test_the_documented_duckdb_query_loads_a_folder_of_gemeinde_files(tmp_path):
    folder = tmp_path / "gemeinden"
    folder.mkdir()
    with_reversal = build(gemeinde_data(name="Gemeinde Obersulm-Süd", ags="08125081"))
    empty = build(dataclasses.replace(gemeinde_data(name="Gemeinde Lindenbach", ags="08125097"), receipts=[]))
    write_document(with_reversal, folder / "obersulm.json")
    write_document(empty, folder / "lindenbach.json")
    query = documented_query().replace("'gemeinden/*.json'", f"'{folder.as_posix()}/*.json'")
    con = duckdb.connect()
    result = con.sql(query)
    names = [c for c in result.columns]
    types = dict(zip(names, map(str, result.types), strict=True))
    assert types["reversal_of"] == "BIGINT" and types["amount_cents"] == "BIGINT"
    assert types["receipt_date"] == "DATE" and types["paid_on"] == "DATE"
    rows = result.fetchall()
    by_ags = {}
    for row in rows:
        record = dict(zip(names, row, strict=True))
        by_ags.setdefault(record["ags"], []).append(record)
    sent = with_reversal["tables"]["receipts"]
    assert set(by_ags) == {"08125081"}  # the empty file adds no rows and breaks nothing
    assert len(by_ags["08125081"]) == len(sent) == with_reversal["control_totals"]["receipts"]["count"]
    assert sum(r["amount_cents"] for r in by_ags["08125081"]) == with_reversal["control_totals"]["receipts"]["sum_cents"]
    loaded = sorted((r["id"], r["reversal_of"], r["amount_cents"]) for r in by_ags["08125081"])
    assert loaded == sorted((r["id"], r["reversal_of"], r["amount_cents"]) for r in sent)
    assert any(reversal is not None for _id, reversal, _cents in loaded)  # the Storno came through
    # a folder whose files hold no reversal at all: reversal_of is still a BIGINT column, all NULL
    only_empty = con.sql(documented_query().replace("'gemeinden/*.json'", f"'{folder.as_posix()}/lindenbach.json'"))
    assert dict(zip(only_empty.columns, map(str, only_empty.types), strict=True))["reversal_of"] == "BIGINT"
    assert json.loads((folder / "lindenbach.json").read_text(encoding="utf-8"))["tables"]["receipts"] == []
