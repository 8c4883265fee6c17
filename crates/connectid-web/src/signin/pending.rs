//! The pending sign-in: kept on the server under a random id, bound to the browser by the
//! `cid_browser` cookie, every form checked against its CSRF token.

use super::*;

pub(super) fn browser_cookie(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    match cookies::get(headers, cookies::BROWSER) {
        Some(v) => (v, None),
        None => {
            let v = random_token();
            let c = cookies::set(cookies::BROWSER, &v, None, state.settings.secure_cookies());
            (v, Some(c))
        }
    }
}

pub(super) async fn save_new(
    state: &AppState,
    p: &Pending,
    extra_cookie: Option<String>,
    browser_cookie: Option<String>,
) -> Result<Response, PageError> {
    let id = random_token();
    put(state, &id, p).await?;
    let cookies: Vec<String> = extra_cookie.into_iter().chain(browser_cookie).collect();
    Ok(redirect_to(&format!("/signin/{id}"), &cookies))
}

/// Stores the pending sign-in under `id` for [`PENDING_TTL`] more seconds.
pub(super) async fn put(state: &AppState, id: &str, p: &Pending) -> Result<(), StoreError> {
    let data = serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    state
        .store
        .put_interaction(&hash_secret(id), &data, state.now() + PENDING_TTL)
        .await
}

/// A new pending sign-in at the identifier step, bound to this browser (with the cookie that
/// binds it when the browser has none yet), in the language the request asks for.
pub(super) fn fresh(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    headers: &HeaderMap,
) -> (Pending, Option<String>) {
    let (browser, new_cookie) = browser_cookie(state, headers);
    let locale = page_locale(client, &req, headers);
    let p = Pending {
        req,
        browser: hash_secret(&browser),
        csrf: random_token(),
        step: Step::Identifier,
        lock: None,
        remember: client.metadata.stay_signed_in().default,
        locale,
        error: None,
        challenge: None,
        camara: None,
    };
    (p, new_cookie)
}

pub(super) async fn load(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<(Pending, ClientRecord), PageError> {
    let expired = || PageError::bad_request("error-signin-expired");
    if id.len() > 64 {
        return Err(expired());
    }
    let data = state
        .store
        .get_interaction(&hash_secret(id), state.now())
        .await?
        .ok_or_else(expired)?;
    let p: Pending = serde_json::from_str(&data).map_err(|_| expired())?;
    let browser = cookies::get(headers, cookies::BROWSER).unwrap_or_default();
    if !constant_time_eq(hash_secret(&browser).as_bytes(), p.browser.as_bytes()) {
        return Err(PageError::bad_request("error-other-browser"));
    }
    let client = state
        .store
        .get_client(&p.req.client_id)
        .await?
        .ok_or_else(expired)?;
    Ok((p, client))
}

/// Saves the pending state and shows its current step (POST-redirect-GET).
pub(super) async fn save_and_show(ctx: Ctx<'_>) -> Result<Response, PageError> {
    if ctx.p.error.is_some() {
        // Errors are shown at once (with status 400) so that a reload does not repeat them.
        let r = render(&ctx);
        let mut p = ctx.p.clone();
        p.error = None;
        put(ctx.state, &ctx.id, &p).await?;
        return Ok(r);
    }
    put(ctx.state, &ctx.id, &ctx.p).await?;
    Ok(redirect_to(&format!("/signin/{}", ctx.id), &[]))
}

pub(super) async fn checked(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Pending, ClientRecord, Params), PageError> {
    let (p, client) = load(state, id, headers).await?;
    let params = Params::parse(body);
    let token = params.get("csrf").unwrap_or("");
    if !constant_time_eq(token.as_bytes(), p.csrf.as_bytes()) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "error-form-expired"));
    }
    // Our forms never send a field twice; a request that does was made by something else,
    // and guessing which value it meant is how parameter pollution works.
    if params.duplicate.is_some() {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "The form was sent with a field more than once. Go back and try again.",
        ));
    }
    Ok((p, client, params))
}
