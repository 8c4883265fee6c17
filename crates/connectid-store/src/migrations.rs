//! Versioned migrations, embedded in the binary. Both backends have the same numbers and
//! names; a test checks it. An applied migration is never edited: add a new one.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

/// (version, name, SQLite text, PostgreSQL text)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "grant_issued",
        include_str!("../migrations/sqlite/0002_grant_issued.sql"),
        include_str!("../migrations/postgres/0002_grant_issued.sql"),
    ),
    (
        3,
        "rate_limit_tats",
        include_str!("../migrations/sqlite/0003_rate_limit_tats.sql"),
        include_str!("../migrations/postgres/0003_rate_limit_tats.sql"),
    ),
    (
        4,
        "expiry_indexes",
        include_str!("../migrations/sqlite/0004_expiry_indexes.sql"),
        include_str!("../migrations/postgres/0004_expiry_indexes.sql"),
    ),
    (
        5,
        "device_secrets",
        include_str!("../migrations/sqlite/0005_device_secrets.sql"),
        include_str!("../migrations/postgres/0005_device_secrets.sql"),
    ),
    (
        6,
        "outbox",
        include_str!("../migrations/sqlite/0006_outbox.sql"),
        include_str!("../migrations/postgres/0006_outbox.sql"),
    ),
    (
        7,
        "import_events",
        include_str!("../migrations/sqlite/0007_import_events.sql"),
        include_str!("../migrations/postgres/0007_import_events.sql"),
    ),
    (
        8,
        "dpop",
        include_str!("../migrations/sqlite/0008_dpop.sql"),
        include_str!("../migrations/postgres/0008_dpop.sql"),
    ),
];

/// A database that has migrations this binary does not know (a newer release migrated it)
/// is accepted: every migration is additive (a test below checks), so this release runs on
/// the next one's schema, and a rolling upgrade can restart or roll back a node of the
/// previous release after the migration.
fn migrator(pick: impl Fn(&(i64, &str, &'static str, &'static str)) -> &'static str) -> Migrator {
    let mut m = Migrator::with_migrations(
        MIGRATIONS
            .iter()
            .map(|m| {
                Migration::new(
                    m.0,
                    Cow::Borrowed(m.1),
                    MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(pick(m)),
                    false,
                )
            })
            .collect(),
    );
    m.set_ignore_missing(true);
    m
}

/// The newest schema version this binary knows: a backup from a newer one is refused.
pub fn latest() -> i64 {
    MIGRATIONS.iter().map(|m| m.0).max().unwrap_or(0)
}

pub fn sqlite() -> Migrator {
    migrator(|m| m.2)
}

pub fn postgres() -> Migrator {
    migrator(|m| m.3)
}

/// What a migration may do so that the previous release's binary still runs on the new
/// schema (rolling upgrades, docs/operations.md): add tables, indexes and columns that are
/// nullable or have a default, drop indexes. Anything else is a breaking change.
#[cfg(test)]
fn breaks_the_previous_release(statement: &str) -> bool {
    let s = statement
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    if s.is_empty()
        || s.starts_with("CREATE TABLE")
        || s.starts_with("CREATE INDEX")
        || s.starts_with("CREATE UNIQUE INDEX")
        || s.starts_with("DROP INDEX")
    {
        return false;
    }
    if s.starts_with("ALTER TABLE") && s.contains(" ADD COLUMN ") {
        return s.contains("NOT NULL") && !s.contains("DEFAULT");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{MIGRATIONS, breaks_the_previous_release};

    #[test]
    fn every_migration_after_the_first_keeps_the_previous_release_running() {
        for (version, name, sqlite, postgres) in &MIGRATIONS[1..] {
            for text in [sqlite, postgres] {
                let code: String = text
                    .lines()
                    .map(|l| l.split("--").next().unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join("\n");
                for statement in code.split(';') {
                    assert!(
                        !breaks_the_previous_release(statement),
                        "migration {version} ({name}) breaks the previous release: {statement}"
                    );
                }
            }
        }
    }

    #[tokio::test]
    async fn a_database_migrated_by_a_newer_release_is_accepted() {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        super::sqlite().run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the next release', TRUE, X'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        super::sqlite().run(&pool).await.unwrap();
    }

    #[test]
    fn a_breaking_statement_is_recognised() {
        for bad in [
            "DROP TABLE grants",
            "ALTER TABLE grants DROP COLUMN issued_at",
            "ALTER TABLE grants RENAME TO g",
            "ALTER TABLE grants ADD COLUMN x BIGINT NOT NULL",
            "ALTER TABLE grants ALTER COLUMN x TYPE TEXT",
            "UPDATE accounts SET x = 1",
        ] {
            assert!(breaks_the_previous_release(bad), "{bad}");
        }
        for fine in [
            "ALTER TABLE grants ADD COLUMN issued_at BIGINT",
            "alter table t add column n integer not null default 0",
            "CREATE INDEX IF NOT EXISTS i ON t (x)",
        ] {
            assert!(!breaks_the_previous_release(fine), "{fine}");
        }
    }

    #[test]
    fn both_backends_have_the_same_migration_files() {
        let list = |dir: &str| {
            let mut v: Vec<String> =
                std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
            v.sort();
            v
        };
        let sqlite = list("sqlite");
        assert_eq!(sqlite, list("postgres"));
        assert_eq!(sqlite.len(), super::MIGRATIONS.len());
    }
}
