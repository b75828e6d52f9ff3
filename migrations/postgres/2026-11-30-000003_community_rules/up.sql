-- Community rules: a rule keeps its number; each published version is immutable (decisions
-- cite rule id @ version). The version in force is the newest whose effective_at has come.
CREATE TABLE rules (
    id BIGSERIAL PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE rule_versions (
    id BIGSERIAL PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES rules(id),
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    significant SMALLINT NOT NULL DEFAULT 0,
    effective_at TIMESTAMP NOT NULL,
    published_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (rule_id, version)
);

-- When a member last accepted the rules (at sign-up).
CREATE TABLE rule_acceptances (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    accepted_at TIMESTAMP NOT NULL
);
