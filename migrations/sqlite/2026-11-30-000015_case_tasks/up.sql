-- A decided dispute's remedies, each an enforcement task (disputes.md R-D6, R-D7): what, who
-- carries it out (a member, or the brand's department), by when, and when it was done or
-- waived (with the ombudsman's reasons).
CREATE TABLE case_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id),
    department TEXT,
    due_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP,
    waived_at TIMESTAMP,
    waiver_reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_tasks_case ON case_tasks(case_id, id);
