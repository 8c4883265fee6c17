//! Revocation (RFC 7009) and introspection (RFC 7662), both for authenticated clients.
//! Introspection reports a token's DPoP binding (`cnf.jkt`); the resource server that asks
//! checks the proof it was given (RFC 9449 §6.2).

use axum::Json;
use axum::body::Bytes;
use connectid_core::audit::AuditKind;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::crypto::hash_secret;
use connectid_core::store::{ClientRecord, Grant, RefreshTokenRecord};
use serde_json::{Value, json};

use crate::dpop::{self, At};
use crate::error::OAuthError;
use crate::params::Params;
use crate::state::AppState;
use crate::token::{authenticate_client, verify_access_token};

pub async fn revoke(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let p = Params::parse(&body);
    let ip = crate::signin::ip_of(&state, peer, &headers);
    let result = async {
        refuse_duplicates(&p)?;
        let client = authenticate_client(&state, &headers, &p, &ip).await?;
        let token = p
            .get("token")
            .ok_or_else(|| OAuthError::bad_request("invalid_request", "token is missing"))?;
        let proof = dpop::proof(&state, &headers, "POST", "/revoke", None, At::TokenEndpoint)
            .await?
            .map(|p| p.jkt);
        let now = state.now();
        if let Some(v) = verify_access_token(&state, token).await? {
            let owner = v.claims.get("client_id").and_then(Value::as_str);
            if owner == Some(client.client_id.as_str()) {
                holds_key(&client, v.jkt.as_deref(), proof.as_deref())?;
                match v.grant {
                    Some(g) => state.store.revoke_grant(&g.id, now).await?,
                    None => {
                        let jti = v.claims.get("jti").and_then(Value::as_str).unwrap_or("");
                        let exp = v.claims.get("exp").and_then(Value::as_i64).unwrap_or(now);
                        state
                            .store
                            .remember_jti(&format!("revoked:{jti}"), exp)
                            .await?;
                    }
                }
                audit(&state, &client.client_id, "access_token").await;
            }
        } else if let Some(rt) = state.store.get_refresh_token(&hash_secret(token)).await?
            && let Some(g) = state.store.get_grant(&rt.grant_id).await?
            && g.client_id == client.client_id
        {
            holds_key(&client, rt.dpop_jkt.as_deref(), proof.as_deref())?;
            state.store.revoke_grant(&g.id, now).await?;
            audit(&state, &client.client_id, "refresh_token").await;
        }
        // RFC 7009 §2.2: unknown tokens are answered like revoked ones.
        Ok::<_, OAuthError>(StatusCode::OK.into_response())
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// A DPoP-bound token of a public client is revoked only with a proof by its key: anyone
/// can name a public client's id, only its holder has the key. A proof by another key is
/// refused from any client.
fn holds_key(
    client: &ClientRecord,
    bound: Option<&str>,
    proof: Option<&str>,
) -> Result<(), OAuthError> {
    let Some(bound) = bound else { return Ok(()) };
    match proof {
        Some(p) if p != bound => Err(dpop::invalid(
            At::TokenEndpoint,
            "the DPoP proof is signed by another key than the token's",
        )),
        None if client.metadata.is_public() => Err(dpop::invalid(
            At::TokenEndpoint,
            "this token is DPoP-bound: revoking it needs a proof by its key",
        )),
        _ => Ok(()),
    }
}

/// RFC 6749 §3.2: no parameter more than once (which of two tokens would be revoked?).
fn refuse_duplicates(p: &Params) -> Result<(), OAuthError> {
    match &p.duplicate {
        Some(dup) => Err(OAuthError::bad_request(
            "invalid_request",
            format!("{dup} appears more than once"),
        )),
        None => Ok(()),
    }
}

async fn audit(state: &AppState, client_id: &str, what: &str) {
    let detail = Some(what.to_string());
    crate::audit::record(
        state,
        AuditKind::TokenRevocation,
        None,
        Some(client_id),
        "success",
        detail,
    )
    .await;
}

pub async fn introspect(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let p = Params::parse(&body);
    let ip = crate::signin::ip_of(&state, peer, &headers);
    let result = async {
        refuse_duplicates(&p)?;
        let client = authenticate_client(&state, &headers, &p, &ip).await?;
        if client.metadata.is_public() {
            return Err(OAuthError::invalid_client(
                "public clients may not introspect",
            ));
        }
        let token = p
            .get("token")
            .ok_or_else(|| OAuthError::bad_request("invalid_request", "token is missing"))?;
        let inactive = json!({"active": false});
        let body = if let Some(v) = verify_access_token(&state, token).await? {
            let mut out = json!({"active": true, "token_type": "Bearer"});
            // RFC 9449 §6.2: the binding, for the resource server to check the proof against.
            if let Some(jkt) = &v.jkt {
                out["token_type"] = json!("DPoP");
                out["cnf"] = json!({ "jkt": jkt });
            }
            for k in [
                "scope",
                "client_id",
                "sub",
                "exp",
                "iat",
                "iss",
                "aud",
                "jti",
                "acr",
                "auth_time",
                "sid",
            ] {
                if let Some(val) = v.claims.get(k) {
                    out[k] = val.clone();
                }
            }
            out
        } else if let Some(rt) = state.store.get_refresh_token(&hash_secret(token)).await?
            && let Some(g) = live_refresh_grant(&state, &rt).await?
        {
            let mut out = json!({"active": true, "token_type": "refresh_token",
                   "client_id": g.client_id, "sub": g.account_id, "scope": g.scope,
                   "iat": rt.created_at, "exp": rt.expires_at.min(g.expires_at),
                   "iss": state.settings.issuer});
            if let Some(jkt) = &rt.dpop_jkt {
                out["cnf"] = json!({ "jkt": jkt });
            }
            out
        } else {
            inactive
        };
        let mut r = Json(body).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(r)
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The grant of a refresh token that would still work: not rotated away, not expired, its
/// grant neither revoked nor expired.
async fn live_refresh_grant(
    state: &AppState,
    rt: &RefreshTokenRecord,
) -> Result<Option<Grant>, OAuthError> {
    let now = state.now();
    if rt.used_at.is_some() || rt.expires_at <= now {
        return Ok(None);
    }
    Ok(state
        .store
        .get_grant(&rt.grant_id)
        .await?
        .filter(|g| g.revoked_at.is_none() && g.expires_at > now))
}
