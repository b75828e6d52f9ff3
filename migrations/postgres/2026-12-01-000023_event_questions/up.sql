-- Live Q&A (calendar::questions): members ask during an event, upvote each other's questions,
-- and the hosts mark them answered or dismissed. votes is kept with the votes' rows.
CREATE TABLE event_questions (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    state SMALLINT NOT NULL DEFAULT 0,
    votes INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP
);
CREATE INDEX event_questions_event ON event_questions (event_id);

CREATE TABLE event_question_votes (
    question_id BIGINT NOT NULL REFERENCES event_questions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (question_id, user_id)
);
