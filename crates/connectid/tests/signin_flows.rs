//! Every sign-in scenario of the product (issue 4; docs/architecture.md), end to
//! end: the server in-process (the test kit's, with its own tempdir and database, and a clock
//! the tests move), clients and accounts registered with the CLI, the HTML pages driven over
//! HTTP with the kit's cookie-keeping browser, codes read from the outbox file, ID tokens
//! verified with the `openidconnect` crate.
//!
//! Each test runs on SQLite, and on PostgreSQL too when `TEST_DATABASE_URL` names a server
//! (a database of its own is created per server and dropped afterwards).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashMap;

use connectid_core::crypto::{b64url_decode, pkce_s256, random_digits, random_id, random_token};
use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJsonWebKeySet};
use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
use serde_json::Value;
use support::{Answer, BYE, Browser, PASSWORD, REDIRECT, Server, enc, on_each_backend, query};

/// The trusted-proxy configuration under which requests from this test (127.0.0.1) are the
/// operator's network.
const TRUSTED_HERE: &str = "[mobile_network]\ntrusted_proxies = [\"127.0.0.1/32\"]\n";
/// A client whose SSO may be used above LoA1 (seed 003: the checkbox must be shown).
const SSO_STAY: &str = r#","sso":true,"stay_signed_in":{"visible":true,"default":true}"#;

// ---------------------------------------------------------------------------------------
// Pages

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The whole start tag around the first occurrence of `marker`.
fn tag<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"));
    let start = html[..=at].rfind('<').unwrap();
    &html[start..at + html[at..].find('>').unwrap() + 1]
}

/// The value of `attr` in the tag around `marker`, unescaped.
fn attr(html: &str, marker: &str, attr: &str) -> Option<String> {
    let t = tag(html, marker);
    let key = format!(" {attr}=\"");
    let v = &t[t.find(&key)? + key.len()..];
    Some(unescape(&v[..v.find('"').unwrap()]))
}

/// A page of the sign-in (or an error page).
struct Page {
    status: u16,
    step: String,
    /// The main form's absolute URL, and its CSRF token.
    action: Option<String>,
    csrf: Option<String>,
    body: String,
    /// Every cookie set on the way here.
    set_cookies: Vec<String>,
}

impl Page {
    /// The text of the `role="alert"` element, if there is one.
    fn alert(&self) -> Option<String> {
        let at = self.body.find("role=\"alert\"")?;
        let rest = &self.body[at..];
        let text = &rest[rest.find('>')? + 1..];
        Some(unescape(&text[..text.find('<')?]))
    }

    /// Asserts this page is `step` with an alert saying `text`.
    fn assert_refused(&self, step: &str, text: &str) {
        assert_eq!(self.step, step, "{}", self.body);
        let alert = self
            .alert()
            .unwrap_or_else(|| panic!("no role=\"alert\" on {}", self.body));
        assert!(alert.contains(text), "alert {alert:?} lacks {text:?}");
        assert_eq!(self.status, 400, "an error is shown with status 400");
    }

    fn sub_action(&self, name: &str) -> String {
        format!("{}/{name}", self.action.as_ref().unwrap())
    }

    /// The `remember` checkbox: None when not shown, else whether it is checked.
    fn remember(&self) -> Option<bool> {
        if !self.body.contains("name=\"remember\"") {
            return None;
        }
        Some(tag(&self.body, "name=\"remember\"").contains(" checked"))
    }
}

/// A redirect back to the client.
struct Back {
    location: String,
    q: HashMap<String, String>,
    /// Every cookie set on the way here.
    set_cookies: Vec<String>,
}

enum Landed {
    Page(Page),
    Back(Back),
    /// A `form_post` answer (HTML that posts to the client).
    FormPost(Answer),
}

impl Landed {
    fn page(self) -> Page {
        match self {
            Landed::Page(p) => p,
            Landed::Back(b) => panic!("expected a page, went back to {}", b.location),
            Landed::FormPost(a) => panic!("expected a page, got form_post {}", a.body),
        }
    }
    fn back(self) -> Back {
        match self {
            Landed::Back(b) => b,
            Landed::Page(p) => panic!("expected a redirect to the client, got {}", p.body),
            Landed::FormPost(a) => panic!("expected a redirect, got form_post {}", a.body),
        }
    }
}

/// Follows redirects inside the server until a page, a form_post, or the way back.
async fn follow(s: &Server, b: &mut Browser, mut a: Answer) -> Landed {
    let mut cookies = Vec::new();
    for _ in 0..10 {
        cookies.extend(a.set_cookies.iter().cloned());
        match a.location.clone() {
            Some(loc) if loc.starts_with(REDIRECT) => {
                return Landed::Back(Back {
                    q: query(&loc),
                    location: loc,
                    set_cookies: cookies,
                });
            }
            Some(loc) if loc.starts_with('/') => {
                a = b.get(&format!("{}{loc}", s.base)).await;
            }
            Some(loc) => panic!("redirected elsewhere: {loc}"),
            None if a.body.contains("id=\"form_post\"") => return Landed::FormPost(a),
            None => {
                assert!(
                    a.body.contains("data-step="),
                    "not a page ({}): {}",
                    a.status,
                    a.body
                );
                let step = attr(&a.body, "data-step", "data-step").unwrap();
                let action = a
                    .body
                    .contains("<form method=\"post\"")
                    .then(|| attr(&a.body, "<form method=\"post\"", "action").unwrap())
                    .map(|p| format!("{}{p}", s.base));
                let csrf = a
                    .body
                    .contains("name=\"csrf\"")
                    .then(|| attr(&a.body, "name=\"csrf\"", "value").unwrap());
                return Landed::Page(Page {
                    status: a.status,
                    step,
                    action,
                    csrf,
                    body: a.body,
                    set_cookies: cookies,
                });
            }
        }
    }
    panic!("too many redirects");
}

async fn open(s: &Server, b: &mut Browser, url: &str) -> Landed {
    let a = b.get(url).await;
    follow(s, b, a).await
}

async fn open_with(s: &Server, b: &mut Browser, url: &str, headers: &[(&str, &str)]) -> Landed {
    let a = b.get_with(url, headers).await;
    follow(s, b, a).await
}

/// Posts the page's main form with these fields (and its CSRF token).
async fn submit(s: &Server, b: &mut Browser, p: &Page, fields: &[(&str, &str)]) -> Landed {
    post_to(s, b, p, p.action.as_deref().unwrap(), fields).await
}

async fn post_to(
    s: &Server,
    b: &mut Browser,
    p: &Page,
    url: &str,
    fields: &[(&str, &str)],
) -> Landed {
    let mut form = vec![("csrf", p.csrf.as_deref().unwrap())];
    form.extend_from_slice(fields);
    let a = b.post(url, &form).await;
    follow(s, b, a).await
}

/// How a person walks through the pages.
struct Person<'a> {
    /// What they type on the identifier page.
    typed: &'a str,
    /// Where their codes arrive (the normalised identifier).
    code_to: &'a str,
    /// The "stay signed in" box: None leaves it as the page shows it.
    remember: Option<bool>,
}

impl<'a> Person<'a> {
    fn new(identifier: &'a str) -> Self {
        Self {
            typed: identifier,
            code_to: identifier,
            remember: None,
        }
    }
}

