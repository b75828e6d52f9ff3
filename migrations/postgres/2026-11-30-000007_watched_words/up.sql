-- Watched words and phrases: a pattern (plain words, * as a wildcard), matched without regard to
-- case or accents, and what to do when a text contains it: 0 hold for review, 1 flag (queue,
-- still visible), 2 replace (with replacement), 3 block (refuse, naming the rule).
CREATE TABLE watched_words (
    id BIGSERIAL PRIMARY KEY,
    pattern TEXT NOT NULL,
    action SMALLINT NOT NULL,
    replacement TEXT,
    rule_id BIGINT REFERENCES rules(id),
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX watched_words_pattern ON watched_words(pattern);
-- How a queue item came about: 0 a report, 1 a moderator's own initiative, 2 automation (held or
-- flagged content, auto-hide).
ALTER TABLE review_items ADD COLUMN origin SMALLINT NOT NULL DEFAULT 0;
