//! Accounts and their identifiers.

use super::*;
use connectid_core::store::AccountStore;

#[async_trait]
impl AccountStore for Database {
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
        self.account_by_identifier(&identifier.value).await
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

    async fn set_locked(&self, account_id: &str, locked_at: Option<i64>) -> StoreResult<bool> {
        let n = on!(self, p => sqlx::query(
            "UPDATE accounts SET locked_at = $2 WHERE id = $1 AND (locked_at IS NULL) <> ($2 IS NULL)")
            .bind(account_id).bind(locked_at).execute(p).await.map_err(db_err)?.rows_affected());
        Ok(n == 1)
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
}
