DROP TRIGGER search_outbox_event_update ON events;
DROP TRIGGER search_outbox_event_write ON events;
DROP FUNCTION search_outbox_event();
DELETE FROM search_outbox WHERE event_id IS NOT NULL;
ALTER TABLE search_outbox DROP COLUMN event_id;
