//! Hotspots and Wi-Fi: an app whose sign-in page is on
//! Wi-Fi can still prove the phone number the way the operator's network does. It makes a
//! random ticket, calls `/mobile-network/identify?ticket=…` over its cellular interface (the
//! operator's proxy adds the number, as for any request from that network), then opens the
//! authorization request with `mobile_network_ticket=…`. The number is bound to that one
//! ticket for two minutes and used once. The call must carry `X-Connectid-App` and must not
//! come from another site's page (see [`identify`]).
//!
//! A ticket is also bound to the app instance that made it, as PKCE binds a code: identify
//! takes the `code_challenge` of the authorization request the app is about to make, and the
//! ticket answers only a request with that challenge. Whoever sends a ticket to somebody
//! else's browser therefore gets a code only they can redeem, and the sign-in makes no
//! browser session (see `signin::ticket_signin`): a ticket never signs a browser in.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use connectid_core::crypto::constant_time_eq;
use connectid_core::crypto::hash_secret;
use connectid_core::identifier::Identifier;
use connectid_core::store::StoreError;
use serde::{Deserialize, Serialize};

use crate::error::OAuthError;
use crate::state::AppState;

/// The header the app's own call carries (any value): browsers cannot add it cross-site.
const APP_HEADER: &str = "x-connectid-app";

/// How long an identified number waits for its authorization request.
const TICKET_TTL: i64 = 120;

/// A ticket is the app's own random value: long enough that nobody guesses another's.
pub fn valid_ticket(t: &str) -> bool {
    (32..=128).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What a ticket holds until its authorization request redeems it.
#[derive(Serialize, Deserialize)]
struct Bound {
    /// The number in E.164.
    phone: String,
    /// The `code_challenge` of the app's authorization request.
    challenge: String,
}

fn key(ticket: &str) -> String {
    hash_secret(&format!("mobile-network-ticket:{ticket}"))
}

/// `GET /mobile-network/identify?ticket=…`: 204 when the operator's network said the number.
pub async fn identify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, OAuthError> {
    let Some(ticket) = q.get("ticket").filter(|t| valid_ticket(t)) else {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "ticket must be 32 to 128 characters of A-Z, a-z, 0-9, - and _",
        ));
    };
    let Some(challenge) = q
        .get("code_challenge")
        .filter(|c| crate::authorize::valid_pkce_value(c))
    else {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "code_challenge (S256, as in the authorization request that will use the ticket) is required",
        ));
    };
    let phone = crate::authorize::asserted_phone(&state, peer, &headers)
        .map_err(|e| OAuthError::bad_request("invalid_request", e.to_string()))?;
    let Some(phone) = phone else {
        return Err(OAuthError::new(
            StatusCode::FORBIDDEN,
            "not_on_mobile_network",
            "this request did not come through the operator's network",
        ));
    };
    // A web page must not be able to make the phone's browser (on the operator's network)
    // identify the number for a ticket the page chose: that would sign the page's owner in as
    // the phone's owner. A custom header cannot be sent cross-site without a CORS preflight,
    // which is never granted; a browser's own request says where it came from.
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v != "none" && v != "same-origin");
    if cross_site || !headers.contains_key(APP_HEADER) {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "identify is called by the app itself, with the X-Connectid-App header",
        ));
    }
    let now = state.now();
    let bound = Bound {
        phone: phone.value,
        challenge: challenge.clone(),
    };
    let Ok(value) = serde_json::to_string(&bound) else {
        return Err(OAuthError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "try again",
        ));
    };
    if let Err(e) = state
        .store
        .put_interaction(&key(ticket), &value, now + TICKET_TTL)
        .await
    {
        tracing::error!(error = %e, "ticket not stored");
        return Err(OAuthError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "try again",
        ));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The number a ticket was identified with, when the request carries the challenge the
/// ticket was bound to; once either way: the ticket is gone after this.
pub async fn redeem(
    state: &AppState,
    ticket: Option<&str>,
    code_challenge: Option<&str>,
) -> Result<Option<Identifier>, StoreError> {
    let Some(ticket) = ticket else {
        return Ok(None);
    };
    let k = key(ticket);
    let Some(value) = state.store.get_interaction(&k, state.now()).await? else {
        return Ok(None);
    };
    state.store.delete_interaction(&k).await?;
    let Ok(bound) = serde_json::from_str::<Bound>(&value) else {
        return Ok(None);
    };
    let challenge = code_challenge.unwrap_or("");
    if !constant_time_eq(challenge.as_bytes(), bound.challenge.as_bytes()) {
        tracing::info!("a mobile-network ticket was presented with another code_challenge");
        return Ok(None);
    }
    Ok(Identifier::phone(&bound.phone, state.settings.default_phone_region).ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tickets_are_long_and_plain() {
        assert!(super::valid_ticket(&"a".repeat(32)));
        assert!(super::valid_ticket("0123456789abcdefABCDEF-_0123456789"));
        for bad in [
            "",
            "short",
            &"a".repeat(129),
            &format!("{}/", "a".repeat(40)),
            &format!("{} ", "a".repeat(40)),
        ] {
            assert!(!super::valid_ticket(bad), "{bad}");
        }
    }
}
