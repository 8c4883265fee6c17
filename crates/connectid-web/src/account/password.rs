//! `/account/password`: choose or change the password, after a fresh sign-in. A change (not
//! a first password) ends the account's other sessions and tells the owner on every verified
//! phone and email.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use connectid_core::password::{self, MAX_BYTES, MIN_LEN};
use serde_json::json;

use super::{Me, require, require_form, say_notice, see_other};
use crate::error::PageError;
use crate::state::AppState;

const HERE: &str = "/account/password";

fn form(state: &AppState, me: &Me, error: Option<String>, strength: Option<u8>) -> Response {
    let title = if me.account.has_password() {
        "account-password-change"
    } else {
        "account-password-set"
    };
    state.pages.page(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "account_password.html",
        json!({
            "step": "account-password",
            "title": title,
            "csrf": me.csrf(),
            "signed_in_as": me.account.display_name(),
            "min_length": MIN_LEN,
            "error": error,
            "strength": strength,
        }),
    )
}

pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    let me = require(&state, &headers, HERE, true).await?;
    Ok(form(&state, &me, None, None))
}

pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, p) = require_form(&state, &headers, &body, HERE, true).await?;
    let new = p.get("new_password").unwrap_or("");
    let ids: Vec<&str> = me
        .account
        .identifiers
        .iter()
        .map(|i| i.identifier.value.as_str())
        .collect();
    if let Err(e) = state.settings.password_policy.check(new, &ids) {
        let strength = (new.len() <= MAX_BYTES).then(|| password::strength(new, &ids).score);
        let msg = say_notice(&state, &crate::signin::password_notice(&e));
        return Ok(form(&state, &me, Some(msg), strength));
    }
    let hash = match state.hasher.hash(new).await {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "password hashing failed");
            let msg = super::say(&state, "error-server", &[]);
            return Ok(form(&state, &me, Some(msg), None));
        }
    };
    crate::app::accounts::set_password(
        &state,
        &me.account,
        &hash,
        Some(&me.session),
        Some(super::CLIENT_ID),
        crate::pages::request_lang(),
    )
    .await?;
    Ok(see_other("/account?done=password-changed"))
}

/// `POST /account/password/strength`: the live meter's score as the person types (the same
/// score the page shows without JavaScript after a submit).
pub async fn strength(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, p) = require_form(&state, &headers, &body, HERE, false).await?;
    let new = p.get("new_password").unwrap_or("");
    if new.len() > MAX_BYTES {
        return Ok(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    }
    let ids: Vec<&str> = me
        .account
        .identifiers
        .iter()
        .map(|i| i.identifier.value.as_str())
        .collect();
    let score = password::strength(new, &ids).score.min(4);
    let mut r = axum::Json(json!({
        "score": score,
        "text": super::say(&state, "strength-label", &[]),
        "label": super::say(&state, &format!("strength-{score}"), &[]),
    }))
    .into_response();
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}
