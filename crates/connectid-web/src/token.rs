//! The token endpoint and what it shares with revocation and introspection: client
//! authentication, and the making and checking of tokens.

use axum::Json;
use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use connectid_core::account::Account;
use connectid_core::client::{GrantType, TokenEndpointAuthMethod};
use connectid_core::crypto::{constant_time_eq, hash_secret, pkce_s256, random_id, random_token};
use connectid_core::keys::{KeySet, alg_of, at_hash, parse_jws, verify_with_jwk};
use connectid_core::oidc::{ClaimsRequest, Scope};
use connectid_core::ratelimit::{Decision, Limit};
use connectid_core::store::{ClientRecord, CodeUse, Grant, RefreshUse};
use serde_json::{Map, Value, json};

pub mod client_jwks;
mod native_sso;

use crate::error::OAuthError;
use crate::finish::GRANT_TTL;
use crate::params::Params;
use crate::state::AppState;

pub const ACCESS_TOKEN_TTL: i64 = 3600;
pub const ID_TOKEN_TTL: i64 = 3600;
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

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
                Err(le) => {
                    tracing::error!(error = %le, "rate limiter unavailable");
                    Err(OAuthError::server())
                }
            }
        }
        Err(e) => Err(e),
    }
}

async fn authenticate(
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
async fn verify_assertion(
    state: &AppState,
    client: &ClientRecord,
    assertion: &str,
) -> Result<(), OAuthError> {
    let fail = |why: &str| OAuthError::invalid_client(format!("client assertion: {why}"));
    let jws = parse_jws(assertion).ok_or_else(|| fail("malformed"))?;
    let alg = alg_of(&jws.header).ok_or_else(|| fail("unsupported alg"))?;
    let kid = jws.header.get("kid").and_then(Value::as_str);
    let fetched;
    let keys: &[Value] = match (&client.metadata.jwks, &client.metadata.jwks_uri) {
        (Some(jwks), _) => jwks
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| fail("the client's jwks has no keys"))?,
        (None, Some(uri)) => {
            // A client already over its failure limit gets no outbound fetch on its behalf.
            if state.client_jwks.would_fetch(uri, kid, state.now())
                && let Ok(Decision::Limited { retry_after }) = state
                    .limits
                    .peek(Limit::ClientAuthFailuresPerClient, &client.client_id)
                    .await
            {
                return Err(OAuthError::too_many(retry_after));
            }
            fetched = state
                .client_jwks
                .keys(state.http.as_ref(), uri, kid, state.now())
                .await
                .map_err(|e| {
                    tracing::warn!(client_id = %client.client_id, error = %e, "jwks_uri not readable");
                    fail("the client's jwks_uri could not be read")
                })?;
            &fetched
        }
        (None, None) => return Err(fail("the client has no keys")),
    };
    let verified = keys
        .iter()
        .filter(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
        .any(|k| verify_with_jwk(k, alg, jws.signing_input.as_bytes(), &jws.signature));
    if !verified {
        return Err(fail("bad signature"));
    }
    let c = &jws.claims;
    let now = state.now();
    let s = |n: &str| c.get(n).and_then(Value::as_str);
    if s("iss") != Some(&client.client_id) || s("sub") != Some(&client.client_id) {
        return Err(fail("iss and sub must be the client_id"));
    }
    let issuer = &state.settings.issuer;
    let token_endpoint = format!("{issuer}/token");
    let aud_ok = match c.get("aud") {
        Some(Value::String(a)) => a == issuer || *a == token_endpoint,
        Some(Value::Array(a)) => a
            .iter()
            .any(|v| v.as_str() == Some(issuer) || v.as_str() == Some(&token_endpoint)),
        _ => false,
    };
    if !aud_ok {
        return Err(fail("aud must be the issuer or the token endpoint"));
    }
    let exp = c
        .get("exp")
        .and_then(Value::as_i64)
        .ok_or_else(|| fail("no exp"))?;
    if exp <= now || exp > now + 600 {
        return Err(fail("expired or too long-lived"));
    }
    let jti = s("jti").ok_or_else(|| fail("no jti"))?;
    let key = format!("assertion:{}:{jti}", client.client_id);
    if !state.store.remember_jti(&key, exp).await? {
        return Err(fail("replayed"));
    }
    Ok(())
}

pub(crate) fn no_store(v: Value) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ip = crate::signin::ip_of(&state, peer, &headers);
    match handle(&state, &headers, Params::parse(&body), &ip).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle(
    state: &AppState,
    headers: &HeaderMap,
    p: Params,
    ip: &str,
) -> Result<Response, OAuthError> {
    if let Some(dup) = &p.duplicate {
        return Err(OAuthError::bad_request(
            "invalid_request",
            format!("{dup} appears more than once"),
        ));
    }
    let client = authenticate_client(state, headers, &p, ip).await?;
    let grant_type = grant_type(&p)?;
    if !client.metadata.grant_types.contains(&grant_type) {
        return Err(OAuthError::bad_request(
            "unauthorized_client",
            "this client may not use this grant type",
        ));
    }
    let answer = match grant_type {
        GrantType::AuthorizationCode => authorization_code(state, &client, &p).await,
        GrantType::RefreshToken => refresh(state, &client, &p).await,
        GrantType::ClientCredentials => client_credentials(state, &client, &p),
        GrantType::TokenExchange
            if p.get("requested_token_type") == Some(crate::preauth::TOKEN_TYPE) =>
        {
            crate::preauth::exchange(state, &client, &p).await
        }
        GrantType::TokenExchange => native_sso::exchange(state, &client, &p).await,
    };
    if answer.is_ok() {
        state.metrics.token_issued(grant_type);
    }
    answer
}

pub(crate) fn grant_type(p: &Params) -> Result<GrantType, OAuthError> {
    let grant_type = p
        .get("grant_type")
        .ok_or_else(|| OAuthError::bad_request("invalid_request", "grant_type is missing"))?;
    serde_json::from_value(json!(grant_type)).map_err(|_| {
        OAuthError::bad_request("unsupported_grant_type", "this grant type is not supported")
    })
}

fn invalid_grant(d: impl Into<String>) -> OAuthError {
    OAuthError::bad_request("invalid_grant", d)
}

async fn authorization_code(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
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
    let grant = live_grant(state, &record.grant_id).await?;
    // From here the client holds tokens of this session: back-channel logout must reach it.
    state.store.mark_grant_issued(&grant.id, now).await?;
    let account = state
        .store
        .get_account(&grant.account_id)
        .await?
        .ok_or_else(|| invalid_grant("the account no longer exists"))?;
    let device_secret = native_sso::issue_device_secret(state, client, &grant).await?;
    let body = tokens_body(
        state,
        client,
        &grant,
        &account,
        record.nonce.as_deref(),
        None,
        device_secret.as_deref(),
    )
    .await?;
    Ok(no_store(body))
}

async fn live_grant(state: &AppState, id: &str) -> Result<Grant, OAuthError> {
    let grant = state
        .store
        .get_grant(id)
        .await?
        .ok_or_else(|| invalid_grant("the grant no longer exists"))?;
    if grant.revoked_at.is_some() || grant.expires_at <= state.now() {
        return Err(invalid_grant("the grant was revoked or has expired"));
    }
    Ok(grant)
}

async fn refresh(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
) -> Result<Response, OAuthError> {
    let now = state.now();
    let token = p
        .get("refresh_token")
        .ok_or_else(|| OAuthError::bad_request("invalid_request", "refresh_token is missing"))?;
    let hash = hash_secret(token);
    // The client check comes before the token is marked used, so that another client cannot
    // burn someone else's token.
    let Some(grant_id) = state.store.refresh_token_grant(&hash).await? else {
        return Err(invalid_grant("the refresh token is invalid"));
    };
    let grant = live_grant(state, &grant_id).await?;
    if grant.client_id != client.client_id {
        return Err(invalid_grant(
            "the refresh token was issued to another client",
        ));
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
    match state.store.use_refresh_token(&hash, now).await? {
        RefreshUse::Rotated { .. } => {}
        RefreshUse::Reused { grant_id } => {
            state.store.revoke_grant(&grant_id, now).await?;
            return Err(invalid_grant(
                "the refresh token was already used; its whole family is revoked",
            ));
        }
        RefreshUse::Unknown => {
            return Err(invalid_grant("the refresh token is invalid or expired"));
        }
    }
    let account = state
        .store
        .get_account(&grant.account_id)
        .await?
        .ok_or_else(|| invalid_grant("the account no longer exists"))?;
    let body = tokens_body(
        state,
        client,
        &grant,
        &account,
        None,
        narrowed,
        device_secret.as_deref(),
    )
    .await?;
    Ok(no_store(body))
}

fn client_credentials(
    state: &AppState,
    client: &ClientRecord,
    p: &Params,
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
    let claims = json!({
        "iss": state.settings.issuer,
        "sub": client.client_id,
        "aud": client.client_id,
        "client_id": client.client_id,
        "iat": now,
        "exp": now + ACCESS_TOKEN_TTL,
        "jti": random_id(),
        "scope": scope,
    });
    let at = ks
        .sign(connectid_core::client::SigningAlg::RS256, "at+jwt", &claims)
        .map_err(|_| OAuthError::server())?;
    let mut body =
        json!({"access_token": at, "token_type": "Bearer", "expires_in": ACCESS_TOKEN_TTL});
    if !scope.is_empty() {
        body["scope"] = json!(scope);
    }
    Ok(no_store(body))
}

/// Access token (RFC 9068), ID token, a rotated refresh token when the client may refresh,
/// and the native SSO device secret when there is one (hashed into the ID token's `ds_hash`).
async fn tokens_body(
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
struct IdTokenHashes<'a> {
    access_token: &'a str,
    device_secret: Option<&'a str>,
}

fn id_token(
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