/// Walks the pages from `first` to the redirect back to the client, answering each step as
/// the person would (consent: allow). Returns the way back and the steps shown.
async fn walk_from(
    s: &Server,
    b: &mut Browser,
    first: Landed,
    who: &Person<'_>,
) -> (Back, Vec<String>) {
    let mut at = first;
    let mut steps = Vec::new();
    for _ in 0..10 {
        let p = match at {
            Landed::Back(back) => return (back, steps),
            Landed::FormPost(a) => panic!("form_post during a walk: {}", a.body),
            Landed::Page(p) => p,
        };
        assert!(
            p.alert().is_none(),
            "unexpected alert on {}: {:?}",
            p.step,
            p.alert()
        );
        steps.push(p.step.clone());
        // As a browser does: a checked box is sent, an unchecked one is not.
        let remember = match (who.remember, p.remember()) {
            (_, None) | (Some(false), _) | (None, Some(false)) => None,
            (Some(true), Some(_)) | (None, Some(true)) => Some(("remember", "true")),
        };
        let code;
        let mut fields: Vec<(&str, &str)> = match p.step.as_str() {
            "identifier" => vec![("identifier", who.typed)],
            "password" => vec![("password", PASSWORD)],
            "code" => {
                code = s.last_code(who.code_to);
                vec![("code", code.as_str())]
            }
            "set-password" => vec![("new_password", PASSWORD)],
            "consent" => vec![("decision", "allow")],
            other => panic!("unexpected step {other}: {}", p.body),
        };
        fields.extend(remember);
        at = submit(s, b, &p, &fields).await;
    }
    panic!("the sign-in did not finish: {steps:?}");
}

async fn walk(s: &Server, b: &mut Browser, url: &str, who: &Person<'_>) -> (Back, Vec<String>) {
    let first = open(s, b, url).await;
    walk_from(s, b, first, who).await
}

// ---------------------------------------------------------------------------------------
// The relying party

struct Flow {
    verifier: String,
    state: String,
    nonce: String,
}

/// An authorization request with PKCE S256, state and nonce; `extra` is appended as is.
fn authorize_url(s: &Server, client: &Value, extra: &str) -> (String, Flow) {
    let verifier = random_token() + "x";
    let flow = Flow {
        state: random_id(),
        nonce: random_id(),
        verifier: verifier.clone(),
    };
    let url = format!(
        "{}/authorize?client_id={}&redirect_uri={REDIRECT}&response_type=code&scope=openid%20email%20phone\
         &state={}&nonce={}&code_challenge={}&code_challenge_method=S256{extra}",
        s.base,
        client["client_id"].as_str().unwrap(),
        flow.state,
        flow.nonce,
        pkce_s256(&verifier)
    );
    (url, flow)
}

/// Exchanges the code of a successful answer (checking its `state` and `iss`) and returns
/// the ID token's claims, verified by the `openidconnect` crate (signature against the
/// published JWKS, `iss`, `aud`, `exp`, `nonce`).
async fn id_token(s: &Server, client: &Value, back: &Back, flow: &Flow) -> Value {
    id_token_and_jwt(s, client, back, flow).await.0
}

/// [`id_token`], and the ID token itself (for `id_token_hint`).
async fn id_token_and_jwt(s: &Server, client: &Value, back: &Back, flow: &Flow) -> (Value, String) {
    assert_eq!(back.q.get("state"), Some(&flow.state), "{}", back.location);
    assert_eq!(back.q.get("iss"), Some(&s.base), "RFC 9207");
    let code = back
        .q
        .get("code")
        .unwrap_or_else(|| panic!("no code in {}", back.location));
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
            ("code_verifier", flow.verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let tokens: Value = r.json().await.unwrap();
    let jwt = tokens["id_token"].as_str().unwrap();
    (verify(s, client, jwt, &flow.nonce).await, jwt.to_string())
}

async fn verify(s: &Server, client: &Value, jwt: &str, nonce: &str) -> Value {
    let discovery: Value = reqwest::get(format!("{}/.well-known/openid-configuration", s.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwks: CoreJsonWebKeySet = reqwest::get(discovery["jwks_uri"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let verifier = CoreIdTokenVerifier::new_confidential_client(
        ClientId::new(client["client_id"].as_str().unwrap().into()),
        ClientSecret::new(client["client_secret"].as_str().unwrap().into()),
        IssuerUrl::new(s.base.clone()).unwrap(),
        jwks,
    );
    let token: CoreIdToken = jwt.parse().expect("an ID token");
    token
        .claims(&verifier, &Nonce::new(nonce.into()))
        .expect("the crate verifies signature, iss, aud, exp and nonce");
    // The crate checked it; the raw claims carry what its types do not (td_sls).
    serde_json::from_slice(&b64url_decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

/// Signs in through the pages and returns the verified ID token claims and the steps shown.
async fn sign_in(
    s: &Server,
    b: &mut Browser,
    client: &Value,
    extra: &str,
    who: &Person<'_>,
) -> (Value, Vec<String>) {
    let (url, flow) = authorize_url(s, client, extra);
    let (back, steps) = walk(s, b, &url, who).await;
    (id_token(s, client, &back, &flow).await, steps)
}

/// Asserts the answer went back to the client with `error` (and `state`, `iss`, no code).
fn assert_error_back(s: &Server, back: &Back, flow: &Flow, error: &str) {
    assert_eq!(
        back.q.get("error").map(String::as_str),
        Some(error),
        "{}",
        back.location
    );
    assert_eq!(back.q.get("state"), Some(&flow.state));
    assert_eq!(back.q.get("iss"), Some(&s.base));
    assert!(!back.q.contains_key("code"), "{}", back.location);
}

fn amr(claims: &Value) -> Vec<String> {
    claims["amr"]
        .as_array()
        .unwrap_or_else(|| panic!("no amr in {claims}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// A Norwegian mobile number: (E.164, national digits, national as people write it).
fn phone() -> (String, String, String) {
    let national = format!("9{}", random_digits(7));
    let spaced = format!("{} {} {}", &national[..3], &national[3..5], &national[5..]);
    (format!("+47{national}"), national, spaced)
}

fn email(prefix: &str) -> String {
    format!("{prefix}{}@example.com", &random_id()[..10])
}

/// The cookie `name` among Set-Cookie lines.
fn cookie<'a>(set_cookies: &'a [String], name: &str) -> &'a str {
    set_cookies
        .iter()
        .rfind(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie set in {set_cookies:?}"))
}

fn cookie_value(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
}

fn attrs(set_cookie: &str) -> Vec<String> {
    set_cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

// =======================================================================================
// LoA1 on the operator's mobile network

/// Seed 001 "Mobile phone authentication, on mobile data": the number comes from the
/// trusted proxy's header; no page at all; the account is made for that E.164 number.
#[tokio::test]
async fn mobile_network_header_from_a_trusted_proxy_signs_in_without_a_page() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), TRUSTED_HERE).await;
        let client = s.client("");
        let (e164, national, _) = phone();
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let landed = open_with(&s, &mut b, &url, &[("X-MSISDN", &national)]).await;
        let back = landed.back();
        let id = id_token(&s, &client, &back, &flow).await;
        assert_eq!(id["acr"], "1");
        assert!(amr(&id).contains(&"mca".to_string()), "{id}");
        assert!(s.outbox().is_empty(), "no SMS on the mobile network");
        let account = s.show(id["sub"].as_str().unwrap());
        assert_eq!(
            account["identifiers"],
            serde_json::json!([{"kind": "phone", "value": e164, "verified": true}]),
            "the national number read with default_phone_region NO"
        );
        assert_eq!(account["has_password"], false);

        // The same number again (another browser, E.164 this time): the same account.
        let mut other = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let back = open_with(&s, &mut other, &url, &[("X-MSISDN", &e164)])
            .await
            .back();
        let again = id_token(&s, &client, &back, &flow).await;
        assert_eq!(again["sub"], id["sub"]);
    })
    .await;
}

/// A header from an address that is not a trusted proxy asserts nothing.
#[tokio::test]
async fn mobile_network_header_from_an_untrusted_address_is_ignored() {
    on_each_backend(|be| async move {
        let s = Server::start_with(
            be.clone(),
            "[mobile_network]\ntrusted_proxies = [\"10.0.0.0/8\"]\n",
        )
        .await;
        let client = s.client("");
        let (e164, national, _) = phone();
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, &client, "");
        let p = open_with(&s, &mut b, &url, &[("X-MSISDN", &national)])
            .await
            .page();
        assert_eq!(p.step, "identifier");
        assert!(
            !p.body.contains(&national) && !p.body.contains(&e164),
            "the untrusted number is not even shown"
        );
        assert!(s.outbox().is_empty());
    })
    .await;
}

/// `mobile_network=off` (an app on a hotspot): no detection even from a trusted proxy.
#[tokio::test]
async fn mobile_network_off_shows_the_identifier_page_even_from_a_trusted_proxy() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), TRUSTED_HERE).await;
        let client = s.client("");
        let (_, national, _) = phone();
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, &client, "&mobile_network=off");
        let p = open_with(&s, &mut b, &url, &[("X-MSISDN", &national)])
            .await
            .page();
        assert_eq!(p.step, "identifier");
        // Control: the same request without the parameter is answered by the network.
        let (url, _) = authorize_url(&s, &client, "");
        open_with(&s, &mut b, &url, &[("X-MSISDN", &national)])
            .await
            .back();
    })
    .await;
}

