-- The witnesses named in a case's evidence (user ids, comma-separated): none of them may judge
-- it (disputes.md R-D5).
ALTER TABLE cases ADD COLUMN witness_ids TEXT NOT NULL DEFAULT '';

-- A case waiting for one side (disputes.md R-S4, R-S5), while it is in `awaiting_party`: the
-- stage it paused, how many seconds that stage's clock had left, the side it waits for (0 the
-- complainant, 1 the respondent), and how far the notices went (0 none yet, 1 reminded, 2 told
-- in writing that it proceeds on the record).
CREATE TABLE case_pauses (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    paused_state SMALLINT NOT NULL,
    paused_seconds BIGINT NOT NULL,
    awaiting_side SMALLINT NOT NULL,
    notices_sent SMALLINT NOT NULL
);
