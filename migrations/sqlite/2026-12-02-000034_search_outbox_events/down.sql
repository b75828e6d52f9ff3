DROP TRIGGER search_outbox_event_delete;
DROP TRIGGER search_outbox_event_update;
DROP TRIGGER search_outbox_event_insert;
DELETE FROM search_outbox WHERE event_id IS NOT NULL;
ALTER TABLE search_outbox DROP COLUMN event_id;
