"""The stored rows behind a decision's plan-vs-actual figures (:mod:`paktdesk.core.balances`).

Every figure the balances show is a sum over rows returned here: the decision's versions, the
current version's positions and cost plan, payments, receipts summed per person / budget year /
cost category / month (reversals included with their negative amounts), pass-through agreements,
their payments and the providers' proofs, third-party money (Drittmittel, plan and received rows). No row is filtered out by status: a reversal is a row
like any other, so the sums reproduce exactly from the tables."""

from __future__ import annotations

from datetime import date

from ..core import entities as e
from ..core.balances import DecisionMoney, ReceiptSum
from ..core.errors import NotFoundError
from ..core.periods import Period
from .connection import Store
from .profile import cost_categories
from .rules import rule_set, rule_set_for
from .repo import find, get

_RECEIPT_SUMS = """
SELECT person_id, budget_year, cost_category, list_kind,
       substr(coalesce(paid_on, receipt_date), 1, 7) || '-01' AS month,
       sum(amount_cents) AS amount_cents, count(*) AS n
FROM receipts WHERE decision_id = ? AND receipt_date >= ? AND receipt_date <= ?
GROUP BY person_id, budget_year, cost_category, list_kind, month
ORDER BY ifnull(person_id, 0), budget_year, cost_category, list_kind, month
"""


# inclusive ISO bounds that every stored date lies between: "no limit"
_EARLIEST, _LATEST = "0000-01-01", "9999-12-31"


def receipt_sums(store: Store, decision_id: int, *, first: str = _EARLIEST,
                 last: str = _LATEST) -> tuple[ReceiptSum, ...]:
    return tuple(
        ReceiptSum(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]), row[5], row[6])
        for row in store.conn.execute(_RECEIPT_SUMS, [decision_id, first, last])
    )


def decision_money(store: Store, decision_id: int, *, period: Period | None = None) -> DecisionMoney:
    """All rows one decision's balances are computed from.

    With ``period`` (a Zwischennachweis) only the rows dated inside it: receipts by receipt date,
    payments by received date (open requests by requested date), pass-through payments by paid
    date, providers' proofs and Drittmittel received by their received date; plan rows (cost plan,
    Drittmittel plan) stay and are shared by the core."""
    decision = get(store, e.Decision, decision_id)
    versions = tuple(find(store, e.DecisionVersion, "decision_id = ?", [decision_id], order_by="version_no"))
    if not versions:
        raise NotFoundError(f"Bescheid {decision.file_number} hat keine Fassung.")
    current = versions[-1].id
    positions = tuple(find(store, e.Position, "version_id = ?", [current]))
    cost_plan = tuple(find(store, e.CostPlanItem, "version_id = ?", [current]))
    first, last = (period.start.isoformat(), period.last_day.isoformat()) if period else (_EARLIEST, _LATEST)
    payments = tuple(find(
        store, e.Payment, "decision_id = ? AND (received_on BETWEEN ? AND ? OR "
        "(received_on IS NULL AND ifnull(requested_on, ?) BETWEEN ? AND ?))",
        [decision_id, first, last, first, first, last], order_by="id"))
    pass_throughs = tuple(find(store, e.PassThrough, "decision_id = ?", [decision_id]))
    ids = [p.id for p in pass_throughs]
    marks = ", ".join("?" for _ in ids)
    pt_payments = tuple(find(store, e.PassThroughPayment,
                             f"pass_through_id IN ({marks}) AND paid_on BETWEEN ? AND ?", [*ids, first, last])
                        ) if ids else ()
    proofs = tuple(find(store, e.ProviderProof, f"pass_through_id IN ({marks}) AND received_on BETWEEN ? AND ?",
                        [*ids, first, last])) if ids else ()
    receipts = receipt_sums(store, decision_id, first=first, last=last)
    third_party = tuple(find(
        store, e.ThirdPartyFund, "decision_id = ? AND (kind = ? OR ifnull(received_on, ?) BETWEEN ? AND ?)",
        [decision_id, str(e.ThirdPartyKind.PLANNED), first, first, last], order_by="id"))
    person_ids = sorted({p.person_id for p in positions} | {r.person_id for r in receipts if r.person_id}
                        | {t.person_id for t in third_party if t.person_id})
    persons = {p.id: p for p in _by_ids(store, e.Person, person_ids)}
    provider_ids = sorted({p.provider_id for p in pass_throughs} | {p.provider_id for p in persons.values()})
    providers = {p.id: p for p in _by_ids(store, e.Provider, provider_ids)}
    positioned = sorted({p.person_id for p in positions})
    interruptions = tuple(find(store, e.Interruption, f"person_id IN ({', '.join('?' for _ in positioned)})",
                               positioned)) if positioned else ()
    rule_set_id = versions[-1].rule_set_id
    # the same rule set as the deadline board: the version's own, else the one in force at its start
    rules = rule_set(store, rule_set_id) if rule_set_id else rule_set_for(store, versions[-1].first_day)
    return DecisionMoney(
        decision=decision, versions=versions, positions=positions, cost_plan=cost_plan,
        payments=payments, receipts=receipts, pass_throughs=pass_throughs,
        pass_through_payments=pt_payments, provider_proofs=proofs, persons=persons,
        providers=providers, categories=tuple(cost_categories(store)), third_party=third_party,
        interruptions=interruptions, report_period=period,
        max_extension_months=rules.max_extension_months if rules else 12,
        proof_deadline_months=rules.proof_deadline_months if rules else 3,
    )


def _by_ids(store: Store, cls: type, ids: list[int]) -> list:
    if not ids:
        return []
    return find(store, cls, f"id IN ({', '.join('?' for _ in ids)})", ids)


def decision_ids(store: Store, *, include_deleted: bool = False) -> list[int]:
    sql = "SELECT id FROM decisions" + ("" if include_deleted else " WHERE deleted_at IS NULL")
    return [row[0] for row in store.conn.execute(sql + " ORDER BY id")]


def booking_counts(store: Store, decision_id: int) -> dict[str, int]:
    """How many money rows hang on a decision (a decision with bookings cannot be deleted)."""
    one = lambda sql: store.conn.execute(sql, [decision_id]).fetchone()[0]  # noqa: E731
    return {
        "payments": one("SELECT count(*) FROM payments WHERE decision_id = ?"),
        "receipts": one("SELECT count(*) FROM receipts WHERE decision_id = ?"),
        "pass_throughs": one("SELECT count(*) FROM pass_throughs WHERE decision_id = ?"),
        "proof_submissions": one("SELECT count(*) FROM proof_submissions WHERE decision_id = ?"),
        "third_party": one("SELECT count(*) FROM third_party_funds WHERE decision_id = ?"),
    }
