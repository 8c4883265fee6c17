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

use crate::error::{bad_request_page, page_store_error};
use crate::finish::{self, Authenticated, redirect_error};
use crate::params::Params;
use crate::state::AppState;
use crate::{cookies, signin};

/// A validated authorization request, kept with the pending sign-in until it is answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_mode: ResponseMode,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub acr: Acr,
    pub claims: Option<ClaimsRequest>,
    pub login_hint: Option<String>,
    /// The service forces the identifier in `login_hint`: no other may sign in.
    #[serde(default)]
    pub login_hint_locked: bool,
    #[serde(default)]
    pub ui_locales: Option<String>,
    pub mobile_network_off: bool,
    /// An app on Wi-Fi identified the number over its cellular interface with this ticket
    /// (`/mobile-network/identify`); used once, here.
    #[serde(default, skip_serializing)]
    pub mobile_network_ticket: Option<String>,
}

pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    handle(state, peer, headers, params).await
}

pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    handle(state, peer, headers, Params::parse(&body)).await
}

pub(crate) fn valid_pkce_value(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
}

/// The target for errors that may go back to the client: known client, registered URI.
pub struct ErrorTarget<'a> {
    pub redirect_uri: &'a str,
    pub state: Option<&'a str>,
    pub mode: ResponseMode,
}

async fn handle(state: AppState, peer: SocketAddr, headers: HeaderMap, p: Params) -> Response {
    let bad_page = |detail: &str| bad_request_page(&state, "error-bad-request", detail);
    if let Some(dup) = &p.duplicate {
        return bad_page(&format!("The parameter \"{dup}\" appears more than once."));
    }
    let Some(client_id) = p.get("client_id") else {
        return bad_page("The request does not name a client (client_id is missing).");
    };
    let client = match state.store.get_client(client_id).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return bad_request_page(&state, "error-unknown-client", "unknown client_id");
        }
        Err(e) => return page_store_error(&state, e),
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
                return redirect_error(&state, &t, "invalid_request", "unsupported response_mode");
            }
        },
    };
    let target = ErrorTarget {
        redirect_uri,
        state: p.get("state"),
        mode,
    };
    let region = state.settings.default_phone_region;
    match parse_request(&client, &p, redirect_uri, mode, region) {
        Ok(req) => decide(state, peer, headers, client, req).await,
        Err((code, desc)) => redirect_error(&state, &target, code, &desc),
    }
}

