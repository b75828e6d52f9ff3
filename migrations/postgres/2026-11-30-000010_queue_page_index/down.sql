DROP INDEX review_items_open;
CREATE INDEX review_items_open ON review_items(priority DESC, due_at) WHERE resolved_at IS NULL;
