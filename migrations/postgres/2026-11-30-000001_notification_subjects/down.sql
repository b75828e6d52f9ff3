-- Back to forum-only notifications: rows about anything but a post in a thread are deleted.
DELETE FROM notifications WHERE subject_kind <> 0 OR thread_id IS NULL;
ALTER TABLE notifications
    ALTER COLUMN thread_id SET NOT NULL,
    DROP COLUMN subject_kind,
    DROP COLUMN subject_id,
    DROP COLUMN url,
    DROP COLUMN title;
