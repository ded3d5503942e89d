"""Deleting a person's personal data (DSGVO Art. 17) where retention rules allow it.

Money rows stay as they are (books and receipts must be kept, and their row hashes must still
match): the person's row is pseudonymised, free-text details about them are cleared, their
certificates (attachments) are deleted, and their names are blanked in the audit log too. The
audit log is append-only; only this function lifts its guard, inside the same transaction, and
puts the identical triggers back before the commit. ``secure_delete`` makes SQLite overwrite the
freed bytes with zeros, so no copy stays in the file's free space.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import chain
from .connection import Store
from .integrity import AMOUNT_COLUMN, book_update

ERASED = "‹gelöscht›"
# columns and audit keys that hold personal details (never amounts, dates or references)
PERSONAL_KEYS = frozenset({
    "first_name", "last_name", "email", "phone", "notes", "degree", "reason", "course",
    "course_provider", "note", "deadline_reason", "filename",
})
_AUDIT_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


@contextlib.contextmanager
def secure_delete(store: Store) -> Iterator[None]:
    """``PRAGMA secure_delete = ON`` for the enclosed transaction, the previous value after."""
    conn = store.conn
    previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")
    if conn.execute("PRAGMA secure_delete").fetchone()[0] != 1:
        raise RuntimeError("secure_delete lässt sich nicht einschalten")
    try:
        yield
    finally:
        if not conn.in_transaction:
            conn.execute(f"PRAGMA secure_delete = {int(previous)}")


def compact(store: Store) -> None:
    """Rebuild the file (``VACUUM``) so no free page keeps older copies of erased text."""
    store.conn.execute("VACUUM")


def retention_facts(store: Store, person_id: int) -> dict[str, Any]:
    """What binds this person's data: proof-of-use dates of the decisions with their positions,
    decisions with positions but no final proof yet, and the budget years of receipts naming them."""
    decision_ids = [row[0] for row in store.conn.execute(
        "SELECT DISTINCT v.decision_id FROM positions p JOIN decision_versions v ON v.id = p.version_id "
        "WHERE p.person_id = ?", [person_id])]
    proofs, open_decisions = [], []
    for decision_id in decision_ids:
        row = store.conn.execute(
            "SELECT max(submitted_on) FROM proof_submissions WHERE decision_id = ? AND kind = 'VN'",
            [decision_id]).fetchone()
        file_number = store.conn.execute("SELECT file_number FROM decisions WHERE id = ?",
                                         [decision_id]).fetchone()[0]
        if row[0]:
            proofs.append((file_number, row[0]))
        else:
            open_decisions.append(file_number)
    receipt_years = [row[0] for row in store.conn.execute(
        "SELECT DISTINCT budget_year FROM receipts WHERE person_id = ? ORDER BY 1", [person_id])]
    return {"proofs": proofs, "open_decisions": open_decisions, "receipt_years": receipt_years}


def _ids(store: Store, sql: str, params: list) -> list[int]:
    return [row[0] for row in store.conn.execute(sql, params)]


# free-text columns that may mention a person by name: (table, column, what the clerk calls it)
FREE_TEXT = (
    ("narrative_reports", "text", "Sachbericht"),
    ("decision_explanations", "text", "Erläuterung zum Bescheid"),
    ("decisions", "notes", "Notiz zum Bescheid"),
    ("decision_versions", "note", "Notiz zur Bescheidfassung"),
    ("providers", "notes", "Notiz zum Träger"),
    ("persons", "notes", "Notiz zur Person"),
    ("employments", "note", "Notiz zur Beschäftigung"),
    ("receipts", "purpose", "Verwendungszweck eines Belegs"),
    ("receipts", "reversal_reason", "Stornogrund eines Belegs"),
    ("payments", "note", "Notiz zu einer Zahlung"),
    ("payments", "reversal_reason", "Stornogrund einer Zahlung"),
    ("pass_throughs", "note", "Notiz zu einer Weiterleitung"),
    ("pass_through_payments", "note", "Notiz zu einer Weiterleitungszahlung"),
    ("provider_proofs", "note", "Notiz zu einem Nachweis des Trägers"),
    ("third_party_funds", "purpose", "Zweck von Drittmitteln"),
    ("proof_submissions", "note", "Notiz zu einem eingereichten Nachweis"),
)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place where the person's name stands in free text."""

    table: str
    row_id: int
    column: str
    label: str
    excerpt: str
    replaceable: bool = True  # False: part of the booked data, kept as booked


