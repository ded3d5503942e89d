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
from collections.abc import Iterator
from typing import Any

from .connection import Store

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


def _scrub_json(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return json.dumps(ERASED, ensure_ascii=False)
    if isinstance(value, dict):
        for key in list(value):
            if key in PERSONAL_KEYS and value[key] not in (None, ""):
                value[key] = ERASED
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _ids(store: Store, sql: str, params: list) -> list[int]:
    return [row[0] for row in store.conn.execute(sql, params)]


def erase_person(store: Store, person_id: int, *, pseudonym: str, now: str) -> dict[str, int]:
    """Pseudonymise person ``person_id`` and clear their personal details, inside the caller's
    transaction. Returns how many rows of each kind were changed."""
    conn = store.conn
    changed: dict[str, int] = {}
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
    changed["audit_log"] = _scrub_audit(store, related)
    return changed


def _scrub_audit(store: Store, related: dict[str, list[int]]) -> int:
    conn = store.conn
    triggers = {name: sql for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
    for name in triggers:
        conn.execute(f"DROP TRIGGER [{name}]")
    changed = 0
    try:
        for entity, ids in related.items():
            for entity_id in ids:
                rows = conn.execute("SELECT id, old, new FROM audit_log WHERE entity = ? AND entity_id = ?",
                                    [entity, entity_id]).fetchall()
                for row_id, old, new in rows:
                    scrubbed = (_scrub_json(old), _scrub_json(new))
                    if scrubbed != (old, new):
                        conn.execute("UPDATE audit_log SET old = ?, new = ? WHERE id = ?", [*scrubbed, row_id])
                        changed += 1
    finally:
        for sql in triggers.values():
            conn.execute(sql)
    missing = set(_AUDIT_TRIGGERS) - {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
    if missing:
        raise RuntimeError("Schutz des Änderungsprotokolls fehlt: " + ", ".join(sorted(missing)))
    return changed


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
