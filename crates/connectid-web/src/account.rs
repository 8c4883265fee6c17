//! "My account" (SPEC §8): the overview, password, phones and emails, connected services,
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
pub(crate) mod password;

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
use crate::error::{error_page, page_store_error};
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

/// The person behind this request's session cookie.
pub(crate) struct Me {
    pub session: SsoSession,
    pub account: Account,
    /// The cookie value: the CSRF token of the forms is derived from it.
    cookie: String,
}

impl Me {
    pub fn csrf(&self) -> String {
        hash_secret(&format!("account-csrf:{}", self.cookie))
    }
    fn csrf_ok(&self, p: &Params) -> bool {
        let given = p.get("csrf").unwrap_or("");
        !given.is_empty() && constant_time_eq(given.as_bytes(), self.csrf().as_bytes())
    }
    /// The level a sensitive change asks for: the strongest this account can give.
    fn needed(&self) -> Acr {
        if self.account.has_password() {
            Acr::Password
        } else {
            Acr::Phone
        }
    }
    fn is_recent(&self, now: i64) -> bool {
        now - self.session.auth_time <= RECENT && self.session.acr >= self.needed()
    }
}

async fn me(state: &AppState, headers: &HeaderMap) -> Result<Option<Me>, StoreError> {
    let Some(cookie) = cookies::get(headers, cookies::SESSION) else {
        return Ok(None);
    };
    let now = state.now();
    let Some(session) = state.store.get_session(&hash_secret(&cookie), now).await? else {
        return Ok(None);
    };
    let Some(account) = state.store.get_account(&session.account_id).await? else {
        return Ok(None);
    };
    crate::sessions::touch(state, &session).await?;
    Ok(Some(Me {
        session,
        account,
        cookie,
    }))
}

/// What a page needs before it can answer: the person, signed in (recently, for a sensitive
/// page), or else the answer that sends them to sign in and back to `here`.
pub(crate) async fn require(
    state: &AppState,
    headers: &HeaderMap,
    here: &str,
    sensitive: bool,
) -> Result<Me, Response> {
    let me = match me(state, headers).await {
        Ok(m) => m,
        Err(e) => return Err(page_store_error(state, e)),
    };
    match me {
        Some(m) if !sensitive || m.is_recent(state.now()) => Ok(m),
        Some(m) => Err(sign_in_first(state, here, Some(m.needed()))),
        None => Err(sign_in_first(state, here, None)),
    }
}

/// A POST's person and form: signed in as [`require`] says, with the form's CSRF token.
pub(crate) async fn require_form(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
    back: &str,
    sensitive: bool,
) -> Result<(Me, Params), Response> {
    let me = require(state, headers, back, sensitive).await?;
    let p = Params::parse(body);
    if p.duplicate.is_some() || !me.csrf_ok(&p) {
        return Err(error_page(
            state,
            StatusCode::FORBIDDEN,
            "error-form-expired",
        ));
    }
    Ok((me, p))
}

/// To the sign-in pages as the built-in client, then back to `back_to` (a path of ours).
pub(crate) fn sign_in_first(state: &AppState, back_to: &str, reauth: Option<Acr>) -> Response {
    let issuer = &state.settings.issuer;
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", &format!("{issuer}/account/callback"))
        .append_pair("response_type", "code")
        .append_pair("scope", "openid")
        .append_pair("state", back_to)
        .append_pair("ui_locales", crate::pages::request_lang());
    if let Some(acr) = reauth {
        q.append_pair("prompt", "login")
            .append_pair("acr_values", acr.as_str());
    }
    see_other(&format!("/authorize?{}", q.finish()))
}

/// A 303 to `location` (always one of our own paths).
pub(crate) fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Only paths of the account pages are followed back after a sign-in: never another site.
fn safe_return(path: &str) -> Option<&str> {
    let ok = (path == "/account" || path.starts_with("/account/") || path.starts_with("/account?"))
        && path.len() <= 512
        && !path.contains("//")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/?=&_.-%".contains(c));
    ok.then_some(path)
}

/// `/account/callback`: the sign-in pages are done. The code is used up (nothing needs
/// tokens: the session cookie is what the account pages read) and the person goes back.
pub async fn callback(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(code) = q.get("code") else {
        return error_page(&state, StatusCode::BAD_REQUEST, "error-signin-expired");
    };
    match state
        .store
        .consume_code(&hash_secret(code), state.now())
        .await
    {
        Ok(CodeUse::Fresh(c)) if c.client_id == CLIENT_ID => {
            if let Err(e) = state.store.revoke_grant(&c.grant_id, state.now()).await {
                return page_store_error(&state, e);
            }
        }
        Ok(_) => return error_page(&state, StatusCode::BAD_REQUEST, "error-signin-expired"),
        Err(e) => return page_store_error(&state, e),
    }
    // Back to an account page, or to a site under the cookie domain (`/resolve/signin`).
    let back = q
        .get("state")
        .filter(|s| safe_return(s).is_some() || state.settings.shares_cookie(s))
        .map_or("/account", String::as_str);
    see_other(back)
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
) -> Response {
    let here = uri.path_and_query().map_or("/account", |p| p.as_str());
    let me = match require(&state, &headers, here, false).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let notice = done_notice(&state, &me, &q);
    let back = back_link(&state, &q).await;
    render_overview(&state, &me, notice, None, back)
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
            .map(|i| json!({"value": i.identifier.value, "verified": i.verified}))
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

/// `GET /account/services`: the services holding tokens of this account.
pub async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let me = match require(&state, &headers, "/account/services", false).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let clients = match state
        .store
        .connected_clients(&me.account.id, state.now())
        .await
    {
        Ok(c) => c,
        Err(e) => return page_store_error(&state, e),
    };
    let name = |c: &connectid_core::store::ClientRecord| c.display_name().to_string();
    let notice = match (q.get("done").map(String::as_str), q.get("client")) {
        (Some("disconnected"), Some(id)) => match state.store.get_client(id).await {
            // Only a registered service's own name is shown, never text from the URL.
            Ok(Some(c)) if !clients.iter().any(|k| k.client_id == c.client_id) => Some(say(
                &state,
                "notice-service-disconnected",
                &[("service", Arg::Str(name(&c)))],
            )),
            _ => None,
        },
        _ => None,
    };
    let list: Vec<Value> = clients
        .iter()
        .filter(|c| c.client_id != CLIENT_ID)
        .map(|c| json!({"client_id": c.client_id, "name": name(c)}))
        .collect();
    state.pages.page(
        StatusCode::OK,
        "account_services.html",
        json!({"step": "account-services", "csrf": me.csrf(), "services": list, "notice": notice}),
    )
}