/// Seed 001 "Force ... phone verification through SMS PIN roundtrip": a detected number is
/// not enough for an `sms_pin: "force"` client; the person proves it with an SMS code.
#[tokio::test]
async fn sms_pin_force_sends_a_code_even_on_the_mobile_network() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), TRUSTED_HERE).await;
        let client = s.client(r#","sms_pin":"force""#);
        let (e164, national, _) = phone();
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let mut p = open_with(&s, &mut b, &url, &[("X-MSISDN", &national)])
            .await
            .page();
        let mut steps = vec![p.step.clone()];
        // The server may ask for the number or use the detected one; either way a code.
        if p.step == "identifier" {
            p = submit(&s, &mut b, &p, &[("identifier", &national)])
                .await
                .page();
            steps.push(p.step.clone());
        }
        assert_eq!(p.step, "code", "{steps:?}");
        assert_eq!(s.messages_to(&e164).len(), 1, "an SMS to the number");
        let code = s.last_code(&e164);
        let back = submit(&s, &mut b, &p, &[("code", &code)]).await.back();
        let id = id_token(&s, &client, &back, &flow).await;
        assert_eq!(id["acr"], "1");
        assert_eq!(amr(&id), ["sms"], "proven by SMS, not by the network");
    })
    .await;
}

/// `sms_pin: "disallow"`: a phone that would need an SMS code is refused with a clear
/// message and nothing is sent; a phone with a password, or the network, still works.
#[tokio::test]
async fn sms_pin_disallow_refuses_a_phone_without_password_and_sends_nothing() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), TRUSTED_HERE).await;
        let client = s.client(r#","sms_pin":"disallow""#);
        let (_, unknown, _) = phone();
        let (known, _, _) = phone();
        s.account_with(&[&known], &[], false);
        for typed in [unknown.as_str(), known.as_str()] {
            let mut b = Browser::new();
            let (url, _) = authorize_url(&s, &client, "");
            let p = open(&s, &mut b, &url).await.page();
            let p = submit(&s, &mut b, &p, &[("identifier", typed)])
                .await
                .page();
            p.assert_refused("identifier", "does not send SMS codes");
        }
        assert!(s.outbox().is_empty(), "no SMS sent");

        // Controls: a phone with a password goes to the password step; the network needs
        // no SMS at all.
        let (with_password, _, _) = phone();
        s.account_with(&[&with_password], &[], true);
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, &client, "");
        let (_, steps) = walk(&s, &mut b, &url, &Person::new(&with_password)).await;
        assert_eq!(steps, ["identifier", "password"]);
        let (_, national, _) = phone();
        let (url, _) = authorize_url(&s, &client, "");
        open_with(&s, &mut Browser::new(), &url, &[("X-MSISDN", &national)])
            .await
            .back();
        assert!(s.outbox().is_empty(), "still no SMS");
    })
    .await;
}

/// Seed 001 "Password authentication, on mobile data (Telenor network): automatic detection
/// of the phone number, then the user has to provide only the password."
#[tokio::test]
async fn on_the_mobile_network_loa2_asks_only_for_the_password() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), TRUSTED_HERE).await;
        let client = s.client("");
        let (e164, national, _) = phone();
        let sub = s.account_with(&[&e164], &[], true);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "&acr_values=2");
        let first = open_with(&s, &mut b, &url, &[("X-MSISDN", &national)]).await;
        let (back, steps) = walk_from(&s, &mut b, first, &Person::new(&e164)).await;
        assert_eq!(steps, ["password"], "the number was detected");
        let id = id_token(&s, &client, &back, &flow).await;
        assert_eq!(id["sub"], sub.as_str());
        assert_eq!(id["acr"], "2");
    })
    .await;
}

// =======================================================================================
// One-time codes

/// A code is six digits and works once: two browsers waiting on the same number, the
/// second to use the code is refused.
#[tokio::test]
async fn sms_code_is_six_digits_and_works_once() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let (e164, _, _) = phone();
        let mut a = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let pa = open(&s, &mut a, &url).await.page();
        let pa = submit(&s, &mut a, &pa, &[("identifier", &e164)])
            .await
            .page();
        assert_eq!(pa.step, "code");
        assert!(pa.body.contains("autocomplete=\"one-time-code\""));
        let code = s.last_code(&e164);
        assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));

        let mut b = Browser::new();
        let (url_b, _) = authorize_url(&s, &client, "");
        let pb = open(&s, &mut b, &url_b).await.page();
        let pb = submit(&s, &mut b, &pb, &[("identifier", &e164)])
            .await
            .page();
        assert_eq!(pb.step, "code");

        let back = submit(&s, &mut a, &pa, &[("code", &code)]).await.back();
        id_token(&s, &client, &back, &flow).await;
        // Browser B got no new code of its own (cool-down) or a different one: either way
        // the used code must not open a second sign-in. (If B's new code happens to equal
        // the used one, one chance in a million, there is nothing to tell apart.)
        let coincidence = s.messages_to(&e164).len() > 1 && s.last_code(&e164) == code;
        if !coincidence {
            let again = submit(&s, &mut b, &pb, &[("code", &code)]).await.page();
            assert_eq!(again.step, "code");
            assert!(again.alert().is_some(), "a used code is refused");
            assert!(
                !b.cookies.contains_key("cid_session"),
                "no session from a used code"
            );
        }
    })
    .await;
}

/// Five wrong codes, then even the right one is refused: "ask for a new one".
#[tokio::test]
async fn five_wrong_codes_then_even_the_right_one_is_refused() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let (e164, _, _) = phone();
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, &client, "");
        let p = open(&s, &mut b, &url).await.page();
        let p = submit(&s, &mut b, &p, &[("identifier", &e164)])
            .await
            .page();
        let code = s.last_code(&e164);
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        for _ in 0..5 {
            let r = submit(&s, &mut b, &p, &[("code", &wrong)]).await.page();
            r.assert_refused("code", "not correct");
        }
        let r = submit(&s, &mut b, &p, &[("code", &code)]).await.page();
        r.assert_refused("code", "Ask for a new one");
        assert!(!b.cookies.contains_key("cid_session"));
        assert_eq!(s.messages_to(&e164).len(), 1, "nothing new was sent");
    })
    .await;
}

