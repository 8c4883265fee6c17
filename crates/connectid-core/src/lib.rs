//! The domain of connectid: accounts and their identifiers, clients (services), levels of
//! assurance, sessions, grants, signing keys and the storage port they are kept behind.
//!
//! Nothing here knows HTTP, SQL or HTML: the web crate turns requests into calls on these
//! types and the store crate implements [`store::Store`] for SQLite and PostgreSQL.

pub mod account;
pub mod audit;
pub mod challenge;
pub mod client;
pub mod clock;
pub mod crypto;
pub mod dpop;
pub mod events;
pub mod fraud;
pub mod identifier;
pub mod import;
pub mod keys;
pub mod messages;
pub mod oidc;
pub mod password;
pub mod ratelimit;
pub mod secret;
#[cfg(feature = "conformance")]
pub mod skipped;
pub mod sms_policy;
pub mod store;
pub mod webhooks;
