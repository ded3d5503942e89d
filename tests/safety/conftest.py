"""Fixtures for the data-safety tests: small real Datenbestand files built through the
workspace's own use cases (copied from a per-session template, so each test gets a fresh file
quickly). The private PAKTDESK_HOME comes from tests/conftest.py."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from paktdesk.core import entities as e
from paktdesk.workspace import Workspace


def build_small(path: Path, *, receipts: int = 30) -> Path:
    """Owner, one provider, two people, one decision with positions, payments, receipts and a
    reversal: every money table the hashes protect has rows."""
    ws = Workspace.open(path, create=True)
    try:
        with ws.batch():
            ws.save_profile(e.Profile(name="Gemeinde Testhausen", kind=e.OwnerKind.GEMEINDE, ags="08125097",
                                      contact_name="Petra Probe"))
            ws.save_provider(e.Provider(None, "Gemeinde Testhausen", e.ProviderKind.OWN))
            ws.save_provider(e.Provider(None, "Caritas Testhausen e. V.", e.ProviderKind.FREE))
            own, free = sorted(p.id for p in ws.providers())
            ws.save_person(e.Person(None, "Erika", "Mustermann", own, email="erika.mustermann@example.org"))
            ws.save_person(e.Person(None, "Jürgen", "Großkopf", free, email="j.grosskopf@example.org"))
            people = sorted(p.id for p in ws.persons())
            rules = next(r for r in ws.rule_sets() if r.code == "VwV2023")
            positions = [ws.plan_position(rule_set=rules, person_id=pid, vza_milli=500, category=e.Category.A,
                                          first_day=date(2023, 1, 1), months=24) for pid in people]
            amount = sum(p.amount_cents for p in positions)
            ws.create_decision(
                e.Decision(None, e.FundingArea.INTEGRATION_MANAGEMENT, "RP Stuttgart", "15.2-8712.23/0001"),
                e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2022, 12, 15), date(2023, 1, 1),
                                  date(2024, 12, 31), amount, rules.id),
                positions=positions)
            decision = ws.decisions()[0].id
            for index in range(4):
                ws.record_payment(e.Payment(None, decision, date(2023, 1 + 3 * index, 1),
                                            date(2023, 2 + 3 * index, 1), amount // 4, cash_ref=f"KZ-{index}"))
            for index in range(receipts):
                day = date(2023, 1 + index % 12, 1 + index % 27)
                ws.add_receipt(e.Receipt(None, decision, e.ListKind.MATERIAL, 0, day, day, day.year,
                                         "Bürobedarf Schwäbisch GmbH", f"Material {index}", "S_BUERO",
                                         1_000 + 37 * index, people[index % 2]))
            first = ws.receipts(decision)[0].id
            ws.reverse_receipt(first, "doppelt erfasst")
            ws.add_pass_through(e.PassThrough(None, decision, free, date(2023, 1, 1), "V-1", amount // 2))
            agreement = ws.pass_throughs(decision)[0].id
            ws.pay_pass_through(e.PassThroughPayment(None, agreement, date(2023, 3, 1), amount // 4))
            ws.add_provider_proof(e.ProviderProof(None, agreement, date(2025, 3, 1), amount // 4))
            ws.add_third_party(e.ThirdPartyFund(None, decision, e.ThirdPartyKind.RECEIVED, "Landkreis Heilbronn",
                                                250_000, date(2023, 4, 14), people[0]))
            # cost plans belong to the other funding areas: a small language-course decision
            ws.create_decision(
                e.Decision(None, e.FundingArea.LANGUAGE, "RP Stuttgart", "15.2-8713.23/0002"),
                e.DecisionVersion(None, 0, 0, e.VersionKind.ORIGINAL, date(2023, 2, 1), date(2023, 3, 1),
                                  date(2023, 12, 31), 150_000, None),
                cost_plan=[e.CostPlanItem(None, 0, "S_FORTB", 150_000)])
    finally:
        ws.close()
    return path


@pytest.fixture(scope="session")
def small_template(tmp_path_factory) -> Path:
    return build_small(tmp_path_factory.mktemp("template") / "Vorlage.paktdesk")


@pytest.fixture
def small_file(small_template, tmp_path) -> Path:
    """A fresh copy of the small Datenbestand as ``tmp_path/Datenbestand.paktdesk``."""
    target = tmp_path / "Datenbestand.paktdesk"
    shutil.copyfile(small_template, target)
    return target
