//! Registering and updating a client (ids and secrets made here), and its JSON as the CLI and
//! the admin API show it.

use super::*;

/// Turns validated metadata into a record to store, making the id and secret when not given.
/// Returns the secret in clear (shown once) for clients that authenticate with one.
pub fn register(
    mut meta: ClientMetadata,
    now: i64,
) -> Result<(crate::store::ClientRecord, Option<String>), ClientError> {
    meta.validate()?;
    let client_id = meta.client_id.take().unwrap_or_else(new_client_id);
    let secret = match (
        meta.client_secret.take(),
        meta.token_endpoint_auth_method.uses_secret(),
    ) {
        (Some(s), _) => Some(s),
        (None, true) => Some(crate::crypto::random_token()),
        (None, false) => None,
    };
    let record = crate::store::ClientRecord {
        client_id,
        secret_hash: secret.as_deref().map(crate::crypto::hash_secret),
        metadata: meta,
        created_at: now,
        updated_at: now,
    };
    Ok((record, secret))
}

/// A new client id: 22 random base64url characters, never starting with `-` or `_`. An id
/// is typed after CLI commands (`connectid clients show ID`), where a leading `-` reads as
/// an option (one generated id in 32 started with one).
fn new_client_id() -> String {
    let token = crate::crypto::random_token();
    token
        .trim_start_matches(['-', '_'])
        .chars()
        .take(22)
        .collect()
}

/// Replaces the metadata of `existing`; a new secret only when given or newly needed.
pub fn update(
    existing: &crate::store::ClientRecord,
    mut meta: ClientMetadata,
    now: i64,
) -> Result<(crate::store::ClientRecord, Option<String>), ClientError> {
    meta.validate()?;
    if let Some(id) = meta.client_id.take()
        && id != existing.client_id
    {
        return Err(ClientError::InvalidMetadata(
            "client_id cannot be changed".into(),
        ));
    }
    let secret = match (
        meta.client_secret.take(),
        meta.token_endpoint_auth_method.uses_secret(),
        existing.secret_hash.is_some(),
    ) {
        (Some(s), _, _) => Some(s),
        (None, true, false) => Some(crate::crypto::random_token()),
        _ => None,
    };
    Ok((
        crate::store::ClientRecord {
            client_id: existing.client_id.clone(),
            secret_hash: secret.as_deref().map(crate::crypto::hash_secret),
            metadata: meta,
            created_at: existing.created_at,
            updated_at: now,
        },
        secret,
    ))
}

/// A new secret for a client that authenticates with one; the old one stops working at once.
/// Returns the record to store and the secret in clear (shown once).
pub fn rotate_secret(
    existing: &crate::store::ClientRecord,
    now: i64,
) -> Result<(crate::store::ClientRecord, String), ClientError> {
    if !existing.metadata.token_endpoint_auth_method.uses_secret() {
        return Err(ClientError::InvalidMetadata(
            "this client does not authenticate with a client_secret".into(),
        ));
    }
    let secret = crate::crypto::random_token();
    let record = crate::store::ClientRecord {
        secret_hash: Some(crate::crypto::hash_secret(&secret)),
        updated_at: now,
        ..existing.clone()
    };
    Ok((record, secret))
}

/// The JSON shown for a client: its metadata with `client_id`, and the secret when just made.
pub fn to_json(record: &crate::store::ClientRecord, secret: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::to_value(&record.metadata).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("client_id".into(), record.client_id.clone().into());
        obj.insert("client_id_issued_at".into(), record.created_at.into());
        if let Some(s) = secret {
            obj.insert("client_secret".into(), s.into());
            obj.insert("client_secret_expires_at".into(), 0.into());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_client_ids_never_read_as_an_option() {
        for _ in 0..2000 {
            let id = super::new_client_id();
            assert_eq!(id.len(), 22, "{id}");
            assert!(id.starts_with(|c: char| c.is_ascii_alphanumeric()), "{id}");
        }
    }
}
