//! The storage port: everything connectid keeps, behind one trait with a SQLite and a
//! PostgreSQL implementation that pass the same conformance suite.
//!
//! Secrets arrive here already hashed; the store never sees a raw session id, code, refresh
//! token or client secret. The one exception is a message waiting in the outbox, which must
//! carry its code to the gateway: it arrives sealed (`QueuedMessage::payload`) and is wiped
//! once delivered or given up on.

use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::client::ClientMetadata;
use crate::identifier::Identifier;
use crate::keys::StoredKey;
use crate::oidc::{Acr, Amr};

mod grants;
mod outbox;
mod transfer;
pub use grants::*;
pub use outbox::*;
pub use transfer::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint said no: an identifier already on an account, a client id taken.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    /// The database is newer than this binary, or a migration failed.
    #[error("migration: {0}")]
    Migration(String),
    #[error("database: {0}")]
    Database(String),
    /// The database cannot be reached or refuses connections now (down, restarting, cut
    /// off): worth a retry in a moment, so answered with 503 and `Retry-After`.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq)]
pub struct ClientRecord {
    pub client_id: String,
    /// SHA-256 of the secret, for clients that authenticate with one.
    pub secret_hash: Option<String>,
    /// Registered metadata, without `client_id` and `client_secret`.
    pub metadata: ClientMetadata,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ClientRecord {
    /// How the service is named to people: its registered name, else its id.
    pub fn display_name(&self) -> &str {
        if self.metadata.client_name.is_empty() {
            &self.client_id
        } else {
            &self.metadata.client_name
        }
    }
}

/// A new account with its first identifiers.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub id: String,
    pub identifiers: Vec<(Identifier, bool)>,
    pub password_hash: Option<String>,
    pub now: i64,
}

/// The server side of the SSO cookie.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsoSession {
    /// SHA-256 of the cookie value.
    pub id_hash: String,
    /// Public session id: the `sid` claim.
    pub sid: String,
    pub account_id: String,
    pub acr: Acr,
    pub amr: Vec<Amr>,
    /// Time of the last real authentication (never of an SSO hit).
    pub auth_time: i64,
    /// "Stay signed in" was chosen; otherwise a browser-session cookie and a short idle time.
    pub remember: bool,
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Otp {
    pub id: String,
    pub purpose: String,
    pub target: String,
    pub code_hash: String,
    pub attempts: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub at: i64,
    pub kind: String,
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    pub ip: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// Which audit events to list (`connectid audit`).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    pub kind: Option<String>,
    /// Only events at or after this time.
    pub since: Option<i64>,
    pub limit: i64,
}

/// Clients (services) and their metadata.
#[async_trait::async_trait]
pub trait ClientStore: Send + Sync {
    async fn create_client(&self, client: &ClientRecord) -> StoreResult<()>;
    async fn get_client(&self, client_id: &str) -> StoreResult<Option<ClientRecord>>;
    async fn list_clients(&self) -> StoreResult<Vec<ClientRecord>>;
    /// Replaces metadata; the secret stays unless `secret_hash` is given.
    async fn update_client(&self, client: &ClientRecord) -> StoreResult<()>;
    async fn delete_client(&self, client_id: &str) -> StoreResult<bool>;
}

/// Accounts and their identifiers.
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_account(&self, account: &NewAccount) -> StoreResult<Account>;
    async fn get_account(&self, id: &str) -> StoreResult<Option<Account>>;
    async fn find_account(&self, identifier: &Identifier) -> StoreResult<Option<Account>>;
    async fn add_identifier(
        &self,
        account_id: &str,
        identifier: &Identifier,
        verified: bool,
        now: i64,
    ) -> StoreResult<()>;
    async fn set_identifier_verified(&self, identifier: &Identifier) -> StoreResult<()>;
    /// Refuses (Conflict) to remove the last identifier of an account.
    async fn remove_identifier(&self, account_id: &str, identifier: &Identifier)
    -> StoreResult<()>;
    async fn set_password(&self, account_id: &str, hash: &str, now: i64) -> StoreResult<()>;
    /// Locks the account (`Some(time)`) or unlocks it (`None`); false when it already was
    /// (or there is no such account).
    async fn set_locked(&self, account_id: &str, locked_at: Option<i64>) -> StoreResult<bool>;
    async fn delete_account(&self, id: &str) -> StoreResult<bool>;
}

