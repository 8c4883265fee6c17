CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    password_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE identifiers (
    value TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX identifiers_account ON identifiers(account_id);
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    secret_hash TEXT,
    metadata TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    alg TEXT NOT NULL,
    private_key BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE TABLE sso_sessions (
    id_hash TEXT PRIMARY KEY,
    sid TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    acr BIGINT NOT NULL,
    amr TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    remember BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sso_sessions_account ON sso_sessions(account_id);
CREATE TABLE interactions (
    id_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE grants (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    claims TEXT,
    sid TEXT,
    auth_time BIGINT NOT NULL,
    acr BIGINT NOT NULL,
    amr TEXT NOT NULL,
    td_sls BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX grants_account ON grants(account_id);
CREATE INDEX grants_sid ON grants(sid);
CREATE TABLE auth_codes (
    code_hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT,
    nonce TEXT,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    grant_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens(grant_id);
CREATE TABLE seen_jtis (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE TABLE consents (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, client_id)
);
CREATE TABLE otps (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    target TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consumed_at BIGINT
);
CREATE INDEX otps_target ON otps(target, purpose, created_at);
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count BIGINT NOT NULL
);
CREATE TABLE audit_events (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT,
    client_id TEXT,
    ip TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_events_at ON audit_events(at);
