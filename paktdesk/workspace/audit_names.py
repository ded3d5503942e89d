"""German names of every area (table) and field (column or setting) the Änderungsprotokoll can
hold, for the screen, the CSV export and the printed protocol alike.

One mapping, so the three never disagree; tests/safety/test_audit_names.py walks the migrated
schema and fails when a new column has no German name here."""

from __future__ import annotations

from ..db import repo, seed

AREA_LABELS: dict[str, str] = {
    **{table: repo.ENTITY_LABEL[cls] for cls, table in repo.TABLE_OF.items() if cls in repo.ENTITY_LABEL},
    "attachments": "Anhang", "audit_log": "Änderungsprotokoll", "consolidated_imports": "Eingelesene Austauschdatei",
    "control_totals": "Kontrollsummen", "cost_categories": "Kostenart", "deadlines_done": "Erledigte Fristen",
    "key_figure_defs": "Kennzahl-Definition", "profile": "Stammdaten", "grantors": "Zuwendungsgeber",
    "decision_explanations": "Erläuterung zum Finanzierungsplan", "rule_rates": "Fördersatz im Regelwerk",
    "rule_sets": "Regelwerk", "settings": "Einstellungen", "datafile": "Datenbestand",
    "export": "Austauschdatei (Export)", "receipt_references": "Buchungsreferenzen eines Belegs",
    "chain_entries": "Prüfkette", "chain_anchors": "Prüfanker",
}

