DROP TRIGGER search_outbox_thread_update ON threads;
DROP TRIGGER search_outbox_post_update ON posts;
DROP TRIGGER search_outbox_post_write ON posts;
DROP FUNCTION search_outbox_thread();
DROP FUNCTION search_outbox_post();
DROP TABLE search_outbox;
