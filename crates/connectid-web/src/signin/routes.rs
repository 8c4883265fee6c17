//! The HTTP handlers of the sign-in pages: a step's form, "Not you?", "Send a new code",
//! "Forgot your password?" and the live strength meter.

use super::*;

/// The checked form (see `pending::checked`) of the pending sign-in `id`, with what a step
/// needs to act on it.
async fn context<'a>(
    state: &'a AppState,
    peer: SocketAddr,
    id: String,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Ctx<'a>, Params), PageError> {
    let (p, client, params) = checked(state, &id, headers, body).await?;
    let ip = ip_of(state, peer, headers);
    let ctx = Ctx {
        state,
        client,
        id,
        p,
        ip,
        altcha: params.get("altcha").map(str::to_string),
    };
    Ok((ctx, params))
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (mut ctx, params) = context(&state, peer, id, &headers, &body).await?;
    ctx.p.error = None;
    ctx.p.challenge = None;
    if ctx.client.metadata.stay_signed_in().visible
        && ctx.p.lock.is_none()
        && matches!(
            ctx.p.step.page(),
            Page::Identifier | Page::Password | Page::Code
        )
    {
        ctx.p.remember = params.get("remember") == Some("true");
    }
    let h = &headers;
    let result = match ctx.p.step.clone() {
        Step::Identifier => on_identifier(&mut ctx, &params, h).await,
        Step::Password {
            identifier,
            account_id,
            proof,
        } => on_password(&mut ctx, &params, h, (identifier, account_id, proof)).await,
        Step::Code {
            identifier,
            account_id,
            purpose,
        } => on_code(&mut ctx, &params, h, (identifier, account_id, purpose)).await,
        Step::SetPassword {
            identifier, proof, ..
        } => on_set_password(&mut ctx, &params, h, (identifier, proof)).await,
        Step::AddEmail { finished } => on_add_email(&mut ctx, &params, h, finished).await,
        Step::Consent { auth } => on_consent(&mut ctx, &params, auth).await,
    };
    match result? {
        Some(done) => Ok(done),
        None => save_and_show(ctx).await,
    }
}

/// "Not you?": back to the identifier step, for any account.
pub(crate) async fn restart(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (mut p, client, _) = checked(&state, &id, &headers, &body).await?;
    p.step = Step::Identifier;
    p.lock = None;
    p.req.login_hint = None;
    save_and_show(Ctx {
        state: &state,
        client,
        id,
        p,
        ip: String::new(),
        altcha: None,
    })
    .await
}

pub(crate) async fn resend(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (mut ctx, _) = context(&state, peer, id, &headers, &body).await?;
    if let Step::Code { identifier, .. } = &ctx.p.step {
        let identifier = identifier.clone();
        match send_code(&ctx, &identifier, true).await? {
            Ok(()) => {}
            Err(msg) => ctx.p.error = Some(msg),
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
) -> Result<Response, PageError> {
    let (mut ctx, _) = context(&state, peer, id, &headers, &body).await?;
    if let Some(next) = machine::forgot(&ctx.p.step, &ctx.policy())
        && let Some(r) = apply(&mut ctx, &headers, next).await?
    {
        return Ok(r);
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
) -> Result<Response, PageError> {
    let (p, _, params) = checked(&state, &id, &headers, &body).await?;
    let Step::SetPassword { identifier, .. } = &p.step else {
        return Ok(StatusCode::CONFLICT.into_response());
    };
    let password = params.get("new_password").unwrap_or("");
    if password.len() > MAX_BYTES {
        return Ok(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    }
    let score = password::strength(password, &[identifier.value.as_str()])
        .score
        .min(4);
    let t = &state.pages.translations;
    let mut r = axum::Json(json!({
        "score": score,
        "text": t.format(&p.locale, "strength-label", &[]),
        "label": t.format(&p.locale, &format!("strength-{score}"), &[]),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}
