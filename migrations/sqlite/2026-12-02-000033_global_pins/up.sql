-- `threads.pinned` 2: pinned first on the home page and Latest as well as in its category
-- (1: in its category only). The first page of Latest reads the global pins by this index.
CREATE INDEX threads_pinned_bumped ON threads (pinned, bumped_at);
