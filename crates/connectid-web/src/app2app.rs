//! App2App (README, "App2App"): another app sends its authorization request to a first-party
//! app the person is signed in to (a universal link / app link), and that app approves it in
//! its own UI. The approving app (registered with `app2app_approver: true`) posts the request
//! to `/app2app/approve` with its own access token and gets back the URL to open: the other
//! app's redirect URI with a code for the same person, or with an error for it.
//!
//! Three things must hold before a code leaves (security review, finding 2):
//! - the approving app proves it holds its own credentials: the access token alone is not
//!   enough, the call also carries the approver's client authentication (a confidential
//!   client: `client_secret_post`, `private_key_jwt`, or Basic with the token in the
//!   `access_token` form field, RFC 6750 §2.2);
//! - the other app is a native app that opted in with `"app2app": true`: a web client's or an
//!   ordinary app's request is never answered here;
//! - the other app uses SSO (`sso: true`): one that asks for a sign-in every time gets
//!   `login_required`.
//!
//! The request is checked exactly as `/authorize` checks it (client, exact redirect URI, PKCE,
//! scope, …). What would need a page here — a higher level, a fresher sign-in, consent not
//! given yet, an email to add — is answered with the OpenID Connect error for `prompt=none`,
//! so the other app can fall back to the browser.

use axum::Json;
use axum::body::Bytes;
use connectid_core::audit::AuditKind;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::{ApplicationType, Consent, TokenEndpointAuthMethod};
use connectid_core::oidc::{ResponseMode, Scope};
use serde_json::json;

use crate::authorize::{AuthRequest, parse_request};
use crate::error::OAuthError;
use crate::finish::{Authenticated, mint, query_location};
use crate::params::Params;
use crate::state::AppState;
use crate::token::{authenticate_client, verify_bearer_token};

fn for_the_app(
    state: &AppState,
    req: &AuthRequest,
    code: &'static str,
    description: &str,
) -> OAuthError {
    to_the_app(
        state,
        &req.redirect_uri,
        req.state.as_deref(),
        code,
        description,
    )
}

/// An error for the other app, with the URL that hands it over (its registered redirect URI).
fn to_the_app(
    state: &AppState,
    redirect_uri: &str,
    app_state: Option<&str>,
    code: &'static str,
    description: &str,
) -> OAuthError {
    let mut fields = vec![
        ("error", code.to_string()),
        ("error_description", description.to_string()),
    ];
    if let Some(s) = app_state {
        fields.push(("state", s.to_string()));
    }
    fields.push(("iss", state.settings.issuer.clone()));
    let to = query_location(redirect_uri, &fields);
    OAuthError::bad_request(code, description).redirect_to(to)
}

