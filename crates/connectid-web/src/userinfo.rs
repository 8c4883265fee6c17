//! UserInfo: the claims a valid, unrevoked access token may see (GET or POST, header or form).
//! A DPoP-bound token is only good with the `DPoP` scheme and a proof by its key.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::oidc::{ClaimsRequest, Scope};
use serde_json::{Value, json};

use crate::dpop::{self, At};
use crate::error::OAuthError;
use crate::params::Params;
use crate::state::AppState;
use crate::token::{user_claims, verify_access_token};

/// How an access token came: as a bearer token (RFC 6750) or with a DPoP proof (RFC 9449 §7).
pub enum Presented {
    Bearer(String),
    Dpop(String),
}

impl Presented {
    fn token(&self) -> &str {
        match self {
            Self::Bearer(t) | Self::Dpop(t) => t,
        }
    }
    /// An error in the challenge of the scheme the token came with.
    fn challenge(&self, e: OAuthError) -> OAuthError {
        match self {
            Self::Bearer(_) => e.bearer(),
            Self::Dpop(_) => e.dpop(),
        }
    }
}

/// The token of the `Authorization` header, by scheme (compared without case, RFC 9110 §11.1).
pub fn presented(headers: &HeaderMap) -> Option<Presented> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim().to_string();
    match scheme.to_ascii_lowercase().as_str() {
        "bearer" => Some(Presented::Bearer(token)),
        "dpop" => Some(Presented::Dpop(token)),
        _ => None,
    }
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    match presented(headers)? {
        Presented::Bearer(t) => Some(t),
        Presented::Dpop(_) => None,
    }
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, OAuthError> {
    answer(&state, &headers, "GET", presented(&headers)).await
}

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let form = Params::parse(&body);
    if form.duplicate.is_some() {
        // A fixed text: the description also goes into the WWW-Authenticate header, where a
        // parameter name chosen by the caller has no place.
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "a parameter appears more than once",
        )
        .bearer());
    }
    let from_form = form
        .get("access_token")
        .map(|t| Presented::Bearer(t.to_string()));
    let token = match (presented(&headers), from_form) {
        (Some(_), Some(_)) => {
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "send the token in one place only",
            )
            .bearer());
        }
        (a, b) => a.or(b),
    };
    answer(&state, &headers, "POST", token).await
}

async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    method: &str,
    token: Option<Presented>,
) -> Result<Response, OAuthError> {
    let Some(token) = token else {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "no access token",
        )
        .bearer());
    };
    let invalid = |why: &str| {
        token.challenge(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            why,
        ))
    };
    let Some(verified) = verify_access_token(state, token.token()).await? else {
        return Err(invalid("the access token is invalid, expired or revoked"));
    };
    sender_constraint(state, headers, method, &token, verified.jkt.as_deref()).await?;
    let Some(grant) = verified.grant else {
        return Err(invalid("this token does not belong to a person"));
    };
    let Some(account) = state.store.get_account(&grant.account_id).await? else {
        return Err(invalid("the account no longer exists"));
    };
    let scope = Scope::from_stored(
        verified
            .claims
            .get("scope")
            .and_then(Value::as_str)
            .unwrap_or(""),
    );
    let by_name = grant
        .claims
        .as_deref()
        .and_then(|j| serde_json::from_str::<ClaimsRequest>(j).ok())
        .map(|c| c.userinfo)
        .unwrap_or_default();
    let mut claims = user_claims(&account, &scope, &by_name);
    claims.insert("sub".into(), json!(account.id));
    let mut r = Json(Value::Object(claims)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(match token {
        Presented::Dpop(_) => crate::dpop::with_nonce(state, r),
        Presented::Bearer(_) => r,
    })
}

/// A DPoP-bound token (`jkt`) must come with the DPoP scheme and a proof by its key for this
/// request; an unbound one must not claim the DPoP scheme.
async fn sender_constraint(
    state: &AppState,
    headers: &HeaderMap,
    method: &str,
    token: &Presented,
    jkt: Option<&str>,
) -> Result<(), OAuthError> {
    let invalid = |why: &str| OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_token", why);
    match (token, jkt) {
        (Presented::Bearer(_), None) => Ok(()),
        (Presented::Bearer(_), Some(_)) => Err(invalid(
            "this access token is DPoP-bound: present it with the DPoP scheme and a proof",
        )
        .dpop()),
        (Presented::Dpop(_), None) => Err(invalid(
            "this access token is not DPoP-bound: present it as a Bearer token",
        )
        .bearer()),
        (Presented::Dpop(t), Some(jkt)) => {
            let proof = dpop::proof(state, headers, method, "/userinfo", Some(t), At::Resource)
                .await?
                .ok_or_else(|| dpop::invalid(At::Resource, "a DPoP-bound token needs a proof"))?;
            if proof.jkt != jkt {
                return Err(
                    invalid("the DPoP proof is signed by another key than the token's").dpop(),
                );
            }
            Ok(())
        }
    }
}