pub(crate) type ReqError = (&'static str, String);

pub(crate) fn parse_request(
    client: &ClientRecord,
    p: &Params,
    redirect_uri: &str,
    mode: ResponseMode,
    region: PhoneRegion,
) -> Result<AuthRequest, ReqError> {
    let meta: &ClientMetadata = &client.metadata;
    let invalid = |d: &str| ("invalid_request", d.to_string());
    if p.has("request") {
        return Err((
            "request_not_supported",
            "request objects are not supported".into(),
        ));
    }
    if p.has("request_uri") {
        return Err((
            "request_uri_not_supported",
            "request_uri is not supported".into(),
        ));
    }
    match p.get("response_type") {
        None => return Err(invalid("response_type is missing")),
        Some("code") => {}
        Some(_) => {
            return Err((
                "unsupported_response_type",
                "only response_type=code is supported".into(),
            ));
        }
    }
    if !meta.grant_types.contains(&GrantType::AuthorizationCode) {
        return Err((
            "unauthorized_client",
            "this client may not use the authorization code flow".into(),
        ));
    }
    let mut scope = connectid_core::oidc::Scope::parse_supported(p.get("scope").unwrap_or(""));
    if meta.publisher.is_none() {
        // Native SSO shares a sign-in among one publisher's apps; without one it means nothing.
        scope = scope.without("device_sso");
    }
    if !scope.contains("openid") {
        return Err(("invalid_scope", "the scope must include openid".into()));
    }
    let code_challenge = match (p.get("code_challenge"), p.get("code_challenge_method")) {
        (Some(c), Some("S256")) if valid_pkce_value(c) => Some(c.to_string()),
        (Some(_), Some("S256")) => return Err(invalid("code_challenge is malformed")),
        (Some(_), Some(_)) | (None, Some(_)) => {
            return Err(invalid(
                "code_challenge_method must be S256 (plain is not allowed)",
            ));
        }
        (Some(_), None) => {
            return Err(invalid(
                "code_challenge_method must be S256 (plain is not allowed)",
            ));
        }
        (None, None) => None,
    };
    if code_challenge.is_none() && meta.is_public() {
        return Err(invalid("PKCE (code_challenge with S256) is required"));
    }
    let prompt: Prompt = p
        .get("prompt")
        .map(str::parse)
        .transpose()
        .map_err(|e: String| invalid(&e))?
        .unwrap_or_default();
    let max_age = match p.get("max_age") {
        Some(v) => Some(
            v.parse::<i64>()
                .ok()
                .filter(|v| *v >= 0)
                .ok_or_else(|| invalid("max_age must be a non-negative integer"))?,
        ),
        None => meta.default_max_age,
    };
    let claims = p
        .get("claims")
        .map(ClaimsRequest::parse)
        .transpose()
        .map_err(|e| invalid(&e))?;
    let acr = claims
        .as_ref()
        .and_then(|c| c.essential_acr)
        .or_else(|| p.get("acr_values").and_then(lowest_supported_acr))
        .or_else(|| meta.default_acr_values.iter().min().copied())
        .unwrap_or(Acr::Phone)
        .max(meta.minimum_acr.unwrap_or(Acr::Phone));
    let nonce = p.get("nonce").map(str::to_string);
    if nonce.as_ref().is_some_and(|n| n.len() > 512) {
        return Err(invalid("nonce is too long"));
    }
    // The nonce is stored with the code and copied into the ID token; a control character
    // is no part of any real nonce (and a NUL is an error on PostgreSQL, not a value).
    if nonce.as_ref().is_some_and(|n| n.contains(char::is_control)) {
        return Err(invalid("nonce contains control characters"));
    }
    let state_param = p.get("state").map(str::to_string);
    if state_param.as_ref().is_some_and(|s| s.len() > 2048) {
        return Err(invalid("state is too long"));
    }
    let login_hint: Option<String> = p.get("login_hint").map(|h| h.chars().take(254).collect());
    let login_hint_locked = match p.get("login_hint_locked") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(invalid("login_hint_locked must be true or false")),
    };
    if login_hint_locked {
        let hint = login_hint
            .as_deref()
            .ok_or_else(|| invalid("login_hint_locked needs a login_hint"))?;
        if Identifier::parse(hint, region).is_err() {
            return Err(invalid(
                "login_hint_locked needs a login_hint that is a phone number or an email",
            ));
        }
    }
    let ui_locales = p
        .get("ui_locales")
        .map(|u| u.chars().take(256).collect::<String>());
    Ok(AuthRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        response_mode: mode,
        scope: scope.to_string(),
        state: state_param,
        nonce,
        code_challenge,
        prompt,
        max_age,
        acr,
        claims,
        login_hint,
        login_hint_locked,
        ui_locales,
        mobile_network_off: p.get("mobile_network") == Some("off"),
        mobile_network_ticket: match p.get("mobile_network_ticket") {
            None => None,
            Some(t) if crate::mobile_network::valid_ticket(t) => Some(t.to_string()),
            Some(_) => return Err(invalid("mobile_network_ticket is malformed")),
        },
    })
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
    // Seed 003: SSO above LoA1 only for web clients that let people choose not to stay signed
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
) -> Response {
    let now = state.now();
    let target = ErrorTarget {
        redirect_uri: &req.redirect_uri,
        state: req.state.as_deref(),
        mode: req.response_mode,
    };
    let session = match cookies::get(&headers, cookies::SESSION) {
        Some(c) => match state
            .store
            .get_session(&connectid_core::crypto::hash_secret(&c), now)
            .await
        {
            Ok(s) => s,
            Err(e) => return page_store_error(&state, e),
        },
        None => None,
    };
    // A locked login_hint names the only person who may sign in: a session of anyone else
    // neither answers nor is re-authenticated (its owner's phone would get the code).
    let session = match session {
        Some(s) if req.login_hint_locked => match hinted_account(&state, &req).await {
            Ok(owner) if owner.as_deref() == Some(s.account_id.as_str()) => Some(s),
            Ok(_) => None,
            Err(e) => return page_store_error(&state, e),
        },
        other => other,
    };
    match session_fit(session.as_ref(), &client, &req, now) {
        SessionFit::Fits => {
            let Some(s) = session else {
                return page_store_error(&state, connectid_core::store::StoreError::NotFound);
            };
            if let Err(e) = crate::sessions::touch(&state, &s).await {
                return page_store_error(&state, e);
            }
            state
                .metrics
                .funnel(&client.client_id, crate::metrics::Stage::SsoHit);
            let auth = Authenticated::from_session(&s);
            return finish::complete(&state, &client, &req, auth, None, &headers).await;
        }
        _ if req.prompt.none => {
            return redirect_error(&state, &target, "login_required", "the person must sign in");
        }
        SessionFit::Reauthenticate => {
            let Some(s) = session else {
                return page_store_error(&state, connectid_core::store::StoreError::NotFound);
            };
            let ip = signin::ip_of(&state, peer, &headers);
            return signin::start(&state, &client, req, &headers, Some(&s), &ip).await;
        }
        SessionFit::None => {}
    }
    let ip = signin::ip_of(&state, peer, &headers);
    let detected = match network_phone(&state, &req, peer, &headers) {
        Ok(p) => p,
        Err(e) => return bad_request_page(&state, "error-bad-request", &e.to_string()),
    };
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
        match crate::mobile_network::redeem(&state, ticket, req.code_challenge.as_deref()).await {
            // A ticket answers only the app's own request, and only where no page is needed:
            // it proves the number to the app, never to whichever browser opened the URL.
            Ok(Some(phone)) if no_page => {
                return signin::ticket_signin(&state, &client, req, phone, &headers, &ip).await;
            }
            Ok(_) => {}
            Err(e) => return page_store_error(&state, e),
        }
    }
    signin::start(&state, &client, req, &headers, None, &ip).await
}

