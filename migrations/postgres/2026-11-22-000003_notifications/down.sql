DROP TABLE notification_preferences;
DROP TABLE notifications;
DROP TABLE mails;
DROP TABLE jobs;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN email_verified_at;