def name_pattern(first_name: str, last_name: str) -> re.Pattern | None:
    """The person's name as it appears in running text: full name, "Name, Vorname", the last
    name and the first name alone (whole words, any case)."""
    first, last = " ".join(first_name.split()), " ".join(last_name.split())
    forms = [f"{first} {last}".strip(), f"{last}, {first}".strip(", "), last, first]
    forms = sorted({f for f in forms if len(f) >= 2}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE)


def _excerpt(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - 30), min(len(text), match.end() + 30)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")


def _has_table(store: Store, table: str) -> bool:
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              [table]).fetchone() is not None


def _person_name(store: Store, person_id: int) -> tuple[str, str]:
    row = store.conn.execute("SELECT first_name, last_name FROM persons WHERE id = ?", [person_id]).fetchone()
    return (row[0], row[1]) if row else ("", "")


def find_occurrences(store: Store, person_id: int) -> list[Occurrence]:
    """Every place in free text and in the audit log where the person's name stands."""
    pattern = name_pattern(*_person_name(store, person_id))
    if pattern is None:
        return []
    found = []
    for table, column, label in FREE_TEXT:
        if not _has_table(store, table):
            continue
        for row_id, text in store.conn.execute(f"SELECT rowid, [{column}] FROM [{table}] ORDER BY rowid"):
            match = pattern.search(text or "")
            if match:
                found.append(Occurrence(table, row_id, column, label, _excerpt(text, match)))
    for row_id, old, new in store.conn.execute("SELECT id, old, new FROM audit_log ORDER BY id"):
        for part, text in (("old", old), ("new", new)):
            for key, value in _json_items(text):
                match = pattern.search(value)
                if match:
                    found.append(Occurrence("audit_log", row_id, f"{part}.{key}", "Änderungsprotokoll",
                                            _excerpt(value, match), replaceable=key in chain.SALTED))
    return found


def _json_items(text: str | None) -> list[tuple[str, str]]:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return []
    if not isinstance(value, dict):
        return []
    return [(k, v) for k, v in value.items() if isinstance(v, str)]


@contextlib.contextmanager
def _guards_lifted(store: Store, table: str) -> Iterator[None]:
    """Drop the triggers of ``table`` for the enclosed statements and put the identical ones back,
    all inside the caller's transaction (the erasure is the one change PaktDesk makes to locked rows)."""
    conn = store.conn
    triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                                 [table]).fetchall())
    for name in triggers:
        conn.execute(f"DROP TRIGGER [{name}]")
    try:
        yield
    finally:
        for sql in triggers.values():
            conn.execute(sql)
    back = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table])}
    if set(triggers) - back:
        raise RuntimeError(f"Schutz der Tabelle {table} fehlt: " + ", ".join(sorted(set(triggers) - back)))


def _replace_in_free_text(store: Store, person_id: int, pseudonym: str,
                          erased: dict[int, set[str]]) -> dict[str, int]:
    """The person's name replaced by the pseudonym in every free-text column; money rows through
    :func:`~.integrity.book_update` so their hashes, totals and the chain stay right (their
    earlier chain entries lose the salt of the old text: ``erased``)."""
    pattern = name_pattern(*_person_name(store, person_id))
    changed: dict[str, int] = {}
    if pattern is None:
        return changed
    for table, column, _label in FREE_TEXT:
        if not _has_table(store, table):
            continue
        rows = [(row_id, text) for row_id, text in store.conn.execute(f"SELECT rowid, [{column}] FROM [{table}]")
                if text and pattern.search(text)]
        if not rows:
            continue
        with _guards_lifted(store, table):
            for row_id, text in rows:
                replaced = pattern.sub(pseudonym, text)
                if table in AMOUNT_COLUMN:
                    if chain.present(store):
                        for (seq,) in store.conn.execute(
                                "SELECT seq FROM chain_entries WHERE source = ? AND row_id = ?", [table, row_id]):
                            erased.setdefault(seq, set()).add(column)
                    book_update(store, table, row_id, {column: replaced})
                else:
                    store.conn.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE rowid = ?", [replaced, row_id])
        changed[table] = changed.get(table, 0) + len(rows)
    return changed


