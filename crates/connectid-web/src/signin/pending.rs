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
) -> Response {
    let id = random_token();
    let data = match serde_json::to_string(p) {
        Ok(d) => d,
        Err(e) => return page_store_error(state, StoreError::Corrupt(e.to_string())),
    };
    if let Err(e) = state
        .store
        .put_interaction(&hash_secret(&id), &data, state.now() + PENDING_TTL)
        .await
    {
        return page_store_error(state, e);
    }
    let cookies: Vec<String> = extra_cookie.into_iter().chain(browser_cookie).collect();
    redirect_to(&format!("/signin/{id}"), &cookies)
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
        identifier: None,
        account_id: None,
        lock: None,
        remember: client.metadata.stay_signed_in().default,
        verified: false,
        locale,
        error: None,
        strength: None,
        after: None,
        resetting: false,
        network: false,
        auth: None,
    };
    (p, new_cookie)
}

pub(super) async fn load(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<(Pending, ClientRecord), Response> {
    let expired = || error_page(state, StatusCode::BAD_REQUEST, "error-signin-expired");
    if id.len() > 64 {
        return Err(expired());
    }
    let data = match state
        .store
        .get_interaction(&hash_secret(id), state.now())
        .await
    {
        Ok(Some(d)) => d,
        Ok(None) => return Err(expired()),
        Err(e) => return Err(page_store_error(state, e)),
    };
    let p: Pending = serde_json::from_str(&data).map_err(|_| expired())?;
    let browser = cookies::get(headers, cookies::BROWSER).unwrap_or_default();
    if !constant_time_eq(hash_secret(&browser).as_bytes(), p.browser.as_bytes()) {
        return Err(error_page(
            state,
            StatusCode::BAD_REQUEST,
            "error-other-browser",
        ));
    }
    let client = match state.store.get_client(&p.req.client_id).await {
        Ok(Some(c)) => c,
        Ok(None) => return Err(expired()),
        Err(e) => return Err(page_store_error(state, e)),
    };
    Ok((p, client))
}

/// Saves the pending state and shows its current step (POST-redirect-GET).
pub(super) async fn save_and_show(ctx: Ctx<'_>) -> Response {
    let data = match serde_json::to_string(&ctx.p) {
        Ok(d) => d,
        Err(e) => return page_store_error(ctx.state, StoreError::Corrupt(e.to_string())),
    };
    if let Err(e) = ctx
        .state
        .store
        .put_interaction(&hash_secret(&ctx.id), &data, ctx.state.now() + PENDING_TTL)
        .await
    {
        return page_store_error(ctx.state, e);
    }
    if ctx.p.error.is_some() {
        // Errors are shown at once (with status 400) so that a reload does not repeat them.
        let r = render(&ctx);
        let mut p = ctx.p.clone();
        p.error = None;
        if let Ok(d) = serde_json::to_string(&p) {
            let _ = ctx
                .state
                .store
                .put_interaction(&hash_secret(&ctx.id), &d, ctx.state.now() + PENDING_TTL)
                .await;
        }
        return r;
    }
    redirect_to(&format!("/signin/{}", ctx.id), &[])
}

pub(super) async fn checked(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Pending, ClientRecord, Params), Response> {
    let (p, client) = load(state, id, headers).await?;
    let params = Params::parse(body);
    let token = params.get("csrf").unwrap_or("");
    if !constant_time_eq(token.as_bytes(), p.csrf.as_bytes()) {
        return Err(error_page(
            state,
            StatusCode::FORBIDDEN,
            "error-form-expired",
        ));
    }
    // Our forms never send a field twice; a request that does was made by something else,
    // and guessing which value it meant is how parameter pollution works.
    if params.duplicate.is_some() {
        return Err(error_page(
            state,
            StatusCode::BAD_REQUEST,
            "The form was sent with a field more than once. Go back and try again.",
        ));
    }
    Ok((p, client, params))
}
