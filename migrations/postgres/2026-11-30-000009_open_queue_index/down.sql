DROP INDEX review_items_open;
