//! Checking access tokens where they are presented: signature, issuer, expiry, revocation,
//! and the DPoP key they are bound to.

use super::*;

/// What a valid access token says, after the checks every resource endpoint needs.
pub struct VerifiedAccess {
    pub claims: Value,
    pub grant: Option<Grant>,
    /// The DPoP key the token is bound to (`cnf.jkt`): it is only good with a proof by it.
    pub jkt: Option<String>,
}

pub async fn verify_access_token(
    state: &AppState,
    token: &str,
) -> Result<Option<VerifiedAccess>, OAuthError> {
    let ks = state.keyset();
    let Some(jws) = ks.verify(token) else {
        return Ok(None);
    };
    if jws.header.get("typ").and_then(Value::as_str) != Some("at+jwt") {
        return Ok(None);
    }
    let c = jws.claims;
    let now = state.now();
    if c.get("iss").and_then(Value::as_str) != Some(state.settings.issuer.as_str())
        || c.get("exp")
            .and_then(Value::as_i64)
            .is_none_or(|e| e <= now)
    {
        return Ok(None);
    }
    let grant = match c.get("gid").and_then(Value::as_str) {
        Some(gid) => match state.store.get_grant(gid).await? {
            Some(g) if g.revoked_at.is_none() => Some(g),
            _ => return Ok(None),
        },
        None => {
            let jti = c.get("jti").and_then(Value::as_str).unwrap_or("");
            if state.store.is_jti_known(&format!("revoked:{jti}")).await? {
                return Ok(None);
            }
            None
        }
    };
    let jkt = c
        .pointer("/cnf/jkt")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Some(VerifiedAccess {
        claims: c,
        grant,
        jkt,
    }))
}

/// A valid access token presented as a bearer token, where connectid takes no DPoP proof
/// (App2App, pre-authenticated URLs, logout by token): a DPoP-bound one is no good there.
pub async fn verify_bearer_token(
    state: &AppState,
    token: &str,
) -> Result<Option<VerifiedAccess>, OAuthError> {
    Ok(verify_access_token(state, token)
        .await?
        .filter(|v| v.jkt.is_none()))
}