/// Signing keys.
#[async_trait::async_trait]
pub trait KeyStore: Send + Sync {
    async fn insert_key(&self, key: &StoredKey) -> StoreResult<()>;
    /// Keys still published at `now`: unretired, or retired after `now - keep_secs`.
    async fn list_keys(&self, now: i64, keep_secs: i64) -> StoreResult<Vec<StoredKey>>;
    async fn retire_keys(&self, except_kids: &[String], now: i64) -> StoreResult<()>;
}

/// SSO sessions, and pending sign-ins (the state between the authorization request and
/// the redirect back).
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &SsoSession) -> StoreResult<()>;
    async fn get_session(&self, id_hash: &str, now: i64) -> StoreResult<Option<SsoSession>>;
    async fn touch_session(&self, id_hash: &str, now: i64, expires_at: i64) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<Option<SsoSession>>;
    async fn delete_session_by_sid(&self, sid: &str) -> StoreResult<bool>;
    async fn delete_sessions_of_account(&self, account_id: &str) -> StoreResult<u64>;
    /// The unexpired sessions of one account, newest first: what "sign out everywhere" ends.
    async fn sessions_of_account(&self, account_id: &str, now: i64)
    -> StoreResult<Vec<SsoSession>>;
    async fn put_interaction(&self, id_hash: &str, data: &str, expires_at: i64) -> StoreResult<()>;
    async fn get_interaction(&self, id_hash: &str, now: i64) -> StoreResult<Option<String>>;
    async fn delete_interaction(&self, id_hash: &str) -> StoreResult<()>;
    /// Reads and deletes in one statement, so that of two concurrent takers one gets it: a
    /// pushed authorization request is used once.
    async fn take_interaction(&self, id_hash: &str, now: i64) -> StoreResult<Option<String>>;
}

/// One-time codes.
#[async_trait::async_trait]
pub trait OtpStore: Send + Sync {
    async fn insert_otp(&self, otp: &Otp) -> StoreResult<()>;
    /// The newest unexpired, unconsumed code for this purpose and target.
    async fn latest_otp(&self, purpose: &str, target: &str, now: i64) -> StoreResult<Option<Otp>>;
    /// Counts a wrong try.
    async fn add_otp_attempt(&self, id: &str) -> StoreResult<()>;
    /// Uses the code up, counting the try too (a right code is one statement); false if it
    /// was used already.
    async fn consume_otp(&self, id: &str, now: i64) -> StoreResult<bool>;
}

/// The audit log.
#[async_trait::async_trait]
pub trait AuditStore: Send + Sync {
    async fn audit(&self, event: &AuditEvent) -> StoreResult<()>;
    /// Newest first, filtered by what `q` names.
    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEvent>>;
    /// Deletes audit events older than `before` (retention); returns how many.
    async fn purge_audit(&self, before: i64) -> StoreResult<u64>;
}

/// Everything connectid keeps, one trait per aggregate; the two backends implement all of
/// them (`connectid-store`), and `Arc<dyn Store>` reaches every method.
#[async_trait::async_trait]
pub trait Store:
    ClientStore
    + AccountStore
    + KeyStore
    + SessionStore
    + GrantStore
    + OtpStore
    + OutboxStore
    + TransferStore
    + AuditStore
    + Send
    + Sync
    + 'static
{
    /// Applies pending migrations; a database a newer release migrated is accepted as it is
    /// (migrations are additive, so rolling upgrades can restart the previous release).
    async fn migrate(&self) -> StoreResult<()>;
    async fn ping(&self) -> StoreResult<()>;
    /// Counts a hit in a fixed window and returns the count in the current window.
    async fn rate_hit(&self, key: &str, window_secs: i64, now: i64) -> StoreResult<i64>;
    /// Deletes what has expired; returns the number of rows removed.
    async fn purge_expired(&self, now: i64) -> StoreResult<u64>;
}
