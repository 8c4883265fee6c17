//! Making tokens (ID token, access token, refresh token) and checking access tokens.

use super::*;

/// Access token (RFC 9068), ID token, a rotated refresh token when the client may refresh,
/// and the native SSO device secret when there is one (hashed into the ID token's `ds_hash`).
pub(super) async fn tokens_body(
    state: &AppState,
    client: &ClientRecord,
    grant: &Grant,
    account: &Account,
    nonce: Option<&str>,
    narrowed_scope: Option<String>,
    device_secret: Option<&str>,
) -> Result<Value, OAuthError> {
    let now = state.now();
    let ks = state.keyset();
    let scope = narrowed_scope.unwrap_or_else(|| grant.scope.clone());
    let mut at_claims = json!({
        "iss": state.settings.issuer,
        "sub": account.id,
        "aud": client.client_id,
        "client_id": client.client_id,
        "iat": now,
        "exp": now + ACCESS_TOKEN_TTL,
        "jti": random_id(),
        "scope": scope,
        "auth_time": grant.auth_time,
        "acr": grant.acr.as_str(),
        "gid": grant.id,
    });
    if let Some(sid) = &grant.sid {
        at_claims["sid"] = json!(sid);
    }
    let access_token = ks
        .sign(
            connectid_core::client::SigningAlg::RS256,
            "at+jwt",
            &at_claims,
        )
        .map_err(|_| OAuthError::server())?;
    let hashes = IdTokenHashes {
        access_token: &access_token,
        device_secret,
    };
    let id_token = id_token(state, &ks, client, grant, account, nonce, hashes)?;
    let mut body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_TTL,
        "id_token": id_token,
        "scope": scope,
    });
    if client
        .metadata
        .grant_types
        .contains(&GrantType::RefreshToken)
    {
        let rt = random_token();
        state
            .store
            .insert_refresh_token(&hash_secret(&rt), &grant.id, now, now + GRANT_TTL)
            .await?;
        body["refresh_token"] = json!(rt);
    }
    if let Some(ds) = device_secret {
        body["device_secret"] = json!(ds);
    }
    Ok(body)
}

/// What the ID token hashes: the access token (`at_hash`) and the device secret (`ds_hash`).
pub(super) struct IdTokenHashes<'a> {
    access_token: &'a str,
    device_secret: Option<&'a str>,
}

pub(super) fn id_token(
    state: &AppState,
    ks: &KeySet,
    client: &ClientRecord,
    grant: &Grant,
    account: &Account,
    nonce: Option<&str>,
    hashes: IdTokenHashes<'_>,
) -> Result<String, OAuthError> {
    let now = state.now();
    let alg = client.metadata.id_token_signed_response_alg;
    let mut c = json!({
        "iss": state.settings.issuer,
        "sub": account.id,
        "aud": client.client_id,
        "exp": now + ID_TOKEN_TTL,
        "iat": now,
        "auth_time": grant.auth_time,
        "acr": grant.acr.as_str(),
        "amr": grant.amr,
        "azp": client.client_id,
        "at_hash": at_hash(alg, hashes.access_token),
    });
    if let Some(ds) = hashes.device_secret {
        c["ds_hash"] = json!(at_hash(alg, ds));
    }
    if let Some(n) = nonce {
        c["nonce"] = json!(n);
    }
    if let Some(sid) = &grant.sid {
        c["sid"] = json!(sid);
    }
    if grant.td_sls {
        c["td_sls"] = json!(true);
    }
    let asked: Vec<String> = grant
        .claims
        .as_deref()
        .and_then(|j| serde_json::from_str::<ClaimsRequest>(j).ok())
        .map(|r| r.id_token)
        .unwrap_or_default();
    if !asked.is_empty()
        && let Some(obj) = c.as_object_mut()
    {
        let extra = user_claims(account, &Scope::from_stored(""), &asked);
        for (k, v) in extra {
            obj.entry(k).or_insert(v);
        }
    }
    ks.sign(alg, "JWT", &c).map_err(|_| OAuthError::server())
}

/// The claims about a person that a scope set, or claims asked for by name, release.
pub fn user_claims(account: &Account, scope: &Scope, by_name: &[String]) -> Map<String, Value> {
    let wants = |scope_name: &str, claim: &str| {
        scope.contains(scope_name) || by_name.iter().any(|n| n == claim)
    };
    let mut m = Map::new();
    if let Some(e) = account.email() {
        if wants("email", "email") {
            m.insert("email".into(), json!(e.identifier.value));
        }
        if wants("email", "email_verified") {
            m.insert("email_verified".into(), json!(e.verified));
        }
    }
    if let Some(ph) = account.phone() {
        if wants("phone", "phone_number") {
            m.insert("phone_number".into(), json!(ph.identifier.value));
        }
        if wants("phone", "phone_number_verified") {
            m.insert("phone_number_verified".into(), json!(ph.verified));
        }
    }
    if wants("profile", "updated_at") {
        m.insert("updated_at".into(), json!(account.updated_at));
    }
    m
}

/// What a valid access token says, after the checks every resource endpoint needs.
pub struct VerifiedAccess {
    pub claims: Value,
    pub grant: Option<Grant>,
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
    Ok(Some(VerifiedAccess { claims: c, grant }))
}
