//! Grants and what hangs off them: authorization codes, refresh tokens, device secrets,
//! consent, and the token ids seen once (replay).

use serde::{Deserialize, Serialize};

use super::{ClientRecord, StoreResult};
use crate::oidc::{Acr, Amr};

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
