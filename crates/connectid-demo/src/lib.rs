//! The demo: three made-up services that sign in with connectid exactly as an outside
//! relying party would — discovery, code flow with PKCE and a client secret over HTTP, ID
//! token checked against the JWKS, UserInfo — plus a page that shows the outbox, so a
//! newcomer can try SSO, step-up and sign-out without an SMS gateway.
//!
//! Everything here talks to the issuer through its public URL; nothing reaches into the
//! provider's store or keys. That is the point: if the demo works, an outside service works.

mod rp;
mod services;
mod web;

pub use services::{SERVICES, ServiceSpec};
pub use web::{Demo, router};
