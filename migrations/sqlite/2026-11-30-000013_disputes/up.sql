-- Disputes, the second and third kinds of case: a member against another member's conduct, or
-- against the brand (a department). The respondent, the outcome the complainant wants, and the
-- evidence each side submits, each item with its own visibility (0 the ombudsman only, 1 both
-- parties, 2 public once redacted) and the digest of what was submitted.
ALTER TABLE cases ADD COLUMN respondent_id BIGINT REFERENCES users(id);
ALTER TABLE cases ADD COLUMN department TEXT;
ALTER TABLE cases ADD COLUMN desired_outcome TEXT NOT NULL DEFAULT '';

CREATE TABLE case_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    post_id BIGINT,
    snapshot TEXT,
    digest TEXT NOT NULL,
    visibility SMALLINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_evidence_case ON case_evidence(case_id, id);
CREATE INDEX cases_respondent ON cases(respondent_id) WHERE respondent_id IS NOT NULL;
