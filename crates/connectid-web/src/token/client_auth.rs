//! Client authentication at the token, revocation and introspection endpoints: the method the
//! client registered and no other, failures rate-limited, assertions checked and used once.

use super::*;

/// Authenticates the calling client by the method it registered, and no other.
/// Client authentication with failures limited per client id and per address. Only failures
/// are counted and checked: secrets are 256-bit random and assertions are signed, so a
/// flood cannot guess one; the limit sheds the flood and keeps success on the fast path.
pub async fn authenticate_client(
    state: &AppState,
    headers: &HeaderMap,
    p: &Params,
    ip: &str,
) -> Result<ClientRecord, OAuthError> {
    match authenticate(state, headers, p).await {
        Ok(c) => Ok(c),
        Err(e) if e.error == "invalid_client" => {
            // The id the caller claimed, read as authentication reads it.
            let claimed = presented_credentials(headers, p)
                .map(|(_, id, _)| id)
                .unwrap_or_default();
            let checks = [
                (Limit::ClientAuthFailuresPerClient, claimed.as_str()),
                (Limit::ClientAuthFailuresPerIp, ip),
            ];
            match state.limits.hit_all(&checks).await {
                Ok(Decision::Limited { retry_after }) => Err(OAuthError::too_many(retry_after)),
                Ok(Decision::Allowed { .. }) => Err(e),
                // The authentication failed either way: the client is told so, not given a
                // server error (a 256-bit secret is not guessed in an outage).
                Err(le) => {
                    tracing::error!(error = %le, "rate limiter unavailable: failure not counted");
                    Err(e)
                }
            }
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    p: &Params,
) -> Result<ClientRecord, OAuthError> {
    let fail = || OAuthError::invalid_client("client authentication failed");
    let (method, client_id, secret) = presented_credentials(headers, p)?;
    let client = state.store.get_client(&client_id).await?.ok_or_else(fail)?;
    if client.metadata.token_endpoint_auth_method != method {
        return Err(fail());
    }
    match method {
        TokenEndpointAuthMethod::ClientSecretBasic | TokenEndpointAuthMethod::ClientSecretPost => {
            let given = hash_secret(secret.as_deref().unwrap_or(""));
            let stored = client.secret_hash.as_deref().unwrap_or("");
            if stored.is_empty() || !constant_time_eq(given.as_bytes(), stored.as_bytes()) {
                return Err(fail());
            }
        }
        TokenEndpointAuthMethod::PrivateKeyJwt => {
            verify_assertion(state, &client, p.get("client_assertion").unwrap_or("")).await?;
        }
        TokenEndpointAuthMethod::None => {}
    }
    Ok(client)
}

/// Reads how the caller presents itself (method, client id, secret) from the request alone,
/// before anything is looked up: exactly one method, and one client id.
pub(crate) fn presented_credentials(
    headers: &HeaderMap,
    p: &Params,
) -> Result<(TokenEndpointAuthMethod, String, Option<String>), OAuthError> {
    let fail = || OAuthError::invalid_client("client authentication failed");
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .map(|b64| -> Result<(String, String), OAuthError> {
            let raw = STANDARD.decode(b64.trim()).map_err(|_| fail())?;
            let raw = String::from_utf8(raw).map_err(|_| fail())?;
            let (id, secret) = raw.split_once(':').ok_or_else(fail)?;
            let dec = |s: &str| {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Ok((dec(id), dec(secret)))
        })
        .transpose()?;
    let (method, client_id, secret) = if let Some((id, secret)) = basic {
        if p.has("client_secret") || p.has("client_assertion") {
            return Err(OAuthError::bad_request(
                "invalid_request",
                "use exactly one client authentication method",
            ));
        }
        (TokenEndpointAuthMethod::ClientSecretBasic, id, Some(secret))
    } else if p.has("client_assertion") {
        if p.get("client_assertion_type") != Some(ASSERTION_TYPE) {
            return Err(fail());
        }
        let assertion = p.get("client_assertion").unwrap_or("");
        let id = parse_jws(assertion)
            .and_then(|j| j.claims.get("sub")?.as_str().map(str::to_string))
            .ok_or_else(fail)?;
        (TokenEndpointAuthMethod::PrivateKeyJwt, id, None)
    } else if let Some(secret) = p.get("client_secret") {
        let id = p.get("client_id").ok_or_else(fail)?.to_string();
        (
            TokenEndpointAuthMethod::ClientSecretPost,
            id,
            Some(secret.to_string()),
        )
    } else {
        let id = p.get("client_id").ok_or_else(fail)?.to_string();
        (TokenEndpointAuthMethod::None, id, None)
    };
    if p.get("client_id").is_some_and(|id| id != client_id) {
        return Err(fail());
    }
    Ok((method, client_id, secret))
}

/// RFC 7523 client assertion: signed by a key in the client's `jwks` (or at its `jwks_uri`),
/// for us, fresh, once.
pub(super) async fn verify_assertion(
    state: &AppState,
    client: &ClientRecord,
    assertion: &str,
) -> Result<(), OAuthError> {
    let fail = |why: &str| OAuthError::invalid_client(format!("client assertion: {why}"));
    let jws = parse_jws(assertion).ok_or_else(|| fail("malformed"))?;
    match signed_by_client(state, client, &jws).await {
        Ok(()) => {}
        Err(KeyCheck::Limited(retry_after)) => return Err(OAuthError::too_many(retry_after)),
        Err(KeyCheck::Failed(why)) => return Err(fail(why)),
    }
    let c = &jws.claims;
    let now = state.now();
    let s = |n: &str| c.get(n).and_then(Value::as_str);
    if s("iss") != Some(&client.client_id) || s("sub") != Some(&client.client_id) {
        return Err(fail("iss and sub must be the client_id"));
    }
    let issuer = &state.settings.issuer;
    let token_endpoint = format!("{issuer}/token");
    let par_endpoint = format!("{issuer}/par");
    let endpoint = |a: &str| a == issuer || a == token_endpoint || a == par_endpoint;
    let aud_ok = match c.get("aud") {
        // FAPI 2.0 §5.3.2.1: the issuer, as a lone string, and nothing else; the profile
        // closes the audience confusion an array or an endpoint URL leaves open.
        Some(Value::String(a)) if client.metadata.is_fapi2() => a == issuer,
        Some(_) if client.metadata.is_fapi2() => false,
        // RFC 7523 §3 and RFC 9126 §2: the issuer, or the endpoint the assertion is sent to.
        Some(Value::String(a)) => endpoint(a),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(endpoint),
        _ => false,
    };
    if !aud_ok {
        return Err(fail(if client.metadata.is_fapi2() {
            "aud must be the issuer, as a string"
        } else {
            "aud must be the issuer or the endpoint"
        }));
    }
    let exp = c
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(|| fail("no exp"))?;
    if exp <= now || exp > now + 600 {
        return Err(fail("expired or too long-lived"));
    }
    // Made in the future is no clock difference (FAPI 2.0 §5.3.2.1 allows 60 seconds).
    if ["iat", "nbf"].iter().any(|n| {
        c.get(*n)
            .and_then(Value::as_i64)
            .is_some_and(|t| t > now + 60)
    }) {
        return Err(fail("issued in the future (iat or nbf)"));
    }
    let jti = s("jti").ok_or_else(|| fail("no jti"))?;
    let key = format!("assertion:{}:{jti}", client.client_id);
    if !state.store.remember_jti(&key, exp).await? {
        return Err(fail("replayed"));
    }
    Ok(())
}

/// Why a client's signature is not accepted.
pub(crate) enum KeyCheck {
    /// The client is over its failure limit: no key fetch on its behalf.
    Limited(std::time::Duration),
    Failed(&'static str),
}

/// Whether `jws` is signed by one of the client's registered keys (its inline `jwks`, or its
/// `jwks_uri` through the cache), with an algorithm connectid accepts (never `none`).
pub(crate) async fn signed_by_client(
    state: &AppState,
    client: &ClientRecord,
    jws: &connectid_core::keys::ParsedJws,
) -> Result<(), KeyCheck> {
    let alg = alg_of(&jws.header).ok_or(KeyCheck::Failed("unsupported alg"))?;
    if !client.metadata.accepts_alg(alg) {
        return Err(KeyCheck::Failed(
            "the client's profile does not allow this alg",
        ));
    }
    let kid = jws.header.get("kid").and_then(Value::as_str);
    let fetched;
    let keys: &[Value] = match (&client.metadata.jwks, &client.metadata.jwks_uri) {
        (Some(jwks), _) => jwks
            .get("keys")
            .and_then(Value::as_array)
            .ok_or(KeyCheck::Failed("the client's jwks has no keys"))?,
        (None, Some(uri)) => {
            // A client already over its failure limit gets no outbound fetch on its behalf.
            if state.client_jwks.would_fetch(uri, kid, state.now())
                && let Ok(Decision::Limited { retry_after }) = state
                    .limits
                    .peek(Limit::ClientAuthFailuresPerClient, &client.client_id)
                    .await
            {
                return Err(KeyCheck::Limited(retry_after));
            }
            fetched = state
                .client_jwks
                .keys(state.http.as_ref(), uri, kid, state.now())
                .await
                .map_err(|e| {
                    tracing::warn!(client_id = %client.client_id, error = %e, "jwks_uri not readable");
                    KeyCheck::Failed("the client's jwks_uri could not be read")
                })?;
            &fetched
        }
        (None, None) => return Err(KeyCheck::Failed("the client has no keys")),
    };
    let verified = keys
        .iter()
        .filter(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
        .any(|k| verify_with_jwk(k, alg, jws.signing_input.as_bytes(), &jws.signature));
    if verified {
        Ok(())
    } else {
        Err(KeyCheck::Failed("bad signature"))
    }
}
