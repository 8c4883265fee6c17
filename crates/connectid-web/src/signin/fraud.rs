//! The SMS pumping rules (`core::fraud`) where a code is about to go out: the counts they
//! read are kept per UTC day in the rate limiter's store (the database or Redis), so every
//! node sees the same; sends are counted when they go out, verifications when a code to a
//! phone is entered right (`codes::check_code`).

use super::*;
use connectid_core::challenge::{Challenge, MAX_NUMBER, Solution};
use connectid_core::crypto::{hex, sha256};
use connectid_core::fraud::{self, Counts, FraudMode};
use connectid_core::ratelimit::RateLimitError;

/// The message of the identifier step that asks for the proof-of-work challenge.
pub(crate) const CHALLENGE_NOTICE: &str = "err-sms-challenge";

/// How long a challenge may be answered.
const CHALLENGE_TTL: i64 = 300;

/// What to do with an SMS about to go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Screen {
    Send,
    /// Not without a solved proof-of-work challenge: the page asks for one.
    Challenge,
    /// Not at all: the refused-number message.
    Refuse,
}

/// The subjects one SMS is counted under. Made once a send (the number is parsed for its
/// country), and not at all when the rules are off.
pub(crate) struct Subjects {
    ip: String,
    country: String,
    prefix: String,
}

impl Subjects {
    pub(crate) fn of(state: &AppState, phone: &Identifier, ip: &str) -> Option<Self> {
        (state.settings.fraud.mode != FraudMode::Off).then(|| Self {
            ip: ip.to_string(),
            country: fraud::country(&phone.value),
            prefix: fraud::prefix(&phone.value).to_string(),
        })
    }
}

/// Whether an SMS to `to` may go out as far as the rules go. In observe mode a tripped rule
/// is logged, counted and audited, and the SMS goes; in protect mode it goes only with a
/// solved challenge (where the page can ask for one, else it is refused); with
/// `always_challenge` every SMS needs one.
pub(crate) async fn screen(
    state: &AppState,
    to: &CodeTarget<'_>,
    subjects: Option<&Subjects>,
) -> Result<Screen, StoreError> {
    let settings = state.settings.fraud;
    let tripped = match subjects {
        Some(s) => fraud::assess(&counts(state, s).await.map_err(limiter)?),
        None => Vec::new(),
    };
    let needs_challenge =
        settings.always_challenge || (settings.mode == FraudMode::Protect && !tripped.is_empty());
    let verdict = if !needs_challenge || solved(state, to.challenge).await? {
        Screen::Send
    } else if to.can_challenge {
        Screen::Challenge
    } else {
        Screen::Refuse
    };
    let Some(s) = subjects.filter(|_| !tripped.is_empty()) else {
        return Ok(verdict);
    };
    let outcome = match (settings.mode, verdict) {
        (FraudMode::Protect, Screen::Send) => "challenge_passed",
        (_, Screen::Send) => "observed",
        (_, Screen::Challenge) => "challenged",
        (_, Screen::Refuse) => "refused",
    };
    for rule in &tripped {
        state.metrics.fraud(*rule, outcome);
    }
    let names: Vec<&str> = tripped.iter().map(|r| r.as_str()).collect();
    let rules = names.join(",");
    // The country and the range, not the number: enough to act on, nothing to leak.
    tracing::warn!(rules, country = %s.country, range = %s.prefix, client = to.client_id, outcome, "SMS pumping rule tripped");
    crate::audit::record(
        state,
        AuditKind::SmsFraudSuspected,
        None,
        to.client_id,
        outcome,
        Some(format!(
            "rules {rules}; country {}; range {}",
            s.country, s.prefix
        )),
    )
    .await;
    if verdict != Screen::Send {
        state.metrics.sms_refused("fraud");
    }
    Ok(verdict)
}

