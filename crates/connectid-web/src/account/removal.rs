//! Removing a phone number or an email: a confirmation page first, reached only after a recent
//! sign-in (whose page says why it asks), so that the removal the person asked for goes on
//! once they have confirmed who they are; never the last identifier.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use connectid_core::identifier::Identifier;
use connectid_core::store::StoreError;
use serde_json::json;
use std::collections::HashMap;

use super::{Me, render_overview, require, require_form, say_notice, see_other};
use crate::error::PageError;
use crate::i18n::Notice;
use crate::state::AppState;

/// The confirmation page of `identifier` (its stored form): where a re-authentication
/// returns to. Percent-encoded, as the account pages' return paths must be.
pub(super) fn confirm_path(identifier: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("identifier", identifier);
    format!("/account/remove?{}", q.finish())
}

/// One of this person's own identifiers, as given in a form or a link.
fn owned(state: &AppState, me: &Me, given: &str) -> Result<Identifier, PageError> {
    Identifier::parse(given, state.settings.default_phone_region)
        .ok()
        .filter(|i| me.account.identifiers.iter().any(|a| &a.identifier == i))
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "error-form-expired"))
}

/// `GET /account/remove?identifier=…`: what removing means, and the button.
pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let given = q.get("identifier").map_or("", String::as_str);
    let me = require(&state, &headers, &confirm_path(given), true).await?;
    let identifier = owned(&state, &me, given)?;
    Ok(state.pages.page(
        StatusCode::OK,
        "account_remove.html",
        json!({"step": "account-remove", "csrf": me.csrf(), "value": identifier.value,
               "shown": identifier.display()}),
    ))
}

/// `POST /account/remove`: the confirmed removal.
pub async fn remove(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let given = crate::params::Params::parse(&body)
        .get("identifier")
        .unwrap_or("")
        .to_string();
    let (me, p) = require_form(&state, &headers, &body, &confirm_path(&given), true).await?;
    let identifier = owned(&state, &me, &given)?;
    if p.get("confirm") != Some("yes") {
        return Ok(see_other(&confirm_path(&identifier.value)));
    }
    let removed = crate::app::accounts::remove_identifier(
        &state,
        &me.account,
        &identifier,
        Some(super::CLIENT_ID),
    )
    .await;
    if let Err(StoreError::Conflict(_)) = removed {
        let msg = say_notice(&state, &Notice::new("err-last-identifier"));
        return Ok(render_overview(&state, &me, None, Some(msg), None));
    }
    removed?;
    Ok(super::identifiers::done(
        "identifier-removed",
        &identifier.value,
    ))
}
