//! Bulk import and export of accounts. A batch costs a few statements whatever its size:
//! the keys it names are looked up together, and its rows are written with one INSERT per
//! table (SQLite reads the rows from a JSON array with `json_each`, PostgreSQL from arrays
//! with `UNNEST`), so a million accounts are minutes, not hours.

use std::collections::HashMap;

use connectid_core::crypto::random_uuid;
use connectid_core::import::ImportedAccount;
use connectid_core::store::{Existing, ImportOutcome, TransferStore, classify};
use serde_json::json;

use super::*;

impl Database {
    /// The rows among `keys` that `sql` finds; `sql` has the key list as `$1` in `IN (…)`.
    async fn existing(&self, sql_in: &str, keys: &[String]) -> StoreResult<Vec<(String, String)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        Ok(match &self.pool {
            Pool::Sqlite(p) => {
                let list =
                    serde_json::to_string(keys).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let sql = sql_in.replace("$IN", "IN (SELECT value FROM json_each($1))");
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(list)
                    .fetch_all(p)
                    .await
                    .map_err(db_err)?
            }
            Pool::Pg(p) => {
                let sql = sql_in.replace("$IN", "= ANY($1)");
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(keys)
                    .fetch_all(p)
                    .await
                    .map_err(db_err)?
            }
        })
    }

    async fn lookup(&self, batch: &[ImportedAccount]) -> StoreResult<Existing> {
        let subs: Vec<String> = batch.iter().filter_map(|a| a.sub.clone()).collect();
        let xids: Vec<String> = batch.iter().filter_map(|a| a.external_id.clone()).collect();
        let values: Vec<String> = batch
            .iter()
            .flat_map(|a| a.identifiers.iter().map(|(i, _)| i.value.clone()))
            .collect();
        Ok(Existing {
            subs: self
                .existing("SELECT id, id FROM accounts WHERE id $IN", &subs)
                .await?
                .into_iter()
                .map(|r| r.0)
                .collect(),
            external_ids: self
                .existing(
                    "SELECT external_id, id FROM accounts WHERE external_id $IN",
                    &xids,
                )
                .await?
                .into_iter()
                .map(|r| r.0)
                .collect(),
            owners: self
                .existing(
                    "SELECT value, account_id FROM identifiers WHERE value $IN",
                    &values,
                )
                .await?
                .into_iter()
                .collect(),
        })
    }

    async fn write_batch(&self, rows: &[(&ImportedAccount, &str)], now: i64) -> StoreResult<()> {
        let created = |a: &ImportedAccount| a.created_at.unwrap_or(now);
        match &self.pool {
            Pool::Sqlite(p) => {
                let accounts: Vec<_> = rows
                    .iter()
                    .map(|(a, id)| json!([id, a.password_hash, created(a), a.external_id]))
                    .collect();
                let identifiers: Vec<_> = rows
                    .iter()
                    .flat_map(|(a, id)| {
                        a.identifiers.iter().map(move |(i, v)| {
                            json!([i.value, i.kind.as_str(), id, i32::from(*v), created(a)])
                        })
                    })
                    .collect();
                let mut tx = p.begin().await.map_err(db_err)?;
                sqlx::query(
                    "INSERT INTO accounts (id, password_hash, created_at, updated_at, external_id) \
                     SELECT value->>0, value->>1, value->>2, value->>2, value->>3 FROM json_each($1)")
                    .bind(serde_json::Value::from(accounts).to_string())
                    .execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(
                    "INSERT INTO identifiers (value, kind, account_id, verified, created_at) \
                     SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each($1)")
                    .bind(serde_json::Value::from(identifiers).to_string())
                    .execute(&mut *tx).await.map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
            }
            Pool::Pg(p) => {
                let ids: Vec<&str> = rows.iter().map(|(_, id)| *id).collect();
                let hashes: Vec<Option<&str>> = rows
                    .iter()
                    .map(|(a, _)| a.password_hash.as_deref())
                    .collect();
                let times: Vec<i64> = rows.iter().map(|(a, _)| created(a)).collect();
                let xids: Vec<Option<&str>> =
                    rows.iter().map(|(a, _)| a.external_id.as_deref()).collect();
                let (mut values, mut kinds, mut owners, mut verified, mut at) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
                for (a, id) in rows {
                    for (i, v) in &a.identifiers {
                        values.push(i.value.as_str());
                        kinds.push(i.kind.as_str());
                        owners.push(*id);
                        verified.push(*v);
                        at.push(created(a));
                    }
                }
                let mut tx = p.begin().await.map_err(db_err)?;
                sqlx::query(
                    "INSERT INTO accounts (id, password_hash, created_at, updated_at, external_id) \
                     SELECT id, h, t, t, x FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[]) AS r(id, h, t, x)")
                    .bind(&ids).bind(&hashes).bind(&times).bind(&xids)
                    .execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(
                    "INSERT INTO identifiers (value, kind, account_id, verified, created_at) \
                     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[])")
                    .bind(&values).bind(&kinds).bind(&owners).bind(&verified).bind(&at)
                    .execute(&mut *tx).await.map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
            }
        }
        Ok(())
    }
}

