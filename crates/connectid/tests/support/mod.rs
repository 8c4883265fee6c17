//! What the integration suites share: the server (in-process on a listener of its own with a
//! clock the test moves, or the real binary) with its own tempdir and database (SQLite, or a
//! fresh PostgreSQL database), a cookie-keeping browser, the walk through the sign-in pages,
//! Chromium with axe-core, a back-channel logout receiver, a snapshot of what the database
//! holds, an SMS gateway, raw HTTP for requests a normal client refuses to send, and the hostile-input case
//! runner.

#![allow(dead_code)]

pub mod chromium;
pub mod dpop;
mod gateway;
pub mod operator;
mod pages;
pub mod python;
mod receiver;
mod server;
mod smtp;

#[allow(unused_imports)]
pub use gateway::{Gateway, code_in};
#[allow(unused_imports)]
pub use pages::{open, post_page};
#[allow(unused_imports)]
pub use receiver::{Receiver, serve_app};
pub use server::*;
#[allow(unused_imports)]
pub use smtp::smtp_server;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use connectid_core::crypto::{b64url, pkce_s256, random_id, random_token};
use serde_json::Value;
use sqlx::Row;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where the relying parties on panva's openid-client live (`tests/rp_node`), if `npm ci` ran
/// there; else the suite says it was skipped and gets `None`.
pub fn rp_node(what: &str) -> Option<&'static str> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rp_node");
    if std::path::Path::new(dir)
        .join("node_modules/openid-client")
        .exists()
    {
        Some(dir)
    } else {
        skipped(&format!(
            "{what}: tests/rp_node has no node_modules (./test runs npm ci)"
        ));
        None
    }
}

/// Runs `node SCRIPT ARGS…` in `dir` and reads the JSON it prints; its stderr on failure.
pub fn node_json(dir: &str, script: &str, args: &[&str]) -> Value {
    let out = std::process::Command::new("node")
        .current_dir(dir)
        .arg(script)
        .args(args)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The last non-empty line a command printed (a summary such as an import's).
pub fn summary(out: &str) -> &str {
    out.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// A Norwegian mobile number no other test of this run uses.
pub fn unique_phone() -> String {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU32, Ordering};
    static BASE: OnceLock<u32> = OnceLock::new();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let base = *BASE.get_or_init(|| u32::from_str_radix(&random_id()[..5], 16).unwrap());
    let n = (base + NEXT.fetch_add(1, Ordering::Relaxed)) % 1_000_000;
    format!("+4798{n:06}")
}

/// An email address no other test uses, starting with `tag`.
pub fn unique_email(tag: &str) -> String {
    format!("{tag}{}@example.com", random_id())
}

/// A suite that cannot run here (a service or tool is missing): fails under `CI`, else says
/// so past the test harness's capture (a passing test's output is hidden) and in
/// `target/tmp/skipped.txt`, which `./test` summarises at the end.
pub fn skipped(what: &str) {
    connectid_core::skipped::skipped(what, env!("CARGO_TARGET_TMPDIR"));
}

pub const REDIRECT: &str = "http://127.0.0.1:9/cb";
/// Where clients that may only use https (the FAPI 2.0 profile) are sent back.
pub const SECURE_REDIRECT: &str = "https://127.0.0.1:9/cb";
pub const BYE: &str = "http://127.0.0.1:9/bye";
pub const PASSWORD: &str = "correct horse 42";

impl Server {
    /// How many rows of each kind the database holds, and the outbox's length: what a
    /// refused request must leave as it was.
    pub async fn snapshot(&self) -> BTreeMap<&'static str, i64> {
        const QUERIES: &[(&str, &str)] = &[
            ("accounts", "SELECT count(*) FROM accounts"),
            (
                "accounts_with_password",
                "SELECT count(*) FROM accounts WHERE password_hash IS NOT NULL",
            ),
            ("identifiers", "SELECT count(*) FROM identifiers"),
            (
                "identifiers_verified",
                "SELECT count(*) FROM identifiers WHERE verified",
            ),
            ("clients", "SELECT count(*) FROM clients"),
            ("sessions", "SELECT count(*) FROM sso_sessions"),
            ("interactions", "SELECT count(*) FROM interactions"),
            ("grants", "SELECT count(*) FROM grants"),
            (
                "grants_revoked",
                "SELECT count(*) FROM grants WHERE revoked_at IS NOT NULL",
            ),
            ("codes", "SELECT count(*) FROM auth_codes"),
            (
                "codes_used",
                "SELECT count(*) FROM auth_codes WHERE used_at IS NOT NULL",
            ),
            ("refresh_tokens", "SELECT count(*) FROM refresh_tokens"),
            (
                "refresh_used",
                "SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL",
            ),
            ("consents", "SELECT count(*) FROM consents"),
            ("otps", "SELECT count(*) FROM otps"),
            (
                "otps_consumed",
                "SELECT count(*) FROM otps WHERE consumed_at IS NOT NULL",
            ),
            ("jtis", "SELECT count(*) FROM seen_jtis"),
            ("device_secrets", "SELECT count(*) FROM device_secrets"),
        ];
        let mut out = BTreeMap::new();
        match &self.backend {
            Backend::Sqlite => {
                let url = format!("{}?mode=ro", self.database_url);
                let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
                    .await
                    .unwrap();
                for (name, q) in QUERIES {
                    let row = sqlx::query(*q).fetch_one(&mut conn).await.unwrap();
                    out.insert(*name, row.get::<i64, _>(0));
                }
            }
            Backend::Postgres { .. } => {
                let mut conn =
                    <sqlx::PgConnection as sqlx::Connection>::connect(&self.database_url)
                        .await
                        .unwrap();
                for (name, q) in QUERIES {
                    let row = sqlx::query(*q).fetch_one(&mut conn).await.unwrap();
                    out.insert(*name, row.get::<i64, _>(0));
                }
            }
        }
        out.insert("outbox", self.outbox().len() as i64);
        out
    }

    /// Runs one statement on the server's database: what only time could otherwise do (a
    /// session that idled out and was purged).
    pub async fn sql(&self, statement: &str) {
        match &self.backend {
            Backend::Sqlite => {
                let mut c =
                    <sqlx::SqliteConnection as sqlx::Connection>::connect(&self.database_url)
                        .await
                        .unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            Backend::Postgres { .. } => {
                let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&self.database_url)
                    .await
                    .unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_string()))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
        }
    }
}

