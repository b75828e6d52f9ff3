-- The search outbox (search::outbox): every write that changes what a post's search document
-- holds (its text, state, reactions, official mark; its thread's title, category, kind, state,
-- accepted or official answer) leaves a row here in the same transaction, written by these
-- triggers so no write path can forget it. The worker drains it in batches into Meilisearch
-- when one is configured (and just clears it otherwise: the database engine indexes in the
-- write itself and checks visibility against the live tables).
CREATE TABLE search_outbox (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT,
    thread_id BIGINT,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE FUNCTION search_outbox_post() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_outbox (post_id) VALUES (OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO search_outbox (post_id) VALUES (NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION search_outbox_thread() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_outbox (thread_id) VALUES (NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_outbox_post_write AFTER INSERT OR DELETE ON posts
FOR EACH ROW EXECUTE FUNCTION search_outbox_post();

CREATE TRIGGER search_outbox_post_update AFTER UPDATE OF thread_id, raw, state, likes, official ON posts
FOR EACH ROW
WHEN (OLD.thread_id IS DISTINCT FROM NEW.thread_id OR OLD.raw IS DISTINCT FROM NEW.raw
      OR OLD.state IS DISTINCT FROM NEW.state OR OLD.likes IS DISTINCT FROM NEW.likes
      OR OLD.official IS DISTINCT FROM NEW.official)
EXECUTE FUNCTION search_outbox_post();

CREATE TRIGGER search_outbox_thread_update
AFTER UPDATE OF category_id, kind, title, accepted_post_id, official_post_id, state ON threads
FOR EACH ROW
WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.kind IS DISTINCT FROM NEW.kind
      OR OLD.title IS DISTINCT FROM NEW.title
      OR OLD.accepted_post_id IS DISTINCT FROM NEW.accepted_post_id
      OR OLD.official_post_id IS DISTINCT FROM NEW.official_post_id
      OR OLD.state IS DISTINCT FROM NEW.state)
EXECUTE FUNCTION search_outbox_thread();
