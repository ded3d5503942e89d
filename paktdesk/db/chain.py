"""The append-only hash chain over the audit log and the booked money rows (issue 17).

Row hashes and control totals (:mod:`.integrity`) catch accidents, but anyone with the file can
recompute them. The chain makes a change *provable* once the chain's head (an anchor) has left the
office: every entry commits to one record as PaktDesk wrote it and to the entry before it, so a
record that existed at an anchor cannot be changed, removed or back-dated without either breaking
the chain or moving the head away from the printed anchor.

Personal values (names, notes, free text) are committed as salted digests: erasing a person
blanks the value and drops the salt, the digest stays, and the chain still verifies. Without the
salt nobody can test a guessed name against the digest.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .connection import Store

GENESIS = "0" * 64
AUDIT = "audit_log"
ERASURE_ACTION = "Personenbezogene Daten gelöscht"  # the use case's audit action
ERASED_KEY = "chain_erased"  # in the erasure's audit entry: the entries whose salts were dropped

# Columns and audit keys whose values may be personal and therefore erasable. The payee of a
# receipt is not among them: it is part of the books and must stay as booked.
SALTED = frozenset({
    "first_name", "last_name", "email", "phone", "notes", "degree", "reason", "course",
    "course_provider", "note", "deadline_reason", "filename", "text", "purpose", "reversal_reason",
})

_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def present(store: Store) -> bool:
    """Whether this file has the chain (a backup of an older PaktDesk has not). Once seen it is
    remembered for this connection: every booking asks."""
    if getattr(store, "_chain_seen", None) is store.conn:
        return True
    found = store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chain_entries'").fetchone() is not None
    if found:
        store._chain_seen = store.conn
    return found


# ------------------------------------------------------------------ commitments
def _field_digest(salt: str, key: str, value: Any) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + _CANONICAL.encode([key, value]).encode("utf-8")).hexdigest()


def _audit_values(row: dict[str, Any]) -> dict[str, Any]:
    """An audit row with its JSON columns parsed (the keys inside them are committed one by one)."""
    values = {k: v for k, v in row.items() if k != "id"}
    for part in ("old", "new"):
        text = values.get(part)
        values[part] = json.loads(text) if isinstance(text, str) else text
    return values


def _personal_items(source: str, values: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    """(flat key, value) of each non-empty erasable value of a record."""
    if source == AUDIT:
        for part in ("old", "new"):
            inner = values.get(part)
            if isinstance(inner, dict):
                for key, value in inner.items():
                    if key in SALTED and value not in (None, ""):
                        yield f"{part}.{key}", value
        return
    for key, value in values.items():
        if key in SALTED and value not in (None, ""):
            yield key, value


def _plain(source: str, values: dict[str, Any], personal_keys: Iterable[str]) -> dict[str, Any]:
    """The record without its personal values (those are committed by digest)."""
    personal_keys = set(personal_keys)
    if source != AUDIT:
        return {k: v for k, v in values.items() if k not in personal_keys}
    plain = dict(values)
    for part in ("old", "new"):
        inner = plain.get(part)
        if isinstance(inner, dict):
            plain[part] = {k: v for k, v in inner.items() if f"{part}.{k}" not in personal_keys}
    return plain


def _digest(source: str, row_id: int, op: str, plain: dict[str, Any], personal: dict[str, str]) -> str:
    payload = _CANONICAL.encode([source, row_id, op, plain, personal])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _link(previous: str, digest: str) -> str:
    return hashlib.sha256(f"{previous}{digest}".encode("ascii")).hexdigest()


def record_values(source: str, row: dict[str, Any]) -> dict[str, Any]:
    """What the chain commits to of a stored row: a money row without its id and row hash,
    an audit row with its JSON parsed."""
    if source == AUDIT:
        return _audit_values(row)
    return {k: v for k, v in row.items() if k not in ("id", "row_hash")}


# ------------------------------------------------------------------ writing
def head(store: Store) -> tuple[int, str]:
    """(seq, link) of the newest entry; (0, GENESIS) for an empty chain."""
    row = store.conn.execute("SELECT seq, link FROM chain_entries ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(store: Store, source: str, row_id: int, op: str, row: dict[str, Any] | None) -> int:
    """Add the entry for one record write (inside the caller's transaction). Returns its seq."""
    seq, previous = head(store)
    personal: dict[str, str] = {}
    salts: dict[str, str] = {}
    plain: dict[str, Any] = {}
    if row is not None and op != "delete":
        values = record_values(source, row)
        for key, value in _personal_items(source, values):
            salt = os.urandom(16).hex()
            salts[key] = salt
            personal[key] = _field_digest(salt, key, value)
        plain = _plain(source, values, personal)
    digest = _digest(source, row_id, op, plain, personal)
    store.conn.execute(
        "INSERT INTO chain_entries (seq, source, row_id, op, digest, personal, salts, link) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [seq + 1, source, row_id, op, digest, _CANONICAL.encode(personal), _CANONICAL.encode(salts),
         _link(previous, digest)])
    return seq + 1


