//! Rate limits: how often a password may be tried, an SMS sent, a one-time code checked, an
//! account created or a client fail to authenticate, per identifier (or client) and per IP.
//!
//! The algorithm is GCRA (the generic cell rate algorithm, a leaky bucket kept as one number per
//! key, the "theoretical arrival time"): a quota of `max` events per `per_secs` lets `max`
//! through at once and then one every `per_secs / max`. It backs off and never locks: a refused
//! event is not counted, so a stranger hammering someone's account only ever delays its owner by
//! one interval after the stranger stops. Per-IP quotas are far looser than per-identifier ones,
//! because a carrier's NAT puts many people behind one address.
//!
//! The store behind [`RateLimiter`] must be shared by every node (the database, or Redis), so
//! the limits hold across a cluster. Keys are hashed before they reach it: no phone number,
//! e-mail address or IP address is stored in the rate-limit table.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::crypto::{hex, sha256};
mod memory;
mod settings;
pub use memory::*;
pub use settings::*;

/// `max` events per `per_secs` seconds, at most `max` of them at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    pub max: u32,
    pub per_secs: u32,
}

impl Quota {
    pub const fn new(max: u32, per_secs: u32) -> Self {
        Self { max, per_secs }
    }

    /// Milliseconds between two events once the burst is spent (at least 1).
    pub fn interval_ms(self) -> i64 {
        (i64::from(self.per_secs) * 1000 / i64::from(self.max.max(1))).max(1)
    }

    /// How far ahead of now the theoretical arrival time may run: `max` intervals. Using
    /// `interval * max` rather than the period keeps the burst at exactly `max` after rounding.
    pub fn burst_ms(self) -> i64 {
        self.interval_ms() * i64::from(self.max.max(1))
    }

    fn validate(self, name: &str) -> Result<(), String> {
        if self.max == 0 || self.per_secs == 0 {
            return Err(format!("{name}: max and per_secs must be at least 1"));
        }
        Ok(())
    }
}

