//! App2App (SPEC §7.3, seed 002): another app sends its authorization request to a first-party
//! app the person is signed in to (a universal link / app link), and that app approves it in
//! its own UI. The approving app (registered with `app2app_approver: true`) posts the request
//! to `/app2app/approve` with its own access token and gets back the URL to open: the other
//! app's redirect URI with a code for the same person, or with an error for it.
//!
//! The request is checked exactly as `/authorize` checks it (client, exact redirect URI, PKCE,
//! scope, …). What would need a page here — a higher level, a fresher sign-in, consent not
//! given yet, an email to add — is answered with the OpenID Connect error for `prompt=none`,
//! so the other app can fall back to the browser.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::Consent;
use connectid_core::oidc::{ResponseMode, Scope};
use serde_json::json;

use crate::authorize::{AuthRequest, parse_request};
use crate::finish::{Authenticated, mint, query_location};
use crate::params::Params;
use crate::state::AppState;
use crate::token::verify_access_token;

fn for_the_app(state: &AppState, req: &AuthRequest, code: &str, description: &str) -> Response {
    to_the_app(
        state,
        &req.redirect_uri,
        req.state.as_deref(),
        code,
        description,
    )
}

fn error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

/// An error for the other app, with the URL that hands it over (its registered redirect URI).
fn to_the_app(
    state: &AppState,
    redirect_uri: &str,
    app_state: Option<&str>,
    code: &str,
    description: &str,
) -> Response {
    let mut fields = vec![
        ("error", code.to_string()),
        ("error_description", description.to_string()),
    ];
    if let Some(s) = app_state {
        fields.push(("state", s.to_string()));
    }
    fields.push(("iss", state.settings.issuer.clone()));
    let to = query_location(redirect_uri, &fields);
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": code, "error_description": description, "redirect_to": to})),
    )
        .into_response()
}

/// `POST /app2app/approve`, `Authorization: Bearer <the approving app's access token>`,
/// form field `authorization_request`: the other app's request, as its query string.
pub async fn approve(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let denied = || {
        error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "the approving app's access token is missing, invalid or revoked",
        )
    };
    let grant = match verify_access_token(&state, token).await {
        Ok(Some(v)) => match v.grant {
            Some(g) => g,
            None => return denied(),
        },
        Ok(None) => return denied(),
        Err(e) => return e.into_response(),
    };
    let approver = match state.store.get_client(&grant.client_id).await {
        Ok(Some(c)) if c.metadata.app2app_approver => c,
        Ok(_) => {
            return error(
                StatusCode::FORBIDDEN,
                "access_denied",
                "this app is not registered to approve other apps' requests",
            );
        }
        Err(e) => return crate::error::OAuthError::from(e).into_response(),
    };
    let bad = |d: &str| error(StatusCode::BAD_REQUEST, "invalid_request", d);
    let outer = Params::parse(&body);
    if outer.duplicate.is_some() {
        return bad("a parameter appears more than once");
    }
    let Some(request) = outer.get("authorization_request") else {
        return bad("authorization_request is missing");
    };
    let p = Params::parse(request.trim_start_matches('?').as_bytes());
    if let Some(dup) = &p.duplicate {
        return bad(&format!(
            "{dup} appears more than once in the authorization request"
        ));
    }
    let client = match p.get("client_id") {
        Some(id) => match state.store.get_client(id).await {
            Ok(Some(c)) => c,
            Ok(None) => return bad("the authorization request names an unknown client"),
            Err(e) => return crate::error::OAuthError::from(e).into_response(),
        },
        None => return bad("the authorization request has no client_id"),
    };
    if client.client_id == approver.client_id {
        return bad("an app does not approve its own requests");
    }
    let Some(redirect_uri) = p
        .get("redirect_uri")
        .filter(|u| client.metadata.has_redirect_uri(u))
    else {
        return bad("the redirect_uri is not registered for that client");
    };
    if p.get("response_mode").is_some_and(|m| m != "query") {
        return bad("App2App answers in the query of the redirect URI only");
    }
    let region = state.settings.default_phone_region;
    let req = match parse_request(&client, &p, redirect_uri, ResponseMode::Query, region) {
        Ok(r) => r,
        Err((code, desc)) => return to_the_app(&state, redirect_uri, p.get("state"), code, &desc),
    };
    let now = state.now();
    let meta = &client.metadata;
    if req.prompt.login || req.max_age.is_some_and(|m| now - grant.auth_time > m) {
        return for_the_app(&state, &req, "login_required", "a fresh sign-in is needed");
    }
    if grant.acr < req.acr {
        return for_the_app(
            &state,
            &req,
            "interaction_required",
            "a higher level of assurance is needed",
        );
    }
    let account = match state.store.get_account(&grant.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return denied(),
        Err(e) => return crate::error::OAuthError::from(e).into_response(),
    };
    if meta.require_email && !account.has_verified_email() {
        return for_the_app(
            &state,
            &req,
            "interaction_required",
            "a verified email is needed",
        );
    }
    if meta.consent == Consent::Explicit {
        let asked = Scope::from_stored(&req.scope);
        let covered = match crate::finish::consent_covers(
            &state,
            &grant.account_id,
            &client.client_id,
            &asked,
        )
        .await
        {
            Ok(c) => c,
            Err(e) => return crate::error::OAuthError::from(e).into_response(),
        };
        if req.prompt.consent || !covered {
            return for_the_app(&state, &req, "consent_required", "consent is needed");
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
    let fields = match mint(&state, &req, auth).await {
        Ok(f) => f,
        Err(e) => return crate::error::OAuthError::from(e).into_response(),
    };
    crate::audit::record(
        &state,
        "app2app",
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
    r
}
