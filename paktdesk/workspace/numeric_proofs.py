"""The numeric proofs (zahlenmäßige Nachweise) of a decision, assembled from the one computation.

Every amount here is a figure of :func:`paktdesk.core.balances.decision_balance` (or one of its
building blocks) copied into the plain objects of :mod:`paktdesk.reports.model`; nothing is
added up, shared or capped a second time. What this module adds is wording: titles, the person's
position data and the notes that explain the figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..core import balances as b
from ..core import entities as e
from ..core.funding import extended_period, funded_period
from ..core.money import format_cents

if TYPE_CHECKING:
    from ..db.report_queries import PositionRow
    from ..reports import model as m

PROVIDER_GROUP = b.PASS_THROUGH_LABEL  # the heading of pass-through lines, as on the screen
SHARE_RULE = ("{what} sind im Verhältnis der Festbeträge auf die Personen aufgeteilt (Personen in "
              "alphabetischer Reihenfolge, Restcent nach dem größten Rest).")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def _category_lines(money: b.DecisionMoney, lines: Sequence[b.BalanceLine],
                    pass_through: Sequence[tuple[str, int, int]]) -> tuple[m.CategoryLine, ...]:
    """Cost-category lines of the core, then each provider's money passed on and its refund."""
    from ..reports import model as m
    groups = {c.code: c.list_kind.label for c in money.categories}
    out = []
    for line in lines:
        code = line.key.removeprefix("category:")
        if code == b.PASS_THROUGH_CATEGORY:
            continue
        out.append(m.CategoryLine(line.label, groups.get(code, ""), line.spent, line.planned))
    for provider, passed, refund in pass_through:
        out.append(m.CategoryLine(f"An {provider} weitergeleitet", PROVIDER_GROUP, passed))
        if refund:
            out.append(m.CategoryLine("– davon laut Nachweis des Trägers nicht verwendet", PROVIDER_GROUP, -refund))
    return tuple(out)


def _third_party_note(money: b.DecisionMoney) -> str:
    givers: dict[str, list[int]] = {}
    for row in money.third_party:
        pair = givers.setdefault(row.giver, [0, 0])
        pair[0 if row.kind == e.ThirdPartyKind.PLANNED else 1] += row.amount_cents
    return "Drittmittel (geplant / erhalten): " + "; ".join(
        f"{giver} {format_cents(p)} / {format_cents(r)}" for giver, (p, r) in givers.items()) + "."


def _decision_notes(money: b.DecisionMoney, balance: b.DecisionBalance) -> list[str]:
    total = balance.total
    notes = []
    if total.not_eligible:
        notes.append("Ausgaben ohne Zuordnung zu einer geförderten Person sind nicht zuwendungsfähig, weil der "
                     f"Festbetrag je benannter Person gewährt wird: {format_cents(total.not_eligible)}.")
    if balance.funding_area.funded_by_positions and money.positions:
        notes.append("Die zustehende Zuwendung ist die Summe der je Person zustehenden Beträge: Liegen die "
                     "Ausgaben einer Person unter ihrem Festbetrag, sinkt ihr Betrag auf die Ausgaben; höhere "
                     "Ausgaben einer anderen Person gleichen das nicht aus.")
    if balance.by_provider:
        notes.append("Weiterleitungen (vereinbart / ausgezahlt / vom Träger nachgewiesen): " + "; ".join(
            f"{p.label} {format_cents(p.agreed)} / {format_cents(p.passed_on)} / "
            + (format_cents(p.proven) if p.proven is not None else "noch kein Nachweis")
            for p in balance.by_provider) + ".")
    for p in balance.by_provider:
        if p.passed_on and p.proven is None:
            notes.append(f"Der Verwendungsnachweis von {p.label} liegt noch nicht vor; die weitergeleiteten "
                         "Mittel sind vorläufig voll als Ausgabe angesetzt.")
    if money.third_party:
        notes.append(_third_party_note(money))
    if total.third_party_surplus:
        notes.append(f"Die Drittmittel übersteigen die Ausgaben um {format_cents(total.third_party_surplus)}; "
                     "dieser Betrag ist mit dem Drittmittelgeber abzurechnen.")
    if total.requested_open:
        notes.append(f"Angefordert und noch nicht eingegangen: {format_cents(total.requested_open)}; "
                     "der Saldo rechnet diesen Betrag als erhalten.")
    return notes


def build_numeric_proofs(money: b.DecisionMoney, positions: Sequence[PositionRow]) -> tuple[m.NumericProof, ...]:
    """The decision as a whole, then one proof per integration manager of the current version
    (persons in name order, as the core shares the money)."""
    from ..reports import model as m
    balance = b.decision_balance(money)
    total = m.NumericProof(
        title="Bescheid insgesamt",
        categories=_category_lines(money, balance.by_category,
                                   [(p.label, p.passed_on, p.provider_refund) for p in balance.by_provider]),
        figures=balance.total, notes=tuple(_decision_notes(money, balance)))

    rows_of: dict[int, list[PositionRow]] = defaultdict(list)
    for row in sorted(positions, key=lambda p: p.position_id):
        rows_of[row.person_id].append(row)
    shares = b.pass_through_shares(money)
    shared = ["Erhaltene und angeforderte Zahlungen"] + (
        ["weitergeleitete Mittel"] if balance.by_provider else []) + (
        ["Drittmittel ohne Zuordnung zu einer Person"] if any(t.person_id is None for t in money.third_party)
        else [])
    proofs = [total]
    person_lines = [line for line in balance.by_person
                    if line.key.removeprefix("person:").isdigit() and int(line.key[7:]) in rows_of]
    for line in person_lines:
        pid = int(line.key[7:])
        rows = rows_of[pid]
        head = rows[0]
        start = date.fromisoformat(head.first_day)
        base = funded_period(start, head.months)
        own = [i for i in money.interruptions if i.person_id == pid]
        extended = extended_period(start, head.months, own, max_extension_months=money.max_extension_months)
        notes = []
        if len(person_lines) > 1:
            notes.append(SHARE_RULE.format(what=_join(shared)))
        if len(rows) > 1:
            notes.append(f"Die Person hat {len(rows)} Stellen in diesem Bescheid; Festbetrag und "
                         "Stellenanteil sind zusammengefasst.")
        if line.due is not None and line.planned and line.due < line.planned:
            notes.append("Die Ausgaben (abzüglich Drittmittel) liegen unter dem Festbetrag; die zustehende "
                         "Zuwendung sinkt auf die Ausgaben.")
        name = f"{head.first_name} {head.last_name}".strip()
        proofs.append(m.NumericProof(
            title=f"Integrationsmanager:in {name}",
            categories=_category_lines(money, b.person_categories(money, pid),
                                       [(s.provider, s.passed_on, s.provider_refund) for s in shares.get(pid, ())]),
            figures=line, person_name=name, provider_name=head.provider_name,
            vza_milli=sum(p.vza_milli for p in rows), qualification=e.Category(head.category).label,
            funded_period=extended, funded_months=head.months, extension_days=(extended.end - base.end).days,
            notes=tuple(notes)))
    return tuple(proofs)
