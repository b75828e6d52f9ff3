ALTER TABLE users DROP COLUMN flair;
ALTER TABLE user_groups DROP COLUMN flair;
DROP TABLE ambassador_nominations;
DROP INDEX users_invite;
ALTER TABLE users DROP COLUMN invite_id;
DROP TABLE invites;
