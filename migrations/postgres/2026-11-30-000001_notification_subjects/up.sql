-- A notification points at a subject (a post today; sanctions, appeals, cases, events and badges
-- later) and stores the path to open and the title to show, so reading needs no join per kind.
-- The forum columns stay for the visibility re-check of forum subjects, but become optional.
ALTER TABLE notifications
    ADD COLUMN subject_kind SMALLINT,
    ADD COLUMN subject_id BIGINT,
    ADD COLUMN url TEXT,
    ADD COLUMN title TEXT;

-- Every existing row is about a post (subject kind 0); a row without a post meant the thread's
-- first post. The path is the permalink `forum::service::post_url` builds.
UPDATE notifications n
SET post_id = p.id,
    subject_kind = 0,
    subject_id = p.id,
    url = '/t/' || t.slug || '/' || t.id || '/' || p.number || '#post-' || p.number,
    title = t.title
FROM threads t, posts p
WHERE t.id = n.thread_id
  AND p.id = COALESCE(n.post_id,
      (SELECT first.id FROM posts first WHERE first.thread_id = n.thread_id AND first.number = 1));
-- A thread without its first post cannot be linked to (the SQLite rebuild drops these too).
DELETE FROM notifications WHERE subject_kind IS NULL;

ALTER TABLE notifications
    ALTER COLUMN subject_kind SET NOT NULL,
    ALTER COLUMN subject_id SET NOT NULL,
    ALTER COLUMN url SET NOT NULL,
    ALTER COLUMN title SET NOT NULL,
    ALTER COLUMN thread_id DROP NOT NULL;
