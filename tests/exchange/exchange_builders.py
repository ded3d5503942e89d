"""Test helpers: exchange documents built in memory (no database), a Kreis Datenbestand, a
fingerprint of every table, reading CSV and XLSX back."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import sqlite3
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from paktdesk.core import entities as e
from paktdesk.exchange import document as doc
from paktdesk.workspace import Workspace

KREIS = e.Profile(name="Landkreis Unterland", kind=e.OwnerKind.LANDKREIS, ags="08125000")
CREATED = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)


def make_kreis(path: Path) -> Workspace:
    ws = Workspace.open(path, create=True)
    ws.save_profile(KREIS)
    return ws


def gemeinde_data(*, name: str = "Gemeinde Obersulm-Süd", ags: str = "08125081", text: str = "Zweck",
                  payee: str = "Kasse", amount: int = 12_345, first_name: str = "Anna", last_name: str = "Öztürk",
                  narrative: str = "Bericht", note: str = "", file_number: str = "15.2-8712.23/0001",
                  key_value: int = 40) -> doc.ExchangeData:
    """A small but complete Gemeinde document's content: every table has at least one row."""
    provider = e.Provider(1, name, e.ProviderKind.OWN, ags=ags, address="Rathausplatz 1")
    free = e.Provider(2, "Diakonie „Mitte“ e. V.", e.ProviderKind.FREE)
    person = e.Person(1, first_name, last_name, 1, email="geheim@example.org", phone="0711 1")
    decision = e.Decision(1, e.FundingArea.INTEGRATION_MANAGEMENT, "Regierungspräsidium Stuttgart", file_number)
    version = e.DecisionVersion(1, 1, 1, e.VersionKind.ORIGINAL, date(2022, 12, 15), date(2023, 1, 1),
                                date(2024, 12, 31), 6_000_000, 1, note=note)
    position = e.Position(1, 1, 1, 500, e.Category.A, date(2023, 1, 1), 24, 6_000_000, 6_000_000)
    return doc.ExchangeData(
        profile=e.Profile(name=name, kind=e.OwnerKind.GEMEINDE, ags=ags, funding_route=e.FundingRoute.KREIS,
                          kreis_name=KREIS.name),
        providers=[provider, free],
        persons=[doc.PersonInfo(person, e.Category.A, doc.QUALIFIED)],
        employments=[e.Employment(1, 1, 1, date(2023, 1, 1), None, 500)],
        funded_periods=[doc.FundedPeriod(1, 1, 1, 1, date(2023, 1, 1), date(2024, 12, 31), date(2025, 3, 31),
                                         24, 500)],
        decisions=[decision], versions=[version], positions=[position],
        cost_plan=[e.CostPlanItem(1, 1, "P_ENTGELT", 5_000_000)],
        cost_categories=[e.CostCategory("P_ENTGELT", "Entgelt/Bezüge", e.ListKind.PERSONNEL, 10),
                         e.CostCategory("S_SONST", "Sonstige Sachausgaben", e.ListKind.MATERIAL, 190)],
        payments=[e.Payment(1, 1, date(2023, 1, 10), date(2023, 2, 1), 3_000_000, cash_ref="KZ-0815", note=note),
                  e.Payment(2, 1, date(2023, 3, 1), date(2023, 3, 5), -1_000, reversal_of=1,
                            reversal_reason=text)],
        receipts=[e.Receipt(1, 1, e.ListKind.MATERIAL, 1, date(2023, 5, 2), date(2023, 5, 3), 2023, payee, text,
                            "S_SONST", amount, 1),
                  e.Receipt(2, 1, e.ListKind.MATERIAL, 2, date(2023, 6, 1), None, 2023, payee, text,
                            "S_SONST", -amount, None, reversal_of=1, reversal_reason=text)],
        pass_throughs=[e.PassThrough(1, 1, 2, date(2023, 1, 2), "Vertrag 1", 100_000, note=note)],
        pass_through_payments=[e.PassThroughPayment(1, 1, date(2023, 2, 2), 100_000, note=note)],
        provider_proofs=[e.ProviderProof(1, 1, date(2025, 2, 1), 99_000, note=note)],
        key_figure_defs=[e.KeyFigureDef("beraten_gesamt", "Beratene Personen insgesamt", "Beratene Personen", 10),
                         e.KeyFigureDef("faelle_abgeschlossen", "Abgeschlossene Fälle", "Fälle", 31)],
        key_figures=[e.KeyFigure(None, 2023, 1, "beraten_gesamt", key_value),
                     e.KeyFigure(None, 2023, None, "beraten_gesamt", key_value + 5)],
        narratives=[e.NarrativeReport(1, 1, None, narrative, "2025-01-30T10:00:00+00:00")],
        third_party_funds=[e.ThirdPartyFund(1, 1, e.ThirdPartyKind.PLANNED, "Landkreis Heilbronn", 500_000,
                                            purpose=text),
                           e.ThirdPartyFund(2, 1, e.ThirdPartyKind.RECEIVED, "Stiftung „Miteinander“", 250_000,
                                            date(2023, 4, 3), person_id=1, purpose=text)],
        rule_set_codes={1: "VwV2023"},
    )


def build(data: doc.ExchangeData, *, created_at: datetime = CREATED) -> dict:
    return doc.build_document(data, created_at=created_at, generator_version="test")


def reseal(document: dict) -> dict:
    """Recompute control totals and hash after a deliberate change (to reach deeper checks)."""
    document = json.loads(json.dumps(document))
    document["control_totals"] = doc.control_totals(document["tables"])
    document["sha256"] = doc.content_sha256(document)
    return document


def write_document(document: dict, path: Path) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def fingerprint(path: Path) -> str:
    """SHA-256 over every row of every table (in rowid order) of a data file."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def read_csv_zip(path_or_bytes) -> dict[str, tuple[bytes, list[list[str]]]]:
    """name → (raw bytes, rows as read by the csv module the way German Excel splits them)."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    result = {}
    with zipfile.ZipFile(source) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            text = raw.decode("utf-8-sig")
            result[name] = (raw, list(csv.reader(io.StringIO(text, newline=""), delimiter=";")))
    return result


def euros_to_cents(value) -> int:
    """A number cell read back by openpyxl (int or float) → cents."""
    return int((Decimal(str(value)) * 100).to_integral_value())


def replace_profile(data: doc.ExchangeData, **changes) -> doc.ExchangeData:
    return dataclasses.replace(data, profile=dataclasses.replace(data.profile, **changes))
