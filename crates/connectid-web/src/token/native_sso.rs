//! OpenID Connect Native SSO for Mobile Apps 1.0: apps of one `publisher` share a sign-in on a
//! device. The first app asks for the `device_sso` scope and gets a `device_secret` with its
//! tokens (its ID token carries `ds_hash` and `sid`); another app of the same publisher trades
//! that ID token and secret for tokens of its own at the token endpoint (RFC 8693 token
//! exchange), with no page shown.
//!
//! The secret is a bearer credential for the whole device session, so it is stored hashed,
//! tied to the grant that issued it (revoking that grant — logout, code reuse, "sign out
//! everywhere", a password change — ends it), and only honoured for the publisher it was
//! issued to, together with an ID token of the same session that hashes it.

use axum::response::Response;
use connectid_core::audit::AuditKind;
use connectid_core::client::{Consent, SigningAlg};
use connectid_core::crypto::{constant_time_eq, hash_secret, random_id, random_token};
use connectid_core::keys::at_hash;
use connectid_core::oidc::Scope;
use connectid_core::store::{ClientRecord, DeviceSecretRecord, Grant};
use serde_json::{Value, json};

use super::{Issue, invalid_grant, live_grant, no_store, tokens_body};
use crate::error::OAuthError;
use crate::params::Params;
use crate::state::AppState;

pub const SCOPE: &str = "device_sso";
const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// The type Native SSO 1.0 names, and the one of its earlier drafts that SDKs still send.
const DEVICE_SECRET_TYPES: [&str; 2] = [
    "urn:openid:params:token-type:device-secret",
    "urn:x-oath:params:oauth:token-type:device-secret",
];

/// A new device secret for a grant that asked for `device_sso`, when its client has a
/// publisher and the person did not ask to be forgotten when the browser closes (`td_sls`).
pub(super) async fn issue_device_secret(
    state: &AppState,
    client: &ClientRecord,
    grant: &Grant,
) -> Result<Option<String>, OAuthError> {
    let Some(publisher) = &client.metadata.publisher else {
        return Ok(None);
    };
    if !Scope::from_stored(&grant.scope).contains(SCOPE) || grant.td_sls || grant.sid.is_none() {
        return Ok(None);
    }
    let secret = random_token();
    let record = DeviceSecretRecord {
        grant_id: grant.id.clone(),
        publisher: publisher.clone(),
        created_at: state.now(),
        expires_at: grant.expires_at,
    };
    state
        .store
        .insert_device_secret(&hash_secret(&secret), &record)
        .await?;
    Ok(Some(secret))
}

/// A device secret presented with a refresh request: kept (and hashed into the new ID token)
/// when it belongs to the refreshed grant's device session and the client's publisher.
pub(super) async fn presented_on_refresh(
    state: &AppState,
    client: &ClientRecord,
    grant: &Grant,
    p: &Params,
) -> Result<Option<String>, OAuthError> {
    let Some(secret) = p.get("device_secret") else {
        return Ok(None);
    };
    let origin = session_of(state, client, secret).await?;
    if origin.sid != grant.sid || origin.account_id != grant.account_id {
        return Err(invalid_grant(
            "the device_secret belongs to another session",
        ));
    }
    Ok(Some(secret.to_string()))
}

/// The live grant behind a device secret, for a client of the publisher it was issued to.
async fn session_of(
    state: &AppState,
    client: &ClientRecord,
    secret: &str,
) -> Result<Grant, OAuthError> {
    let unusable = || invalid_grant("the device_secret is invalid, expired or revoked");
    let record = state
        .store
        .get_device_secret(&hash_secret(secret), state.now())
        .await?
        .ok_or_else(unusable)?;
    if client.metadata.publisher.as_deref() != Some(record.publisher.as_str()) {
        return Err(invalid_grant(
            "the device_secret was issued to apps of another publisher",
        ));
    }
    live_grant(state, &record.grant_id)
        .await
        .map_err(|_| unusable())
}

