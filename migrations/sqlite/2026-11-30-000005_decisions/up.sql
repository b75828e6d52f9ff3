-- Every moderation decision, as the public moderation log shows it and an appeal will cite it:
-- what was decided about which target, why (rule @ version when one applies), from what source
-- (a report, the moderator's own initiative, automation) and by whom (shown to staff only).
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id BIGINT REFERENCES review_items(id),
    target_kind SMALLINT NOT NULL,
    target_id BIGINT NOT NULL,
    action SMALLINT NOT NULL,
    explanation TEXT NOT NULL,
    rule_id BIGINT REFERENCES rules(id),
    rule_version INTEGER,
    source SMALLINT NOT NULL,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX decisions_created ON decisions(created_at);
