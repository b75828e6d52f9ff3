ALTER TABLE users ADD COLUMN department TEXT;
ALTER TABLE users ADD COLUMN previous_visit_at TIMESTAMP;

CREATE TABLE user_groups (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE group_members (
    group_id BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    parent_id BIGINT REFERENCES categories(id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    visibility SMALLINT NOT NULL,
    threads_count INTEGER NOT NULL DEFAULT 0,
    posts_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE category_groups (
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, group_id)
);

CREATE TABLE threads (
    id BIGSERIAL PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    kind SMALLINT NOT NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    bumped_at TIMESTAMP NOT NULL,
    last_post_number INTEGER NOT NULL DEFAULT 0,
    posts_count INTEGER NOT NULL DEFAULT 0,
    views INTEGER NOT NULL DEFAULT 0,
    likes INTEGER NOT NULL DEFAULT 0,
    pinned SMALLINT NOT NULL DEFAULT 0,
    locked SMALLINT NOT NULL DEFAULT 0,
    accepted_post_id BIGINT,
    official_post_id BIGINT
);
CREATE INDEX threads_category_bumped ON threads(category_id, pinned, bumped_at, id);
CREATE INDEX threads_bumped ON threads(bumped_at, id);
CREATE INDEX threads_author ON threads(author_id);

CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads(id),
    number INTEGER NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users(id),
    raw TEXT NOT NULL,
    cooked TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    reply_to_number INTEGER,
    official SMALLINT NOT NULL DEFAULT 0,
    department TEXT,
    likes INTEGER NOT NULL DEFAULT 0,
    UNIQUE (thread_id, number)
);
CREATE INDEX posts_author ON posts(author_id, created_at);

CREATE TABLE post_revisions (
    id BIGSERIAL PRIMARY KEY,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    raw TEXT NOT NULL,
    cooked TEXT NOT NULL,
    editor_id BIGINT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (post_id, version)
);

CREATE TABLE reactions (
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind SMALLINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);

CREATE TABLE bookmarks (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, post_id)
);

CREATE TABLE thread_watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    level SMALLINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_watches_thread ON thread_watches(thread_id, level);

CREATE TABLE category_watches (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    level SMALLINT NOT NULL,
    PRIMARY KEY (user_id, category_id)
);

CREATE TABLE thread_reads (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    last_read_number INTEGER NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
