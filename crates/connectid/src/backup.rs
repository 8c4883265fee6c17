//! `connectid backup` and `connectid restore`: the command-line edge of
//! `connectid_store`'s online backup and guarded restore.

use std::path::Path;

use connectid_store::BackupError;

use crate::{Config, Failure};

impl From<BackupError> for Failure {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::NotSqlite(_) | BackupError::Exists(_) | BackupError::NotABackup { .. } => {
                Failure::Usage(e.to_string())
            }
            BackupError::Serving(_)
            | BackupError::Restoring(_)
            | BackupError::Io { .. }
            | BackupError::Database(_) => Failure::Runtime(e.to_string()),
        }
    }
}

pub(crate) async fn backup(cfg: &Config, file: &Path) -> Result<(), Failure> {
    let url = cfg.database_url.expose();
    if connectid_store::sqlite_file(url).is_none() {
        return Err(BackupError::NotSqlite("database_url is not a SQLite file").into());
    }
    // Not migrated: a backup copies the database as the running servers left it.
    let db = connectid_store::connect(url)
        .await
        .map_err(|e| Failure::Runtime(format!("cannot open the database: {e}")))?;
    db.backup_into(file).await?;
    println!("backed up to {}", file.display());
    Ok(())
}

pub(crate) async fn restore(cfg: &Config, file: &Path) -> Result<(), Failure> {
    let aside = connectid_store::restore(cfg.database_url.expose(), file).await?;
    println!("restored from {}", file.display());
    if let Some(old) = aside {
        println!("the database that was there is kept as {}", old.display());
    }
    Ok(())
}
