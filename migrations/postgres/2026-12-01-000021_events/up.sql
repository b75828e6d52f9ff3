-- Events (calendar::): the community manager's online workshops, Q&A sessions and meet-ups.
-- An event holds what is common to its dates: the text, the time zone and the wall-clock start
-- of its first date, the length, the recurrence rule (RRULE, in the event's time zone, so a
-- weekly 19:00 in Madrid stays 19:00 across daylight-saving changes), the online link or the
-- place, the capacity of each date and the RSVP deadline (minutes before each start).
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    raw TEXT NOT NULL,
    cooked TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    starts_local TIMESTAMP NOT NULL,
    minutes INTEGER NOT NULL,
    recurrence TEXT,
    online_url TEXT,
    location TEXT,
    capacity INTEGER,
    rsvp_closes_minutes INTEGER,
    state SMALLINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX events_category ON events (category_id);

-- Members shown as an event's hosts (they may also check attendees in and answer questions).
CREATE TABLE event_hosts (
    event_id BIGINT NOT NULL REFERENCES events(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (event_id, user_id)
);

-- Each date of an event, in UTC, with its own RSVPs: one row for a single event, one per
-- recurrence for a recurring one. original_starts_at is the date the rule gave (the calendar's
-- RECURRENCE-ID) when one date was moved; sequence rises with every change calendar clients
-- must see. going and waitlisted are kept by the RSVP service under the row's lock.
CREATE TABLE event_occurrences (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    original_starts_at TIMESTAMP NOT NULL,
    state SMALLINT NOT NULL DEFAULT 0,
    sequence INTEGER NOT NULL DEFAULT 0,
    going INTEGER NOT NULL DEFAULT 0,
    waitlisted INTEGER NOT NULL DEFAULT 0,
    tickets BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX event_occurrences_event ON event_occurrences (event_id, starts_at);
CREATE INDEX event_occurrences_starts ON event_occurrences (starts_at);

-- A member's answer for one date: going, interested, not going, or waitlisted (in the order
-- of ticket, handed out from the date's counter under its lock). checked_in_at: attended.
CREATE TABLE event_rsvps (
    id BIGSERIAL PRIMARY KEY,
    occurrence_id BIGINT NOT NULL REFERENCES event_occurrences(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    status SMALLINT NOT NULL,
    ticket BIGINT NOT NULL,
    checked_in_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (occurrence_id, user_id)
);
CREATE INDEX event_rsvps_user ON event_rsvps (user_id);
CREATE INDEX event_rsvps_queue ON event_rsvps (occurrence_id, status, ticket);
