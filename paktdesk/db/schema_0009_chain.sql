-- PaktDesk migration: an append-only hash chain over the audit log and the booked money rows
-- (issue 17). Never edit after release: add a new migration instead.
-- Each entry commits to one record as it was written by PaktDesk (a money row inserted, changed
-- or deleted; an audit entry appended) and to the entry before it (link). Personal values are
-- committed as salted digests (personal), so erasing a person blanks the value and drops its salt
-- while the digest, and with it the chain, stays. The head of the chain at a moment is the anchor
-- printed on forms and kept in backups and exports; the anchors this file handed out are listed in
-- chain_anchors so `paktdesk check` can show that each one still lies on the chain.

CREATE TABLE chain_entries (
    seq INTEGER PRIMARY KEY CHECK (seq > 0),
    source TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
    digest TEXT NOT NULL CHECK (length(digest) = 64),
    personal TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(personal)),
    salts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(salts)),
    link TEXT NOT NULL CHECK (length(link) = 64)
) STRICT;
CREATE INDEX chain_entries_record ON chain_entries(source, row_id, seq);

-- only the salts of personal values may change (their erasure); nothing may be removed
CREATE TRIGGER chain_entries_no_update BEFORE UPDATE OF seq, source, row_id, op, digest, personal, link
ON chain_entries
BEGIN SELECT RAISE(ABORT, 'Die Prüfkette kann nicht geändert werden.'); END;
CREATE TRIGGER chain_entries_no_delete BEFORE DELETE ON chain_entries
BEGIN SELECT RAISE(ABORT, 'Die Prüfkette kann nicht gekürzt werden.'); END;

CREATE TABLE chain_anchors (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    code TEXT NOT NULL,
    purpose TEXT NOT NULL,
    made_at TEXT NOT NULL
) STRICT;
CREATE INDEX chain_anchors_seq ON chain_anchors(seq);
