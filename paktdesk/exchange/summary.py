"""What an exchange document holds, in figures and in German words: the preview before export
and import, the Kreis's overview per Gemeinde, the summary after writing a file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.money import format_cents
from ..core.periods import format_date, parse_date
from .document import MEMBERS, control_totals, table_records

TABLE_LABELS = {
    "providers": "Träger",
    "persons": "Integrationsmanager:innen",
    "employments": "Stellenanteile",
    "funded_periods": "Förderzeiträume",
    "decisions": "Bescheide",
    "decision_versions": "Bescheidfassungen",
    "positions": "Stellen",
    "cost_plan_items": "Kostenplanpositionen",
    "cost_categories": "Kostenarten",
    "payments": "Zahlungen",
    "receipts": "Belege",
    "pass_throughs": "Weiterleitungen",
    "pass_through_payments": "Weiterleitungszahlungen",
    "provider_proofs": "Nachweise der Träger",
    "key_figure_defs": "Kennzahlarten",
    "key_figures": "Kennzahlen",
    "narrative_reports": "Sachberichte",
    "third_party_funds": "Drittmittel",
    "settlements": "Abrechnung je Bescheid und Person",
}
PERSONAL_DATA_WARNING = (
    "Achtung: Die Datei enthält personenbezogene Daten (Namen, Stellenanteile und Qualifikation "
    "der Integrationsmanager:innen, Empfänger von Belegen). Nur auf gesichertem Weg an die "
    "zuständige Stelle weitergeben und nicht länger als nötig aufbewahren."
)
_SHOWN = ("persons", "decisions", "decision_versions", "positions", "payments", "receipts",
          "pass_throughs", "pass_through_payments", "provider_proofs", "key_figures", "narrative_reports",
          "third_party_funds")
# tables whose sum means something on its own (that of the Drittmittel adds plan and received)
MONEY_TABLES = ("payments", "receipts", "pass_through_payments", "provider_proofs")


def money_figures(document: Mapping[str, Any]) -> dict[str, int]:
    """Decided (latest version of each decision), received, spent, passed on, and the
    Drittmittel of the financing plans and received (0 in a file of format 1.0); in cents."""
    tables = document["tables"]
    latest: dict[int, dict] = {}
    for version in tables["decision_versions"]:
        current = latest.get(version["decision_id"])
        if current is None or version["version_no"] > current["version_no"]:
            latest[version["decision_id"]] = version
    return {
        "decided": sum(v["amount_cents"] for v in latest.values()),
        "received": sum(p["amount_cents"] for p in tables["payments"] if p["received_on"] is not None),
        "spent": sum(r["amount_cents"] for r in tables["receipts"]),
        "passed_on": sum(z["amount_cents"] for z in tables["pass_through_payments"]),
        "third_party_planned": sum(m["amount_cents"] for m in table_records(tables, "third_party_funds")
                                   if m["kind"] == "plan"),
        "third_party_received": sum(m["amount_cents"] for m in table_records(tables, "third_party_funds")
                                    if m["kind"] == "eingang"),
    }


def key_figure_totals(document: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Per year and code: the applicant's own figure where given, else the sum over persons."""
    own: dict[tuple[int, str], int] = {}
    persons: dict[tuple[int, str], int] = {}
    for item in document["tables"]["key_figures"]:
        key = (item["year"], item["code"])
        if item["person_id"] is None:
            own[key] = item["value"]
        else:
            persons[key] = persons.get(key, 0) + item["value"]
    totals: dict[str, dict[str, int]] = {}
    for (year, code), value in sorted({**persons, **own}.items()):
        totals.setdefault(str(year), {})[code] = value
    return totals


def figures(document: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the overview shows of one document (without its members)."""
    return {
        "totals": control_totals(document["tables"]),
        "money": money_figures(document),
        "key_figures": key_figure_totals(document),
        "vza_milli": sum(f["vza_milli"] for f in document["tables"]["funded_periods"]),
    }


def period_text(period: Mapping[str, Any]) -> str:
    if period.get("first_day") is None:
        return "gesamter Datenbestand"
    return (f"{format_date(parse_date(period['first_day']))} – "
            f"{format_date(parse_date(period['last_day']))}")


def owner_text(owner: Mapping[str, Any]) -> str:
    return f"{owner['name']} ({owner['kind']}, AGS {owner['ags']})"


def content_lines(document: Mapping[str, Any]) -> list[str]:
    """German lines: owner, period, what the tables hold, sums of cents per money table."""
    totals = control_totals(document["tables"])
    money = money_figures(document)
    parts = []
    for name in _SHOWN:
        if name not in totals:  # a table a file of an older version does not have
            continue
        count, cents = totals[name]["count"], totals[name]["sum_cents"]
        text = f"{TABLE_LABELS[name]} {count}"
        if name in MONEY_TABLES:
            text += f" ({format_cents(cents)})"
        parts.append(text)
    lines = [
        f"Inhaber: {owner_text(document['owner'])}",
        f"Zeitraum: {period_text(document['period'])}",
        "Inhalt: " + ", ".join(parts),
        f"Bewilligt {format_cents(money['decided'])}, eingegangen {format_cents(money['received'])}, "
        f"ausgegeben {format_cents(money['spent'])}, weitergeleitet {format_cents(money['passed_on'])}"
        + (f"; Drittmittel geplant {format_cents(money['third_party_planned'])}, erhalten "
           f"{format_cents(money['third_party_received'])}" if "third_party_funds" in totals else ""),
    ]
    members = document.get(MEMBERS) or []
    if members:
        lines.append(f"Enthält die Dateien von {len(members)} Gemeinden/Trägern:")
        lines.extend(f"  – {owner_text(m['owner'])}, {period_text(m['period'])}, "
                     f"{len(m['tables']['receipts'])} Belege" for m in members)
    return lines
