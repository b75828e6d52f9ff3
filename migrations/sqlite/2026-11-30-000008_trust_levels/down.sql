DROP TABLE moderation_settings;
ALTER TABLE users DROP COLUMN trust_level_locked;
ALTER TABLE users DROP COLUMN trust_level_since;
