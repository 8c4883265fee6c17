//! The [`Store`] implementation. Every method is one SQL text that both backends run.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use connectid_core::account::{Account, AccountIdentifier};
use connectid_core::client::{ClientMetadata, SigningAlg};
use connectid_core::identifier::{Identifier, IdentifierKind};
use connectid_core::keys::StoredKey;
use connectid_core::oidc::Acr;
use connectid_core::store::{
    AuditEvent, AuditQuery, AuthCode, ClientRecord, CodeUse, DeviceSecretRecord, Grant, NewAccount,
    Otp, RefreshTokenRecord, RefreshUse, SsoSession, Store, StoreError, StoreResult,
};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// A connection pool to one of the two supported databases.
pub struct Database {
    pub(crate) pool: Pool,
}

/// Runs `$body` with `$p` bound to whichever native pool this database has.
macro_rules! on {
    ($self:ident, $p:ident => $body:expr) => {
        match &$self.pool {
            Pool::Sqlite($p) => $body,
            Pool::Pg($p) => $body,
        }
    };
}

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(d.message().to_string())
        }
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound,
        _ => StoreError::Database(e.to_string()),
    }
}

/// Opens the database a `database_url` names: `sqlite://path` or `postgres://…`.
pub async fn connect(url: &str) -> StoreResult<Database> {
    if url.starts_with("sqlite:") {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Database(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await
            .map_err(db_err)?;
        Ok(Database {
            pool: Pool::Sqlite(pool),
        })
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let opts =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Database(e.to_string()))?;
        pg(opts).await
    } else {
        Err(StoreError::Database(
            "database_url must start with sqlite:// or postgres://".into(),
        ))
    }
}

/// Opens PostgreSQL with every table in `schema` (created if missing): tests use one each.
pub async fn connect_postgres_schema(url: &str, schema: &str) -> StoreResult<Database> {
    if !schema
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(StoreError::Database("bad schema name".into()));
    }
    let opts = PgConnectOptions::from_str(url).map_err(|e| StoreError::Database(e.to_string()))?;
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(opts.clone())
        .await
        .map_err(db_err)?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE SCHEMA IF NOT EXISTS {schema}"
    )))
    .execute(&admin)
    .await
    .map_err(db_err)?;
    admin.close().await;
    pg(opts.options([("search_path", schema)])).await
}

async fn pg(opts: PgConnectOptions) -> StoreResult<Database> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(opts)
        .await
        .map_err(db_err)?;
    Ok(Database {
        pool: Pool::Pg(pool),
    })
}