/// "Send a new code" inside the 30 s cool-down: a message with the wait, no new SMS; the
/// code already sent still works.
#[tokio::test]
async fn resend_within_the_cool_down_is_refused_with_the_wait() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let (e164, _, _) = phone();
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let p = open(&s, &mut b, &url).await.page();
        let p = submit(&s, &mut b, &p, &[("identifier", &e164)])
            .await
            .page();
        assert_eq!(s.messages_to(&e164).len(), 1);
        let r = post_to(&s, &mut b, &p, &p.sub_action("resend"), &[])
            .await
            .page();
        r.assert_refused("code", "Wait");
        assert!(r.alert().unwrap().contains("second"), "{:?}", r.alert());
        assert_eq!(s.messages_to(&e164).len(), 1, "no new SMS");
        let code = s.last_code(&e164);
        let back = submit(&s, &mut b, &p, &[("code", &code)]).await.back();
        assert_eq!(id_token(&s, &client, &back, &flow).await["acr"], "1");
    })
    .await;
}

/// A new code replaces the old one, and an expired code is refused ("ask for a new one"),
/// after which a new code works. The server's clock is moved rather than waited for: 30 s of
/// cool-down and 5 minutes of validity.
#[tokio::test]
async fn a_new_code_replaces_the_old_one_and_an_expired_code_is_refused() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let (e164, _, _) = phone();
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let p = open(&s, &mut b, &url).await.page();
        let p = submit(&s, &mut b, &p, &[("identifier", &e164)])
            .await
            .page();
        let first = s.last_code(&e164);

        // Past the 30 s cool-down.
        s.clock.advance(60);
        let r = post_to(&s, &mut b, &p, &p.sub_action("resend"), &[]).await;
        assert_eq!(r.page().step, "code");
        assert_eq!(
            s.messages_to(&e164).len(),
            2,
            "a new SMS after the cool-down"
        );
        let second = s.last_code(&e164);
        if second != first {
            let r = submit(&s, &mut b, &p, &[("code", &first)]).await.page();
            r.assert_refused("code", "not correct");
        }

        // Past the code's 5 minutes.
        s.clock.advance(400);
        let r = submit(&s, &mut b, &p, &[("code", &second)]).await.page();
        r.assert_refused("code", "expired");

        let r = post_to(&s, &mut b, &p, &p.sub_action("resend"), &[]).await;
        assert_eq!(r.page().step, "code");
        assert_eq!(s.messages_to(&e164).len(), 3, "a new code on request");
        let third = s.last_code(&e164);
        let back = submit(&s, &mut b, &p, &[("code", &third)]).await.back();
        assert_eq!(id_token(&s, &client, &back, &flow).await["acr"], "1");
    })
    .await;
}

// =======================================================================================
// Registration on the way (one entry point)

/// An unknown email: an emailed code, then a password; the account has a verified email
/// and a password, and the sign-in is LoA2.
#[tokio::test]
async fn an_unknown_email_registers_with_an_emailed_code_and_a_password() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let address = email("new");
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "identifier");
        assert!(
            !p.body.to_lowercase().contains("register"),
            "one entry point, no register button"
        );
        let p = submit(&s, &mut b, &p, &[("identifier", &address)])
            .await
            .page();
        assert_eq!(p.step, "code");
        let mails = s.messages_to(&address);
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0]["channel"], "email");
        assert!(mails[0]["subject"].is_string());
        let code = s.last_code(&address);
        let p = submit(&s, &mut b, &p, &[("code", &code)]).await.page();
        assert_eq!(p.step, "set-password");
        assert!(p.body.contains("name=\"new_password\""));
        assert!(p.body.contains("autocomplete=\"new-password\""));
        // A too short password is refused on the same step.
        let r = submit(&s, &mut b, &p, &[("new_password", "abc")])
            .await
            .page();
        r.assert_refused("set-password", "at least");
        let back = submit(&s, &mut b, &p, &[("new_password", PASSWORD)])
            .await
            .back();
        let id = id_token(&s, &client, &back, &flow).await;
        assert_eq!(id["acr"], "2");
        assert!(amr(&id).contains(&"pwd".to_string()), "{id}");
        let account = s.show(id["sub"].as_str().unwrap());
        assert_eq!(account["has_password"], true);
        assert_eq!(
            account["identifiers"],
            serde_json::json!([{"kind": "email", "value": address, "verified": true}])
        );

        // The password works from now on.
        let (again, steps) =
            sign_in(&s, &mut Browser::new(), &client, "", &Person::new(&address)).await;
        assert_eq!(steps, ["identifier", "password"]);
        assert_eq!(again["sub"], id["sub"]);
    })
    .await;
}

/// An unknown phone at LoA1: an SMS code and nothing else; the SMS ends with the WebOTP line.
#[tokio::test]
async fn an_unknown_phone_registers_at_loa1_with_an_sms_code() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let (e164, _, _) = phone();
        let mut b = Browser::new();
        let (id, steps) = sign_in(&s, &mut b, &client, "", &Person::new(&e164)).await;
        assert_eq!(steps, ["identifier", "code"]);
        assert_eq!(id["acr"], "1");
        assert_eq!(amr(&id), ["sms"]);
        let sms = s.messages_to(&e164);
        assert_eq!(sms.len(), 1);
        assert_eq!(sms[0]["channel"], "sms");
        let body = sms[0]["body"].as_str().unwrap();
        let code = s.last_code(&e164);
        assert_eq!(
            body.lines().last(),
            Some(format!("@127.0.0.1 #{code}").as_str()),
            "WebOTP line: {body:?}"
        );
        let account = s.show(id["sub"].as_str().unwrap());
        assert_eq!(account["has_password"], false);
        assert_eq!(
            account["identifiers"],
            serde_json::json!([{"kind": "phone", "value": e164, "verified": true}])
        );
    })
    .await;
}

/// "900 00 000" read with default_phone_region NO is +4790000000; emails compare
/// case-insensitively. The same account (same sub) either way.
#[tokio::test]
async fn identifiers_are_normalised_phone_by_region_email_by_case() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let (e164, _, spaced) = phone();
        let sub = s.account_with(&[&e164], &[], true);
        // LoA2 typed nationally with spaces.
        let (id, steps) = sign_in(
            &s,
            &mut Browser::new(),
            &client,
            "&acr_values=2",
            &Person::new(&spaced),
        )
        .await;
        assert_eq!(steps, ["identifier", "password"]);
        assert_eq!(id["sub"], sub.as_str());
        // LoA1 typed nationally: the code goes to the E.164 number.
        let who = Person {
            typed: &spaced,
            code_to: &e164,
            remember: None,
        };
        let (id, steps) = sign_in(&s, &mut Browser::new(), &client, "", &who).await;
        assert_eq!(steps, ["identifier", "code"]);
        assert_eq!(id["sub"], sub.as_str());
        assert_eq!(s.messages_to(&e164).len(), 1);

        let r = &random_id()[..8];
        let lower = format!("user{r}@example.com");
        let mixed = format!("User{}@Example.COM", r.to_uppercase());
        let sub = s.account_with(&[], &[&lower], true);
        let (id, _) = sign_in(&s, &mut Browser::new(), &client, "", &Person::new(&mixed)).await;
        assert_eq!(id["sub"], sub.as_str(), "{mixed} is {lower}");
    })
    .await;
}

// =======================================================================================
// Which level of assurance

