-- PaktDesk schema, migration 0001. Never edit after release: add a new migration instead.
-- Conventions: STRICT tables; money in INTEGER *_cents; VZÄ in INTEGER *_milli (0,5 = 500);
-- dates ISO 'YYYY-MM-DD' (first_day, inclusive last_day); timestamps UTC ISO text.

CREATE TABLE profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL CHECK (length(name) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('Gemeinde','Stadt','Landkreis','Stadtkreis',
                                       'Gemeindeverwaltungsverband','Freier Träger')),
    ags TEXT NOT NULL CHECK (length(ags) = 8 AND ags NOT GLOB '*[^0-9]*'),
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    iban TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    funding_route TEXT NOT NULL DEFAULT 'land' CHECK (funding_route IN ('land','kreis')),
    kreis_name TEXT NOT NULL DEFAULT '',
    has_audit_office INTEGER NOT NULL DEFAULT 0 CHECK (has_audit_office IN (0,1)),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT 'application/octet-stream',
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('eigen','frei','kommune')),
    ags TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    deleted_at TEXT
) STRICT;

CREATE TABLE rule_sets (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    valid_from TEXT NOT NULL CHECK (valid_from = date(valid_from)),
    valid_to TEXT CHECK (valid_to IS NULL OR valid_to = date(valid_to)),
    min_vza_milli INTEGER NOT NULL DEFAULT 250 CHECK (min_vza_milli BETWEEN 1 AND 1000),
    max_months INTEGER NOT NULL CHECK (max_months > 0),
    max_extension_months INTEGER NOT NULL DEFAULT 12 CHECK (max_extension_months >= 0),
    proof_deadline_months INTEGER NOT NULL DEFAULT 3 CHECK (proof_deadline_months >= 0),
    requal_months INTEGER NOT NULL DEFAULT 24 CHECK (requal_months >= 0),
    requal_hours INTEGER NOT NULL DEFAULT 0 CHECK (requal_hours >= 0),
    requal_evidence TEXT NOT NULL DEFAULT 'Zertifikat'
) STRICT;

CREATE TABLE rule_rates (
    rule_set_id INTEGER NOT NULL REFERENCES rule_sets(id) ON DELETE CASCADE,
    category TEXT NOT NULL CHECK (category IN ('a','b','c')),
    rate_cents INTEGER NOT NULL CHECK (typeof(rate_cents) = 'integer' AND rate_cents >= 0),
    PRIMARY KEY (rule_set_id, category)
) STRICT;

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL CHECK (length(last_name) > 0),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    ended_on TEXT CHECK (ended_on IS NULL OR ended_on = date(ended_on)),
    deleted_at TEXT
) STRICT;
CREATE INDEX persons_name ON persons(last_name, first_name);

CREATE TABLE employments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    first_day TEXT NOT NULL CHECK (first_day = date(first_day)),
    last_day TEXT CHECK (last_day IS NULL OR (last_day = date(last_day) AND last_day >= first_day)),
    vza_milli INTEGER NOT NULL CHECK (typeof(vza_milli) = 'integer' AND vza_milli BETWEEN 1 AND 1000),
    position_id INTEGER REFERENCES positions(id),
    note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX employments_person ON employments(person_id, first_day);

CREATE TABLE interruptions (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    first_day TEXT NOT NULL CHECK (first_day = date(first_day)),
    last_day TEXT NOT NULL CHECK (last_day = date(last_day) AND last_day >= first_day),
    reason TEXT NOT NULL
) STRICT;
CREATE INDEX interruptions_person ON interruptions(person_id);

CREATE TABLE qualifications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    category TEXT NOT NULL CHECK (category IN ('a','b','c')),
    degree TEXT NOT NULL DEFAULT '',
    evidence_attachment_id INTEGER REFERENCES attachments(id),
    checked_by TEXT NOT NULL DEFAULT '',
    checked_on TEXT CHECK (checked_on IS NULL OR checked_on = date(checked_on)),
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX qualifications_person ON qualifications(person_id);

CREATE TABLE requalifications (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    course TEXT NOT NULL,
    course_provider TEXT NOT NULL DEFAULT '',
    started_on TEXT NOT NULL CHECK (started_on = date(started_on)),
    deadline TEXT NOT NULL CHECK (deadline = date(deadline)),
    deadline_reason TEXT NOT NULL DEFAULT '',
    hours_planned INTEGER NOT NULL DEFAULT 0 CHECK (hours_planned >= 0),
    hours_done INTEGER NOT NULL DEFAULT 0 CHECK (hours_done >= 0),
    completed_on TEXT CHECK (completed_on IS NULL OR completed_on = date(completed_on)),
    certificate_attachment_id INTEGER REFERENCES attachments(id),
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX requalifications_person ON requalifications(person_id);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    funding_area TEXT NOT NULL CHECK (funding_area IN ('1','2','3','4')),
    grantor TEXT NOT NULL,
    file_number TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    deleted_at TEXT
) STRICT;

CREATE TABLE decision_versions (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    version_no INTEGER NOT NULL CHECK (version_no >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('Erstbescheid','Änderungsbescheid')),
    decided_on TEXT NOT NULL CHECK (decided_on = date(decided_on)),
    first_day TEXT NOT NULL CHECK (first_day = date(first_day)),
    last_day TEXT NOT NULL CHECK (last_day = date(last_day) AND last_day >= first_day),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer' AND amount_cents >= 0),
    rule_set_id INTEGER REFERENCES rule_sets(id),
    note TEXT NOT NULL DEFAULT '',
    row_hash TEXT NOT NULL,
    UNIQUE (decision_id, version_no)
) STRICT;

CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES decision_versions(id),
    person_id INTEGER NOT NULL REFERENCES persons(id),
    vza_milli INTEGER NOT NULL CHECK (typeof(vza_milli) = 'integer' AND vza_milli BETWEEN 1 AND 1000),
    category TEXT NOT NULL CHECK (category IN ('a','b','c')),
    first_day TEXT NOT NULL CHECK (first_day = date(first_day)),
    months INTEGER NOT NULL CHECK (months > 0),
    rate_cents INTEGER NOT NULL CHECK (typeof(rate_cents) = 'integer' AND rate_cents >= 0),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer' AND amount_cents >= 0),
    row_hash TEXT NOT NULL
) STRICT;
CREATE INDEX positions_version ON positions(version_id);
CREATE INDEX positions_person ON positions(person_id);

CREATE TABLE cost_categories (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    list_kind TEXT NOT NULL CHECK (list_kind IN ('P','S')),
    sort_order INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE cost_plan_items (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES decision_versions(id),
    cost_category TEXT NOT NULL REFERENCES cost_categories(code),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer' AND amount_cents >= 0),
    row_hash TEXT NOT NULL,
    UNIQUE (version_id, cost_category)
) STRICT;

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    requested_on TEXT CHECK (requested_on IS NULL OR requested_on = date(requested_on)),
    received_on TEXT CHECK (received_on IS NULL OR received_on = date(received_on)),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer'),
    cash_ref TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    reversal_of INTEGER REFERENCES payments(id),
    reversal_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    row_hash TEXT NOT NULL
) STRICT;
CREATE INDEX payments_decision ON payments(decision_id, received_on);

CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    list_kind TEXT NOT NULL CHECK (list_kind IN ('P','S')),
    number INTEGER NOT NULL CHECK (number > 0),
    receipt_date TEXT NOT NULL CHECK (receipt_date = date(receipt_date)),
    paid_on TEXT CHECK (paid_on IS NULL OR paid_on = date(paid_on)),
    budget_year INTEGER NOT NULL CHECK (budget_year BETWEEN 2000 AND 2100),
    payee TEXT NOT NULL,
    purpose TEXT NOT NULL,
    cost_category TEXT NOT NULL REFERENCES cost_categories(code),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer'),
    person_id INTEGER REFERENCES persons(id),
    attachment_id INTEGER REFERENCES attachments(id),
    reversal_of INTEGER REFERENCES receipts(id),
    reversal_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    UNIQUE (decision_id, list_kind, number)
) STRICT;
CREATE INDEX receipts_date ON receipts(receipt_date);
CREATE INDEX receipts_person ON receipts(person_id);
CREATE INDEX receipts_category ON receipts(cost_category);

CREATE TABLE pass_throughs (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    agreed_on TEXT NOT NULL CHECK (agreed_on = date(agreed_on)),
    reference TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer' AND amount_cents >= 0),
    note TEXT NOT NULL DEFAULT '',
    row_hash TEXT NOT NULL
) STRICT;

CREATE TABLE pass_through_payments (
    id INTEGER PRIMARY KEY,
    pass_through_id INTEGER NOT NULL REFERENCES pass_throughs(id),
    paid_on TEXT NOT NULL CHECK (paid_on = date(paid_on)),
    amount_cents INTEGER NOT NULL CHECK (typeof(amount_cents) = 'integer'),
    note TEXT NOT NULL DEFAULT '',
    reversal_of INTEGER REFERENCES pass_through_payments(id),
    reversal_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    row_hash TEXT NOT NULL
) STRICT;

CREATE TABLE provider_proofs (
    id INTEGER PRIMARY KEY,
    pass_through_id INTEGER NOT NULL REFERENCES pass_throughs(id),
    received_on TEXT NOT NULL CHECK (received_on = date(received_on)),
    spent_cents INTEGER NOT NULL CHECK (typeof(spent_cents) = 'integer' AND spent_cents >= 0),
    note TEXT NOT NULL DEFAULT '',
    attachment_id INTEGER REFERENCES attachments(id),
    row_hash TEXT NOT NULL
) STRICT;

CREATE TABLE key_figure_defs (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    grp TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1))
) STRICT;

CREATE TABLE key_figures (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    person_id INTEGER REFERENCES persons(id),
    code TEXT NOT NULL REFERENCES key_figure_defs(code),
    value INTEGER NOT NULL CHECK (typeof(value) = 'integer' AND value >= 0)
) STRICT;
CREATE UNIQUE INDEX key_figures_unique ON key_figures(year, ifnull(person_id, 0), code);

CREATE TABLE narrative_reports (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    provider_id INTEGER REFERENCES providers(id),
    text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX narrative_reports_unique ON narrative_reports(decision_id, ifnull(provider_id, 0));

CREATE TABLE proof_submissions (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    kind TEXT NOT NULL CHECK (kind IN ('VN','ZN')),
    first_day TEXT NOT NULL CHECK (first_day = date(first_day)),
    last_day TEXT NOT NULL CHECK (last_day = date(last_day) AND last_day >= first_day),
    submitted_on TEXT NOT NULL CHECK (submitted_on = date(submitted_on)),
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE deadlines_done (
    key TEXT PRIMARY KEY,
    done_on TEXT NOT NULL,
    done_by TEXT NOT NULL
) STRICT;

CREATE TABLE control_totals (
    table_name TEXT PRIMARY KEY,
    row_count INTEGER NOT NULL,
    sum_cents INTEGER NOT NULL,
    hash_sum INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    old TEXT CHECK (old IS NULL OR json_valid(old)),
    new TEXT CHECK (new IS NULL OR json_valid(new))
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'Das Änderungsprotokoll kann nicht geändert werden.'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'Das Änderungsprotokoll kann nicht gelöscht werden.'); END;
