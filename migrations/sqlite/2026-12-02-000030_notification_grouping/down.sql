ALTER TABLE notifications DROP COLUMN grouped_into;
ALTER TABLE notifications DROP COLUMN others;
ALTER TABLE notifications DROP COLUMN detail;
