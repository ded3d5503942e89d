"""Default data a new Datenbestand starts with: rule sets with the published rates, cost
categories, key-figure list, settings. All of it is editable by the clerk afterwards."""

from __future__ import annotations

import json

# Published rates (shared domain notes): 2017 rules 51.000 € per VZÄ and year for category c
# (a and b are left for the clerk to enter from the decision); 2023 rules 60.000 €.
RULE_SETS = [
    {
        "code": "VwV2017", "name": "VwV Integrationsmanagement 2017 (mit Verlängerungen bis 2022)",
        "valid_from": "2017-01-01", "valid_to": "2022-12-31", "max_months": 60,
        "rates": {"c": 5_100_000},
    },
    {
        "code": "VwV2023", "name": "VwV Integrationsmanagement 2023/2024",
        "valid_from": "2023-01-01", "valid_to": None, "max_months": 24,
        "rates": {"a": 6_000_000, "b": 6_000_000, "c": 6_000_000},
    },
]

COST_CATEGORIES = [
    ("P_ENTGELT", "Entgelt/Bezüge", "P", 10),
    ("P_SOZ", "Arbeitgeberanteile Sozialversicherung", "P", 20),
    ("P_ZVK", "Zusatzversorgung", "P", 30),
    ("S_FORTB", "Fort- und Weiterbildung", "S", 110),
    ("S_REISE", "Reisekosten", "S", 120),
    ("S_RAUM", "Raumkosten", "S", 130),
    ("S_BUERO", "Büro- und Sachmittel", "S", 140),
    ("S_DOLM", "Dolmetscher und Übersetzungen", "S", 150),
    ("S_HONORAR", "Honorare", "S", 160),
    ("S_SONST", "Sonstige Sachausgaben", "S", 190),
]

KEY_FIGURES = [
    ("beraten_gesamt", "Beratene Personen insgesamt", "Beratene Personen", 10),
    ("beraten_m", "davon männlich", "Beratene Personen", 11),
    ("beraten_w", "davon weiblich", "Beratene Personen", 12),
    ("beraten_d", "davon divers/ohne Angabe", "Beratene Personen", 13),
    ("alter_u18", "unter 18 Jahre", "Altersgruppen", 20),
    ("alter_18_26", "18 bis 26 Jahre", "Altersgruppen", 21),
    ("alter_27_64", "27 bis 64 Jahre", "Altersgruppen", 22),
    ("alter_65", "65 Jahre und älter", "Altersgruppen", 23),
    ("faelle_neu", "Neu aufgenommene Fälle", "Fälle", 30),
    ("faelle_abgeschlossen", "Abgeschlossene Fälle", "Fälle", 31),
    ("plaene_neu", "Neu erstellte Integrationspläne", "Integrationspläne", 40),
    ("plaene_fortgeschrieben", "Fortgeschriebene Integrationspläne", "Integrationspläne", 41),
    ("vermittlungen", "Vermittlungen in Regelangebote", "Vermittlungen", 50),
]

SETTINGS = {
    "deadline_lead_days": {"soon": 30, "later": 90},
    "receipt_number_start": 1,
}


def seed_defaults(db) -> None:
    for rule in RULE_SETS:
        cursor = db.execute(
            "INSERT INTO rule_sets (code, name, valid_from, valid_to, max_months) VALUES (?, ?, ?, ?, ?)",
            [rule["code"], rule["name"], rule["valid_from"], rule["valid_to"], rule["max_months"]],
        )
        for category, cents in rule["rates"].items():
            db.execute(
                "INSERT INTO rule_rates (rule_set_id, category, rate_cents) VALUES (?, ?, ?)",
                [cursor.lastrowid, category, cents],
            )
    for code, label, kind, order in COST_CATEGORIES:
        db.execute(
            "INSERT INTO cost_categories (code, label, list_kind, sort_order) VALUES (?, ?, ?, ?)",
            [code, label, kind, order],
        )
    for code, label, group, order in KEY_FIGURES:
        db.execute(
            "INSERT INTO key_figure_defs (code, label, grp, sort_order) VALUES (?, ?, ?, ?)",
            [code, label, group, order],
        )
    for key, value in SETTINGS.items():
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, json.dumps(value)])
