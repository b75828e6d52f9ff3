-- Back to forum-only notifications: rows about anything but a post in a thread are deleted.
CREATE TABLE notifications_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind SMALLINT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    digest SMALLINT NOT NULL DEFAULT 0,
    digested_at TIMESTAMP
);

INSERT INTO notifications_old (id, user_id, kind, thread_id, post_id, actor_id, created_at,
    read_at, digest, digested_at)
SELECT id, user_id, kind, thread_id, post_id, actor_id, created_at,
    read_at, digest, digested_at
FROM notifications
WHERE subject_kind = 0 AND thread_id IS NOT NULL;

DROP TABLE notifications;
ALTER TABLE notifications_old RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_digest ON notifications(digest, digested_at);
