ALTER TABLE event_occurrences DROP COLUMN check_in_code;
DROP TABLE event_reminders;
ALTER TABLE users DROP COLUMN event_reminders;
DROP TABLE calendar_feeds;
ALTER TABLE users DROP COLUMN time_zone;
