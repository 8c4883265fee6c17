//! Buckets in this process's memory: one node, or the tests.

use super::*;

/// An in-process limiter, for tests and single-node development: nothing is shared between
/// processes, so production uses the database or Redis.
#[derive(Debug, Default)]
pub struct MemoryRateLimiter {
    tats: std::sync::Mutex<std::collections::HashMap<String, i64>>,
}

impl MemoryRateLimiter {
    fn with_tats<T>(
        &self,
        f: impl FnOnce(&mut std::collections::HashMap<String, i64>) -> T,
    ) -> Result<T, RateLimitError> {
        let mut tats = self
            .tats
            .lock()
            .map_err(|_| RateLimitError::Backend("poisoned lock".into()))?;
        Ok(f(&mut tats))
    }

    fn decide(
        &self,
        key: &str,
        quota: Quota,
        now_ms: i64,
        count: bool,
    ) -> Result<Decision, RateLimitError> {
        self.with_tats(|tats| {
            if tats.len() >= 4096 {
                tats.retain(|_, tat| *tat > now_ms);
            }
            let tat = tats.get(key).copied().unwrap_or(now_ms).max(now_ms);
            let new_tat = tat + quota.interval_ms();
            let d = Decision::from_gcra(quota, now_ms, new_tat);
            if count && d.is_allowed() {
                tats.insert(key.to_string(), new_tat);
            }
            d
        })
    }
}

#[async_trait::async_trait]
impl RateLimiter for MemoryRateLimiter {
    async fn hit(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError> {
        self.decide(key, quota, now_ms, true)
    }

    async fn peek(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError> {
        self.decide(key, quota, now_ms, false)
    }

    async fn reset(&self, key: &str) -> Result<(), RateLimitError> {
        self.with_tats(|tats| {
            tats.remove(key);
        })
    }
}