/// A browser: keeps cookies, never follows redirects by itself.
#[derive(Clone)]
pub struct Browser {
    pub http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    /// Every `Set-Cookie` received, in order (for their attributes).
    pub set_cookies: Vec<String>,
}

pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub set_cookies: Vec<String>,
    /// Content-Security-Policy, X-Content-Type-Options, Referrer-Policy (raw answers: empty).
    pub security_headers: [String; 3],
    pub body: String,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

impl Browser {
    pub fn new() -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            set_cookies: Vec::new(),
        }
    }

    pub async fn send(&mut self, req: reqwest::RequestBuilder) -> Answer {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let req = if cookie.is_empty() {
            req
        } else {
            req.header("cookie", cookie.join("; "))
        };
        let a = answer(req.send().await.unwrap()).await;
        self.set_cookies.extend(a.set_cookies.iter().cloned());
        for c in &a.set_cookies {
            let (k, v) = c.split(';').next().unwrap().split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), v.into());
            }
        }
        a
    }

    /// A browser that already holds this session cookie.
    pub fn with_session(value: &str) -> Self {
        let mut b = Self::new();
        b.cookies.insert("cid_session".into(), value.into());
        b
    }

    pub async fn get(&mut self, url: &str) -> Answer {
        let req = self.http.get(url);
        self.send(req).await
    }

    /// A GET with these request headers too.
    pub async fn get_with(&mut self, url: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = self.http.get(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    pub async fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Answer {
        let req = self.http.post(url).form(form);
        self.send(req).await
    }
}

pub async fn answer(r: reqwest::Response) -> Answer {
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).to_string())
    };
    let location = header("location");
    let content_type = header("content-type").unwrap_or_default();
    let set_cookies = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).to_string())
        .collect();
    let security_headers = [
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
    ]
    .map(|h| header(h).unwrap_or_default());
    let status = r.status().as_u16();
    let bytes = r.bytes().await.unwrap_or_default();
    Answer {
        status,
        location,
        content_type,
        set_cookies,
        security_headers,
        body: String::from_utf8_lossy(&bytes).to_string(),
    }
}

