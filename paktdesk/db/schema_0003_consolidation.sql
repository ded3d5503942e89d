-- PaktDesk migration 0003: exchange files of Gemeinden (and providers) taken over by a Landkreis.
-- Never edit after release: add a new migration instead.
-- One row per owner AGS and period; a newer file of the same AGS and period replaces the row
-- (the audit log keeps what was replaced). The document is stored exactly as received.

CREATE TABLE consolidated_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the audit log refers to replaced imports
    ags TEXT NOT NULL CHECK (length(ags) = 8 AND ags NOT GLOB '*[^0-9]*'),
    owner_name TEXT NOT NULL CHECK (length(owner_name) > 0),
    owner_kind TEXT NOT NULL,
    period_key TEXT NOT NULL,
    first_day TEXT CHECK (first_day IS NULL OR first_day = date(first_day)),
    last_day TEXT CHECK (last_day IS NULL OR (last_day = date(last_day) AND last_day >= first_day)),
    created_at TEXT NOT NULL,
    format_version TEXT NOT NULL,
    file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
    file_name TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    summary TEXT NOT NULL CHECK (json_valid(summary)),
    document TEXT NOT NULL CHECK (json_valid(document)),
    UNIQUE (ags, period_key)
) STRICT;
CREATE INDEX consolidated_imports_sha ON consolidated_imports(file_sha256);
