//! The code step: the one-time code sent by SMS or email.

use super::*;

pub(super) async fn on_code(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
    (identifier, account_id, purpose): (Identifier, Option<String>, CodeFor),
) -> StepResult {
    let state = ctx.state;
    let code = params.get("code").unwrap_or("");
    if let Err(refused) = check_code(state, "signin", &identifier, code, &ctx.ip).await? {
        if matches!(refused, codes::CodeRefused::Wrong) {
            audit(
                state,
                AuditKind::Code,
                account_id.as_deref(),
                Some(&ctx.client.client_id),
                "wrong_code",
            )
            .await;
        }
        ctx.p.error = Some(refused.notice());
        return Ok(None);
    }
    state.metrics.funnel(&ctx.client.client_id, Stage::Verified);
    let reset = match purpose {
        CodeFor::AddEmail(finished) => {
            return email_added(ctx, headers, identifier, finished).await;
        }
        CodeFor::Reset => true,
        CodeFor::SignIn => false,
    };
    let proof = Proof::of_code(&identifier);
    proven(ctx, headers, identifier, account_id, proof, reset).await
}

/// The identifier was proven (a code, or the operator's network for a number): on to what
/// the machine decides.
pub(super) async fn proven(
    ctx: &mut Ctx<'_>,
    headers: &HeaderMap,
    identifier: Identifier,
    account_id: Option<String>,
    proof: Proof,
    reset: bool,
) -> StepResult {
    let state = ctx.state;
    let account = match &account_id {
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
    if account
        .as_ref()
        .is_some_and(|a| !a.has_verified(&identifier))
    {
        state.store.set_identifier_verified(&identifier).await?;
    }
    let next = machine::code_verified(
        identifier,
        proof,
        reset,
        account.as_ref().map(Known::of),
        &ctx.policy(),
    );
    apply(ctx, headers, next).await
}

/// The code proved an email added for a service that requires one.
async fn email_added(
    ctx: &mut Ctx<'_>,
    headers: &HeaderMap,
    email: Identifier,
    finished: Finished,
) -> StepResult {
    let state = ctx.state;
    if let Some(other) = state.store.find_account(&email).await?
        && other.id != finished.account_id
    {
        ctx.p.step = Step::AddEmail { finished };
        ctx.p.error = Some(Notice::new("err-email-taken"));
        return Ok(None);
    }
    let Some(account) = state.store.get_account(&finished.account_id).await? else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let client_id = Some(ctx.client.client_id.as_str());
    crate::app::accounts::add_identifier(state, &account, &email, client_id, &ctx.p.locale).await?;
    // After an SSO hit the session stays as it was (auth_time is not renewed by adding an
    // email); after a real sign-in the session is made now.
    if let Some(auth) = finished.session {
        state
            .store
            .delete_interaction(&hash_secret(&ctx.id))
            .await?;
        let r = finish::complete(state, &ctx.client, &ctx.p.req, auth, None, headers).await?;
        return Ok(Some(r));
    }
    let signed_in = Done {
        account_id: finished.account_id,
        acr: finished.acr,
        amr: finished.amr,
    };
    done(ctx, headers, signed_in).await
}
