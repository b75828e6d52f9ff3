-- API tokens may expire; NULL keeps the old behaviour (valid until revoked).
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
