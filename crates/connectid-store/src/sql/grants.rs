//! Grants and what hangs off them: codes, refresh tokens, device secrets, consent, and the token ids seen (replay).

use super::*;
use connectid_core::store::GrantStore;

#[async_trait]
impl GrantStore for Database {
    async fn create_grant(&self, g: &Grant) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO grants (id, account_id, client_id, scope, claims, sid, auth_time, acr, amr, td_sls, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .bind(&g.id).bind(&g.account_id).bind(&g.client_id).bind(&g.scope).bind(&g.claims).bind(&g.sid)
            .bind(g.auth_time).bind(g.acr.level()).bind(json_vec(&g.amr)).bind(g.td_sls)
            .bind(g.created_at).bind(g.expires_at).bind(g.revoked_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn get_grant(&self, id: &str) -> StoreResult<Option<Grant>> {
        let row: Option<GrantRow> = on!(self, p => sqlx::query_as(
            "SELECT id, account_id, client_id, scope, claims, sid, auth_time, acr, amr, td_sls, created_at, expires_at, revoked_at \
             FROM grants WHERE id = $1")
            .bind(id).fetch_optional(p).await.map_err(db_err)?);
        row.map(Grant::try_from).transpose()
    }

    async fn revoke_grant(&self, id: &str, now: i64) -> StoreResult<()> {
        on!(self, p => sqlx::query("UPDATE grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn revoke_grants_of_session(&self, sid: &str, now: i64) -> StoreResult<u64> {
        Ok(
            on!(self, p => sqlx::query("UPDATE grants SET revoked_at = $2 WHERE sid = $1 AND revoked_at IS NULL")
            .bind(sid).bind(now).execute(p).await.map_err(db_err)?.rows_affected()),
        )
    }

    async fn revoke_grants_of_account(
        &self,
        account_id: &str,
        except_sid: Option<&str>,
        now: i64,
    ) -> StoreResult<u64> {
        Ok(match except_sid {
            None => {
                on!(self, p => sqlx::query("UPDATE grants SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL")
                .bind(account_id).bind(now).execute(p).await.map_err(db_err)?.rows_affected())
            }
            Some(sid) => {
                on!(self, p => sqlx::query("UPDATE grants SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL AND (sid IS NULL OR sid <> $3)")
                .bind(account_id).bind(now).bind(sid).execute(p).await.map_err(db_err)?.rows_affected())
            }
        })
    }

    async fn mark_grant_issued(&self, grant_id: &str, now: i64) -> StoreResult<()> {
        on!(self, p => sqlx::query("UPDATE grants SET issued_at = $2 WHERE id = $1 AND issued_at IS NULL")
            .bind(grant_id).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn issue_grant(&self, grant_id: &str, now: i64) -> StoreResult<Option<Grant>> {
        let row: Option<GrantRow> = on!(self, p => sqlx::query_as(
            "UPDATE grants SET issued_at = COALESCE(issued_at, $2) \
             WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 \
             RETURNING id, account_id, client_id, scope, claims, sid, auth_time, acr, amr, td_sls, created_at, expires_at, revoked_at")
            .bind(grant_id).bind(now).fetch_optional(p).await.map_err(db_err)?);
        row.map(Grant::try_from).transpose()
    }

    async fn clients_of_session(&self, sid: &str) -> StoreResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> = on!(self, p => sqlx::query_as(
            "SELECT client_id, secret_hash, metadata, created_at, updated_at FROM clients \
             WHERE client_id IN (SELECT client_id FROM grants WHERE sid = $1 AND issued_at IS NOT NULL) \
             ORDER BY client_id")
            .bind(sid).fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(ClientRecord::try_from).collect()
    }

    async fn clients_used_by(&self, account_id: &str) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = on!(self, p => sqlx::query_as(
            "SELECT DISTINCT client_id FROM grants WHERE account_id = $1 ORDER BY client_id")
            .bind(account_id).fetch_all(p).await.map_err(db_err)?);
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }

    async fn insert_code(&self, c: &AuthCode) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO auth_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, nonce, expires_at, dpop_jkt) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&c.code_hash).bind(&c.grant_id).bind(&c.client_id).bind(&c.redirect_uri)
            .bind(&c.code_challenge).bind(&c.nonce).bind(c.expires_at).bind(&c.dpop_jkt)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn create_grant_with_code(&self, g: &Grant, c: &AuthCode) -> StoreResult<()> {
        // PostgreSQL: one statement, atomic. SQLite: two statements in one call (one hop to
        // sqlx's worker thread); a grant whose code failed to be written can never be used.
        const PG: &str = "WITH g AS (INSERT INTO grants (id, account_id, client_id, scope, claims, sid, \
             auth_time, acr, amr, td_sls, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id) \
             INSERT INTO auth_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, \
             nonce, expires_at, dpop_jkt) SELECT $14, g.id, $3, $15, $16, $17, $18, $19 FROM g";
        const SQLITE: &str = "INSERT INTO grants (id, account_id, client_id, scope, claims, sid, \
             auth_time, acr, amr, td_sls, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13); \
             INSERT INTO auth_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, \
             nonce, expires_at, dpop_jkt) VALUES ($14, $1, $3, $15, $16, $17, $18, $19)";
        let sql = match &self.pool {
            Pool::Sqlite(_) => SQLITE,
            Pool::Pg(_) => PG,
        };
        on!(self, p => sqlx::query(sql)
            .bind(&g.id).bind(&g.account_id).bind(&g.client_id).bind(&g.scope).bind(&g.claims).bind(&g.sid)
            .bind(g.auth_time).bind(g.acr.level()).bind(json_vec(&g.amr)).bind(g.td_sls)
            .bind(g.created_at).bind(g.expires_at).bind(g.revoked_at)
            .bind(&c.code_hash).bind(&c.redirect_uri).bind(&c.code_challenge).bind(&c.nonce)
            .bind(c.expires_at).bind(&c.dpop_jkt)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn consume_code(&self, code_hash: &str, now: i64) -> StoreResult<CodeUse> {
        let fresh: Option<CodeRow> = on!(self, p => sqlx::query_as(
            "UPDATE auth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING grant_id, client_id, redirect_uri, code_challenge, nonce, expires_at, dpop_jkt")
            .bind(code_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        if let Some(r) = fresh {
            return Ok(CodeUse::Fresh(AuthCode {
                code_hash: code_hash.to_string(),
                grant_id: r.grant_id,
                client_id: r.client_id,
                redirect_uri: r.redirect_uri,
                code_challenge: r.code_challenge,
                nonce: r.nonce,
                expires_at: r.expires_at,
                dpop_jkt: r.dpop_jkt,
            }));
        }
        let used: Option<UsedRow> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, used_at FROM auth_codes WHERE code_hash = $1")
            .bind(code_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(match used {
            Some(UsedRow {
                grant_id,
                used_at: Some(_),
            }) => CodeUse::Reused { grant_id },
            _ => CodeUse::Unknown,
        })
    }

    async fn insert_refresh_token(
        &self,
        token_hash: &str,
        grant_id: &str,
        now: i64,
        expires_at: i64,
        dpop_jkt: Option<&str>,
    ) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, grant_id, created_at, expires_at, dpop_jkt) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash).bind(grant_id).bind(now).bind(expires_at).bind(dpop_jkt)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn use_refresh_token(&self, token_hash: &str, now: i64) -> StoreResult<RefreshUse> {
        let fresh: Option<(String,)> = on!(self, p => sqlx::query_as(
            "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING grant_id")
            .bind(token_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        if let Some((grant_id,)) = fresh {
            return Ok(RefreshUse::Rotated { grant_id });
        }
        let used: Option<UsedRow> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, used_at FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(match used {
            Some(UsedRow {
                grant_id,
                used_at: Some(_),
            }) => RefreshUse::Reused { grant_id },
            _ => RefreshUse::Unknown,
        })
    }

    async fn refresh_token_grant(&self, token_hash: &str) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = on!(self, p => sqlx::query_as(
            "SELECT grant_id FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| r.0))
    }

    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        let row: Option<RefreshRow> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, created_at, expires_at, used_at, dpop_jkt FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| RefreshTokenRecord {
            grant_id: r.grant_id,
            created_at: r.created_at,
            expires_at: r.expires_at,
            used_at: r.used_at,
            dpop_jkt: r.dpop_jkt,
        }))
    }

    async fn connected_clients(
        &self,
        account_id: &str,
        now: i64,
    ) -> StoreResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> = on!(self, p => sqlx::query_as(
            "SELECT client_id, secret_hash, metadata, created_at, updated_at FROM clients WHERE client_id IN \
             (SELECT client_id FROM grants WHERE account_id = $1 AND revoked_at IS NULL AND expires_at > $2 \
              AND issued_at IS NOT NULL) ORDER BY client_id")
            .bind(account_id).bind(now).fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(ClientRecord::try_from).collect()
    }

    async fn disconnect_client(
        &self,
        account_id: &str,
        client_id: &str,
        now: i64,
    ) -> StoreResult<u64> {
        let n = on!(self, p => {
            let mut tx = p.begin().await.map_err(db_err)?;
            let n = sqlx::query(
                "UPDATE grants SET revoked_at = $3 WHERE account_id = $1 AND client_id = $2 \
                 AND revoked_at IS NULL AND expires_at > $3")
                .bind(account_id).bind(client_id).bind(now).execute(&mut *tx).await.map_err(db_err)?.rows_affected();
            sqlx::query("DELETE FROM consents WHERE account_id = $1 AND client_id = $2")
                .bind(account_id).bind(client_id).execute(&mut *tx).await.map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            n
        });
        Ok(n)
    }

    async fn insert_device_secret(
        &self,
        secret_hash: &str,
        r: &DeviceSecretRecord,
    ) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO device_secrets (secret_hash, grant_id, publisher, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(secret_hash).bind(&r.grant_id).bind(&r.publisher).bind(r.created_at).bind(r.expires_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn get_device_secret(
        &self,
        secret_hash: &str,
        now: i64,
    ) -> StoreResult<Option<DeviceSecretRecord>> {
        let row: Option<DeviceSecretRow> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, publisher, created_at, expires_at FROM device_secrets \
             WHERE secret_hash = $1 AND expires_at > $2")
            .bind(secret_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| DeviceSecretRecord {
            grant_id: r.grant_id,
            publisher: r.publisher,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }))
    }

    async fn remember_jti(&self, jti: &str, expires_at: i64) -> StoreResult<bool> {
        let n = on!(self, p => sqlx::query(
            "INSERT INTO seen_jtis (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING")
            .bind(jti).bind(expires_at).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n == 1)
    }

    async fn is_jti_known(&self, jti: &str) -> StoreResult<bool> {
        let row: Option<(String,)> = on!(self, p => sqlx::query_as("SELECT jti FROM seen_jtis WHERE jti = $1")
            .bind(jti).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.is_some())
    }

    async fn get_consent(&self, account_id: &str, client_id: &str) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = on!(self, p => sqlx::query_as(
            "SELECT scope FROM consents WHERE account_id = $1 AND client_id = $2")
            .bind(account_id).bind(client_id).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| r.0))
    }

    async fn put_consent(
        &self,
        account_id: &str,
        client_id: &str,
        scope: &str,
        now: i64,
    ) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO consents (account_id, client_id, scope, granted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at")
            .bind(account_id).bind(client_id).bind(scope).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }
}
