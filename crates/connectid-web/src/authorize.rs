//! The authorization endpoint: validates the request, then answers from the SSO session,
//! from the mobile network, or sends the person to the sign-in pages.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use connectid_core::client::{ClientMetadata, GrantType, SmsPin};
use connectid_core::identifier::{Identifier, PhoneRegion};
use connectid_core::oidc::{Acr, ClaimsRequest, Prompt, ResponseMode, lowest_supported_acr};
use connectid_core::store::{ClientRecord, SsoSession};
use serde::{Deserialize, Serialize};

use crate::error::PageError;
use crate::finish::{self, Authenticated, redirect_error};
use crate::params::Params;
use crate::state::AppState;
use crate::{cookies, signin};
mod network;
mod request;
pub mod request_object;
pub(crate) use network::*;
pub use request::*;

pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    handle(state, peer, headers, params).await
}

pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    handle(state, peer, headers, Params::parse(&body)).await
}

/// The target for errors that may go back to the client: known client, registered URI.
pub struct ErrorTarget<'a> {
    pub redirect_uri: &'a str,
    pub state: Option<&'a str>,
    pub mode: ResponseMode,
}

async fn handle(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    p: Params,
) -> Result<Response, PageError> {
    let bad_page = |detail: &str| Err(PageError::malformed("error-bad-request", detail));
    if let Some(dup) = &p.duplicate {
        return bad_page(&format!("The parameter \"{dup}\" appears more than once."));
    }
    let Some(client_id) = p.get("client_id") else {
        return bad_page("The request does not name a client (client_id is missing).");
    };
    let Some(client) = state.store.get_client(client_id).await? else {
        return Err(PageError::malformed(
            "error-unknown-client",
            "unknown client_id",
        ));
    };
    // A pushed request (RFC 9126) replaces whatever else the browser brought.
    // Another request_uri (a request object by reference) is refused below as unsupported.
    let pushed = match p.get("request_uri") {
        Some(uri) if uri.starts_with(crate::par::PREFIX) => {
            match crate::par::take(&state, &client.client_id, uri).await? {
                Some(taken) => Some(taken),
                None => {
                    return bad_page(
                        "The request_uri is unknown, used or expired (it works once, for 60 seconds).",
                    );
                }
            }
        }
        _ => None,
    };
    let must_push =
        client.metadata.must_push() || state.settings.require_pushed_authorization_requests;
    let was_pushed = pushed.is_some();
    let (p, pushed_signed) = match pushed {
        Some((inner, signed)) => (inner, signed),
        None => (p, false),
    };
    // A request object at /authorize (one inside a pushed request was opened at /par).
    let jwt = p.get("request").map(str::to_string);
    let (p, signed) = match jwt {
        Some(jwt) if !was_pushed => match request_object::open(&state, &client, &jwt).await {
            Ok(inner) => (inner, true),
            Err(why) => return request_object_refused(&state, &client, &p, &why),
        },
        _ => (p, pushed_signed),
    };
    let Some(redirect_uri) = p.get("redirect_uri") else {
        return bad_page("The request has no redirect_uri.");
    };
    if !client.metadata.has_redirect_uri(redirect_uri) {
        return bad_page("The redirect_uri is not registered for this service.");
    }
    let mode = match p.get("response_mode") {
        None => ResponseMode::Query,
        Some(m) => match m.parse() {
            Ok(m) => m,
            Err(()) => {
                let t = ErrorTarget {
                    redirect_uri,
                    state: p.get("state"),
                    mode: ResponseMode::Query,
                };
                return Ok(redirect_error(
                    &state,
                    &t,
                    "invalid_request",
                    "unsupported response_mode",
                ));
            }
        },
    };
    let target = ErrorTarget {
        redirect_uri,
        state: p.get("state"),
        mode,
    };
    if must_push && !was_pushed {
        return Ok(redirect_error(
            &state,
            &target,
            "invalid_request",
            "this service's requests must be pushed first (PAR)",
        ));
    }
    if client.metadata.require_signed_request_object && !signed {
        return Ok(redirect_error(
            &state,
            &target,
            "invalid_request",
            "this service's requests must be signed request objects",
        ));
    }
    let region = state.settings.default_phone_region;
    match parse_request(&client, &p, redirect_uri, mode, region) {
        Ok(req) => decide(state, peer, headers, client, req).await,
        Err((code, desc)) => Ok(redirect_error(&state, &target, code, &desc)),
    }
}