/// `acr_values`, an essential `acr` in `claims`, the client's `default_acr_values`, else "1".
#[tokio::test]
async fn the_loa_comes_from_acr_values_claims_the_client_default_or_one() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let plain = s.client("");
        let loa2_default = s.client(r#","default_acr_values":["2"]"#);
        let (e164, _, _) = phone();
        let sub = s.account_with(&[&e164], &[&email("both")], true);
        let who = Person::new(&e164);
        let essential = format!(
            "&claims={}",
            enc(r#"{"id_token":{"acr":{"essential":true,"values":["2"]}}}"#)
        );
        let cases: [(&Value, String, &[&str], &str); 6] = [
            (&plain, String::new(), &["identifier", "code"], "1"),
            (
                &plain,
                "&acr_values=2".into(),
                &["identifier", "password"],
                "2",
            ),
            (&plain, essential.clone(), &["identifier", "password"], "2"),
            (
                &plain,
                format!("{essential}&acr_values=1"),
                &["identifier", "password"],
                "2",
            ),
            (
                &loa2_default,
                String::new(),
                &["identifier", "password"],
                "2",
            ),
            (
                &loa2_default,
                "&acr_values=1".into(),
                &["identifier", "code"],
                "1",
            ),
        ];
        for (client, extra, want_steps, want_acr) in cases {
            let (id, steps) = sign_in(&s, &mut Browser::new(), client, &extra, &who).await;
            assert_eq!(steps, want_steps, "{extra}");
            assert_eq!(id["acr"], want_acr, "{extra}");
            assert_eq!(id["sub"], sub.as_str());
            let want_amr = if want_acr == "1" { "sms" } else { "pwd" };
            assert!(amr(&id).contains(&want_amr.to_string()), "{extra}: {id}");
        }
    })
    .await;
}

/// An account with only an email has no phone to prove: asked for LoA1 it uses its password.
#[tokio::test]
async fn an_email_only_account_uses_its_password_at_loa1() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let address = email("only");
        let sub = s.account_with(&[], &[&address], true);
        let (id, steps) = sign_in(
            &s,
            &mut Browser::new(),
            &client,
            "&acr_values=1",
            &Person::new(&address),
        )
        .await;
        assert_eq!(steps, ["identifier", "password"]);
        assert_eq!(id["sub"], sub.as_str());
        assert!(amr(&id).contains(&"pwd".to_string()));
        assert!(s.outbox().is_empty(), "no code sent");
    })
    .await;
}

/// LoA2 satisfies LoA1: an SSO session at LoA2 answers a LoA1 request without a page.
#[tokio::test]
async fn a_loa2_session_answers_a_loa1_request_without_a_page() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let first = s.client(SSO_STAY);
        let follow_up = s.client(r#","sso":true"#);
        let address = email("two");
        s.account_with(&[], &[&address], true);
        let mut b = Browser::new();
        let (id, _) = sign_in(&s, &mut b, &first, "&acr_values=2", &Person::new(&address)).await;
        assert_eq!(id["acr"], "2");
        for client in [&first, &follow_up] {
            let (again, steps) =
                sign_in(&s, &mut b, client, "&acr_values=1", &Person::new(&address)).await;
            assert!(steps.is_empty(), "no page: {steps:?}");
            assert_eq!(again["acr"], "2");
            assert_eq!(again["sub"], id["sub"]);
        }
    })
    .await;
}

// =======================================================================================
// The SSO session (seed 000 scenarios, seed 003)

/// Seed 000 "SSO - Scenario 1": two LoA1 services on one browser with one SMS code; a
/// service without SSO always asks; `auth_time` stays that of the real sign-in.
#[tokio::test]
async fn sso_scenario_1_two_loa1_services_one_sms_and_only_sso_clients_skip() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let first = s.client(r#","sso":true"#);
        let second = s.client(r#","sso":true"#);
        let no_sso = s.client(r#","sso":false"#);
        let (e164, _, _) = phone();
        let mut b = Browser::new();
        let who = Person::new(&e164);
        let (id, steps) = sign_in(&s, &mut b, &first, "", &who).await;
        assert_eq!(steps, ["identifier", "code"]);
        // `auth_time` has one-second resolution: a renewed one is a second later.
        s.clock.advance(1);
        let (hit, steps) = sign_in(&s, &mut b, &second, "", &who).await;
        assert!(steps.is_empty(), "SSO hit shows no page: {steps:?}");
        assert_eq!(hit["sub"], id["sub"]);
        assert_eq!(hit["sid"], id["sid"]);
        assert_eq!(hit["acr"], "1");
        assert_eq!(
            hit["auth_time"], id["auth_time"],
            "auth_time is the real sign-in's"
        );
        assert!(hit["iat"].as_i64() > id["auth_time"].as_i64());
        assert_eq!(s.messages_to(&e164).len(), 1, "one SMS for both services");

        let (url, _) = authorize_url(&s, &no_sso, "");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "identifier", "a client without SSO always asks");
        let (url, flow) = authorize_url(&s, &no_sso, "&prompt=none");
        let back = open(&s, &mut b, &url).await.back();
        assert_error_back(&s, &back, &flow, "login_required");
    })
    .await;
}

/// Seed 000 "SSO - Scenario 2": LoA2 services share the session when they show the
/// "stay signed in" box; seed 003: a web client without it gets no SSO above LoA1.
#[tokio::test]
async fn sso_scenario_2_loa2_services_and_the_stay_signed_in_requirement() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let loa2 = r#","default_acr_values":["2"]"#;
        let first = s.client(&format!("{SSO_STAY}{loa2}"));
        let second = s.client(&format!("{SSO_STAY}{loa2}"));
        // Registration refuses sso with default_acr_values above "1" without the box, so
        // this one asks for LoA2 in the request.
        let hidden_box = s.client(r#","sso":true"#);
        let address = email("loa2");
        s.account_with(&[], &[&address], true);
        let who = Person::new(&address);
        let mut b = Browser::new();
        let (id, steps) = sign_in(&s, &mut b, &first, "", &who).await;
        assert_eq!(steps, ["identifier", "password"]);
        let (hit, steps) = sign_in(&s, &mut b, &second, "", &who).await;
        assert!(steps.is_empty(), "{steps:?}");
        assert_eq!(hit["acr"], "2");
        assert_eq!(hit["sub"], id["sub"]);
        let (_, steps) = sign_in(&s, &mut b, &hidden_box, "&acr_values=2", &who).await;
        assert_eq!(
            steps,
            ["identifier", "password"],
            "no SSO above LoA1 without the checkbox"
        );
        let (_, steps) = sign_in(&s, &mut b, &hidden_box, "", &who).await;
        assert!(steps.is_empty(), "but at LoA1 it may: {steps:?}");
    })
    .await;
}

