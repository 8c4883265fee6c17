//! Single sign-on for sites under one parent domain (README, "Sites under one domain"):
//! with `[session] cookie_domain` the SSO cookie reaches every site under that domain, and
//! their reverse proxy asks `/resolve` about each request (nginx `auth_request`, Traefik
//! `forwardAuth`, Caddy `forward_auth`) and gets 200 with who is signed in, or is told where
//! to send the person to sign in.
//!
//! What a location requires is part of the path (`/resolve/acr/2`, `/resolve/max_age/300`),
//! never of the query string: Caddy's `forward_auth` passes the protected page's own query
//! string on, and a page's address must not be able to lower (or raise) the requirement.
//!
//! Which page the person was on comes from the proxy: `X-Original-URL` (nginx, which needs a
//! 401 and redirects itself) or `X-Forwarded-Proto` / `-Host` / `-Uri` (Caddy and Traefik,
//! which hand the answer to the browser as it is, so a page load gets the redirect). Those
//! headers are believed only from `[http] forwarded_proxies`. The sign-in URL carries the
//! requirement and the page, so the person comes back to exactly that page signed in as the
//! location wants, with no redirect loop.
//!
//! `/resolve` is asked once per proxied request, so it is one session read and one account
//! read, and refreshes a browser session's idle time at most once a minute.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::crypto::hash_secret;
use connectid_core::identifier::IdentifierKind;
use connectid_core::oidc::Acr;

use crate::cookies;
use crate::error::PageError;
use crate::state::AppState;

/// The longest page address a sign-in returns to.
const MAX_PAGE_URL: usize = 4096;

fn answer(status: StatusCode, headers: Vec<(&'static str, String)>) -> Response {
    let mut r = status.into_response();
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), v);
        }
    }
    r
}

/// What a location requires: a level of assurance, a sign-in no older than `max_age`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub acr: Option<Acr>,
    pub max_age: Option<i64>,
}

impl Requirement {
    /// From the path after `/resolve`: empty, `/acr/2`, `/max_age/300`, or both, once each.
    pub fn from_path(rest: &str) -> Option<Self> {
        let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        if !parts.len().is_multiple_of(2) || parts.len() > 4 {
            return None;
        }
        let mut r = Self::default();
        for pair in parts.chunks(2) {
            match (pair[0], pair[1]) {
                ("acr", v) if r.acr.is_none() => r.acr = Some(v.parse().ok()?),
                ("max_age", v) if r.max_age.is_none() => {
                    r.max_age = Some(v.parse::<i64>().ok().filter(|m| *m >= 0)?);
                }
                _ => return None,
            }
        }
        Some(r)
    }
}

/// `GET /resolve[/acr/N][/max_age/S]`: 200 with `X-Connectid-Sub`, `-Sid`, `-Acr`, `-Amr`,
/// `-Auth-Time` and the verified `-Phone` / `-Email`; else where to sign in (see the module).
pub async fn resolve(State(state): State<AppState>, req: Request) -> Response {
    let rest = req.uri().path().strip_prefix("/resolve").unwrap_or("");
    let Some(need) = Requirement::from_path(rest) else {
        return answer(StatusCode::BAD_REQUEST, Vec::new());
    };
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let headers = req.headers();
    match signed_in(&state, headers, need).await {
        Ok(Some(out)) => answer(StatusCode::OK, out),
        Ok(None) => to_sign_in(&state, headers, peer, need),
        Err(status) => answer(status, Vec::new()),
    }
}

/// Who is signed in as `need` wants, as the answer's headers; `None` when nobody is.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    need: Requirement,
) -> Result<Option<Vec<(&'static str, String)>>, StatusCode> {
    let Some(cookie) = cookies::get(headers, cookies::SESSION) else {
        return Ok(None);
    };
    let now = state.now();
    let session = match state.store.get_session(&hash_secret(&cookie), now).await {
        Ok(Some(s)) => s,
        Ok(None) => return Ok(None),
        Err(e) => {
            tracing::error!(error = %e, "resolve: session not readable");
            return Err(StatusCode::SERVICE_UNAVAILABLE);
        }
    };
    if need.acr.is_some_and(|a| session.acr < a)
        || need.max_age.is_some_and(|m| now - session.auth_time > m)
    {
        return Ok(None);
    }
    let account = match state.store.get_account(&session.account_id).await {
        Ok(Some(a)) => a,
        Ok(None) => return Ok(None),
        Err(e) => {
            tracing::error!(error = %e, "resolve: account not readable");
            return Err(StatusCode::SERVICE_UNAVAILABLE);
        }
    };
    if let Err(e) = crate::app::sessions::touch(state, &session).await {
        tracing::warn!(error = %e, "resolve: idle time not refreshed");
    }
    let amr: Vec<&str> = session.amr.iter().map(|m| m.as_str()).collect();
    let mut out = vec![
        ("x-connectid-sub", account.id.clone()),
        ("x-connectid-sid", session.sid.clone()),
        ("x-connectid-acr", session.acr.as_str().to_string()),
        ("x-connectid-amr", amr.join(" ")),
        ("x-connectid-auth-time", session.auth_time.to_string()),
    ];
    let verified = |kind: IdentifierKind| {
        account
            .identifiers
            .iter()
            .find(|i| i.verified && i.identifier.kind == kind)
            .map(|i| i.identifier.value.clone())
    };
    if let Some(p) = verified(IdentifierKind::Phone) {
        out.push(("x-connectid-phone", p));
    }
    if let Some(e) = verified(IdentifierKind::Email) {
        out.push(("x-connectid-email", e));
    }
    Ok(Some(out))
}

