-- The mediation conversation of a dispute: the parties and the ombudsman write to each other.
-- A statement marked privileged stays out of any later arbitration record unless its author
-- re-submits it (disputes.md R-D2).
CREATE TABLE case_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    privileged SMALLINT NOT NULL,
    resubmitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_messages_case ON case_messages(case_id, id);
