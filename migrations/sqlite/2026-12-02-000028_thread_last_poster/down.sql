ALTER TABLE threads DROP COLUMN last_poster_id;
