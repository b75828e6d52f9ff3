-- The append-only audit log (disputes.md R-L): each entry carries the hash of the one before,
-- and its own hash covers every field, so a changed or deleted entry breaks the chain. No
-- foreign keys: the log outlives what it names. Updates and deletes are refused here too.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    case_id BIGINT,
    reason TEXT NOT NULL,
    rule_id BIGINT,
    rule_version INTEGER,
    digest TEXT,
    automated SMALLINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log(case_id) WHERE case_id IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
