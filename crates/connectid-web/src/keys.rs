//! Keeping the signing keys: made on first start, reloaded so that a rotation done by the CLI
//! or another node is picked up by every running node.

use connectid_core::client::SigningAlg;
use connectid_core::keys::{self, KeyCipher, KeyError, KeySet, LoadedKey};
use connectid_core::store::{Store, StoreError};

/// How long a retired key stays published: longer than any token it signed lives.
pub const KEEP_RETIRED_SECS: i64 = 2 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// Makes a key for every algorithm that has none, then loads the published set.
pub async fn ensure_keys(
    store: &dyn Store,
    cipher: &KeyCipher,
    now: i64,
) -> Result<KeySet, KeysError> {
    let stored = store.list_keys(now, KEEP_RETIRED_SECS).await?;
    for alg in SigningAlg::ALL {
        if !stored
            .iter()
            .any(|k| k.alg == alg && k.retired_at.is_none())
        {
            store.insert_key(&keys::generate(alg, now, cipher)?).await?;
        }
    }
    load(store, cipher, now).await
}

pub async fn load(store: &dyn Store, cipher: &KeyCipher, now: i64) -> Result<KeySet, KeysError> {
    let stored = store.list_keys(now, KEEP_RETIRED_SECS).await?;
    let loaded = stored
        .iter()
        .map(|k| LoadedKey::load(k, cipher))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(KeySet::new(loaded, now))
}
