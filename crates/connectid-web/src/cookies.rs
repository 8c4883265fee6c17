//! The two cookies: the SSO session and the browser binding of a pending sign-in.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "cid_session";
pub const BROWSER: &str = "cid_browser";

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// A `Set-Cookie` value. `max_age` None makes a browser-session cookie.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}

/// The SSO session cookie: host-only, or on the parent domain the operator configured
/// (`[session] cookie_domain`) so that sites under it share the sign-in (README, "Sites under one domain").
pub fn set_session(
    value: &str,
    max_age: Option<i64>,
    settings: &crate::state::WebSettings,
) -> String {
    let mut c = set(SESSION, value, max_age, settings.secure_cookies());
    if let Some(d) = &settings.cookie_domain {
        c.push_str(&format!("; Domain={d}"));
    }
    c
}

pub fn clear_session(settings: &crate::state::WebSettings) -> String {
    set_session("", Some(0), settings)
}
