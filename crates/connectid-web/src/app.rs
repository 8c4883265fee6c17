//! The use cases, written once: what the sign-in pages, My account, the admin API and the
//! command line do to accounts, clients and sessions, each with its audit event and its
//! notifications. Handlers and commands call these; they never write those rows themselves
//! (docs/architecture.md, "Use cases: written once").

pub mod accounts;
pub mod clients;
pub mod events;
pub mod sessions;
pub mod transfer;
