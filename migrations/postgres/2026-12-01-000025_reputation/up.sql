-- Badges (reputation::badges): the built-in ones (builtin = 1, kept in step with the code at
-- start) and the community manager's own. tier: 1 gold, 2 silver, 3 bronze. multiple: can be
-- earned once per item (a year, an event); revocable: removed when its rule stops holding.
-- backfill_after: the last member id a running backfill has done (NULL: none running).
CREATE TABLE badges (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    builtin SMALLINT NOT NULL DEFAULT 0,
    tier SMALLINT NOT NULL,
    icon TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_es TEXT NOT NULL,
    description_en TEXT NOT NULL,
    description_es TEXT NOT NULL,
    multiple SMALLINT NOT NULL DEFAULT 0,
    revocable SMALLINT NOT NULL DEFAULT 0,
    enabled SMALLINT NOT NULL DEFAULT 1,
    grant_count INTEGER NOT NULL DEFAULT 0,
    backfill_after BIGINT,
    backfilled_at TIMESTAMP,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);

-- A badge a member holds: once per badge and member, or once per item (item 0 otherwise), so
-- granting twice writes nothing. post_id: the post that earned it, where there is one.
CREATE TABLE user_badges (
    id BIGSERIAL PRIMARY KEY,
    badge_id BIGINT NOT NULL REFERENCES badges(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    item BIGINT NOT NULL DEFAULT 0,
    post_id BIGINT REFERENCES posts(id),
    granted_at TIMESTAMP NOT NULL,
    granted_by BIGINT REFERENCES users(id),
    reason TEXT NOT NULL DEFAULT '',
    UNIQUE (badge_id, user_id, item)
);
CREATE INDEX user_badges_user ON user_badges (user_id, granted_at);
CREATE INDEX user_badges_recent ON user_badges (badge_id, granted_at);

-- Points (reputation::points): an append-only ledger. Each row credits or reverses one item
-- (item names what earned it within its post: 'post', 'reaction:<member>', 'accepted'), so
-- the balance of an item is 0 or its credit; credited_at is the credit's time (a reversal
-- carries its credit's), which decides the leaderboard periods it counts in.
CREATE TABLE points_ledger (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    action SMALLINT NOT NULL,
    amount INTEGER NOT NULL,
    post_id BIGINT REFERENCES posts(id),
    category_id BIGINT REFERENCES categories(id),
    item TEXT NOT NULL,
    credited_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX points_ledger_post ON points_ledger (post_id);
CREATE INDEX points_ledger_user ON points_ledger (user_id, created_at);

-- The ledger rolled up per period (0 all time, 1 week from Monday, 2 month) starting at
-- starts_at, per category (0: every category), kept in the ledger's transaction.
CREATE TABLE leaderboard_scores (
    period SMALLINT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    category_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    points INTEGER NOT NULL,
    PRIMARY KEY (period, starts_at, category_id, user_id)
);
CREATE INDEX leaderboard_scores_rank ON leaderboard_scores (period, starts_at, category_id, points);

-- Up to three badges a member shows by their name, as shown (JSON), so a thread page reads
-- them with its authors; leaderboards leave out members who opt out; the first-week path's
-- steps done (bits, reputation::first_week).
ALTER TABLE users ADD COLUMN featured_badges TEXT;
ALTER TABLE users ADD COLUMN leaderboard_opt_out SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN first_week SMALLINT NOT NULL DEFAULT 0;
