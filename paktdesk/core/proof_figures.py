"""The figures of a proof of use, stated once as pure functions.

Rules (a fixed-amount grant, Festbetragsfinanzierung under VV Nr. 2.2.3 zu § 44 LHO):

- *Zustehende Zuwendung* (the grant the applicant may keep) = the fixed amount, but never more
  than the expenditure not covered by third-party money: ``min(granted, max(spent − third, 0))``.
- *Saldo* = zustehende Zuwendung − payments received. Positive: still to be claimed
  (Nachforderung); negative: to be paid back (Rückforderung); zero: settled.
- *Eigenanteil* (own funds) = expenditure − fixed amount − third-party money. It may be zero or
  negative (shared domain notes §3): negative means the fixed amount exceeded the cost.
- A decision's money that reaches several persons (payments received, the cost plan, a
  provider's proven expenditure) is shared in proportion to the persons' fixed amounts, by
  largest remainder, so the parts add up to the cent.
- Funding statement (Förderübersicht): balance = received − spent − passed on.
"""

from __future__ import annotations

from dataclasses import dataclass

from .money import split_cents


@dataclass(frozen=True, slots=True)
class ProofFigures:
    """The money of one numeric proof (a person's position or a whole decision), in cents."""

    granted_cents: int  # bewilligter Festbetrag / bewilligte Zuwendung
    spent_cents: int  # Gesamtausgaben (Ist)
    received_cents: int  # erhaltene Zahlungen
    third_party_cents: int = 0  # Drittmittel
    planned_spent_cents: int | None = None  # Gesamtausgaben laut Kostenplan, if there is one

    @property
    def entitled_cents(self) -> int:
        return entitled_cents(granted_cents=self.granted_cents, spent_cents=self.spent_cents,
                              third_party_cents=self.third_party_cents)

    @property
    def own_funds_cents(self) -> int:
        return self.spent_cents - self.granted_cents - self.third_party_cents

    @property
    def planned_own_funds_cents(self) -> int | None:
        if self.planned_spent_cents is None:
            return None
        return self.planned_spent_cents - self.granted_cents

    @property
    def balance_cents(self) -> int:
        return self.entitled_cents - self.received_cents


def entitled_cents(*, granted_cents: int, spent_cents: int, third_party_cents: int = 0) -> int:
    """The grant the applicant may keep: the fixed amount, capped by the uncovered expenditure."""
    return min(granted_cents, max(spent_cents - third_party_cents, 0))


def balance_label(balance_cents: int) -> str:
    """German word for a balance: what the applicant still claims or must pay back."""
    if balance_cents > 0:
        return "Nachforderung (noch auszuzahlen)"
    if balance_cents < 0:
        return "Rückforderung (zurückzuzahlen)"
    return "ausgeglichen"


def share_by_weights(total_cents: int, weights: list[int]) -> list[int]:
    """``total_cents`` shared in proportion to ``weights`` (largest remainder); all-zero weights
    share equally, an empty list gets nothing."""
    if not weights:
        return []
    if sum(weights) == 0:
        weights = [1] * len(weights)
    return split_cents(total_cents, weights)


def statement_balance(*, received_cents: int, spent_cents: int, passed_on_cents: int) -> int:
    """Funding statement: money received that is neither spent nor passed on."""
    return received_cents - spent_cents - passed_on_cents


def open_grant_cents(*, granted_cents: int, paid_cents: int) -> int:
    """What may still be requested from the grantor (never below zero)."""
    return max(granted_cents - paid_cents, 0)
