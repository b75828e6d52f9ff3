-- Appeals against moderation decisions, the first kind of the ombudsman's cases (disputes.md
-- §2): one per decision and appellant, with its reviewer, deadline, outcome and reasons, and
-- the history of its states. A decision an appeal overturned is marked reversed; every claim
-- of a queue item is kept, since whoever claimed it may not review its appeal.
ALTER TABLE decisions ADD COLUMN reversed_at TIMESTAMP;

CREATE TABLE review_claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES review_items(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    claimed_at TIMESTAMP NOT NULL
);
CREATE INDEX review_claims_item ON review_claims(item_id);
-- Claims held when this migration runs count too.
INSERT INTO review_claims (item_id, user_id, claimed_at)
    SELECT id, claimed_by, claimed_at FROM review_items
    WHERE claimed_by IS NOT NULL AND claimed_at IS NOT NULL;

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind SMALLINT NOT NULL,
    state SMALLINT NOT NULL,
    complainant_id BIGINT NOT NULL REFERENCES users(id),
    decision_id BIGINT REFERENCES decisions(id),
    reviewer_id BIGINT REFERENCES users(id),
    summary TEXT NOT NULL,
    outcome SMALLINT,
    reasons TEXT NOT NULL DEFAULT '',
    reason_code TEXT,
    rule_id BIGINT REFERENCES rules(id),
    rule_version INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    due_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    escalated_at TIMESTAMP,
    decided_at TIMESTAMP
);
CREATE UNIQUE INDEX cases_one_appeal ON cases(decision_id, complainant_id) WHERE kind = 0;
CREATE INDEX cases_complainant ON cases(complainant_id);
CREATE INDEX cases_reviewer ON cases(reviewer_id, state);
CREATE INDEX cases_open_due ON cases(due_at) WHERE decided_at IS NULL;

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    from_state SMALLINT,
    to_state SMALLINT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    automated SMALLINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);
