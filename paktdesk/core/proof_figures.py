"""The figures of a numeric proof (zahlenmäßiger Nachweis), stated once as pure functions.

The rules are those of ``core.balances`` (plan vs. actual, branch ``money``) with the same names,
so a printed proof and the plan-vs-actual screen show the same cents; this module adds what only
the printed forms need (third-party money, a period, the cost plan total):

``planned``  the decided amount, or a person's fixed amount(s) (Festbetrag).
``spent``    the owner's own receipts, reversals included as negative rows.
``passed_on`` money paid on to providers (Weiterleitung).
``provider_refund`` passed on but not covered by the provider's proof (only once a proof is in):
             ``passed_on − min(passed_on, proven)``.
``actual``   ``spent + passed_on − provider_refund``: the cost borne for the funded purpose.
``third_party`` Drittmittel received (money of a co-financier for the same purpose, reversals
             negative); ``third_party_planned`` the Drittmittel of the financing plan.
``own_share`` (Eigenanteil) ``actual − planned − third_party``; zero or negative when the fixed
             amount covers more than the cost (shared domain notes §3). Planned:
             ``planned_spent − planned − third_party_planned`` where the decision has a cost plan.
``due``      the grant the owner may keep: ``min(planned, actual − third_party)``, never below 0
             (Festbetragsfinanzierung: reduced only when the cost falls below the fixed amount).
``balance``  ``due − received``: positive = Nachforderung, negative = Rückforderung.

Money of a decision that reaches several persons (payments received, money passed on to a
provider and its refund, the cost plan, Drittmittel not given for a named person) is shared in proportion to the persons' fixed amounts by
largest remainder, so the parts add up to the cent. Funding statement (Förderübersicht):
``received − spent − passed_on``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .money import split_cents


@dataclass(frozen=True, slots=True)
class ProofFigures:
    """The money of one numeric proof (a person or a whole decision), in cents."""

    planned_cents: int  # decided amount / fixed amount
    spent_cents: int  # own receipts
    received_cents: int  # payments received from the grantor
    passed_on_cents: int = 0
    provider_refund_cents: int = 0
    third_party_cents: int = 0  # Drittmittel received
    planned_spent_cents: int | None = None  # total of the cost plan, if the decision has one
    third_party_planned_cents: int = 0  # Drittmittel in the financing plan

    @property
    def actual_cents(self) -> int:
        return self.spent_cents + self.passed_on_cents - self.provider_refund_cents

    @property
    def own_share_cents(self) -> int:
        return self.actual_cents - self.planned_cents - self.third_party_cents

    @property
    def planned_own_share_cents(self) -> int | None:
        if self.planned_spent_cents is None:
            return None
        return self.planned_spent_cents - self.planned_cents - self.third_party_planned_cents

    @property
    def planned_total_cents(self) -> int:
        """The financing plan's total: the cost plan where there is one, else grant plus Drittmittel."""
        if self.planned_spent_cents is not None:
            return self.planned_spent_cents
        return self.planned_cents + self.third_party_planned_cents

    @property
    def due_cents(self) -> int:
        return due_cents(planned_cents=self.planned_cents, actual_cents=self.actual_cents,
                         third_party_cents=self.third_party_cents)

    @property
    def balance_cents(self) -> int:
        return self.due_cents - self.received_cents


def due_cents(*, planned_cents: int, actual_cents: int, third_party_cents: int = 0) -> int:
    """The grant the owner may keep: the fixed amount, capped by the cost not covered otherwise."""
    return max(0, min(planned_cents, actual_cents - third_party_cents))


def provider_refund_cents(*, passed_on_cents: int, proven_cents: int | None) -> int:
    """Passed on but not proven by the provider; nothing before the provider's proof is in."""
    if proven_cents is None or passed_on_cents <= 0:
        return 0
    return passed_on_cents - min(passed_on_cents, proven_cents)


def balance_label(balance_cents: int) -> str:
    """German words for a balance as a form prints it."""
    if balance_cents > 0:
        return "Nachforderung (noch auszuzahlen)"
    if balance_cents < 0:
        return "Rückforderung (zurückzuzahlen)"
    return "ausgeglichen"


def share_by_weights(total_cents: int, weights: list[int]) -> list[int] | None:
    """``total_cents`` shared in proportion to ``weights`` (largest remainder, ties to the earlier
    part); ``None`` when there is nothing to share by (no weights or all zero)."""
    if not weights or sum(weights) == 0:
        return None
    return split_cents(total_cents, weights)


def statement_balance(*, received_cents: int, spent_cents: int, passed_on_cents: int) -> int:
    """Funding statement: money received that is neither spent nor passed on."""
    return received_cents - spent_cents - passed_on_cents


def open_grant_cents(*, granted_cents: int, paid_cents: int) -> int:
    """What may still be requested from the grantor (never below zero)."""
    return max(granted_cents - paid_cents, 0)
