//! Making tokens (ID token, access token, refresh token) and checking access tokens.

use super::*;

/// What goes into a token response besides the client: whose tokens, and how they are made.
pub(super) struct Issue<'a> {
    pub grant: &'a Grant,
    pub account: &'a Account,
    /// The authorization request's `nonce`, for the ID token.
    pub nonce: Option<&'a str>,
    /// A refresh's narrower scope; `None`: the grant's.
    pub narrowed_scope: Option<String>,
    /// The native SSO device secret, hashed into the ID token's `ds_hash`.
    pub device_secret: Option<&'a str>,
    /// The DPoP key the access token (and a public client's refresh token) is bound to.
    pub jkt: Option<&'a str>,
    /// Whether a new refresh token goes out (not when a refresh keeps the one it used).
    pub new_refresh_token: bool,
}

impl<'a> Issue<'a> {
    pub fn new(grant: &'a Grant, account: &'a Account, jkt: Option<&'a str>) -> Self {
        Self {
            grant,
            account,
            nonce: None,
            narrowed_scope: None,
            device_secret: None,
            jkt,
            new_refresh_token: true,
        }
    }
}

/// Binds an access token's claims to a DPoP key (`cnf.jkt`, RFC 9449 §6) and names the
/// token type the client must present it with.
pub(super) fn bind(claims: &mut Value, jkt: Option<&str>) -> &'static str {
    match jkt {
        Some(jkt) => {
            claims["cnf"] = json!({ "jkt": jkt });
            "DPoP"
        }
        None => "Bearer",
    }
}

/// Access token (RFC 9068), ID token, a refresh token when the client may refresh, and the
/// native SSO device secret when there is one.
pub(super) async fn tokens_body(
    state: &AppState,
    client: &ClientRecord,
    issue: Issue<'_>,
) -> Result<Value, OAuthError> {
    let Issue {
        grant,
        account,
        nonce,
        narrowed_scope,
        device_secret,
        jkt,
        new_refresh_token,
    } = issue;
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
    let token_type = bind(&mut at_claims, jkt);
    let access_token = ks
        .sign(client.metadata.access_token_alg(), "at+jwt", &at_claims)
        .map_err(|_| OAuthError::server())?;
    let hashes = IdTokenHashes {
        access_token: &access_token,
        device_secret,
    };
    let id_token = id_token(state, &ks, client, grant, account, nonce, hashes)?;
    let mut body = json!({
        "access_token": access_token,
        "token_type": token_type,
        "expires_in": ACCESS_TOKEN_TTL,
        "id_token": id_token,
        "scope": scope,
    });
    if new_refresh_token
        && client
            .metadata
            .grant_types
            .contains(&GrantType::RefreshToken)
    {
        let rt = random_token();
        // A confidential client's refresh token is bound by its authentication already; a
        // public client's is bound to its DPoP key (RFC 9449 §5).
        let bound = jkt.filter(|_| client.metadata.is_public());
        state
            .store
            .insert_refresh_token(&hash_secret(&rt), &grant.id, now, now + GRANT_TTL, bound)
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
