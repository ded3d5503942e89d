"""A hypothesis state machine runs random sequences of payments, receipts, pass-through and
reversals (and a proof submission that locks the first year) against a simple model, and checks
after every step that the balances equal the model and independent SQL sums, to the cent."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from money_helpers import Small, raw

from paktdesk.core import entities as e
from paktdesk.core.balances import sum_lines
from paktdesk.core.errors import LockedError, ValidationError
from paktdesk.workspace import Workspace

DECIDED = 18_000_000
LOCK_END = date(2023, 12, 31)
amounts = st.integers(min_value=1, max_value=4_000_000)
days = st.dates(min_value=date(2023, 1, 1), max_value=date(2024, 12, 31))


class MoneyMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="paktdesk-state-"))
        self.ws = Workspace.open(self.folder / "state.paktdesk", create=True)
        self.small = Small(self.ws)
        self.agreement = self.ws.add_pass_through(
            e.PassThrough(None, self.small.im, self.small.caritas, date(2023, 1, 2), "V", 6_000_000)).ids[0]
        self.payments: dict[int, tuple[int, bool]] = {}  # id → (amount, received)
        self.receipts: dict[int, tuple[int, int | None, int, date]] = {}  # id → (amount, person, year, date)
        self.pt_payments: dict[int, int] = {}
        self.reversed: set[tuple[str, int]] = set()
        self.extra = {"received": 0, "spent": 0, "passed": 0, "requested": 0}
        self.by_person: dict[int | None, int] = {}
        self.locked = False
        self.counter = 0

    def teardown(self):
        try:
            assert self.ws.check() == []
        finally:
            self.ws.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _booked(self) -> int:
        return sum(a for a, _ in self.payments.values()) + self.extra["received"] + self.extra["requested"]

    @rule(amount=amounts, received=st.booleans(), day=days)
    def pay(self, amount, received, day):
        payment = e.Payment(None, self.small.im, day, day if received else None, amount)
        if self._booked() + amount > DECIDED:
            try:
                self.ws.record_payment(payment)
            except ValidationError as err:
                assert "mehr als bewilligt" in str(err)
                return
            raise AssertionError("payment above the decided amount was accepted")
        new_id = self.ws.record_payment(payment).ids[0]
        self.payments[new_id] = (amount, received)

    @rule(amount=amounts, person=st.sampled_from(["keller", "schaefer", None]), day=days,
          year_shift=st.integers(min_value=0, max_value=1))
    def receipt(self, amount, person, day, year_shift):
        self.counter += 1
        person_id = getattr(self.small, person) if person else None
        receipt = self.small.receipt(amount_cents=amount, person_id=person_id, receipt_date=day, paid_on=day,
                                     budget_year=day.year + year_shift, purpose=f"Zweck {self.counter}")
        if self.locked and day <= LOCK_END:
            try:
                self.ws.add_receipt(receipt)
            except LockedError:
                return
            raise AssertionError("receipt in a locked period was accepted")
        new_id = self.ws.add_receipt(receipt).ids[0]
        self.receipts[new_id] = (amount, person_id, day.year + year_shift, day)
        self.by_person[person_id] = self.by_person.get(person_id, 0) + amount

    @rule(amount=amounts, day=days)
    def pass_on(self, amount, day):
        paid = sum(self.pt_payments.values()) + self.extra["passed"]
        item = e.PassThroughPayment(None, self.agreement, day, amount)
        if paid + amount > 6_000_000 or (self.locked and day <= LOCK_END):
            try:
                self.ws.pay_pass_through(item)
            except (ValidationError, LockedError):
                return
            raise AssertionError("pass-through payment should have been refused")
        self.pt_payments[self.ws.pay_pass_through(item).ids[0]] = amount

    @precondition(lambda self: any(("r", i) not in self.reversed for i in self.receipts))
    @rule(data=st.data())
    def reverse_receipt(self, data):
        receipt_id = data.draw(st.sampled_from(sorted(i for i in self.receipts if ("r", i) not in self.reversed)))
        amount, person_id, _year, _day = self.receipts[receipt_id]
        self.ws.reverse_receipt(receipt_id, "Zufallsstorno", on=date(2025, 1, 15))
        self.reversed.add(("r", receipt_id))
        self.extra["spent"] -= amount
        self.by_person[person_id] -= amount

    @precondition(lambda self: any(("p", i) not in self.reversed for i in self.payments))
    @rule(data=st.data())
    def reverse_payment(self, data):
        payment_id = data.draw(st.sampled_from(sorted(i for i in self.payments if ("p", i) not in self.reversed)))
        amount, received = self.payments[payment_id]
        self.ws.reverse_payment(payment_id, "Zufallsstorno", on=date(2025, 1, 15))
        self.reversed.add(("p", payment_id))
        self.extra["received" if received else "requested"] -= amount

    @precondition(lambda self: any(("z", i) not in self.reversed for i in self.pt_payments))
    @rule(data=st.data())
    def reverse_pass_through(self, data):
        payment_id = data.draw(st.sampled_from(sorted(i for i in self.pt_payments if ("z", i) not in self.reversed)))
        self.ws.reverse_pass_through_payment(payment_id, "Zufallsstorno", on=date(2025, 1, 15))
        self.reversed.add(("z", payment_id))
        self.extra["passed"] -= self.pt_payments[payment_id]

    @precondition(lambda self: not self.locked)
    @rule()
    def submit_interim_proof(self):
        self.ws.submit_proof(e.ProofSubmission(None, self.small.im, e.ProofKind.INTERIM, date(2023, 1, 1), LOCK_END,
                                               date(2024, 2, 1)))
        self.locked = True

    @invariant()
    def balances_match_model_and_sql(self):
        b = self.ws.balance(self.small.im)
        received = sum(a for a, r in self.payments.values() if r) + self.extra["received"]
        requested = sum(a for a, r in self.payments.values() if not r) + self.extra["requested"]
        spent = sum(a for a, *_ in self.receipts.values()) + self.extra["spent"]
        passed = sum(self.pt_payments.values()) + self.extra["passed"]
        assert (b.decided, b.received, b.requested_open, b.total.spent, b.total.passed_on) == (
            DECIDED, received, requested, spent, passed)
        assert b.total.actual == spent + passed
        assert 0 <= b.total.due <= DECIDED
        assert b.total.balance == b.total.due - received - requested  # open requests count as received
        assert b.requestable == max(0, b.total.due - received - requested)
        for lines in (b.by_person, b.by_year, b.by_category):
            assert sum_lines(lines).actual == b.total.actual
        assert sum_lines(b.by_person).received == received == sum_lines(b.by_year).received
        persons = {line.key: line.spent for line in b.by_person}
        for person_id, amount in self.by_person.items():
            assert persons.get(f"person:{person_id}" if person_id else "person:none", 0) == amount
        conn = raw(self.ws)
        try:
            sql_spent = conn.execute("SELECT total(amount_cents) FROM receipts WHERE decision_id = ?",
                                     [self.small.im]).fetchone()[0]
            sql_received = conn.execute("SELECT total(amount_cents) FROM payments WHERE decision_id = ? "
                                        "AND received_on IS NOT NULL", [self.small.im]).fetchone()[0]
            control = dict(conn.execute("SELECT table_name, sum_cents FROM control_totals"))
        finally:
            conn.close()
        assert (int(sql_spent), int(sql_received)) == (spent, received)
        assert control["receipts"] == spent and control["pass_through_payments"] == passed


MoneyMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
TestMoneyMachine = MoneyMachine.TestCase