/// What a limiter answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead; `remaining` more events would be allowed right now.
    Allowed { remaining: u32 },
    /// Not now: the next event is allowed after `retry_after` (at least one second, rounded up,
    /// ready for a `Retry-After` header or a "try again in" message).
    Limited { retry_after: Duration },
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        matches!(self, Self::Allowed { .. })
    }

    /// The answer for a GCRA state: `new_tat` is the arrival time the event would leave behind.
    /// Shared by every backend so they round the same way.
    pub fn from_gcra(quota: Quota, now_ms: i64, new_tat_ms: i64) -> Self {
        let ahead = new_tat_ms - now_ms;
        if ahead <= quota.burst_ms() {
            let left = (quota.burst_ms() - ahead) / quota.interval_ms();
            Self::Allowed {
                remaining: u32::try_from(left).unwrap_or(u32::MAX),
            }
        } else {
            Self::limited_ms(ahead - quota.burst_ms())
        }
    }

    /// `Limited` after `wait_ms`, rounded up to whole seconds, at least one.
    pub fn limited_ms(wait_ms: i64) -> Self {
        let secs = (wait_ms.max(1) + 999) / 1000;
        Self::Limited {
            retry_after: Duration::from_secs(u64::try_from(secs).unwrap_or(1)),
        }
    }

    /// The stricter of two answers: any `Limited` wins, the longer wait among them.
    fn stricter(self, other: Self) -> Self {
        match (self, other) {
            (Self::Limited { retry_after: a }, Self::Limited { retry_after: b }) => Self::Limited {
                retry_after: a.max(b),
            },
            (l @ Self::Limited { .. }, _) | (_, l @ Self::Limited { .. }) => l,
            (Self::Allowed { remaining: a }, Self::Allowed { remaining: b }) => Self::Allowed {
                remaining: a.min(b),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    /// The database or Redis did not answer; callers should fail closed for password and SMS
    /// attempts (HTTP 503) rather than let an outage switch the limits off.
    #[error("rate limiter: {0}")]
    Backend(String),
}

/// The storage port: GCRA over one number per key, kept where every node sees it.
///
/// Every method takes the time from the caller, so that tests drive it with a fake clock and
/// all nodes of a cluster agree as far as their clocks do.
#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one event for `key` if `quota` allows it. A refused event is not counted. Must be
    /// atomic: of `n` concurrent calls, exactly as many are allowed as the quota has room for.
    async fn hit(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError>;
    /// What `hit` would answer, without counting anything.
    async fn peek(&self, key: &str, quota: Quota, now_ms: i64) -> Result<Decision, RateLimitError>;
    /// Forgets `key`, e.g. the failures of an account once its owner signed in.
    async fn reset(&self, key: &str) -> Result<(), RateLimitError>;
}

/// What is limited. Each has its own quota in [`RateLimitSettings`] and its own key space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Password attempts on one identifier or account.
    PasswordPerIdentifier,
    /// Password attempts from one client IP, whatever the identifier.
    PasswordPerIp,
    /// SMS (one-time codes, notifications) sent to one phone number.
    SmsPerIdentifier,
    /// SMS sends asked for from one client IP.
    SmsPerIp,
    /// One-time-code checks against one identifier (on top of the per-code attempt count).
    OtpPerIdentifier,
    /// One-time-code checks from one client IP.
    OtpPerIp,
    /// Accounts created from one client IP.
    AccountCreationPerIp,
    /// Failed client authentications at the token endpoint for one client id.
    ClientAuthFailuresPerClient,
    /// Failed client authentications at the token endpoint from one IP.
    ClientAuthFailuresPerIp,
}

impl Limit {
    pub const ALL: &'static [Limit] = &[
        Self::PasswordPerIdentifier,
        Self::PasswordPerIp,
        Self::SmsPerIdentifier,
        Self::SmsPerIp,
        Self::OtpPerIdentifier,
        Self::OtpPerIp,
        Self::AccountCreationPerIp,
        Self::ClientAuthFailuresPerClient,
        Self::ClientAuthFailuresPerIp,
    ];

    /// A stable name: the key prefix in the store, the settings field, a metrics label.
    pub fn id(self) -> &'static str {
        match self {
            Self::PasswordPerIdentifier => "password_per_identifier",
            Self::PasswordPerIp => "password_per_ip",
            Self::SmsPerIdentifier => "sms_per_identifier",
            Self::SmsPerIp => "sms_per_ip",
            Self::OtpPerIdentifier => "otp_per_identifier",
            Self::OtpPerIp => "otp_per_ip",
            Self::AccountCreationPerIp => "account_creation_per_ip",
            Self::ClientAuthFailuresPerClient => "client_auth_failures_per_client",
            Self::ClientAuthFailuresPerIp => "client_auth_failures_per_ip",
        }
    }

    /// The key stored for `subject` (an identifier, IP or client id): the limit's name and a
    /// truncated SHA-256 of the subject, so no personal data lands in the store and keys have
    /// a fixed size whatever was typed.
    pub fn key(self, subject: &str) -> String {
        let digest = sha256(subject.as_bytes());
        format!("rl:{}:{}", self.id(), hex(&digest[..16]))
    }
}

