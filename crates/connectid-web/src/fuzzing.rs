//! Entry points for the fuzz targets in `fuzz/`: the code that reads untrusted requests, run
//! without a server or a store around it. Not an API: nothing in connectid calls these.
//!
//! Each function follows its endpoint's order of checks up to the first store lookup, and
//! reports an invariant that does not hold as `Err(String)` so the target can fail on it.

use axum::http::{HeaderMap, HeaderValue, header};
use connectid_core::client::TokenEndpointAuthMethod;
use connectid_core::oidc::ResponseMode;
use connectid_core::store::ClientRecord;

use crate::authorize::{AuthRequest, parse_request};
use crate::params::Params;
use crate::token::{grant_type, presented_credentials};

/// What the endpoint would answer: go on, or an OAuth error code.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Refused(&'static str),
}

/// `/authorize` with `raw` as its query string (or form body), for `client`.
pub fn authorization_request(client: &ClientRecord, raw: &[u8]) -> Result<Outcome, String> {
    let p = Params::parse(raw);
    if p.duplicate.is_some() {
        return Ok(Outcome::Refused("invalid_request"));
    }
    if p.get("client_id") != Some(client.client_id.as_str()) {
        return Ok(Outcome::Refused("invalid_client"));
    }
    let Some(redirect_uri) = p.get("redirect_uri") else {
        return Ok(Outcome::Refused("invalid_request"));
    };
    if !client.metadata.has_redirect_uri(redirect_uri) {
        return Ok(Outcome::Refused("invalid_request"));
    }
    let mode = match p.get("response_mode").map(str::parse::<ResponseMode>) {
        None => ResponseMode::Query,
        Some(Ok(m)) => m,
        Some(Err(())) => return Ok(Outcome::Refused("invalid_request")),
    };
    match parse_request(client, &p, redirect_uri, mode, Default::default()) {
        Ok(req) => {
            check_request(client, &req)?;
            Ok(Outcome::Accepted)
        }
        Err((code, _)) => Ok(Outcome::Refused(code)),
    }
}

/// What an accepted request must satisfy, and that it survives the trip through the store
/// (a pending sign-in is kept as JSON; one that cannot be read back would strand the person).
fn check_request(client: &ClientRecord, req: &AuthRequest) -> Result<(), String> {
    if !client.metadata.has_redirect_uri(&req.redirect_uri) {
        return Err(format!("unregistered redirect_uri {:?}", req.redirect_uri));
    }
    if client.metadata.requires_pkce() && req.code_challenge.is_none() {
        return Err("a public client was let through without PKCE".into());
    }
    if req.prompt.none && (req.prompt.login || req.prompt.consent) {
        return Err("prompt=none combined with other values".into());
    }
    if req.max_age.is_some_and(|m| m < 0) {
        return Err("negative max_age".into());
    }
    if !req.scope.split_whitespace().any(|s| s == "openid") {
        return Err("accepted without openid".into());
    }
    let json = serde_json::to_string(req).map_err(|e| format!("does not serialise: {e}"))?;
    let back: AuthRequest =
        serde_json::from_str(&json).map_err(|e| format!("does not read back: {e}: {json}"))?;
    let again = serde_json::to_string(&back).map_err(|e| e.to_string())?;
    if again != json {
        return Err(format!(
            "changes on the way through the store: {json} -> {again}"
        ));
    }
    Ok(())
}

/// `/token` with `body` as its form and `authorization` as its Authorization header, up to
/// the point where the client would be looked up.
pub fn token_request(authorization: Option<&[u8]>, body: &[u8]) -> Result<Outcome, String> {
    let p = Params::parse(body);
    if p.duplicate.is_some() {
        return Ok(Outcome::Refused("invalid_request"));
    }
    let mut headers = HeaderMap::new();
    if let Some(v) = authorization.and_then(|a| HeaderValue::from_bytes(a).ok()) {
        headers.insert(header::AUTHORIZATION, v);
    }
    let (method, client_id, secret) = match presented_credentials(&headers, &p) {
        Ok(c) => c,
        Err(e) => return Ok(Outcome::Refused(e.error)),
    };
    if method.uses_secret() != secret.is_some() {
        return Err(format!(
            "{method:?} with secret present: {}",
            secret.is_some()
        ));
    }
    if method == TokenEndpointAuthMethod::PrivateKeyJwt && !p.has("client_assertion") {
        return Err("private_key_jwt without an assertion".into());
    }
    if p.get("client_id").is_some_and(|id| id != client_id) {
        return Err("a client_id other than the authenticated one was let through".into());
    }
    match grant_type(&p) {
        Ok(_) => Ok(Outcome::Accepted),
        Err(e) => Ok(Outcome::Refused(e.error)),
    }
}
