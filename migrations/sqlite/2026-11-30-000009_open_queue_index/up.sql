-- The queue reads the open items, most urgent first, then by deadline: a partial index in that
-- order answers it without sorting every open item.
CREATE INDEX review_items_open ON review_items(priority DESC, due_at) WHERE resolved_at IS NULL;