/// The session cookie: a value planted before sign-in is not the one after (fixation), a
/// re-authentication rotates it again and the old value stops working; `HttpOnly`,
/// `SameSite=Lax`, no `Secure` on an http://127.0.0.1 issuer.
#[tokio::test]
async fn the_session_cookie_is_rotated_at_sign_in_and_flagged() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client(SSO_STAY);
        let address = email("fix");
        s.account_with(&[], &[&address], true);
        let planted = random_token();
        let mut b = Browser::with_session(&planted);
        let (url, flow) = authorize_url(&s, &client, "");
        let (back, _) = walk(&s, &mut b, &url, &Person::new(&address)).await;
        id_token(&s, &client, &back, &flow).await;
        let set = cookie(&back.set_cookies, "cid_session");
        let first = cookie_value(set).to_string();
        assert_ne!(first, planted, "no fixation");
        let flags = attrs(set);
        assert!(flags.contains(&"httponly".to_string()), "{set}");
        assert!(flags.contains(&"samesite=lax".to_string()), "{set}");
        assert!(!flags.contains(&"secure".to_string()), "{set}");
        assert!(flags.contains(&"path=/".to_string()), "{set}");
        // The pending sign-in's browser binding is as careful.
        let (url, _) = authorize_url(&s, &client, "&prompt=login");
        let p = open(&s, &mut Browser::new(), &url).await.page();
        let binding = attrs(cookie(&p.set_cookies, "cid_browser"));
        assert!(binding.contains(&"httponly".to_string()));
        assert!(binding.contains(&"samesite=lax".to_string()));

        // Re-authentication: a new cookie value; the old one is worth nothing.
        let (url, flow) = authorize_url(&s, &client, "&prompt=login");
        let (back, steps) = walk(&s, &mut b, &url, &Person::new(&address)).await;
        assert_eq!(steps, ["password"]);
        id_token(&s, &client, &back, &flow).await;
        let second = cookie_value(cookie(&back.set_cookies, "cid_session")).to_string();
        assert_ne!(second, first);
        let (url, flow) = authorize_url(&s, &client, "&prompt=none");
        let back = open(&s, &mut Browser::with_session(&first), &url)
            .await
            .back();
        assert_error_back(&s, &back, &flow, "login_required");
        let (url, flow) = authorize_url(&s, &client, "&prompt=none");
        let back = open(&s, &mut Browser::with_session(&second), &url)
            .await
            .back();
        id_token(&s, &client, &back, &flow).await;
    })
    .await;
}

// =======================================================================================
// Stay signed in (seed 001 "Session handling", seed 003)

/// The checkbox is shown and pre-set as the client's `stay_signed_in` says.
#[tokio::test]
async fn the_stay_signed_in_box_is_shown_and_preset_per_client() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let cases = [
            (
                r#","stay_signed_in":{"visible":true,"default":true}"#,
                Some(true),
            ),
            (
                r#","stay_signed_in":{"visible":true,"default":false}"#,
                Some(false),
            ),
            (
                r#","stay_signed_in":{"visible":false,"default":true}"#,
                None,
            ),
            ("", None),
        ];
        for (extra, want) in cases {
            let client = s.client(extra);
            let (url, _) = authorize_url(&s, &client, "");
            let p = open(&s, &mut Browser::new(), &url).await.page();
            assert_eq!(p.remember(), want, "{extra}");
            if want.is_some() {
                assert!(tag(&p.body, "name=\"remember\"").contains("value=\"true\""));
            }
        }
    })
    .await;
}

/// Unchecked: the session cookie has no Expires/Max-Age and every ID token from it (also
/// later SSO hits) says `td_sls: true`. Checked: a lasting cookie and no `td_sls`.
#[tokio::test]
async fn unchecked_stay_signed_in_gives_a_browser_session_and_td_sls() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let first = s.client(SSO_STAY);
        let follow_up = s.client(SSO_STAY);
        let address = email("sls");
        s.account_with(&[], &[&address], true);

        let mut b = Browser::new();
        let who = Person {
            remember: Some(false),
            ..Person::new(&address)
        };
        let (url, flow) = authorize_url(&s, &first, "");
        let (back, _) = walk(&s, &mut b, &url, &who).await;
        let set = cookie(&back.set_cookies, "cid_session");
        assert!(
            !attrs(set)
                .iter()
                .any(|a| a.starts_with("max-age") || a.starts_with("expires")),
            "a browser-session cookie: {set}"
        );
        let id = id_token(&s, &first, &back, &flow).await;
        assert_eq!(id["td_sls"], true);
        let (hit, steps) = sign_in(&s, &mut b, &follow_up, "", &who).await;
        assert!(steps.is_empty(), "{steps:?}");
        assert_eq!(hit["td_sls"], true, "also on SSO hits from that session");

        let mut b = Browser::new();
        let who = Person {
            remember: Some(true),
            ..Person::new(&address)
        };
        let (url, flow) = authorize_url(&s, &first, "");
        let (back, _) = walk(&s, &mut b, &url, &who).await;
        let set = cookie(&back.set_cookies, "cid_session");
        assert!(attrs(set).iter().any(|a| a.starts_with("max-age")), "{set}");
        let id = id_token(&s, &first, &back, &flow).await;
        assert!(id.get("td_sls").is_none(), "{id}");
    })
    .await;
}

/// "Stay signed in" is for web applications only: refused at registration for native ones.
#[tokio::test]
async fn stay_signed_in_is_refused_for_native_clients() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let native = r#"{"client_name":"App","application_type":"native","token_endpoint_auth_method":"none","redirect_uris":["com.example.app:/cb"]"#;
        let (code, _, err) = s.cli(
            &["clients", "create"],
            &format!(r#"{native},"stay_signed_in":{{"visible":true,"default":false}}}}"#),
        );
        assert_ne!(code, 0);
        assert!(err.contains("invalid_client_metadata"), "{err}");
        assert!(err.contains("stay_signed_in"), "names the field: {err}");
        let (code, _, err) = s.cli(&["clients", "create"], &format!("{native}}}"));
        assert_eq!(code, 0, "the same client without it is fine: {err}");
    })
    .await;
}

// =======================================================================================
// Step-up and re-authentication (seed 000 "Re-authentication")

/// A LoA1 session asked for LoA2 shows only the password step, for the same account.
#[tokio::test]
async fn step_up_from_loa1_asks_only_for_the_password() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client(SSO_STAY);
        let (e164, _, _) = phone();
        let sub = s.account_with(&[&e164], &[], true);
        let who = Person::new(&e164);
        let mut b = Browser::new();
        let (id, steps) = sign_in(&s, &mut b, &client, "", &who).await;
        assert_eq!(steps, ["identifier", "code"]);
        assert_eq!(id["acr"], "1");
        let (url, flow) = authorize_url(&s, &client, "&acr_values=2");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "password");
        assert!(p.body.contains(&e164), "signing in as the same account");
        assert!(p.body.contains("restart\""), "with \"Not you?\"");
        let back = submit(&s, &mut b, &p, &[("password", PASSWORD)])
            .await
            .back();
        let up = id_token(&s, &client, &back, &flow).await;
        assert_eq!(up["sub"], sub.as_str());
        assert_eq!(up["acr"], "2");
        assert!(amr(&up).contains(&"pwd".to_string()));
        assert_eq!(s.messages_to(&e164).len(), 1, "no second SMS");
    })
    .await;
}

/// `prompt=login` and an exceeded `max_age` ask the same account again (auth_time renewed);
/// a `max_age` not exceeded is an SSO hit.
#[tokio::test]
async fn prompt_login_and_max_age_ask_the_same_account_again() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client(SSO_STAY);
        let address = email("again");
        let sub = s.account_with(&[], &[&address], true);
        let who = Person::new(&address);
        let mut b = Browser::new();
        let (id, _) = sign_in(&s, &mut b, &client, "", &who).await;
        let t0 = id["auth_time"].as_i64().unwrap();
        // `auth_time` has one-second resolution: a renewed one is a second later.
        s.clock.advance(1);

        let (hit, steps) = sign_in(&s, &mut b, &client, "&max_age=3600", &who).await;
        assert!(steps.is_empty());
        assert_eq!(hit["auth_time"], t0);

        let (url, flow) = authorize_url(&s, &client, "&max_age=0");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "password", "max_age exceeded: authenticate again");
        assert!(p.body.contains(&address));
        let back = submit(&s, &mut b, &p, &[("password", PASSWORD)])
            .await
            .back();
        let fresh = id_token(&s, &client, &back, &flow).await;
        assert_eq!(fresh["sub"], sub.as_str());
        let t1 = fresh["auth_time"].as_i64().unwrap();
        assert!(t1 > t0, "auth_time renewed by a real authentication");

        let (again, steps) = sign_in(&s, &mut b, &client, "&prompt=login", &who).await;
        assert_eq!(steps, ["password"], "prompt=login: the same account, again");
        assert_eq!(again["sub"], sub.as_str());
        assert!(again["auth_time"].as_i64().unwrap() >= t1);
    })
    .await;
}

