//! [`RateLimiter`] on the database: GCRA with one row per key, updated by a single conditional
//! upsert so that concurrent requests on any node are counted exactly once each.

use async_trait::async_trait;
use connectid_core::ratelimit::{Decision, Quota, RateLimitError, RateLimiter};
use connectid_core::store::StoreError;

use crate::sql::{Database, Pool, db_err};

fn rl_err(e: sqlx::Error) -> RateLimitError {
    RateLimitError::Backend(db_err(e).to_string())
}

/// One upsert: the first event of a key is inserted (always allowed: one interval is within
/// the burst); later ones move the arrival time to the later of the stored one and now, plus
/// one interval, but only when that stays within the burst. Otherwise no row comes back and
/// nothing was written. CASE stands for GREATEST, which SQLite lacks.
const HIT: &str = "INSERT INTO rate_limit_tats (key, tat) VALUES ($1, $2 + $3) \
     ON CONFLICT (key) DO UPDATE \
     SET tat = (CASE WHEN rate_limit_tats.tat > $2 THEN rate_limit_tats.tat ELSE $2 END) + $3 \
     WHERE (CASE WHEN rate_limit_tats.tat > $2 THEN rate_limit_tats.tat ELSE $2 END) + $3 - $2 <= $4 \
     RETURNING tat";

impl Database {
    async fn stored_tat(&self, key: &str) -> Result<Option<i64>, RateLimitError> {
        let row: Option<(i64,)> = on!(self, p => sqlx::query_as(
            "SELECT tat FROM rate_limit_tats WHERE key = $1")
            .bind(key).fetch_optional(p).await.map_err(rl_err)?);
        Ok(row.map(|r| r.0))
    }
}

#[async_trait]
impl RateLimiter for Database {
    async fn hit(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError> {
        let interval = quota.interval_ms();
        let row: Option<(i64,)> = on!(self, p => sqlx::query_as(HIT)
            .bind(key).bind(now_ms).bind(interval).bind(quota.burst_ms())
            .fetch_optional(p).await.map_err(rl_err)?);
        match row {
            Some((tat,)) => Ok(Decision::from_gcra(quota, now_ms, tat)),
            // Refused: read the arrival time to say how long to wait. Not atomic with the
            // upsert, but only the advice can be off, never the count.
            None => {
                let tat = self.stored_tat(key).await?.unwrap_or(now_ms).max(now_ms);
                Ok(match Decision::from_gcra(quota, now_ms, tat + interval) {
                    d @ Decision::Limited { .. } => d,
                    Decision::Allowed { .. } => Decision::limited_ms(1),
                })
            }
        }
    }

    async fn peek(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError> {
        let tat = self.stored_tat(key).await?.unwrap_or(now_ms).max(now_ms);
        Ok(Decision::from_gcra(
            quota,
            now_ms,
            tat + quota.interval_ms(),
        ))
    }

    async fn reset(&self, key: &str) -> Result<(), RateLimitError> {
        on!(self, p => sqlx::query("DELETE FROM rate_limit_tats WHERE key = $1")
            .bind(key).execute(p).await.map_err(rl_err)?.rows_affected());
        Ok(())
    }
}

/// Deletes keys whose arrival time has passed: they mean the same as no row.
pub(crate) async fn purge(db: &Database, now_ms: i64) -> Result<u64, StoreError> {
    Ok(
        on!(db, p => sqlx::query("DELETE FROM rate_limit_tats WHERE tat <= $1")
        .bind(now_ms).execute(p).await.map_err(db_err)?.rows_affected()),
    )
}
