-- Native SSO device secrets (hashed). Everything about the sign-in is read from the grant
-- that issued the secret, so revoking that grant ends the secret as well.
CREATE TABLE device_secrets (
    secret_hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL,
    publisher TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX device_secrets_expires ON device_secrets(expires_at);
