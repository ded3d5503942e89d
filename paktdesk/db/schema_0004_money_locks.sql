-- PaktDesk migration 0004: booked money is locked once a proof of use covering it is submitted.
-- Never edit after release: add a new migration instead.
-- A receipt (by receipt date), a received payment (by received date) and a pass-through payment
-- (by paid date) inside the period of a proof_submissions row of its decision can no longer be
-- changed or deleted; corrections are reversal rows (reversal_of set), which stay possible.
-- The workspace checks the same conditions first and explains them; these triggers make sure
-- nothing else (another tool, a bug) can change what was submitted.

CREATE INDEX receipts_duplicate ON receipts(decision_id, receipt_date, amount_cents);
-- covers the plan-vs-actual sums (balance_queries.receipt_sums): no table lookups at 200,000 receipts
CREATE INDEX receipts_balance ON receipts(decision_id, person_id, budget_year, cost_category, list_kind,
                                          paid_on, receipt_date, amount_cents);
-- the receipts list sorted by amount (largest first) answers from the index, not a 200,000-row sort
CREATE INDEX receipts_amount ON receipts(amount_cents);
CREATE INDEX receipts_reversal ON receipts(reversal_of) WHERE reversal_of IS NOT NULL;
CREATE INDEX payments_reversal ON payments(reversal_of) WHERE reversal_of IS NOT NULL;
CREATE INDEX pass_through_payments_reversal ON pass_through_payments(reversal_of) WHERE reversal_of IS NOT NULL;
CREATE INDEX pass_throughs_decision ON pass_throughs(decision_id);
CREATE INDEX pass_through_payments_agreement ON pass_through_payments(pass_through_id, paid_on);
CREATE INDEX provider_proofs_agreement ON provider_proofs(pass_through_id);
CREATE INDEX proof_submissions_decision ON proof_submissions(decision_id, first_day, last_day);

CREATE TRIGGER receipts_locked_update BEFORE UPDATE ON receipts
WHEN EXISTS (SELECT 1 FROM proof_submissions s
             WHERE (s.decision_id = OLD.decision_id AND OLD.receipt_date BETWEEN s.first_day AND s.last_day)
                OR (s.decision_id = NEW.decision_id AND NEW.receipt_date BETWEEN s.first_day AND s.last_day))
BEGIN SELECT RAISE(ABORT, 'Der Beleg gehört zu einem eingereichten Nachweis und kann nicht geändert werden. Bitte stornieren und neu erfassen.'); END;

CREATE TRIGGER receipts_locked_delete BEFORE DELETE ON receipts
WHEN EXISTS (SELECT 1 FROM proof_submissions s
             WHERE s.decision_id = OLD.decision_id AND OLD.receipt_date BETWEEN s.first_day AND s.last_day)
BEGIN SELECT RAISE(ABORT, 'Der Beleg gehört zu einem eingereichten Nachweis und kann nicht gelöscht werden. Bitte stornieren.'); END;

CREATE TRIGGER receipts_locked_insert BEFORE INSERT ON receipts
WHEN NEW.reversal_of IS NULL AND EXISTS (SELECT 1 FROM proof_submissions s
             WHERE s.decision_id = NEW.decision_id AND NEW.receipt_date BETWEEN s.first_day AND s.last_day)
BEGIN SELECT RAISE(ABORT, 'Für diesen Zeitraum ist der Nachweis eingereicht; neue Belege sind dort nicht mehr möglich.'); END;

CREATE TRIGGER payments_locked_update BEFORE UPDATE ON payments
WHEN OLD.received_on IS NOT NULL AND EXISTS (SELECT 1 FROM proof_submissions s
             WHERE s.decision_id = OLD.decision_id AND OLD.received_on BETWEEN s.first_day AND s.last_day)
BEGIN SELECT RAISE(ABORT, 'Die Zahlung gehört zu einem eingereichten Nachweis und kann nicht geändert werden. Bitte stornieren und neu erfassen.'); END;

CREATE TRIGGER payments_locked_delete BEFORE DELETE ON payments
WHEN OLD.received_on IS NOT NULL AND EXISTS (SELECT 1 FROM proof_submissions s
             WHERE s.decision_id = OLD.decision_id AND OLD.received_on BETWEEN s.first_day AND s.last_day)
BEGIN SELECT RAISE(ABORT, 'Die Zahlung gehört zu einem eingereichten Nachweis und kann nicht gelöscht werden. Bitte stornieren.'); END;

CREATE TRIGGER pass_through_payments_locked_update BEFORE UPDATE ON pass_through_payments
WHEN EXISTS (SELECT 1 FROM proof_submissions s JOIN pass_throughs w ON w.decision_id = s.decision_id
             WHERE (w.id = OLD.pass_through_id AND OLD.paid_on BETWEEN s.first_day AND s.last_day)
                OR (w.id = NEW.pass_through_id AND NEW.paid_on BETWEEN s.first_day AND s.last_day))
BEGIN SELECT RAISE(ABORT, 'Die Weiterleitungszahlung gehört zu einem eingereichten Nachweis und kann nicht geändert werden. Bitte stornieren.'); END;

CREATE TRIGGER pass_through_payments_locked_delete BEFORE DELETE ON pass_through_payments
WHEN EXISTS (SELECT 1 FROM proof_submissions s JOIN pass_throughs w ON w.decision_id = s.decision_id
             WHERE w.id = OLD.pass_through_id AND OLD.paid_on BETWEEN s.first_day AND s.last_day)
BEGIN SELECT RAISE(ABORT, 'Die Weiterleitungszahlung gehört zu einem eingereichten Nachweis und kann nicht gelöscht werden. Bitte stornieren.'); END;

CREATE TRIGGER pass_through_payments_locked_insert BEFORE INSERT ON pass_through_payments
WHEN NEW.reversal_of IS NULL AND EXISTS (SELECT 1 FROM proof_submissions s JOIN pass_throughs w ON w.decision_id = s.decision_id
             WHERE w.id = NEW.pass_through_id AND NEW.paid_on BETWEEN s.first_day AND s.last_day)
BEGIN SELECT RAISE(ABORT, 'Für diesen Zeitraum ist der Nachweis eingereicht; neue Weiterleitungszahlungen sind dort nicht mehr möglich.'); END;

CREATE TRIGGER proof_submissions_no_update BEFORE UPDATE ON proof_submissions
BEGIN SELECT RAISE(ABORT, 'Ein eingereichter Nachweis kann nicht geändert werden.'); END;

CREATE TRIGGER proof_submissions_no_delete BEFORE DELETE ON proof_submissions
BEGIN SELECT RAISE(ABORT, 'Ein eingereichter Nachweis kann nicht zurückgenommen werden.'); END;
