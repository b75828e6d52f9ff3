DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE review_claims;
ALTER TABLE decisions DROP COLUMN reversed_at;
