DROP TABLE category_posting_groups;
ALTER TABLE categories DROP COLUMN reply_trust;
ALTER TABLE categories DROP COLUMN reply_rule;
ALTER TABLE categories DROP COLUMN start_trust;
ALTER TABLE categories DROP COLUMN start_rule;
