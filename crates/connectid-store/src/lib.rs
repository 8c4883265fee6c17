//! The storage of connectid on SQLite (embedded default, WAL) or PostgreSQL, behind
//! [`connectid_core::store::Store`].
//!
//! One SQL text per query, with `$N` parameters, runs on both databases: the [`on!`] macro
//! expands each query once per native pool, so the two backends cannot drift apart, and the
//! conformance suite in `tests/` runs unchanged against both. The same [`Database`] is also the
//! cluster-wide [`connectid_core::ratelimit::RateLimiter`] when no Redis is configured.

mod backup;
mod migrations;
#[macro_use]
mod sql;
mod ratelimit;

pub use backup::{BackupError, ServingLock, restore, serving_lock, sqlite_file};
pub use sql::{Database, connect, connect_postgres_schema};
