-- Accounts moved in keep the id they had elsewhere (`accounts import`, `external_id`), and
-- account events for webhook subscribers go out in order per subscriber and account: a row
-- with an ordering_key waits while an earlier one with the same key (by seq) is pending.
ALTER TABLE accounts ADD COLUMN external_id TEXT;
-- An operator's lock (`connectid accounts lock`): no sign-in while it is set.
ALTER TABLE accounts ADD COLUMN locked_at BIGINT;
CREATE UNIQUE INDEX accounts_external_id ON accounts(external_id) WHERE external_id IS NOT NULL;
ALTER TABLE outbox ADD COLUMN ordering_key TEXT;
ALTER TABLE outbox ADD COLUMN seq BIGSERIAL;
CREATE INDEX outbox_ordering ON outbox(ordering_key, seq) WHERE ordering_key IS NOT NULL;
