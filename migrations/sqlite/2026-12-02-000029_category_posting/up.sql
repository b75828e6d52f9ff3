-- Who may start threads and who may reply in a category (forum::service::posting_rule):
-- 0 everyone, 1 members of the category's posting groups, 2 staff only, 3 trust level >= the
-- `*_trust` column. Staff (moderators and those who speak for the brand) always may.
ALTER TABLE categories ADD COLUMN start_rule SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN start_trust SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN reply_rule SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE categories ADD COLUMN reply_trust SMALLINT NOT NULL DEFAULT 0;
CREATE TABLE category_posting_groups (
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, group_id)
);
CREATE INDEX category_posting_groups_group ON category_posting_groups (group_id);
