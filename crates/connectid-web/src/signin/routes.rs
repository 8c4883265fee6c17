//! The HTTP handlers of the sign-in pages: a step's form, "Not you?", "Send a new code",
//! "Forgot your password?" and the live strength meter.

use super::*;

pub(crate) async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, client, params) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
    };
    ctx.p.error = None;
    if ctx.client.metadata.stay_signed_in().visible
        && ctx.p.lock.is_none()
        && matches!(ctx.p.step, Step::Identifier | Step::Password | Step::Code)
    {
        ctx.p.remember = params.get("remember") == Some("true");
    }
    let result = match ctx.p.step {
        Step::Identifier => on_identifier(&mut ctx, &params).await,
        Step::Password => on_password(&mut ctx, &params, &headers).await,
        Step::Code => on_code(&mut ctx, &params, &headers).await,
        Step::SetPassword => on_set_password(&mut ctx, &params, &headers).await,
        Step::AddEmail => on_add_email(&mut ctx, &params).await,
        Step::Consent => on_consent(&mut ctx, &params).await,
    };
    match result {
        Ok(Some(done)) => done,
        Ok(None) => save_and_show(ctx).await,
        Err(e) => page_store_error(&state, e),
    }
}

/// "Not you?": back to the identifier step, for any account.
pub(crate) async fn restart(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (mut p, client, _) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    p.step = Step::Identifier;
    p.identifier = None;
    p.account_id = None;
    p.lock = None;
    p.verified = false;
    p.after = None;
    p.auth = None;
    p.resetting = false;
    p.network = false;
    p.req.login_hint = None;
    save_and_show(Ctx {
        state: &state,
        client,
        id,
        p,
        ip: String::new(),
    })
    .await
}

pub(crate) async fn resend(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, client, _) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
    };
    if ctx.p.step == Step::Code
        && let Some(identifier) = ctx.p.identifier.clone()
    {
        match send_code(&ctx, &identifier, true).await {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => ctx.p.error = Some(msg),
            Err(e) => return page_store_error(&state, e),
        }
    }
    save_and_show(ctx).await
}

/// "Forgot your password?" on the password step: a code to the identifier, then a new
/// password. The same limits as any code apply; the answer does not depend on whether the
/// account has a password (the password step is shown only when it has one anyway).
pub(crate) async fn forgot(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, client, _) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
    };
    if ctx.p.step == Step::Password
        && let Some(identifier) = ctx.p.identifier.clone()
    {
        if identifier.is_phone() && ctx.client.metadata.sms_pin == SmsPin::Disallow {
            ctx.p.error = Some(Notice::new("err-no-sms"));
        } else {
            match send_code(&ctx, &identifier, true).await {
                Ok(Ok(())) => {
                    ctx.p.step = Step::Code;
                    ctx.p.verified = false;
                    ctx.p.resetting = true;
                }
                Ok(Err(n)) => ctx.p.error = Some(n),
                Err(e) => return page_store_error(&state, e),
            }
        }
    }
    save_and_show(ctx).await
}

/// The strength meter's live score (set-password page, with JavaScript). Same checks as a
/// submit: the pending sign-in, its browser and its CSRF token.
pub(crate) async fn strength(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, _, params) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if p.step != Step::SetPassword {
        return StatusCode::CONFLICT.into_response();
    }
    let password = params.get("new_password").unwrap_or("");
    if password.len() > MAX_BYTES {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let inputs: Vec<&str> = p.identifier.iter().map(|i| i.value.as_str()).collect();
    let score = password::strength(password, &inputs).score.min(4);
    let t = &state.pages.translations;
    let mut r = axum::Json(json!({
        "score": score,
        "text": t.format(&p.locale, "strength-label", &[]),
        "label": t.format(&p.locale, &format!("strength-{score}"), &[]),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
