//! Account use cases, written once for every caller: My account, the admin API and the
//! command line (`connectid accounts delete`) delete an account the same way, so services
//! hear of it by back-channel logout and the audit log records it whoever did it.

use connectid_core::account::Account;
use connectid_core::audit::AuditKind;
use connectid_core::crypto::random_uuid;
use connectid_core::events::EventKind;
use connectid_core::identifier::Identifier;
use connectid_core::store::{NewAccount, SsoSession, StoreError};

use crate::i18n::Arg;
use crate::signin::AccountNotice;
use crate::state::AppState;

/// Who asked: recorded with the audit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person themself: the sign-in pages, the operator's network, My account.
    Person,
    /// An operator, on the command line.
    Operator,
    /// An operator, through the admin API.
    Admin,
}

impl Actor {
    fn detail(self) -> Option<String> {
        match self {
            Self::Person => None,
            Self::Operator => Some("by an operator (command line)".into()),
            Self::Admin => Some("by an operator (admin API)".into()),
        }
    }
}

/// Creates an account with these identifiers (each proven or not) and, optionally, a
/// password hash; the audit log records the registration. `StoreError::Conflict` when an
/// identifier already belongs to an account.
pub async fn create(
    state: &AppState,
    identifiers: Vec<(Identifier, bool)>,
    password_hash: Option<String>,
    by: Actor,
) -> Result<Account, StoreError> {
    let account = state
        .store
        .create_account(&NewAccount {
            id: random_uuid(),
            identifiers,
            password_hash,
            now: state.now(),
        })
        .await?;
    crate::audit::record(
        state,
        AuditKind::Registration,
        Some(&account.id),
        None,
        "success",
        by.detail(),
    )
    .await;
    let data = super::events::account_data(&account);
    super::events::emit(state, EventKind::Created, &account.id, data).await;
    Ok(account)
}

/// Gives the account a new password hash. A change (not a first password) ends every other
/// session — all but `keep`, the one the person is using — revokes their grants and tells
/// the owner on every verified phone and email. Returns
/// whether it was a change.
pub async fn set_password(
    state: &AppState,
    account: &Account,
    hash: &str,
    keep: Option<&SsoSession>,
    client_id: Option<&str>,
    lang: &str,
) -> Result<bool, StoreError> {
    let changed = account.has_password();
    state
        .store
        .set_password(&account.id, hash, state.now())
        .await?;
    if changed {
        crate::app::sessions::end_all_but(state, &account.id, keep).await?;
        crate::signin::notify_password_changed(state, account, lang).await;
    }
    let kind = if changed {
        AuditKind::PasswordChanged
    } else {
        AuditKind::PasswordSet
    };
    crate::audit::record(state, kind, Some(&account.id), client_id, "success", None).await;
    let data = serde_json::json!({ "first_password": !changed });
    super::events::emit(state, EventKind::PasswordChanged, &account.id, data).await;
    Ok(changed)
}

/// Adds a proven identifier to the account (or marks it proven when the account already has
/// it), records it and tells the owner on the identifiers they had, so that a takeover cannot
/// go unnoticed. `StoreError::Conflict` when it belongs to another account.
pub async fn add_identifier(
    state: &AppState,
    account: &Account,
    identifier: &Identifier,
    client_id: Option<&str>,
    lang: &str,
) -> Result<(), StoreError> {
    if account
        .identifiers
        .iter()
        .any(|i| &i.identifier == identifier)
    {
        state.store.set_identifier_verified(identifier).await?;
    } else {
        state
            .store
            .add_identifier(&account.id, identifier, true, state.now())
            .await?;
    }
    crate::audit::record(
        state,
        AuditKind::IdentifierAdded,
        Some(&account.id),
        client_id,
        "success",
        None,
    )
    .await;
    let data = super::events::identifier_data(identifier);
    super::events::emit(state, EventKind::IdentifierAdded, &account.id, data).await;
    let args = [("identifier", Arg::Str(identifier.value.clone()))];
    let notice = AccountNotice {
        subject: "identifier-added-subject",
        body: "identifier-added-body",
        args: &args,
        purpose: "identifier_added",
    };
    crate::signin::notify_account(state, account, lang, &notice).await;
    Ok(())
}

/// Removes an identifier; `StoreError::Conflict` for the account's last one.
pub async fn remove_identifier(
    state: &AppState,
    account: &Account,
    identifier: &Identifier,
    client_id: Option<&str>,
) -> Result<(), StoreError> {
    state
        .store
        .remove_identifier(&account.id, identifier)
        .await?;
    crate::audit::record(
        state,
        AuditKind::IdentifierRemoved,
        Some(&account.id),
        client_id,
        "success",
        None,
    )
    .await;
    let data = super::events::identifier_data(identifier);
    super::events::emit(state, EventKind::IdentifierRemoved, &account.id, data).await;
    Ok(())
}

/// Deletes the account: every session ends and every grant is revoked first (services with
/// a `backchannel_logout_uri` get a logout token per session), then the account with its
/// identifiers goes, and the audit log says so. False when there was no such account.
pub async fn delete(state: &AppState, account_id: &str, by: Actor) -> Result<bool, StoreError> {
    if state.store.get_account(account_id).await?.is_none() {
        return Ok(false);
    }
    // Read before: the grants, and with them the services that would hear of it, go too.
    let targets = super::events::targets(state, account_id, EventKind::Deleted).await;
    crate::app::sessions::end_all_but(state, account_id, None).await?;
    if !state.store.delete_account(account_id).await? {
        return Ok(false);
    }
    super::events::emit_to(
        state,
        &targets,
        EventKind::Deleted,
        account_id,
        serde_json::json!({}),
    )
    .await;
    crate::audit::record(
        state,
        AuditKind::AccountDeleted,
        Some(account_id),
        None,
        "success",
        by.detail(),
    )
    .await;
    Ok(true)
}

/// Locks the account (an operator's decision: fraud, a dispute, a legal hold): every session
/// ends, every grant is revoked (services are told), and no sign-in succeeds until it is
/// unlocked; the audit log and the event subscribers hear of it. False when it was locked.
pub async fn lock(state: &AppState, account_id: &str, by: Actor) -> Result<bool, StoreError> {
    if !state
        .store
        .set_locked(account_id, Some(state.now()))
        .await?
    {
        return Ok(false);
    }
    crate::app::sessions::end_all_but(state, account_id, None).await?;
    crate::audit::record(
        state,
        AuditKind::AccountLocked,
        Some(account_id),
        None,
        "success",
        by.detail(),
    )
    .await;
    super::events::emit(state, EventKind::Locked, account_id, serde_json::json!({})).await;
    Ok(true)
}

/// Lifts a lock; false when the account was not locked.
pub async fn unlock(state: &AppState, account_id: &str, by: Actor) -> Result<bool, StoreError> {
    if !state.store.set_locked(account_id, None).await? {
        return Ok(false);
    }
    crate::audit::record(
        state,
        AuditKind::AccountUnlocked,
        Some(account_id),
        None,
        "success",
        by.detail(),
    )
    .await;
    super::events::emit(
        state,
        EventKind::Unlocked,
        account_id,
        serde_json::json!({}),
    )
    .await;
    Ok(true)
}