/// `POST /app2app/approve`, `Authorization: Bearer <the approving app's access token>` (or the
/// token in the `access_token` form field when the app authenticates with Basic), the app's
/// client authentication, and the form field `authorization_request`: the other app's
/// request, as its query string.
pub async fn approve(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, OAuthError> {
    let outer = Params::parse(&body);
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| outer.get("access_token"))
        .unwrap_or("");
    let denied = || {
        OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the approving app's access token is missing, invalid or revoked",
        )
    };
    let grant = verify_bearer_token(&state, token)
        .await?
        .and_then(|v| v.grant)
        .ok_or_else(denied)?;
    let approver = match state.store.get_client(&grant.client_id).await? {
        Some(c) if c.metadata.app2app_approver => c,
        _ => {
            return Err(OAuthError::new(
                StatusCode::FORBIDDEN,
                "access_denied",
                "this app is not registered to approve other apps' requests",
            ));
        }
    };
    let bad = |d: &str| OAuthError::new(StatusCode::BAD_REQUEST, "invalid_request", d);
    if outer.duplicate.is_some() {
        return Err(bad("a parameter appears more than once"));
    }
    // Whoever holds a copy of the approver's access token is not the approver: the call must
    // also prove the approver's own credentials, which a public client does not have.
    if approver.metadata.token_endpoint_auth_method == TokenEndpointAuthMethod::None {
        return Err(OAuthError::new(
            StatusCode::FORBIDDEN,
            "access_denied",
            "an approver must be a confidential client and authenticate itself",
        ));
    }
    let ip = crate::signin::ip_of(&state, peer, &headers);
    let authenticated = authenticate_client(&state, &headers, &outer, &ip).await?;
    if authenticated.client_id != approver.client_id {
        return Err(OAuthError::invalid_client(
            "the client authentication is not the approving app's",
        ));
    }
    let Some(request) = outer.get("authorization_request") else {
        return Err(bad("authorization_request is missing"));
    };
    let p = Params::parse(request.trim_start_matches('?').as_bytes());
    if let Some(dup) = &p.duplicate {
        return Err(bad(&format!(
            "{dup} appears more than once in the authorization request"
        )));
    }
    let client = match p.get("client_id") {
        Some(id) => match state.store.get_client(id).await? {
            Some(c) => c,
            None => return Err(bad("the authorization request names an unknown client")),
        },
        None => return Err(bad("the authorization request has no client_id")),
    };
    if client.client_id == approver.client_id {
        return Err(bad("an app does not approve its own requests"));
    }
    if client.metadata.application_type != ApplicationType::Native || !client.metadata.app2app {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "that app has not registered for App2App (a native app with \"app2app\": true)",
        ));
    }
    let Some(redirect_uri) = p
        .get("redirect_uri")
        .filter(|u| client.metadata.has_redirect_uri(u))
    else {
        return Err(bad("the redirect_uri is not registered for that client"));
    };
    if p.get("response_mode").is_some_and(|m| m != "query") {
        return Err(bad("App2App answers in the query of the redirect URI only"));
    }
    let region = state.settings.default_phone_region;
    let req = parse_request(&client, &p, redirect_uri, ResponseMode::Query, region)
        .map_err(|(code, desc)| to_the_app(&state, redirect_uri, p.get("state"), code, &desc))?;
    let now = state.now();
    let meta = &client.metadata;
    if !meta.sso {
        return Err(for_the_app(
            &state,
            &req,
            "login_required",
            "this app asks for a sign-in every time (sso is off)",
        ));
    }
    if req.prompt.login || req.max_age.is_some_and(|m| now - grant.auth_time > m) {
        return Err(for_the_app(
            &state,
            &req,
            "login_required",
            "a fresh sign-in is needed",
        ));
    }
    if grant.acr < req.acr {
        return Err(for_the_app(
            &state,
            &req,
            "interaction_required",
            "a higher level of assurance is needed",
        ));
    }
    let account = state
        .store
        .get_account(&grant.account_id)
        .await?
        .ok_or_else(denied)?;
    if meta.require_email && !account.has_verified_email() {
        return Err(for_the_app(
            &state,
            &req,
            "interaction_required",
            "a verified email is needed",
        ));
    }
    if meta.consent == Consent::Explicit {
        let asked = Scope::from_stored(&req.scope);
        let covered =
            crate::finish::consent_covers(&state, &grant.account_id, &client.client_id, &asked)
                .await?;
        if req.prompt.consent || !covered {
            return Err(for_the_app(
                &state,
                &req,
                "consent_required",
                "consent is needed",
            ));
        }
    }
    let auth = Authenticated {
        account_id: grant.account_id.clone(),
        acr: grant.acr,
        amr: grant.amr.clone(),
        auth_time: grant.auth_time,
        sid: grant.sid.clone(),
        td_sls: grant.td_sls,
    };
    let fields = mint(&state, &req, auth).await?;
    crate::audit::record(
        &state,
        AuditKind::App2App,
        Some(&grant.account_id),
        Some(&client.client_id),
        "success",
        Some(format!("approved by {}", approver.client_id)),
    )
    .await;
    let mut r = Json(json!({"redirect_to": query_location(redirect_uri, &fields)})).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}
