//! Pre-authenticated URLs (README, "From an app to its web pages"): a native app that holds a person's tokens
//! opens a web page of its publisher already signed in. It trades its access token at the
//! token endpoint (RFC 8693, `requested_token_type` [`TOKEN_TYPE`], `resource` the page to
//! open) for a URL of ours that works once, for a minute. Opening it asks "Continue as …?"
//! and, on that button, makes an SSO session in the browser and goes on to the page, where
//! the web app's ordinary sign-in is an SSO hit.
//!
//! The question is the defence against login CSRF: a URL made for an attacker's account and
//! sent to someone else signs nobody in without their click, and the click names the account.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::audit::AuditKind;
use connectid_core::crypto::{constant_time_eq, hash_secret, random_token};
use connectid_core::store::{ClientRecord, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::app::sessions;
use crate::cookies;
use crate::error::{OAuthError, PageError};
use crate::params::Params;
use crate::state::AppState;
use crate::token::{no_store, verify_bearer_token};

pub const TOKEN_TYPE: &str = "urn:connectid:params:oauth:token-type:pre-authenticated-url";
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// How long a URL waits to be opened.
const URL_TTL: i64 = 60;
const CSRF_COOKIE: &str = "cid_preauth";

#[derive(Serialize, Deserialize)]
struct Waiting {
    grant_id: String,
    client_name: String,
    target: String,
}

/// Where a URL may lead: a registered redirect or post-logout URI of the asking client or of
/// a client of the same publisher.
async fn allowed_target(
    state: &AppState,
    client: &ClientRecord,
    target: &str,
) -> Result<bool, StoreError> {
    let registered = |c: &ClientRecord| {
        c.metadata.has_redirect_uri(target) || c.metadata.has_post_logout_redirect_uri(target)
    };
    if registered(client) {
        return Ok(true);
    }
    let Some(publisher) = &client.metadata.publisher else {
        return Ok(false);
    };
    Ok(state
        .store
        .list_clients()
        .await?
        .iter()
        .any(|c| c.metadata.publisher.as_ref() == Some(publisher) && registered(c)))
}

/// The token exchange that makes a pre-authenticated URL from the app's own access token.
pub(crate) async fn exchange(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
) -> Result<Response, OAuthError> {
    let req = |d: &str| OAuthError::bad_request("invalid_request", d);
    if p.get("subject_token_type") != Some(ACCESS_TOKEN_TYPE) {
        return Err(req("a pre-authenticated URL is made from an access token"));
    }
    if p.has("actor_token") {
        return Err(req("no actor_token is used for a pre-authenticated URL"));
    }
    let token = p
        .get("subject_token")
        .ok_or_else(|| req("subject_token is missing"))?;
    let target = p
        .get("resource")
        .ok_or_else(|| req("resource (the page to open) is missing"))?;
    let bad_grant = |d: &str| OAuthError::bad_request("invalid_grant", d);
    let verified = verify_bearer_token(state, token)
        .await?
        .ok_or_else(|| bad_grant("the access token is invalid, expired or revoked"))?;
    let Some(grant) = verified.grant else {
        return Err(bad_grant("the access token is not a person's"));
    };
    if grant.client_id != client.client_id {
        return Err(bad_grant("the access token was issued to another client"));
    }
    if !allowed_target(state, client, target).await? {
        return Err(OAuthError::bad_request(
            "invalid_target",
            "resource must be a registered redirect or post-logout URI of this client or of \
             a client of its publisher",
        ));
    }
    let secret = random_token();
    let waiting = Waiting {
        grant_id: grant.id,
        client_name: client.display_name().to_string(),
        target: target.to_string(),
    };
    let json = serde_json::to_string(&waiting).map_err(|_| OAuthError::server())?;
    state
        .store
        .put_interaction(&key(&secret), &json, state.now() + URL_TTL)
        .await?;
    crate::audit::record(
        state,
        AuditKind::PreauthUrl,
        Some(&grant.account_id),
        Some(&client.client_id),
        "success",
        None,
    )
    .await;
    let url = format!("{}/preauth/{secret}", state.settings.issuer);
    Ok(no_store(json!({
        "access_token": url,
        "issued_token_type": TOKEN_TYPE,
        "token_type": "N_A",
        "expires_in": URL_TTL,
    })))
}

fn key(secret: &str) -> String {
    hash_secret(&format!("preauth:{secret}"))
}

/// The waiting URL and the person it signs in; `None` once used, expired or never made.
async fn load(
    state: &AppState,
    secret: &str,
) -> Result<Option<(Waiting, connectid_core::store::Grant, String)>, StoreError> {
    let Some(json) = state
        .store
        .get_interaction(&key(secret), state.now())
        .await?
    else {
        return Ok(None);
    };
    let Ok(w) = serde_json::from_str::<Waiting>(&json) else {
        return Ok(None);
    };
    let Some(grant) = state.store.get_grant(&w.grant_id).await? else {
        return Ok(None);
    };
    if grant.revoked_at.is_some() || grant.expires_at <= state.now() {
        return Ok(None);
    }
    let Some(account) = state.store.get_account(&grant.account_id).await? else {
        return Ok(None);
    };
    Ok(Some((w, grant, account.display_name())))
}

fn gone() -> PageError {
    PageError::new(StatusCode::GONE, "error-link-used")
}

/// `GET /preauth/{secret}`: "Continue as …?", with a CSRF cookie for the button.
pub async fn show(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, PageError> {
    let (w, _, shown) = load(&state, &secret).await?.ok_or_else(gone)?;
    let csrf = random_token();
    let mut r = state.pages.page(
        StatusCode::OK,
        "preauth.html",
        json!({"step": "preauth", "csrf": csrf, "identifier": shown, "service": w.client_name,
               "action": format!("/preauth/{secret}")}),
    );
    let c = cookies::set(CSRF_COOKIE, &csrf, None, state.settings.secure_cookies());
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `POST /preauth/{secret}`: the button. The URL is used up, a session made, and on to the page.
pub async fn confirm(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let p = Params::parse(&body);
    let form = p.get("csrf").unwrap_or("");
    let cookie = cookies::get(&headers, CSRF_COOKIE).unwrap_or_default();
    if p.duplicate.is_some()
        || form.is_empty()
        || !constant_time_eq(form.as_bytes(), cookie.as_bytes())
    {
        return Err(PageError::new(StatusCode::FORBIDDEN, "error-form-expired"));
    }
    let (w, grant, _) = load(&state, &secret).await?.ok_or_else(gone)?;
    state.store.delete_interaction(&key(&secret)).await?;
    let set_cookie = start_session(&state, &headers, &grant).await?;
    let mut r = StatusCode::SEE_OTHER.into_response();
    for v in [
        set_cookie,
        cookies::clear(CSRF_COOKIE, state.settings.secure_cookies()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&v) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&w.target) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// A browser session for the grant's person, as the app's sign-in left it: level, methods,
/// time, the "stay signed in" choice, and the grant's session id, so that the app's own
/// logout (which ends that `sid`) ends this session too. It lives no longer than the grant,
/// nor than the session it continues. Returns the cookie.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    grant: &connectid_core::store::Grant,
) -> Result<String, StoreError> {
    let mut not_after = grant.expires_at;
    if let Some(sid) = &grant.sid
        && let Some(live) = state
            .store
            .sessions_of_account(&grant.account_id, state.now())
            .await?
            .into_iter()
            .find(|s| &s.sid == sid)
    {
        not_after = not_after.min(live.expires_at);
    }
    let begin = sessions::Begin {
        account_id: &grant.account_id,
        acr: grant.acr,
        amr: grant.amr.clone(),
        auth_time: grant.auth_time,
        remember: !grant.td_sls,
        sid: grant.sid.clone(),
        not_after: Some(not_after),
    };
    let current = cookies::get(headers, cookies::SESSION);
    let begun = sessions::establish(state, current.as_deref(), begin).await?;
    crate::audit::record(
        state,
        AuditKind::Signin,
        Some(&grant.account_id),
        Some(&grant.client_id),
        "preauth_url",
        None,
    )
    .await;
    Ok(begun.cookie)
}