/// A request object that cannot be used: `invalid_request_object` back at the client when the
/// browser's `redirect_uri` is one of its own, else an error page.
fn request_object_refused(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
    why: &str,
) -> Result<Response, PageError> {
    match p
        .get("redirect_uri")
        .filter(|r| client.metadata.has_redirect_uri(r))
    {
        Some(redirect_uri) => {
            let t = ErrorTarget {
                redirect_uri,
                state: p.get("state"),
                mode: ResponseMode::Query,
            };
            Ok(redirect_error(state, &t, "invalid_request_object", why))
        }
        None => Err(PageError::malformed(
            "error-bad-request",
            format!("invalid_request_object: {why}"),
        )),
    }
}

/// Why an existing session cannot answer the request as it stands.
enum SessionFit {
    Fits,
    /// Same person, but a higher level or a fresher authentication is needed.
    Reauthenticate,
    None,
}

fn session_fit(
    session: Option<&SsoSession>,
    client: &ClientRecord,
    req: &AuthRequest,
    now: i64,
) -> SessionFit {
    let Some(s) = session else {
        return SessionFit::None;
    };
    if !client.metadata.sso {
        return SessionFit::None;
    }
    // SSO above LoA1 only for web clients that let people choose not to stay signed
    // in; without the checkbox such a request always asks for credentials.
    let m = &client.metadata;
    if req.acr > Acr::Phone
        && m.application_type == connectid_core::client::ApplicationType::Web
        && !m.stay_signed_in().visible
    {
        return SessionFit::None;
    }
    let too_old = req.max_age.is_some_and(|m| now - s.auth_time > m);
    if req.prompt.login || too_old || s.acr < req.acr {
        SessionFit::Reauthenticate
    } else {
        SessionFit::Fits
    }
}

async fn decide(
    state: AppState,
    peer: SocketAddr,
    headers: HeaderMap,
    client: ClientRecord,
    req: AuthRequest,
) -> Result<Response, PageError> {
    let now = state.now();
    let target = ErrorTarget {
        redirect_uri: &req.redirect_uri,
        state: req.state.as_deref(),
        mode: req.response_mode,
    };
    let session = match cookies::get(&headers, cookies::SESSION) {
        Some(c) => {
            state
                .store
                .get_session(&connectid_core::crypto::hash_secret(&c), now)
                .await?
        }
        None => None,
    };
    // A locked login_hint names the only person who may sign in: a session of anyone else
    // neither answers nor is re-authenticated (its owner's phone would get the code).
    let session = match session {
        Some(s) if req.login_hint_locked => {
            let owner = hinted_account(&state, &req).await?;
            (owner.as_deref() == Some(s.account_id.as_str())).then_some(s)
        }
        other => other,
    };
    match session_fit(session.as_ref(), &client, &req, now) {
        SessionFit::Fits => {
            let Some(s) = session else {
                return Err(connectid_core::store::StoreError::NotFound.into());
            };
            crate::app::sessions::touch(&state, &s).await?;
            state
                .metrics
                .funnel(&client.client_id, crate::metrics::Stage::SsoHit);
            let auth = Authenticated::from_session(&s);
            return finish::complete(&state, &client, &req, auth, None, &headers).await;
        }
        _ if req.prompt.none => {
            return Ok(redirect_error(
                &state,
                &target,
                "login_required",
                "the person must sign in",
            ));
        }
        SessionFit::Reauthenticate => {
            let Some(s) = session else {
                return Err(connectid_core::store::StoreError::NotFound.into());
            };
            let ip = signin::ip_of(&state, peer, &headers);
            return signin::start(&state, &client, req, &headers, Some(&s), &ip).await;
        }
        SessionFit::None => {}
    }
    let ip = signin::ip_of(&state, peer, &headers);
    let detected = network_phone(&state, &req, peer, &headers)
        .map_err(|e| PageError::malformed("error-bad-request", e.to_string()))?;
    // LoA1 on the operator's network needs no page at all; a password (LoA2), a forced SMS or
    // a fresh sign-in start from the detected number instead of asking for it.
    let no_page =
        req.acr == Acr::Phone && client.metadata.sms_pin != SmsPin::Force && !req.prompt.login;
    if let Some(phone) = detected {
        if no_page {
            return signin::network_signin(
                &state,
                &client,
                req,
                phone,
                &headers,
                session.as_ref(),
                &ip,
            )
            .await;
        }
        return signin::start_detected(&state, &client, req, &headers, phone, &ip).await;
    }
    if !req.mobile_network_off && req.mobile_network_ticket.is_some() {
        let ticket = req.mobile_network_ticket.as_deref();
        let redeemed =
            crate::mobile_network::redeem(&state, ticket, req.code_challenge.as_deref()).await?;
        // A ticket answers only the app's own request, and only where no page is needed:
        // it proves the number to the app, never to whichever browser opened the URL.
        if let Some(phone) = redeemed.filter(|_| no_page) {
            return signin::ticket_signin(&state, &client, req, phone, &headers, &ip).await;
        }
    }
    signin::start(&state, &client, req, &headers, None, &ip).await
}

