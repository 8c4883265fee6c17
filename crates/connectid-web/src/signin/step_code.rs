//! The code step: the one-time code sent by SMS or email.

use super::*;

pub(super) async fn on_code(ctx: &mut Ctx<'_>, params: &Params, headers: &HeaderMap) -> StepResult {
    let state = ctx.state;
    let Some(identifier) = ctx.p.identifier.clone() else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let code = params.get("code").unwrap_or("");
    if let Err(refused) = check_code(state, "signin", &identifier, code, &ctx.ip).await? {
        if matches!(refused, codes::CodeRefused::Wrong) {
            audit(
                state,
                "code",
                ctx.p.account_id.as_deref(),
                Some(&ctx.client.client_id),
                "wrong_code",
            )
            .await;
        }
        ctx.p.error = Some(refused.notice());
        return Ok(None);
    }
    ctx.p.verified = true;
    state.metrics.funnel(&ctx.client.client_id, Stage::Verified);
    if let Some(after) = ctx.p.after.take() {
        // The code proved an email added for a service that requires one.
        match state.store.find_account(&identifier).await? {
            Some(a) if a.id != after.account_id => {
                ctx.p.after = Some(after);
                ctx.p.step = Step::AddEmail;
                ctx.p.error = Some(Notice::new("err-email-taken"));
                return Ok(None);
            }
            _ => {}
        }
        let Some(account) = state.store.get_account(&after.account_id).await? else {
            ctx.p.step = Step::Identifier;
            return Ok(None);
        };
        let client_id = Some(ctx.client.client_id.as_str());
        crate::accounts::add_identifier(state, &account, &identifier, client_id, &ctx.p.locale)
            .await?;
        // After an SSO hit the session stays as it was (auth_time is not renewed by adding
        // an email); after a real sign-in the session is made now.
        if let Some(auth) = ctx.p.auth.take() {
            state
                .store
                .delete_interaction(&hash_secret(&ctx.id))
                .await?;
            let r = finish::complete(state, &ctx.client, &ctx.p.req, auth, None, headers).await;
            return Ok(Some(r));
        }
        return done(ctx, headers, &after.account_id, after.acr, after.amr).await;
    }
    let account = match &ctx.p.account_id {
        Some(id) => state.store.get_account(id).await?,
        None => None,
    };
    // A new account is counted when its identifier is proven: before, refusing to send the
    // code told known numbers from unknown ones once an address had used its quota.
    if account.is_none()
        && let Some(n) = limited(state.limits.hit(Limit::AccountCreationPerIp, &ctx.ip).await)?
    {
        ctx.p.error = Some(n);
        ctx.p.step = Step::Identifier;
        return Ok(None);
    }
    let needs_password = ctx.p.req.acr == Acr::Password || !identifier.is_phone();
    match account {
        Some(_) if ctx.p.resetting => {
            state.store.set_identifier_verified(&identifier).await?;
            ctx.p.step = Step::SetPassword;
            Ok(None)
        }
        Some(account) => {
            state.store.set_identifier_verified(&identifier).await?;
            if needs_password {
                ctx.p.step = if account.has_password() {
                    Step::Password
                } else {
                    Step::SetPassword
                };
                Ok(None)
            } else {
                done(ctx, headers, &account.id, Acr::Phone, vec!["sms".into()]).await
            }
        }
        None if needs_password => {
            ctx.p.step = Step::SetPassword;
            Ok(None)
        }
        None => match find_or_create(state, &identifier, None).await {
            Ok(account) => done(ctx, headers, &account.id, Acr::Phone, vec!["sms".into()]).await,
            Err(StoreError::Conflict(_)) => {
                ctx.p.error = Some(Notice::new("err-conflict"));
                ctx.p.step = Step::Identifier;
                Ok(None)
            }
            Err(e) => Err(e),
        },
    }
}
