"""The exchange document as flat tables for spreadsheets (CSV and XLSX share this layout): one
table per document table, German column headings, the owner's AGS as the first column so a
Kreis's file can list its Gemeinden's rows together, plus an info and a control-total table.

Cell kinds decide the formatting: ``int``, ``cents`` (euros with two decimals), ``vza``, ``date``,
``bool``, ``key`` (identifiers such as the AGS or the receipt number: text, never a number, never
touched) and ``text`` (free text: neutralised against spreadsheet formulas)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import FORMAT_NAME
from .document import AMOUNT_FIELD, MEMBERS, TABLES, table_records
from .summary import PERSONAL_DATA_WARNING, TABLE_LABELS, period_text

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str
    value: Callable[[Mapping[str, Any]], Any]


def _f(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda row: row[name]


def receipt_number(row: Mapping[str, Any]) -> str:
    """``P-17``: list and running number, as printed on the Belegliste."""
    return f"{row['list_kind']}-{row['number']}"


def third_party_kind(row: Mapping[str, Any]) -> str:
    """``Finanzierungsplan`` or ``Eingang``, as on screen and in the printed proof."""
    return {"plan": "Finanzierungsplan", "eingang": "Eingang"}.get(row["kind"], row["kind"])


SETTLEMENT_LINE_LABELS = {"bescheid": "Bescheid insgesamt", "person": "Integrationsmanager:in",
                          "ohne_person": "Belege ohne Person",
                          "weiterleitung_ohne_person": "Weiterleitung ohne geförderte Person",
                          "zahlungen_ohne_zuordnung": "Zahlungen ohne Zuordnung",
                          "drittmittel_ohne_zuordnung": "Drittmittel ohne Zuordnung"}


def settlement_line(row: Mapping[str, Any]) -> str:
    return SETTLEMENT_LINE_LABELS.get(row["line"], row["line"])


def _c(header: str, kind: str, name: str) -> Column:
    return Column(header, kind, _f(name))


_NOTE = ("Bemerkung", "text", "note")
_REVERSAL = (("storniert Nr.", "int", "reversal_of"), ("Stornogrund", "text", "reversal_reason"))

COLUMNS: dict[str, tuple[Column, ...]] = {
    name: tuple(_c(*spec) if isinstance(spec, tuple) else spec for spec in specs)
    for name, specs in {
        "providers": [("Nr.", "int", "id"), ("Name", "text", "name"), ("Art", "text", "kind"),
                      ("AGS des Trägers", "key", "ags"), ("Anschrift", "text", "address")],
        "persons": [("Nr.", "int", "id"), ("Vorname", "text", "first_name"), ("Nachname", "text", "last_name"),
                    ("Träger-Nr.", "int", "provider_id"), ("Kategorie", "text", "category"),
                    ("Stand Qualifizierung", "text", "requalification_status"),
                    ("ausgeschieden am", "date", "ended_on")],
        "employments": [("Nr.", "int", "id"), ("Person-Nr.", "int", "person_id"),
                        ("Träger-Nr.", "int", "provider_id"), ("Beginn", "date", "first_day"),
                        ("Ende", "date", "last_day"), ("VZÄ", "vza", "vza_milli")],
        "funded_periods": [("Stellen-Nr.", "int", "position_id"), ("Person-Nr.", "int", "person_id"),
                           ("Bescheid-Nr.", "int", "decision_id"), ("Fassung", "int", "version_no"),
                           ("Beginn", "date", "first_day"), ("Ende", "date", "last_day"),
                           ("Ende mit Verlängerung", "date", "extended_last_day"), ("Monate", "int", "months"),
                           ("VZÄ", "vza", "vza_milli")],
        "decisions": [("Nr.", "int", "id"), ("Förderbereich", "text", "funding_area"),
                      ("Zuwendungsgeber", "text", "grantor"), ("Aktenzeichen", "text", "file_number")],
        "decision_versions": [("Nr.", "int", "id"), ("Bescheid-Nr.", "int", "decision_id"),
                              ("Fassung", "int", "version_no"), ("Art", "text", "kind"),
                              ("Bescheid vom", "date", "decided_on"), ("Beginn", "date", "first_day"),
                              ("Ende", "date", "last_day"), ("Bewilligt (EUR)", "cents", "amount_cents"),
                              ("Regelwerk", "text", "rule_set"), _NOTE],
        "positions": [("Nr.", "int", "id"), ("Fassung-Nr.", "int", "version_id"), ("Person-Nr.", "int", "person_id"),
                      ("VZÄ", "vza", "vza_milli"), ("Kategorie", "text", "category"), ("Beginn", "date", "first_day"),
                      ("Monate", "int", "months"), ("Satz je VZÄ und Jahr (EUR)", "cents", "rate_cents"),
                      ("Festbetrag (EUR)", "cents", "amount_cents")],
        "cost_plan_items": [("Nr.", "int", "id"), ("Fassung-Nr.", "int", "version_id"),
                            ("Kostenart", "text", "cost_category"), ("Betrag (EUR)", "cents", "amount_cents")],
        "cost_categories": [("Kürzel", "text", "code"), ("Bezeichnung", "text", "label"),
                            ("Liste", "text", "list_kind"), ("Reihenfolge", "int", "sort_order")],
        "payments": [("Nr.", "int", "id"), ("Bescheid-Nr.", "int", "decision_id"),
                     ("abgerufen am", "date", "requested_on"), ("eingegangen am", "date", "received_on"),
                     ("Betrag (EUR)", "cents", "amount_cents"), ("Kassenzeichen", "text", "cash_ref"),
                     _NOTE, *_REVERSAL],
        "receipts": [("Nr.", "int", "id"), ("Bescheid-Nr.", "int", "decision_id"),
                     Column("Belegnummer", "key", receipt_number), ("Belegdatum", "date", "receipt_date"),
                     ("bezahlt am", "date", "paid_on"), ("Haushaltsjahr", "int", "budget_year"),
                     ("Empfänger", "text", "payee"), ("Zweck", "text", "purpose"),
                     ("Kostenart", "text", "cost_category"), ("Betrag (EUR)", "cents", "amount_cents"),
                     ("Person-Nr.", "int", "person_id"), *_REVERSAL],
        "pass_throughs": [("Nr.", "int", "id"), ("Bescheid-Nr.", "int", "decision_id"),
                          ("Träger-Nr.", "int", "provider_id"), ("vereinbart am", "date", "agreed_on"),
                          ("Zeichen", "text", "reference"), ("Betrag (EUR)", "cents", "amount_cents"), _NOTE],
        "pass_through_payments": [("Nr.", "int", "id"), ("Weiterleitung-Nr.", "int", "pass_through_id"),
                                  ("gezahlt am", "date", "paid_on"), ("Betrag (EUR)", "cents", "amount_cents"),
                                  _NOTE, *_REVERSAL],
        "provider_proofs": [("Nr.", "int", "id"), ("Weiterleitung-Nr.", "int", "pass_through_id"),
                            ("eingegangen am", "date", "received_on"),
                            ("nachgewiesen (EUR)", "cents", "spent_cents"), _NOTE],
        "key_figure_defs": [("Kürzel", "text", "code"), ("Bezeichnung", "text", "label"),
                            ("Gruppe", "text", "group"), ("Reihenfolge", "int", "sort_order"),
                            ("aktiv", "bool", "active")],
        "key_figures": [("Jahr", "int", "year"), ("Person-Nr.", "int", "person_id"), ("Kürzel", "text", "code"),
                        ("Wert", "int", "value")],
        "narrative_reports": [("Bescheid-Nr.", "int", "decision_id"), ("Träger-Nr.", "int", "provider_id"),
                              ("Text", "text", "text"), ("geändert am", "text", "updated_at")],
        "third_party_funds": [("Nr.", "int", "id"), ("Bescheid-Nr.", "int", "decision_id"),
                              Column("Art", "text", third_party_kind), ("Mittelgeber", "text", "giver"),
                              ("Person-Nr.", "int", "person_id"), ("eingegangen am", "date", "received_on"),
                              ("Betrag (EUR)", "cents", "amount_cents"), ("Zweck", "text", "purpose"),
                              *_REVERSAL],
        "settlements": [("Bescheid-Nr.", "int", "decision_id"), Column("Zeile", "text", settlement_line),
                        ("Person-Nr.", "int", "person_id"), ("Soll (EUR)", "cents", "planned_cents"),
                        ("erhalten (EUR)", "cents", "received_cents"),
                        ("abgerufen, offen (EUR)", "cents", "requested_open_cents"),
                        ("Ausgaben (EUR)", "cents", "spent_cents"), ("weitergeleitet (EUR)", "cents", "passed_on_cents"),
                        ("nicht nachgewiesen (EUR)", "cents", "provider_refund_cents"),
                        ("Ist-Kosten (EUR)", "cents", "actual_cents"),
                        ("nicht zuwendungsfähig (EUR)", "cents", "not_eligible_cents"),
                        ("Drittmittel (EUR)", "cents", "third_party_cents"),
                        ("zustehende Zuwendung (EUR)", "cents", "due_cents"),
                        ("Eigenanteil (EUR)", "cents", "own_share_cents"),
                        ("Saldo (EUR)", "cents", "balance_cents")],
    }.items()
}

# file names inside the CSV archive (ASCII: ZIP readers disagree about umlauts in names)
FILE_NAMES = {
    "providers": "traeger", "persons": "personen", "employments": "stellenanteile",
    "funded_periods": "foerderzeitraeume", "decisions": "bescheide", "decision_versions": "bescheidfassungen",
    "positions": "stellen", "cost_plan_items": "kostenplaene", "cost_categories": "kostenarten",
    "payments": "zahlungen", "receipts": "belege", "pass_throughs": "weiterleitungen",
    "pass_through_payments": "weiterleitungszahlungen", "provider_proofs": "nachweise_traeger",
    "key_figure_defs": "kennzahlarten", "key_figures": "kennzahlen", "narrative_reports": "sachberichte",
    "third_party_funds": "drittmittel", "settlements": "abrechnung",
}
OWNER_HEADER = "AGS Inhaber"


def neutralise(text: str) -> str:
    """Free text that a spreadsheet could take for a formula gets a leading apostrophe; a text
    that itself starts with an apostrophe gets one more, so :func:`restore` can undo it exactly."""
    if text.startswith(FORMULA_TRIGGERS) or text.startswith("'"):
        return "'" + text
    return text


def restore(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def needs_guard(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def documents(document: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The document itself, then the Gemeinde documents a Kreis's file contains."""
    yield document
    yield from document.get(MEMBERS) or []


