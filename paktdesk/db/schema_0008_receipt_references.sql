-- PaktDesk migration 0008: the finance system's own references of a receipt (issue 15), in a
-- table of their own so the receipts' rows, row hashes and control totals stay exactly as they
-- are. Never edit after release: add a new migration instead.
-- document_number: the Belegnummer of the finance system ("1900004711", "2024/000123"),
--   never PaktDesk's list number; budget_line: Haushaltsstelle ("1.3120.4271");
--   account: Sachkonto; cost_center: Kostenstelle; cash_ref: Kassenzeichen.
-- A reference is written with its receipt and never changed; it goes with a deleted receipt.

CREATE TABLE receipt_references (
    receipt_id INTEGER PRIMARY KEY REFERENCES receipts(id) ON DELETE CASCADE,
    document_number TEXT NOT NULL DEFAULT '' CHECK (length(document_number) <= 60),
    budget_line TEXT NOT NULL DEFAULT '' CHECK (length(budget_line) <= 60),
    account TEXT NOT NULL DEFAULT '' CHECK (length(account) <= 60),
    cost_center TEXT NOT NULL DEFAULT '' CHECK (length(cost_center) <= 60),
    cash_ref TEXT NOT NULL DEFAULT '' CHECK (length(cash_ref) <= 60),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX receipt_references_document ON receipt_references(document_number) WHERE document_number != '';

CREATE TRIGGER receipt_references_no_update BEFORE UPDATE ON receipt_references
BEGIN
    SELECT RAISE(ABORT, 'Die Buchungsreferenzen eines Belegs werden nicht geändert.');
END;
