use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::clock::FakeClock;

#[tokio::test]
async fn memory_limiter_passes_the_suite() {
    conformance::run_all(Arc::new(MemoryRateLimiter::default())).await;
}

#[test]
fn gcra_arithmetic() {
    let q = Quota::new(3, 60);
    assert_eq!(q.interval_ms(), 20_000);
    assert_eq!(q.burst_ms(), 60_000);
    // rounding never lets more than `max` through at once
    let q = Quota::new(600, 1);
    assert_eq!(q.interval_ms(), 1);
    assert_eq!(q.burst_ms(), 600);
    let q = Quota::new(7, 1);
    assert_eq!(q.burst_ms(), 7 * 142);
    assert_eq!(
        Decision::limited_ms(0),
        Decision::Limited {
            retry_after: Duration::from_secs(1)
        }
    );
    assert_eq!(
        Decision::limited_ms(1001),
        Decision::Limited {
            retry_after: Duration::from_secs(2)
        }
    );
}

#[test]
fn keys_hide_the_subject_and_differ_per_limit() {
    let k = Limit::PasswordPerIdentifier.key("+4791234567");
    assert!(k.starts_with("rl:password_per_identifier:"));
    assert!(!k.contains("91234567"));
    assert_eq!(k.len(), "rl:password_per_identifier:".len() + 32);
    assert_ne!(k, Limit::SmsPerIdentifier.key("+4791234567"));
    assert_ne!(k, Limit::PasswordPerIdentifier.key("+4791234568"));
    let mut ids: Vec<_> = Limit::ALL.iter().map(|l| l.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), Limit::ALL.len());
}

#[test]
fn default_settings_are_valid_and_looser_per_ip() {
    let s = RateLimitSettings::default();
    s.validate().unwrap();
    assert!(s.password_per_ip.max >= 10 * s.password_per_identifier.max);
    assert!(s.sms_per_ip.max >= 10 * s.sms_per_identifier.max);

    let mut bad = s.clone();
    bad.sms_per_identifier = Quota::new(0, 60);
    assert!(bad.validate().unwrap_err().contains("sms_per_identifier"));
    let mut bad = s.clone();
    bad.password_per_ip = Quota::new(5, 15 * 60);
    assert!(bad.validate().unwrap_err().contains("password_per_ip"));
}

