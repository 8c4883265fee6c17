//! Signing keys.

use super::*;
use connectid_core::store::KeyStore;

#[async_trait]
impl KeyStore for Database {
    async fn insert_key(&self, k: &StoredKey) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO signing_keys (kid, alg, private_key, created_at, retired_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&k.kid).bind(k.alg.as_str()).bind(&k.private_key).bind(k.created_at).bind(k.retired_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn list_keys(&self, now: i64, keep_secs: i64) -> StoreResult<Vec<StoredKey>> {
        let rows: Vec<KeyRow> = on!(self, p => sqlx::query_as(
            "SELECT kid, alg, private_key, created_at, retired_at FROM signing_keys \
             WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at, kid")
            .bind(now - keep_secs).fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(StoredKey::try_from).collect()
    }

    async fn retire_keys(&self, except_kids: &[String], now: i64) -> StoreResult<()> {
        let keep_list: Vec<String> = except_kids.to_vec();
        on!(self, p => {
            let mut tx = p.begin().await.map_err(db_err)?;
            let active: Vec<(String,)> = sqlx::query_as("SELECT kid FROM signing_keys WHERE retired_at IS NULL")
                .fetch_all(&mut *tx).await.map_err(db_err)?;
            for (kid,) in active {
                if !keep_list.contains(&kid) {
                    sqlx::query("UPDATE signing_keys SET retired_at = $2 WHERE kid = $1")
                        .bind(&kid).bind(now).execute(&mut *tx).await.map_err(db_err)?;
                }
            }
            tx.commit().await.map_err(db_err)?;
        });
        Ok(())
    }
}
