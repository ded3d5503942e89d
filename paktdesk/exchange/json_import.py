"""Reading an exchange file: size, encoding, JSON, format version, schema, SHA-256, control
totals and internal references, in that order. Anything malformed is refused with a typed German
error (:mod:`.errors`); what passes is a verified document the workspace may store."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

from . import FORMAT_NAME, FORMAT_VERSION, READABLE_VERSIONS
from . import signature
from .document import ADDED_IN, MEMBERS, TABLES, content_sha256, control_totals, table_records
from .errors import (
    ChecksumError,
    ControlTotalsError,
    FileTooLargeError,
    InconsistentContentError,
    NewerFormatError,
    NotAnExchangeFileError,
    SchemaViolationError,
)
from .schema import findings
from .summary import TABLE_LABELS
from ..core.os_errors import is_folder
from ..core.os_errors import reason as os_reason

MAX_BYTES = 64 * 1024 * 1024  # a large Gemeinde's file is a few MB
_VERSION = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class ExchangeFile:
    """A verified exchange document and where it came from."""

    name: str
    document: dict[str, Any]

    @property
    def sha256(self) -> str:
        return self.document["sha256"]

    @property
    def owner(self) -> dict[str, Any]:
        return self.document["owner"]

    @property
    def period(self) -> dict[str, Any]:
        return self.document["period"]


class _Refused(Exception):
    """Raised inside json.loads hooks; turned into a typed error outside."""


def _no_float(text: str) -> Any:
    raise _Refused(f"Zahl mit Nachkommastellen ({text[:20]}); Beträge stehen in ganzen Cent")


def _no_constant(text: str) -> Any:
    raise _Refused(f"„{text}“ ist kein zulässiger Wert")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):  # only then look for the first key that came twice
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _Refused(f"die Angabe „{key[:40]}“ steht doppelt in einem Objekt")
            seen.add(key)
    return result


def read_file(path: Path) -> ExchangeFile:
    """Read and verify the exchange file at ``path``."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(name, size)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        if is_folder(err):
            raise NotAnExchangeFileError(f"„{name}“ ist ein Ordner, keine Austauschdatei.") from None
        raise NotAnExchangeFileError(
            f"„{name}“ kann nicht gelesen werden ({os_reason(err)}).") from err
    return read_bytes(data, name=name)


def _too_large(name: str, size: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"„{name}“ ist mit {size / 1024 / 1024:.0f} MB zu groß für eine Austauschdatei "
        f"(höchstens {MAX_BYTES // 1024 // 1024} MB). Bitte die Datei prüfen oder für einen kürzeren "
        "Zeitraum exportieren lassen.")


