//! Pushed authorization requests (RFC 9126): the client sends its authorization request to
//! `/par` over the back channel, authenticated as at the token endpoint, and gets a
//! `request_uri` that lives 60 seconds and works once; the browser then carries only
//! `client_id` and `request_uri` to `/authorize`. The request is checked here as `/authorize`
//! checks it, so a client learns of a mistake from `/par`'s answer, not from a person's
//! browser; and nothing of it can be read or changed on the way.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use connectid_core::crypto::{hash_secret, random_token};
use connectid_core::oidc::ResponseMode;
use serde_json::json;

use crate::authorize::parse_request;
use crate::dpop::{self, At};
use crate::error::OAuthError;
use crate::params::Params;
use crate::state::AppState;
use crate::token::{authenticate_client, no_store};

/// How long a `request_uri` may be used (RFC 9126 §2.2 suggests 5 to 600 seconds).
pub const REQUEST_URI_TTL: i64 = 60;
pub const PREFIX: &str = "urn:ietf:params:oauth:request_uri:";
/// What is never kept with a pushed request: the client's credentials.
const CREDENTIALS: [&str; 3] = ["client_secret", "client_assertion", "client_assertion_type"];
/// Marks a kept request that came as a signed request object.
const SIGNED: &str = "signed\n";

fn key(request_uri: &str) -> String {
    hash_secret(&format!("par:{request_uri}"))
}

/// `POST /par`: 201 with `request_uri` and `expires_in`, or the OAuth error.
pub async fn push(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ip = crate::signin::ip_of(&state, peer, &headers);
    match handle(&state, &headers, Params::parse(&body), &ip).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle(
    state: &AppState,
    headers: &HeaderMap,
    p: Params,
    ip: &str,
) -> Result<Response, OAuthError> {
    let bad = |d: &str| OAuthError::bad_request("invalid_request", d.to_string());
    if let Some(dup) = &p.duplicate {
        return Err(bad(&format!("{dup} appears more than once")));
    }
    let client = authenticate_client(state, headers, &p, ip).await?;
    if p.get("client_id").is_some_and(|id| id != client.client_id) {
        return Err(bad("client_id is not the authenticated client"));
    }
    if p.has("request_uri") {
        return Err(bad("a pushed request must not contain request_uri"));
    }
    // A DPoP proof here binds the code to its key (RFC 9449 §10.1), as `dpop_jkt` would. It is
    // checked before the request object is used up, so that a retry with the server's nonce
    // can send the same object again.
    let proof = dpop::proof(state, headers, "POST", "/par", None, At::TokenEndpoint).await?;
    // A request object inside: its parameters are the request (RFC 9101 §6.3).
    let (p, signed) = match p.get("request") {
        Some(jwt) => {
            let inner = crate::authorize::request_object::open(state, &client, jwt)
                .await
                .map_err(|why| OAuthError::bad_request("invalid_request_object", why))?;
            (inner, true)
        }
        None => (p, false),
    };
    let redirect_uri = p
        .get("redirect_uri")
        .ok_or_else(|| bad("redirect_uri is missing"))?;
    if !client.metadata.has_redirect_uri(redirect_uri) {
        return Err(bad("the redirect_uri is not registered for this client"));
    }
    let mode = match p.get("response_mode") {
        None => ResponseMode::Query,
        Some(m) => m.parse().map_err(|()| bad("unsupported response_mode"))?,
    };
    let region = state.settings.default_phone_region;
    parse_request(&client, &p, redirect_uri, mode, region)
        .map_err(|(code, desc)| OAuthError::bad_request(code, desc))?;
    let jkt = match (proof.map(|p| p.jkt), p.get("dpop_jkt")) {
        (Some(k), Some(asked)) if k != asked => {
            return Err(dpop::invalid(
                At::TokenEndpoint,
                "dpop_jkt is not the thumbprint of the DPoP proof's key",
            ));
        }
        (k, asked) => k.or(asked.map(str::to_string)),
    };
    let request_uri = format!("{PREFIX}{}", random_token());
    let mut kept = p.encode_without(&[&CREDENTIALS[..], &["dpop_jkt"]].concat());
    if let Some(jkt) = jkt {
        kept.push_str(&format!("&dpop_jkt={jkt}"));
    }
    if !p.has("client_id") {
        kept.push_str(&format!("&client_id={}", client.client_id));
    }
    if signed {
        kept.insert_str(0, SIGNED);
    }
    state
        .store
        .put_interaction(&key(&request_uri), &kept, state.now() + REQUEST_URI_TTL)
        .await?;
    let mut r = no_store(json!({ "request_uri": request_uri, "expires_in": REQUEST_URI_TTL }));
    *r.status_mut() = StatusCode::CREATED;
    Ok(r.into_response())
}

/// The pushed request a `request_uri` stands for, used up, and whether it came as a signed
/// request object; `None` when it is unknown, used, expired, or another client's.
pub async fn take(
    state: &AppState,
    client_id: &str,
    request_uri: &str,
) -> Result<Option<(Params, bool)>, connectid_core::store::StoreError> {
    if !request_uri.starts_with(PREFIX) || request_uri.len() > 200 {
        return Ok(None);
    }
    let Some(kept) = state
        .store
        .take_interaction(&key(request_uri), state.now())
        .await?
    else {
        return Ok(None);
    };
    let (form, signed) = match kept.strip_prefix(SIGNED) {
        Some(form) => (form, true),
        None => (kept.as_str(), false),
    };
    let p = Params::parse(form.as_bytes());
    Ok((p.get("client_id") == Some(client_id)).then_some((p, signed)))
}