#[test]
fn settings_deserialize_partially() {
    let s: RateLimitSettings =
        serde_json::from_str(r#"{"sms_per_identifier": {"max": 3, "per_secs": 600}}"#).unwrap();
    assert_eq!(s.sms_per_identifier, Quota::new(3, 600));
    assert_eq!(
        s.password_per_identifier,
        RateLimitSettings::default().password_per_identifier
    );
    assert!(serde_json::from_str::<RateLimitSettings>(r#"{"sms": {}}"#).is_err());
    assert!(
        serde_json::from_str::<RateLimitSettings>(r#"{"sms_per_ip": {"max": 3}}"#).is_err(),
        "a quota needs both fields"
    );
}

fn limits(clock: &FakeClock, settings: RateLimitSettings) -> RateLimits {
    RateLimits::new(
        Arc::new(MemoryRateLimiter::default()),
        settings,
        Arc::new(clock.clone()),
    )
}

#[tokio::test]
async fn the_clock_drives_the_limits() {
    let clock = FakeClock::new(1_800_000_000);
    let s = RateLimitSettings {
        sms_per_identifier: Quota::new(2, 3600),
        ..Default::default()
    };
    let rl = limits(&clock, s);
    assert!(
        rl.hit(Limit::SmsPerIdentifier, "+4791234567")
            .await
            .unwrap()
            .is_allowed()
    );
    assert!(
        rl.hit(Limit::SmsPerIdentifier, "+4791234567")
            .await
            .unwrap()
            .is_allowed()
    );
    assert_eq!(
        rl.hit(Limit::SmsPerIdentifier, "+4791234567")
            .await
            .unwrap(),
        Decision::Limited {
            retry_after: Duration::from_secs(1800)
        }
    );
    // the same subject under another limit has its own count
    assert!(
        rl.hit(Limit::SmsPerIp, "+4791234567")
            .await
            .unwrap()
            .is_allowed()
    );
    clock.advance(1800);
    assert!(
        rl.hit(Limit::SmsPerIdentifier, "+4791234567")
            .await
            .unwrap()
            .is_allowed()
    );
}

#[tokio::test]
async fn hit_all_counts_nothing_when_one_refuses() {
    let clock = FakeClock::new(1_800_000_000);
    let s = RateLimitSettings {
        password_per_identifier: Quota::new(2, 600),
        password_per_ip: Quota::new(3, 600),
        ..Default::default()
    };
    let rl = limits(&clock, s);
    let ip = "203.0.113.7";
    for who in ["alice", "alice"] {
        let d = rl
            .hit_all(&[
                (Limit::PasswordPerIdentifier, who),
                (Limit::PasswordPerIp, ip),
            ])
            .await
            .unwrap();
        assert!(d.is_allowed());
    }
    // alice is now limited; trying her again must not use up the address's quota
    for _ in 0..10 {
        let d = rl
            .hit_all(&[
                (Limit::PasswordPerIdentifier, "alice"),
                (Limit::PasswordPerIp, ip),
            ])
            .await
            .unwrap();
        assert_eq!(
            d,
            Decision::Limited {
                retry_after: Duration::from_secs(300)
            }
        );
    }
    let bob = rl
        .hit_all(&[
            (Limit::PasswordPerIdentifier, "bob"),
            (Limit::PasswordPerIp, ip),
        ])
        .await
        .unwrap();
    assert_eq!(
        bob,
        Decision::Allowed { remaining: 0 },
        "the strictest remaining"
    );
    let carol = rl
        .hit_all(&[
            (Limit::PasswordPerIdentifier, "carol"),
            (Limit::PasswordPerIp, ip),
        ])
        .await
        .unwrap();
    assert_eq!(
        carol,
        Decision::Limited {
            retry_after: Duration::from_secs(200)
        },
        "the address's quota is spent"
    );
}

#[tokio::test]
async fn peek_then_hit_counts_failures_only() {
    let clock = FakeClock::new(1_800_000_000);
    let s = RateLimitSettings {
        password_per_identifier: Quota::new(1, 60),
        ..Default::default()
    };
    let rl = limits(&clock, s);
    // successes are only peeked
    for _ in 0..5 {
        assert!(
            rl.peek(Limit::PasswordPerIdentifier, "a")
                .await
                .unwrap()
                .is_allowed()
        );
    }
    rl.hit(Limit::PasswordPerIdentifier, "a").await.unwrap();
    assert!(
        !rl.peek(Limit::PasswordPerIdentifier, "a")
            .await
            .unwrap()
            .is_allowed()
    );
    rl.reset(Limit::PasswordPerIdentifier, "a").await.unwrap();
    assert!(
        rl.peek(Limit::PasswordPerIdentifier, "a")
            .await
            .unwrap()
            .is_allowed()
    );
}

#[test]
fn ipv6_addresses_count_by_their_64() {
    let ip = |s: &str| ip_subject(s.parse().unwrap());
    assert_eq!(ip("203.0.113.7"), "203.0.113.7");
    assert_eq!(ip("::ffff:203.0.113.7"), "203.0.113.7");
    assert_eq!(ip("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    assert_eq!(ip("2001:db8:1:2:bbbb::9"), ip("2001:db8:1:2:aaaa::1"));
    assert_ne!(ip("2001:db8:1:3::1"), ip("2001:db8:1:2::1"));
}

#[tokio::test]
async fn daily_budgets_reset_at_midnight_utc_and_a_refusal_counts_nothing() {
    // 2027-01-15 23:00 UTC.
    let clock = FakeClock::new(1_800_054_000 - 1_800_054_000 % 86_400 + 23 * 3600);
    let rl = limits(&clock, RateLimitSettings::default());
    let budgets = [("deployment", 3), ("service", 2), ("none", 0)];
    assert!(rl.hit_daily(&budgets).await.unwrap().is_allowed());
    assert!(rl.hit_daily(&budgets).await.unwrap().is_allowed());
    // The service's budget is spent; the deployment's third SMS is not used up by asking.
    assert!(!rl.hit_daily(&budgets).await.unwrap().is_allowed());
    assert!(
        rl.hit_daily(&[("deployment", 3)])
            .await
            .unwrap()
            .is_allowed()
    );
    assert!(
        !rl.hit_daily(&[("deployment", 3)])
            .await
            .unwrap()
            .is_allowed()
    );
    clock.advance(3599);
    assert!(!rl.hit_daily(&budgets).await.unwrap().is_allowed());
    // Midnight: a new day, new budgets.
    clock.advance(1);
    assert!(rl.hit_daily(&budgets).await.unwrap().is_allowed());
}
