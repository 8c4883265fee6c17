//! The audit log.

use super::*;
use connectid_core::store::AuditStore;

#[async_trait]
impl AuditStore for Database {
    async fn audit(&self, e: &AuditEvent) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO audit_events (at, kind, account_id, client_id, ip, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(e.at).bind(&e.kind).bind(&e.account_id).bind(&e.client_id).bind(&e.ip).bind(&e.outcome).bind(&e.detail)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
        let rows: Vec<AuditRow> = on!(self, p => sqlx::query_as(
            "SELECT at, kind, account_id, client_id, ip, outcome, detail FROM audit_events \
             WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR client_id = $2) \
               AND ($3 IS NULL OR kind = $3) AND ($4 IS NULL OR at >= $4) \
             ORDER BY id DESC LIMIT $5")
            .bind(&q.account_id).bind(&q.client_id).bind(&q.kind).bind(q.since).bind(q.limit)
            .fetch_all(p).await.map_err(db_err)?);
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    async fn purge_audit(&self, before: i64) -> StoreResult<u64> {
        Ok(
            on!(self, p => sqlx::query("DELETE FROM audit_events WHERE at < $1")
            .bind(before).execute(p).await.map_err(db_err)?.rows_affected()),
        )
    }
}
