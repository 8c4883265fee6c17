//! "My account": the overview, password, phones and emails, connected services,
//! sign out everywhere and delete account, for the person behind the SSO session cookie.
//!
//! Signing in goes through the ordinary sign-in pages, as a built-in client ([`CLIENT_ID`])
//! whose redirect URI is `/account/callback`: no second way to authenticate exists. Changes
//! that could take an account over (password, adding or removing an identifier, deleting the
//! account) need a sign-in of the last [`RECENT`] seconds at the account's own highest level
//! (a password when it has one, else a code): otherwise the person is sent to sign in again
//! and brought back to the same page. Every form carries a CSRF token derived from the
//! session cookie, which a page of another site can neither read nor compute.

pub(crate) mod identifiers;
mod me;
pub(crate) mod password;
pub(crate) mod removal;
mod services;
pub use me::*;
pub use services::*;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use connectid_core::account::Account;
use connectid_core::crypto::{constant_time_eq, hash_secret};
use connectid_core::identifier::{Identifier, IdentifierKind};
use connectid_core::oidc::Acr;
use connectid_core::store::{CodeUse, SsoSession, StoreError};
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::cookies;
use crate::error::PageError;
use crate::i18n::{Arg, Notice};
use crate::params::Params;
use crate::state::AppState;

/// The built-in client the account pages sign in as (registered by the binary at start).
pub const CLIENT_ID: &str = "connectid-account";
/// How fresh a sign-in must be for a sensitive change.
pub const RECENT: i64 = 10 * 60;

/// The metadata of the built-in client, for the binary to register on start.
pub fn client_metadata(issuer: &str) -> Value {
    json!({
        "client_id": CLIENT_ID,
        "client_name": "CONNECT ID",
        "redirect_uris": [format!("{issuer}/account/callback")],
        "grant_types": ["authorization_code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "sso": true,
        "consent": "implicit",
        // Signing in to the account pages on a shared computer must allow not staying in.
        "stay_signed_in": {"visible": true, "default": true},
    })
}

/// A 303 to `location` (always one of our own paths).
pub(crate) fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The message for a notice, in the request's language.
pub(crate) fn say(state: &AppState, id: &str, args: &[(&str, Arg)]) -> String {
    state
        .pages
        .translations
        .format(crate::pages::request_lang(), id, args)
}

fn say_notice(state: &AppState, n: &Notice) -> String {
    state
        .pages
        .translations
        .notice(crate::pages::request_lang(), n)
}

/// `GET /account`: who is signed in, their phones and emails, and what they can do.
pub async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let here = uri.path_and_query().map_or("/account", |p| p.as_str());
    let me = require(&state, &headers, here, false).await?;
    let notice = done_notice(&state, &me, &q);
    let back = back_link(&state, &q).await;
    Ok(render_overview(&state, &me, notice, None, back))
}

/// The "done" notice after a change (POST, then a redirect here): from a fixed list, with
/// the identifier only when it really is (added) or is no longer (removed) on the account.
fn done_notice(state: &AppState, me: &Me, q: &HashMap<String, String>) -> Option<String> {
    let on_account = |v: &str| {
        Identifier::parse(v, state.settings.default_phone_region)
            .ok()
            .map(|i| me.account.identifiers.iter().any(|a| a.identifier == i))
    };
    let id = q.get("id").map(String::as_str).unwrap_or("");
    match q.get("done").map(String::as_str) {
        Some("password-changed") => Some(say(state, "notice-password-changed", &[])),
        Some("identifier-added") if on_account(id) == Some(true) => Some(say(
            state,
            "notice-identifier-added",
            &[("identifier", Arg::Str(id.to_string()))],
        )),
        Some("identifier-removed") if on_account(id) == Some(false) => Some(say(
            state,
            "notice-identifier-removed",
            &[("identifier", Arg::Str(id.to_string()))],
        )),
        _ => None,
    }
}

/// "Back to <service>": only for a registered client and one of its registered redirect or
/// post-logout redirect URIs (a service's home page is usually the latter).
async fn back_link(state: &AppState, q: &HashMap<String, String>) -> Option<Value> {
    let (client_id, uri) = (q.get("client_id")?, q.get("redirect_uri")?);
    let client = state.store.get_client(client_id).await.ok()??;
    let registered =
        client.metadata.has_redirect_uri(uri) || client.metadata.has_post_logout_redirect_uri(uri);
    if client.client_id == CLIENT_ID || !registered {
        return None;
    }
    let name = client.display_name().to_string();
    Some(json!({"name": name, "uri": uri}))
}

pub(crate) fn render_overview(
    state: &AppState,
    me: &Me,
    notice: Option<String>,
    error: Option<String>,
    back: Option<Value>,
) -> Response {
    let group = |kind: IdentifierKind| {
        me.account
            .identifiers
            .iter()
            .filter(|i| i.identifier.kind == kind)
            .map(|i| {
                json!({"value": i.identifier.value, "shown": i.identifier.display(),
                       "verified": i.verified, "remove": removal::confirm_path(&i.identifier.value)})
            })
            .collect::<Vec<_>>()
    };
    let groups = json!([
        {"title": "account-phones", "kind": "phone", "add": "account-add-phone",
         "items": group(IdentifierKind::Phone)},
        {"title": "account-emails", "kind": "email", "add": "account-add-email",
         "items": group(IdentifierKind::Email)},
    ]);
    state.pages.page(
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "account.html",
        json!({
            "step": "account",
            "csrf": me.csrf(),
            "signed_in_as": me.account.display_name(),
            "groups": groups,
            "can_remove": me.account.identifiers.len() > 1,
            "has_password": me.account.has_password(),
            "notice": notice,
            "error": error,
            "back": back,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn only_account_paths_are_followed_back() {
        for ok in [
            "/account",
            "/account/password",
            "/account/add?kind=email",
            "/account?client_id=a&redirect_uri=https%3A%2F%2Fx",
        ] {
            assert_eq!(safe_return(ok), Some(ok), "{ok}");
        }
        for bad in [
            "https://evil.example/account",
            "//evil.example/account",
            "/account//evil.example",
            "/accountx",
            "/account/\\evil",
            "/account/<script>",
            "/",
            "",
            "/account/\r\nSet-Cookie:x",
        ] {
            assert_eq!(safe_return(bad), None, "{bad}");
        }
    }
}
