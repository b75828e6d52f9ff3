DROP TABLE event_organizers;
ALTER TABLE events DROP COLUMN thread_id;
ALTER TABLE events DROP COLUMN follow_up_at;
ALTER TABLE events DROP COLUMN follow_up_cooked;
ALTER TABLE events DROP COLUMN follow_up;
