//! Moving accounts in and out in bulk (`connectid accounts import` / `export`): the storage
//! port, and the rule that says which lines of a batch are new, already there, or duplicates.

use std::collections::{HashMap, HashSet};

use super::StoreResult;
use crate::account::Account;
use crate::import::ImportedAccount;

/// What became of one imported account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Written (or, on a dry run, would be), with this `sub`.
    Imported(String),
    /// Already there: its `sub` or `external_id` exists, or, with neither given, all its
    /// identifiers belong to one account. A second run of the same file skips it.
    AlreadyThere,
    /// Refused: an identifier, `sub` or `external_id` of another account or of an earlier line.
    Duplicate(String),
}

/// What the database already holds of a batch's keys.
#[derive(Debug, Default)]
pub struct Existing {
    pub subs: HashSet<String>,
    pub external_ids: HashSet<String>,
    /// identifier value → the account it belongs to
    pub owners: HashMap<String, String>,
}

/// Bulk import and export of accounts.
#[async_trait::async_trait]
pub trait TransferStore: Send + Sync {
    /// Writes the batch's new accounts in one transaction (none on a `dry_run`) and says what
    /// became of each, in order. Accounts without a `sub` get a new one.
    async fn import_accounts(
        &self,
        batch: &[ImportedAccount],
        now: i64,
        dry_run: bool,
    ) -> StoreResult<Vec<ImportOutcome>>;
    /// Up to `limit` accounts with an id after `after`, in id order, with their external ids.
    async fn export_accounts(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<(Account, Option<String>)>>;
}

/// Sorts a batch into new, already there and duplicates, given what the database holds;
/// `new_id` names an account that comes without a `sub`.
pub fn classify(
    batch: &[ImportedAccount],
    existing: &Existing,
    mut new_id: impl FnMut() -> String,
) -> Vec<ImportOutcome> {
    let mut subs: HashSet<&str> = HashSet::new();
    let mut external_ids: HashSet<&str> = HashSet::new();
    let mut values: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(batch.len());
    for a in batch {
        if a.sub.as_ref().is_some_and(|s| existing.subs.contains(s))
            || a.external_id
                .as_ref()
                .is_some_and(|x| existing.external_ids.contains(x))
        {
            out.push(ImportOutcome::AlreadyThere);
            continue;
        }
        let owners: HashSet<&str> = a
            .identifiers
            .iter()
            .filter_map(|(i, _)| existing.owners.get(&i.value).map(String::as_str))
            .collect();
        let all_owned = a
            .identifiers
            .iter()
            .all(|(i, _)| existing.owners.contains_key(&i.value));
        if a.sub.is_none() && a.external_id.is_none() && owners.len() == 1 && all_owned {
            out.push(ImportOutcome::AlreadyThere);
            continue;
        }
        if let Some((i, _)) = a
            .identifiers
            .iter()
            .find(|(i, _)| existing.owners.contains_key(&i.value))
        {
            out.push(ImportOutcome::Duplicate(format!(
                "{} belongs to an existing account",
                i.value
            )));
            continue;
        }
        if let Some((i, _)) = a
            .identifiers
            .iter()
            .find(|(i, _)| values.contains(i.value.as_str()))
        {
            out.push(ImportOutcome::Duplicate(format!(
                "{} is on an earlier line",
                i.value
            )));
            continue;
        }
        if let Some(s) = a.sub.as_deref().filter(|s| subs.contains(s)) {
            out.push(ImportOutcome::Duplicate(format!(
                "sub {s} is on an earlier line"
            )));
            continue;
        }
        if let Some(x) = a
            .external_id
            .as_deref()
            .filter(|x| external_ids.contains(x))
        {
            out.push(ImportOutcome::Duplicate(format!(
                "external_id {x} is on an earlier line"
            )));
            continue;
        }
        values.extend(a.identifiers.iter().map(|(i, _)| i.value.as_str()));
        if let Some(s) = &a.sub {
            subs.insert(s);
        }
        if let Some(x) = &a.external_id {
            external_ids.insert(x);
        }
        out.push(ImportOutcome::Imported(
            a.sub.clone().unwrap_or_else(&mut new_id),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifier::Identifier;

    fn account(sub: Option<&str>, xid: Option<&str>, emails: &[&str]) -> ImportedAccount {
        ImportedAccount {
            sub: sub.map(str::to_string),
            identifiers: emails
                .iter()
                .map(|e| (Identifier::email(e).unwrap(), true))
                .collect(),
            password_hash: None,
            created_at: None,
            external_id: xid.map(str::to_string),
        }
    }

    #[test]
    fn new_there_and_duplicate_lines_are_told_apart() {
        let mut existing = Existing::default();
        existing.subs.insert("s-old".into());
        existing.external_ids.insert("x-old".into());
        existing.owners.insert("old@x.no".into(), "s-old".into());
        existing
            .owners
            .insert("other@x.no".into(), "s-other".into());
        let batch = [
            account(Some("s-old"), None, &["changed@x.no"]),
            account(None, Some("x-old"), &["changed2@x.no"]),
            account(None, None, &["old@x.no"]),
            account(None, None, &["old@x.no", "other@x.no"]),
            account(Some("s-new"), None, &["other@x.no"]),
            account(Some("s-new"), None, &["new@x.no"]),
            account(None, None, &["new@x.no"]),
            account(Some("s-new"), None, &["new2@x.no"]),
            account(None, Some("x-new"), &["new3@x.no"]),
            account(None, Some("x-new"), &["new4@x.no"]),
        ];
        let mut n = 0;
        let got = classify(&batch, &existing, || {
            n += 1;
            format!("gen-{n}")
        });
        use ImportOutcome::*;
        assert_eq!(got[0], AlreadyThere);
        assert_eq!(got[1], AlreadyThere);
        assert_eq!(got[2], AlreadyThere);
        assert!(matches!(&got[3], Duplicate(m) if m.contains("existing")));
        assert!(matches!(&got[4], Duplicate(m) if m.contains("other@x.no")));
        assert_eq!(got[5], Imported("s-new".into()));
        assert!(matches!(&got[6], Duplicate(m) if m.contains("earlier line")));
        assert!(matches!(&got[7], Duplicate(m) if m.contains("sub s-new")));
        assert_eq!(got[8], Imported("gen-1".into()));
        assert!(matches!(&got[9], Duplicate(m) if m.contains("external_id")));
    }
}
