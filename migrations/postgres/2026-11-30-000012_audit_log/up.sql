-- The append-only audit log (disputes.md R-L): each entry carries the hash of the one before,
-- and its own hash covers every field, so a changed or deleted entry breaks the chain. No
-- foreign keys: the log outlives what it names. Updates and deletes are refused here too.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
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
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