def backfill(store: Store, money_tables: Iterable[str]) -> int:
    """The first entries of a file that had no chain yet: the audit log, then every money row as
    it is now (what happened before cannot be proven any more; from here on it can)."""
    added = 0
    for source in (AUDIT, *money_tables):
        for row in list(store.query(f"SELECT * FROM [{source}] ORDER BY id")):
            append(store, source, row["id"], "insert", row)
            added += 1
    return added


def drop_salts(store: Store, erased: dict[int, set[str]]) -> None:
    """Erasure: forget the salts of these personal values (seq → flat keys); digests stay."""
    for seq, keys in erased.items():
        salts = json.loads(store.conn.execute("SELECT salts FROM chain_entries WHERE seq = ?",
                                              [seq]).fetchone()[0])
        kept = {k: v for k, v in salts.items() if k not in keys}
        store.conn.execute("UPDATE chain_entries SET salts = ? WHERE seq = ?", [_CANONICAL.encode(kept), seq])


def latest_entries(store: Store, source: str, row_ids: Iterable[int]) -> dict[int, int]:
    """row id → seq of its newest entry."""
    found = {}
    for row_id in row_ids:
        row = store.conn.execute("SELECT max(seq) FROM chain_entries WHERE source = ? AND row_id = ?",
                                 [source, row_id]).fetchone()
        if row[0] is not None:
            found[row_id] = row[0]
    return found


# ------------------------------------------------------------------ anchors
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
_CODE_CHARS = 16  # 80 bits of the link


def _check_char(text: str) -> str:
    """Luhn mod 32 over ``text``: catches every single wrong character and most swapped pairs."""
    factor, total = 2, 0
    for char in reversed(text):
        addend = factor * _ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return _ALPHABET[(32 - total % 32) % 32]


def anchor_code(seq: int, link: str) -> str:
    """The short check code of the chain head (seq, link), e.g. ``412-7K3M-Q2ZD-9XHP-4RWA-F``."""
    value = int(link[:20], 16)  # 80 bits
    chars = "".join(_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(_CODE_CHARS)))
    body = f"{seq}{chars}"
    groups = "-".join(chars[i:i + 4] for i in range(0, _CODE_CHARS, 4))
    return f"{seq}-{groups}-{_check_char(body)}"


class AnchorCodeError(ValueError):
    """A typed anchor code that cannot be one (German message)."""


def parse_anchor(text: str) -> tuple[int, str]:
    """A typed anchor code → (seq, canonical code). Lower case, spaces and the letters O, I, L
    (read as 0, 1, 1) are accepted; a wrong check character is refused."""
    cleaned = (text or "").strip().upper().replace(" ", "")
    seq_text, _, rest = cleaned.partition("-")
    rest = rest.replace("-", "").translate(str.maketrans("OIL", "011"))
    if not seq_text.isascii() or not seq_text.isdigit() or len(rest) != _CODE_CHARS + 1 \
            or any(c not in _ALPHABET for c in rest):
        raise AnchorCodeError(f"„{text}“ ist kein Prüfanker (Form: Nummer-XXXX-XXXX-XXXX-XXXX-X).")
    body, check = rest[:-1], rest[-1]
    if _check_char(f"{int(seq_text)}{body}") != check:
        raise AnchorCodeError(f"Im Prüfanker „{text}“ ist ein Zeichen falsch abgetippt (Prüfzeichen passt nicht).")
    groups = "-".join(body[i:i + 4] for i in range(0, _CODE_CHARS, 4))
    return int(seq_text), f"{int(seq_text)}-{groups}-{check}"


def current_anchor(store: Store) -> str:
    """The anchor code of the chain as it is now."""
    return anchor_code(*head(store))


def store_anchor(store: Store, *, purpose: str, now: str) -> str:
    """Record that the current head left the office (a form, a backup, an export); returns its
    code. Inside the caller's transaction."""
    seq, link = head(store)
    code = anchor_code(seq, link)
    store.conn.execute("INSERT INTO chain_anchors (seq, code, purpose, made_at) VALUES (?, ?, ?, ?)",
                       [seq, code, purpose, now])
    return code


def record_anchor(store: Store, code: str, *, purpose: str, now: str) -> None:
    """Record that ``code`` (read when a form was drawn) left the office. Inside the caller's transaction."""
    seq, _ = parse_anchor(code)
    store.conn.execute("INSERT INTO chain_anchors (seq, code, purpose, made_at) VALUES (?, ?, ?, ?)",
                       [seq, code, purpose, now])


@dataclass(frozen=True, slots=True)
class StoredAnchor:
    seq: int
    code: str
    purpose: str
    made_at: str


def stored_anchors(store: Store) -> list[StoredAnchor]:
    return [StoredAnchor(r["seq"], r["code"], r["purpose"], r["made_at"])
            for r in store.query("SELECT seq, code, purpose, made_at FROM chain_anchors ORDER BY id")]


def links(store: Store) -> list[tuple[int, str, str, int]]:
    """(seq, link, source, row_id) of every entry, in order (to compare a backup with the live file)."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT seq, link, source, row_id FROM chain_entries ORDER BY seq")]
