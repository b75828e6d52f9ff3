ALTER TABLE users DROP COLUMN first_week;
ALTER TABLE users DROP COLUMN leaderboard_opt_out;
ALTER TABLE users DROP COLUMN featured_badges;
DROP TABLE leaderboard_scores;
DROP TABLE points_ledger;
DROP TABLE user_badges;
DROP TABLE badges;