/// "Not you?" on a re-authentication page switches to another account.
#[tokio::test]
async fn not_you_switches_to_another_account() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client(SSO_STAY);
        let (x, y) = (email("x"), email("y"));
        s.account_with(&[], &[&x], true);
        let sub_y = s.account_with(&[], &[&y], true);
        let mut b = Browser::new();
        let (id_x, _) = sign_in(&s, &mut b, &client, "", &Person::new(&x)).await;
        let (url, flow) = authorize_url(&s, &client, "&prompt=login");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "password");
        let p = post_to(&s, &mut b, &p, &p.sub_action("restart"), &[])
            .await
            .page();
        assert_eq!(p.step, "identifier");
        assert!(!tag(&p.body, "id=\"identifier\"").contains("readonly"));
        let (back, steps) = walk_from(&s, &mut b, Landed::Page(p), &Person::new(&y)).await;
        assert_eq!(steps, ["identifier", "password"]);
        let id_y = id_token(&s, &client, &back, &flow).await;
        assert_eq!(id_y["sub"], sub_y.as_str());
        assert_ne!(id_y["sid"], id_x["sid"], "another person, another session");
        // The browser's session is now Y's.
        let (now, steps) = sign_in(&s, &mut b, &client, "", &Person::new(&y)).await;
        assert!(steps.is_empty());
        assert_eq!(now["sub"], sub_y.as_str());
    })
    .await;
}

/// A re-authentication is locked to the session's account: another identifier typed on it
/// is refused. (The locked page shows the identifier step when the account cannot be asked
/// for its credential directly: here a phone-only account without password at a client
/// that never sends SMS.)
#[tokio::test]
async fn a_locked_reauthentication_refuses_another_identifier() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let sms = s.client(r#","sso":true"#);
        let no_sms = s.client(r#","sso":true,"sms_pin":"disallow""#);
        let (e164, _, _) = phone();
        let other = email("other");
        s.account_with(&[], &[&other], true);
        let mut b = Browser::new();
        sign_in(&s, &mut b, &sms, "", &Person::new(&e164)).await;
        let sent = s.outbox().len();
        let (url, _) = authorize_url(&s, &no_sms, "&prompt=login");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "identifier", "{}", p.body);
        for typed in [other.as_str(), "someone.new@example.com"] {
            let r = submit(&s, &mut b, &p, &[("identifier", typed)])
                .await
                .page();
            r.assert_refused("identifier", "account you are signed in with");
        }
        assert_eq!(s.outbox().len(), sent, "nothing sent");
    })
    .await;
}

/// `prompt=none` never shows a page: `login_required` without a session (or one that
/// cannot answer), `consent_required` for an explicit-consent client, and
/// `interaction_required` when the service needs something from the person (an email).
#[tokio::test]
async fn prompt_none_answers_with_an_error_instead_of_a_page() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let first = s.client(r#","sso":true"#);
        let explicit = s.client(r#","sso":true,"consent":"explicit""#);
        let needs_email = s.client(r#","sso":true,"require_email":true"#);
        let (e164, _, _) = phone();
        let mut b = Browser::new();

        let (url, flow) = authorize_url(&s, &first, "&prompt=none");
        let back = open(&s, &mut b, &url).await.back();
        assert_error_back(&s, &back, &flow, "login_required");

        sign_in(&s, &mut b, &first, "", &Person::new(&e164)).await;
        let cases = [
            (&explicit, "", "consent_required"),
            (&needs_email, "", "interaction_required"),
            (&first, "&acr_values=2", "login_required"),
            (&first, "&max_age=0&prompt=none", "login_required"),
        ];
        // `auth_time` has one-second resolution: a renewed one is a second later.
        s.clock.advance(1);
        for (client, extra, error) in cases {
            let extra = if extra.contains("prompt") {
                extra.to_string()
            } else {
                format!("{extra}&prompt=none")
            };
            let (url, flow) = authorize_url(&s, client, &extra);
            let back = open(&s, &mut b, &url).await.back();
            assert_error_back(&s, &back, &flow, error);
        }
        // Control: the session itself answers prompt=none.
        let (url, flow) = authorize_url(&s, &first, "&prompt=none");
        let back = open(&s, &mut b, &url).await.back();
        id_token(&s, &first, &back, &flow).await;
    })
    .await;
}

/// Seed 000 "Re-authentication ... additional claims": an SSO follow-up service that needs
/// an email asks only for the email (verified by a code), not for the phone again, and
/// `auth_time` stays the original's.
#[tokio::test]
async fn a_follow_up_service_that_needs_an_email_asks_only_for_it() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let first = s.client(r#","sso":true"#);
        let needs_email = s.client(r#","sso":true,"require_email":true"#);
        let (e164, _, _) = phone();
        let address = email("added");
        let mut b = Browser::new();
        let (id, _) = sign_in(&s, &mut b, &first, "", &Person::new(&e164)).await;
        // `auth_time` has one-second resolution: a renewed one is a second later.
        s.clock.advance(1);
        let (url, flow) = authorize_url(&s, &needs_email, "");
        let p = open(&s, &mut b, &url).await.page();
        assert_eq!(p.step, "add-email");
        let p = submit(&s, &mut b, &p, &[("email", &address)]).await.page();
        assert_eq!(p.step, "code");
        let code = s.last_code(&address);
        let back = submit(&s, &mut b, &p, &[("code", &code)]).await.back();
        let hit = id_token(&s, &needs_email, &back, &flow).await;
        assert_eq!(hit["sub"], id["sub"]);
        assert_eq!(hit["auth_time"], id["auth_time"]);
        let to_phone = s.messages_to(&e164);
        let codes = to_phone.iter().filter(|m| m["purpose"] == "signin").count();
        assert_eq!(codes, 1, "no second code: {to_phone:?}");
        // The owner is told on the phone, as when an email is added in My account.
        assert!(
            to_phone.iter().any(|m| m["purpose"] == "identifier_added"),
            "{to_phone:?}"
        );
        let account = s.show(id["sub"].as_str().unwrap());
        let ids = account["identifiers"].as_array().unwrap();
        assert!(
            ids.contains(&serde_json::json!({"kind": "email", "value": address, "verified": true}))
        );
    })
    .await;
}

// =======================================================================================
// Consent, form_post, login_hint

/// An explicit-consent client: deny → `access_denied` with state and iss; allow → a code;
/// the next time no consent page.
#[tokio::test]
async fn explicit_consent_deny_then_allow_then_remembered() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client(r#","consent":"explicit""#);
        let address = email("consent");
        s.account_with(&[], &[&address], true);
        async fn to_consent(
            s: &Server,
            b: &mut Browser,
            client: &Value,
            who: &str,
        ) -> (Page, Flow) {
            let (url, flow) = authorize_url(s, client, "");
            let p = open(s, b, &url).await.page();
            let p = submit(s, b, &p, &[("identifier", who)]).await.page();
            let p = submit(s, b, &p, &[("password", PASSWORD)]).await.page();
            (p, flow)
        }
        let mut b = Browser::new();
        let (p, flow) = to_consent(&s, &mut b, &client, &address).await;
        assert_eq!(p.step, "consent");
        assert!(p.body.contains("name=\"decision\" value=\"allow\""));
        assert!(p.body.contains("name=\"decision\" value=\"deny\""));
        let back = submit(&s, &mut b, &p, &[("decision", "deny")]).await.back();
        assert_error_back(&s, &back, &flow, "access_denied");

        let mut b = Browser::new();
        let (p, flow) = to_consent(&s, &mut b, &client, &address).await;
        assert_eq!(p.step, "consent", "denied is not remembered as allowed");
        let back = submit(&s, &mut b, &p, &[("decision", "allow")])
            .await
            .back();
        id_token(&s, &client, &back, &flow).await;

        let (_, steps) =
            sign_in(&s, &mut Browser::new(), &client, "", &Person::new(&address)).await;
        assert_eq!(
            steps,
            ["identifier", "password"],
            "no consent page the second time"
        );
    })
    .await;
}