/// The account that owns the request's `login_hint`, if it names one.
async fn hinted_account(
    state: &AppState,
    req: &AuthRequest,
) -> Result<Option<String>, connectid_core::store::StoreError> {
    let Some(hint) = req.login_hint.as_deref() else {
        return Ok(None);
    };
    let Ok(identifier) = Identifier::parse(hint, state.settings.default_phone_region) else {
        return Ok(None);
    };
    Ok(state.store.find_account(&identifier).await?.map(|a| a.id))
}

/// Why a request that asserts a phone number is refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MsisdnError {
    /// A client may send the header itself; a proxy that adds its own after it makes two.
    #[error("the phone-number header appears more than once")]
    Repeated,
}

/// The phone number the operator's network asserted, when it may be used for this request.
fn network_phone(
    state: &AppState,
    req: &AuthRequest,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Option<Identifier>, MsisdnError> {
    if req.mobile_network_off {
        return Ok(None);
    }
    asserted_phone(state, peer, headers)
}

/// The number in the MSISDN header, when one of the operator's proxies
/// (`[mobile_network] trusted_proxies`) sent the request, and said it once. The header from
/// any other peer — a reverse proxy in `[http] forwarded_proxies` included — is ignored.
pub(crate) fn asserted_phone(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<Option<Identifier>, MsisdnError> {
    let trusted = state
        .settings
        .trusted_proxies
        .iter()
        .any(|c| c.contains(peer.ip()));
    if !trusted {
        return Ok(None);
    }
    let mut values = headers
        .get_all(state.settings.msisdn_header.as_str())
        .iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let Ok(value) = first.to_str() else {
        return Ok(None);
    };
    // Two headers, or two values folded into one: which is the proxy's cannot be known.
    if values.next().is_some() || value.contains(',') {
        return Err(MsisdnError::Repeated);
    }
    Ok(Identifier::phone(value, state.settings.default_phone_region).ok())
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
        }
    }

    fn session(auth_time: i64, acr: Acr) -> SsoSession {
        SsoSession {
            id_hash: "h".into(),
            sid: "s".into(),
            account_id: "a".into(),
            acr,
            amr: vec!["pwd".into()],
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
        // Seed 003: no SSO above LoA1 for a web client without the stay-signed-in checkbox.
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
