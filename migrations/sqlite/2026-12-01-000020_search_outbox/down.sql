DROP TRIGGER search_outbox_thread_update;
DROP TRIGGER search_outbox_post_delete;
DROP TRIGGER search_outbox_post_update;
DROP TRIGGER search_outbox_post_insert;
DROP TABLE search_outbox;