/// The token exchange request of Native SSO 1.0 §4: `subject_token` an ID token of the device
/// session, `actor_token` its device secret.
pub(super) async fn exchange(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
    jkt: Option<&str>,
) -> Result<Response, OAuthError> {
    let req = |d: &str| OAuthError::bad_request("invalid_request", d);
    if client.metadata.publisher.is_none() {
        return Err(OAuthError::bad_request(
            "unauthorized_client",
            "native SSO is for clients registered with a publisher",
        ));
    }
    if p.get("subject_token_type") != Some(ID_TOKEN_TYPE)
        || !p
            .get("actor_token_type")
            .is_some_and(|t| DEVICE_SECRET_TYPES.contains(&t))
    {
        return Err(req(
            "token exchange supports the native SSO profile: subject_token_type id_token and \
             actor_token_type device-secret",
        ));
    }
    if let Some(t) = p.get("requested_token_type")
        && t != ACCESS_TOKEN_TYPE
    {
        return Err(req("requested_token_type must be an access token"));
    }
    let issuer = state.settings.issuer.as_str();
    if p.get("audience").is_some_and(|a| a != issuer) || p.has("resource") {
        return Err(OAuthError::bad_request(
            "invalid_target",
            "tokens are issued for this issuer only",
        ));
    }
    let id_token = p
        .get("subject_token")
        .ok_or_else(|| req("subject_token is missing"))?;
    let secret = p
        .get("actor_token")
        .ok_or_else(|| req("actor_token is missing"))?;
    let origin = session_of(state, client, secret).await?;
    check_id_token(state, &origin, id_token, secret)?;
    let account = state
        .store
        .get_account(&origin.account_id)
        .await?
        .ok_or_else(|| invalid_grant("the account no longer exists"))?;
    let scope = exchanged_scope(state, client, &origin, p).await?;
    let meta = &client.metadata;
    let now = state.now();
    // The service's level: its default, raised to its `minimum_acr`, as at `/authorize`.
    let least = meta
        .default_acr_values
        .iter()
        .min()
        .copied()
        .into_iter()
        .chain(meta.minimum_acr)
        .max();
    if least.is_some_and(|least| origin.acr < least) {
        return Err(invalid_grant(
            "this service needs a higher level of assurance: sign in through the browser",
        ));
    }
    if meta
        .default_max_age
        .is_some_and(|age| now - origin.auth_time > age)
    {
        return Err(invalid_grant(
            "the sign-in is older than this service allows: sign in through the browser",
        ));
    }
    if meta.require_email && !account.has_verified_email() {
        return Err(invalid_grant(
            "this service needs a verified email: sign in through the browser",
        ));
    }
    let grant = Grant {
        id: random_id(),
        account_id: origin.account_id.clone(),
        client_id: client.client_id.clone(),
        scope: scope.to_string(),
        claims: None,
        sid: origin.sid.clone(),
        auth_time: origin.auth_time,
        acr: origin.acr,
        amr: origin.amr.clone(),
        td_sls: false,
        created_at: now,
        expires_at: origin.expires_at,
        revoked_at: None,
    };
    state.store.create_grant(&grant).await?;
    // The new app holds tokens of the session now: back-channel logout must reach it too.
    state.store.mark_grant_issued(&grant.id, now).await?;
    crate::audit::record(
        state,
        AuditKind::NativeSso,
        Some(&grant.account_id),
        Some(&client.client_id),
        "success",
        Some(format!("from grant {}", origin.id)),
    )
    .await;
    let shared = scope.contains(SCOPE).then_some(secret);
    let issue = Issue {
        device_secret: shared,
        ..Issue::new(&grant, &account, jkt)
    };
    let mut body = tokens_body(state, client, issue).await?;
    body["issued_token_type"] = json!(ACCESS_TOKEN_TYPE);
    Ok(no_store(body))
}

/// The subject token must be an ID token we signed for this device session, hashing this very
/// secret. Its `exp` is not checked: ID tokens live an hour, the device session much longer,
/// and the secret (checked above) is what proves possession.
fn check_id_token(
    state: &AppState,
    origin: &Grant,
    id_token: &str,
    secret: &str,
) -> Result<(), OAuthError> {
    let bad = |why: &str| invalid_grant(format!("subject_token: {why}"));
    let jws = state
        .keyset()
        .verify(id_token)
        .ok_or_else(|| bad("not an ID token signed by this issuer"))?;
    if jws.header.get("typ").and_then(Value::as_str) != Some("JWT") {
        return Err(bad("not an ID token"));
    }
    let c = &jws.claims;
    let s = |n: &str| c.get(n).and_then(Value::as_str);
    if s("iss") != Some(state.settings.issuer.as_str()) {
        return Err(bad("issued by another issuer"));
    }
    if s("sub") != Some(origin.account_id.as_str()) || s("sid") != origin.sid.as_deref() {
        return Err(bad("of another session than the device_secret"));
    }
    let alg = connectid_core::keys::alg_of(&jws.header).unwrap_or(SigningAlg::RS256);
    let want = at_hash(alg, secret);
    if !s("ds_hash").is_some_and(|h| constant_time_eq(h.as_bytes(), want.as_bytes())) {
        return Err(bad("its ds_hash does not match the device_secret"));
    }
    Ok(())
}

/// The scope asked for (default `openid`), which must include `openid`; with explicit consent
/// the person must already have agreed to it, since no page can ask now.
async fn exchanged_scope(
    state: &AppState,
    client: &ClientRecord,
    origin: &Grant,
    p: &Params,
) -> Result<Scope, OAuthError> {
    let scope = Scope::parse_supported(p.get("scope").unwrap_or("openid"));
    if !scope.contains("openid") {
        return Err(OAuthError::bad_request(
            "invalid_scope",
            "the scope must include openid",
        ));
    }
    if client.metadata.consent == Consent::Explicit {
        let asked = scope.clone().without(SCOPE);
        let covered =
            crate::finish::consent_covers(state, &origin.account_id, &client.client_id, &asked)
                .await?;
        if !covered {
            return Err(invalid_grant(
                "the person has not agreed to share this with the service: sign in through the browser",
            ));
        }
    }
    Ok(scope)
}
