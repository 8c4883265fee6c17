//! SSO sessions, and pending sign-ins (the state between the authorization request and the redirect back).

use super::*;
use connectid_core::store::SessionStore;

#[async_trait]
impl SessionStore for Database {
    async fn create_session(&self, s: &SsoSession) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO sso_sessions (id_hash, sid, account_id, acr, amr, auth_time, remember, created_at, last_seen, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(&s.id_hash).bind(&s.sid).bind(&s.account_id).bind(s.acr.level()).bind(json_vec(&s.amr))
            .bind(s.auth_time).bind(s.remember).bind(s.created_at).bind(s.last_seen).bind(s.expires_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn get_session(&self, id_hash: &str, now: i64) -> StoreResult<Option<SsoSession>> {
        let row: Option<SessionRow> = on!(self, p => sqlx::query_as(
            "SELECT id_hash, sid, account_id, acr, amr, auth_time, remember, created_at, last_seen, expires_at \
             FROM sso_sessions WHERE id_hash = $1 AND expires_at > $2")
            .bind(id_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        row.map(SsoSession::try_from).transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: i64, expires_at: i64) -> StoreResult<()> {
        on!(self, p => sqlx::query("UPDATE sso_sessions SET last_seen = $2, expires_at = $3 WHERE id_hash = $1")
            .bind(id_hash).bind(now).bind(expires_at).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<Option<SsoSession>> {
        let row: Option<SessionRow> = on!(self, p => sqlx::query_as(
            "DELETE FROM sso_sessions WHERE id_hash = $1 \
             RETURNING id_hash, sid, account_id, acr, amr, auth_time, remember, created_at, last_seen, expires_at")
            .bind(id_hash).fetch_optional(p).await.map_err(db_err)?);
        row.map(SsoSession::try_from).transpose()
    }

    async fn delete_session_by_sid(&self, sid: &str) -> StoreResult<bool> {
        let n = on!(self, p => sqlx::query("DELETE FROM sso_sessions WHERE sid = $1")
            .bind(sid).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n > 0)
    }

    async fn delete_sessions_of_account(&self, account_id: &str) -> StoreResult<u64> {
        Ok(
            on!(self, p => sqlx::query("DELETE FROM sso_sessions WHERE account_id = $1")
            .bind(account_id).execute(p).await.map_err(db_err)?.rows_affected()),
        )
    }

    async fn sessions_of_account(
        &self,
        account_id: &str,
        now: i64,
    ) -> StoreResult<Vec<SsoSession>> {
        let rows: Vec<SessionRow> = on!(self, p => sqlx::query_as(
            "SELECT id_hash, sid, account_id, acr, amr, auth_time, remember, created_at, last_seen, expires_at \
             FROM sso_sessions WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC, sid")
            .bind(account_id).bind(now).fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(SsoSession::try_from).collect()
    }

    async fn put_interaction(&self, id_hash: &str, data: &str, expires_at: i64) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO interactions (id_hash, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at")
            .bind(id_hash).bind(data).bind(expires_at).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn get_interaction(&self, id_hash: &str, now: i64) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = on!(self, p => sqlx::query_as(
            "SELECT data FROM interactions WHERE id_hash = $1 AND expires_at > $2")
            .bind(id_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| r.0))
    }

    async fn delete_interaction(&self, id_hash: &str) -> StoreResult<()> {
        on!(self, p => sqlx::query("DELETE FROM interactions WHERE id_hash = $1")
            .bind(id_hash).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn take_interaction(&self, id_hash: &str, now: i64) -> StoreResult<Option<String>> {
        let row: Option<(String, i64)> = on!(self, p => sqlx::query_as(
            "DELETE FROM interactions WHERE id_hash = $1 RETURNING data, expires_at")
            .bind(id_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(row
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(data, _)| data))
    }
}
