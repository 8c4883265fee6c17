//! Signed request objects (RFC 9101, JAR): the authorization request as a JWT signed with one
//! of the client's registered keys (inline `jwks` or `jwks_uri`, as `private_key_jwt` uses),
//! at `/authorize` (`request`) or inside a pushed request. Its parameters are the request:
//! those beside it are ignored (RFC 9101 §6.3), so nothing in the browser can change it.

use connectid_core::crypto::hash_secret;
use connectid_core::keys::parse_jws;
use connectid_core::store::ClientRecord;
use serde_json::Value;

use crate::params::Params;
use crate::state::AppState;
use crate::token::{KeyCheck, signed_by_client};

/// The longest a request object may be valid (the FAPI 2.0 profile's limit).
const MAX_LIFETIME: i64 = 3600;
/// Clocks differ: a `nbf` this far ahead is still accepted.
const SKEW: i64 = 10;
/// The JWT's own claims, not parameters of the request.
const REGISTERED: [&str; 6] = ["iss", "aud", "exp", "iat", "nbf", "jti"];

/// The request inside the signed object `jwt` of `client`, checked (signature, `iss`, `aud`,
/// `exp`, once only); the error says why not, for `invalid_request_object`.
pub async fn open(state: &AppState, client: &ClientRecord, jwt: &str) -> Result<Params, String> {
    let jws = parse_jws(jwt).ok_or("the request object is not a signed JWT")?;
    match signed_by_client(state, client, &jws).await {
        Ok(()) => {}
        Err(KeyCheck::Limited(_)) => return Err("too many failures for this client".into()),
        Err(KeyCheck::Failed(why)) => return Err(format!("request object: {why}")),
    }
    let c = jws
        .claims
        .as_object()
        .ok_or("the claims are not an object")?;
    let s = |n: &str| c.get(n).and_then(Value::as_str);
    let id = client.client_id.as_str();
    if s("iss") != Some(id) {
        return Err("iss must be the client_id".into());
    }
    if c.contains_key("client_id") && s("client_id") != Some(id) {
        return Err("client_id differs from the request's".into());
    }
    let issuer = state.settings.issuer.as_str();
    let aud_ok = match c.get("aud") {
        Some(Value::String(a)) => a == issuer,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(issuer)),
        _ => false,
    };
    if !aud_ok {
        return Err("aud must be the issuer".into());
    }
    let now = state.now();
    let int = |n: &str| c.get(n).and_then(Value::as_i64);
    let exp = int("exp").ok_or("exp is missing")?;
    let from = int("nbf").or(int("iat")).unwrap_or(now);
    if exp <= now || exp - from > MAX_LIFETIME || exp > now + MAX_LIFETIME {
        return Err("expired, or valid for more than an hour".into());
    }
    if int("nbf").is_some_and(|nbf| nbf > now + SKEW) {
        return Err("not valid yet (nbf)".into());
    }
    if c.contains_key("request") || c.contains_key("request_uri") {
        return Err("a request object must not hold request or request_uri".into());
    }
    // Used once: by its jti, or, without one, by its signature.
    let once = match s("jti") {
        Some(jti) => format!("request:{id}:{jti}"),
        None => format!("request:{id}:{}", hash_secret(jwt)),
    };
    if !state
        .store
        .remember_jti(&once, exp)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err("the request object was used before".into());
    }
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in c.iter().filter(|(k, _)| !REGISTERED.contains(&k.as_str())) {
        match v {
            Value::String(text) => form.append_pair(k, text),
            Value::Null => &mut form,
            other => form.append_pair(k, &other.to_string()),
        };
    }
    if !c.contains_key("client_id") {
        form.append_pair("client_id", id);
    }
    Ok(Params::parse(form.finish().as_bytes()))
}
