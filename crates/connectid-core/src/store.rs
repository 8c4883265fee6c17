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

mod outbox;
mod transfer;
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

/// An authorization: one account (or none for client_credentials), one client, one sign-in.
/// Codes, refresh tokens and access tokens hang off it, and revoking it ends all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub account_id: String,
    pub client_id: String,
    pub scope: String,
    /// The `claims` request parameter's id_token/userinfo parts, JSON.
    pub claims: Option<String>,
    pub sid: Option<String>,
    pub auth_time: i64,
    pub acr: Acr,
    pub amr: Vec<Amr>,
    pub td_sls: bool,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthCode {
    pub code_hash: String,
    pub grant_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub expires_at: i64,
    /// The DPoP key the code is bound to (`dpop_jkt`, RFC 9449 §10): only a token request
    /// with a proof by this key may exchange it.
    pub dpop_jkt: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CodeUse {
    Fresh(AuthCode),
    /// The code was used before: whatever it issued must be revoked.
    Reused {
        grant_id: String,
    },
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RefreshUse {
    Rotated {
        grant_id: String,
    },
    /// A rotated token came back: the family is compromised.
    Reused {
        grant_id: String,
    },
    Unknown,
}

/// A native SSO device secret (OpenID Connect Native SSO 1.0) as stored: the grant of the app
/// that got it, and the publisher whose apps may use it. Who signed in, how and when, comes
/// from that grant, so revoking the grant (logout, code reuse, "sign out everywhere") ends
/// the secret too without a revocation of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceSecretRecord {
    pub grant_id: String,
    pub publisher: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A refresh token as stored, for the questions introspection asks: is it still usable?
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshTokenRecord {
    pub grant_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Set when the token was rotated: it works no more, and coming back it means theft.
    pub used_at: Option<i64>,
    /// The DPoP key (thumbprint) a public client's token is bound to (RFC 9449 §5).
    pub dpop_jkt: Option<String>,
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

/// Grants and what hangs off them: codes, refresh tokens, device secrets, consent, and the
/// token ids seen (replay).
#[async_trait::async_trait]
pub trait GrantStore: Send + Sync {
    async fn create_grant(&self, grant: &Grant) -> StoreResult<()>;
    async fn get_grant(&self, id: &str) -> StoreResult<Option<Grant>>;
    async fn revoke_grant(&self, id: &str, now: i64) -> StoreResult<()>;
    async fn revoke_grants_of_session(&self, sid: &str, now: i64) -> StoreResult<u64>;
    /// Revokes every live grant of the account but those of the session `except_sid`.
    async fn revoke_grants_of_account(
        &self,
        account_id: &str,
        except_sid: Option<&str>,
        now: i64,
    ) -> StoreResult<u64>;
    /// The clients holding live tokens of this account (a grant exchanged for tokens, not
    /// revoked, not expired), each once, by name: "connected services" in My account.
    async fn connected_clients(&self, account_id: &str, now: i64)
    -> StoreResult<Vec<ClientRecord>>;
    /// Revokes every grant of this account at this client and forgets its consent
    /// ("disconnect"); returns how many grants were live.
    async fn disconnect_client(
        &self,
        account_id: &str,
        client_id: &str,
        now: i64,
    ) -> StoreResult<u64>;
    /// Records that a grant's code was exchanged for tokens: from then on its client holds a
    /// session of its own that back-channel logout must reach. Later calls keep the first time.
    async fn mark_grant_issued(&self, grant_id: &str, now: i64) -> StoreResult<()>;
    /// The grant, if it is neither revoked nor expired, marked issued as
    /// [`mark_grant_issued`](Self::mark_grant_issued) does: a code exchange's read and write
    /// in one statement.
    async fn issue_grant(&self, grant_id: &str, now: i64) -> StoreResult<Option<Grant>>;
    /// The clients that got tokens from grants of this SSO session, revoked or not: the ones
    /// to tell (back-channel logout) when the session ends. A code never exchanged does not
    /// count. Each client once.
    async fn clients_of_session(&self, sid: &str) -> StoreResult<Vec<ClientRecord>>;
    /// Every client the account was ever granted to (revoked or not): who may hear of it.
    async fn clients_used_by(&self, account_id: &str) -> StoreResult<Vec<String>>;
    async fn insert_code(&self, code: &AuthCode) -> StoreResult<()>;
    /// The grant and its code, written together: one statement where the database allows it
    /// (an SSO hit's only write).
    async fn create_grant_with_code(&self, grant: &Grant, code: &AuthCode) -> StoreResult<()>;
    /// Marks the code used, atomically: only one caller ever gets `Fresh`.
    async fn consume_code(&self, code_hash: &str, now: i64) -> StoreResult<CodeUse>;
    async fn insert_refresh_token(
        &self,
        token_hash: &str,
        grant_id: &str,
        now: i64,
        expires_at: i64,
        dpop_jkt: Option<&str>,
    ) -> StoreResult<()>;
    /// Marks the token used, atomically, and says which grant it belonged to.
    async fn use_refresh_token(&self, token_hash: &str, now: i64) -> StoreResult<RefreshUse>;
    async fn refresh_token_grant(&self, token_hash: &str) -> StoreResult<Option<String>>;
    /// The token's row whether used, expired or not; `None` only when it was never issued (or
    /// was purged).
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>>;
    async fn insert_device_secret(
        &self,
        secret_hash: &str,
        record: &DeviceSecretRecord,
    ) -> StoreResult<()>;
    /// The secret's row while it has not expired; `None` for an unknown or expired one.
    async fn get_device_secret(
        &self,
        secret_hash: &str,
        now: i64,
    ) -> StoreResult<Option<DeviceSecretRecord>>;
    /// Remembers a token id until it expires; false if it was already there (replay).
    async fn remember_jti(&self, jti: &str, expires_at: i64) -> StoreResult<bool>;
    async fn is_jti_known(&self, jti: &str) -> StoreResult<bool>;
    async fn get_consent(&self, account_id: &str, client_id: &str) -> StoreResult<Option<String>>;
    async fn put_consent(
        &self,
        account_id: &str,
        client_id: &str,
        scope: &str,
        now: i64,
    ) -> StoreResult<()>;
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
