-- A notification points at a subject (a post today; sanctions, appeals, cases, events and badges
-- later) and stores the path to open and the title to show, so reading needs no join per kind.
-- The forum columns stay for the visibility re-check of forum subjects, but become optional.
-- SQLite cannot relax NOT NULL in place: the table is rebuilt, keeping every id.
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind SMALLINT NOT NULL,
    thread_id BIGINT REFERENCES threads(id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    digest SMALLINT NOT NULL DEFAULT 0,
    digested_at TIMESTAMP,
    subject_kind SMALLINT NOT NULL,
    subject_id BIGINT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL
);

-- Every existing row is about a post (subject kind 0); a row without a post meant the thread's
-- first post. The path is the permalink `forum::service::post_url` builds.
INSERT INTO notifications_new (id, user_id, kind, thread_id, post_id, actor_id, created_at,
    read_at, digest, digested_at, subject_kind, subject_id, url, title)
SELECT n.id, n.user_id, n.kind, n.thread_id, p.id, n.actor_id, n.created_at,
    n.read_at, n.digest, n.digested_at, 0, p.id,
    '/t/' || t.slug || '/' || t.id || '/' || p.number || '#post-' || p.number, t.title
FROM notifications n
JOIN threads t ON t.id = n.thread_id
JOIN posts p ON p.id = COALESCE(n.post_id,
    (SELECT first.id FROM posts first WHERE first.thread_id = n.thread_id AND first.number = 1));

DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_digest ON notifications(digest, digested_at);
