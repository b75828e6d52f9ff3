-- Trust levels are computed by a job from activity: when a member reached their level (for the
-- grace period before level 3 can be lost), and whether staff set it by hand (level 4, or a
-- level the job must not change).
ALTER TABLE users ADD COLUMN trust_level_since TIMESTAMP;
ALTER TABLE users ADD COLUMN trust_level_locked SMALLINT NOT NULL DEFAULT 0;
-- The community manager's moderation settings (trust-level thresholds, auto-hide score, queue
-- deadlines); a missing key has its default in the code.
CREATE TABLE moderation_settings (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
