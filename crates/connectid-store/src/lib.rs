//! The storage of connectid on SQLite (embedded default, WAL) or PostgreSQL, behind
//! [`connectid_core::store::Store`].
//!
//! One SQL text per query, with `$N` parameters, runs on both databases: the [`on!`] macro
//! expands each query once per native pool, so the two backends cannot drift apart, and the
//! conformance suite in `tests/` runs unchanged against both.

mod migrations;
mod sql;

pub use sql::{Database, connect, connect_postgres_schema};
