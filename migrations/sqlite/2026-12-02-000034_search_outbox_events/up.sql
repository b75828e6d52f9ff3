-- Events in the search outbox (search::outbox): with Meilisearch configured, events are
-- indexed there too (an index of their own beside the posts'), so every write that changes
-- what an event's search document holds (title, description, category, state) leaves a row
-- here in the same transaction, as posts and threads do.
ALTER TABLE search_outbox ADD COLUMN event_id BIGINT;

CREATE TRIGGER search_outbox_event_insert AFTER INSERT ON events
BEGIN
    INSERT INTO search_outbox (event_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_outbox_event_update AFTER UPDATE OF title, raw, category_id, state ON events
WHEN OLD.title IS NOT NEW.title OR OLD.raw IS NOT NEW.raw
    OR OLD.category_id IS NOT NEW.category_id OR OLD.state IS NOT NEW.state
BEGIN
    INSERT INTO search_outbox (event_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_outbox_event_delete AFTER DELETE ON events
BEGIN
    INSERT INTO search_outbox (event_id) VALUES (OLD.id);
END;
