//! Moving accounts in and out (`connectid accounts import` / `export`): the use case behind
//! the command, for any other caller (an admin console) to run the same way. An import is a
//! migration, not a sign-up: it sends no `account.created` events and no notices, and the
//! audit log records each written batch once, not each account.

use connectid_core::audit::AuditKind;
use connectid_core::import::{AccountLine, ImportedAccount, export_line};
use connectid_core::store::{ImportOutcome, StoreError};

use crate::app::accounts::Actor;
use crate::state::AppState;

/// Accounts per transaction, and per export page.
pub const BATCH: usize = 1000;

/// Imports one batch (one transaction; nothing on a `dry_run`) and says what became of each
/// account, in order.
pub async fn import_batch(
    state: &AppState,
    batch: &[ImportedAccount],
    dry_run: bool,
    by: Actor,
) -> Result<Vec<ImportOutcome>, StoreError> {
    let outcomes = state
        .store
        .import_accounts(batch, state.now(), dry_run)
        .await?;
    let written = outcomes
        .iter()
        .filter(|o| matches!(o, ImportOutcome::Imported(_)))
        .count();
    if !dry_run && written > 0 {
        let detail = match by {
            Actor::Person => format!("{written} accounts"),
            _ => format!("{written} accounts, {}", by_whom(by)),
        };
        crate::audit::record(
            state,
            AuditKind::AccountsImported,
            None,
            None,
            "success",
            Some(detail),
        )
        .await;
    }
    Ok(outcomes)
}

fn by_whom(by: Actor) -> &'static str {
    match by {
        Actor::Admin => "by an operator (admin API)",
        _ => "by an operator (command line)",
    }
}

/// One page of the export: up to [`BATCH`] accounts after `after`, as file lines, and the
/// id to continue after (none at the end).
pub async fn export_page(
    state: &AppState,
    after: Option<&str>,
) -> Result<(Vec<AccountLine>, Option<String>), StoreError> {
    let page = state.store.export_accounts(after, BATCH as i64).await?;
    let next = (page.len() == BATCH)
        .then(|| page.last().map(|(a, _)| a.id.clone()))
        .flatten();
    let lines = page
        .into_iter()
        .map(|(account, external_id)| export_line(&account, external_id))
        .collect();
    Ok((lines, next))
}
