-- Arbitration, settlement, review and publication of disputes (disputes.md R-D3, R-D4, R-D8,
-- R-D9, R-S4): the draft decision the parties comment on and the findings of fact of the final
-- one (JSON, each finding naming evidence ids); the terms of a settlement proposed in
-- mediation and when each side accepted them; the deadline the clock last reminded about (one
-- reminder per deadline); whether each side consents to an anonymised publication.
ALTER TABLE cases ADD COLUMN draft TEXT;
ALTER TABLE cases ADD COLUMN findings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN terms TEXT;
ALTER TABLE cases ADD COLUMN complainant_accepted_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN respondent_accepted_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN reminded_due_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN complainant_consent_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN respondent_consent_at TIMESTAMP;
-- 0: a mediation statement; 1: a comment on the draft decision.
ALTER TABLE case_messages ADD COLUMN stage SMALLINT NOT NULL DEFAULT 0;

-- One review per side of a decided case (0 the complainant, 1 the respondent), with the new
-- information, who answers it, and the state to return to if it is refused.
CREATE TABLE case_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    side SMALLINT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    prior_state SMALLINT NOT NULL,
    arbiter_id BIGINT REFERENCES users(id),
    answer TEXT,
    answered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX case_reviews_once ON case_reviews(case_id, side);

-- The public decisions page: an anonymised summary the ombudsman wrote, on the parties'
-- consent or as a precedent.
CREATE TABLE published_decisions (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    kind SMALLINT NOT NULL,
    outcome SMALLINT NOT NULL,
    basis TEXT NOT NULL,
    summary TEXT NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users(id),
    published_at TIMESTAMP NOT NULL
);
