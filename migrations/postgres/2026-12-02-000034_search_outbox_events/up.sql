-- Events in the search outbox (search::outbox): with Meilisearch configured, events are
-- indexed there too (an index of their own beside the posts'), so every write that changes
-- what an event's search document holds (title, description, category, state) leaves a row
-- here in the same transaction, as posts and threads do.
ALTER TABLE search_outbox ADD COLUMN event_id BIGINT;

CREATE FUNCTION search_outbox_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_outbox (event_id) VALUES (OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO search_outbox (event_id) VALUES (NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_outbox_event_write AFTER INSERT OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION search_outbox_event();

CREATE TRIGGER search_outbox_event_update AFTER UPDATE OF title, raw, category_id, state ON events
FOR EACH ROW
WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.raw IS DISTINCT FROM NEW.raw
      OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.state IS DISTINCT FROM NEW.state)
EXECUTE FUNCTION search_outbox_event();
