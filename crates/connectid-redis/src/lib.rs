//! Redis implementations of connectid's shared-state ports, used when `redis_url` is set: for
//! now the rate limiter, so that limits hold across nodes without a database write per attempt.
//!
//! Every decision is one Lua script run atomically by Redis (GCRA: read the arrival time,
//! decide, write it back with an expiry), so concurrent requests on any node are each counted
//! once, and keys vanish by themselves when their time has passed.

use std::time::Duration;

use async_trait::async_trait;
use connectid_core::ratelimit::{Decision, Quota, RateLimitError, RateLimiter};
use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// KEYS[1] the key; ARGV now_ms, interval_ms, burst_ms, 1 to count or 0 to peek.
/// Returns the arrival time the event would leave; the caller compares it with the burst, the
/// same arithmetic as every other backend ([`Decision::from_gcra`]). Integers are formatted with
/// %d because Lua numbers are doubles and `tostring` may print them in exponent form.
const GCRA: &str = r"
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local new_tat = tat + interval
if ARGV[4] == '1' and new_tat - now <= burst then
  redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', string.format('%d', new_tat - now))
end
return new_tat
";

/// Every key this crate writes starts with this, so connectid can share a Redis.
const PREFIX: &str = "connectid:";

fn rl_err(e: redis::RedisError) -> RateLimitError {
    RateLimitError::Backend(format!("redis: {e}"))
}

/// A [`RateLimiter`] on Redis through an auto-reconnecting connection. Cheap to clone.
#[derive(Clone)]
pub struct RedisRateLimiter {
    conn: ConnectionManager,
    script: Script,
}

impl std::fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisRateLimiter").finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// Connects to `url` (`redis://host:port/db`) and fails at once if Redis does not answer, so
    /// that a wrong `redis_url` stops the server at start rather than at the first sign-in. A
    /// later outage makes calls fail fast (timeouts of a second or two) while the connection is
    /// re-established in the background.
    pub async fn connect(url: &str) -> Result<Self, RateLimitError> {
        let client = redis::Client::open(url).map_err(rl_err)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(2)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(rl_err)?;
        Ok(Self {
            conn,
            script: Script::new(GCRA),
        })
    }

    async fn run(
        &self,
        key: &str,
        quota: Quota,
        now_ms: i64,
        count: bool,
    ) -> Result<Decision, RateLimitError> {
        let mut conn = self.conn.clone();
        let new_tat: i64 = self
            .script
            .key(format!("{PREFIX}{key}"))
            .arg(now_ms)
            .arg(quota.interval_ms())
            .arg(quota.burst_ms())
            .arg(i32::from(count))
            .invoke_async(&mut conn)
            .await
            .map_err(rl_err)?;
        Ok(Decision::from_gcra(quota, now_ms, new_tat))
    }
}

#[async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn hit(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError> {
        self.run(key, quota, now_ms, true).await
    }

    async fn peek(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError> {
        self.run(key, quota, now_ms, false).await
    }

    async fn reset(&self, key: &str) -> Result<(), RateLimitError> {
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(format!("{PREFIX}{key}"))
            .query_async::<i64>(&mut conn)
            .await
            .map_err(rl_err)?;
        Ok(())
    }
}
