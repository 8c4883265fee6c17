//! UserInfo: the claims a valid, unrevoked access token may see (GET or POST, header or form).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::oidc::{ClaimsRequest, Scope};
use serde_json::{Value, json};

use crate::error::OAuthError;
use crate::params::Params;
use crate::state::AppState;
use crate::token::{user_claims, verify_access_token};

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, OAuthError> {
    answer(&state, bearer(&headers)).await
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
    let from_form = form.get("access_token").map(str::to_string);
    let token = match (bearer(&headers), from_form) {
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
    answer(&state, token).await
}

async fn answer(state: &AppState, token: Option<String>) -> Result<Response, OAuthError> {
    let Some(token) = token else {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "no access token",
        )
        .bearer());
    };
    let Some(verified) = verify_access_token(state, &token).await? else {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the access token is invalid, expired or revoked",
        )
        .bearer());
    };
    let Some(grant) = verified.grant else {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "this token does not belong to a person",
        )
        .bearer());
    };
    let Some(account) = state.store.get_account(&grant.account_id).await? else {
        return Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the account no longer exists",
        )
        .bearer());
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
    Ok(r)
}