/// Sends bytes as they are (a request line or header no HTTP library would write) and
/// reads the answer's status and body.
pub async fn raw(port: u16, request: &[u8]) -> Answer {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    // A server that refuses early may close before it has read everything we send.
    let _ = s.write_all(request).await;
    let mut buf = Vec::new();
    // The server closes the connection after `Connection: close` or a framing error; the
    // timeout only bounds a server that would wait for more.
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
    };
    let responses = text.matches("HTTP/1.1 ").count();
    Answer {
        status: if responses > 1 { 999 } else { status },
        location: header("location"),
        content_type: header("content-type").unwrap_or_default(),
        set_cookies: Vec::new(),
        security_headers: Default::default(),
        body: body.to_string(),
    }
}

pub fn attr(html: &str, marker: &str, attr: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..at + html[at..].find('>').unwrap()];
    let key = format!("{attr}=\"");
    let v = &tag[tag.find(&key).unwrap() + key.len()..];
    v[..v.find('"').unwrap()]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

pub fn step(html: &str) -> String {
    attr(html, "data-step", "data-step")
}

pub fn query(url: &str) -> HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub struct Flow {
    pub verifier: String,
    pub state: String,
    pub nonce: String,
}

/// An authorization request with PKCE S256, state and nonce; `extra` is appended as is.
pub fn authorize_url(s: &Server, client_id: &str, extra: &str) -> (String, Flow) {
    let verifier = random_token() + "x";
    let flow = Flow {
        state: random_id(),
        nonce: random_id(),
        verifier: verifier.clone(),
    };
    let url = format!(
        "{}/authorize?client_id={client_id}&redirect_uri={REDIRECT}&response_type=code&scope=openid%20email\
         &state={}&nonce={}&code_challenge={}&code_challenge_method=S256{extra}",
        s.base,
        flow.state,
        flow.nonce,
        pkce_s256(&verifier)
    );
    (url, flow)
}

pub fn form_action(html: &str) -> String {
    let marker = "<form method=\"post\" action=\"";
    let at = html.find(marker).unwrap();
    let v = &html[at + marker.len()..];
    v[..v.find('"').unwrap()].replace("&#x2f;", "/")
}

/// A sign-in page reached in a browser: its URL, its form's action and CSRF token.
pub struct Pending {
    pub page: String,
    pub action: String,
    pub csrf: String,
    pub body: String,
}

/// Starts an authorization request and stops at the first sign-in page.
pub async fn pending(s: &Server, b: &mut Browser, url: &str) -> Pending {
    let a = b.get(url).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let page = format!("{}{}", s.base, a.location.unwrap());
    let a = b.get(&page).await;
    assert_eq!(a.status, 200, "{}", a.body);
    Pending {
        action: format!("{}{}", s.base, form_action(&a.body)),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page,
        body: a.body,
    }
}

/// The sign-in page at `page`, as the browser shows it now.
pub async fn pending_page(s: &Server, b: &mut Browser, page: &str) -> Pending {
    let _ = s;
    let a = b.get(page).await;
    assert_eq!(a.status, 200, "{}", a.body);
    Pending {
        action: page.to_string(),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page: page.to_string(),
        body: a.body,
    }
}

/// Submits a step and follows the redirect back to the page (POST-redirect-GET).
pub async fn submit(b: &mut Browser, base: &str, p: &Pending, form: &[(&str, &str)]) -> Answer {
    let mut fields = vec![("csrf", p.csrf.as_str())];
    fields.extend_from_slice(form);
    let a = b.post(&p.action, &fields).await;
    match &a.location {
        Some(l) if l.starts_with('/') => b.get(&format!("{base}{l}")).await,
        _ => a,
    }
}

/// Starts a sign-in for `number` on `s` and returns the code page.
pub async fn code_page(s: &Server, b: &mut Browser, client_id: &str, number: &str) -> Pending {
    let (url, _) = authorize_url(s, client_id, "");
    let p = pending(s, b, &url).await;
    let a = submit(b, &s.base, &p, &[("identifier", number)]).await;
    assert_eq!(step(&a.body), "code", "{}", a.body);
    Pending {
        action: format!("{}{}", s.base, form_action(&a.body)),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page: p.page,
        body: a.body,
    }
}

