//! The [`Store`] implementation. Every method is one SQL text that both backends run.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use connectid_core::account::{Account, AccountIdentifier};
use connectid_core::client::{ClientMetadata, SigningAlg};
use connectid_core::identifier::{Identifier, IdentifierKind};
use connectid_core::keys::StoredKey;
use connectid_core::oidc::{Acr, Amr};
use connectid_core::store::OutboxStore;
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
        // The connection, not the statement: down, restarting, cut off, pool exhausted.
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
        // PostgreSQL's connection exceptions (08…), shutdowns and "cannot connect now"
        // (57P…), too many connections, a database closed to connections (55000).
        sqlx::Error::Database(d)
            if d.code().is_some_and(|c| {
                c.starts_with("08") || c.starts_with("57P") || c == "53300" || c == "55000"
            }) =>
        {
            StoreError::Unavailable(e.to_string())
        }
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
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(opts)
        .await
        .map_err(db_err)?;
    Ok(Database {
        pool: Pool::Pg(pool),
    })
}

/// The `amr` column: the methods as the JSON array the ID token shows.
fn json_vec(v: &[Amr]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// An account and its identifiers in one statement (a statement is a thread hop on SQLite
/// and a round trip on PostgreSQL): `{which}` picks the account by `$1`.
macro_rules! account_query {
    ($which:literal) => {
        concat!(
            "SELECT a.id, a.password_hash, a.created_at, a.updated_at, a.locked_at, \
             i.kind, i.value, i.verified \
             FROM accounts a LEFT JOIN identifiers i ON i.account_id = a.id WHERE ",
            $which,
            " ORDER BY i.created_at, i.value"
        )
    };
}

impl Database {
    async fn account_by_id(&self, id: &str) -> StoreResult<Option<Account>> {
        let rows: Vec<AccountIdentifierRow> = on!(self, p => sqlx::query_as(
            account_query!("a.id = $1"))
            .bind(id).fetch_all(p).await.map_err(db_err)?);
        account_of(rows)
    }

    /// The account an identifier belongs to, in the same one statement.
    async fn account_by_identifier(&self, value: &str) -> StoreResult<Option<Account>> {
        let rows: Vec<AccountIdentifierRow> = on!(self, p => sqlx::query_as(
            account_query!("a.id = (SELECT account_id FROM identifiers WHERE value = $1)"))
            .bind(value).fetch_all(p).await.map_err(db_err)?);
        account_of(rows)
    }
}

/// The account the join's rows describe; `None` without rows.
fn account_of(rows: Vec<AccountIdentifierRow>) -> StoreResult<Option<Account>> {
    let mut identifiers = Vec::with_capacity(rows.len());
    let mut first = None;
    for r in rows {
        if let (Some(kind), Some(value), Some(verified)) = (r.kind, r.value, r.verified) {
            identifiers.push(AccountIdentifier::try_from(IdentifierRow {
                kind,
                value,
                verified,
            })?);
        }
        first.get_or_insert(AccountRow {
            id: r.id,
            password_hash: r.password_hash,
            created_at: r.created_at,
            updated_at: r.updated_at,
            locked_at: r.locked_at,
        });
    }
    Ok(first.map(|row| Account {
        id: row.id,
        password_hash: row.password_hash,
        created_at: row.created_at,
        updated_at: row.updated_at,
        identifiers,
        locked_at: row.locked_at,
    }))
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
        total += self.purge_messages(now - MESSAGE_RETENTION).await?;
        total += crate::ratelimit::purge(self, now.saturating_mul(1000)).await?;
        Ok(total)
    }
}

/// How long a delivered or given-up message's row (without its payload) is kept, so
/// support can tell whether an SMS went out.
const MESSAGE_RETENTION: i64 = 7 * 86_400;

// One file per aggregate (declared after `on!`, which they use).
mod accounts;
mod audit;
mod clients;
mod grants;
mod keys;
mod otps;
mod outbox;
mod rows;
mod sessions;
mod transfer;
use rows::*;
