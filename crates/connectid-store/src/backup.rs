//! Backups of a SQLite deployment while it serves, and restores that cannot pull the file from
//! under a running server. PostgreSQL has its own tools (pg_dump, base backups with WAL
//! archiving; docs/operations.md), which do this better than a copy made through one
//! connection could.
//!
//! A server holds a shared `flock` on its database file for as long as it runs
//! ([`ServingLock`]); a restore takes it exclusively, so it fails while any server (or another
//! restore) has the file. SQLite's own locks are `fcntl` locks, which Linux keeps apart from
//! `flock`, so the two never meet.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::sql::{Database, Pool};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "{0}: connectid backup and restore copy SQLite databases; for PostgreSQL use pg_dump and pg_restore (docs/operations.md)"
    )]
    NotSqlite(&'static str),
    #[error("{0} already exists: give a new file")]
    Exists(PathBuf),
    #[error("a server is running on {0}: stop every node before restoring")]
    Serving(PathBuf),
    #[error("{0} is being restored: start the server when the restore has finished")]
    Restoring(PathBuf),
    #[error("{path} is not a connectid backup: {why}")]
    NotABackup { path: PathBuf, why: String },
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("database: {0}")]
    Database(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// The file a `sqlite:` database URL names; `None` for PostgreSQL and in-memory databases.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    let opts = SqliteConnectOptions::from_str(url).ok()?;
    let file = opts.get_filename();
    (!file.as_os_str().is_empty() && file != Path::new(":memory:")).then(|| file.to_path_buf())
}

/// Held by a running server: while it lives, [`restore`] refuses the database.
#[derive(Debug)]
pub struct ServingLock {
    _file: File,
}

/// Takes the shared lock of a SQLite database (creating the file, as opening it would);
/// `None` for PostgreSQL. Fails while a restore holds the file.
pub fn serving_lock(url: &str) -> Result<Option<ServingLock>, BackupError> {
    let Some(path) = sqlite_file(url) else {
        return Ok(None);
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(ServingLock { _file: file })),
        Err(TryLockError::WouldBlock) => Err(BackupError::Restoring(path)),
        Err(TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

impl Database {
    /// Writes a consistent copy of the whole database to `dest` (a new file) while the
    /// database serves: `VACUUM INTO` reads one snapshot, so writers go on meanwhile.
    pub async fn backup_into(&self, dest: &Path) -> Result<(), BackupError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(BackupError::NotSqlite("the database is PostgreSQL"));
        };
        if dest.exists() {
            return Err(BackupError::Exists(dest.to_path_buf()));
        }
        // Written beside `dest` and renamed: a backup interrupted half-way is never taken
        // for a whole one.
        let partial = with_suffix(dest, ".partial");
        let _ = std::fs::remove_file(&partial);
        let name = partial.to_str().ok_or_else(|| BackupError::Io {
            path: partial.clone(),
            error: std::io::Error::other("the path is not UTF-8"),
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(name)
            .execute(pool)
            .await
            .map_err(|e| BackupError::Database(e.to_string()))?;
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io(&partial))?;
        std::fs::rename(&partial, dest).map_err(io(dest))
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Replaces the database `url` names with the backup `src`, once no server runs on it. The
/// database that was there is kept beside it (`….before-restore-UNIXTIME`, with its WAL), so a
/// mistaken restore can be undone; that path is returned. The next start migrates the
/// restored copy forward if it is older than this binary.
pub async fn restore(url: &str, src: &Path) -> Result<Option<PathBuf>, BackupError> {
    let target =
        sqlite_file(url).ok_or(BackupError::NotSqlite("database_url is not a SQLite file"))?;
    check_backup(src).await?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&target)
        .map_err(io(&target))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(BackupError::Serving(target)),
        Err(TryLockError::Error(e)) => return Err(io(&target)(e)),
    }
    let incoming = with_suffix(&target, ".restoring");
    std::fs::copy(src, &incoming).map_err(io(&incoming))?;
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(io(&incoming))?;
    let had_data = lock.metadata().map_err(io(&target))?.len() > 0;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let aside = with_suffix(&target, &format!(".before-restore-{stamp}"));
    // The old file and its WAL and shared memory move together, so neither the old WAL
    // is replayed into the restored file nor the set aside copy loses its last writes.
    // An empty file (nothing was there, or the lock made it) is not worth keeping.
    for ext in ["", "-wal", "-shm"] {
        let from = with_suffix(&target, ext);
        if !from.exists() {
            continue;
        }
        if had_data {
            std::fs::rename(&from, with_suffix(&aside, ext)).map_err(io(&from))?;
        } else {
            std::fs::remove_file(&from).map_err(io(&from))?;
        }
    }
    std::fs::rename(&incoming, &target).map_err(io(&target))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io(dir))?;
    }
    drop(lock);
    Ok(had_data.then_some(aside))
}

/// A backup is a whole SQLite file of connectid's schema, no newer than this binary.
async fn check_backup(src: &Path) -> Result<(), BackupError> {
    let not = |why: String| BackupError::NotABackup {
        path: src.to_path_buf(),
        why,
    };
    let mut head = [0u8; 16];
    let mut f = File::open(src).map_err(io(src))?;
    std::io::Read::read_exact(&mut f, &mut head).map_err(|_| not("too short".into()))?;
    if &head != b"SQLite format 3\0" {
        return Err(not("not a SQLite database".into()));
    }
    let opts = SqliteConnectOptions::new()
        .filename(src)
        .read_only(true)
        .immutable(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .map_err(|e| not(e.to_string()))?;
    let checked: Result<(String, Option<i64>), sqlx::Error> = async {
        let ok: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&pool)
            .await?;
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&pool)
                .await?;
        Ok((ok, version))
    }
    .await;
    pool.close().await;
    let (ok, version) = checked.map_err(|e| not(e.to_string()))?;
    if ok != "ok" {
        return Err(not(format!("damaged: {ok}")));
    }
    let newest = crate::migrations::latest();
    match version {
        None => Err(not("no migrations applied".into())),
        Some(v) if v > newest => Err(not(format!(
            "made by a newer connectid (schema {v}, this binary knows {newest})"
        ))),
        Some(_) => Ok(()),
    }
}
