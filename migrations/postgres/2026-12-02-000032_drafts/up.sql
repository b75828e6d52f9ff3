-- A member's unsent text, kept on the server so a long reply survives a crash or another
-- device: one draft per thread they answer (thread_id) and one new thread (thread_id 0).
-- Written by the composer as they type; removed when the post is sent or they discard it.
CREATE TABLE drafts (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
