-- The arbitration's own clock (disputes.md R-S3): a decision within 30 days of entering
-- arbitration, one extension with reasons, never past 90 days; when the date and the cap passed
-- were told (once each).
CREATE TABLE case_arbitrations (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    started_at TIMESTAMP NOT NULL,
    decide_by TIMESTAMP NOT NULL,
    cap_at TIMESTAMP NOT NULL,
    extended_at TIMESTAMP,
    extension_reason TEXT,
    overdue_told_at TIMESTAMP,
    cap_told_at TIMESTAMP
);