def rows(document: Mapping[str, Any], table: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(owner AGS, record) for every record of ``table`` in the document and its members."""
    for part in documents(document):
        ags = part["owner"]["ags"]
        for record in table_records(part["tables"], table):
            yield ags, record


def info_rows(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    owner = document["owner"]
    lines = [
        ("Format", f"{FORMAT_NAME} {document['format_version']}"),
        ("Erstellt mit", f"{document['generator']['name']} {document['generator']['version']}"),
        ("Erstellt am (UTC)", document["created_at"]),
        ("Inhaber", owner["name"]),
        ("Art", owner["kind"]),
        ("AGS", owner["ags"]),
        ("Zeitraum", period_text(document["period"])),
        ("SHA-256 des Inhalts", document["sha256"]),
        ("Hinweis", PERSONAL_DATA_WARNING),
    ]
    for member in document.get(MEMBERS) or []:
        lines.append(("Enthaltene Datei", f"{member['owner']['name']} (AGS {member['owner']['ags']}), "
                                          f"{period_text(member['period'])}, SHA-256 {member['sha256']}"))
    return lines


def control_rows(document: Mapping[str, Any]) -> Iterator[tuple[str, str, int, int | None]]:
    """(owner AGS, table label, rows, sum of cents or None for tables without amounts) for the
    document and every member."""
    for part in documents(document):
        for table in TABLES:
            total = part["control_totals"].get(table)
            if total is None:  # a table a file of an older version does not have
                continue
            cents = total["sum_cents"] if table in AMOUNT_FIELD else None
            yield part["owner"]["ags"], TABLE_LABELS[table], total["count"], cents
