-- Reactions to one post are one notification while it is unread (notify::fan_out): a new
-- reaction's notification takes over the unread ones for the same post, which point to it by
-- `grouped_into` (and leave the list); `detail` lists the reactions given (`like,love`) and
-- `others` counts the members besides `actor_id`.
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN others INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN grouped_into BIGINT;
