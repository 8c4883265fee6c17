//! One-time codes: sending one (cooldown, per-identifier and per-address limits, the SMS
//! formats) and checking one (tries, single use). Sign-in and My account both use them.

use super::*;

/// Where a one-time code goes, for what, and who asked.
pub(crate) struct CodeTarget<'a> {
    pub identifier: &'a Identifier,
    /// The OTP's purpose: a code for one purpose never verifies another.
    pub purpose: &'static str,
    pub lang: &'a str,
    pub ip: &'a str,
    /// The service whose sign-in funnel counts the send.
    pub client_id: Option<&'a str>,
    /// A native Android client's SMS Retriever hash: the SMS ends with it instead of the
    /// WebOTP line, so the app can read the code itself.
    pub android_sms_hash: Option<&'a str>,
    /// The service's `sms_countries` (empty: the deployment's list).
    pub sms_countries: &'a [String],
    /// Whether the service lets people in with an email, which a refused number is told.
    pub email_way_in: bool,
    /// The service's own daily SMS budget (`sms_daily_budget`).
    pub sms_daily_budget: Option<u32>,
    /// Whether the page can show the proof-of-work challenge (the sign-in's identifier
    /// step); elsewhere a send that needs one is refused.
    pub can_challenge: bool,
    /// The challenge's answer the form carried (`altcha`).
    pub challenge: Option<&'a str>,
}

/// Sends a one-time code unless one went out within the cooldown (then `resend` says
/// whether to tell the person to wait), within the per-identifier and per-address limits.
pub(crate) async fn send_code_to(
    state: &AppState,
    to: &CodeTarget<'_>,
    resend: bool,
) -> Result<Result<(), Notice>, StoreError> {
    let target = to.identifier;
    let now = state.now();
    if let Some(last) = state
        .store
        .latest_otp(to.purpose, &target.value, now)
        .await?
        && now - last.created_at < RESEND_COOLDOWN
    {
        return Ok(if resend {
            Err(Notice::new("err-resend-wait")
                .with("seconds", RESEND_COOLDOWN - (now - last.created_at)))
        } else {
            Ok(())
        });
    }
    if target.is_phone() {
        let service: Vec<PhoneRegion> = to
            .sms_countries
            .iter()
            .filter_map(|c| c.parse().ok())
            .collect();
        if let Err(refusal) = state.settings.sms_policy.check(target, &service) {
            // Nothing is sent or counted; the refusal is logged for the operator (the number
            // itself stays out of the logs).
            tracing::info!(?refusal, client = to.client_id, "no SMS to this number");
            state.metrics.sms_refused(match refusal {
                SmsRefusal::Country => "country",
                SmsRefusal::NumberType(_) => "number_type",
            });
            return Ok(Err(refused(to)));
        }
    }
    let checks = [
        (Limit::SmsPerIdentifier, target.value.as_str()),
        (Limit::SmsPerIp, to.ip),
    ];
    if let Some(n) = limited(state.limits.hit_all(&checks).await)? {
        return Ok(Err(n));
    }
    let subjects = if target.is_phone() {
        fraud::Subjects::of(state, target, to.ip)
    } else {
        None
    };
    if target.is_phone() {
        match fraud::screen(state, to, subjects.as_ref()).await? {
            fraud::Screen::Send => {}
            fraud::Screen::Challenge => return Ok(Err(Notice::new(fraud::CHALLENGE_NOTICE))),
            fraud::Screen::Refuse => return Ok(Err(refused(to))),
        }
    }
    if target.is_phone() && !within_budget(state, to).await? {
        return Ok(Err(Notice::new("err-sms-budget")));
    }
    let code = random_digits(6);
    let otp = Otp {
        id: random_id(),
        purpose: to.purpose.into(),
        target: target.value.clone(),
        code_hash: hash_secret(&code),
        attempts: 0,
        created_at: now,
        expires_at: now + OTP_TTL,
    };
    let host = state.settings.issuer_host();
    let t = &state.pages.translations;
    let lang = to.lang;
    let args = [("code", Arg::Str(code.clone()))];
    let (channel, subject, body) = match target.kind {
        // The last line is the WebOTP format, so the browser can offer the code to the page.
        IdentifierKind::Phone => (
            Channel::Sms,
            None,
            match to.android_sms_hash {
                Some(hash) => format!("{}\n\n{hash}", t.format(lang, "sms-code", &args)),
                None => format!("{}\n\n@{host} #{code}", t.format(lang, "sms-code", &args)),
            },
        ),
        IdentifierKind::Email => (
            Channel::Email,
            Some(t.format(lang, "email-code-subject", &[])),
            t.format(lang, "email-code-body", &args),
        ),
    };
    let msg = Message {
        at: rfc3339(now),
        channel,
        to: target.value.clone(),
        subject,
        body,
        purpose: to.purpose.into(),
    };
    // The code and its message are stored together: once the page says "sent", a crash
    // cannot lose the message, and a message that could not be queued leaves no code.
    if let Err(e) = state.delivery.send(&msg, Some(&otp), OTP_TTL).await {
        tracing::error!(error = %e, "code not queued");
        return Ok(Err(Notice::new("err-send-failed")));
    }
    if let Some(s) = &subjects {
        fraud::sent(state, s).await;
    }
    if let Some(client_id) = to.client_id {
        state.metrics.funnel(client_id, Stage::CodeSent);
    }
    Ok(Ok(()))
}

