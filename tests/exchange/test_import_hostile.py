"""Hostile and broken files, one by one: each gives its own typed German error and the Kreis's
Datenbestand stays exactly as it was."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from exchange_builders import build, fingerprint, gemeinde_data, reseal, write_document

from paktdesk.exchange import errors
from paktdesk.exchange.document import content_sha256
from paktdesk.exchange.json_import import MAX_BYTES, read_bytes

BASE = build(gemeinde_data())


def _bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _changed(change) -> bytes:
    document = json.loads(json.dumps(BASE))
    change(document)
    return _bytes(document)


def _resealed(change) -> bytes:
    document = json.loads(json.dumps(BASE))
    change(document)
    return _bytes(reseal(document))


def _rehashed(change) -> bytes:
    document = json.loads(json.dumps(BASE))
    change(document)
    document["sha256"] = content_sha256(document)
    return _bytes(document)


def _zip_with_traversal() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/passwd.json", _bytes(BASE))
    return buffer.getvalue()


CASES = {
    "wrong checksum": (_changed(lambda d: d.update(sha256="0" * 64)), errors.ChecksumError, "Prüfsumme"),
    "edited amount": (_changed(lambda d: d["tables"]["receipts"][0].update(amount_cents=999)),
                      errors.ChecksumError, "verändert"),
    "edited amount, new hash": (_rehashed(lambda d: d["tables"]["receipts"][0].update(amount_cents=999)),
                                errors.ControlTotalsError, "Kontrollsummen"),
    "wrong totals": (_resealed(lambda d: None).replace(b'"count":2', b'"count":3', 1), errors.ChecksumError, "Prüfsumme"),
    "missing field": (_resealed(lambda d: d["tables"]["receipts"][0].pop("payee")), errors.SchemaViolationError,
                      "Angabe „payee“ fehlt"),
    "amount as text": (_rehashed(lambda d: d["tables"]["receipts"][0].update(amount_cents="12,50")),
                       errors.SchemaViolationError, "erwartet eine ganze Zahl"),
    "amount as float": (_changed(lambda d: None).replace(b'"amount_cents":12345', b'"amount_cents":123.45', 1),
                        errors.SchemaViolationError, "Nachkommastellen"),
    "NaN": (_changed(lambda d: None).replace(b'"amount_cents":12345', b'"amount_cents":NaN', 1),
            errors.SchemaViolationError, "kein zulässiger Wert"),
    "duplicate key": (_changed(lambda d: None).replace(b'"payee":', b'"payee":"x","payee":', 1),
                      errors.SchemaViolationError, "doppelt"),
    "unknown field": (_resealed(lambda d: d["tables"]["receipts"][0].update(scan="...")),
                      errors.SchemaViolationError, "unbekannte Angabe"),
    "bad date": (_resealed(lambda d: d["tables"]["receipts"][0].update(receipt_date="2023-02-30")),
                 errors.SchemaViolationError, "kein gültiges Datum"),
    "AGS without leading zero": (_resealed(lambda d: d["owner"].update(ags="8125081")),
                                 errors.SchemaViolationError, "vorgeschriebene Form"),
    "dangling reference": (_resealed(lambda d: d["tables"]["receipts"][0].update(person_id=77)),
                           errors.InconsistentContentError, "zeigt auf keinen Eintrag"),
    "duplicate receipt number": (_resealed(lambda d: d["tables"]["receipts"][1].update(number=1)),
                                 errors.InconsistentContentError, "mehrfach"),
    "newer minor version": (_resealed(lambda d: d.update(format_version="1.3")), errors.NewerFormatError,
                            "PaktDesk aktualisieren"),
    "newer major version": (_resealed(lambda d: d.update(format_version="2.0")), errors.NewerFormatError,
                            "Austauschformat 2.0"),
    "other format": (_changed(lambda d: d.update(format="xrechnung")), errors.NotAnExchangeFileError,
                     "keine PaktDesk-Austauschdatei"),
    "truncated": (_bytes(BASE)[:-40], errors.NotAnExchangeFileError, "unvollständig übertragen"),
    "empty": (b"", errors.NotAnExchangeFileError, "keine gültige JSON-Datei"),
    "array at top": (b"[1, 2, 3]", errors.NotAnExchangeFileError, "keine PaktDesk-Austauschdatei"),
    "deeply nested": (b"[" * 200_000 + b"]" * 200_000, errors.NotAnExchangeFileError, "verschachtelt"),
    "deeply nested inside": (b'{"format":"paktdesk-exchange","x":' + b"[" * 200_000 + b"]" * 200_000 + b"}",
                             errors.NotAnExchangeFileError, "verschachtelt"),
    "not UTF-8": (_bytes(BASE).replace("Öztürk".encode(), "Öztürk".encode("latin-1")),
                  errors.NotAnExchangeFileError, "kein UTF-8"),
    "ZIP with ../ paths": (_zip_with_traversal(), errors.NotAnExchangeFileError, "ZIP-Archiv"),
    "huge integer": (b'{"format":"paktdesk-exchange","n":' + b"7" * 10_000 + b"}", errors.SchemaViolationError,
                     "lange Zahl"),
    "lone surrogate": (_changed(lambda d: None).replace(b'"payee":"Kasse"', b'"payee":"Ka\\ud800sse"', 1),
                       errors.ExchangeError, "„"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_refused_and_nothing_imported(kreis, tmp_path, name):
    payload, kind, words = CASES[name]
    path = tmp_path / "gemeinde.json"
    path.write_bytes(payload)
    before = fingerprint(kreis.path)
    with pytest.raises(kind) as caught:
        kreis.import_gemeinde_files([path])
    assert words in str(caught.value)
    assert "gemeinde.json" in str(caught.value)
    assert fingerprint(kreis.path) == before
    assert kreis.gemeinde_imports() == []


def test_lone_surrogate_with_matching_hash_is_refused():
    raw = _changed(lambda d: None).replace(b'"payee":"Kasse"', b'"payee":"Ka\\ud800sse"')
    with pytest.raises(errors.SchemaViolationError, match="Unicode"):
        read_bytes(raw, name="x.json")


def test_a_100_mb_file_is_refused_without_reading_it(kreis, tmp_path):
    path = tmp_path / "riesig.json"
    with path.open("wb") as handle:
        handle.write(b'{"format":"paktdesk-exchange"')
        handle.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written
    before = fingerprint(kreis.path)
    with pytest.raises(errors.FileTooLargeError, match="zu groß"):
        kreis.import_gemeinde_files([path])
    assert fingerprint(kreis.path) == before
    with pytest.raises(errors.FileTooLargeError):
        read_bytes(b" " * (MAX_BYTES + 1), name="x.json")


def test_missing_file_and_folder(kreis, tmp_path):
    with pytest.raises(errors.NotAnExchangeFileError, match="kann nicht gelesen werden"):
        kreis.import_gemeinde_files([tmp_path / "fehlt.json"])
    with pytest.raises(errors.NotAnExchangeFileError, match="Ordner"):
        kreis.import_gemeinde_files([tmp_path])


def test_byte_order_mark_and_pretty_printing_are_fine(tmp_path):
    pretty = ("\ufeff" + json.dumps(BASE, ensure_ascii=True, indent=4)).encode("utf-8")
    assert read_bytes(pretty, name="x.json").document == BASE


def test_file_claiming_another_ags_is_refused(kreis, tmp_path):
    document = reseal({**json.loads(json.dumps(BASE)),
                       "owner": {**BASE["owner"], "ags": "08311000", "name": "Stadt Freiburg"}})
    path = write_document(document, tmp_path / "freiburg.json")
    before = fingerprint(kreis.path)
    with pytest.raises(errors.ImportConflictError, match="gehört nicht zum Landkreis Unterland"):
        kreis.import_gemeinde_files([path])
    assert fingerprint(kreis.path) == before


@pytest.mark.parametrize("change,words", [
    (lambda d: d["owner"].update(ags=d["owner"]["ags"] + "\n"), "Feld owner.ags"),  # "$" is the end of the text
    (lambda d: d.update(created_at=d["created_at"] + "\n"), "Feld created_at"),
    (lambda d: d.update(created_at="9999-12-31T23:59:59Z"), "31.12.9999 um 23:59 Uhr"),
    (lambda d: d.update(created_at="2024-13-45T25:61:00Z"), "kein gültiger Zeitpunkt"),
])
def test_values_with_a_final_line_break_or_a_date_in_the_future_are_refused(kreis, tmp_path, change, words):
    """``^[0-9]{8}$`` in Python's re matches "08125097\\n": the reader holds patterns to their
    JSON Schema (ECMA-262) meaning. A file dated 9999 would block every later genuine file of its
    Gemeinde. Refused in the preview and the import alike, with a German line, nothing stored."""
    path = tmp_path / "gemeinde.json"
    path.write_bytes(_resealed(change))
    before = fingerprint(kreis.path)
    with pytest.raises(errors.ExchangeError) as caught:
        read_bytes(path.read_bytes(), name=path.name)
    assert words in str(caught.value) and "Traceback" not in str(caught.value)
    preview = kreis.preview_gemeinde_import([path])
    assert not preview.ok and words in preview.items[0].message
    with pytest.raises(errors.ExchangeError):
        kreis.import_gemeinde_files([path])
    assert fingerprint(kreis.path) == before


def test_a_day_of_clock_skew_is_allowed():
    from datetime import UTC, datetime, timedelta

    from paktdesk.exchange.json_import import created_at_problems

    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    soon = (now + timedelta(hours=23)).isoformat()
    assert created_at_problems({"created_at": soon}, now=now) == []
    assert created_at_problems({"created_at": (now + timedelta(hours=25)).isoformat()}, now=now)
