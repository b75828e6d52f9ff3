DROP TABLE case_pauses;
ALTER TABLE cases DROP COLUMN witness_ids;
