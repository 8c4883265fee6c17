//! The admin API: clients (the same JSON as the CLI) and the revocation of an account's
//! sessions, behind the `[admin] token`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::{self, ClientError, ClientMetadata};
use connectid_core::crypto::{constant_time_eq, hash_secret};
use connectid_core::store::StoreError;
use serde_json::json;

use crate::app::clients::ClientsError;
use crate::error::OAuthError;
use crate::state::AppState;

fn not_found(what: &str) -> OAuthError {
    OAuthError::new(StatusCode::NOT_FOUND, "not_found", what)
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), OAuthError> {
    let Some(expected) = state.settings.admin_token.as_deref() else {
        return Err(not_found("the admin API is off (no [admin] token)"));
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
        ))
    }
}

fn metadata_error(e: ClientError) -> OAuthError {
    OAuthError::bad_request(
        match e {
            ClientError::InvalidMetadata(_) => "invalid_client_metadata",
            ClientError::InvalidRedirectUri(_) => "invalid_redirect_uri",
        },
        e.description(),
    )
}

fn taken() -> OAuthError {
    OAuthError::bad_request(
        "invalid_client_metadata",
        "a client with this client_id already exists",
    )
}

/// A use case's refusal as the admin API answers it (RFC 7591 errors for metadata).
impl From<ClientsError> for OAuthError {
    fn from(e: ClientsError) -> Self {
        match e {
            ClientsError::Metadata(e) => metadata_error(e),
            ClientsError::Taken(_) | ClientsError::Store(StoreError::Conflict(_)) => taken(),
            ClientsError::NotFound(_) | ClientsError::Store(StoreError::NotFound) => {
                not_found("no such client")
            }
            ClientsError::BuiltIn(_) => OAuthError::bad_request(
                "invalid_request",
                "this is the built-in client of the account pages; the server manages it",
            ),
            ClientsError::Store(e) => e.into(),
        }
    }
}

fn parse(body: &Bytes) -> Result<ClientMetadata, OAuthError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        metadata_error(ClientError::InvalidMetadata("the body is not UTF-8".into()))
    })?;
    ClientMetadata::from_json(text).map_err(metadata_error)
}

type Answer = Result<Response, OAuthError>;

pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Answer {
    authorize(&state, &headers)?;
    let clients = state.store.list_clients().await?;
    let list: Vec<_> = clients.iter().map(|c| client::to_json(c, None)).collect();
    Ok(Json(json!(list)).into_response())
}

pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    authorize(&state, &headers)?;
    let (record, secret) = crate::app::clients::create(&state, parse(&body)?).await?;
    let json = client::to_json(&record, secret.as_deref());
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    let c = state
        .store
        .get_client(&id)
        .await?
        .ok_or_else(|| not_found("no such client"))?;
    Ok(Json(client::to_json(&c, None)).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    authorize(&state, &headers)?;
    let (record, secret) = crate::app::clients::update(&state, &id, parse(&body)?).await?;
    Ok(Json(client::to_json(&record, secret.as_deref())).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    crate::app::clients::delete(&state, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /admin/clients/{id}/secret`: a new secret, shown this once.
pub async fn rotate_secret(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    let (record, secret) = crate::app::clients::rotate_secret(&state, &id).await?;
    Ok(Json(client::to_json(&record, Some(&secret))).into_response())
}

/// Ends every SSO session of an account; its clients hear of it by back-channel logout.
pub async fn end_sessions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
) -> Answer {
    authorize(&state, &headers)?;
    let ended = crate::app::sessions::sign_out_everywhere(
        &state,
        &account_id,
        crate::app::accounts::Actor::Admin,
    )
    .await?;
    Ok(Json(json!({ "ended": ended })).into_response())
}
