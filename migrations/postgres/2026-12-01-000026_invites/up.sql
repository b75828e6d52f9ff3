-- Invitations (reputation::invites): a sign-up link with a campaign/source tag, an expiry and a
-- maximum number of uses, made by the community manager or by a member (limited by trust
-- level). The code is the link's secret part; a revoked or spent invitation signs no one up.
CREATE TABLE invites (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX invites_source ON invites (source);
CREATE INDEX invites_creator ON invites (created_by, created_at);

-- The invitation a member signed up with (the dashboard of sources reads it).
ALTER TABLE users ADD COLUMN invite_id BIGINT REFERENCES invites(id);
CREATE INDEX users_invite ON users (invite_id);

-- Ambassadors: the community manager nominates a member from the leaders report; the member
-- accepts or declines. A group can carry a flair shown by its members' names on their posts;
-- the member's row keeps the flair of their groups as shown (users.flair), so a thread page
-- reads it with its authors.
CREATE TABLE ambassador_nominations (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    nominated_by BIGINT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    state SMALLINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX ambassador_nominations_user ON ambassador_nominations (user_id, state);
ALTER TABLE user_groups ADD COLUMN flair TEXT;
ALTER TABLE users ADD COLUMN flair TEXT;
