"""Helpers shared by the money tests (a unique module name, so it never clashes with other
test folders): the small hand-made Datenbestand and independent SQL access to a data file."""

from __future__ import annotations

import sqlite3
from datetime import date

from paktdesk.core import entities as e
from paktdesk.demo import PROFILE
from paktdesk.workspace import Workspace


class Small:
    """Ids of the small Datenbestand."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        ws.save_profile(PROFILE)
        ws.save_provider(e.Provider(None, "Gemeinde Lindenbach", e.ProviderKind.OWN))
        ws.save_provider(e.Provider(None, "Caritas Unterland e. V.", e.ProviderKind.FREE))
        self.own, self.caritas = sorted(p.id for p in ws.providers())
        ws.save_person(e.Person(None, "Sabine", "Keller", self.own))
        ws.save_person(e.Person(None, "Julia", "Schäfer", self.caritas))
        ws.save_person(e.Person(None, "Otto", "Außenvor", self.own))
        by_name = {p.last_name: p.id for p in ws.persons()}
        self.keller, self.schaefer, self.outsider = by_name["Keller"], by_name["Schäfer"], by_name["Außenvor"]
        self.rules = next(r for r in ws.rule_sets() if r.code == "VwV2023")
        positions = [
            ws.plan_position(rule_set=self.rules, person_id=self.keller, vza_milli=1000,
                             category=e.Category.A, first_day=date(2023, 1, 1), months=24),
            ws.plan_position(rule_set=self.rules, person_id=self.schaefer, vza_milli=500,
                             category=e.Category.B, first_day=date(2023, 1, 1), months=24),
        ]
        ws.create_decision(
            e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "Regierungspräsidium Stuttgart", "IM-2023/1"),
            e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2022, 12, 1), date(2023, 1, 1),
                              date(2024, 12, 31), 18_000_000, self.rules.id),
            positions=positions)
        ws.create_decision(
            e.Decision(None, e.FundingArea.LANGUAGE, "Regierungspräsidium Stuttgart", "SP-2023/7"),
            e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2023, 2, 1), date(2023, 3, 1),
                              date(2023, 12, 31), 1_000_000),
            cost_plan=[e.CostPlanItem(None, 0, "S_HONORAR", 800_000), e.CostPlanItem(None, 0, "S_RAUM", 200_000)])
        ids = {d.file_number: d.id for d in ws.decisions()}
        self.im, self.language = ids["IM-2023/1"], ids["SP-2023/7"]

    def receipt(self, **changes) -> e.Receipt:
        values = dict(id=None, decision_id=self.im, list_kind=e.ListKind.MATERIAL, number=0,
                      receipt_date=date(2023, 5, 10), paid_on=date(2023, 5, 12), budget_year=2023,
                      payee="Bürobedarf Müller", purpose="Toner", cost_category="S_BUERO",
                      amount_cents=12_345, person_id=self.keller)
        values.update(changes)
        return e.Receipt(**values)


def raw(ws: Workspace) -> sqlite3.Connection:
    """A second, independent connection to the same file, for sums computed without PaktDesk."""
    conn = sqlite3.connect(str(ws.path))
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def snapshot(ws: Workspace) -> tuple:
    """Everything an import must leave as it was when it fails."""
    conn = raw(ws)
    try:
        tables = ("receipts", "receipt_references", "payments", "audit_log", "settings", "attachments",
                  "control_totals")
        return tuple(tuple(conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()) for t in tables)
    finally:
        conn.close()


def fingerprint(ws: Workspace) -> tuple:
    """A cheap stand-in for :func:`snapshot` on growing files: row counts and highest ids of every
    table an import touches, the money control totals (which include a sum over every row's hash)
    and the settings."""
    conn = raw(ws)
    try:
        counts = tuple(conn.execute(f"SELECT count(*), ifnull(max(id), 0) FROM {t}").fetchone()
                       for t in ("receipts", "payments", "audit_log", "attachments"))
        references = conn.execute("SELECT count(*) FROM receipt_references").fetchone()
        totals = tuple(conn.execute("SELECT * FROM control_totals ORDER BY table_name").fetchall())
        settings = tuple(conn.execute("SELECT * FROM settings ORDER BY key").fetchall())
        return counts, totals, settings, references
    finally:
        conn.close()
