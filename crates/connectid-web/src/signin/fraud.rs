//! The SMS pumping rules (`core::fraud`) where a code is about to go out: the counts they
//! read are kept per UTC day in the rate limiter's store (the database or Redis), so every
//! node sees the same; sends are counted when they go out, verifications when a code to a
//! phone is entered right (`codes::check_code`).

use super::*;
use connectid_core::fraud::{self, Counts, FraudMode};
use connectid_core::ratelimit::RateLimitError;

/// The subjects one SMS is counted under.
struct Subjects {
    ip: String,
    country: String,
    prefix: String,
}

impl Subjects {
    fn of(phone: &Identifier, ip: &str) -> Self {
        Self {
            ip: ip.to_string(),
            country: fraud::country(&phone.value),
            prefix: fraud::prefix(&phone.value).to_string(),
        }
    }
}

/// Whether an SMS to `to` may go out as far as the rules go: in observe mode always (a
/// tripped rule is logged, counted and audited); in protect mode not when one trips.
pub(crate) async fn screen(state: &AppState, to: &CodeTarget<'_>) -> Result<bool, StoreError> {
    let mode = state.settings.fraud_mode;
    if mode == FraudMode::Off {
        return Ok(true);
    }
    let s = Subjects::of(to.identifier, to.ip);
    let tripped = fraud::assess(&counts(state, &s).await.map_err(limiter)?);
    if tripped.is_empty() {
        return Ok(true);
    }
    let refused = mode == FraudMode::Protect;
    for rule in &tripped {
        state.metrics.fraud(*rule, refused);
    }
    let names: Vec<&str> = tripped.iter().map(|r| r.as_str()).collect();
    let rules = names.join(",");
    // The country and the range, not the number: enough to act on, nothing to leak.
    tracing::warn!(rules, country = %s.country, range = %s.prefix, client = to.client_id, mode = mode.as_str(), "SMS pumping rule tripped");
    crate::audit::record(
        state,
        AuditKind::SmsFraudSuspected,
        None,
        to.client_id,
        if refused { "refused" } else { "observed" },
        Some(format!(
            "rules {rules}; country {}; range {}",
            s.country, s.prefix
        )),
    )
    .await;
    if refused {
        state.metrics.sms_refused("fraud");
    }
    Ok(!refused)
}

/// Counts an SMS that went out.
pub(crate) async fn sent(state: &AppState, phone: &Identifier, ip: &str) {
    if state.settings.fraud_mode == FraudMode::Off {
        return;
    }
    let s = Subjects::of(phone, ip);
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
    if state.settings.fraud_mode == FraudMode::Off {
        return;
    }
    let s = Subjects::of(phone, ip);
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
