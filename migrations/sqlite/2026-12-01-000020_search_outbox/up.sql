-- The search outbox (search::outbox): every write that changes what a post's search document
-- holds (its text, state, reactions, official mark; its thread's title, category, kind, state,
-- accepted or official answer) leaves a row here in the same transaction, written by these
-- triggers so no write path can forget it. The worker drains it in batches into Meilisearch
-- when one is configured (and just clears it otherwise: the database engine indexes in the
-- write itself and checks visibility against the live tables).
CREATE TABLE search_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id BIGINT,
    thread_id BIGINT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TRIGGER search_outbox_post_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO search_outbox (post_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_outbox_post_update AFTER UPDATE OF thread_id, raw, state, likes, official ON posts
WHEN OLD.thread_id IS NOT NEW.thread_id OR OLD.raw IS NOT NEW.raw OR OLD.state IS NOT NEW.state
    OR OLD.likes IS NOT NEW.likes OR OLD.official IS NOT NEW.official
BEGIN
    INSERT INTO search_outbox (post_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_outbox_post_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO search_outbox (post_id) VALUES (OLD.id);
END;

CREATE TRIGGER search_outbox_thread_update
AFTER UPDATE OF category_id, kind, title, accepted_post_id, official_post_id, state ON threads
WHEN OLD.category_id IS NOT NEW.category_id OR OLD.kind IS NOT NEW.kind OR OLD.title IS NOT NEW.title
    OR OLD.accepted_post_id IS NOT NEW.accepted_post_id
    OR OLD.official_post_id IS NOT NEW.official_post_id OR OLD.state IS NOT NEW.state
BEGIN
    INSERT INTO search_outbox (thread_id) VALUES (NEW.id);
END;
