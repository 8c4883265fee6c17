//! The rate-limiter conformance suite (from connectid-core) on SQLite (always) and PostgreSQL
//! (from `TEST_DATABASE_URL`, each test in its own schema). With `CI` set, a PostgreSQL case
//! that cannot run fails instead of skipping.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use connectid_core::crypto::random_id;
use connectid_core::ratelimit::{Quota, RateLimiter, conformance};
use connectid_core::store::Store;
use connectid_store::Database;

async fn sqlite() -> Arc<Database> {
    let dir = std::env::temp_dir().join(format!("connectid-test-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("t.db").display());
    let db = connectid_store::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Arc::new(db)
}

async fn postgres() -> Option<Arc<Database>> {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        connectid_core::skipped::skipped(
            "PostgreSQL rate-limit tests: TEST_DATABASE_URL is not set",
            env!("CARGO_TARGET_TMPDIR"),
        );
        return None;
    };
    let schema = format!("t_{}", random_id());
    let db = connectid_store::connect_postgres_schema(&url, &schema)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    db.migrate().await.unwrap();
    Some(Arc::new(db))
}

/// Expired keys go with the rest of the expired data, and only they do.
async fn purge_removes_passed_keys(db: Arc<Database>) {
    let q = Quota::new(2, 60); // one interval: 30 s
    let now = 1_800_000_000_i64;
    db.hit("a", q, now * 1000).await.unwrap();
    db.hit("b", q, (now + 100) * 1000).await.unwrap();
    assert_eq!(db.purge_expired(now + 29).await.unwrap(), 0);
    assert_eq!(
        db.purge_expired(now + 30).await.unwrap(),
        1,
        "a's time has come"
    );
    assert_eq!(db.purge_expired(now + 30).await.unwrap(), 0);
    assert_eq!(
        db.peek("b", q, (now + 100) * 1000).await.unwrap(),
        connectid_core::ratelimit::Decision::Allowed { remaining: 0 },
        "b is still counted"
    );
}

#[tokio::test]
async fn sqlite_passes_the_rate_limiter_suite() {
    conformance::run_all(sqlite().await).await;
}

#[tokio::test]
async fn postgres_passes_the_rate_limiter_suite() {
    if let Some(db) = postgres().await {
        conformance::run_all(db).await;
    }
}

#[tokio::test]
async fn sqlite_purges_rate_limit_keys() {
    purge_removes_passed_keys(sqlite().await).await;
}

#[tokio::test]
async fn postgres_purges_rate_limit_keys() {
    if let Some(db) = postgres().await {
        purge_removes_passed_keys(db).await;
    }
}
