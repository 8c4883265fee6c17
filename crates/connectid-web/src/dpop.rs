//! DPoP at the endpoints (RFC 9449): the `DPoP` header read and checked for the request it
//! came with, its `jti` remembered across nodes (the store's seen token ids), server nonces
//! when `[oauth] use_dpop_nonce` asks for them, and the errors in the RFC's words.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use connectid_core::crypto::hash_secret;
use connectid_core::dpop::{self, Expected, MAX_AGE, MAX_AHEAD, Nonces, Proof, ProofError};
use connectid_core::store::ClientRecord;

use crate::error::OAuthError;
use crate::state::AppState;

pub const HEADER: HeaderName = HeaderName::from_static("dpop");
pub const NONCE_HEADER: HeaderName = HeaderName::from_static("dpop-nonce");
/// What a proof may be signed with (`dpop_signing_alg_values_supported`).
pub const ALGS: [&str; 3] = ["ES256", "EdDSA", "RS256"];

/// Where a proof was presented: the errors differ (RFC 9449 §5 and §7.1).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The token endpoint (and revocation): `400 invalid_dpop_proof`.
    TokenEndpoint,
    /// A resource (UserInfo): `401` with a `DPoP` challenge.
    Resource,
}

/// The server nonces, when the deployment asks for them.
pub fn nonces(state: &AppState) -> Option<Nonces> {
    if !state.settings.use_dpop_nonce {
        return None;
    }
    state
        .keyset()
        .nonce_secret()
        .map(|s| Nonces::new(s.to_vec()))
}

/// The nonce to hand out with an answer, when the deployment uses them.
pub fn fresh_nonce(state: &AppState) -> Option<String> {
    nonces(state).map(|n| n.current(state.now()))
}

/// Adds `DPoP-Nonce` to a successful answer, so the client's next proof has one.
pub fn with_nonce(state: &AppState, mut r: Response) -> Response {
    if let Some(v) = fresh_nonce(state).and_then(|n| HeaderValue::from_str(&n).ok()) {
        r.headers_mut().insert(NONCE_HEADER, v);
    }
    r
}

/// The request's proof, if it has one, checked for `method` at `path` (beside
/// `access_token` at a resource) and used once; `Ok(None)` without a `DPoP` header.
pub async fn proof(
    state: &AppState,
    headers: &HeaderMap,
    method: &str,
    path: &str,
    access_token: Option<&str>,
    at: At,
) -> Result<Option<Proof>, OAuthError> {
    let mut all = headers.get_all(HEADER).iter();
    let Some(value) = all.next() else {
        return Ok(None);
    };
    if all.next().is_some() {
        return Err(invalid(at, "send one DPoP header"));
    }
    let value = value
        .to_str()
        .map_err(|_| invalid(at, "the DPoP header is not text"))?;
    let url = format!("{}{path}", state.settings.issuer);
    let nonces = nonces(state);
    let now = state.now();
    let expected = Expected {
        method,
        url: &url,
        now,
        access_token,
        nonces: nonces.as_ref(),
    };
    let proof = dpop::check(value, &expected).map_err(|e| match e {
        ProofError::Nonce => {
            let fresh = nonces.as_ref().map(|n| n.current(now));
            let err = |status| {
                OAuthError::new(status, "use_dpop_nonce", ProofError::Nonce.to_string())
                    .with_dpop_nonce(fresh)
            };
            match at {
                At::TokenEndpoint => err(StatusCode::BAD_REQUEST),
                At::Resource => err(StatusCode::UNAUTHORIZED).dpop(),
            }
        }
        ProofError::Invalid(why) => invalid(at, why),
    })?;
    // Once, on any node: the thumbprint and jti, kept as long as the proof could be accepted.
    let seen = format!(
        "dpop:{}",
        hash_secret(&format!("{}:{}", proof.jkt, proof.jti))
    );
    if !state
        .store
        .remember_jti(&seen, proof.iat + MAX_AGE + MAX_AHEAD)
        .await?
    {
        return Err(invalid(at, "the DPoP proof was used before (jti)"));
    }
    Ok(Some(proof))
}

/// The proof of a token request from `client`: required when the client's tokens must be
/// bound, and signed as its profile allows.
pub async fn at_token_endpoint(
    state: &AppState,
    headers: &HeaderMap,
    client: &ClientRecord,
) -> Result<Option<Proof>, OAuthError> {
    let proof = proof(state, headers, "POST", "/token", None, At::TokenEndpoint).await?;
    match &proof {
        None if client.metadata.requires_dpop() => Err(invalid(
            At::TokenEndpoint,
            "this client's tokens must be DPoP-bound: send a DPoP proof",
        )),
        Some(p) if !client.metadata.accepts_alg(p.alg) => Err(invalid(
            At::TokenEndpoint,
            "the client's profile does not allow this DPoP proof's alg",
        )),
        _ => Ok(proof),
    }
}

pub fn invalid(at: At, why: &str) -> OAuthError {
    match at {
        At::TokenEndpoint => OAuthError::bad_request("invalid_dpop_proof", why),
        At::Resource => OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_dpop_proof", why).dpop(),
    }
}
