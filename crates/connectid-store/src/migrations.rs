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
];

fn migrator(pick: impl Fn(&(i64, &str, &'static str, &'static str)) -> &'static str) -> Migrator {
    Migrator::with_migrations(
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
    )
}

pub fn sqlite() -> Migrator {
    migrator(|m| m.2)
}

pub fn postgres() -> Migrator {
    migrator(|m| m.3)
}

#[cfg(test)]
mod tests {
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
