"""The Änderungsprotokoll names every area and field in German, on screen, in the CSV export and in
the printed PDF – never a table or column name such as ``bank_name`` or ``deadlines_done``."""

from __future__ import annotations

import csv
import dataclasses
import re
from datetime import date

from report_helpers import PRINTED_ON, PdfText

from paktdesk.workspace.audit_names import AREA_LABELS, FIELD_LABELS, area_label, field_label
from paktdesk.workspace.safety import audit_changes

_INTERNAL = ("_sqlite_migrations",)


def test_every_table_and_column_of_the_schema_has_a_german_name(store):
    tables = [t for t in store.table_names()
              if not t.startswith("sqlite_") and t not in _INTERNAL and "fts" not in t]
    assert len(tables) > 20
    missing_areas = [t for t in tables if t not in AREA_LABELS]
    missing_fields = sorted({f"{t}.{row[1]}" for t in tables
                             for row in store.conn.execute(f"PRAGMA table_info([{t}])")
                             if row[1] not in FIELD_LABELS})
    assert missing_areas == [] and missing_fields == []


def test_names_read_as_german_words():
    assert area_label("deadlines_done") == "Erledigte Fristen"
    assert field_label("bank_name") == "Bank" and field_label("has_audit_office") == "Rechnungsprüfungsamt"
    assert field_label("concerns") == "Betrifft" and field_label("key") == "Frist"
    assert all("_" not in label for label in (*AREA_LABELS.values(), *FIELD_LABELS.values()))


def _changed_demo(demo):
    """Profile fields, a deadline marked done and a key figure: the entries the issue found raw."""
    profile = demo.profile()
    demo.save_profile(dataclasses.replace(profile, bank_name="Sparkasse Lindenbach-Test",
                                          has_audit_office=not profile.has_audit_office))
    demo.mark_deadline_done(next(item.key for item in demo.deadlines() if item.deadline.done_on is None))


_RAW = re.compile(r"\b(bank_name|has_audit_office|deadlines_done|concerns|key_figure\w*|[a-z]+_[a-z_]+_?id)\b")


def test_screen_csv_and_pdf_show_german_names_only(demo, tmp_path):
    _changed_demo(demo)
    entries = demo.audit_trail(period=None, entity=None, offset=0, limit=100_000)
    assert {e.entity for e in entries} >= {"profile", "deadlines_done", "key_figures"}
    for entry in entries:
        assert area_label(entry.entity) != entry.entity, entry.entity
        for label, old, new in audit_changes(entry):
            assert label == "" or label in FIELD_LABELS.values(), (entry.entity, label)
            if label == "Kennung" and entry.entity.startswith("key_figure"):
                assert "(" in old + new, (old, new)  # the key figure's name stands beside its code

    csv_path = tmp_path / "protokoll.csv"
    demo.export_audit_csv(csv_path, period=None, entity=None)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    fields = {row[6] for row in rows[1:]}
    areas = {row[4] for row in rows[1:]}
    assert "Bank" in fields and "Rechnungsprüfungsamt" in fields and "Erledigte Fristen" in areas
    assert not [f for f in fields | areas if "_" in f]

    pdf = tmp_path / "protokoll.pdf"
    demo.print_audit_trail(date.today(), date.today(), None, pdf, printed_on=PRINTED_ON)
    text = PdfText.read(pdf).text
    assert "Sparkasse Lindenbach-Test" in text and "Bank" in text and "Erledigte Fristen" in text
    assert re.search(r"Rechnungsprüfungsamt\s+(ja\s+nein|nein\s+ja)", text)
    assert _RAW.findall(text) == []
    assert "Kennung plaene_neu" not in re.sub(r"\s+", " ", text)