/// Signs in with a password through the pages and returns the redirect back to the client.
pub async fn sign_in_with_password(s: &Server, b: &mut Browser, url: &str, email: &str) -> String {
    let p = pending(s, b, url).await;
    assert_eq!(step(&p.body), "identifier");
    let a = submit(b, &s.base, &p, &[("identifier", email)]).await;
    assert_eq!(step(&a.body), "password", "{}", a.body);
    let p = Pending {
        action: format!("{}{}", s.base, form_action(&a.body)),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page: p.page,
        body: a.body,
    };
    let a = b
        .post(&p.action, &[("csrf", &p.csrf), ("password", PASSWORD)])
        .await;
    let loc = a.location.unwrap_or_else(|| panic!("{}", a.body));
    assert!(loc.starts_with(REDIRECT), "{loc}");
    loc
}

/// The claims of a JWT (unchecked: the tests read what the server wrote).
pub fn claims(jwt: &str) -> Value {
    decode(jwt).1
}

/// Walks the pages from the authorization request to the redirect back to the client,
/// answering each step as `identifier` with [`PASSWORD`] or the code from the outbox; returns
/// the redirect and the steps seen.
pub async fn walk(
    s: &Server,
    b: &mut Browser,
    url: &str,
    identifier: &str,
) -> (String, Vec<String>) {
    let mut a = b.get(url).await;
    let mut steps = Vec::new();
    for _ in 0..10 {
        if let Some(loc) = a.location.clone() {
            if loc.starts_with(REDIRECT) || loc.starts_with(SECURE_REDIRECT) {
                return (loc, steps);
            }
            a = b.get(&format!("{}{loc}", s.base)).await;
            continue;
        }
        let st = step(&a.body);
        steps.push(st.clone());
        let csrf = attr(&a.body, "name=\"csrf\"", "value");
        let action = format!("{}{}", s.base, form_action(&a.body));
        // As a browser does: a pre-checked "stay signed in" box is sent as it is.
        let remember = if a.body.contains("name=\"remember\" value=\"true\" checked") {
            "true"
        } else {
            ""
        };
        let field = match st.as_str() {
            "identifier" => ("identifier", identifier.to_string()),
            "password" => ("password", PASSWORD.to_string()),
            "code" => ("code", s.last_code(identifier)),
            "set-password" => ("new_password", PASSWORD.to_string()),
            other => panic!("unexpected step {other}: {}", a.body),
        };
        let mut form = vec![("csrf", csrf.as_str()), (field.0, field.1.as_str())];
        if st != "set-password" {
            form.push(("remember", remember));
        }
        a = b.post(&action, &form).await;
    }
    panic!("sign-in did not finish: {steps:?}");
}

/// Signs in (or rides the SSO session) to `client` and exchanges the code: the token response.
pub async fn sign_in(s: &Server, b: &mut Browser, client: &Value, identifier: &str) -> Value {
    let cid = client["client_id"].as_str().unwrap();
    let (url, flow) = authorize_url(s, cid, "");
    let (landed, _) = walk(s, b, &url, identifier).await;
    exchange(s, client, &query(&landed)["code"], &flow.verifier).await
}

/// The token endpoint's answer to `form` from `client` (HTTP Basic), whatever it is.
pub async fn token_response(
    s: &Server,
    client: &Value,
    form: &[(&str, &str)],
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The token endpoint's answer to a code exchange, whatever it is.
pub async fn exchange_response(
    s: &Server,
    client: &Value,
    code: &str,
    verifier: &str,
) -> reqwest::Response {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ];
    token_response(s, client, &form).await
}

/// The token endpoint's answer to a refresh grant of `tokens` (a token response), whatever it is.
pub async fn refresh_response(s: &Server, client: &Value, tokens: &Value) -> reqwest::Response {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    token_response(s, client, &form).await
}

/// Exchanges a code at the token endpoint with HTTP Basic client authentication: the tokens.
pub async fn exchange(s: &Server, client: &Value, code: &str, verifier: &str) -> Value {
    let r = exchange_response(s, client, code, verifier).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// A compact JWS with any header, claims and signature bytes.
pub fn jws(header: &Value, claims: &Value, sig: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes()),
        b64url(sig)
    )
}

/// HS256 over `header.claims` with `key`: the algorithm-confusion forgery.
pub fn hs256(header: &Value, claims: &Value, key: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let k = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key);
    let tag = aws_lc_rs::hmac::sign(&k, input.as_bytes());
    format!("{input}.{}", b64url(tag.as_ref()))
}

