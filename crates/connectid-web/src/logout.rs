//! Logout: RP-initiated logout (GET and POST) for browsers, and POST with a bearer access
//! token for native apps. Ends the SSO session, revokes what it issued, and tells the clients
//! that registered for back-channel logout.

pub mod backchannel;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::audit::AuditKind;
use connectid_core::crypto::{constant_time_eq, hash_secret, random_token};
use serde_json::{Map, Value, json};

use self::backchannel::{EndReason, session_ended};
use crate::cookies;
use crate::error::{OAuthError, PageError};
use crate::params::Params;
use crate::state::AppState;
use crate::token::verify_bearer_token;
use crate::userinfo::bearer;

const CSRF_COOKIE: &str = "cid_logout";

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    handle(
        &state,
        &headers,
        Params::parse(q.unwrap_or_default().as_bytes()),
        false,
    )
    .await
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(token) = bearer(&headers) {
        return native(&state, &token).await.into_response();
    }
    handle(&state, &headers, Params::parse(&body), true)
        .await
        .into_response()
}

/// A native app signs the person out with its access token.
async fn native(state: &AppState, token: &str) -> Result<Response, OAuthError> {
    let now = state.now();
    let Some(v) = verify_bearer_token(state, token).await? else {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the access token is invalid, expired or revoked",
        ));
    };
    if let Some(g) = &v.grant {
        state.store.revoke_grant(&g.id, now).await?;
        if let Some(sid) = &g.sid {
            state.store.delete_session_by_sid(sid).await?;
            session_ended(state, sid, &g.account_id, EndReason::Bearer).await?;
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn handle(
    state: &AppState,
    headers: &HeaderMap,
    p: Params,
    is_post: bool,
) -> Result<Response, PageError> {
    let bad = |detail: &str| Err(PageError::malformed("error-bad-request", detail));
    if let Some(dup) = &p.duplicate {
        return bad(&format!("The parameter \"{dup}\" appears more than once."));
    }
    // id_token_hint: one of our ID tokens, expired or not.
    let hint = match p.get("id_token_hint") {
        Some(t) => match state.keyset().verify(t) {
            Some(jws)
                if jws.claims.get("iss").and_then(Value::as_str)
                    == Some(&state.settings.issuer) =>
            {
                Some(jws.claims)
            }
            _ => return bad("The id_token_hint is not a valid ID token from this server."),
        },
        None => None,
    };
    let hint_client = hint.as_ref().and_then(|c| match c.get("aud") {
        Some(Value::String(a)) => Some(a.clone()),
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    });
    let client_id = match (p.get("client_id"), hint_client) {
        (Some(a), Some(b)) if a != b => {
            return bad("client_id does not match the id_token_hint.");
        }
        (Some(a), _) => Some(a.to_string()),
        (None, b) => b,
    };
    let mut redirect = None;
    if let Some(uri) = p.get("post_logout_redirect_uri") {
        let Some(client_id) = &client_id else {
            return bad("post_logout_redirect_uri needs client_id or id_token_hint.");
        };
        let Some(client) = state.store.get_client(client_id).await? else {
            return bad("This service is not registered.");
        };
        if !client.metadata.has_post_logout_redirect_uri(uri) {
            return bad("The post_logout_redirect_uri is not registered for this service.");
        }
        redirect = Some(uri.to_string());
    }
    // Without proof that the request comes from the person's own service, ask first, so a
    // third-party page cannot sign people out. An ID token is that proof only when it was
    // issued in this browser's session (its `sub` and `sid`): anyone has an ID token of
    // their own to put in a link.
    let confirmed = is_post && {
        let form = p.get("csrf").unwrap_or("");
        let cookie = cookies::get(headers, CSRF_COOKIE).unwrap_or_default();
        !form.is_empty() && constant_time_eq(form.as_bytes(), cookie.as_bytes())
    };
    let cookie_hash = cookies::get(headers, cookies::SESSION).map(|c| hash_secret(&c));
    let session = match &cookie_hash {
        Some(h) => state.store.get_session(h, state.now()).await?,
        None => None,
    };
    let hint_is_this_session = match (&hint, &session) {
        (Some(claims), Some(s)) => {
            claims.get("sub").and_then(Value::as_str) == Some(s.account_id.as_str())
                && claims.get("sid").and_then(Value::as_str) == Some(s.sid.as_str())
        }
        // Nothing to sign out: a hint is enough to go back to the service.
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !hint_is_this_session && !confirmed {
        let csrf = random_token();
        let mut carry = Map::new();
        for k in ["post_logout_redirect_uri", "state", "ui_locales"] {
            if let Some(v) = p.get(k) {
                carry.insert(k.into(), json!(v));
            }
        }
        // The client named by the hint, so the confirmed logout can still go back to it.
        if let Some(id) = &client_id {
            carry.insert("client_id".into(), json!(id));
        }
        let mut r = state.pages.page(
            StatusCode::OK,
            "logout.html",
            json!({"step": "logout", "csrf": csrf, "carry": carry}),
        );
        let c = cookies::set(CSRF_COOKIE, &csrf, None, state.settings.secure_cookies());
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
        return Ok(r);
    }
    if let Some(h) = &cookie_hash
        && let Some(s) = state.store.delete_session(h).await?
    {
        session_ended(state, &s.sid, &s.account_id, EndReason::RpInitiated).await?;
        crate::audit::record(
            state,
            AuditKind::Logout,
            Some(&s.account_id),
            client_id.as_deref(),
            "success",
            None,
        )
        .await;
    }
    let secure = state.settings.secure_cookies();
    let mut r = match redirect {
        Some(uri) => {
            let mut location = uri;
            if let Some(s) = p.get("state") {
                let sep = if location.contains('?') { '&' } else { '?' };
                let enc: String = form_urlencoded::byte_serialize(s.as_bytes()).collect();
                location = format!("{location}{sep}state={enc}");
            }
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        None => state.pages.page(
            StatusCode::OK,
            "signed_out.html",
            json!({"step": "signed-out"}),
        ),
    };
    for c in [
        cookies::clear_session(&state.settings),
        cookies::clear(CSRF_COOKIE, secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(r)
}
