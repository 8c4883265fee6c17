//! The admin API: clients (the same JSON as the CLI) and the revocation of an account's
//! sessions, behind the `[admin] token`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::{self, ClientError, ClientMetadata};
use connectid_core::crypto::{constant_time_eq, hash_secret};
use connectid_core::store::{AuditEvent, StoreError};
use serde_json::json;

use crate::clients::ClientsError;
use crate::error::OAuthError;
use crate::state::AppState;

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let Some(expected) = state.settings.admin_token.as_deref() else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Hashes have one length, so the comparison time says nothing about the token.
    if constant_time_eq(
        hash_secret(given).as_bytes(),
        hash_secret(expected).as_bytes(),
    ) && !given.is_empty()
    {
        Ok(())
    } else {
        Err(OAuthError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "a valid admin bearer token is required",
        )
        .into_response())
    }
}

fn metadata_error(e: ClientError) -> Response {
    OAuthError::bad_request(
        match e {
            ClientError::InvalidMetadata(_) => "invalid_client_metadata",
            ClientError::InvalidRedirectUri(_) => "invalid_redirect_uri",
        },
        e.description(),
    )
    .into_response()
}

/// A use case's refusal as the admin API answers it (RFC 7591 errors for metadata).
fn clients_error(e: ClientsError) -> Response {
    match e {
        ClientsError::Metadata(e) => metadata_error(e),
        ClientsError::Taken(_) => OAuthError::bad_request(
            "invalid_client_metadata",
            "a client with this client_id already exists",
        )
        .into_response(),
        ClientsError::NotFound(_) => StatusCode::NOT_FOUND.into_response(),
        ClientsError::BuiltIn(_) => OAuthError::bad_request(
            "invalid_request",
            "this is the built-in client of the account pages; the server manages it",
        )
        .into_response(),
        ClientsError::Store(e) => store_error(e),
    }
}

fn store_error(e: StoreError) -> Response {
    match e {
        StoreError::Conflict(_) => OAuthError::bad_request(
            "invalid_client_metadata",
            "a client with this client_id already exists",
        )
        .into_response(),
        StoreError::NotFound => StatusCode::NOT_FOUND.into_response(),
        other => OAuthError::from(other).into_response(),
    }
}

fn parse(body: &Bytes) -> Result<ClientMetadata, Response> {
    let text = std::str::from_utf8(body).map_err(|_| {
        metadata_error(ClientError::InvalidMetadata("the body is not UTF-8".into()))
    })?;
    ClientMetadata::from_json(text).map_err(metadata_error)
}

pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    match state.store.list_clients().await {
        Ok(cs) => Json(json!(
            cs.iter()
                .map(|c| client::to_json(c, None))
                .collect::<Vec<_>>()
        ))
        .into_response(),
        Err(e) => store_error(e),
    }
}

pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    let meta = match parse(&body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    match crate::clients::create(&state, meta).await {
        Ok((record, secret)) => (
            StatusCode::CREATED,
            Json(client::to_json(&record, secret.as_deref())),
        )
            .into_response(),
        Err(e) => clients_error(e),
    }
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    match state.store.get_client(&id).await {
        Ok(Some(c)) => Json(client::to_json(&c, None)).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => store_error(e),
    }
}

pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    let meta = match parse(&body) {
        Ok(m) => m,
        Err(r) => return r,
    };
    match crate::clients::update(&state, &id, meta).await {
        Ok((record, secret)) => Json(client::to_json(&record, secret.as_deref())).into_response(),
        Err(e) => clients_error(e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    match crate::clients::delete(&state, &id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => clients_error(e),
    }
}

/// Ends every SSO session of an account; its clients hear of it by back-channel logout.
pub async fn end_sessions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
) -> Response {
    if let Err(r) = authorize(&state, &headers) {
        return r;
    }
    match crate::sessions::end_all_but(&state, &account_id, None).await {
        Ok(ended) => {
            let e = AuditEvent {
                at: state.now(),
                kind: "sessions_revoked".into(),
                account_id: Some(account_id),
                client_id: None,
                ip: crate::audit::request_ip(),
                outcome: "success".into(),
                detail: Some(format!("{ended} sessions")),
            };
            if let Err(e) = state.store.audit(&e).await {
                tracing::error!(error = %e, "audit event not stored");
            }
            Json(json!({ "ended": ended })).into_response()
        }
        Err(e) => store_error(e),
    }
}
