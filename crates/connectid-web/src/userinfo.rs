//! UserInfo: the claims a valid, unrevoked access token may see (GET or POST, header or form).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::oidc::{ClaimsRequest, Scope};
use serde_json::{Value, json};

use crate::params::Params;
use crate::state::AppState;
use crate::token::{user_claims, verify_access_token};

fn bearer_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response();
    let challenge = format!("Bearer error=\"{error}\", error_description=\"{description}\"");
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    answer(&state, bearer(&headers)).await
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = Params::parse(&body);
    if form.duplicate.is_some() {
        // A fixed text: the description also goes into the WWW-Authenticate header, where a
        // parameter name chosen by the caller has no place.
        return bearer_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "a parameter appears more than once",
        );
    }
    let from_form = form.get("access_token").map(str::to_string);
    let token = match (bearer(&headers), from_form) {
        (Some(_), Some(_)) => {
            return bearer_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "send the token in one place only",
            );
        }
        (a, b) => a.or(b),
    };
    answer(&state, token).await
}

async fn answer(state: &AppState, token: Option<String>) -> Response {
    let Some(token) = token else {
        return bearer_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request",
            "no access token",
        );
    };
    let verified = match verify_access_token(state, &token).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return bearer_error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "the access token is invalid, expired or revoked",
            );
        }
        Err(e) => return e.into_response(),
    };
    let Some(grant) = verified.grant else {
        return bearer_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "this token does not belong to a person",
        );
    };
    let account = match state.store.get_account(&grant.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            return bearer_error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "the account no longer exists",
            );
        }
        Err(e) => return crate::error::OAuthError::from(e).into_response(),
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
    r
}
