"""Helpers shared by the register tests."""

from __future__ import annotations

from datetime import date

from paktdesk.core import entities as e


def add_person(ws, provider_id, last="Muster", first="Erika", *, category="a",
               share=(date(2023, 1, 1), None, 500)) -> int:
    ws.save_person(e.Person(None, first, last, provider_id))
    person_id = max(p.id for p in ws.persons())
    if category:
        ws.add_qualification(e.Qualification(None, person_id, e.Category(category), "Abschluss"))
    if share:
        first_day, last_day, vza = share
        ws.save_employment(e.Employment(None, person_id, provider_id, first_day, last_day, vza))
    return person_id


def person_by_name(ws, last: str) -> e.Person:
    return next(p for p in ws.persons(include_deleted=True) if p.last_name == last)


def snapshot(ws) -> tuple:
    """Everything a failed action must leave unchanged: row counts and the audit log size."""
    tables = ("persons", "providers", "employments", "interruptions", "qualifications",
              "requalifications", "attachments", "deadlines_done", "audit_log", "rule_sets", "settings")
    counts = ws.store.conn.execute(
        "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)).fetchone()
    deadlines = ws.store.conn.execute("SELECT group_concat(deadline) FROM requalifications").fetchone()
    ended = ws.store.conn.execute("SELECT group_concat(ifnull(ended_on, '-')) FROM persons").fetchone()
    return tuple(counts) + tuple(deadlines) + tuple(ended)
