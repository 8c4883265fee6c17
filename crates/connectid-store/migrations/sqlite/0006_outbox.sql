-- The durable outbox: every SMS and email is a row, written in the same transaction as the
-- one-time code it carries, before anything is sent. Workers on every node claim due rows
-- with a lease (lease_owner, lease_until); the payload (recipient and body, sealed) is wiped
-- once the message is delivered or given up on.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    payload BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER,
    finished_at INTEGER,
    provider_ref TEXT,
    receipt TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, due_at);
CREATE INDEX outbox_finished ON outbox(finished_at);
CREATE INDEX outbox_provider_ref ON outbox(provider_ref);