/// `POST /account/services/disconnect`: revokes the service's tokens and consent. Not a
/// sensitive change (it only takes access away), so no fresh sign-in is asked for.
pub async fn disconnect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (me, p) = match require_form(&state, &headers, &body, "/account/services", false).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let client_id = p.get("client_id").unwrap_or("");
    if client_id.is_empty() || client_id.len() > 256 {
        return error_page(&state, StatusCode::BAD_REQUEST, "error-form-expired");
    }
    // The sessions in which this service got tokens, to tell it (back-channel logout).
    let told = match sessions_with(&state, &me.account.id, client_id).await {
        Ok(v) => v,
        Err(e) => return page_store_error(&state, e),
    };
    match state
        .store
        .disconnect_client(&me.account.id, client_id, state.now())
        .await
    {
        // Only a real disconnection is an event; an unknown or already disconnected service
        // leaves no trace (nor a way to fill the audit log).
        Ok(0) => {}
        Ok(_) => {
            if let Some((client, sids)) = &told {
                crate::logout::backchannel::tell_client(&state, client, &me.account.id, sids);
            }
            crate::audit::record(
                &state,
                "service_disconnected",
                Some(&me.account.id),
                Some(client_id),
                "success",
                None,
            )
            .await;
        }
        Err(e) => return page_store_error(&state, e),
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("done", "disconnected")
        .append_pair("client", client_id);
    see_other(&format!("/account/services?{}", q.finish()))
}

/// The client and the live sessions of the account in which it got tokens.
async fn sessions_with(
    state: &AppState,
    account_id: &str,
    client_id: &str,
) -> Result<Option<(connectid_core::store::ClientRecord, Vec<String>)>, StoreError> {
    let Some(client) = state.store.get_client(client_id).await? else {
        return Ok(None);
    };
    let mut sids = Vec::new();
    for s in state
        .store
        .sessions_of_account(account_id, state.now())
        .await?
    {
        let clients = state.store.clients_of_session(&s.sid).await?;
        if clients.iter().any(|c| c.client_id == client_id) {
            sids.push(s.sid);
        }
    }
    Ok(Some((client, sids)))
}

/// `POST /account/signout-everywhere`: every session and every grant of the account ends,
/// this browser's included, and the services that asked are told (back-channel logout).
pub async fn signout_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (me, _) = match require_form(&state, &headers, &body, "/account", false).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Err(e) = end_everything(&state, &me.account.id).await {
        return page_store_error(&state, e);
    }
    crate::audit::record(
        &state,
        "signout_everywhere",
        Some(&me.account.id),
        None,
        "success",
        None,
    )
    .await;
    let mut r = state.pages.page(
        StatusCode::OK,
        "signed_out.html",
        json!({"step": "signed-out"}),
    );
    clear_session_cookie(&state, &mut r);
    r
}

/// Ends every session (telling the services) and revokes every grant, also those of native
/// apps whose browser session is already gone.
async fn end_everything(state: &AppState, account_id: &str) -> Result<(), StoreError> {
    crate::sessions::end_all_but(state, account_id, None).await?;
    Ok(())
}

fn clear_session_cookie(state: &AppState, r: &mut Response) {
    let c = cookies::clear_session(&state.settings);
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// `GET /account/delete`: what deleting means, and the button (after a fresh sign-in).
pub async fn delete_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let me = match require(&state, &headers, "/account/delete", true).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    state.pages.page(
        StatusCode::OK,
        "account_delete.html",
        json!({"step": "account-delete", "csrf": me.csrf(), "signed_in_as": me.account.display_name()}),
    )
}

/// `POST /account/delete`: the account, its identifiers, sessions and grants are gone.
pub async fn delete(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (me, p) = match require_form(&state, &headers, &body, "/account/delete", true).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if p.get("confirm") != Some("yes") {
        return see_other("/account/delete");
    }
    let id = me.account.id.clone();
    if let Err(e) = crate::accounts::delete(&state, &id, crate::accounts::Actor::Person).await {
        return page_store_error(&state, e);
    }
    let mut r = state.pages.page(
        StatusCode::OK,
        "account_deleted.html",
        json!({"step": "signed-out"}),
    );
    clear_session_cookie(&state, &mut r);
    r
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
