//! The cases every [`RateLimiter`] must pass, run unchanged on memory, SQLite, PostgreSQL and
//! Redis. Enabled for other crates by the `conformance` feature (a dev-dependency only).
//!
//! Time is passed in, so no case sleeps; keys start with a random prefix, so cases and test
//! binaries can share one Redis or one database in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use super::{Decision, Quota, RateLimiter};
use crate::crypto::random_id;

/// An arbitrary instant, in milliseconds since the epoch.
const T0: i64 = 1_800_000_000_000;
const SEC: i64 = 1000;

fn allowed(remaining: u32) -> Decision {
    Decision::Allowed { remaining }
}

fn limited(secs: u64) -> Decision {
    Decision::Limited {
        retry_after: Duration::from_secs(secs),
    }
}

struct Case {
    rl: Arc<dyn RateLimiter>,
    prefix: String,
}

impl Case {
    fn key(&self, name: &str) -> String {
        format!("test:{}:{name}", self.prefix)
    }
    async fn hit(&self, name: &str, q: Quota, now: i64) -> Decision {
        self.rl.hit(&self.key(name), q, now).await.unwrap()
    }
    async fn peek(&self, name: &str, q: Quota, now: i64) -> Decision {
        self.rl.peek(&self.key(name), q, now).await.unwrap()
    }
}

async fn burst_then_limited(c: &Case) {
    let q = Quota::new(3, 60);
    assert_eq!(c.hit("a", q, T0).await, allowed(2));
    assert_eq!(c.hit("a", q, T0).await, allowed(1));
    assert_eq!(c.hit("a", q, T0).await, allowed(0));
    assert_eq!(c.hit("a", q, T0).await, limited(20), "one interval to wait");
    assert_eq!(c.hit("a", q, T0 + 5 * SEC).await, limited(15));
}

async fn leaks_one_per_interval(c: &Case) {
    let q = Quota::new(3, 60);
    for _ in 0..3 {
        assert!(c.hit("a", q, T0).await.is_allowed());
    }
    assert_eq!(c.hit("a", q, T0 + 20 * SEC).await, allowed(0));
    assert_eq!(c.hit("a", q, T0 + 20 * SEC).await, limited(20));
    // 500 ms left rounds up to a whole second, never down to zero
    assert_eq!(c.hit("a", q, T0 + 39 * SEC + 500).await, limited(1));
    assert_eq!(c.hit("a", q, T0 + 40 * SEC).await, allowed(0));
}

async fn refused_events_are_not_counted(c: &Case) {
    let q = Quota::new(2, 60);
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert!(c.hit("a", q, T0).await.is_allowed());
    for i in 0..30 {
        assert!(!c.hit("a", q, T0 + i * 100).await.is_allowed());
    }
    // back off, don't lock: one interval after the burst, the owner gets in
    assert_eq!(c.hit("a", q, T0 + 30 * SEC).await, allowed(0));
}

async fn full_burst_after_idle(c: &Case) {
    let q = Quota::new(3, 60);
    for _ in 0..3 {
        assert!(c.hit("a", q, T0).await.is_allowed());
    }
    let later = T0 + 10 * 60 * SEC;
    assert_eq!(c.hit("a", q, later).await, allowed(2));
    assert_eq!(c.hit("a", q, later).await, allowed(1));
    assert_eq!(c.hit("a", q, later).await, allowed(0));
    assert!(!c.hit("a", q, later).await.is_allowed());
}

async fn keys_are_independent(c: &Case) {
    let q = Quota::new(1, 60);
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert!(!c.hit("a", q, T0).await.is_allowed());
    assert!(c.hit("b", q, T0).await.is_allowed());
    assert!(c.peek("c", q, T0).await.is_allowed());
}

async fn peek_does_not_count(c: &Case) {
    let q = Quota::new(3, 60);
    for _ in 0..5 {
        assert_eq!(c.peek("a", q, T0).await, allowed(2));
    }
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert_eq!(c.peek("a", q, T0).await, allowed(1));
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert_eq!(c.peek("a", q, T0).await, limited(20));
    assert_eq!(
        c.peek("a", q, T0).await,
        limited(20),
        "peeking changed nothing"
    );
}

async fn reset_forgets(c: &Case) {
    let q = Quota::new(1, 3600);
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert!(c.hit("b", q, T0).await.is_allowed());
    assert_eq!(c.hit("a", q, T0).await, limited(3600));
    c.rl.reset(&c.key("a")).await.unwrap();
    assert_eq!(c.hit("a", q, T0).await, allowed(0));
    assert!(!c.hit("b", q, T0).await.is_allowed(), "only that key");
    c.rl.reset(&c.key("never-seen")).await.unwrap();
}

async fn sub_second_intervals(c: &Case) {
    let q = Quota::new(10, 1);
    for left in (0..10).rev() {
        assert_eq!(c.hit("a", q, T0).await, allowed(left));
    }
    assert_eq!(c.hit("a", q, T0).await, limited(1));
    assert_eq!(c.hit("a", q, T0 + 100).await, allowed(0));
    assert!(!c.hit("a", q, T0 + 150).await.is_allowed());
}

async fn a_clock_behind_does_not_allow_more(c: &Case) {
    // Two nodes whose clocks differ by 5 s share one key.
    let q = Quota::new(2, 60);
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert!(c.hit("a", q, T0).await.is_allowed());
    assert_eq!(c.hit("a", q, T0 - 5 * SEC).await, limited(35));
}

async fn concurrent_hits_are_atomic(c: &Case) {
    let q = Quota::new(5, 3600);
    let key = c.key("a");
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let rl = c.rl.clone();
        let key = key.clone();
        set.spawn(async move { rl.hit(&key, q, T0).await.unwrap() });
    }
    let mut ok = 0;
    while let Some(d) = set.join_next().await {
        if d.unwrap().is_allowed() {
            ok += 1;
        }
    }
    assert_eq!(ok, 5, "exactly the quota, however the calls interleave");
}

/// A daily budget's quota (a refill over `max` days, the largest quotas there are) gives
/// exactly `max`, then nothing for the rest of the day, on every backend.
async fn a_daily_quota_gives_its_budget_and_no_more_that_day(c: &Case) {
    for max in [1, 3, 60_000] {
        let q = super::daily_quota(max);
        let name = format!("budget-{max}");
        let n = max.min(3);
        for _ in 0..n {
            assert!(c.hit(&name, q, T0).await.is_allowed(), "budget {max}");
        }
        if max <= 3 {
            assert!(!c.hit(&name, q, T0).await.is_allowed(), "budget {max}");
            assert!(
                !c.hit(&name, q, T0 + 86_399 * SEC).await.is_allowed(),
                "budget {max}: refilled within the day"
            );
        }
    }
}

/// Runs every case against `rl`, each on its own keys. Panics on the first failure, naming it.
pub async fn run_all(rl: Arc<dyn RateLimiter>) {
    macro_rules! cases {
        ($($name:ident),* $(,)?) => {
            $(
                let c = Case { rl: rl.clone(), prefix: random_id() };
                eprintln!("rate limiter case: {}", stringify!($name));
                $name(&c).await;
            )*
        };
    }
    cases!(
        burst_then_limited,
        leaks_one_per_interval,
        refused_events_are_not_counted,
        full_burst_after_idle,
        keys_are_independent,
        peek_does_not_count,
        reset_forgets,
        sub_second_intervals,
        a_clock_behind_does_not_allow_more,
        concurrent_hits_are_atomic,
        a_daily_quota_gives_its_budget_and_no_more_that_day,
    );
}
