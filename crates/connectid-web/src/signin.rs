//! The sign-in pages: one entry point (phone or email), then an SMS or email code, a password,
//! a new password for new accounts, and consent. State lives on the server, keyed by a random
//! id in the URL and bound to the browser by a cookie; every form carries a CSRF token.

use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::account::Account;
use connectid_core::audit::AuditKind;
use connectid_core::client::{ClientMetadata, IdentifierFirst, Identifiers};
use connectid_core::crypto::{
    constant_time_eq, hash_secret, random_digits, random_id, random_token,
};
use connectid_core::identifier::{Identifier, IdentifierError, IdentifierKind, PhoneRegion};
use connectid_core::messages::{Channel, Message, rfc3339};
use connectid_core::oidc::{Acr, Amr};
use connectid_core::password::{self, MAX_BYTES, MIN_LEN, PasswordError};
use connectid_core::ratelimit::{Decision, Limit, RateLimitError, ip_subject};
use connectid_core::sms_policy::SmsRefusal;
use connectid_core::store::{ClientRecord, Otp, SsoSession, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::app::sessions;
use crate::authorize::AuthRequest;
use crate::cookies;
use crate::error::PageError;
use crate::finish::{self, Authenticated, redirect_error, with_cookie};
use crate::i18n::{self, Arg, Notice};
use crate::metrics::Stage;
use crate::params::Params;
use crate::state::AppState;

mod camara;
mod codes;
mod entry;
mod fraud;
mod machine;
mod notices;
mod pending;
mod routes;
mod step_code;
mod step_finish;
mod step_identifier;
mod step_password;
mod view;
pub(crate) use camara::callback as camara_callback;
pub use camara::{CamaraSettings, OperatorDiscovery};
pub(crate) use codes::{CodeTarget, check_code, send_code_to};
use entry::*;
pub(crate) use entry::{
    network_signin, start, start_add_email, start_consent, start_detected, ticket_signin,
};
pub(crate) use machine::Page;
use machine::{CodeFor, Done, Finished, Known, Next, Policy, Proof, Step};
pub(crate) use notices::{AccountNotice, notify_account, notify_password_changed};
use pending::*;
pub(crate) use routes::{forgot, resend, restart, strength, submit};
use step_code::*;
use step_finish::*;
use step_identifier::*;
use step_password::*;
use view::*;
pub(crate) use view::{View, page_context, show};

const PENDING_TTL: i64 = 30 * 60;
pub(crate) const OTP_TTL: i64 = 5 * 60;
pub(crate) const OTP_MAX_TRIES: i64 = 5;
pub(crate) const RESEND_COOLDOWN: i64 = 30;

/// A sign-in in progress: where it stands ([`Step`]) and what holds at every step.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    req: AuthRequest,
    /// Hash of the browser-binding cookie: the pending sign-in works only in that browser.
    browser: String,
    csrf: String,
    step: Step,
    /// Re-authentication or step-up: only this account may sign in.
    lock: Option<String>,
    remember: bool,
    /// The page language: `ui_locales`, the browser, the service's default, or the switcher.
    locale: String,
    error: Option<Notice>,
    /// The proof-of-work challenge the identifier step asks for (its JSON), when the SMS
    /// pumping rules want one before a code goes out.
    #[serde(default)]
    challenge: Option<String>,
    /// The number the operator's network was asked to prove (CAMARA), once per sign-in.
    #[serde(default)]
    camara: Option<Identifier>,
}

struct Ctx<'a> {
    state: &'a AppState,
    client: ClientRecord,
    id: String,
    p: Pending,
    /// The person's address as rate limits see it (IPv6 by /64).
    ip: String,
    /// The proof-of-work answer the form carried (`altcha`), if any.
    altcha: Option<String>,
}

impl Ctx<'_> {
    fn policy(&self) -> Policy {
        policy(&self.client, &self.p.req)
    }
}

fn policy(client: &ClientRecord, req: &AuthRequest) -> Policy {
    Policy {
        acr: req.acr,
        sms: client.metadata.sms_pin,
        login: req.prompt.login,
        max_age: req.max_age,
    }
}

/// The rate-limit subject for a request's client address.
pub fn ip_of(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    ip_subject(crate::net::client_ip(
        &state.settings.forwarded_proxies,
        peer.ip(),
        forwarded,
    ))
}

/// A limit that says no becomes a message with the wait; a limiter that cannot answer
/// fails closed, like a storage error.
pub(crate) fn limited(d: Result<Decision, RateLimitError>) -> Result<Option<Notice>, StoreError> {
    match d {
        Ok(Decision::Allowed { .. }) => Ok(None),
        Ok(Decision::Limited { retry_after }) => {
            let minutes = retry_after.as_secs().div_ceil(60).max(1);
            Ok(Some(
                Notice::new("err-too-many-attempts").with("minutes", minutes as i64),
            ))
        }
        // The limiter's store (Redis, or the database) is down: fail closed, with a message
        // rather than an error page. What needs no limit (tokens, SSO, discovery) goes on.
        Err(e) => {
            tracing::error!(error = %e, "rate limiter unavailable: refusing");
            Ok(Some(Notice::new("err-unavailable")))
        }
    }
}

fn redirect_to(location: &str, cookies: &[String]) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

type StepResult = Result<Option<Response>, PageError>;

pub(crate) fn password_notice(e: &PasswordError) -> Notice {
    match e {
        PasswordError::TooShort => Notice::new("err-password-short").with("min", MIN_LEN as i64),
        PasswordError::TooLong => Notice::new("err-password-long"),
        PasswordError::TooCommon => Notice::new("err-password-common"),
        PasswordError::SameAsIdentifier => Notice::new("err-password-identifier"),
        PasswordError::TooWeak(_) => Notice::new("err-password-weak"),
        PasswordError::Hashing => Notice::new("error-server"),
    }
}