fn json_vec(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn parse_vec(s: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn acr(level: i64) -> StoreResult<Acr> {
    Acr::from_level(level).ok_or_else(|| StoreError::Corrupt(format!("acr {level}")))
}

type ClientRow = (String, Option<String>, String, i64, i64);

fn client_from_row(r: ClientRow) -> StoreResult<ClientRecord> {
    let metadata: ClientMetadata =
        serde_json::from_str(&r.2).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(ClientRecord {
        client_id: r.0,
        secret_hash: r.1,
        metadata,
        created_at: r.3,
        updated_at: r.4,
    })
}

type SessionRow = (
    String,
    String,
    String,
    i64,
    String,
    i64,
    bool,
    i64,
    i64,
    i64,
);

fn session_from_row(r: SessionRow) -> StoreResult<SsoSession> {
    Ok(SsoSession {
        id_hash: r.0,
        sid: r.1,
        account_id: r.2,
        acr: acr(r.3)?,
        amr: parse_vec(&r.4)?,
        auth_time: r.5,
        remember: r.6,
        created_at: r.7,
        last_seen: r.8,
        expires_at: r.9,
    })
}

type GrantRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    String,
    bool,
    i64,
    i64,
    Option<i64>,
);

fn grant_from_row(r: GrantRow) -> StoreResult<Grant> {
    Ok(Grant {
        id: r.0,
        account_id: r.1,
        client_id: r.2,
        scope: r.3,
        claims: r.4,
        sid: r.5,
        auth_time: r.6,
        acr: acr(r.7)?,
        amr: parse_vec(&r.8)?,
        td_sls: r.9,
        created_at: r.10,
        expires_at: r.11,
        revoked_at: r.12,
    })
}

fn alg_from_str(s: &str) -> StoreResult<SigningAlg> {
    match s {
        "RS256" => Ok(SigningAlg::RS256),
        "ES256" => Ok(SigningAlg::ES256),
        "EdDSA" => Ok(SigningAlg::EdDSA),
        other => Err(StoreError::Corrupt(format!("key algorithm {other}"))),
    }
}

impl Database {
    async fn account_by_id(&self, id: &str) -> StoreResult<Option<Account>> {
        let row: Option<(String, Option<String>, i64, i64)> = on!(self, p => sqlx::query_as(
            "SELECT id, password_hash, created_at, updated_at FROM accounts WHERE id = $1")
            .bind(id).fetch_optional(p).await.map_err(db_err)?);
        let Some(row) = row else { return Ok(None) };
        let ids: Vec<(String, String, bool)> = on!(self, p => sqlx::query_as(
            "SELECT kind, value, verified FROM identifiers WHERE account_id = $1 ORDER BY created_at, value")
            .bind(id).fetch_all(p).await.map_err(db_err)?);
        let identifiers = ids
            .into_iter()
            .map(|(kind, value, verified)| {
                let kind = IdentifierKind::from_str(&kind)
                    .map_err(|_| StoreError::Corrupt(format!("identifier kind {kind}")))?;
                Ok(AccountIdentifier {
                    identifier: Identifier::from_stored(kind, value),
                    verified,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(Account {
            id: row.0,
            password_hash: row.1,
            created_at: row.2,
            updated_at: row.3,
            identifiers,
        }))
    }
}

#[async_trait]
impl Store for Database {
    async fn migrate(&self) -> StoreResult<()> {
        let res = match &self.pool {
            Pool::Sqlite(p) => crate::migrations::sqlite().run(p).await,
            Pool::Pg(p) => crate::migrations::postgres().run(p).await,
        };
        res.map_err(|e| StoreError::Migration(e.to_string()))
    }

    async fn ping(&self) -> StoreResult<()> {
        on!(self, p => sqlx::query("SELECT 1").execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

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
        row.map(client_from_row).transpose()
    }

    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> = on!(self, p => sqlx::query_as(
            "SELECT client_id, secret_hash, metadata, created_at, updated_at FROM clients ORDER BY created_at, client_id")
            .fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(client_from_row).collect()
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

    async fn create_account(&self, a: &NewAccount) -> StoreResult<Account> {
        on!(self, p => {
            let mut tx = p.begin().await.map_err(db_err)?;
            sqlx::query("INSERT INTO accounts (id, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $3)")
                .bind(&a.id).bind(&a.password_hash).bind(a.now)
                .execute(&mut *tx).await.map_err(db_err)?;
            for (identifier, verified) in &a.identifiers {
                sqlx::query("INSERT INTO identifiers (value, kind, account_id, verified, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&identifier.value).bind(identifier.kind.as_str()).bind(&a.id).bind(*verified).bind(a.now)
                    .execute(&mut *tx).await.map_err(db_err)?;
            }
            tx.commit().await.map_err(db_err)?;
        });
        self.account_by_id(&a.id).await?.ok_or(StoreError::NotFound)
    }

    async fn get_account(&self, id: &str) -> StoreResult<Option<Account>> {
        self.account_by_id(id).await
    }

    async fn find_account(&self, identifier: &Identifier) -> StoreResult<Option<Account>> {
        let id: Option<(String,)> = on!(self, p => sqlx::query_as(
            "SELECT account_id FROM identifiers WHERE value = $1")
            .bind(&identifier.value).fetch_optional(p).await.map_err(db_err)?);
        match id {
            Some((id,)) => self.account_by_id(&id).await,
            None => Ok(None),
        }
    }

    async fn add_identifier(
        &self,
        account_id: &str,
        identifier: &Identifier,
        verified: bool,
        now: i64,
    ) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO identifiers (value, kind, account_id, verified, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&identifier.value).bind(identifier.kind.as_str()).bind(account_id).bind(verified).bind(now)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn set_identifier_verified(&self, identifier: &Identifier) -> StoreResult<()> {
        on!(self, p => sqlx::query("UPDATE identifiers SET verified = TRUE WHERE value = $1")
            .bind(&identifier.value).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn remove_identifier(
        &self,
        account_id: &str,
        identifier: &Identifier,
    ) -> StoreResult<()> {
        // One statement, so two concurrent removals cannot both pass the "not the last" check.
        let n = on!(self, p => sqlx::query(
            "DELETE FROM identifiers WHERE value = $1 AND account_id = $2 \
             AND (SELECT COUNT(*) FROM identifiers WHERE account_id = $2) > 1")
            .bind(&identifier.value).bind(account_id).execute(p).await.map_err(db_err)?.rows_affected());
        if n == 0 {
            return Err(StoreError::Conflict(
                "the last identifier of an account cannot be removed, or it is not on this account"
                    .into(),
            ));
        }
        Ok(())
    }

    async fn set_password(&self, account_id: &str, hash: &str, now: i64) -> StoreResult<()> {
        let n = on!(self, p => sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(account_id).bind(hash).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_account(&self, id: &str) -> StoreResult<bool> {
        let n = on!(self, p => {
            let mut tx = p.begin().await.map_err(db_err)?;
            sqlx::query("UPDATE grants SET revoked_at = COALESCE(revoked_at, $2) WHERE account_id = $1")
                .bind(id).bind(i64::MAX).execute(&mut *tx).await.map_err(db_err)?;
            let n = sqlx::query("DELETE FROM accounts WHERE id = $1")
                .bind(id).execute(&mut *tx).await.map_err(db_err)?.rows_affected();
            tx.commit().await.map_err(db_err)?;
            n
        });
        Ok(n > 0)
    }

    async fn insert_key(&self, k: &StoredKey) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO signing_keys (kid, alg, private_key, created_at, retired_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&k.kid).bind(k.alg.as_str()).bind(&k.private_key).bind(k.created_at).bind(k.retired_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn list_keys(&self, now: i64, keep_secs: i64) -> StoreResult<Vec<StoredKey>> {
        let rows: Vec<(String, String, Vec<u8>, i64, Option<i64>)> = on!(self, p => sqlx::query_as(
            "SELECT kid, alg, private_key, created_at, retired_at FROM signing_keys \
             WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at, kid")
            .bind(now - keep_secs).fetch_all(p).await.map_err(db_err)?);
        rows.into_iter()
            .map(|r| {
                Ok(StoredKey {
                    kid: r.0,
                    alg: alg_from_str(&r.1)?,
                    private_key: r.2,
                    created_at: r.3,
                    retired_at: r.4,
                })
            })
            .collect()
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
        row.map(session_from_row).transpose()
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
        row.map(session_from_row).transpose()
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
        rows.into_iter().map(session_from_row).collect()
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
        row.map(grant_from_row).transpose()
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

    async fn clients_of_session(&self, sid: &str) -> StoreResult<Vec<ClientRecord>> {
        let rows: Vec<ClientRow> = on!(self, p => sqlx::query_as(
            "SELECT client_id, secret_hash, metadata, created_at, updated_at FROM clients \
             WHERE client_id IN (SELECT client_id FROM grants WHERE sid = $1 AND issued_at IS NOT NULL) \
             ORDER BY client_id")
            .bind(sid).fetch_all(p).await.map_err(db_err)?);
        rows.into_iter().map(client_from_row).collect()
    }

    async fn insert_code(&self, c: &AuthCode) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO auth_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge, nonce, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&c.code_hash).bind(&c.grant_id).bind(&c.client_id).bind(&c.redirect_uri)
            .bind(&c.code_challenge).bind(&c.nonce).bind(c.expires_at)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn consume_code(&self, code_hash: &str, now: i64) -> StoreResult<CodeUse> {
        type Row = (String, String, String, Option<String>, Option<String>, i64);
        let fresh: Option<Row> = on!(self, p => sqlx::query_as(
            "UPDATE auth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING grant_id, client_id, redirect_uri, code_challenge, nonce, expires_at")
            .bind(code_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        if let Some(r) = fresh {
            return Ok(CodeUse::Fresh(AuthCode {
                code_hash: code_hash.to_string(),
                grant_id: r.0,
                client_id: r.1,
                redirect_uri: r.2,
                code_challenge: r.3,
                nonce: r.4,
                expires_at: r.5,
            }));
        }
        let used: Option<(String, Option<i64>)> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, used_at FROM auth_codes WHERE code_hash = $1")
            .bind(code_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(match used {
            Some((grant_id, Some(_))) => CodeUse::Reused { grant_id },
            _ => CodeUse::Unknown,
        })
    }

    async fn insert_refresh_token(
        &self,
        token_hash: &str,
        grant_id: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, grant_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash).bind(grant_id).bind(now).bind(expires_at)
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
        let used: Option<(String, Option<i64>)> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, used_at FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(match used {
            Some((grant_id, Some(_))) => RefreshUse::Reused { grant_id },
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
        let row: Option<(String, i64, i64, Option<i64>)> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, created_at, expires_at, used_at FROM refresh_tokens WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| RefreshTokenRecord {
            grant_id: r.0,
            created_at: r.1,
            expires_at: r.2,
            used_at: r.3,
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
        rows.into_iter().map(client_from_row).collect()
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
        let row: Option<(String, String, i64, i64)> = on!(self, p => sqlx::query_as(
            "SELECT grant_id, publisher, created_at, expires_at FROM device_secrets \
             WHERE secret_hash = $1 AND expires_at > $2")
            .bind(secret_hash).bind(now).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| DeviceSecretRecord {
            grant_id: r.0,
            publisher: r.1,
            created_at: r.2,
            expires_at: r.3,
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

    async fn insert_otp(&self, o: &Otp) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO otps (id, purpose, target, code_hash, attempts, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&o.id).bind(&o.purpose).bind(&o.target).bind(&o.code_hash).bind(o.attempts)
            .bind(o.created_at).bind(o.expires_at).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn latest_otp(&self, purpose: &str, target: &str, now: i64) -> StoreResult<Option<Otp>> {
        let row: Option<(String, String, String, String, i64, i64, i64)> = on!(self, p => sqlx::query_as(
            "SELECT id, purpose, target, code_hash, attempts, created_at, expires_at FROM otps \
             WHERE target = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > $3 \
             ORDER BY created_at DESC, id DESC LIMIT 1")
            .bind(target).bind(purpose).bind(now).fetch_optional(p).await.map_err(db_err)?);
        Ok(row.map(|r| Otp {
            id: r.0,
            purpose: r.1,
            target: r.2,
            code_hash: r.3,
            attempts: r.4,
            created_at: r.5,
            expires_at: r.6,
        }))
    }

    async fn add_otp_attempt(&self, id: &str) -> StoreResult<()> {
        on!(self, p => sqlx::query("UPDATE otps SET attempts = attempts + 1 WHERE id = $1")
            .bind(id).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn consume_otp(&self, id: &str, now: i64) -> StoreResult<bool> {
        let n = on!(self, p => sqlx::query("UPDATE otps SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL")
            .bind(id).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n == 1)
    }

    async fn rate_hit(&self, key: &str, window_secs: i64, now: i64) -> StoreResult<i64> {
        let row: (i64,) = on!(self, p => sqlx::query_as(
            "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END, \
               window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END \
             RETURNING count")
            .bind(key).bind(now).bind(now - window_secs).fetch_one(p).await.map_err(db_err)?);
        Ok(row.0)
    }

    async fn audit(&self, e: &AuditEvent) -> StoreResult<()> {
        on!(self, p => sqlx::query(
            "INSERT INTO audit_events (at, kind, account_id, client_id, ip, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(e.at).bind(&e.kind).bind(&e.account_id).bind(&e.client_id).bind(&e.ip).bind(&e.outcome).bind(&e.detail)
            .execute(p).await.map_err(db_err)?.rows_affected());
        Ok(())
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
        type Row = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
        );
        let rows: Vec<Row> = on!(self, p => sqlx::query_as(
            "SELECT at, kind, account_id, client_id, ip, outcome, detail FROM audit_events \
             WHERE ($1 IS NULL OR account_id = $1) AND ($2 IS NULL OR client_id = $2) \
               AND ($3 IS NULL OR kind = $3) AND ($4 IS NULL OR at >= $4) \
             ORDER BY id DESC LIMIT $5")
            .bind(&q.account_id).bind(&q.client_id).bind(&q.kind).bind(q.since).bind(q.limit)
            .fetch_all(p).await.map_err(db_err)?);
        Ok(rows
            .into_iter()
            .map(|r| AuditEvent {
                at: r.0,
                kind: r.1,
                account_id: r.2,
                client_id: r.3,
                ip: r.4,
                outcome: r.5,
                detail: r.6,
            })
            .collect())
    }

    async fn purge_audit(&self, before: i64) -> StoreResult<u64> {
        Ok(
            on!(self, p => sqlx::query("DELETE FROM audit_events WHERE at < $1")
            .bind(before).execute(p).await.map_err(db_err)?.rows_affected()),
        )
    }

    async fn purge_expired(&self, now: i64) -> StoreResult<u64> {
        let mut total = 0;
        for sql in [
            "DELETE FROM interactions WHERE expires_at <= $1",
            "DELETE FROM sso_sessions WHERE expires_at <= $1",
            "DELETE FROM auth_codes WHERE expires_at <= $1",
            "DELETE FROM refresh_tokens WHERE expires_at <= $1",
            "DELETE FROM seen_jtis WHERE expires_at <= $1",
            "DELETE FROM otps WHERE expires_at <= $1",
            "DELETE FROM device_secrets WHERE expires_at <= $1",
        ] {
            total += on!(self, p => sqlx::query(sql).bind(now).execute(p).await.map_err(db_err)?.rows_affected());
        }
        total += crate::ratelimit::purge(self, now.saturating_mul(1000)).await?;
        Ok(total)
    }
}