/// The subject for the per-IP limits: an IPv4 address as it is, an IPv6 address by its /64
/// (a subscriber usually holds a whole /64, and counting single addresses would give it 2^64
/// quotas), an IPv4-mapped IPv6 address as the IPv4 address it is.
pub fn ip_subject(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

/// A budget per UTC day of `max` events: a quota that refills over `max` days, kept under a
/// key for the day, so each day starts afresh and nothing comes back within it. Exact up to
/// 49,710 a day; above that the refill may add one or two.
/// The largest daily count [`RateLimits::tally`] keeps.
pub const TALLY_MAX: u32 = 40_000;

fn tally_key(name: &str, day: i64) -> String {
    let digest = sha256(name.as_bytes());
    format!("rl:tally:{}:{day}", hex(&digest[..16]))
}

pub fn daily_quota(max: u32) -> Quota {
    Quota::new(max, max.saturating_mul(86_400).max(86_400))
}

/// The limiter the web layer holds: quotas, a backend and the clock, with keys built here.
#[derive(Clone)]
pub struct RateLimits {
    backend: Arc<dyn RateLimiter>,
    settings: RateLimitSettings,
    clock: Arc<dyn Clock>,
}

impl RateLimits {
    pub fn new(
        backend: Arc<dyn RateLimiter>,
        settings: RateLimitSettings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            backend,
            settings,
            clock,
        }
    }

    pub fn settings(&self) -> &RateLimitSettings {
        &self.settings
    }

    fn now_ms(&self) -> i64 {
        self.clock.now().saturating_mul(1000)
    }

    /// Counts one event of `limit` for `subject` if allowed.
    pub async fn hit(&self, limit: Limit, subject: &str) -> Result<Decision, RateLimitError> {
        self.backend
            .hit(
                &limit.key(subject),
                self.settings.quota(limit),
                self.now_ms(),
            )
            .await
    }

    /// Whether one event of `limit` for `subject` would be allowed, without counting it: for
    /// limits that count failures only (check before, [`Self::hit`] after a failure).
    pub async fn peek(&self, limit: Limit, subject: &str) -> Result<Decision, RateLimitError> {
        self.backend
            .peek(
                &limit.key(subject),
                self.settings.quota(limit),
                self.now_ms(),
            )
            .await
    }

    pub async fn reset(&self, limit: Limit, subject: &str) -> Result<(), RateLimitError> {
        self.backend.reset(&limit.key(subject)).await
    }

    /// Counts one event against daily budgets `(name, max)` (a `max` of 0 is no budget) if all
    /// of them have room, as [`Self::hit_all`] does for limits; budgets reset at 00:00 UTC.
    /// Counts one `name` event today (UTC), where every node sees it: the counts the fraud
    /// rules compare. A count stops at [`TALLY_MAX`] a day.
    pub async fn tally(&self, name: &str) -> Result<(), RateLimitError> {
        let key = tally_key(name, self.clock.now().div_euclid(86_400));
        self.backend
            .hit(&key, daily_quota(TALLY_MAX), self.now_ms())
            .await
            .map(|_| ())
    }

    /// How many `name` events were counted `days_ago` days ago (0: today).
    pub async fn tallied(&self, name: &str, days_ago: i64) -> Result<u32, RateLimitError> {
        let key = tally_key(name, self.clock.now().div_euclid(86_400) - days_ago);
        // A peek answers what would remain after one more event.
        Ok(
            match self
                .backend
                .peek(&key, daily_quota(TALLY_MAX), self.now_ms())
                .await?
            {
                Decision::Allowed { remaining } => (TALLY_MAX - 1).saturating_sub(remaining),
                Decision::Limited { .. } => TALLY_MAX,
            },
        )
    }

    pub async fn hit_daily(&self, budgets: &[(&str, u32)]) -> Result<Decision, RateLimitError> {
        let day = self.clock.now().div_euclid(86_400);
        let keys: Vec<(String, Quota)> = budgets
            .iter()
            .filter(|(_, max)| *max > 0)
            .map(|(name, max)| {
                let digest = sha256(name.as_bytes());
                let key = format!("rl:daily:{}:{day}", hex(&digest[..16]));
                (key, daily_quota(*max))
            })
            .collect();
        let now = self.now_ms();
        let mut verdict = Decision::Allowed {
            remaining: u32::MAX,
        };
        for (key, quota) in &keys {
            verdict = verdict.stricter(self.backend.peek(key, *quota, now).await?);
        }
        if !verdict.is_allowed() {
            return Ok(verdict);
        }
        for (key, quota) in &keys {
            verdict = verdict.stricter(self.backend.hit(key, *quota, now).await?);
        }
        Ok(verdict)
    }

    /// Checks several limits for one event (say, per identifier and per IP) and counts it
    /// against all of them only if all allow it, so that a refusal by one does not use up the
    /// others (a stranger locked out of one account does not eat the NAT address's quota).
    /// Returns the strictest answer. Two racing callers may both pass the check and both be
    /// counted: the per-key `hit` stays atomic, so each quota is overrun by at most that race.
    pub async fn hit_all(&self, checks: &[(Limit, &str)]) -> Result<Decision, RateLimitError> {
        let mut verdict = Decision::Allowed {
            remaining: u32::MAX,
        };
        for (limit, subject) in checks {
            verdict = verdict.stricter(self.peek(*limit, subject).await?);
        }
        if !verdict.is_allowed() {
            return Ok(verdict);
        }
        let mut verdict = Decision::Allowed {
            remaining: u32::MAX,
        };
        for (limit, subject) in checks {
            verdict = verdict.stricter(self.hit(*limit, subject).await?);
        }
        Ok(verdict)
    }
}

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;

#[cfg(test)]
mod tests;
