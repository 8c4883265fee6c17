//! The grant types: `authorization_code`, `refresh_token` (rotated, reuse revokes the family)
//! and `client_credentials`.

use super::*;

pub(super) async fn authorization_code(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
    jkt: Option<&str>,
) -> Result<Response, OAuthError> {
    let now = state.now();
    let code = p
        .get("code")
        .ok_or_else(|| OAuthError::bad_request("invalid_request", "code is missing"))?;
    let record = match state.store.consume_code(&hash_secret(code), now).await? {
        CodeUse::Fresh(c) => c,
        CodeUse::Reused { grant_id } => {
            // A second use means the code leaked: end everything the first use issued.
            state.store.revoke_grant(&grant_id, now).await?;
            return Err(invalid_grant("the code was already used"));
        }
        CodeUse::Unknown => return Err(invalid_grant("the code is invalid or expired")),
    };
    if record.client_id != client.client_id {
        state.store.revoke_grant(&record.grant_id, now).await?;
        return Err(invalid_grant("the code was issued to another client"));
    }
    if p.get("redirect_uri") != Some(record.redirect_uri.as_str()) {
        return Err(invalid_grant(
            "redirect_uri does not match the authorization request",
        ));
    }
    match (&record.code_challenge, p.get("code_verifier")) {
        (Some(challenge), Some(verifier)) => {
            let ok = (43..=128).contains(&verifier.len())
                && constant_time_eq(pkce_s256(verifier).as_bytes(), challenge.as_bytes());
            if !ok {
                return Err(invalid_grant(
                    "code_verifier does not match the code_challenge",
                ));
            }
        }
        (Some(_), None) => return Err(invalid_grant("code_verifier is missing")),
        (None, Some(_)) => return Err(invalid_grant("no code_challenge was sent for this code")),
        (None, None) => {}
    }
    if let Some(bound) = &record.dpop_jkt
        && jkt != Some(bound.as_str())
    {
        return Err(invalid_grant(
            "the code is bound to a DPoP key (dpop_jkt): send a proof by that key",
        ));
    }
    // From here the client holds tokens of this session: back-channel logout must reach it.
    let grant = state
        .store
        .issue_grant(&record.grant_id, now)
        .await?
        .ok_or_else(|| invalid_grant("the grant was revoked or has expired"))?;
    let account = state
        .store
        .get_account(&grant.account_id)
        .await?
        .ok_or_else(|| invalid_grant("the account no longer exists"))?;
    let device_secret = native_sso::issue_device_secret(state, client, &grant).await?;
    let issue = Issue {
        nonce: record.nonce.as_deref(),
        device_secret: device_secret.as_deref(),
        ..Issue::new(&grant, &account, jkt)
    };
    Ok(no_store(tokens_body(state, client, issue).await?))
}

pub(super) async fn refresh(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
    jkt: Option<&str>,
) -> Result<Response, OAuthError> {
    let now = state.now();
    let token = p
        .get("refresh_token")
        .ok_or_else(|| OAuthError::bad_request("invalid_request", "refresh_token is missing"))?;
    let hash = hash_secret(token);
    // The client check comes before the token is marked used, so that another client cannot
    // burn someone else's token.
    let Some(record) = state.store.get_refresh_token(&hash).await? else {
        return Err(invalid_grant("the refresh token is invalid"));
    };
    let grant = live_grant(state, &record.grant_id).await?;
    if grant.client_id != client.client_id {
        return Err(invalid_grant(
            "the refresh token was issued to another client",
        ));
    }
    match (record.dpop_jkt.as_deref(), jkt) {
        (Some(_), None) => {
            return Err(OAuthError::bad_request(
                "invalid_dpop_proof",
                "this refresh token is DPoP-bound: send a proof by its key",
            ));
        }
        (Some(bound), Some(presented)) if bound != presented => {
            return Err(invalid_grant(
                "the refresh token is bound to another DPoP key",
            ));
        }
        _ => {}
    }
    // Checked before the token is used: a refused request must not cost the client its
    // refresh token.
    let narrowed = match p.get("scope") {
        Some(s) => {
            let asked = Scope::parse_supported(s);
            if !Scope::from_stored(&grant.scope).is_superset_of(&asked) {
                return Err(OAuthError::bad_request(
                    "invalid_scope",
                    "a refresh may not widen the scope",
                ));
            }
            Some(asked.to_string())
        }
        None => None,
    };
    let device_secret = native_sso::presented_on_refresh(state, client, &grant, p).await?;
    let rotates = client.metadata.rotates_refresh_tokens();
    if !rotates && record.expires_at <= now {
        return Err(invalid_grant("the refresh token has expired"));
    }
    match rotates.then_some(state.store.use_refresh_token(&hash, now).await?) {
        None | Some(RefreshUse::Rotated { .. }) => {}
        Some(RefreshUse::Reused { grant_id }) => {
            state.store.revoke_grant(&grant_id, now).await?;
            return Err(invalid_grant(
                "the refresh token was already used; its whole family is revoked",
            ));
        }
        Some(RefreshUse::Unknown) => {
            return Err(invalid_grant("the refresh token is invalid or expired"));
        }
    }
    let account = state
        .store
        .get_account(&grant.account_id)
        .await?
        .ok_or_else(|| invalid_grant("the account no longer exists"))?;
    let issue = Issue {
        narrowed_scope: narrowed,
        device_secret: device_secret.as_deref(),
        new_refresh_token: rotates,
        ..Issue::new(&grant, &account, jkt)
    };
    Ok(no_store(tokens_body(state, client, issue).await?))
}

pub(super) fn client_credentials(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
    jkt: Option<&str>,
) -> Result<Response, OAuthError> {
    let now = state.now();
    let allowed = Scope::from_stored(client.metadata.scope.as_deref().unwrap_or(""));
    let scope = match p.get("scope") {
        Some(s) => {
            let asked = Scope::from_stored(s);
            if !allowed.is_superset_of(&asked) {
                return Err(OAuthError::bad_request(
                    "invalid_scope",
                    "the client may not ask for this scope",
                ));
            }
            asked.to_string()
        }
        None => allowed.to_string(),
    };
    let ks = state.keyset();
    let mut claims = json!({
        "iss": state.settings.issuer,
        "sub": client.client_id,
        "aud": client.client_id,
        "client_id": client.client_id,
        "iat": now,
        "exp": now + ACCESS_TOKEN_TTL,
        "jti": random_id(),
        "scope": scope,
    });
    let token_type = bind(&mut claims, jkt);
    let at = ks
        .sign(client.metadata.access_token_alg(), "at+jwt", &claims)
        .map_err(|_| OAuthError::server())?;
    let mut body =
        json!({"access_token": at, "token_type": token_type, "expires_in": ACCESS_TOKEN_TTL});
    if !scope.is_empty() {
        body["scope"] = json!(scope);
    }
    Ok(no_store(body))
}