def erase_person(store: Store, person_id: int, *, pseudonym: str, now: str) -> dict[str, Any]:
    """Pseudonymise person ``person_id`` and clear their personal details, inside the caller's
    transaction: the name in free text becomes the pseudonym, the person's own details are
    blanked, and so are their values in the audit log (whose chain entries keep the digests).
    Returns how many rows of each kind were changed and, under :data:`~.chain.ERASED_KEY`, the
    chain entries whose personal values were blanked (for the erasure's own audit entry)."""
    conn = store.conn
    pattern = name_pattern(*_person_name(store, person_id))
    erased: dict[int, set[str]] = {}
    changed: dict[str, Any] = {f"Freitext {t}": n for t, n in
                               _replace_in_free_text(store, person_id, pseudonym, erased).items()}
    changed["persons"] = conn.execute(
        "UPDATE persons SET first_name = '', last_name = ?, email = '', phone = '', notes = '', "
        "deleted_at = ifnull(deleted_at, ?) WHERE id = ?", [pseudonym, now, person_id]).rowcount
    related = {
        "qualifications": _ids(store, "SELECT id FROM qualifications WHERE person_id = ?", [person_id]),
        "requalifications": _ids(store, "SELECT id FROM requalifications WHERE person_id = ?", [person_id]),
        "interruptions": _ids(store, "SELECT id FROM interruptions WHERE person_id = ?", [person_id]),
        "employments": _ids(store, "SELECT id FROM employments WHERE person_id = ?", [person_id]),
    }
    attachments = _ids(store, "SELECT evidence_attachment_id FROM qualifications WHERE person_id = ? "
                              "AND evidence_attachment_id IS NOT NULL", [person_id])
    attachments += _ids(store, "SELECT certificate_attachment_id FROM requalifications WHERE person_id = ? "
                               "AND certificate_attachment_id IS NOT NULL", [person_id])
    changed["qualifications"] = conn.execute(
        "UPDATE qualifications SET degree = '', evidence_attachment_id = NULL WHERE person_id = ?",
        [person_id]).rowcount
    changed["requalifications"] = conn.execute(
        "UPDATE requalifications SET course = ?, course_provider = '', deadline_reason = '', "
        "certificate_attachment_id = NULL WHERE person_id = ?", [ERASED, person_id]).rowcount
    changed["interruptions"] = conn.execute(
        "UPDATE interruptions SET reason = ? WHERE person_id = ?", [ERASED, person_id]).rowcount
    changed["employments"] = conn.execute(
        "UPDATE employments SET note = '' WHERE person_id = ?", [person_id]).rowcount
    removed = 0
    for attachment_id in sorted(set(attachments)):
        still_used = conn.execute(
            "SELECT (SELECT count(*) FROM receipts WHERE attachment_id = :a) + "
            "(SELECT count(*) FROM provider_proofs WHERE attachment_id = :a) + "
            "(SELECT count(*) FROM qualifications WHERE evidence_attachment_id = :a) + "
            "(SELECT count(*) FROM requalifications WHERE certificate_attachment_id = :a)",
            {"a": attachment_id}).fetchone()[0]
        if not still_used:
            removed += conn.execute("DELETE FROM attachments WHERE id = ?", [attachment_id]).rowcount
    changed["attachments"] = removed
    related["persons"] = [person_id]
    related["attachments"] = sorted(set(attachments))
    changed["audit_log"] = _scrub_audit(store, related, pattern, pseudonym, erased)
    if chain.present(store):
        chain.drop_salts(store, erased)
    changed[chain.ERASED_KEY] = sorted(erased)
    return changed


