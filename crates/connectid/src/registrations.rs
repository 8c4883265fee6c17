//! The registrations every start makes: the `[[clients]]` of the config file, the account
//! pages' own client and (with `--demo`) the demo services. Every node does this at every
//! start, so each writes only what changed.

use super::*;

/// Registers or updates the `[[clients]]` of the config file; they need a `client_id`.
pub(crate) async fn config_clients(
    store: &dyn Store,
    cfg: &Config,
    now: i64,
) -> Result<(), Failure> {
    for (i, value) in cfg.clients.iter().enumerate() {
        let json = serde_json::to_string(value).map_err(|e| Failure::Usage(e.to_string()))?;
        let meta = ClientMetadata::from_json(&json)
            .map_err(|e| Failure::Usage(format!("config: `clients[{i}]`: {e}")))?;
        let Some(id) = meta.client_id.clone() else {
            return Err(Failure::Usage(format!(
                "config: `clients[{i}].client_id`: required for clients in the config file"
            )));
        };
        let bad = |e: client::ClientError| Failure::Usage(format!("config: `clients[{i}]`: {e}"));
        upsert_client(store, &id, meta, now, bad).await?;
    }
    Ok(())
}

/// Registers (or refreshes) the built-in client of the account pages, for this issuer. Its
/// secret is made at the first registration, never shown and kept by later ones: nothing
/// exchanges its codes for tokens. (No randomness at every start: the first use of the
/// system RNG costs aws-lc's jitter-entropy seeding, some 50 ms of CPU, on the cold start.)
pub(crate) async fn account_client(
    store: &dyn Store,
    cfg: &Config,
    now: i64,
) -> Result<(), Failure> {
    let meta = connectid_web::account::client_metadata(&cfg.issuer);
    let meta = ClientMetadata::from_json(&meta.to_string())
        .map_err(|e| Failure::Runtime(format!("account client: {e}")))?;
    let bad = |e: client::ClientError| Failure::Runtime(format!("account client: {e}"));
    upsert_client(store, connectid_web::account::CLIENT_ID, meta, now, bad).await
}

/// Registers `meta` as client `id`, or updates it when it exists (start-up registrations
/// of the config file, the account pages and the demo).
pub(crate) async fn upsert_client(
    store: &dyn Store,
    id: &str,
    meta: ClientMetadata,
    now: i64,
    bad: impl Fn(client::ClientError) -> Failure,
) -> Result<(), Failure> {
    match store.get_client(id).await? {
        Some(existing) => {
            let (record, _) = client::update(&existing, meta, now).map_err(bad)?;
            // Every node does this at every start: write only what changed.
            // An update without a new secret keeps the stored one (`secret_hash` is then None).
            let new_secret = record
                .secret_hash
                .as_ref()
                .is_some_and(|h| Some(h) != existing.secret_hash.as_ref());
            if record.metadata != existing.metadata || new_secret {
                store.update_client(&record).await?;
            }
        }
        None => {
            let (record, _) = client::register(meta, now).map_err(bad)?;
            store.create_client(&record).await?;
        }
    }
    Ok(())
}

/// Registers the three demo services (fresh secrets each start) and builds their routes.
pub(crate) async fn demo_services(
    store: &dyn Store,
    cfg: &Config,
    now: i64,
) -> Result<axum::Router, Failure> {
    let mut secrets = std::collections::HashMap::new();
    for spec in connectid_demo::SERVICES {
        let secret = connectid_core::crypto::random_token();
        let json = spec.metadata(&cfg.issuer, &secret).to_string();
        let meta = ClientMetadata::from_json(&json)
            .map_err(|e| Failure::Runtime(format!("demo service {}: {e}", spec.slug)))?;
        let bad =
            |e: client::ClientError| Failure::Runtime(format!("demo service {}: {e}", spec.slug));
        upsert_client(store, spec.slug, meta, now, bad).await?;
        secrets.insert(spec.slug.to_string(), secret);
    }
    let outboxes = vec![
        std::path::PathBuf::from(&cfg.sms.outbox),
        std::path::PathBuf::from(&cfg.email.outbox),
    ];
    let demo = connectid_demo::Demo::new(&cfg.issuer, &secrets, outboxes);
    Ok(connectid_demo::router(demo))
}
