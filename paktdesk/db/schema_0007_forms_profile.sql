-- PaktDesk migration 0007: what the printed forms need beyond the money (issue 13). Never edit
-- after release: add a new migration instead. No money column is touched.
-- profile: who signs (name, Amtsbezeichnung), the Rechnungsprüfungsamt's name and Prüfvermerk,
--   and the retention rule (receipts kept N years after the proof of use was submitted).
-- grantors: the Zuwendungsgeber's postal address; a decision's grantor text selects the record
--   whose name it starts with (a Kreis is the grantor for Gemeinden from 2025).
-- decision_explanations: "Abweichungen vom Finanzierungsplan / Erläuterungen", one text per decision.

ALTER TABLE profile ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN signer_title TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN audit_office_name TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN audit_note TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 5
    CHECK (retention_years BETWEEN 1 AND 30);

CREATE TABLE grantors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    department TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX grantors_name ON grantors(lower(trim(name)));

-- RP Stuttgart FAQ Integrationsmanagement (domain.md §8)
INSERT INTO grantors (name, department, street, postcode, city, email, updated_at)
VALUES ('Regierungspräsidium Stuttgart', 'Referat 15.2, Dienststelle Wertheim', 'Am Eichamt 2', '97877',
        'Wertheim', 'integrationsmanagement@rps.bwl.de', '2026-12-07T00:00:00Z');

CREATE TABLE decision_explanations (
    decision_id INTEGER PRIMARY KEY REFERENCES decisions(id),
    text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
