//! The durable outbox. Claims are one statement each: on PostgreSQL the candidates are
//! locked with `FOR UPDATE SKIP LOCKED`, so nodes claiming at once take different rows
//! without waiting on each other; SQLite has one writer, which serialises claims anyway.

use super::*;
use connectid_core::store::{MessageOutcome, OutboxDepth, OutboxStore, QueuedMessage};

const COLUMNS: &str =
    "id, channel, purpose, payload, created_at, expires_at, due_at, attempts, ordering_key";

#[async_trait]
impl OutboxStore for Database {
    async fn enqueue_message(&self, m: &QueuedMessage, otp: Option<&Otp>) -> StoreResult<()> {
        on!(self, p => {
            let mut tx = p.begin().await.map_err(db_err)?;
            if let Some(o) = otp {
                sqlx::query(
                    "INSERT INTO otps (id, purpose, target, code_hash, attempts, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(&o.id).bind(&o.purpose).bind(&o.target).bind(&o.code_hash).bind(o.attempts)
                    .bind(o.created_at).bind(o.expires_at).execute(&mut *tx).await.map_err(db_err)?;
            }
            sqlx::query(
                "INSERT INTO outbox (id, channel, purpose, payload, created_at, expires_at, due_at, attempts, ordering_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(&m.id).bind(m.channel.as_str()).bind(&m.purpose).bind(&m.payload)
                .bind(m.created_at).bind(m.expires_at).bind(m.due_at).bind(m.attempts).bind(&m.ordering_key)
                .execute(&mut *tx).await.map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
        });
        Ok(())
    }

    async fn claim_messages(
        &self,
        worker: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMessage>> {
        // SQLite orders rows by rowid, PostgreSQL by the seq column.
        let (lock, seq) = match self.pool {
            Pool::Sqlite(_) => ("", "rowid"),
            Pool::Pg(_) => (" FOR UPDATE SKIP LOCKED", "seq"),
        };
        // A row with an ordering key waits for the earlier pending ones with the same key.
        let candidates = format!(
            "SELECT id FROM outbox o WHERE status = 'pending' AND due_at <= $3 \
             AND (lease_until IS NULL OR lease_until <= $3) \
             AND (ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox e \
                  WHERE e.ordering_key = o.ordering_key AND e.status = 'pending' AND e.{seq} < o.{seq})) \
             ORDER BY due_at LIMIT $4"
        );
        let sql = format!(
            "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE id IN ({candidates}{lock}) RETURNING {COLUMNS}"
        );
        let rows: Vec<MessageRow> = on!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(worker).bind(lease_until).bind(now).bind(limit)
            .fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(QueuedMessage::try_from).collect()
    }

    async fn claim_message(
        &self,
        id: &str,
        worker: &str,
        lease_until: i64,
    ) -> StoreResult<Option<QueuedMessage>> {
        let sql = format!(
            "UPDATE outbox SET lease_owner = $2, lease_until = $3, attempts = attempts + 1 \
             WHERE id = $1 AND status = 'pending' AND lease_until IS NULL RETURNING {COLUMNS}"
        );
        let row: Option<MessageRow> = on!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).bind(worker).bind(lease_until)
            .fetch_optional(p).await.map_err(db_err)?);
        row.map(QueuedMessage::try_from).transpose()
    }

    async fn finish_message(
        &self,
        id: &str,
        worker: &str,
        outcome: &MessageOutcome,
        now: i64,
    ) -> StoreResult<bool> {
        let wiped: &[u8] = &[];
        let n = match outcome {
            MessageOutcome::Delivered { provider_ref } => on!(self, p => sqlx::query(
                "UPDATE outbox SET status = 'delivered', finished_at = $3, provider_ref = $4, \
                 payload = CASE WHEN channel = 'event' THEN payload ELSE $5 END, lease_until = NULL, last_error = NULL \
                 WHERE id = $1 AND lease_owner = $2 AND status = 'pending'")
                .bind(id).bind(worker).bind(now).bind(provider_ref).bind(wiped)
                .execute(p).await.map_err(db_err)?.rows_affected()),
            MessageOutcome::Retry { at, error } => on!(self, p => sqlx::query(
                "UPDATE outbox SET due_at = $3, last_error = $4, lease_owner = NULL, lease_until = NULL \
                 WHERE id = $1 AND lease_owner = $2 AND status = 'pending'")
                .bind(id).bind(worker).bind(at).bind(error)
                .execute(p).await.map_err(db_err)?.rows_affected()),
            MessageOutcome::GaveUp { error } => on!(self, p => sqlx::query(
                "UPDATE outbox SET status = 'failed', finished_at = $3, last_error = $4, \
                 payload = CASE WHEN channel = 'event' THEN payload ELSE $5 END, lease_until = NULL \
                 WHERE id = $1 AND lease_owner = $2 AND status = 'pending'")
                .bind(id).bind(worker).bind(now).bind(error).bind(wiped)
                .execute(p).await.map_err(db_err)?.rows_affected()),
        };
        Ok(n == 1)
    }

    async fn record_receipt(&self, provider_ref: &str, receipt: &str) -> StoreResult<bool> {
        let n = on!(self, p => sqlx::query("UPDATE outbox SET receipt = $2 WHERE provider_ref = $1")
            .bind(provider_ref).bind(receipt).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n > 0)
    }

    async fn outbox_depth(&self) -> StoreResult<OutboxDepth> {
        let (pending, oldest): (i64, Option<i64>) = on!(self, p => sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending'")
            .fetch_one(p).await.map_err(db_err)?);
        Ok(OutboxDepth { pending, oldest })
    }

    async fn requeue_events(
        &self,
        id: Option<&str>,
        since: i64,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<u64> {
        let n = on!(self, p => sqlx::query(
            "UPDATE outbox SET status = 'pending', due_at = $3, expires_at = $4, attempts = 0, \
             lease_owner = NULL, lease_until = NULL, finished_at = NULL, last_error = NULL \
             WHERE channel = 'event' AND length(payload) > 0 AND \
             (id = $1 OR ($1 IS NULL AND status = 'failed' AND created_at >= $2))")
            .bind(id).bind(since).bind(now).bind(expires_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n)
    }

    async fn purge_messages(&self, before: i64) -> StoreResult<u64> {
        let n = on!(self, p => sqlx::query(
            "DELETE FROM outbox WHERE status <> 'pending' AND finished_at < $1")
            .bind(before).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n)
    }
}
