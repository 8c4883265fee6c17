//! The identifier step: which account, and which proof comes next.

use super::*;

pub(super) async fn on_identifier(ctx: &mut Ctx<'_>, params: &Params) -> StepResult {
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
    route_identifier(ctx, identifier, account).await?;
    Ok(None)
}

/// Decides the next step for an identifier: password, code, or (new accounts) code first.
pub(super) async fn route_identifier(
    ctx: &mut Ctx<'_>,
    identifier: Identifier,
    account: Option<Account>,
) -> Result<(), StoreError> {
    ctx.state
        .metrics
        .funnel(&ctx.client.client_id, Stage::Identified);
    let sms_pin = ctx.client.metadata.sms_pin;
    let is_phone = identifier.is_phone();
    ctx.p.identifier = Some(identifier.clone());
    ctx.p.account_id = account.as_ref().map(|a| a.id.clone());
    ctx.p.verified = false;
    let has_password = account.as_ref().is_some_and(Account::has_password);
    let wants_password = ctx.p.req.acr == Acr::Password || !is_phone;
    let can_sms = !(is_phone && sms_pin == SmsPin::Disallow);
    if wants_password && has_password {
        ctx.p.step = Step::Password;
        return Ok(());
    }
    if !can_sms {
        if has_password {
            ctx.p.step = Step::Password;
        } else {
            ctx.p.error = Some(Notice::new("err-no-sms"));
            ctx.p.step = Step::Identifier;
        }
        return Ok(());
    }
    // A new identifier is counted against `account_creation_per_ip` when its code is
    // verified (`on_code`), not here: a known and an unknown number get the same answer.
    match send_code(ctx, &identifier, false).await? {
        Ok(()) => ctx.p.step = Step::Code,
        Err(msg) => {
            ctx.p.error = Some(msg);
            ctx.p.step = Step::Identifier;
        }
    }
    Ok(())
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
    };
    send_code_to(ctx.state, &to, resend).await
}
