-- The review queue: one item per reported target (post, thread or member) while it is open; a
-- new report on a resolved item reopens it. Each report keeps its reporter, reason, weight and
-- time; the evidence snapshot is taken when the first report arrives and never changes.
CREATE TABLE review_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind SMALLINT NOT NULL,
    target_id BIGINT NOT NULL,
    status SMALLINT NOT NULL,
    priority SMALLINT NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    reports_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    claimed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    claimed_at TIMESTAMP,
    due_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP
);
CREATE UNIQUE INDEX review_items_target ON review_items(target_kind, target_id);
CREATE INDEX review_items_queue ON review_items(status, priority, due_at);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES review_items(id),
    reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reporter_email TEXT,
    reason SMALLINT NOT NULL,
    explanation TEXT NOT NULL,
    weight INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reports_item ON reports(item_id);
CREATE INDEX reports_reporter ON reports(reporter_id, created_at);

CREATE TABLE evidence_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT NOT NULL REFERENCES review_items(id),
    content TEXT NOT NULL,
    digest TEXT NOT NULL,
    taken_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_snapshots_item ON evidence_snapshots(item_id);
