//! The token endpoint and what it shares with revocation and introspection: client
//! authentication, and the making and checking of tokens.

use axum::Json;
use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use connectid_core::account::Account;
use connectid_core::client::{GrantType, TokenEndpointAuthMethod};
use connectid_core::crypto::{constant_time_eq, hash_secret, pkce_s256, random_id, random_token};
use connectid_core::keys::{KeySet, alg_of, at_hash, parse_jws, verify_with_jwk};
use connectid_core::oidc::{ClaimsRequest, Scope};
use connectid_core::ratelimit::{Decision, Limit};
use connectid_core::store::{ClientRecord, CodeUse, Grant, RefreshUse};
use serde_json::{Map, Value, json};

mod access;
mod client_auth;
pub mod client_jwks;
mod grants;
mod issue;
mod native_sso;
pub use access::*;
pub use client_auth::*;
use grants::*;
pub use issue::*;

use crate::error::OAuthError;
use crate::finish::GRANT_TTL;
use crate::params::Params;
use crate::state::AppState;

pub const ACCESS_TOKEN_TTL: i64 = 3600;
pub const ID_TOKEN_TTL: i64 = 3600;
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub(crate) fn no_store(v: Value) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

pub async fn token(
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
    if let Some(dup) = &p.duplicate {
        return Err(OAuthError::bad_request(
            "invalid_request",
            format!("{dup} appears more than once"),
        ));
    }
    let client = authenticate_client(state, headers, &p, ip).await?;
    let grant_type = grant_type(&p)?;
    if !client.metadata.grant_types.contains(&grant_type) {
        return Err(OAuthError::bad_request(
            "unauthorized_client",
            "this client may not use this grant type",
        ));
    }
    let proof = crate::dpop::at_token_endpoint(state, headers, &client).await?;
    let jkt = proof.as_ref().map(|p| p.jkt.as_str());
    let answer = match grant_type {
        GrantType::AuthorizationCode => authorization_code(state, &client, &p, jkt).await,
        GrantType::RefreshToken => refresh(state, &client, &p, jkt).await,
        GrantType::ClientCredentials => client_credentials(state, &client, &p, jkt),
        GrantType::TokenExchange
            if p.get("requested_token_type") == Some(crate::preauth::TOKEN_TYPE) =>
        {
            crate::preauth::exchange(state, &client, &p).await
        }
        GrantType::TokenExchange => native_sso::exchange(state, &client, &p, jkt).await,
    };
    match answer {
        Ok(r) => {
            state.metrics.token_issued(grant_type);
            Ok(crate::dpop::with_nonce(state, r))
        }
        Err(e) if proof.is_some() => Err(e.with_dpop_nonce(crate::dpop::fresh_nonce(state))),
        Err(e) => Err(e),
    }
}

pub(crate) fn grant_type(p: &Params) -> Result<GrantType, OAuthError> {
    let grant_type = p
        .get("grant_type")
        .ok_or_else(|| OAuthError::bad_request("invalid_request", "grant_type is missing"))?;
    serde_json::from_value(json!(grant_type)).map_err(|_| {
        OAuthError::bad_request("unsupported_grant_type", "this grant type is not supported")
    })
}

fn invalid_grant(d: impl Into<String>) -> OAuthError {
    OAuthError::bad_request("invalid_grant", d)
}

async fn live_grant(state: &AppState, id: &str) -> Result<Grant, OAuthError> {
    let grant = state
        .store
        .get_grant(id)
        .await?
        .ok_or_else(|| invalid_grant("the grant no longer exists"))?;
    if grant.revoked_at.is_some() || grant.expires_at <= state.now() {
        return Err(invalid_grant("the grant was revoked or has expired"));
    }
    Ok(grant)
}
