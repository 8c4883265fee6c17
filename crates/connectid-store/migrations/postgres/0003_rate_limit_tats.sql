-- GCRA rate limits: one theoretical arrival time (ms since the epoch) per hashed key. A row
-- whose tat has passed means the same as no row, so purging by tat is always safe.
CREATE TABLE rate_limit_tats (
    key TEXT PRIMARY KEY,
    tat BIGINT NOT NULL
);
CREATE INDEX rate_limit_tats_tat ON rate_limit_tats(tat);
