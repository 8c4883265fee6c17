//! Answering an authorization request: consent, then a code back to the client's registered
//! redirect URI (query or form_post), always with `iss` (RFC 9207).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::Consent;
use connectid_core::crypto::{hash_secret, random_id, random_token};
use connectid_core::oidc::{Acr, Amr, ResponseMode, Scope};
use connectid_core::store::{AuthCode, ClientRecord, Grant, SsoSession};
use serde_json::json;

use crate::authorize::{AuthRequest, ErrorTarget};
use crate::error::PageError;
use crate::signin;
use crate::state::AppState;

/// Codes live for a minute: long enough for any client, short enough to be worthless later.
pub const CODE_TTL: i64 = 60;
/// A grant (and its refresh tokens) lasts this long without use.
pub const GRANT_TTL: i64 = 30 * 86_400;

/// Who signed in and how: what the ID token will say.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Authenticated {
    pub account_id: String,
    pub acr: Acr,
    pub amr: Vec<Amr>,
    pub auth_time: i64,
    pub sid: Option<String>,
    pub td_sls: bool,
}

impl Authenticated {
    pub fn from_session(s: &SsoSession) -> Self {
        Self {
            account_id: s.account_id.clone(),
            acr: s.acr,
            amr: s.amr.clone(),
            auth_time: s.auth_time,
            sid: Some(s.sid.clone()),
            td_sls: !s.remember,
        }
    }
}

/// Asks for consent when the client needs it, otherwise issues the code.
pub async fn complete(
    state: &AppState,
    client: &ClientRecord,
    req: &AuthRequest,
    auth: Authenticated,
    set_cookie: Option<String>,
    headers: &HeaderMap,
) -> Result<Response, PageError> {
    if client.metadata.require_email {
        let account = state.store.get_account(&auth.account_id).await?;
        if account.is_some_and(|a| !a.has_verified_email()) {
            if req.prompt.none {
                let t = target(req);
                return Ok(with_cookie(
                    redirect_error(
                        state,
                        &t,
                        "interaction_required",
                        "the service needs a verified email",
                    ),
                    set_cookie,
                ));
            }
            return signin::start_add_email(state, client, req.clone(), auth, headers, set_cookie)
                .await;
        }
    }
    if client.metadata.consent == Consent::Explicit {
        let asked = Scope::from_stored(&req.scope);
        let covered = consent_covers(state, &auth.account_id, &client.client_id, &asked).await?;
        if req.prompt.consent || !covered {
            if req.prompt.none {
                let t = target(req);
                return Ok(with_cookie(
                    redirect_error(state, &t, "consent_required", "consent is needed"),
                    set_cookie,
                ));
            }
            return signin::start_consent(state, client, req.clone(), auth, headers, set_cookie)
                .await;
        }
    }
    issue(state, req, auth, set_cookie).await
}

/// Whether the person has already agreed to share `scope` with this client.
pub async fn consent_covers(
    state: &AppState,
    account_id: &str,
    client_id: &str,
    scope: &Scope,
) -> Result<bool, connectid_core::store::StoreError> {
    let granted = state.store.get_consent(account_id, client_id).await?;
    Ok(granted.is_some_and(|g| Scope::from_stored(&g).is_superset_of(scope)))
}

pub fn target(req: &AuthRequest) -> ErrorTarget<'_> {
    ErrorTarget {
        redirect_uri: &req.redirect_uri,
        state: req.state.as_deref(),
        mode: req.response_mode,
    }
}

/// Creates the grant and a single-use code, and sends the browser back to the client.
pub async fn issue(
    state: &AppState,
    req: &AuthRequest,
    auth: Authenticated,
    set_cookie: Option<String>,
) -> Result<Response, PageError> {
    let fields = mint(state, req, auth).await?;
    Ok(with_cookie(
        respond(state, &req.redirect_uri, req.response_mode, &fields),
        set_cookie,
    ))
}

/// Makes the grant and its code for `req`; returns the answer's fields (`code`, `state`,
/// `iss`) for the client's redirect URI.
pub async fn mint(
    state: &AppState,
    req: &AuthRequest,
    auth: Authenticated,
) -> Result<Vec<(&'static str, String)>, connectid_core::store::StoreError> {
    let now = state.now();
    let grant = Grant {
        id: random_id(),
        account_id: auth.account_id,
        client_id: req.client_id.clone(),
        scope: req.scope.clone(),
        claims: req
            .claims
            .as_ref()
            .and_then(|c| serde_json::to_string(c).ok()),
        sid: auth.sid,
        auth_time: auth.auth_time,
        acr: auth.acr,
        amr: auth.amr,
        td_sls: auth.td_sls,
        created_at: now,
        expires_at: now + GRANT_TTL,
        revoked_at: None,
    };
    let code = random_token();
    let record = AuthCode {
        code_hash: hash_secret(&code),
        grant_id: grant.id.clone(),
        client_id: req.client_id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        code_challenge: req.code_challenge.clone(),
        nonce: req.nonce.clone(),
        expires_at: now + CODE_TTL,
        dpop_jkt: req.dpop_jkt.clone(),
    };
    state.store.create_grant_with_code(&grant, &record).await?;
    state
        .metrics
        .funnel(&req.client_id, crate::metrics::Stage::Completed);
    let mut fields = vec![("code", code)];
    if let Some(s) = &req.state {
        fields.push(("state", s.clone()));
    }
    fields.push(("iss", state.settings.issuer.clone()));
    Ok(fields)
}

/// `redirect_uri` with `fields` added to its query (RFC 6749 §4.1.2).
pub fn query_location(redirect_uri: &str, fields: &[(&str, String)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        ser.append_pair(k, v);
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    format!("{redirect_uri}{sep}{}", ser.finish())
}

/// An error sent back to a known client's registered redirect URI (RFC 6749 §4.1.2.1).
pub fn redirect_error(
    state: &AppState,
    t: &ErrorTarget<'_>,
    error: &str,
    description: &str,
) -> Response {
    let mut fields = vec![
        ("error", error.to_string()),
        ("error_description", description.to_string()),
    ];
    if let Some(s) = t.state {
        fields.push(("state", s.to_string()));
    }
    fields.push(("iss", state.settings.issuer.clone()));
    respond(state, t.redirect_uri, t.mode, &fields)
}

fn respond(
    state: &AppState,
    redirect_uri: &str,
    mode: ResponseMode,
    fields: &[(&str, String)],
) -> Response {
    match mode {
        ResponseMode::Query => {
            let location = query_location(redirect_uri, fields);
            match HeaderValue::from_str(&location) {
                Ok(v) => {
                    let mut r = StatusCode::SEE_OTHER.into_response();
                    r.headers_mut().insert(header::LOCATION, v);
                    r
                }
                Err(_) => {
                    crate::error::PageError::bad_request("error-answer-not-sent").into_response()
                }
            }
        }
        ResponseMode::FormPost => {
            let map: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|(k, v)| ((*k).to_string(), json!(v)))
                .collect();
            state.pages.page(
                StatusCode::OK,
                "form_post.html",
                json!({"action": redirect_uri, "fields": map}),
            )
        }
    }
}

pub fn with_cookie(mut r: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie
        && let Ok(v) = HeaderValue::from_str(&c)
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
