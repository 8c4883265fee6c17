//! The last steps: an email the service requires, consent, and the end of the sign-in.

use super::*;

pub(super) async fn done(
    ctx: &mut Ctx<'_>,
    headers: &HeaderMap,
    account_id: &str,
    acr: Acr,
    amr: Vec<String>,
) -> StepResult {
    if ctx.client.metadata.require_email {
        let account = ctx.state.store.get_account(account_id).await?;
        if account.is_some_and(|a| !a.has_verified_email()) {
            ctx.p.after = Some(Finished {
                account_id: account_id.to_string(),
                acr,
                amr,
            });
            ctx.p.step = Step::AddEmail;
            ctx.p.identifier = None;
            return Ok(None);
        }
    }
    ctx.state
        .store
        .delete_interaction(&hash_secret(&ctx.id))
        .await?;
    let r = establish(
        ctx.state,
        &ctx.client,
        &ctx.p.req,
        headers,
        account_id,
        acr,
        amr,
        ctx.p.remember,
    )
    .await;
    Ok(Some(r))
}

pub(super) async fn on_add_email(ctx: &mut Ctx<'_>, params: &Params) -> StepResult {
    let Some(after) = ctx.p.after.clone() else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let input = params.get("email").unwrap_or("");
    let email = match Identifier::parse(input, ctx.state.settings.default_phone_region) {
        Ok(i) if i.kind == IdentifierKind::Email => i,
        _ => {
            ctx.p.error = Some(Notice::new("err-identifier-email"));
            return Ok(None);
        }
    };
    if let Some(other) = ctx.state.store.find_account(&email).await?
        && other.id != after.account_id
    {
        ctx.p.error = Some(Notice::new("err-email-taken"));
        return Ok(None);
    }
    match send_code(ctx, &email, false).await? {
        Ok(()) => {
            ctx.p.identifier = Some(email);
            ctx.p.step = Step::Code;
        }
        Err(n) => ctx.p.error = Some(n),
    }
    Ok(None)
}

pub(super) async fn on_consent(ctx: &mut Ctx<'_>, params: &Params) -> StepResult {
    let state = ctx.state;
    let Some(auth) = ctx.p.auth.clone() else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    state
        .store
        .delete_interaction(&hash_secret(&ctx.id))
        .await?;
    match params.get("decision") {
        Some("allow") => {
            state
                .store
                .put_consent(
                    &auth.account_id,
                    &ctx.client.client_id,
                    &ctx.p.req.scope,
                    state.now(),
                )
                .await?;
            audit(
                state,
                "consent",
                Some(&auth.account_id),
                Some(&ctx.client.client_id),
                "allow",
            )
            .await;
            Ok(Some(finish::issue(state, &ctx.p.req, auth, None).await))
        }
        _ => {
            audit(
                state,
                "consent",
                Some(&auth.account_id),
                Some(&ctx.client.client_id),
                "deny",
            )
            .await;
            let t = finish::target(&ctx.p.req);
            Ok(Some(with_cookie(
                redirect_error(state, &t, "access_denied", "the person denied access"),
                None,
            )))
        }
    }
}
