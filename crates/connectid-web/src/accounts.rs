//! Account use cases, written once for every caller: My account, the admin API and the
//! command line (`connectid accounts delete`) delete an account the same way, so services
//! hear of it by back-channel logout and the audit log records it whoever did it.

use connectid_core::store::StoreError;

use crate::state::AppState;

/// Who asked: recorded with the audit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person, signed in to My account.
    Owner,
    /// An operator, on the command line.
    Operator,
}

impl Actor {
    fn detail(self) -> Option<String> {
        match self {
            Self::Owner => None,
            Self::Operator => Some("by an operator (command line)".into()),
        }
    }
}

/// Deletes the account: every session ends and every grant is revoked first (services with
/// a `backchannel_logout_uri` get a logout token per session), then the account with its
/// identifiers goes, and the audit log says so. False when there was no such account.
pub async fn delete(state: &AppState, account_id: &str, by: Actor) -> Result<bool, StoreError> {
    if state.store.get_account(account_id).await?.is_none() {
        return Ok(false);
    }
    crate::sessions::end_all_but(state, account_id, None).await?;
    if !state.store.delete_account(account_id).await? {
        return Ok(false);
    }
    crate::audit::record(
        state,
        "account_deleted",
        Some(account_id),
        None,
        "success",
        by.detail(),
    )
    .await;
    Ok(true)
}
