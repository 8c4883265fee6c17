//! Browser sessions, written once: how one begins (sign-in pages, the operator's network, a
//! pre-authenticated URL), how its idle time is pushed out (SSO hits, My account, the
//! resolver), and how an account's sessions and grants end (a new password, "sign out
//! everywhere", an administrator, deletion). Every caller gets the same rules, so the
//! choices a person made — stay signed in or not, which session a grant belongs to — cannot
//! drift apart between entry points (security review, findings 4, 5 and 8).

use connectid_core::crypto::{hash_secret, random_id, random_token};
use connectid_core::oidc::{Acr, Amr};
use connectid_core::store::{SsoSession, StoreError};

use crate::cookies;
use crate::logout::backchannel::{EndReason, session_ended};
use crate::state::AppState;

/// How long a session lives when its owner chose to stay signed in.
pub const REMEMBERED_SESSION: i64 = 90 * 86_400;
/// Idle timeout of a session whose owner chose not to stay signed in.
pub const BROWSER_SESSION_IDLE: i64 = 30 * 60;
/// A browser session's idle time is written at most this often (a write per request would
/// cost more than the precision is worth).
const TOUCH_EVERY: i64 = 60;

/// A session about to begin: who, how, and what the person chose.
pub struct Begin<'a> {
    pub account_id: &'a str,
    pub acr: Acr,
    pub amr: Vec<Amr>,
    pub auth_time: i64,
    /// "Stay signed in": a cookie with `Max-Age` and a long life, else a browser cookie that
    /// ends after [`BROWSER_SESSION_IDLE`] without use.
    pub remember: bool,
    /// Continue this `sid` (a pre-authenticated URL continues its grant's session, so that
    /// the app's logout ends it too); the session that holds it now moves to this browser.
    pub sid: Option<String>,
    /// The session ends no later than this (the grant a pre-authenticated URL came from).
    pub not_after: Option<i64>,
}

/// A session made: the row and the `Set-Cookie` value for it.
pub struct Begun {
    pub session: SsoSession,
    pub cookie: String,
}

/// Begins a session in this browser with a new cookie (no fixation). `current` is the
/// session cookie the browser sent, if any. The same person keeps the browser's session id,
/// so what clients got under it stays tied to it; a session of another person in this
/// browser ends first (grants revoked, clients told).
pub async fn establish(
    state: &AppState,
    current: Option<&str>,
    begin: Begin<'_>,
) -> Result<Begun, StoreError> {
    let now = state.now();
    let mut sid = None;
    if let Some(old) = current {
        match state.store.delete_session(&hash_secret(old)).await? {
            Some(prev) if prev.account_id == begin.account_id => sid = Some(prev.sid),
            Some(prev) => {
                session_ended(state, &prev.sid, &prev.account_id, EndReason::Replaced).await?;
            }
            None => {}
        }
    }
    if sid.is_none()
        && let Some(wanted) = begin.sid
    {
        state.store.delete_session_by_sid(&wanted).await?;
        sid = Some(wanted);
    }
    let lifetime = if begin.remember {
        REMEMBERED_SESSION
    } else {
        BROWSER_SESSION_IDLE
    };
    let expires_at = begin
        .not_after
        .map_or(now + lifetime, |n| n.min(now + lifetime));
    let token = random_token();
    let session = SsoSession {
        id_hash: hash_secret(&token),
        sid: sid.unwrap_or_else(random_id),
        account_id: begin.account_id.to_string(),
        acr: begin.acr,
        amr: begin.amr,
        auth_time: begin.auth_time,
        remember: begin.remember,
        created_at: now,
        last_seen: now,
        expires_at,
    };
    state.store.create_session(&session).await?;
    let max_age = begin.remember.then_some((expires_at - now).max(0));
    let cookie = cookies::set_session(&token, max_age, &state.settings);
    Ok(Begun { session, cookie })
}

/// A session without "stay signed in" lives while it is used: each use pushes its idle
/// timeout out again, written at most once a minute.
pub async fn touch(state: &AppState, session: &SsoSession) -> Result<(), StoreError> {
    let now = state.now();
    if session.remember || now - session.last_seen < TOUCH_EVERY {
        return Ok(());
    }
    state
        .store
        .touch_session(&session.id_hash, now, now + BROWSER_SESSION_IDLE)
        .await
}

/// Ends every session of the account but `keep` (telling the services) and revokes every
/// grant but `keep`'s — also those of native apps whose browser session is long gone, whose
/// refresh tokens would otherwise outlive a new password. Returns how many sessions ended.
pub async fn end_all_but(
    state: &AppState,
    account_id: &str,
    keep: Option<&SsoSession>,
) -> Result<u64, StoreError> {
    let keep_sid = keep.map(|s| s.sid.as_str());
    let mut ended = 0;
    for s in state
        .store
        .sessions_of_account(account_id, state.now())
        .await?
    {
        if Some(s.sid.as_str()) == keep_sid {
            continue;
        }
        // Only sessions this call deleted are announced, so a logout racing with it does
        // not notify twice.
        if state.store.delete_session_by_sid(&s.sid).await? {
            ended += 1;
            session_ended(state, &s.sid, account_id, EndReason::Revoked).await?;
        }
    }
    state
        .store
        .revoke_grants_of_account(account_id, keep_sid, state.now())
        .await?;
    Ok(ended)
}

/// "Sign out on every device" (My account) and its admin API twin: every session and every
/// grant ends, the services are told, the audit log records it and subscribers get
/// `account.signed_out_everywhere`. Returns how many sessions ended.
pub async fn sign_out_everywhere(
    state: &AppState,
    account_id: &str,
    by: crate::app::accounts::Actor,
) -> Result<u64, StoreError> {
    use connectid_core::audit::AuditKind;
    let ended = end_all_but(state, account_id, None).await?;
    let (kind, detail) = match by {
        crate::app::accounts::Actor::Person => (AuditKind::SignoutEverywhere, None),
        _ => (
            AuditKind::SessionsRevoked,
            Some(format!("{ended} sessions")),
        ),
    };
    crate::audit::record(state, kind, Some(account_id), None, "success", detail).await;
    crate::app::events::emit(
        state,
        connectid_core::events::EventKind::SignedOutEverywhere,
        account_id,
        serde_json::json!({}),
    )
    .await;
    Ok(ended)
}
