"""Checking the hash chain (:mod:`.chain`): the chain itself, every live record against its
newest entry, the anchors this file handed out, a typed anchor, and a backup as a prefix.

Every finding names the record (table and number) so the clerk or the Rechnungsprüfungsamt can
look it up."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import chain
from .connection import Store
from .integrity import TABLE_LABELS, money_tables

_SHOWN = 10  # records named per kind of finding


def record_label(source: str, row_id: int) -> str:
    label = "Änderungsprotokoll" if source == chain.AUDIT else TABLE_LABELS.get(source, source)
    return f"{label} Nr. {row_id}"


def _names(found: list[tuple[str, int]]) -> str:
    shown = ", ".join(record_label(s, r) for s, r in found[:_SHOWN])
    return shown + (f" und {len(found) - _SHOWN} weitere" if len(found) > _SHOWN else "")


def _sources(store: Store) -> list[str]:
    return [chain.AUDIT, *money_tables(store)]


# ------------------------------------------------------------------ the chain itself
def _link_problems(store: Store) -> list[str]:
    previous, expected = chain.GENESIS, 1
    for seq, source, row_id, digest, link in store.conn.execute(
            "SELECT seq, source, row_id, digest, link FROM chain_entries ORDER BY seq"):
        if seq != expected:
            return [f"Prüfkette: Eintrag {expected} fehlt (außerhalb von PaktDesk entfernt)."]
        if chain._link(previous, digest) != link:
            return [f"Prüfkette bei Eintrag {seq} ({record_label(source, row_id)}) außerhalb von PaktDesk verändert."]
        previous, expected = link, seq + 1
    return []


def erased_entries(store: Store) -> set[int]:
    """Entries whose personal values an erasure (its own audit entry, on the chain) blanked."""
    erased: set[int] = set()
    for (text,) in store.conn.execute("SELECT new FROM audit_log WHERE action = ?", [chain.ERASURE_ACTION]):
        try:
            value = json.loads(text or "null")
        except ValueError:
            continue
        if isinstance(value, dict) and isinstance(value.get(chain.ERASED_KEY), list):
            erased.update(v for v in value[chain.ERASED_KEY] if isinstance(v, int))
    return erased


def _matches(source: str, row: dict[str, Any], entry: tuple, erased: set[int]) -> bool:
    seq, op, digest, personal_text, salts_text = entry
    personal, salts = json.loads(personal_text), json.loads(salts_text)
    values = chain.record_values(source, row)
    live = dict(chain._personal_items(source, values))
    if set(live) - set(personal):
        return False  # a personal value that was not there when PaktDesk wrote the record
    for key, wanted in personal.items():
        salt = salts.get(key)
        if salt is None:
            if seq not in erased:
                return False  # a salt dropped without an erasure
        elif key not in live or chain._field_digest(salt, key, live[key]) != wanted:
            return False
    plain = chain._plain(source, values, personal)
    return chain._digest(source, row["id"], op, plain, personal) == digest


def _record_problems(store: Store, source: str, erased: set[int]) -> list[str]:
    latest = {row_id: (seq, op, digest, personal, salts) for row_id, seq, op, digest, personal, salts in
              store.conn.execute(
                  "SELECT row_id, seq, op, digest, personal, salts FROM chain_entries WHERE seq IN "
                  "(SELECT max(seq) FROM chain_entries WHERE source = ? GROUP BY row_id)", [source])}
    changed, inserted, reinserted = [], [], []
    seen = set()
    for row in store.query(f"SELECT * FROM [{source}] ORDER BY id"):
        seen.add(row["id"])
        entry = latest.get(row["id"])
        if entry is None:
            inserted.append((source, row["id"]))
        elif entry[1] == "delete":
            reinserted.append((source, row["id"]))
        elif source == chain.AUDIT and entry[1] != "insert":  # PaktDesk only ever appends to the log
            changed.append((source, row["id"]))
        elif not _matches(source, row, entry, erased):
            changed.append((source, row["id"]))
    deleted = [(source, row_id) for row_id, entry in sorted(latest.items())
               if entry[1] != "delete" and row_id not in seen]
    problems = []
    for found, what in ((changed, "außerhalb von PaktDesk verändert"),
                        (deleted, "außerhalb von PaktDesk gelöscht"),
                        (inserted, "außerhalb von PaktDesk eingefügt (nicht in der Prüfkette)"),
                        (reinserted, "nach der Löschung außerhalb von PaktDesk wieder eingefügt")):
        if found:
            problems.append(f"{_names(found)}: {what}.")
    return problems


def _anchor_problems(store: Store) -> list[str]:
    problems = []
    for anchor in chain.stored_anchors(store):
        if not on_chain(store, anchor.code):
            problems.append(f"Der Prüfanker {anchor.code} ({anchor.purpose}) liegt nicht mehr auf der Prüfkette: "
                            "Datensätze von damals wurden verändert.")
    return problems


def verify(store: Store) -> list[str]:
    """The whole chain check: German problems, empty when everything matches.
    A file without the chain (an older backup) has nothing to check here."""
    if not chain.present(store):
        return []
    problems = _link_problems(store)
    erased = erased_entries(store)
    for source in _sources(store):
        problems.extend(_record_problems(store, source, erased))
    problems.extend(_anchor_problems(store))
    return problems


# ------------------------------------------------------------------ anchors
def link_at(store: Store, seq: int) -> str | None:
    if seq == 0:
        return chain.GENESIS
    row = store.conn.execute("SELECT link FROM chain_entries WHERE seq = ?", [seq]).fetchone()
    return row[0] if row else None


def on_chain(store: Store, code: str) -> bool:
    try:
        seq, canonical = chain.parse_anchor(code)
    except chain.AnchorCodeError:
        return False
    link = link_at(store, seq)
    return link is not None and chain.anchor_code(seq, link) == canonical


@dataclass(frozen=True, slots=True)
class AnchorReport:
    """What checking a typed anchor found."""

    code: str
    seq: int
    on_chain: bool
    problems: tuple[str, ...]  # the chain or records do not match (tampering)
    changed_since: tuple[str, ...] = ()  # records of the anchor changed later through PaktDesk
    erased_since: tuple[str, ...] = ()  # personal values of the anchor erased later (Datenschutz)
    stored_as: tuple[str, ...] = field(default_factory=tuple)  # where this file handed it out

    @property
    def unchanged(self) -> bool:
        return self.on_chain and not self.problems and not self.changed_since


def check_anchor(store: Store, code: str) -> AnchorReport:
    """Whether everything that existed at the anchor ``code`` is still as it was then.
    Raises :class:`~.chain.AnchorCodeError` for a code that cannot be an anchor."""
    seq, canonical = chain.parse_anchor(code)
    if not chain.present(store):
        return AnchorReport(canonical, seq, False, ("Diese Datei hat noch keine Prüfkette.",))
    head_seq, _ = chain.head(store)
    problems = list(verify(store))
    link = link_at(store, seq)
    stored = tuple(f"{a.purpose} ({a.made_at[:10]})" for a in chain.stored_anchors(store) if a.code == canonical)
    if link is None:
        problems.insert(0, f"Der Prüfanker {canonical} ist neuer als diese Datei (sie reicht bis Eintrag "
                           f"{head_seq}): eine ältere Datei, oder die Prüfkette wurde gekürzt.")
        return AnchorReport(canonical, seq, False, tuple(problems), stored_as=stored)
    if chain.anchor_code(seq, link) != canonical:
        problems.insert(0, f"Der Prüfanker {canonical} liegt nicht auf der Prüfkette dieser Datei: Datensätze, "
                           "die es zum Stand des Ankers gab, wurden außerhalb von PaktDesk verändert und die "
                           "Prüfkette neu berechnet (oder es ist die Datei einer anderen Stelle).")
        return AnchorReport(canonical, seq, False, tuple(problems), stored_as=stored)
    changed = [(s, r, op) for s, r, op in store.conn.execute(
        "SELECT c.source, c.row_id, min(c.op) FROM chain_entries c WHERE c.seq > ? "
        "AND EXISTS (SELECT 1 FROM chain_entries p WHERE p.source = c.source AND p.row_id = c.row_id "
        "AND p.seq <= ?) GROUP BY c.source, c.row_id ORDER BY c.source, c.row_id", [seq, seq])]
    changed_text = tuple(f"{record_label(s, r)}: nach dem Anker in PaktDesk "
                         f"{'gelöscht' if op == 'delete' else 'geändert'} (protokolliert)" for s, r, op in changed)
    erased = sorted(e for e in erased_entries(store) if e <= seq)
    erased_text = tuple(f"{record_label(s, r)}: Personendaten nach dem Anker gelöscht (Datenschutz)"
                        for s, r in _records_of(store, erased))
    return AnchorReport(canonical, seq, True, tuple(problems), changed_text, erased_text, stored)


def _records_of(store: Store, seqs: Iterable[int]) -> list[tuple[str, int]]:
    found = []
    for seq in seqs:
        row = store.conn.execute("SELECT source, row_id FROM chain_entries WHERE seq = ?", [seq]).fetchone()
        if row:
            found.append(tuple(row))
    return found


# ------------------------------------------------------------------ backups
def backup_problems(store: Store, backup_conn: sqlite3.Connection, name: str) -> list[str]:
    """Whether the chain of a backup (opened read-only) is a prefix of the live chain; if not,
    the first record where they part."""
    try:
        rows = backup_conn.execute("SELECT seq, link, source, row_id FROM chain_entries ORDER BY seq").fetchall()
    except sqlite3.Error:
        return []  # a backup from before the chain
    if not rows:
        return []
    seq, link, source, row_id = rows[-1]
    if link_at(store, seq) == link:
        return []
    for seq, link, source, row_id in rows:
        if link_at(store, seq) != link:
            live = store.conn.execute("SELECT source, row_id FROM chain_entries WHERE seq = ?", [seq]).fetchone()
            if (live and _is_restore(store.conn, *live)) or _is_restore(backup_conn, source, row_id):
                return []  # one of the two was restored to an older backup here: they part legitimately
            where = record_label(source, row_id)
            if live and tuple(live) != (source, row_id):
                where += f" (in der Datei jetzt {record_label(*live)})"
            elif live is None:
                where += " (in der Datei fehlt der Eintrag)"
            return [f"Die Sicherung „{name}“ passt nicht mehr zur Datei: ab Eintrag {seq} der Prüfkette "
                    f"({where}) wurde die Datei nach der Sicherung außerhalb von PaktDesk verändert."]
    return []


RESTORE_ACTION = "Sicherung zurückgespielt"  # the restore use case's audit action


def _is_restore(conn: sqlite3.Connection, source: str, row_id: int) -> bool:
    if source != chain.AUDIT:
        return False
    row = conn.execute("SELECT action FROM audit_log WHERE id = ?", [row_id]).fetchone()
    return row is not None and row[0] == RESTORE_ACTION


def holds_anchor(conn: sqlite3.Connection, code: str) -> bool:
    """Whether the chain of another file (a backup, opened read-only) has the anchor ``code``."""
    seq, canonical = chain.parse_anchor(code)
    try:
        row = (conn.execute("SELECT link FROM chain_entries WHERE seq = ?", [seq]).fetchone()
               if seq else (chain.GENESIS,))
    except sqlite3.Error:
        return False
    return row is not None and chain.anchor_code(seq, row[0]) == canonical
