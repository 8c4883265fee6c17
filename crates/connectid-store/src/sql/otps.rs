//! One-time codes.

use super::*;
use connectid_core::store::OtpStore;

#[async_trait]
impl OtpStore for Database {
    async fn insert_otp(&self, o: &Otp) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO otps (id, purpose, target, code_hash, attempts, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&o.id).bind(&o.purpose).bind(&o.target).bind(&o.code_hash).bind(o.attempts)
            .bind(o.created_at).bind(o.expires_at).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn latest_otp(&self, purpose: &str, target: &str, now: i64) -> StoreResult<Option<Otp>> {
        let row: Option<OtpRow> = on!(self, p => sqlx::query_as(
            "SELECT id, purpose, target, code_hash, attempts, created_at, expires_at FROM otps \
             WHERE target = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > $3 \
             ORDER BY created_at DESC, id DESC LIMIT 1")
            .bind(target).bind(purpose).bind(now).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(Otp::from))
    }

    async fn add_otp_attempt(&self, id: &str) -> StoreResult<()> {
        on!(self, p => sqlx::query("UPDATE otps SET attempts = attempts + 1 WHERE id = $1")
            .bind(id).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn consume_otp(&self, id: &str, now: i64) -> StoreResult<bool> {
        let n = on!(self, p => sqlx::query("UPDATE otps SET consumed_at = $2, attempts = attempts + 1 WHERE id = $1 AND consumed_at IS NULL")
            .bind(id).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n == 1)
    }
}
