//! Clients (services) and their metadata.

use super::*;
use connectid_core::store::ClientStore;

#[async_trait]
impl ClientStore for Database {
    async fn create_client(&self, c: &ClientRecord) -> StoreResult<()> {
        let meta =
            serde_json::to_string(&c.metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on!(self, p => sqlx::query(
            "INSERT INTO clients (client_id, secret_hash, metadata, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&c.client_id).bind(&c.secret_hash).bind(&meta).bind(c.created_at).bind(c.updated_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn get_client(&self, client_id: &str) -> StoreResult<Option<ClientRecord>> {
        if !connectid_core::client::is_valid_client_id(client_id) {
            return Ok(None);
        }
        let row: Option<ClientRow> = on!(self, p => sqlx::query_as(
            "SELECT client_id, secret_hash, metadata, created_at, updated_at FROM clients WHERE client_id = $1")
            .bind(client_id).fetch_optional(p).await.map_err(db_err)?);
        row.map(ClientRecord::try_from).transpose()
    }

    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> = on!(self, p => sqlx::query_as(
            "SELECT client_id, secret_hash, metadata, created_at, updated_at FROM clients ORDER BY created_at, client_id")
            .fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(ClientRecord::try_from).collect()
    }

    async fn update_client(&self, c: &ClientRecord) -> StoreResult<()> {
        let meta =
            serde_json::to_string(&c.metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let n = on!(self, p => sqlx::query(
            "UPDATE clients SET metadata = $2, updated_at = $3, secret_hash = COALESCE($4, secret_hash) WHERE client_id = $1")
            .bind(&c.client_id).bind(&meta).bind(c.updated_at).bind(&c.secret_hash)
            .execute(p).await.map_err(db_err)?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_client(&self, client_id: &str) -> StoreResult<bool> {
        if !connectid_core::client::is_valid_client_id(client_id) {
            return Ok(false);
        }
        let n = on!(self, p => sqlx::query("DELETE FROM clients WHERE client_id = $1")
            .bind(client_id).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n > 0)
    }
}