#[async_trait]
impl TransferStore for Database {
    async fn import_accounts(
        &self,
        batch: &[ImportedAccount],
        now: i64,
        dry_run: bool,
    ) -> StoreResult<Vec<ImportOutcome>> {
        let existing = self.lookup(batch).await?;
        let outcomes = classify(batch, &existing, random_uuid);
        let rows: Vec<(&ImportedAccount, &str)> = batch
            .iter()
            .zip(&outcomes)
            .filter_map(|(a, o)| match o {
                ImportOutcome::Imported(id) => Some((a, id.as_str())),
                _ => None,
            })
            .collect();
        if !dry_run && !rows.is_empty() {
            self.write_batch(&rows, now).await?;
        }
        Ok(outcomes)
    }

    async fn export_accounts(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<(Account, Option<String>)>> {
        let rows: Vec<ExportRow> = on!(self, p => sqlx::query_as(
            "SELECT id, password_hash, created_at, updated_at, locked_at, external_id FROM accounts \
             WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or("")).bind(limit).fetch_all(p).await.map_err(db_err)?);
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let identifiers: Vec<OwnedIdentifierRow> = if ids.is_empty() {
            Vec::new()
        } else {
            let sql = "SELECT account_id, kind, value, verified FROM identifiers \
                       WHERE account_id $IN ORDER BY account_id, created_at, value";
            match &self.pool {
                Pool::Sqlite(p) => {
                    let list = serde_json::to_string(&ids)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    sqlx::query_as(sqlx::AssertSqlSafe(
                        sql.replace("$IN", "IN (SELECT value FROM json_each($1))"),
                    ))
                    .bind(list)
                    .fetch_all(p)
                    .await
                    .map_err(db_err)?
                }
                Pool::Pg(p) => sqlx::query_as(sqlx::AssertSqlSafe(sql.replace("$IN", "= ANY($1)")))
                    .bind(&ids)
                    .fetch_all(p)
                    .await
                    .map_err(db_err)?,
            }
        };
        let mut by_account: HashMap<String, Vec<AccountIdentifier>> = HashMap::new();
        for r in identifiers {
            let owner = r.account_id.clone();
            let identifier = AccountIdentifier::try_from(IdentifierRow {
                kind: r.kind,
                value: r.value,
                verified: r.verified,
            })?;
            by_account.entry(owner).or_default().push(identifier);
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let identifiers = by_account.remove(&r.id).unwrap_or_default();
                (
                    Account {
                        id: r.id,
                        password_hash: r.password_hash,
                        created_at: r.created_at,
                        updated_at: r.updated_at,
                        identifiers,
                        locked_at: r.locked_at,
                    },
                    r.external_id,
                )
            })
            .collect())
    }
}
