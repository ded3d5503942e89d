"""A Landkreis takes over its Gemeinden's files: preview, all or nothing, newer replaces older
(audited), the Förderübersicht, and the Kreis's own file for the RP that contains them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import openpyxl
import pytest
from exchange_builders import (
    build,
    fingerprint,
    gemeinde_data,
    read_csv_zip,
    replace_profile,
    write_document,
)

from paktdesk.exchange.errors import ChecksumError, ImportConflictError
from paktdesk.exchange.json_export import write_json
from paktdesk.exchange.json_import import read_file

T1 = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)
T2 = datetime(2025, 1, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def demo_file(demo, tmp_path):
    path = tmp_path / "lindenbach.json"
    write_json(demo.exchange_document(created_at=T1), path)
    return path


def test_preview_writes_nothing(kreis, demo_file):
    before = fingerprint(kreis.path)
    preview = kreis.preview_gemeinde_import([demo_file])
    assert preview.ok
    (item,) = preview.items
    assert item.action == "neu"
    assert "Gemeinde Lindenbach (Gemeinde, AGS 08125097)" in item.message
    assert "400 Belege (544.733,74 €)" in item.message
    assert fingerprint(kreis.path) == before


def test_round_trip_gives_identical_records(kreis, demo, demo_file, tmp_path):
    sent = json.loads(demo_file.read_text(encoding="utf-8"))
    change = kreis.import_gemeinde_files([demo_file])
    (import_id,) = change.ids
    stored = kreis.gemeinde_document(import_id)
    assert stored == sent
    assert stored["tables"]["receipts"] == sent["tables"]["receipts"]
    assert kreis.audit_entries(entity="consolidated_imports")[0].action == "Gemeinde-Dateien übernommen"
    assert kreis.check() == []
    # the Kreis's file for the RP holds the Gemeinde's file unchanged and passes our own import checks
    out = tmp_path / "kreis.json"
    kreis.export("json", out)
    document = read_file(out).document
    assert document["gemeinden"] == [sent]
    assert document["owner"]["kind"] == "Landkreis"
    assert document["gemeinden"][0]["control_totals"] == sent["control_totals"]


def test_consolidated_spreadsheets_list_the_gemeinden_rows(kreis, demo_file, tmp_path):
    kreis.import_gemeinde_files([demo_file])
    kreis.export("csv", tmp_path / "kreis.zip")
    files = read_csv_zip(tmp_path / "kreis.zip")
    lines = files["11_belege.csv"][1][1:]
    assert len(lines) == 400 and {line[0] for line in lines} == {'="08125097"'}
    kreis.export("xlsx", tmp_path / "kreis.xlsx")
    book = openpyxl.load_workbook(tmp_path / "kreis.xlsx")
    header = [c.value for c in next(book["Auswertung Zeitraum"].iter_rows(min_row=7, max_row=7))]
    assert header[1:] == ["Landkreis Unterland (08125000)", "Gemeinde Lindenbach (08125097)", "Summe"]
    assert book["Belege"].max_row == 401


def test_same_file_again_changes_nothing(kreis, demo_file):
    kreis.import_gemeinde_files([demo_file])
    before = fingerprint(kreis.path)
    change = kreis.import_gemeinde_files([demo_file])
    assert change.ids == () and "bereits übernommen" in change.warnings[0]
    assert kreis.preview_gemeinde_import([demo_file]).items[0].action == "unverändert"
    assert fingerprint(kreis.path) == before


def test_newer_file_replaces_older_with_audit(kreis, demo, demo_file, tmp_path):
    (old_id,) = kreis.import_gemeinde_files([demo_file]).ids
    old_sha = kreis.gemeinde_imports()[0]["file_sha256"]
    demo.save_key_figures(2024, None, {"vermittlungen": 1})
    newer = tmp_path / "lindenbach-neu.json"
    write_json(demo.exchange_document(created_at=T2), newer)
    assert kreis.preview_gemeinde_import([newer]).items[0].action == "ersetzt"
    (new_id,) = kreis.import_gemeinde_files([newer]).ids
    imports = kreis.gemeinde_imports()
    assert [i["id"] for i in imports] == [new_id] and new_id != old_id
    assert imports[0]["file_sha256"] != old_sha
    removed = [a for a in kreis.audit_entries(entity="consolidated_imports") if a.entity_id == old_id and a.new is None]
    assert removed and json.loads(removed[0].old)["file_sha256"] == old_sha
    # and the older file cannot come back over the newer one
    before = fingerprint(kreis.path)
    with pytest.raises(ImportConflictError, match="nicht neuer"):
        kreis.import_gemeinde_files([demo_file])
    assert fingerprint(kreis.path) == before


def test_overlapping_period_of_same_gemeinde_refused(kreis, demo, demo_file, tmp_path):
    kreis.import_gemeinde_files([demo_file])
    part = tmp_path / "lindenbach-2023.json"
    write_json(demo.exchange_document(date(2023, 1, 1), date(2023, 12, 31), created_at=T2), part)
    before = fingerprint(kreis.path)
    with pytest.raises(ImportConflictError, match="überschneidet sich"):
        kreis.import_gemeinde_files([part])
    assert fingerprint(kreis.path) == before


def test_separate_years_of_one_gemeinde_may_coexist(kreis, demo, tmp_path):
    paths = []
    for year in (2023, 2024):
        path = tmp_path / f"lindenbach-{year}.json"
        write_json(demo.exchange_document(date(year, 1, 1), date(year, 12, 31), created_at=T1), path)
        paths.append(path)
    assert len(kreis.import_gemeinde_files(paths).ids) == 2


@pytest.mark.parametrize("ags,kind,message", [
    ("08111000", "Gemeinde", "gehört nicht zum Landkreis Unterland"),
    ("08125000", "Gemeinde", "AGS des Landkreises selbst"),
    ("08125097", "Landkreis", "Datei eines Kreises"),
])
def test_file_of_a_foreign_owner_refused(kreis, tmp_path, ags, kind, message):
    from paktdesk.core.entities import OwnerKind

    data = replace_profile(gemeinde_data(), ags=ags, kind=OwnerKind(kind))
    path = write_document(build(data), tmp_path / "fremd.json")
    before = fingerprint(kreis.path)
    with pytest.raises(ImportConflictError, match=message):
        kreis.import_gemeinde_files([path])
    assert fingerprint(kreis.path) == before


def test_all_or_nothing_across_files(kreis, demo_file, tmp_path):
    good = write_document(build(gemeinde_data()), tmp_path / "obersulm.json")
    broken = build(gemeinde_data(ags="08125082", name="Gemeinde Zwei"))
    broken["tables"]["receipts"][0]["amount_cents"] += 1
    bad = write_document(broken, tmp_path / "zwei.json")
    before = fingerprint(kreis.path)
    preview = kreis.preview_gemeinde_import([demo_file, good, bad])
    assert [i.action for i in preview.items] == ["neu", "neu", "abgelehnt"]
    assert isinstance(preview.items[2].error, ChecksumError)
    with pytest.raises(ImportConflictError, match="nichts übernommen"):
        kreis.import_gemeinde_files([demo_file, good, bad])
    assert fingerprint(kreis.path) == before
    assert len(kreis.import_gemeinde_files([demo_file, good]).ids) == 2


def test_two_files_for_the_same_gemeinde_in_one_batch_refused(kreis, tmp_path):
    one = write_document(build(gemeinde_data()), tmp_path / "a.json")
    two = write_document(build(gemeinde_data(text="anders")), tmp_path / "b.json")
    preview = kreis.preview_gemeinde_import([one, two])
    assert [i.action for i in preview.items] == ["neu", "abgelehnt"]


def test_gemeinde_cannot_consolidate(demo, demo_file):
    with pytest.raises(ImportConflictError, match="nur ein Datenbestand eines Landkreises"):
        demo.import_gemeinde_files([demo_file])


def test_overview_per_gemeinde_and_total(kreis, demo, demo_file, tmp_path):
    small = write_document(build(gemeinde_data(amount=10_000)), tmp_path / "obersulm.json")
    kreis.import_gemeinde_files([demo_file, small])
    overview = kreis.consolidation_overview()
    names = [row.label for row in overview.gemeinden]
    assert sorted(names) == ["Gemeinde Lindenbach", "Gemeinde Obersulm-Süd"]
    lindenbach = next(r for r in overview.gemeinden if r.ags == "08125097")
    summary = demo.money_summary
    assert lindenbach.spent_cents == sum(summary(d.id)["spent"] for d in demo.decisions())
    assert lindenbach.received_cents == sum(summary(d.id)["received"] for d in demo.decisions())
    assert lindenbach.persons == 5 and lindenbach.receipts == 400
    obersulm = next(r for r in overview.gemeinden if r.ags == "08125081")
    assert obersulm.spent_cents == 0  # receipt and its reversal
    assert overview.gemeinden_total.decided_cents == lindenbach.decided_cents + obersulm.decided_cents
    assert overview.total.receipts == overview.own.receipts + 402
    assert overview.key_figures["2024"]["beraten_gesamt"] == demo.key_figures(2024, None)["beraten_gesamt"]
    assert overview.key_figures["2023"]["beraten_gesamt"] == demo.key_figures(2023, None)["beraten_gesamt"] + 45


def test_remove_an_import(kreis, demo_file):
    (import_id,) = kreis.import_gemeinde_files([demo_file]).ids
    kreis.remove_gemeinde_import(import_id)
    assert kreis.gemeinde_imports() == []
    assert kreis.audit_entries(entity="consolidated_imports")[0].action == "Gemeinde-Datei entfernt"


def test_changed_stored_file_blocks_the_kreis_export(kreis, demo_file, tmp_path):
    import sqlite3

    from paktdesk.exchange.errors import ExportRefusedError

    (import_id,) = kreis.import_gemeinde_files([demo_file]).ids
    assert kreis.check_gemeinde_imports() == []
    conn = sqlite3.connect(kreis.path)
    stored = json.loads(conn.execute("SELECT document FROM consolidated_imports WHERE id = ?", [import_id]).fetchone()[0])
    amount = stored["tables"]["receipts"][0]["amount_cents"]  # one cent more on a receipt, behind PaktDesk's back
    conn.execute("UPDATE consolidated_imports SET document = replace(document, ?, ?) WHERE id = ?",
                 [f'"amount_cents":{amount},', f'"amount_cents":{amount + 1},', import_id])
    conn.commit()
    conn.close()
    (problem,) = kreis.check_gemeinde_imports()
    assert "Gemeinde Lindenbach" in problem and "außerhalb von PaktDesk verändert" in problem
    with pytest.raises(ExportRefusedError, match="außerhalb von PaktDesk"):
        kreis.export("json", tmp_path / "kreis.json")
    assert not (tmp_path / "kreis.json").exists()


def test_kreis_file_of_a_period_holds_the_gemeinden_files_that_overlap_it(kreis, demo, tmp_path):
    whole = write_document(build(gemeinde_data()), tmp_path / "obersulm.json")
    year = tmp_path / "lindenbach-2023.json"
    write_json(demo.exchange_document(date(2023, 1, 1), date(2023, 12, 31), created_at=T1), year)
    kreis.import_gemeinde_files([whole, year])
    in_2024 = kreis.exchange_document(date(2024, 1, 1), date(2024, 12, 31))
    assert [m["owner"]["ags"] for m in in_2024["gemeinden"]] == ["08125081"]
    in_2023 = kreis.exchange_document(date(2023, 6, 1), date(2023, 6, 30))
    assert sorted(m["owner"]["ags"] for m in in_2023["gemeinden"]) == ["08125081", "08125097"]
    assert "gemeinden" not in kreis.exchange_document(include_gemeinden=False)