/// A new challenge for the identifier page (its JSON), kept until it expires so only
/// challenges issued here are accepted.
pub(crate) async fn issue_challenge(state: &AppState) -> Result<String, StoreError> {
    let expires = state.now() + CHALLENGE_TTL;
    let c = Challenge::new(expires, MAX_NUMBER);
    state
        .store
        .put_interaction(&challenge_key(&c.salt), &c.challenge, expires)
        .await?;
    Ok(c.to_json())
}

/// Whether `payload` answers a challenge issued here, in time, for the first time.
async fn solved(state: &AppState, payload: Option<&str>) -> Result<bool, StoreError> {
    let now = state.now();
    let Some(s) = payload.and_then(Solution::parse) else {
        return Ok(false);
    };
    if !s.solves(now) {
        return Ok(false);
    }
    let key = challenge_key(&s.salt);
    if state.store.get_interaction(&key, now).await?.as_deref() != Some(s.challenge.as_str()) {
        return Ok(false);
    }
    let expires = s.expires().unwrap_or(now);
    if !state
        .store
        .remember_jti(&format!("altcha:{key}"), expires)
        .await?
    {
        return Ok(false);
    }
    state.store.delete_interaction(&key).await?;
    Ok(true)
}

fn challenge_key(salt: &str) -> String {
    hex(&sha256(format!("altcha:{salt}").as_bytes()))
}

/// Counts an SMS that went out.
pub(crate) async fn sent(state: &AppState, s: &Subjects) {
    let limits = &state.limits;
    let pair = format!("fraud:ip-country:{}:{}", s.ip, s.country);
    let counted = async {
        if limits.tallied(&pair, 0).await? == 0 {
            limits
                .tally(&format!("fraud:ip-countries:{}", s.ip))
                .await?;
        }
        limits.tally(&pair).await?;
        limits.tally(&format!("fraud:ip-sent:{}", s.ip)).await?;
        limits
            .tally(&format!("fraud:country-sent:{}", s.country))
            .await?;
        limits
            .tally(&format!("fraud:prefix-sent:{}", s.prefix))
            .await
    };
    if let Err(e) = counted.await {
        tracing::error!(error = %e, "fraud counts not kept");
    }
}

/// Counts a code to `phone` entered right from `ip`.
pub(crate) async fn verified(state: &AppState, phone: &Identifier, ip: &str) {
    let Some(s) = Subjects::of(state, phone, ip) else {
        return;
    };
    let limits = &state.limits;
    let counted = async {
        limits.tally(&format!("fraud:ip-verified:{}", s.ip)).await?;
        limits
            .tally(&format!("fraud:country-verified:{}", s.country))
            .await?;
        limits
            .tally(&format!("fraud:prefix-verified:{}", s.prefix))
            .await
    };
    if let Err(e) = counted.await {
        tracing::error!(error = %e, "fraud counts not kept");
    }
}

async fn counts(state: &AppState, s: &Subjects) -> Result<Counts, RateLimitError> {
    let l = &state.limits;
    let today = |name: String| async move { l.tallied(&name, 0).await };
    let new_country = l
        .tallied(&format!("fraud:ip-country:{}:{}", s.ip, s.country), 0)
        .await?
        == 0;
    Ok(Counts {
        ip_sent: today(format!("fraud:ip-sent:{}", s.ip)).await?,
        ip_verified: today(format!("fraud:ip-verified:{}", s.ip)).await?,
        country_sent: today(format!("fraud:country-sent:{}", s.country)).await?,
        country_verified: today(format!("fraud:country-verified:{}", s.country)).await?,
        country_verified_yesterday: l
            .tallied(&format!("fraud:country-verified:{}", s.country), 1)
            .await?,
        ip_countries: today(format!("fraud:ip-countries:{}", s.ip)).await? + u32::from(new_country),
        prefix_sent: today(format!("fraud:prefix-sent:{}", s.prefix)).await?,
        prefix_verified: today(format!("fraud:prefix-verified:{}", s.prefix)).await?,
    })
}

fn limiter(e: RateLimitError) -> StoreError {
    StoreError::Database(e.to_string())
}