def read_bytes(data: bytes, *, name: str = "Austauschdatei") -> ExchangeFile:
    """Parse and verify a file's bytes."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if data.startswith(_ZIP_MAGIC):
        raise NotAnExchangeFileError(
            f"„{name}“ ist ein ZIP-Archiv (z. B. der CSV- oder Excel-Export). Übernommen werden kann nur "
            "die JSON-Austauschdatei (Endung .json).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAnExchangeFileError(
            f"„{name}“ ist keine Austauschdatei: der Inhalt ist kein UTF-8-Text.") from None
    document = parse_text(text.removeprefix("\ufeff"), name=name)
    verify(document, name=name)
    return ExchangeFile(name, document)


def parse_text(text: str, *, name: str) -> Any:
    """JSON text → Python values, refusing floats, NaN, duplicate keys and runaway nesting."""
    try:
        return json.loads(text, parse_float=_no_float, parse_constant=_no_constant,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as err:
        raise NotAnExchangeFileError(
            f"„{name}“ ist keine gültige JSON-Datei (Zeile {err.lineno}, Spalte {err.colno}: "
            f"{_decode_reason(err.msg)}). Wurde sie unvollständig übertragen?") from None
    except _Refused as err:
        raise SchemaViolationError(f"„{name}“ entspricht nicht dem Austauschformat: {err}.") from None
    except RecursionError:
        raise NotAnExchangeFileError(f"„{name}“ ist zu tief verschachtelt; das ist keine Austauschdatei.") from None
    except ValueError:  # e.g. an integer with thousands of digits
        raise SchemaViolationError(f"„{name}“ enthält eine unzulässig lange Zahl.") from None


def _decode_reason(msg: str) -> str:
    reasons = {
        "Expecting value": "Wert erwartet",
        "Expecting ',' delimiter": "Komma erwartet",
        "Expecting ':' delimiter": "Doppelpunkt erwartet",
        "Extra data": "Daten nach dem Ende",
        "Unterminated string starting at": "Text nicht abgeschlossen",
        "Invalid control character at": "unzulässiges Steuerzeichen",
        "Expecting property name enclosed in double quotes": "Feldname in Anführungszeichen erwartet",
        "Invalid \\escape": "ungültige Escape-Sequenz",
        "Invalid \\uXXXX escape": "ungültige \\u-Sequenz",
    }
    for english, german in reasons.items():
        if msg.startswith(english):
            return german
    return "Syntaxfehler"


def check_format_version(document: Any, *, name: str) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise NotAnExchangeFileError(
            f"„{name}“ ist keine PaktDesk-Austauschdatei (Formatname „{FORMAT_NAME}“ fehlt).")
    version = document.get("format_version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise SchemaViolationError(f"„{name}“: die Formatversion fehlt oder ist ungültig.")
    ours = _version_tuple(FORMAT_VERSION)
    theirs = (int(match.group(1)), int(match.group(2)))
    if theirs > ours:
        raise NewerFormatError(
            f"„{name}“ hat das Austauschformat {theirs[0]}.{theirs[1]}; dieses PaktDesk kennt "
            f"Version {FORMAT_VERSION}. Bitte PaktDesk aktualisieren; es wurde nichts übernommen.")
    if theirs not in map(_version_tuple, READABLE_VERSIONS):
        raise SchemaViolationError(
            f"„{name}“ hat die unbekannte Formatversion {theirs[0]}.{theirs[1]}.")


def _version_tuple(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def _version_problems(document: Mapping[str, Any]) -> list[str]:
    """Tables of a newer minor version in a file of an older one (the schema admits them in any
    1.x file), and a table without its control total or the other way round."""
    version = _version_tuple(document["format_version"])
    problems = []
    for table, since in ADDED_IN.items():
        present = table in document["tables"], table in document["control_totals"]
        if any(present) and version < _version_tuple(since):
            where = "Feld tables" if present[0] else "Feld control_totals"
            problems.append(f"{where}: unbekannte Angabe „{table}“ (erst ab Version {since} vorgesehen, "
                            f"die Datei hat Version {document['format_version']}).")
        elif present[0] != present[1]:
            problems.append(f"Feld control_totals: Angabe „{table}“ "
                            + ("fehlt." if present[0] else "ohne die Tabelle tables." + table + "."))
    return problems


def verify(document: Any, *, name: str, content_sha256: str | None = None,
           member_sha256s: list[str | None] | None = None) -> None:
    """Every check of a parsed document; raises the first failing check's error.

    ``content_sha256``: the SHA-256 of the document's canonical form, if the caller has just
    computed it from the very bytes it is going to write (an exporter): then the document is not
    encoded a second time for the checksum comparison. ``member_sha256s``: the same for each
    contained Gemeinde document, if the exporter has just checked them. A file being read never
    passes either."""
    check_format_version(document, name=name)
    problems = findings(document)
    if not problems:
        problems = [p for part in [document, *(document.get(MEMBERS) or [])] for p in _version_problems(part)][:5]
    if not problems:
        problems = created_at_problems(document)[:5]
    if problems:
        raise SchemaViolationError(
            f"„{name}“ entspricht nicht dem Austauschformat {document['format_version']}:\n"
            + "\n".join(f"  – {p}" for p in problems))
    _verify_sealed(document, name=name, actual=content_sha256)
    for index, member in enumerate(document.get(MEMBERS) or []):
        owner = member["owner"]
        _verify_sealed(member, name=f"{name}, enthaltene Datei {index + 1} ({owner['name']}, AGS {owner['ags']})",
                       actual=member_sha256s[index] if member_sha256s is not None else None)


MAX_CLOCK_SKEW = timedelta(days=1)


def created_at_problems(document: Mapping[str, Any], *, now: datetime | None = None) -> list[str]:
    """``created_at`` of the file and of each contained Gemeinde file: a real point in time, and
    not later than a day of clock skew after this computer's clock. (A file dated 9999 would
    otherwise be "newer" than every genuine file of that Gemeinde that follows.)"""
    now = now or datetime.now(UTC)
    parts = [("Feld created_at", document)] + [(f"Feld {MEMBERS}[{i}].created_at", member)
                                               for i, member in enumerate(document.get(MEMBERS) or [])]
    problems = []
    for where, part in parts:
        text = part.get("created_at")
        try:
            moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError
        except ValueError:
            problems.append(f"{where}: „{str(text)[:40]}“ ist kein gültiger Zeitpunkt mit Zeitzone.")
            continue
        if moment > now + MAX_CLOCK_SKEW:
            problems.append(
                f"{where}: Die Datei gibt an, am {moment.astimezone(UTC):%d.%m.%Y um %H:%M} Uhr (UTC) erstellt "
                "worden zu sein – mehr als einen Tag nach der Uhr dieses Rechners. Bitte beim Absender eine "
                "Datei mit richtigem Datum anfordern (und die Uhr dieses Rechners prüfen).")
    return problems


def _verify_sealed(document: Mapping[str, Any], *, name: str, actual: str | None = None) -> None:
    if actual is None:
        try:
            actual = content_sha256(document)
        except UnicodeEncodeError:
            raise SchemaViolationError(f"„{name}“ enthält ungültige Unicode-Zeichen.") from None
    if actual != document["sha256"]:
        raise ChecksumError(
            f"Die Prüfsumme (SHA-256) von „{name}“ stimmt nicht: die Datei wurde nach dem Erstellen "
            "verändert oder beschädigt. Bitte beim Absender eine neue Datei anfordern.")
    if ("signature" in document) != ("chain" in document) or (
            "signature" in document and not signature.verify(document["chain"]["public_key"], document["sha256"],
                                                            document["signature"])):
        raise ChecksumError(
            f"Die Signatur von „{name}“ passt nicht zu ihrem Inhalt: die Datei wurde nach dem Erstellen "
            "verändert und neu versiegelt. Bitte beim Absender eine neue Datei anfordern.")
    stated, counted = document["control_totals"], control_totals(document["tables"])
    wrong = [table for table in TABLES if stated.get(table) != counted.get(table)]
    if wrong:
        details = "; ".join(
            f"{TABLE_LABELS[t]}: angegeben {stated[t]['count']} Zeilen / {stated[t]['sum_cents']} Cent, "
            f"enthalten {counted[t]['count']} / {counted[t]['sum_cents']}" for t in wrong[:3])
        raise ControlTotalsError(f"Die Kontrollsummen von „{name}“ stimmen nicht ({details}).")
    problems = consistency_problems(document)
    if problems:
        raise InconsistentContentError(
            f"„{name}“ ist in sich nicht stimmig:\n" + "\n".join(f"  – {p}" for p in problems[:5]))


def _dupes(rows: Iterable[Mapping[str, Any]], key: Callable[[Mapping[str, Any]], Any]) -> list[Any]:
    values = list(map(key, rows))
    if len(set(values)) == len(values):  # the usual case, without a Python step per row
        return []
    seen, dupes = set(), []
    for value in values:
        if value in seen:
            dupes.append(value)
        seen.add(value)
    return dupes


def consistency_problems(document: Mapping[str, Any]) -> list[str]:
    """Duplicate keys, references to records that are not in the file, dates out of order."""
    t = document["tables"]
    problems: list[str] = []
    keys = {name: itemgetter("id") for name in TABLES if name not in (
        "funded_periods", "cost_categories", "key_figure_defs", "key_figures", "narrative_reports", "settlements")}
    keys.update({
        "funded_periods": itemgetter("position_id"),
        "cost_categories": itemgetter("code"),
        "key_figure_defs": itemgetter("code"),
        "key_figures": itemgetter("year", "person_id", "code"),
        "narrative_reports": itemgetter("decision_id", "provider_id"),
        "settlements": itemgetter("decision_id", "line", "person_id"),
    })
    keys_extra = {
        "decision_versions": itemgetter("decision_id", "version_no"),
        "receipts": itemgetter("decision_id", "list_kind", "number"),
        "cost_plan_items": itemgetter("version_id", "cost_category"),
    }
    for table, key in [*keys.items(), *keys_extra.items()]:
        dupes = _dupes(table_records(t, table), key)
        if dupes:
            problems.append(f"{TABLE_LABELS[table]}: Schlüssel {dupes[0]} kommt mehrfach vor.")
    ids = {name: set(map(itemgetter("id"), t[name])) for name in keys if name in (
        "providers", "persons", "decisions", "decision_versions", "positions", "pass_throughs")}
    codes = {"cost_categories": set(map(itemgetter("code"), t["cost_categories"])),
             "key_figure_defs": set(map(itemgetter("code"), t["key_figure_defs"]))}
    refs = [
        ("persons", "provider_id", "providers"), ("employments", "person_id", "persons"),
        ("employments", "provider_id", "providers"), ("funded_periods", "position_id", "positions"),
        ("funded_periods", "person_id", "persons"), ("funded_periods", "decision_id", "decisions"),
        ("decision_versions", "decision_id", "decisions"), ("positions", "version_id", "decision_versions"),
        ("positions", "person_id", "persons"), ("cost_plan_items", "version_id", "decision_versions"),
        ("payments", "decision_id", "decisions"), ("receipts", "decision_id", "decisions"),
        ("receipts", "person_id", "persons"), ("pass_throughs", "decision_id", "decisions"),
        ("pass_throughs", "provider_id", "providers"), ("pass_through_payments", "pass_through_id", "pass_throughs"),
        ("provider_proofs", "pass_through_id", "pass_throughs"), ("key_figures", "person_id", "persons"),
        ("narrative_reports", "decision_id", "decisions"), ("narrative_reports", "provider_id", "providers"),
        ("third_party_funds", "decision_id", "decisions"), ("third_party_funds", "person_id", "persons"),
        ("settlements", "decision_id", "decisions"), ("settlements", "person_id", "persons"),
    ]
    for table, column, target in refs:
        if set(map(itemgetter(column), table_records(t, table))) - {None} <= ids[target]:
            continue  # every reference found (the usual case); else the first one that is not
        for row in table_records(t, table):
            value = row[column]
            if value is not None and value not in ids[target]:
                problems.append(f"{TABLE_LABELS[table]}: Verweis {column} = {value} zeigt auf keinen "
                                f"Eintrag in {TABLE_LABELS[target]}.")
                break
    for table, column, target in [("cost_plan_items", "cost_category", "cost_categories"),
                                  ("receipts", "cost_category", "cost_categories"),
                                  ("key_figures", "code", "key_figure_defs")]:
        if set(map(itemgetter(column), t[table])) <= codes[target]:
            continue
        for row in t[table]:
            if row[column] not in codes[target]:
                problems.append(f"{TABLE_LABELS[table]}: Kürzel „{row[column]}“ fehlt in {TABLE_LABELS[target]}.")
                break
    problems.extend(_third_party_problems(table_records(t, "third_party_funds")))
    problems.extend(_date_order_problems(document))
    return problems


def _third_party_problems(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Drittmittel: a plan amount has no date, money received has one; only reversals are negative."""
    for row in records:
        if (row["kind"] == "plan") != (row["received_on"] is None):
            return [f"{TABLE_LABELS['third_party_funds']}: Nr. {row['id']} ist "
                    + ("ein Betrag des Finanzierungsplans mit Eingangsdatum." if row["kind"] == "plan"
                       else "ein Eingang ohne Eingangsdatum.")]
        if row["amount_cents"] < 0 and row["reversal_of"] is None:
            return [(f"{TABLE_LABELS['third_party_funds']}: Nr. {row['id']} hat einen negativen Betrag, "
                     "ist aber kein Storno.")]
    return []


def _date_order_problems(document: Mapping[str, Any]) -> list[str]:
    problems = []
    period = document["period"]
    if (period["first_day"] is None) != (period["last_day"] is None):
        problems.append("Zeitraum: Beginn und Ende müssen beide angegeben oder beide leer sein.")
    elif period["first_day"] is not None and period["last_day"] < period["first_day"]:
        problems.append("Zeitraum: das Ende liegt vor dem Beginn.")
    for table, first, last in [("decision_versions", "first_day", "last_day"), ("employments", "first_day", "last_day"),
                               ("funded_periods", "first_day", "last_day"),
                               ("funded_periods", "last_day", "extended_last_day")]:
        for row in document["tables"][table]:
            if row[last] is not None and row[last] < row[first]:
                problems.append(f"{TABLE_LABELS[table]}: das Ende liegt vor dem Beginn ({row[first]}).")
                break
    return problems
