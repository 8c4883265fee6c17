//! Client use cases, written once for the command line (`connectid clients …`) and the admin
//! API (`/admin/clients`): the same checks, the same refusal of the built-in client, the
//! same audit event, whoever asks. Each caller only turns [`ClientsError`] into its own
//! answer (exit code 2 and a line, or an RFC 7591 JSON error).

use connectid_core::audit::AuditKind;
use connectid_core::client::{self, ClientError, ClientMetadata};
use connectid_core::store::{ClientRecord, StoreError};

use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum ClientsError {
    #[error("{0}")]
    Metadata(#[from] ClientError),
    #[error("invalid_client_metadata: client_id `{0}` is already registered")]
    Taken(String),
    #[error("no client `{0}`")]
    NotFound(String),
    #[error("`{0}` is the built-in client of the account pages; the server manages it")]
    BuiltIn(String),
    #[error(transparent)]
    Store(StoreError),
}

/// The account pages' own client is the server's to manage (registered at every start).
fn not_built_in(client_id: &str) -> Result<(), ClientsError> {
    if client_id == crate::account::CLIENT_ID {
        return Err(ClientsError::BuiltIn(client_id.to_string()));
    }
    Ok(())
}

async fn audit(state: &AppState, kind: AuditKind, client_id: &str) {
    crate::audit::record(state, kind, None, Some(client_id), "success", None).await;
}

/// Registers a client; returns it with its secret, shown this once (confidential clients).
pub async fn create(
    state: &AppState,
    meta: ClientMetadata,
) -> Result<(ClientRecord, Option<String>), ClientsError> {
    let (record, secret) = client::register(meta, state.now())?;
    state
        .store
        .create_client(&record)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ClientsError::Taken(record.client_id.clone()),
            other => ClientsError::Store(other),
        })?;
    audit(state, AuditKind::ClientCreated, &record.client_id).await;
    Ok((record, secret))
}

/// The registered client `client_id`, unless it is the built-in one.
async fn changeable(state: &AppState, client_id: &str) -> Result<ClientRecord, ClientsError> {
    not_built_in(client_id)?;
    state
        .store
        .get_client(client_id)
        .await
        .map_err(ClientsError::Store)?
        .ok_or_else(|| ClientsError::NotFound(client_id.to_string()))
}

/// Replaces a client's metadata (a new secret only when the metadata gives one).
pub async fn update(
    state: &AppState,
    client_id: &str,
    meta: ClientMetadata,
) -> Result<(ClientRecord, Option<String>), ClientsError> {
    let existing = changeable(state, client_id).await?;
    let (record, secret) = client::update(&existing, meta, state.now())?;
    state
        .store
        .update_client(&record)
        .await
        .map_err(ClientsError::Store)?;
    audit(state, AuditKind::ClientUpdated, &record.client_id).await;
    Ok((record, secret))
}

/// A new client secret (the old one stops working at once); returns the client and the
/// secret, shown this once.
pub async fn rotate_secret(
    state: &AppState,
    client_id: &str,
) -> Result<(ClientRecord, String), ClientsError> {
    let existing = changeable(state, client_id).await?;
    let (record, secret) = client::rotate_secret(&existing, state.now())?;
    state
        .store
        .update_client(&record)
        .await
        .map_err(ClientsError::Store)?;
    audit(state, AuditKind::ClientSecretRotated, client_id).await;
    Ok((record, secret))
}

/// Deletes a client: its codes and tokens stop working with it.
pub async fn delete(state: &AppState, client_id: &str) -> Result<(), ClientsError> {
    not_built_in(client_id)?;
    if !state
        .store
        .delete_client(client_id)
        .await
        .map_err(ClientsError::Store)?
    {
        return Err(ClientsError::NotFound(client_id.to_string()));
    }
    audit(state, AuditKind::ClientDeleted, client_id).await;
    Ok(())
}
