-- The queue pages by (priority, deadline, id): the open items' partial index in that order
-- answers a page, and the next one from its cursor, without sorting.
DROP INDEX review_items_open;
CREATE INDEX review_items_open ON review_items(priority DESC, due_at, id) WHERE resolved_at IS NULL;
