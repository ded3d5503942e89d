-- PaktDesk migration 0006: third-party money (Drittmittel) per decision. Never edit after release:
-- add a new migration instead.
-- A co-financier (Mittelgeber: Landkreis, foundation, church …) is recorded with rows of two kinds:
--   'plan'    the amount of the financing plan (Finanzierungsplan), no date;
--   'eingang' money received, with its date.
-- Optional person_id: the integration manager the money is for (else shared by fixed amounts).
-- Corrections after a submitted proof are reversal rows (reversal_of set, negative amount).
-- Money in integer cents, row hash + control totals like every money table (db/integrity.py).
-- Locks (as 0004): a received row dated inside the period of a submitted proof of its decision
-- can no longer be changed, deleted or added (reversals stay possible); a plan row can no longer
-- be changed or deleted once any proof of its decision is submitted, nor added after the final
-- proof of use (VN).

CREATE TABLE third_party_funds (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    kind TEXT NOT NULL CHECK (kind IN ('plan','eingang')),
    giver TEXT NOT NULL CHECK (length(giver) > 0),
    person_id INTEGER REFERENCES persons(id),
    received_on TEXT CHECK ((kind = 'plan' AND received_on IS NULL)
                            OR (kind = 'eingang' AND received_on IS NOT NULL AND received_on = date(received_on))),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer'),
    purpose TEXT NOT NULL DEFAULT '',
    reversal_of INTEGER REFERENCES third_party_funds(id),
    reversal_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    CHECK (reversal_of IS NOT NULL OR amount_cents >= 0)
) STRICT;
CREATE INDEX third_party_funds_decision ON third_party_funds(decision_id, kind, received_on);
CREATE INDEX third_party_funds_person ON third_party_funds(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX third_party_funds_reversal ON third_party_funds(reversal_of) WHERE reversal_of IS NOT NULL;

INSERT INTO control_totals (table_name, row_count, sum_cents, hash_sum) VALUES ('third_party_funds', 0, 0, 0);

CREATE TRIGGER third_party_funds_locked_update BEFORE UPDATE ON third_party_funds
WHEN EXISTS (SELECT 1 FROM proof_submissions s
             WHERE (s.decision_id = OLD.decision_id AND (OLD.kind = 'plan'
                    OR OLD.received_on BETWEEN s.first_day AND s.last_day))
                OR (s.decision_id = NEW.decision_id AND (NEW.kind = 'plan'
                    OR NEW.received_on BETWEEN s.first_day AND s.last_day)))
BEGIN SELECT RAISE(ABORT, 'Die Drittmittel gehören zu einem eingereichten Nachweis und können nicht geändert werden. Bitte stornieren und neu erfassen.'); END;

CREATE TRIGGER third_party_funds_locked_delete BEFORE DELETE ON third_party_funds
WHEN EXISTS (SELECT 1 FROM proof_submissions s
             WHERE s.decision_id = OLD.decision_id AND (OLD.kind = 'plan'
                   OR OLD.received_on BETWEEN s.first_day AND s.last_day))
BEGIN SELECT RAISE(ABORT, 'Die Drittmittel gehören zu einem eingereichten Nachweis und können nicht gelöscht werden. Bitte stornieren.'); END;

CREATE TRIGGER third_party_funds_locked_insert BEFORE INSERT ON third_party_funds
WHEN NEW.reversal_of IS NULL AND EXISTS (SELECT 1 FROM proof_submissions s
             WHERE s.decision_id = NEW.decision_id AND ((NEW.kind = 'plan' AND s.kind = 'VN')
                   OR NEW.received_on BETWEEN s.first_day AND s.last_day))
BEGIN SELECT RAISE(ABORT, 'Für diesen Zeitraum ist der Nachweis eingereicht; neue Drittmittel sind dort nicht mehr möglich.'); END;