/// Nobody is signed in as required: 401, with the sign-in URL in `X-Connectid-Signin` when
/// a configured proxy said which page (under the cookie domain) the person was on; a page
/// load through a forward-auth proxy is redirected there instead.
fn to_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
    need: Requirement,
) -> Response {
    let from_proxy = peer.is_some_and(|ip| {
        state
            .settings
            .forwarded_proxies
            .iter()
            .any(|c| c.contains(ip))
    });
    let page = from_proxy
        .then(|| page_of(headers))
        .flatten()
        .filter(|(url, _)| url.len() <= MAX_PAGE_URL && state.settings.shares_cookie(url));
    let Some((url, forward_auth)) = page else {
        return answer(StatusCode::UNAUTHORIZED, Vec::new());
    };
    let signin = signin_url(&state.settings.issuer, need, &url);
    if forward_auth && is_page_load(headers) {
        let mut r = answer(
            StatusCode::FOUND,
            vec![("x-connectid-signin", signin.clone())],
        );
        if let Ok(v) = HeaderValue::from_str(&signin) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    answer(
        StatusCode::UNAUTHORIZED,
        vec![("x-connectid-signin", signin)],
    )
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The page the proxy says the person was on, and whether it said so as a forward-auth proxy
/// (`X-Forwarded-*`) rather than as nginx (`X-Original-URL`).
fn page_of(headers: &HeaderMap) -> Option<(String, bool)> {
    if let Some(url) = header_str(headers, "x-original-url") {
        return Some((url.to_string(), false));
    }
    let uri = header_str(headers, "x-forwarded-uri")?;
    let host = header_str(headers, "x-forwarded-host")?
        .split(',')
        .next()?
        .trim();
    let proto = header_str(headers, "x-forwarded-proto")
        .and_then(|p| p.split(',').next())
        .map_or("https", str::trim);
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !matches!(proto, "http" | "https")
        || !host_ok
        || !uri.starts_with('/')
        || uri.starts_with("//")
    {
        return None;
    }
    Some((format!("{proto}://{host}{uri}"), true))
}

/// A browser loading a page (not a script's request, not a form post): what may be
/// redirected to a sign-in page.
fn is_page_load(headers: &HeaderMap) -> bool {
    let method_ok = header_str(headers, "x-forwarded-method")
        .is_none_or(|m| m.eq_ignore_ascii_case("GET") || m.eq_ignore_ascii_case("HEAD"));
    let scripted = header_str(headers, "x-requested-with")
        .is_some_and(|x| x.eq_ignore_ascii_case("XMLHttpRequest"));
    let navigates = match header_str(headers, "sec-fetch-mode") {
        Some(mode) => mode == "navigate",
        None => header_str(headers, "accept").is_some_and(|a| a.contains("text/html")),
    };
    method_ok && !scripted && navigates
}

/// `{issuer}/resolve/signin?acr=…&max_age=…&rd=<page>`, the page last and escaped.
pub fn signin_url(issuer: &str, need: Requirement, page: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(a) = need.acr {
        q.append_pair("acr", a.as_str());
    }
    if let Some(m) = need.max_age {
        q.append_pair("max_age", &m.to_string());
    }
    q.append_pair("rd", page);
    format!("{issuer}/resolve/signin?{}", q.finish())
}

/// The page of a sign-in URL's query: after `rd=`, either as connectid writes it (escaped,
/// up to the next `&`) or as a proxy's config may write it unescaped (`rd=https://…`: then
/// everything after `rd=` is the page, its own query string included). Returns the page and
/// the other parameters.
fn split_page(query: &str) -> (Option<String>, String) {
    let at = if query.starts_with("rd=") {
        Some(0)
    } else {
        query.find("&rd=").map(|i| i + 1)
    };
    let Some(at) = at else {
        return (None, query.to_string());
    };
    let before = query[..at].trim_end_matches('&');
    let raw = &query[at + 3..];
    if raw.starts_with("http://") || raw.starts_with("https://") {
        return (Some(raw.to_string()), before.to_string());
    }
    let (value, after) = raw.split_once('&').unwrap_or((raw, ""));
    let page = percent_encoding::percent_decode_str(&value.replace('+', " "))
        .decode_utf8()
        .ok()
        .map(|p| p.into_owned());
    let rest = [before, after]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("&");
    (page, rest)
}

/// `GET /resolve/signin?[acr=2&][max_age=S&]rd=<page>`: sign in as required (or ride the
/// session), then back to the page, when it is under the cookie domain.
pub async fn signin(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let (page, rest) = split_page(q.as_deref().unwrap_or(""));
    let bad = || PageError::bad_request("error-bad-request");
    let page = page
        .filter(|p| p.len() <= MAX_PAGE_URL && state.settings.shares_cookie(p))
        .ok_or_else(bad)?;
    let mut need = Requirement::default();
    for (k, v) in form_urlencoded::parse(rest.as_bytes()) {
        match k.as_ref() {
            "acr" => need.acr = Some(v.parse().map_err(|_| bad())?),
            "max_age" => {
                need.max_age = Some(v.parse::<i64>().ok().filter(|m| *m >= 0).ok_or_else(bad)?)
            }
            _ => {}
        }
    }
    Ok(crate::account::sign_in_as(
        &state,
        &page,
        need.acr.filter(|a| *a > Acr::Phone),
        need.max_age,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_come_from_the_path_only() {
        assert_eq!(Requirement::from_path(""), Some(Requirement::default()));
        assert_eq!(Requirement::from_path("/"), Some(Requirement::default()));
        let both = Requirement::from_path("/acr/2/max_age/300").unwrap();
        assert_eq!(both.acr, Some(Acr::Password));
        assert_eq!(both.max_age, Some(300));
        for bad in [
            "/acr",
            "/acr/9",
            "/max_age/-1",
            "/max_age/soon",
            "/acr/2/acr/1",
            "/x/1",
            "/acr/2/max_age/1/y/2",
        ] {
            assert_eq!(Requirement::from_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_page_comes_back_whole_escaped_or_not() {
        let page = "https://wiki.example.com/page?action=edit&section=2&q=a%26b";
        let url = signin_url(
            "https://id.example.com",
            Requirement::from_path("/acr/2/max_age/60").unwrap(),
            page,
        );
        let q = url.split_once('?').unwrap().1;
        let (got, rest) = split_page(q);
        assert_eq!(got.as_deref(), Some(page));
        assert_eq!(rest, "acr=2&max_age=60");
        // As an nginx config writes it: `rd=$scheme://$http_host$request_uri`, unescaped.
        let (got, rest) = split_page(&format!("acr=2&rd={page}"));
        assert_eq!(got.as_deref(), Some(page));
        assert_eq!(rest, "acr=2");
        let (got, rest) = split_page("rd=https%3A%2F%2Fa.example.com%2Fx&acr=2");
        assert_eq!(got.as_deref(), Some("https://a.example.com/x"));
        assert_eq!(rest, "acr=2");
        assert_eq!(split_page("acr=2").0, None);
        assert_eq!(split_page("xrd=https://a/").0, None);
    }

    #[test]
    fn the_page_is_read_from_the_proxys_headers() {
        let h = |pairs: &[(&'static str, &str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_str(v).unwrap());
            }
            m
        };
        let traefik = h(&[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "wiki.example.com"),
            ("x-forwarded-uri", "/a?b=1&c=%26"),
        ]);
        assert_eq!(
            page_of(&traefik),
            Some(("https://wiki.example.com/a?b=1&c=%26".into(), true))
        );
        let nginx = h(&[("x-original-url", "http://wiki.example.com/a?b")]);
        assert_eq!(
            page_of(&nginx),
            Some(("http://wiki.example.com/a?b".into(), false))
        );
        for bad in [
            h(&[
                ("x-forwarded-host", "evil.example/x"),
                ("x-forwarded-uri", "/"),
            ]),
            h(&[
                ("x-forwarded-host", "a.example.com"),
                ("x-forwarded-uri", "//evil.example/"),
            ]),
            h(&[
                ("x-forwarded-host", "a.example.com"),
                ("x-forwarded-uri", "/"),
                ("x-forwarded-proto", "javascript"),
            ]),
            h(&[("x-forwarded-uri", "/")]),
        ] {
            assert_eq!(page_of(&bad), None, "{bad:?}");
        }
        assert!(is_page_load(&h(&[("sec-fetch-mode", "navigate")])));
        assert!(is_page_load(&h(&[("accept", "text/html,*/*")])));
        assert!(!is_page_load(&h(&[
            ("sec-fetch-mode", "cors"),
            ("accept", "text/html")
        ])));
        assert!(!is_page_load(&h(&[
            ("accept", "text/html"),
            ("x-requested-with", "XMLHttpRequest")
        ])));
        assert!(!is_page_load(&h(&[
            ("accept", "text/html"),
            ("x-forwarded-method", "POST")
        ])));
        assert!(!is_page_load(&h(&[("accept", "application/json")])));
    }
}