/// `response_mode=form_post`: an HTML form posting code, state and iss to the redirect URI,
/// submitted by a script file (no inline script; the CSP allows none).
#[tokio::test]
async fn form_post_answers_with_an_auto_submitting_form() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let address = email("fp");
        s.account_with(&[], &[&address], true);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &client, "&response_mode=form_post");
        let p = open(&s, &mut b, &url).await.page();
        let p = submit(&s, &mut b, &p, &[("identifier", &address)])
            .await
            .page();
        let a = match submit(&s, &mut b, &p, &[("password", PASSWORD)]).await {
            Landed::FormPost(a) => a,
            Landed::Page(p) => panic!("a page instead of form_post: {}", p.body),
            Landed::Back(back) => panic!("a redirect instead of form_post: {}", back.location),
        };
        assert_eq!(a.status, 200);
        assert_eq!(
            attr(&a.body, "id=\"form_post\"", "action").as_deref(),
            Some(REDIRECT)
        );
        assert_eq!(
            attr(&a.body, "id=\"form_post\"", "method").as_deref(),
            Some("post")
        );
        let field = |name: &str| attr(&a.body, &format!("name=\"{name}\""), "value").unwrap();
        assert_eq!(field("state"), flow.state);
        assert_eq!(field("iss"), s.base);
        let mut rest = a.body.as_str();
        while let Some(at) = rest.find("<script") {
            let t = &rest[at..at + rest[at..].find('>').unwrap()];
            assert!(t.contains(" src=\""), "no inline script: {t}");
            assert!(
                rest[at..].starts_with(&format!("{t}></script>")),
                "empty script element"
            );
            rest = &rest[at + 1..];
        }
        assert!(
            a.security_headers[0].contains("script-src 'self'"),
            "{}",
            a.security_headers[0]
        );
        assert!(
            !a.security_headers[0].contains("unsafe-inline"),
            "{}",
            a.security_headers[0]
        );
        let back = Back {
            q: [
                ("code".to_string(), field("code")),
                ("state".to_string(), field("state")),
                ("iss".to_string(), field("iss")),
            ]
            .into(),
            location: REDIRECT.into(),
            set_cookies: Vec::new(),
        };
        id_token(&s, &client, &back, &flow).await;
    })
    .await;
}

/// `login_hint` pre-fills the field; `login_hint_locked=true` makes it read-only and refuses
/// another identifier; locked without a hint goes back to the client as `invalid_request`.
#[tokio::test]
async fn login_hint_prefills_and_a_locked_hint_refuses_others() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let client = s.client("");
        let address = email("hint");
        let sub = s.account_with(&[], &[&address], true);

        let (url, _) = authorize_url(&s, &client, &format!("&login_hint={}", enc(&address)));
        let p = open(&s, &mut Browser::new(), &url).await.page();
        let input = tag(&p.body, "id=\"identifier\"");
        assert_eq!(
            attr(input, "id=", "value").as_deref(),
            Some(address.as_str())
        );
        assert!(!input.contains("readonly"));

        let mut b = Browser::new();
        let (url, flow) = authorize_url(
            &s,
            &client,
            &format!("&login_hint={}&login_hint_locked=true", enc(&address)),
        );
        let p = open(&s, &mut b, &url).await.page();
        let input = tag(&p.body, "id=\"identifier\"");
        assert_eq!(
            attr(input, "id=", "value").as_deref(),
            Some(address.as_str())
        );
        assert!(input.contains("readonly"), "{input}");
        let r = submit(&s, &mut b, &p, &[("identifier", &email("else"))])
            .await
            .page();
        r.assert_refused("identifier", "this service asked for");
        // The hinted identifier, in any case, goes on.
        let p = submit(&s, &mut b, &r, &[("identifier", &address.to_uppercase())])
            .await
            .page();
        assert_eq!(p.step, "password");
        let back = submit(&s, &mut b, &p, &[("password", PASSWORD)])
            .await
            .back();
        assert_eq!(
            id_token(&s, &client, &back, &flow).await["sub"],
            sub.as_str()
        );

        let (url, flow) = authorize_url(&s, &client, "&login_hint_locked=true");
        let back = open(&s, &mut Browser::new(), &url).await.back();
        assert_error_back(&s, &back, &flow, "invalid_request");
    })
    .await;
}

// =======================================================================================
// Accounts

/// An identifier belongs to at most one account: the CLI refuses a second account with the
/// same email (any case) or the same phone (any notation), with a clear message.
#[tokio::test]
async fn two_accounts_cannot_share_an_identifier() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let address = email("dup");
        let (e164, _, spaced) = phone();
        let sub = s.account_with(&[&e164], &[&address], true);
        for (phones, emails) in [
            (vec![], vec![address.clone()]),
            (vec![], vec![address.to_uppercase()]),
            (vec![e164.clone()], vec![]),
            (vec![spaced.clone()], vec![email("fresh")]),
        ] {
            let phones: Vec<&str> = phones.iter().map(String::as_str).collect();
            let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
            let (code, err) = s.try_account(&phones, &emails, true);
            assert_ne!(code, 0, "{phones:?} {emails:?}");
            assert!(
                err.contains("already belongs to another account"),
                "a clear message: {err}"
            );
        }
        let account = s.show(&sub);
        assert_eq!(account["identifiers"].as_array().unwrap().len(), 2);
    })
    .await;
}

// =======================================================================================
// Sign-out (seed 001 "Session handling with and without SSO", seed 003 "Logout")

/// Signing out through the end-session endpoint ends the SSO session whatever the "stay
/// signed in" box said: the other SSO service asks for credentials again.
#[tokio::test]
async fn signing_out_ends_the_sso_session_for_every_service() {
    on_each_backend(|be| async move {
        let s = Server::start_with(be.clone(), "").await;
        let first = s.client(SSO_STAY);
        let second = s.client(SSO_STAY);
        let address = email("out");
        s.account_with(&[], &[&address], true);
        for remember in [false, true] {
            let who = Person {
                remember: Some(remember),
                ..Person::new(&address)
            };
            let mut b = Browser::new();
            let (url, flow) = authorize_url(&s, &first, "");
            let (back, _) = walk(&s, &mut b, &url, &who).await;
            let (_, jwt) = id_token_and_jwt(&s, &first, &back, &flow).await;
            let (_, steps) = sign_in(&s, &mut b, &second, "", &who).await;
            assert!(steps.is_empty(), "SSO before signing out");

            let out = b
                .get(&format!(
                    "{}/logout?id_token_hint={jwt}&post_logout_redirect_uri={BYE}&state=bye",
                    s.base
                ))
                .await;
            assert_eq!(out.status, 303);
            assert_eq!(
                out.location.as_deref(),
                Some(format!("{BYE}?state=bye").as_str())
            );
            let (url, flow) = authorize_url(&s, &second, "&prompt=none");
            let back = open(&s, &mut b, &url).await.back();
            assert_error_back(&s, &back, &flow, "login_required");
            let (_, steps) = sign_in(&s, &mut b, &second, "", &who).await;
            assert_eq!(steps, ["identifier", "password"], "remember={remember}");
        }
    })
    .await;
}
