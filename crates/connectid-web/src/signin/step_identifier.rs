//! The identifier step: which account, and which proof comes next (`machine::identified`).

use super::*;

pub(super) async fn on_identifier(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
) -> StepResult {
    let input = params.get("identifier").unwrap_or("");
    let region = ctx.state.settings.default_phone_region;
    let identifier = match Identifier::parse(input, region) {
        Ok(i) => i,
        Err(e) => {
            ctx.p.error = Some(Notice::new(match e {
                IdentifierError::InvalidPhone => "err-identifier-phone",
                IdentifierError::InvalidEmail => "err-identifier-email",
                IdentifierError::Empty | IdentifierError::Unrecognised => "err-identifier-empty",
            }));
            ctx.p.req.login_hint = Some(input.chars().take(254).collect());
            return Ok(None);
        }
    };
    if ctx.p.req.login_hint_locked {
        let hint = ctx
            .p
            .req
            .login_hint
            .as_deref()
            .and_then(|h| Identifier::parse(h, region).ok());
        if hint.as_ref() != Some(&identifier) {
            ctx.p.error = Some(Notice::new("err-hint-locked"));
            return Ok(None);
        }
    }
    let allowed = match ctx.client.metadata.identifiers {
        Identifiers::Both => true,
        Identifiers::Phone => identifier.kind == IdentifierKind::Phone,
        Identifiers::Email => identifier.kind == IdentifierKind::Email,
    };
    if !allowed {
        ctx.p.error = Some(Notice::new(match ctx.client.metadata.identifiers {
            Identifiers::Phone => "err-enter-phone",
            _ => "err-enter-email",
        }));
        return Ok(None);
    }
    let account = ctx.state.store.find_account(&identifier).await?;
    if let Some(lock) = &ctx.p.lock
        && account.as_ref().map(|a| &a.id) != Some(lock)
    {
        ctx.p.error = Some(Notice::new("err-locked"));
        return Ok(None);
    }
    ctx.state
        .metrics
        .funnel(&ctx.client.client_id, Stage::Identified);
    // A new identifier is counted against `account_creation_per_ip` when its code is
    // verified (`on_code`), not here: a known and an unknown number get the same answer.
    let next = machine::identified(identifier, account.as_ref().map(Known::of), &ctx.policy());
    apply(ctx, headers, next).await
}

/// Sends a one-time code; an inner `Err` is a message for the person (rate limits).
pub(super) async fn send_code(
    ctx: &Ctx<'_>,
    target: &Identifier,
    resend: bool,
) -> Result<Result<(), Notice>, StoreError> {
    let to = CodeTarget {
        identifier: target,
        purpose: "signin",
        lang: &ctx.p.locale,
        ip: &ctx.ip,
        client_id: Some(&ctx.client.client_id),
        android_sms_hash: ctx.client.metadata.android_sms_hash.as_deref(),
        sms_countries: &ctx.client.metadata.sms_countries,
        email_way_in: ctx.client.metadata.identifiers != Identifiers::Phone,
        sms_daily_budget: ctx.client.metadata.sms_daily_budget,
        can_challenge: true,
        challenge: ctx.altcha.as_deref(),
    };
    send_code_to(ctx.state, &to, resend).await
}
