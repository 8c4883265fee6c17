//! Adding a phone or an email (a code to it first), after a fresh sign-in.
//! The pending addition lives in the interactions table, bound to the session that asked, so
//! a code sent for one person's addition can never add the identifier to someone else.

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use connectid_core::crypto::{hash_secret, random_token};
use connectid_core::identifier::{Identifier, IdentifierKind};
use connectid_core::store::StoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;

use super::{Me, require, require_form, say, say_notice, see_other};
use crate::error::PageError;
use crate::signin::{CodeTarget, OTP_TTL, check_code, send_code_to};
use crate::state::AppState;

const PURPOSE: &str = "account_add";

/// An addition waiting for its code.
#[derive(Serialize, Deserialize)]
struct PendingAdd {
    account_id: String,
    sid: String,
    identifier: String,
    kind: IdentifierKind,
}

fn kind_of(s: &str) -> Option<IdentifierKind> {
    match s {
        "phone" => Some(IdentifierKind::Phone),
        "email" => Some(IdentifierKind::Email),
        _ => None,
    }
}

/// The form for a new identifier of `kind`, or (with `pending`) the form for its code.
fn page(
    state: &AppState,
    me: &Me,
    kind: IdentifierKind,
    identifier: Option<&str>,
    pending: Option<&str>,
    error: Option<String>,
) -> Response {
    let phone = kind == IdentifierKind::Phone;
    state.pages.page(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "account_add.html",
        json!({
            "step": if pending.is_some() { "code" } else { "account-add" },
            "title": if phone { "account-add-phone" } else { "account-add-email" },
            "label": if phone { "identifier-label-phone" } else { "identifier-label-email" },
            "kind": if phone { "phone" } else { "email" },
            "input_type": if phone { "tel" } else { "email" },
            "autocomplete": if phone { "tel" } else { "email" },
            "inputmode": if phone { "tel" } else { "email" },
            "identifier": identifier,
            "pending": pending,
            "csrf": me.csrf(),
            "error": error,
        }),
    )
}

/// `GET /account/add?kind=phone|email`.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let Some(kind) = q.get("kind").and_then(|k| kind_of(k)) else {
        return Err(PageError::new(StatusCode::NOT_FOUND, "error-not-found"));
    };
    let here = match kind {
        IdentifierKind::Phone => "/account/add?kind=phone",
        IdentifierKind::Email => "/account/add?kind=email",
    };
    let me = require(&state, &headers, here, true).await?;
    Ok(page(&state, &me, kind, None, None, None))
}

/// `POST /account/add`: checks the identifier and sends it a code.
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, p) = require_form(&state, &headers, &body, "/account", true).await?;
    let Some(kind) = p.get("kind").and_then(kind_of) else {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "error-form-expired",
        ));
    };
    let input = p.get("identifier").unwrap_or("");
    let shown: String = input.chars().take(254).collect();
    let refuse = |id: &str| {
        page(
            &state,
            &me,
            kind,
            Some(&shown),
            None,
            Some(say(&state, id, &[])),
        )
    };
    let identifier = match Identifier::parse(input, state.settings.default_phone_region) {
        Ok(i) if i.kind == kind => i,
        _ => {
            return Ok(refuse(match kind {
                IdentifierKind::Phone => "err-identifier-phone",
                IdentifierKind::Email => "err-identifier-email",
            }));
        }
    };
    if me
        .account
        .identifiers
        .iter()
        .any(|a| a.identifier == identifier)
    {
        return Ok(refuse("err-identifier-known"));
    }
    // An identifier of another account gets its code too, and is refused only once the code
    // proves it is yours: otherwise this form would tell anyone which numbers have accounts.
    let ip = crate::signin::ip_of(&state, peer, &headers);
    let to = CodeTarget {
        identifier: &identifier,
        purpose: PURPOSE,
        lang: crate::pages::request_lang(),
        ip: &ip,
        client_id: None,
        android_sms_hash: None,
        sms_countries: &[],
        email_way_in: false,
        sms_daily_budget: None,
        // A signed-in person adding a number: no challenge page here; the rules still apply.
        can_challenge: false,
        challenge: None,
    };
    match send_code_to(&state, &to, false).await? {
        Ok(()) => {}
        Err(n) => {
            return Ok(page(
                &state,
                &me,
                kind,
                Some(&shown),
                None,
                Some(say_notice(&state, &n)),
            ));
        }
    }
    let pending = random_token();
    let data = PendingAdd {
        account_id: me.account.id.clone(),
        sid: me.session.sid.clone(),
        identifier: identifier.value.clone(),
        kind,
    };
    let saved = match serde_json::to_string(&data) {
        Ok(json) => {
            state
                .store
                .put_interaction(&hash_secret(&pending), &json, state.now() + OTP_TTL)
                .await
        }
        Err(e) => Err(StoreError::Corrupt(e.to_string())),
    };
    saved?;
    Ok(page(
        &state,
        &me,
        kind,
        Some(&identifier.value),
        Some(&pending),
        None,
    ))
}

/// `POST /account/add/verify`: the right code adds the identifier, verified.
pub async fn verify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let (me, p) = require_form(&state, &headers, &body, "/account", true).await?;
    let pending = p.get("pending").unwrap_or("");
    let key = hash_secret(pending);
    let data = state
        .store
        .get_interaction(&key, state.now())
        .await?
        .and_then(|json| serde_json::from_str::<PendingAdd>(&json).ok());
    let Some(data) = data.filter(|d| d.account_id == me.account.id && d.sid == me.session.sid)
    else {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "error-form-expired",
        ));
    };
    let identifier = Identifier::parse(&data.identifier, state.settings.default_phone_region)
        .map_err(|_| PageError::bad_request("error-form-expired"))?;
    let ip = crate::signin::ip_of(&state, peer, &headers);
    let code = p.get("code").unwrap_or("");
    match check_code(&state, PURPOSE, &identifier, code, &ip).await? {
        Ok(()) => {}
        Err(refused) => {
            let msg = say_notice(&state, &refused.notice());
            return Ok(page(
                &state,
                &me,
                data.kind,
                Some(&identifier.value),
                Some(pending),
                Some(msg),
            ));
        }
    }
    state.store.delete_interaction(&key).await?;
    let added = crate::app::accounts::add_identifier(
        &state,
        &me.account,
        &identifier,
        Some(super::CLIENT_ID),
        crate::pages::request_lang(),
    )
    .await;
    if let Err(StoreError::Conflict(_)) = added {
        let msg = say(&state, "err-identifier-taken", &[]);
        return Ok(page(
            &state,
            &me,
            data.kind,
            Some(&identifier.value),
            None,
            Some(msg),
        ));
    }
    added?;
    Ok(done("identifier-added", &identifier.value))
}

pub(super) fn done(what: &str, identifier: &str) -> Response {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("done", what).append_pair("id", identifier);
    see_other(&format!("/account?{}", q.finish()))
}
