-- The member who wrote a thread's latest public post: list lines show them beside the time of
-- that post, as Discourse does (the opening poster is in the thread itself).
ALTER TABLE threads ADD COLUMN last_poster_id BIGINT REFERENCES users(id);
UPDATE threads SET last_poster_id = (
    SELECT posts.author_id FROM posts
    WHERE posts.thread_id = threads.id AND posts.state = 0
    ORDER BY posts.number DESC LIMIT 1
);
