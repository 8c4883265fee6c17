//! Single sign-on for sites under one parent domain (README, "Sites under one domain"):
//! with `[session] cookie_domain` the SSO cookie reaches every site under that domain, and
//! their reverse proxy asks `/resolve` about each request (nginx `auth_request`, Traefik
//! `forwardAuth`, Caddy `forward_auth`) and gets 200 with who is signed in, or 401.
//! `/resolve/signin?rd=<url>` is where the proxy sends a 401: the ordinary sign-in pages,
//! then back to that URL when it is under the cookie domain (never anywhere else).
//!
//! `/resolve` is asked once per proxied request, so it is one session read and one account
//! read, and refreshes a browser session's idle time at most once a minute.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::crypto::hash_secret;
use connectid_core::identifier::IdentifierKind;
use connectid_core::oidc::Acr;

use crate::cookies;
use crate::error::PageError;
use crate::state::AppState;

fn answer(status: StatusCode, headers: Vec<(&'static str, String)>) -> Response {
    let mut r = status.into_response();
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), v);
        }
    }
    r
}

/// `GET /resolve[?acr=2][&max_age=N]`: 200 with `X-Connectid-Sub`, `-Sid`, `-Acr`, `-Amr`,
/// `-Auth-Time` and the verified `-Phone` / `-Email`; 401 when nobody is signed in, or not
/// at `acr` or not within `max_age` seconds.
pub async fn resolve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let denied = || answer(StatusCode::UNAUTHORIZED, Vec::new());
    let want_acr = match q.get("acr").map(|a| a.parse::<Acr>()) {
        None => None,
        Some(Ok(a)) => Some(a),
        Some(Err(_)) => return answer(StatusCode::BAD_REQUEST, Vec::new()),
    };
    let max_age = match q.get("max_age").map(|m| m.parse::<i64>()) {
        None => None,
        Some(Ok(m)) if m >= 0 => Some(m),
        Some(_) => return answer(StatusCode::BAD_REQUEST, Vec::new()),
    };
    let Some(cookie) = cookies::get(&headers, cookies::SESSION) else {
        return denied();
    };
    let now = state.now();
    let session = match state.store.get_session(&hash_secret(&cookie), now).await {
        Ok(Some(s)) => s,
        Ok(None) => return denied(),
        Err(e) => {
            tracing::error!(error = %e, "resolve: session not readable");
            return answer(StatusCode::SERVICE_UNAVAILABLE, Vec::new());
        }
    };
    if want_acr.is_some_and(|a| session.acr < a)
        || max_age.is_some_and(|m| now - session.auth_time > m)
    {
        return denied();
    }
    let account = match state.store.get_account(&session.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return denied(),
        Err(e) => {
            tracing::error!(error = %e, "resolve: account not readable");
            return answer(StatusCode::SERVICE_UNAVAILABLE, Vec::new());
        }
    };
    if let Err(e) = crate::app::sessions::touch(&state, &session).await {
        tracing::warn!(error = %e, "resolve: idle time not refreshed");
    }
    let mut out = vec![
        ("x-connectid-sub", account.id.clone()),
        ("x-connectid-sid", session.sid.clone()),
        ("x-connectid-acr", session.acr.as_str().to_string()),
        (
            "x-connectid-amr",
            session
                .amr
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("x-connectid-auth-time", session.auth_time.to_string()),
    ];
    let verified = |kind: IdentifierKind| {
        account
            .identifiers
            .iter()
            .find(|i| i.verified && i.identifier.kind == kind)
            .map(|i| i.identifier.value.clone())
    };
    if let Some(p) = verified(IdentifierKind::Phone) {
        out.push(("x-connectid-phone", p));
    }
    if let Some(e) = verified(IdentifierKind::Email) {
        out.push(("x-connectid-email", e));
    }
    answer(StatusCode::OK, out)
}

/// `GET /resolve/signin?rd=<url>[&acr=2]`: sign in (or ride the session; with `acr=2` a
/// password is asked for), then on to `rd`.
pub async fn signin(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let rd = q.get("rd").map(String::as_str).unwrap_or("");
    if !state.settings.shares_cookie(rd) || rd.len() > 2048 {
        return Err(PageError::new(StatusCode::BAD_REQUEST, "error-bad-request"));
    }
    let acr = q
        .get("acr")
        .map(|a| a.parse::<Acr>())
        .transpose()
        .map_err(|_| PageError::bad_request("error-bad-request"))?;
    Ok(crate::account::sign_in_first(
        &state,
        rd,
        acr.filter(|a| *a > Acr::Phone),
    ))
}
