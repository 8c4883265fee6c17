//! Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when an SSO session ends,
//! every client that got tokens in it and registered a `backchannel_logout_uri` receives a
//! signed logout token, POSTed as `logout_token=…`.
//!
//! Delivery runs off the request path (the person's logout never waits for a client), with a
//! short timeout and a few retries on network errors and 5xx. A client's 4xx is final: the
//! same token would be refused again. Logs name the client, never the token or the URI.

use std::time::Duration;

use connectid_core::crypto::random_id;
use connectid_core::store::{ClientRecord, StoreError};
use serde_json::json;

use crate::state::AppState;

/// The event that makes a JWT a logout token (Back-Channel Logout 1.0 §2.4).
pub const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// The `typ` header of logout tokens (Back-Channel Logout 1.0 §2.4, RFC 8725 §3.11).
pub const LOGOUT_TOKEN_TYP: &str = "logout+jwt";
/// A logout token is valid this long: enough for every retry, short enough to be useless
/// when replayed later.
const LOGOUT_TOKEN_TTL: i64 = 120;
/// Delivery attempts per client, and the waits between them.
const BACKOFF: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(4)];

/// Deliveries under way, so that a process about to exit (the CLI) can wait for them.
#[derive(Default)]
pub struct InFlight {
    count: std::sync::atomic::AtomicUsize,
    done: tokio::sync::Notify,
}

impl InFlight {
    fn start(self: &std::sync::Arc<Self>) -> InFlightGuard {
        self.count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        InFlightGuard(self.clone())
    }

    /// Waits until no delivery is under way, or `limit` has passed; true when none is.
    pub async fn settle(&self, limit: Duration) -> bool {
        let wait = async {
            loop {
                let notified = self.done.notified();
                if self.count.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(limit, wait).await.is_ok()
    }
}

struct InFlightGuard(std::sync::Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0
            .count
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        self.0.done.notify_waiters();
    }
}

/// What ended a session, for the logs.
#[derive(Debug, Clone, Copy)]
pub enum EndReason {
    /// RP-initiated logout in the browser.
    RpInitiated,
    /// A native app's POST with its access token.
    Bearer,
    /// An administrator (or the account's owner) revoked the session.
    Revoked,
    /// Another account signed in in the same browser.
    Replaced,
}

/// The session `sid` of `account_id` is over (its row already deleted by the caller): revokes
/// what it issued and tells the clients that got tokens in it.
pub async fn session_ended(
    state: &AppState,
    sid: &str,
    account_id: &str,
    reason: EndReason,
) -> Result<(), StoreError> {
    let now = state.now();
    let clients = state.store.clients_of_session(sid).await?;
    state.store.revoke_grants_of_session(sid, now).await?;
    for client in clients {
        let Some(uri) = client.metadata.backchannel_logout_uri.clone() else {
            continue;
        };
        let token = match logout_token(state, &client, account_id, sid, now) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(client_id = %client.client_id, error = %e, "logout token not signed");
                continue;
            }
        };
        tracing::debug!(client_id = %client.client_id, ?reason, "back-channel logout queued");
        deliver(state, client.client_id, uri, token);
    }
    Ok(())
}

/// One client is signed out of the account's sessions `sids` ("disconnect" in My account):
/// a logout token per session, to the client's back-channel URI when it registered one.
pub fn tell_client(state: &AppState, client: &ClientRecord, account_id: &str, sids: &[String]) {
    let Some(uri) = client.metadata.backchannel_logout_uri.clone() else {
        return;
    };
    let now = state.now();
    for sid in sids {
        match logout_token(state, client, account_id, sid, now) {
            Ok(token) => deliver(state, client.client_id.clone(), uri.clone(), token),
            Err(e) => {
                tracing::error!(client_id = %client.client_id, error = %e, "logout token not signed");
            }
        }
    }
}

/// A logout token for one client (Back-Channel Logout 1.0 §2.4): signed like the client's
/// ID tokens, with both `sub` and `sid`, and never a `nonce`.
fn logout_token(
    state: &AppState,
    client: &ClientRecord,
    account_id: &str,
    sid: &str,
    now: i64,
) -> Result<String, connectid_core::keys::KeyError> {
    let claims = json!({
        "iss": state.settings.issuer,
        "sub": account_id,
        "aud": client.client_id,
        "iat": now,
        "exp": now + LOGOUT_TOKEN_TTL,
        "jti": random_id(),
        "sid": sid,
        "events": { LOGOUT_EVENT: {} },
    });
    state.keyset().sign(
        client.metadata.id_token_signed_response_alg,
        LOGOUT_TOKEN_TYP,
        &claims,
    )
}

fn deliver(state: &AppState, client_id: String, uri: String, token: String) {
    let http = state.http.clone();
    let guard = state.deliveries.start();
    tokio::spawn(async move {
        let _guard = guard;
        let Some(http) = http else {
            tracing::error!(%client_id, "back-channel logout not sent: no HTTP client");
            return;
        };
        for attempt in 0..=BACKOFF.len() {
            if let Some(wait) = attempt.checked_sub(1).and_then(|i| BACKOFF.get(i)) {
                tokio::time::sleep(*wait).await;
            }
            let sent = http
                .post(&uri)
                .header(reqwest::header::CACHE_CONTROL, "no-store")
                .form(&[("logout_token", token.as_str())])
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    tracing::info!(%client_id, "back-channel logout delivered");
                    return;
                }
                Ok(r) if r.status().is_client_error() => {
                    tracing::warn!(%client_id, status = r.status().as_u16(),
                        "back-channel logout refused by the client");
                    return;
                }
                Ok(r) => {
                    tracing::warn!(%client_id, status = r.status().as_u16(), attempt,
                        "back-channel logout failed");
                }
                Err(e) => {
                    tracing::warn!(%client_id, error = %e.without_url(), attempt,
                        "back-channel logout failed");
                }
            }
        }
        tracing::error!(%client_id, "back-channel logout given up");
    });
}
