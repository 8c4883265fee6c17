//! The last steps: an email the service requires, consent, and the end of the sign-in.

use super::*;

/// Carries out what the machine decided (`machine.rs`).
pub(super) async fn apply(ctx: &mut Ctx<'_>, headers: &HeaderMap, next: Next) -> StepResult {
    match next {
        Next::Go(step) => ctx.p.step = step,
        Next::Tell(step, notice) => {
            ctx.p.step = step;
            ctx.p.error = Some(notice);
        }
        Next::Send { code, resend, or } => {
            // The operator's network may prove the number instead (CAMARA): no SMS then.
            if !resend && let Some(r) = camara::start(ctx, &code).await? {
                return Ok(Some(r));
            }
            let Some(identifier) = code.identifier().cloned() else {
                ctx.p.step = or;
                return Ok(None);
            };
            match send_code(ctx, &identifier, resend).await? {
                Ok(()) => ctx.p.step = code,
                Err(notice) => {
                    if notice.id == fraud::CHALLENGE_NOTICE {
                        ctx.p.challenge = Some(fraud::issue_challenge(ctx.state).await?);
                        // The page sends the form again by itself: with the number typed.
                        ctx.p.req.login_hint = Some(identifier.value.clone());
                    }
                    ctx.p.step = or;
                    ctx.p.error = Some(notice);
                }
            }
        }
        Next::Register(phone, proof) => match find_or_create(ctx.state, &phone, None).await {
            Ok(account) => {
                let signed_in = Done {
                    account_id: account.id,
                    acr: Acr::Phone,
                    amr: vec![proof.amr()],
                };
                return done(ctx, headers, signed_in).await;
            }
            Err(StoreError::Conflict(_)) => {
                ctx.p.error = Some(Notice::new("err-conflict"));
                ctx.p.step = Step::Identifier;
            }
            Err(e) => return Err(e.into()),
        },
        Next::Done(signed_in) => return done(ctx, headers, signed_in).await,
    }
    Ok(None)
}

/// Authenticated: the email the service requires first, else the browser session and the
/// answer to the service.
pub(super) async fn done(ctx: &mut Ctx<'_>, headers: &HeaderMap, signed_in: Done) -> StepResult {
    if ctx.client.metadata.require_email {
        let account = ctx.state.store.get_account(&signed_in.account_id).await?;
        if account.is_some_and(|a| !a.has_verified_email()) {
            let finished = Finished {
                account_id: signed_in.account_id,
                acr: signed_in.acr,
                amr: signed_in.amr,
                session: None,
            };
            ctx.p.step = Step::AddEmail { finished };
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
        signed_in,
        ctx.p.remember,
    )
    .await?;
    Ok(Some(r))
}

pub(super) async fn on_add_email(
    ctx: &mut Ctx<'_>,
    params: &Params,
    headers: &HeaderMap,
    finished: Finished,
) -> StepResult {
    let input = params.get("email").unwrap_or("");
    let email = match Identifier::parse(input, ctx.state.settings.default_phone_region) {
        Ok(i) if i.kind == IdentifierKind::Email => i,
        _ => {
            ctx.p.error = Some(Notice::new("err-identifier-email"));
            return Ok(None);
        }
    };
    if let Some(other) = ctx.state.store.find_account(&email).await?
        && other.id != finished.account_id
    {
        ctx.p.error = Some(Notice::new("err-email-taken"));
        return Ok(None);
    }
    let next = Next::Send {
        code: Step::Code {
            identifier: email,
            account_id: Some(finished.account_id.clone()),
            purpose: CodeFor::AddEmail(finished.clone()),
        },
        resend: false,
        or: Step::AddEmail { finished },
    };
    apply(ctx, headers, next).await
}

pub(super) async fn on_consent(
    ctx: &mut Ctx<'_>,
    params: &Params,
    auth: Authenticated,
) -> StepResult {
    let state = ctx.state;
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
                AuditKind::Consent,
                Some(&auth.account_id),
                Some(&ctx.client.client_id),
                "allow",
            )
            .await;
            Ok(Some(finish::issue(state, &ctx.p.req, auth, None).await?))
        }
        _ => {
            audit(
                state,
                AuditKind::Consent,
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
