-- Subscribable calendar feeds (calendar::feeds): a member's secret URL for the dates they are
-- going to (category_id NULL) or for one category's events. Only the token's hash is kept;
-- revoking deletes the row. The feed is read with its member's permissions at each fetch.
CREATE TABLE calendar_feeds (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    category_id BIGINT REFERENCES categories(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);

-- A member's own time zone (IANA name), for event times in pages, notices and e-mails.
ALTER TABLE users ADD COLUMN time_zone TEXT;

-- Reminders before an event's date (calendar::reminders): one row per date, member and offset
-- (minutes before the start), written in the transaction that notifies, so each is sent once.
CREATE TABLE event_reminders (
    occurrence_id BIGINT NOT NULL REFERENCES event_occurrences(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    minutes INTEGER NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (occurrence_id, user_id, minutes)
);

-- A member's reminder offsets, minutes before the start, comma-separated ('' for none);
-- NULL for the defaults (a day and 15 minutes).
ALTER TABLE users ADD COLUMN event_reminders TEXT;

-- The code attendees enter to check themselves in to a date (shown to those who run it).
ALTER TABLE event_occurrences ADD COLUMN check_in_code TEXT;
