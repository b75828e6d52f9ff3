DROP INDEX cases_respondent;
DROP TABLE case_evidence;
ALTER TABLE cases DROP COLUMN desired_outcome;
ALTER TABLE cases DROP COLUMN department;
ALTER TABLE cases DROP COLUMN respondent_id;