/// The message for a number that gets no SMS: with the email way in where the service has one.
fn refused(to: &CodeTarget<'_>) -> Notice {
    Notice::new(if to.email_way_in {
        "err-sms-refused-email"
    } else {
        "err-sms-refused"
    })
}

/// Counts one SMS against the deployment's and the service's daily budgets. A refusal is
/// counted in the metrics every time and audited once a day per budget, so an attack that
/// keeps knocking fills neither the audit log nor the bill.
async fn within_budget(state: &AppState, to: &CodeTarget<'_>) -> Result<bool, StoreError> {
    let deployment = state.settings.sms_policy.daily_budget;
    let service = to.sms_daily_budget.unwrap_or(0);
    let service_key = format!("sms:{}", to.client_id.unwrap_or(""));
    let budgets = [("sms", deployment), (service_key.as_str(), service)];
    let verdict = state
        .limits
        .hit_daily(&budgets)
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?;
    if verdict.is_allowed() {
        return Ok(true);
    }
    state.metrics.sms_refused("budget");
    tracing::warn!(client = to.client_id, "daily SMS budget spent");
    let first_today = state
        .limits
        .hit_daily(&[(&format!("sms-budget-audited:{service_key}"), 1)])
        .await
        .is_ok_and(|d| d.is_allowed());
    if first_today {
        crate::audit::record(
            state,
            AuditKind::SmsBudgetReached,
            None,
            to.client_id,
            "refused",
            Some(format!(
                "daily SMS budget spent (deployment {deployment}, service {service})"
            )),
        )
        .await;
    }
    Ok(false)
}

/// Why a one-time code was not accepted.
pub(crate) enum CodeRefused {
    /// The code itself was wrong: a failed try, worth an audit event.
    Wrong,
    /// No try was made (limits, no live code, no tries left): the message says why.
    NotTried(Notice),
}

impl CodeRefused {
    pub fn notice(self) -> Notice {
        match self {
            CodeRefused::Wrong => Notice::new("err-code-wrong"),
            CodeRefused::NotTried(n) => n,
        }
    }
}

/// Checks a one-time code for `purpose` sent to `target`, within the per-identifier and
/// per-address limits and the tries of the code; a right code is used up.
pub(crate) async fn check_code(
    state: &AppState,
    purpose: &str,
    target: &Identifier,
    code: &str,
    ip: &str,
) -> Result<Result<(), CodeRefused>, StoreError> {
    let now = state.now();
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let checks = [
        (Limit::OtpPerIdentifier, target.value.as_str()),
        (Limit::OtpPerIp, ip),
    ];
    if let Some(n) = limited(state.limits.hit_all(&checks).await)? {
        return Ok(Err(CodeRefused::NotTried(n)));
    }
    let Some(otp) = state.store.latest_otp(purpose, &target.value, now).await? else {
        return Ok(Err(CodeRefused::NotTried(Notice::new("err-code-expired"))));
    };
    if otp.attempts >= OTP_MAX_TRIES {
        return Ok(Err(CodeRefused::NotTried(Notice::new("err-code-too-many"))));
    }
    let matches = code.len() == 6
        && constant_time_eq(hash_secret(&code).as_bytes(), otp.code_hash.as_bytes());
    // Every try counts: a wrong one here, a right one as it uses the code up.
    if !matches {
        state.store.add_otp_attempt(&otp.id).await?;
        return Ok(Err(CodeRefused::Wrong));
    }
    if !state.store.consume_otp(&otp.id, now).await? {
        return Ok(Err(CodeRefused::Wrong));
    }
    if target.is_phone() {
        fraud::verified(state, target, ip).await;
    }
    Ok(Ok(()))
}
