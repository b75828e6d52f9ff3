ALTER TABLE review_items DROP COLUMN origin;
DROP TABLE watched_words;
