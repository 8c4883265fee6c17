//! The rate-limiter conformance suite on Redis: `TEST_REDIS_URL`, or redis://127.0.0.1:6379.
//! Without a reachable Redis the tests say SKIPPED and pass, except with `CI` set, where they
//! fail: CI starts Redis, and a suite that silently did not run would prove nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use connectid_core::ratelimit::{Quota, RateLimiter, conformance};
use connectid_redis::RedisRateLimiter;

async fn redis() -> Option<RedisRateLimiter> {
    let url =
        std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_string());
    match RedisRateLimiter::connect(&url).await {
        Ok(r) => Some(r),
        Err(e) => {
            connectid_core::skipped::skipped(
                &format!("Redis rate-limit tests: {url} unreachable ({e})"),
                env!("CARGO_TARGET_TMPDIR"),
            );
            None
        }
    }
}

#[tokio::test]
async fn redis_passes_the_rate_limiter_suite() {
    if let Some(r) = redis().await {
        conformance::run_all(Arc::new(r)).await;
    }
}

#[tokio::test]
async fn keys_expire_in_redis_when_their_time_has_passed() {
    let Some(r) = redis().await else { return };
    let key = format!("test:{}:ttl", connectid_core::crypto::random_id());
    let now = 1_800_000_000_000;
    assert!(
        r.hit(&key, Quota::new(2, 60), now)
            .await
            .unwrap()
            .is_allowed()
    );
    let url =
        std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_string());
    let mut conn = redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg(format!("connectid:{key}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(
        (1..=30_000).contains(&ttl),
        "one interval at most, got {ttl}"
    );
}

#[tokio::test]
async fn an_unreachable_redis_is_an_error_not_a_pass() {
    // Port 1 on loopback: nothing listens there.
    let err = RedisRateLimiter::connect("redis://127.0.0.1:1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("redis"), "{err}");
    assert!(
        RedisRateLimiter::connect("http://127.0.0.1:6379")
            .await
            .is_err()
    );
}
