-- What moderators do to content and people, and what the person is told.
-- A post's or thread's moderation state: 0 visible, 1 hidden, 2 deleted (both kept in the
-- database), 3 held for review, 4 rejected, 5 hidden and resubmitted by its author. The label
-- is what the public sees instead ("rule N @ vV: title"), copied when the action is taken so the
-- thread page needs no extra query; revisions up to history_hidden_through are shown only to
-- staff and the author once a moderator acted on the post.
ALTER TABLE posts ADD COLUMN state SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN moderation_label TEXT;
ALTER TABLE posts ADD COLUMN history_hidden_through INTEGER NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN state SMALLINT NOT NULL DEFAULT 0;
-- Active restrictions, kept beside the user so every request knows them without a query; the
-- sanctions table is the record.
ALTER TABLE users ADD COLUMN silenced_until TIMESTAMP;
ALTER TABLE users ADD COLUMN suspended_until TIMESTAMP;
-- DSA Art. 17(3): the scope and duration of a measure, and whether automated means detected it.
ALTER TABLE decisions ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN ends_at TIMESTAMP;
ALTER TABLE decisions ADD COLUMN detected_automatically SMALLINT NOT NULL DEFAULT 0;

-- A statement of reasons: one per person affected by a restrictive decision.
CREATE TABLE statements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    target_title TEXT NOT NULL,
    target_url TEXT NOT NULL,
    appeal_until TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX statements_user ON statements(user_id, id);

-- Warnings, silences, suspensions and bans. ends_at is NULL for a ban (and a warning has no
-- duration); ended_at is set when it expires or is lifted.
CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind SMALLINT NOT NULL,
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sanctions_user ON sanctions(user_id, kind);
CREATE INDEX sanctions_ending ON sanctions(ended_at, ends_at);

-- Staff-only notes on a member.
CREATE TABLE moderator_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX moderator_notes_user ON moderator_notes(user_id, id);
