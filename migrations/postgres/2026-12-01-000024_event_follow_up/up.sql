-- After an event (calendar::follow_up): the hosts' follow-up (recording link, slides; Markdown,
-- with its rendering), when it was first published (attendees are told once), and the forum
-- thread made from the answered live questions.
ALTER TABLE events ADD COLUMN follow_up TEXT;
ALTER TABLE events ADD COLUMN follow_up_cooked TEXT;
ALTER TABLE events ADD COLUMN follow_up_at TIMESTAMP;
ALTER TABLE events ADD COLUMN thread_id BIGINT REFERENCES threads(id);

-- Members the community manager allows to create events in one category.
CREATE TABLE event_organizers (
    category_id BIGINT NOT NULL REFERENCES categories(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (category_id, user_id)
);