#[cfg(test)]
mod tests {
    use connectid_core::client::ClientMetadata;

    use super::*;

    fn client(sso: bool) -> ClientRecord {
        let mut metadata = ClientMetadata::from_json(
            r#"{"redirect_uris":["https://a.example/cb"],"stay_signed_in":{"visible":true,"default":true}}"#,
        )
        .unwrap();
        metadata.sso = sso;
        ClientRecord {
            client_id: "c".into(),
            secret_hash: None,
            metadata,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn request(prompt: &str, max_age: Option<i64>, acr: Acr) -> AuthRequest {
        AuthRequest {
            client_id: "c".into(),
            redirect_uri: "https://a.example/cb".into(),
            response_mode: ResponseMode::Query,
            scope: "openid".into(),
            state: None,
            nonce: None,
            code_challenge: None,
            prompt: if prompt.is_empty() {
                Prompt::default()
            } else {
                prompt.parse().unwrap()
            },
            max_age,
            acr,
            claims: None,
            login_hint: None,
            login_hint_locked: false,
            ui_locales: None,
            mobile_network_off: false,
            mobile_network_ticket: None,
            dpop_jkt: None,
        }
    }

    fn session(auth_time: i64, acr: Acr) -> SsoSession {
        SsoSession {
            id_hash: "h".into(),
            sid: "s".into(),
            account_id: "a".into(),
            acr,
            amr: vec![connectid_core::oidc::Amr::Pwd],
            auth_time,
            remember: true,
            created_at: auth_time,
            last_seen: auth_time,
            expires_at: auth_time + 1000,
        }
    }

    fn fit(s: Option<&SsoSession>, sso: bool, req: &AuthRequest, now: i64) -> &'static str {
        match session_fit(s, &client(sso), req, now) {
            SessionFit::Fits => "fits",
            SessionFit::Reauthenticate => "again",
            SessionFit::None => "none",
        }
    }

    /// oidcc-max-age-1, oidcc-max-age-10000, oidcc-prompt-login, step-up by acr_values.
    #[test]
    fn a_session_answers_only_what_it_can() {
        let s = session(100, Acr::Password);
        let plain = request("", None, Acr::Phone);
        assert_eq!(fit(Some(&s), true, &plain, 5000), "fits");
        assert_eq!(fit(None, true, &plain, 5000), "none");
        assert_eq!(fit(Some(&s), false, &plain, 5000), "none", "no SSO for it");
        let max_age = request("", Some(10_000), Acr::Phone);
        assert_eq!(fit(Some(&s), true, &max_age, 10_100), "fits");
        assert_eq!(fit(Some(&s), true, &max_age, 10_101), "again");
        let one = request("", Some(1), Acr::Phone);
        assert_eq!(fit(Some(&s), true, &one, 101), "fits");
        assert_eq!(fit(Some(&s), true, &one, 102), "again");
        let login = request("login", None, Acr::Phone);
        assert_eq!(fit(Some(&s), true, &login, 101), "again");
        let phone_session = session(100, Acr::Phone);
        let loa2 = request("", None, Acr::Password);
        assert_eq!(fit(Some(&phone_session), true, &loa2, 101), "again");
        // No SSO above LoA1 for a web client without the stay-signed-in checkbox.
        let mut hidden = client(true);
        hidden.metadata.stay_signed_in = None;
        assert!(matches!(
            session_fit(Some(&s), &hidden, &loa2, 101),
            SessionFit::None
        ));
        assert!(matches!(
            session_fit(Some(&s), &hidden, &plain, 101),
            SessionFit::Fits
        ));
    }
}