def _scrub_value(key: str, value: Any, *, whole: bool, pattern: re.Pattern | None, pseudonym: str) -> Any:
    if key not in chain.SALTED and key not in PERSONAL_KEYS:
        return value
    if whole and key in PERSONAL_KEYS and value not in (None, ""):
        return ERASED
    if pattern is not None and isinstance(value, str) and key in chain.SALTED:
        return pattern.sub(pseudonym, value)
    return value


def _scrub_part(text: str | None, *, whole: bool, pattern: re.Pattern | None, pseudonym: str) -> str | None:
    """One old/new JSON of an audit entry with the person's values blanked (``whole``: the entry
    is about the person's own records) or their name replaced in free text."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return json.dumps(ERASED, ensure_ascii=False)
    if not isinstance(value, dict):
        return text
    scrubbed = {k: _scrub_value(k, v, whole=whole, pattern=pattern, pseudonym=pseudonym) for k, v in value.items()}
    if scrubbed == value:
        return text
    return json.dumps(scrubbed, ensure_ascii=False, sort_keys=True)


def _changed_keys(part: str, before: str | None, after: str | None) -> set[str]:
    if before == after:
        return set()
    old, new = json.loads(before or "null"), json.loads(after or "null")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return {part}
    return {f"{part}.{k}" for k in old if old.get(k) != new.get(k)}


def _scrub_audit(store: Store, related: dict[str, list[int]], pattern: re.Pattern | None,
                 pseudonym: str, erased: dict[int, set[str]]) -> int:
    """Blank the person's values in the audit log and note in ``erased`` exactly those values'
    chain entries (their salts are dropped, their digests stay, so the chain still verifies).
    Returns how many entries changed."""
    conn = store.conn
    own = {(entity, entity_id) for entity, ids in related.items() for entity_id in ids}
    updates = []
    for row_id, entity, entity_id, old, new in conn.execute(
            "SELECT id, entity, entity_id, old, new FROM audit_log ORDER BY id"):
        whole = (entity, entity_id) in own
        scrubbed = (_scrub_part(old, whole=whole, pattern=pattern, pseudonym=pseudonym),
                    _scrub_part(new, whole=whole, pattern=pattern, pseudonym=pseudonym))
        if scrubbed != (old, new):
            keys = _changed_keys("old", old, scrubbed[0]) | _changed_keys("new", new, scrubbed[1])
            updates.append((row_id, scrubbed, keys))
    with _guards_lifted(store, "audit_log"):
        for row_id, scrubbed, keys in updates:
            conn.execute("UPDATE audit_log SET old = ?, new = ? WHERE id = ?", [*scrubbed, row_id])
            seq = chain.latest_entries(store, chain.AUDIT, [row_id]).get(row_id)
            if seq is not None:
                erased.setdefault(seq, set()).update(keys)
    missing = set(_AUDIT_TRIGGERS) - {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
    if missing:
        raise RuntimeError("Schutz des Änderungsprotokolls fehlt: " + ", ".join(sorted(missing)))
    return len(updates)


_PERSONAL_VALUES = (  # what a crash message might quote from this file
    "SELECT first_name, last_name, email, phone FROM persons",
    "SELECT name, street, city, contact_name, contact_phone, contact_email, iban, bank_name FROM profile",
    "SELECT name, address, contact FROM providers",
    "SELECT DISTINCT payee FROM receipts",
)


def personal_values(store: Store) -> set[str]:
    """Every personal value in the file (names, addresses, IBANs, e-mails, phones, payees), for
    the crash-report scrubber. Tables a file does not have yet are skipped."""
    found: set[str] = set()
    for sql in _PERSONAL_VALUES:
        with contextlib.suppress(Exception):
            for row in store.conn.execute(sql):
                found.update(str(value).strip() for value in row if value)
    found.discard("")
    return found
