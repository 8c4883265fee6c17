//! The audit log of security events: who, what, which service, from where, with what outcome.
//!
//! The client address comes from the request being answered (see `client_ip_layer`), so every
//! handler records it without passing it around. A failure to store an event is logged and
//! does not fail the request: the person's sign-in matters more than its record.

use connectid_core::audit::AuditKind;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use connectid_core::store::AuditEvent;

use crate::state::AppState;

tokio::task_local! {
    static REQUEST_IP: String;
}

/// The address of the person behind the current request (trusted proxies resolved).
pub fn request_ip() -> Option<String> {
    REQUEST_IP.try_with(Clone::clone).ok()
}

/// Resolves the client address once per request, for the audit log.
pub async fn client_ip_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        return next.run(req).await;
    };
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    let ip = crate::net::client_ip(&state.settings.forwarded_proxies, peer.ip(), forwarded);
    REQUEST_IP.scope(ip.to_string(), next.run(req)).await
}

/// Records one event; `detail` is never a secret (ids, key ids, reasons).
pub async fn record(
    state: &AppState,
    kind: AuditKind,
    account: Option<&str>,
    client: Option<&str>,
    outcome: &str,
    detail: Option<String>,
) {
    let e = AuditEvent {
        at: state.now(),
        kind: kind.as_str().into(),
        account_id: account.map(str::to_string),
        client_id: client.map(str::to_string),
        ip: request_ip(),
        outcome: outcome.into(),
        detail,
    };
    if let Err(err) = state.store.audit(&e).await {
        tracing::error!(error = %err, kind = kind.as_str(), "audit event not stored");
    }
}