/// Splits a token into decoded header and claims.
pub fn decode(token: &str) -> (Value, Value) {
    let mut parts = token.split('.');
    let mut next = || {
        serde_json::from_slice(
            &connectid_core::crypto::b64url_decode(parts.next().unwrap()).unwrap(),
        )
        .unwrap()
    };
    (next(), next())
}

// ---------------------------------------------------------------------------------------
// The case runner

/// A request to send.
pub enum Req {
    Http {
        method: reqwest::Method,
        path: String,
        headers: Vec<(String, String)>,
        body: Option<Vec<u8>>,
    },
    Raw(Vec<u8>),
}

pub fn get(path: impl Into<String>) -> Req {
    Req::Http {
        method: reqwest::Method::GET,
        path: path.into(),
        headers: Vec::new(),
        body: None,
    }
}

/// A form POST with the body exactly as given.
pub fn post(path: impl Into<String>, body: impl Into<Vec<u8>>) -> Req {
    Req::Http {
        method: reqwest::Method::POST,
        path: path.into(),
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: Some(body.into()),
    }
}

pub fn method(m: &str, path: impl Into<String>, body: impl Into<Vec<u8>>) -> Req {
    Req::Http {
        method: m.parse().unwrap(),
        path: path.into(),
        headers: Vec::new(),
        body: Some(body.into()),
    }
}

impl Req {
    pub fn header(mut self, k: &str, v: impl Into<String>) -> Self {
        if let Req::Http { headers, .. } = &mut self {
            headers.push((k.into(), v.into()));
        }
        self
    }
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }
    pub fn basic(self, id: &str, secret: &str) -> Self {
        use base64::Engine;
        let v = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        self.header("authorization", format!("Basic {v}"))
    }
    pub fn cookies(self, b: &Browser) -> Self {
        let c: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.header("cookie", c.join("; "))
    }
}

/// What a refused request must get back.
pub enum Expect {
    /// An HTML page with `role="alert"` carrying this text, with this status.
    Page(u16, &'static str),
    /// RFC 6749 JSON `{"error": code}` with this status; the description contains the text.
    OAuth(u16, &'static str, &'static str),
    /// A 303 back to the registered redirect URI with `error=code` and `iss`.
    Redirect(&'static str),
    /// Only a status (a protocol-level refusal such as 404, 405, 413, 414).
    Status(u16),
    /// This status, or the connection reset before it could be read: a server that stops
    /// reading an oversized request closes with unread bytes, which the kernel turns into a
    /// reset that can overtake the answer. Both are refusals; an answer with any other
    /// status is not.
    StatusOrReset(u16),
    /// The logout confirmation page: asked again, nothing done.
    Confirm,
    /// 200 with `{"active": false}` (introspection of something that is not a token).
    Inactive,
    /// 200 with an empty body (revocation of someone else's or an unknown token).
    RevokeNoop,
}

pub struct Case {
    pub name: String,
    pub req: Req,
    pub expect: Expect,
    /// Snapshot entries the request may change (a failed PKCE check burns the code).
    pub may_change: &'static [&'static str],
}

pub fn case(name: impl Into<String>, req: Req, expect: Expect) -> Case {
    Case {
        name: name.into(),
        req,
        expect,
        may_change: &[],
    }
}

impl Case {
    pub fn may_change(mut self, keys: &'static [&'static str]) -> Self {
        self.may_change = keys;
        self
    }
}

/// Text that must never come back unescaped in any answer.
pub const MARKERS: &[&str] = &["<script>alert(", "<img src=x onerror", "\"><svg onload"];

async fn send(s: &Server, req: &Req) -> Answer {
    match req {
        Req::Raw(bytes) => raw(s.port, bytes).await,
        Req::Http {
            method,
            path,
            headers,
            body,
        } => {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let mut r = http.request(method.clone(), format!("{}{path}", s.base));
            for (k, v) in headers {
                r = r.header(k.as_str(), v.as_str());
            }
            if let Some(b) = body {
                r = r.body(b.clone());
            }
            answer(r.send().await.unwrap()).await
        }
    }
}