FIELD_LABELS: dict[str, str] = {
    # columns of the schema
    "id": "Nr.", "code": "Kennung",
    "first_name": "Vorname", "last_name": "Nachname", "email": "E-Mail", "phone": "Telefon",
    "provider_id": "Träger-Nr.", "person_id": "Person-Nr.", "decision_id": "Bescheid-Nr.",
    "version_id": "Fassung-Nr.", "position_id": "Stelle-Nr.", "rule_set_id": "Regelwerk-Nr.",
    "pass_through_id": "Weiterleitung-Nr.", "attachment_id": "Anhang-Nr.", "name": "Name",
    "kind": "Art", "ags": "AGS", "street": "Straße", "postcode": "PLZ", "city": "Ort",
    "address": "Anschrift", "contact": "Ansprechpartner:in", "contact_name": "Ansprechpartner:in",
    "contact_phone": "Telefon", "contact_email": "E-Mail", "iban": "IBAN", "bank_name": "Bank",
    "funding_route": "Förderweg", "kreis_name": "Landkreis", "has_audit_office": "Rechnungsprüfungsamt",
    "signer_name": "Unterzeichner:in", "signer_title": "Amtsbezeichnung",
    "audit_office_name": "Rechnungsprüfungsamt (Name)", "audit_note": "Prüfvermerk",
    "retention_years": "Aufbewahrung (Jahre)", "department": "Referat / Dienststelle",
    "amount_cents": "Betrag", "rate_cents": "Fördersatz", "spent_cents": "Ausgaben", "sum_cents": "Summe",
    "vza_milli": "VZÄ", "min_vza_milli": "Mindest-VZÄ", "category": "Kategorie", "degree": "Abschluss",
    "first_day": "Beginn", "last_day": "Ende", "ended_on": "Ausgeschieden am", "months": "Monate",
    "reason": "Grund", "note": "Notiz", "notes": "Notizen", "checked_by": "Geprüft von",
    "checked_on": "Geprüft am", "course": "Kurs", "course_provider": "Kursanbieter",
    "started_on": "Begonnen am", "deadline": "Frist", "deadline_reason": "Fristgrund",
    "hours_planned": "Stunden geplant", "hours_done": "Stunden geleistet", "completed_on": "Abgeschlossen am",
    "funding_area": "Förderbereich", "grantor": "Bewilligungsstelle", "file_number": "Aktenzeichen",
    "version_no": "Fassung", "decided_on": "Bescheid vom", "requested_on": "Abgerufen am",
    "received_on": "Eingang", "cash_ref": "Kassenzeichen", "reversal_of": "Storno von",
    "reversal_reason": "Stornogrund", "list_kind": "Liste", "number": "Nr.", "receipt_date": "Belegdatum",
    "paid_on": "Bezahlt am", "budget_year": "Haushaltsjahr", "payee": "Empfänger", "purpose": "Zweck",
    "cost_category": "Kostenart", "agreed_on": "Vereinbart am", "reference": "Zeichen",
    "submitted_on": "Eingereicht am", "year": "Jahr", "text": "Text", "label": "Bezeichnung",
    "value": "Wert", "deleted_at": "Gelöscht am", "created_at": "Angelegt am", "updated_at": "Geändert am",
    "recorded_at": "Erfasst am", "active": "Aktiv", "done_by": "Erledigt von", "done_on": "Erledigt am",
    "evidence_attachment_id": "Nachweis (Anhang-Nr.)", "certificate_attachment_id": "Bescheinigung (Anhang-Nr.)",
    "sicherung": "Sicherung", "beiseitegelegt": "Beiseitegelegt als", "stand": "Stand",
    "retention": "Aufbewahrungsfristen", "backup": "Sicherungseinstellungen",
    # columns that clerks never type but the log can still name
    "filename": "Dateiname", "mime": "Dateityp", "size": "Größe (Bytes)", "sha256": "Prüfsumme",
    "content": "Inhalt", "at": "Zeitpunkt", "user": "Benutzer", "action": "Aktion", "entity": "Bereich",
    "entity_id": "Datensatz-Nr.", "old": "Vorher", "new": "Nachher", "owner_name": "Absender",
    "owner_kind": "Art des Absenders", "period_key": "Zeitraum", "format_version": "Formatversion",
    "file_sha256": "Prüfsumme der Datei", "file_name": "Dateiname", "imported_at": "Eingelesen am",
    "imported_by": "Eingelesen von", "summary": "Zusammenfassung", "document": "Inhalt der Datei",
    "table_name": "Tabelle", "row_count": "Zeilen", "hash_sum": "Prüfsumme", "sort_order": "Reihenfolge",
    "row_hash": "Prüfsumme der Zeile", "key": "Frist", "grp": "Gruppe", "giver": "Geldgeber",
    "valid_from": "Gültig ab", "valid_to": "Gültig bis", "max_months": "Höchstdauer (Monate)",
    "max_extension_months": "Höchste Verlängerung (Monate)",
    "proof_deadline_months": "Frist für den Verwendungsnachweis (Monate)",
    "requal_months": "Frist der Nachqualifizierung (Monate)", "requal_hours": "Stunden der Nachqualifizierung",
    "requal_evidence": "Nachweis der Nachqualifizierung",
    "seq": "Eintrag", "source": "Quelle", "row_id": "Datensatz-Nr.", "op": "Vorgang", "digest": "Prüfwert",
    "personal": "Prüfwerte der Personendaten", "salts": "Zufallswerte der Personendaten", "link": "Verkettung",
    "made_at": "Ausgegeben am", "chain_erased": "Gelöschte Prüfwerte", "gemeinde_chains": "Prüfketten der Gemeinden",
    # keys the workspace writes into entries besides columns
    "rates": "Fördersätze", "done": "Erledigt", "due": "Fällig am", "concerns": "Betrifft", "format": "Format", "datei": "Datei",
    "zeitraum": "Zeitraum", "zeilen": "Zeilen je Bereich", "unverändert": "Unverändert",
    "deadline_lead_days": "Vorlauf der Fristen (Tage)", "requal_categories": "Kategorien mit Nachqualifizierung",
    "interim_proof_deadlines": "Fristen der Zwischennachweise", "receipt_import_mapping": "Spalten beim Belegimport",
    "receipt_number_start": "Erste Belegnummer", "receipt_import_profiles": "Spaltenprofile beim Belegimport",
    "receipt_id": "Beleg-Nr.", "document_number": "Belegnr. (Finanzsoftware)", "budget_line": "Haushaltsstelle",
    "account": "Sachkonto", "cost_center": "Kostenstelle", "uebersprungen": "Übersprungen", "demo_today": "Stichtag der Vorführdaten",
}


def area_label(name: str) -> str:
    """A table or area as the clerk reads it ("deadlines_done" → "Erledigte Fristen")."""
    return AREA_LABELS.get(name) or name.replace("_", " ")


def field_label(key: str) -> str:
    """A column or setting name as the clerk reads it ("amount_cents" → "Betrag")."""
    return FIELD_LABELS.get(key, key.replace("_", " "))


_KEY_FIGURE_NAMES = {code: label for code, label, *_rest in seed.KEY_FIGURES}


# SQLite stores these yes/no columns as 0 and 1 (CHECK ... IN (0, 1) in the schema)
_YES_NO = {"has_audit_office", "active"}


def named_value(entity: str, key: str, text: str) -> str:
    """A value as the clerk reads it: a key figure's code with its German name
    ("Neu erstellte Integrationspläne (plaene_neu)"), a yes/no column as "ja"/"nein"."""
    if key in _YES_NO and text in ("0", "1"):
        return "ja" if text == "1" else "nein"
    if key == "code" and entity in ("key_figures", "key_figure_defs") and text in _KEY_FIGURE_NAMES:
        return f"{_KEY_FIGURE_NAMES[text]} ({text})"
    return text