fn check(s: &Server, expect: &Expect, a: &Answer) -> Result<(), String> {
    if a.status >= 500 {
        return Err(format!("server error {}", a.status));
    }
    // JSON answers may quote input (they are never rendered: `application/json` and
    // `nosniff`); anything else must not carry it unescaped.
    let is_json = a.content_type.starts_with("application/json");
    for m in MARKERS {
        if a.body.contains(m) && !(is_json && a.security_headers[1] == "nosniff") {
            return Err(format!("reflected unescaped: {m}"));
        }
    }
    let json = || serde_json::from_str::<Value>(&a.body).map_err(|_| "not JSON".to_string());
    match expect {
        Expect::Page(status, text) => {
            if a.status != *status {
                return Err(format!("status {} (want {status})", a.status));
            }
            if !a.content_type.starts_with("text/html") || !a.body.contains("role=\"alert\"") {
                return Err("not an HTML page with role=\"alert\"".into());
            }
            if !a.body.contains(text) {
                return Err(format!("the page does not say {text:?}"));
            }
            if a.location.is_some() {
                return Err("an error page must not redirect".into());
            }
            let [csp, nosniff, referrer] = &a.security_headers;
            if !csp.contains("frame-ancestors 'none'")
                || csp.contains("unsafe-inline")
                || nosniff != "nosniff"
                || referrer != "no-referrer"
            {
                return Err(format!("security headers: {:?}", a.security_headers));
            }
        }
        Expect::OAuth(status, code, text) => {
            if a.status != *status {
                return Err(format!("status {} (want {status})", a.status));
            }
            if a.security_headers[1] != "nosniff" {
                return Err("no X-Content-Type-Options: nosniff".into());
            }
            let v = json()?;
            if v["error"] != *code {
                return Err(format!("error {} (want {code})", v["error"]));
            }
            let d = v["error_description"].as_str().unwrap_or("");
            if !d.contains(text) {
                return Err(format!("error_description {d:?} lacks {text:?}"));
            }
        }
        Expect::Redirect(code) => {
            if a.status != 303 {
                return Err(format!("status {} (want 303)", a.status));
            }
            let loc = a.location.clone().unwrap_or_default();
            if !loc.starts_with(&format!("{REDIRECT}?")) {
                return Err(format!("redirected to {loc}"));
            }
            let q = query(&loc);
            if q.get("error").map(String::as_str) != Some(*code) {
                return Err(format!("error {:?} (want {code})", q.get("error")));
            }
            if q.get("iss") != Some(&s.base) || q.contains_key("code") {
                return Err(format!("bad error redirect {loc}"));
            }
        }
        Expect::Status(status) => {
            if a.status != *status {
                return Err(format!("status {} (want {status})", a.status));
            }
        }
        Expect::StatusOrReset(status) => {
            if a.status != *status && !(a.status == 0 && a.body.is_empty()) {
                return Err(format!("status {} (want {status} or a reset)", a.status));
            }
        }
        Expect::Confirm => {
            if a.status != 200 || step(&a.body) != "logout" {
                return Err(format!("status {}, not the confirmation page", a.status));
            }
        }
        Expect::Inactive => {
            if a.status != 200 || json()? != serde_json::json!({"active": false}) {
                return Err(format!("{} {}", a.status, a.body));
            }
        }
        Expect::RevokeNoop => {
            if a.status != 200 {
                return Err(format!("status {}", a.status));
            }
        }
    }
    Ok(())
}

/// Sends every case, checks its answer and that the database is as it was, then that the
/// server still answers. Fails with the list of every case that went wrong.
pub async fn run(s: &Server, cases: Vec<Case>) -> usize {
    let mut failures = Vec::new();
    let n = cases.len();
    for c in cases {
        let before = s.snapshot().await;
        let a = send(s, &c.req).await;
        let after = s.snapshot().await;
        let mut problems = Vec::new();
        if let Err(e) = check(s, &c.expect, &a) {
            problems.push(e);
        }
        let changed: Vec<String> = before
            .iter()
            .filter(|(k, v)| after[*k] != **v && !c.may_change.contains(k))
            .map(|(k, v)| format!("{k} {v} -> {}", after[k]))
            .collect();
        if !changed.is_empty() {
            problems.push(format!("changed: {}", changed.join(", ")));
        }
        if !problems.is_empty() {
            let body: String = a.body.chars().take(300).collect();
            failures.push(format!(
                "{}: {} [{} {:?} {body}]",
                c.name,
                problems.join("; "),
                a.status,
                a.location
            ));
        }
    }
    assert!(s.healthy().await, "the server stopped answering");
    let on = match s.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres { .. } => "PostgreSQL",
    };
    println!(
        "{n} hostile inputs sent on {on}, {} mishandled",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {n} hostile inputs were mishandled on {on}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    n
}
