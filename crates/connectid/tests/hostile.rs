//! Hostile input against the server (the test kit's, in-process): every endpoint and form gets malformed, oversized,
//! injected, forged and replayed input, and each case must get a clear refusal (an OAuth
//! error with its code, an error page with `role="alert"`, or an error sent back to the
//! registered redirect URI), change nothing in the database, and leave the server serving.
//! The last test runs full flows through the real binary (`Server::binary`) with debug
//! logging and looks for every secret in its logs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use connectid_core::client::SigningAlg;
use connectid_core::crypto::{b64url, pkce_s256, random_id, random_token};
use connectid_core::keys::{KeyCipher, LoadedKey, generate};
use serde_json::{Value, json};
use support::*;

const XSS: &str = "<script>alert(1)</script>";
const SQLI: &str = "' OR '1'='1' --";

fn big(n: usize) -> String {
    "A".repeat(n)
}

/// An authorization request for `cid` to the registered URI, with `extra` appended.
fn authz(cid: &str, extra: &str) -> String {
    format!(
        "/authorize?client_id={cid}&redirect_uri={}&response_type=code&scope=openid&state=st\
         &code_challenge={}&code_challenge_method=S256{extra}",
        enc(REDIRECT),
        pkce_s256(&(random_token() + "x"))
    )
}

/// The same with `redirect_uri` as given (already encoded as the attacker wants).
fn authz_to(cid: &str, redirect: &str) -> String {
    format!(
        "/authorize?client_id={cid}&redirect_uri={redirect}&response_type=code&scope=openid&state=st\
         &code_challenge={}&code_challenge_method=S256",
        pkce_s256(&(random_token() + "x"))
    )
}

#[tokio::test]
async fn authorize_refuses_hostile_requests() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client(r#","sso":true"#);
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let public = s.client(r#","token_endpoint_auth_method":"none""#);
        let pid = public["client_id"].as_str().unwrap().to_string();
        let not_registered = "The redirect_uri is not registered";
        let dup = "appears more than once";
        let unknown = "not registered with CONNECT ID";

        let cases = vec![
            case("unknown client", get(authz("nope", "")), Page(400, unknown)),
            case(
                "no client_id",
                get(format!(
                    "/authorize?redirect_uri={}&response_type=code&scope=openid",
                    enc(REDIRECT)
                )),
                Page(400, "client_id is missing"),
            ),
            case(
                "client_id SQL injection",
                get(authz(&enc(SQLI), "")),
                Page(400, unknown),
            ),
            case(
                "client_id HTML injection",
                get(authz(&enc(XSS), "")),
                Page(400, unknown),
            ),
            case(
                "client_id 8 KB",
                get(authz(&big(8192), "")),
                Page(400, unknown),
            ),
            case("client_id NUL", get(authz("%00", "")), Page(400, unknown)),
            case(
                "client_id invalid UTF-8",
                get(authz("%FF%FE%C0%AF", "")),
                Page(400, unknown),
            ),
            case(
                "client_id bad percent-encoding",
                get(authz("%zz%", "")),
                Page(400, unknown),
            ),
            case(
                "client_id CRLF",
                get(authz(&format!("{cid}%0D%0ASet-Cookie:%20x=1"), "")),
                Page(400, unknown),
            ),
            case(
                "duplicate client_id",
                get(authz(&cid, &format!("&client_id={cid}"))),
                Page(400, dup),
            ),
            case(
                "duplicate redirect_uri",
                get(authz(&cid, "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb")),
                Page(400, dup),
            ),
            case(
                "duplicate state",
                get(authz(&cid, "&state=other")),
                Page(400, dup),
            ),
            case(
                "duplicate response_type",
                get(authz(&cid, "&response_type=token")),
                Page(400, dup),
            ),
            case(
                "no redirect_uri",
                get(format!(
                    "/authorize?client_id={cid}&response_type=code&scope=openid"
                )),
                Page(400, "no redirect_uri"),
            ),
            case(
                "redirect_uri prefix",
                get(authz_to(&cid, &enc("http://127.0.0.1:9/c"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri suffix path",
                get(authz_to(&cid, &enc("http://127.0.0.1:9/cb/evil"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri suffix query",
                get(authz_to(
                    &cid,
                    &enc("http://127.0.0.1:9/cb?next=https://evil.example"),
                )),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri trailing slash",
                get(authz_to(&cid, &enc("http://127.0.0.1:9/cb/"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri userinfo",
                get(authz_to(&cid, &enc("http://evil@127.0.0.1:9/cb"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri host as userinfo",
                get(authz_to(&cid, &enc("http://127.0.0.1:9@evil.example/cb"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri fragment",
                get(authz_to(&cid, &enc("http://127.0.0.1:9/cb#evil"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri upper case",
                get(authz_to(&cid, &enc("HTTP://127.0.0.1:9/CB"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri encoded path",
                get(authz_to(&cid, &enc("http://127.0.0.1:9/%63b"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri double-encoded",
                get(authz_to(&cid, &enc(&enc(REDIRECT)))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri other port",
                get(authz_to(&cid, &enc("http://127.0.0.1:10/cb"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri other loopback name",
                get(authz_to(&cid, &enc("http://localhost:9/cb"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri dot segments",
                get(authz_to(&cid, &enc("http://127.0.0.1:9/x/../cb"))),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri CRLF",
                get(authz_to(
                    &cid,
                    &enc("http://127.0.0.1:9/cb\r\nSet-Cookie: x=1"),
                )),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri javascript",
                get(authz_to(
                    &cid,
                    &enc("javascript:alert(1)//http://127.0.0.1:9/cb"),
                )),
                Page(400, not_registered),
            ),
            case(
                "redirect_uri of another client",
                get(authz_to(&cid, &enc("https://other.example/cb"))),
                Page(400, not_registered),
            ),
            // A known client and its registered URI: errors go back there (RFC 6749 §4.1.2.1).
            case(
                "response_type token",
                get(authz(&cid, "").replace("response_type=code", "response_type=token")),
                Redirect("unsupported_response_type"),
            ),
            case(
                "response_type id_token code",
                get(authz(&cid, "").replace("response_type=code", "response_type=code%20id_token")),
                Redirect("unsupported_response_type"),
            ),
            case(
                "no response_type",
                get(authz(&cid, "").replace("&response_type=code", "")),
                Redirect("invalid_request"),
            ),
            case(
                "PKCE plain",
                get(authz(&cid, "")
                    .replace("code_challenge_method=S256", "code_challenge_method=plain")),
                Redirect("invalid_request"),
            ),
            case(
                "PKCE method without challenge",
                get(format!(
                    "/authorize?client_id={cid}&redirect_uri={}&response_type=code&scope=openid&code_challenge_method=S256",
                    enc(REDIRECT)
                )),
                Redirect("invalid_request"),
            ),
            case(
                "PKCE challenge without method",
                get(authz(&cid, "").replace("&code_challenge_method=S256", "")),
                Redirect("invalid_request"),
            ),
            case(
                "PKCE challenge too short",
                get(authz_short_challenge(&cid, "abc")),
                Redirect("invalid_request"),
            ),
            case(
                "PKCE challenge bad characters",
                get(authz_short_challenge(&cid, &enc(&format!("{}!", big(50))))),
                Redirect("invalid_request"),
            ),
            case(
                "PKCE challenge 200 characters",
                get(authz_short_challenge(&cid, &big(200))),
                Redirect("invalid_request"),
            ),
            case(
                "public client without PKCE",
                get(format!(
                    "/authorize?client_id={pid}&redirect_uri={}&response_type=code&scope=openid&state=st",
                    enc(REDIRECT)
                )),
                Redirect("invalid_request"),
            ),
            case(
                "prompt=none without a session",
                get(authz(&cid, "&prompt=none")),
                Redirect("login_required"),
            ),
            case(
                "prompt=none login",
                get(authz(&cid, "&prompt=none%20login")),
                Redirect("invalid_request"),
            ),
            case(
                "prompt=none consent",
                get(authz(&cid, "&prompt=consent%20none")),
                Redirect("invalid_request"),
            ),
            case(
                "prompt unknown",
                get(authz(&cid, &format!("&prompt={}", enc(XSS)))),
                Redirect("invalid_request"),
            ),
            case(
                "max_age negative",
                get(authz(&cid, "&max_age=-1")),
                Redirect("invalid_request"),
            ),
            case(
                "max_age overflow",
                get(authz(&cid, "&max_age=99999999999999999999999")),
                Redirect("invalid_request"),
            ),
            case(
                "max_age SQL",
                get(authz(&cid, &format!("&max_age={}", enc(SQLI)))),
                Redirect("invalid_request"),
            ),
            case(
                "claims not JSON",
                get(authz(&cid, "&claims=%7Bnope")),
                Redirect("invalid_request"),
            ),
            case(
                "claims array",
                get(authz(&cid, "&claims=%5B1%5D")),
                Redirect("invalid_request"),
            ),
            case(
                "claims nested 10000 deep",
                get(authz(
                    &cid,
                    &format!("&claims={}", enc(&("[".repeat(10_000)))),
                )),
                Redirect("invalid_request"),
            ),
            case(
                "claims id_token not an object",
                get(authz(
                    &cid,
                    &format!("&claims={}", enc(r#"{"id_token":"acr"}"#)),
                )),
                Redirect("invalid_request"),
            ),
            case(
                "scope without openid",
                get(authz(&cid, "").replace("scope=openid", "scope=email%20profile")),
                Redirect("invalid_scope"),
            ),
            case(
                "scope injection",
                get(authz(&cid, "").replace("scope=openid", &format!("scope={}", enc(SQLI)))),
                Redirect("invalid_scope"),
            ),
            case(
                "unsigned request object",
                get(authz(&cid, "&request=eyJhbGciOiJub25lIn0.e30.")),
                Redirect("invalid_request_object"),
            ),
            case(
                "request_uri",
                get(authz(&cid, "&request_uri=https%3A%2F%2Fevil.example%2Fr")),
                Redirect("request_uri_not_supported"),
            ),
            case(
                "response_mode fragment",
                get(authz(&cid, "&response_mode=fragment")),
                Redirect("invalid_request"),
            ),
            case(
                "response_mode web_message",
                get(authz(&cid, "&response_mode=web_message")),
                Redirect("invalid_request"),
            ),
            case(
                "state 3000 characters",
                get(authz(&cid, "").replace("state=st", &format!("state={}", big(3000)))),
                Redirect("invalid_request"),
            ),
            case(
                "nonce 600 characters",
                get(authz(&cid, &format!("&nonce={}", big(600)))),
                Redirect("invalid_request"),
            ),
            case(
                "POST with duplicates",
                post(
                    "/authorize",
                    authz(&cid, &format!("&client_id={cid}"))
                        .trim_start_matches("/authorize?")
                        .to_string(),
                ),
                Page(400, dup),
            ),
            case(
                "POST with a bad redirect",
                post(
                    "/authorize",
                    authz_to(&cid, &enc("https://evil.example/cb"))
                        .trim_start_matches("/authorize?")
                        .to_string(),
                ),
                Page(400, not_registered),
            ),
            case(
                "POST body not UTF-8",
                post(
                    "/authorize",
                    b"client_id=\xff\xfe&redirect_uri=\xc0\xaf".to_vec(),
                ),
                Page(400, unknown),
            ),
            case(
                "query of 60 KB with prompt=none",
                get(authz(&cid, &format!("&prompt=none&x={}", big(60_000)))),
                Redirect("login_required"),
            ),
        ];
        // The state travels back exactly, whatever it holds, and never as raw header bytes.
        let evil_state = "a\r\nSet-Cookie: cid_session=x&<b>\"'";
        let a = Browser::new()
            .get(&format!(
                "{}{}",
                s.base,
                authz(&cid, "&prompt=none")
                    .replace("state=st", &format!("state={}", enc(evil_state)))
            ))
            .await;
        assert_eq!(a.status, 303);
        assert!(a.set_cookies.is_empty());
        assert_eq!(query(a.location.as_deref().unwrap())["state"], evil_state);
        let n = run(&s, cases).await;
        assert!(n >= 60, "{n}");
    }
}

fn authz_short_challenge(cid: &str, challenge: &str) -> String {
    format!(
        "/authorize?client_id={cid}&redirect_uri={}&response_type=code&scope=openid&state=st\
         &code_challenge={challenge}&code_challenge_method=S256",
        enc(REDIRECT)
    )
}

/// A form body with the CSRF token first and `fields` as given (already encoded).
fn form(csrf: &str, fields: &str) -> String {
    format!("csrf={}&{fields}", enc(csrf))
}

/// The sign-in page that follows submitting `fields` on `p`.
async fn next_page(s: &Server, b: &mut Browser, p: &Pending, fields: &[(&str, &str)]) -> Pending {
    let a = submit(b, &s.base, p, fields).await;
    assert_eq!(a.status, 200, "{}", a.body);
    Pending {
        action: format!("{}{}", s.base, form_action(&a.body)),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page: p.page.clone(),
        body: a.body,
    }
}

#[tokio::test]
async fn sign_in_forms_refuse_hostile_input() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client(r#","sso":true"#);
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let email = format!("u{}@example.com", random_id());
        s.account(&email);
        let path = |p: &Pending| p.page.trim_start_matches(&s.base).to_string();

        // B is at the identifier step; C is another browser with its own sign-in.
        let mut b = Browser::new();
        let pb = pending(&s, &mut b, &authorize_url(&s, &cid, "").0).await;
        let mut c = Browser::new();
        let pc = pending(&s, &mut c, &authorize_url(&s, &cid, "").0).await;
        let bp = path(&pb);
        let expired = "The form has expired";
        let other_browser = "started in another browser";
        let gone = "This sign-in has expired";
        let unrecognised = "Enter a phone number or an email address";
        let dup = "more than once";
        let id = |v: &str| form(&pb.csrf, &format!("identifier={}", enc(v)));

        let mut cases = vec![
            case(
                "no CSRF token",
                post(&bp, "identifier=%2B4790000000").cookies(&b),
                Page(403, expired),
            ),
            case(
                "forged CSRF token",
                post(&bp, form(&random_token(), "identifier=%2B4790000000")).cookies(&b),
                Page(403, expired),
            ),
            case(
                "CSRF token of another sign-in",
                post(&bp, form(&pc.csrf, "identifier=%2B4790000000")).cookies(&b),
                Page(403, expired),
            ),
            case(
                "CSRF token 100 KB",
                post(&bp, form(&big(100_000), "identifier=x")).cookies(&b),
                Page(403, expired),
            ),
            case("empty body", post(&bp, "").cookies(&b), Page(403, expired)),
            case(
                "JSON body",
                post(
                    &bp,
                    json!({"csrf": pb.csrf, "identifier": "+4790000000"}).to_string(),
                )
                .header("content-type", "application/json")
                .cookies(&b),
                Page(403, expired),
            ),
            case(
                "no browser cookie",
                post(&bp, id("+4790000000")),
                Page(400, other_browser),
            ),
            case(
                "forged browser cookie",
                post(&bp, id("+4790000000"))
                    .header("cookie", format!("cid_browser={}", random_token())),
                Page(400, other_browser),
            ),
            case(
                "another browser's cookie",
                post(&bp, id("+4790000000")).cookies(&c),
                Page(400, other_browser),
            ),
            case(
                "browser cookie 10 KB",
                post(&bp, id("+4790000000"))
                    .header("cookie", format!("cid_browser={}", big(10_000))),
                Page(400, other_browser),
            ),
            case(
                "page without browser cookie",
                get(&bp),
                Page(400, other_browser),
            ),
            case(
                "page with another browser's cookie",
                get(&bp).cookies(&c),
                Page(400, other_browser),
            ),
            case(
                "unknown sign-in id",
                get(format!("/signin/{}", random_token())).cookies(&b),
                Page(400, gone),
            ),
            case(
                "sign-in id 10 KB",
                get(format!("/signin/{}", big(10_000))).cookies(&b),
                Page(400, gone),
            ),
            case(
                "sign-in id NUL",
                get("/signin/%00").cookies(&b),
                Page(400, gone),
            ),
            case(
                "sign-in id SQL injection",
                get(format!("/signin/{}", enc(SQLI))).cookies(&b),
                Page(400, gone),
            ),
            case(
                "sign-in id path traversal",
                get("/signin/..%2F..%2Fetc%2Fpasswd").cookies(&b),
                Page(400, gone),
            ),
            case(
                "restart with forged CSRF",
                post(format!("{bp}/restart"), form(&random_token(), "")).cookies(&b),
                Page(403, expired),
            ),
            case(
                "resend with forged CSRF",
                post(format!("{bp}/resend"), form(&random_token(), "")).cookies(&b),
                Page(403, expired),
            ),
            case(
                "resend without browser cookie",
                post(format!("{bp}/resend"), form(&pb.csrf, "")),
                Page(400, other_browser),
            ),
            case(
                "identifier SQL injection",
                post(&bp, id(SQLI)).cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier HTML injection",
                post(&bp, id(XSS)).cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier attribute injection",
                post(&bp, id("\"><svg onload=alert(1)>")).cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier 100 KB",
                post(&bp, id(&big(100_000))).cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier NUL in a phone",
                post(&bp, id("+47 900\u{0}00 000")).cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier control characters",
                post(&bp, id("\u{1b}[31m+4790000000")).cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier invalid UTF-8",
                post(
                    &bp,
                    format!("csrf={}&identifier=%FF%FE%C0%AF", enc(&pb.csrf)),
                )
                .cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier raw invalid UTF-8",
                post(
                    &bp,
                    [
                        format!("csrf={}&identifier=", enc(&pb.csrf)).into_bytes(),
                        vec![0xff, 0xfe, 0x80],
                    ]
                    .concat(),
                )
                .cookies(&b),
                Page(400, unrecognised),
            ),
            case(
                "identifier email with HTML",
                post(&bp, id("<img src=x onerror=alert(1)>@example.com")).cookies(&b),
                Page(400, "not a valid email address"),
            ),
            case(
                "identifier email with a zero-width space",
                post(&bp, id(&format!("\u{200b}{email}"))).cookies(&b),
                Page(400, "not a valid email address"),
            ),
            case(
                "identifier email with a bidi override",
                post(&bp, id("\u{202e}moc.elpmaxe@evil.example")).cookies(&b),
                Page(400, "not a valid email address"),
            ),
            case(
                "identifier email without a dot",
                post(&bp, id("a@b")).cookies(&b),
                Page(400, "not a valid email address"),
            ),
            case(
                "identifier email 300 characters",
                post(&bp, id(&format!("{}@example.com", "a".repeat(290)))).cookies(&b),
                Page(400, "not a valid email address"),
            ),
            case(
                "identifier phone too short",
                post(&bp, id("123")).cookies(&b),
                Page(400, "not a valid phone number"),
            ),
            case(
                "identifier phone 40 digits",
                post(&bp, id(&"9".repeat(40))).cookies(&b),
                Page(400, "not a valid phone number"),
            ),
            case(
                "duplicate identifier",
                post(
                    &bp,
                    format!("{}&identifier=%2B4790000001", id("+4790000000")),
                )
                .cookies(&b),
                Page(400, dup),
            ),
            case(
                "duplicate CSRF token",
                post(&bp, format!("{}&csrf=x", id("+4790000000"))).cookies(&b),
                Page(400, dup),
            ),
        ];

        // D is at the password step of an existing account.
        let mut d = Browser::new();
        let pd = pending(&s, &mut d, &authorize_url(&s, &cid, "").0).await;
        let pd = next_page(&s, &mut d, &pd, &[("identifier", &email)]).await;
        assert_eq!(step(&pd.body), "password");
        let dp = path(&pd);
        let pw = |v: &str| form(&pd.csrf, &format!("password={}", enc(v)));
        let wrong = "The password is not correct";
        cases.extend([
            case(
                "password SQL injection",
                post(&dp, pw(SQLI)).cookies(&d),
                Page(400, wrong),
            ),
            case(
                "password 100 KB",
                post(&dp, pw(&big(100_000))).cookies(&d),
                Page(400, wrong),
            ),
            case(
                "password with NUL",
                post(&dp, pw(&format!("{PASSWORD}\u{0}"))).cookies(&d),
                Page(400, wrong),
            ),
            case(
                "password missing",
                post(&dp, form(&pd.csrf, "")).cookies(&d),
                Page(400, wrong),
            ),
            case(
                "password duplicated",
                post(&dp, format!("{}&password={}", pw(SQLI), enc(PASSWORD))).cookies(&d),
                Page(400, dup),
            ),
        ]);

        // E is at the code step of a new phone number.
        let phone = format!("+4799{}", &random_digits(6));
        let mut e = Browser::new();
        let pe = pending(&s, &mut e, &authorize_url(&s, &cid, "").0).await;
        let pe = next_page(&s, &mut e, &pe, &[("identifier", &phone)]).await;
        assert_eq!(step(&pe.body), "code");
        let ep = path(&pe);
        let code = |v: &str| form(&pe.csrf, &format!("code={}", enc(v)));
        let not_correct = "The code is not correct";
        cases.extend([
            case(
                "code SQL injection",
                post(&ep, code("1' OR '1'='1")).cookies(&e),
                Page(400, not_correct),
            ),
            case(
                "code 100 KB",
                post(&ep, code(&"1".repeat(100_000))).cookies(&e),
                Page(400, not_correct),
            ),
            case(
                "code 7 digits",
                post(&ep, code("1234567")).cookies(&e),
                Page(400, not_correct),
            ),
            case(
                "code with NUL",
                post(&ep, code("12\u{0}456")).cookies(&e),
                Page(400, not_correct),
            ),
            case(
                "code duplicated",
                post(&ep, format!("{}&code=000000", code("111111"))).cookies(&e),
                Page(400, dup),
            ),
        ]);

        // F is at the set-password step of a new email address (LoA 2 asks for a password).
        let new_email = format!("n{}@example.com", random_id());
        let mut f = Browser::new();
        let pf = pending(&s, &mut f, &authorize_url(&s, &cid, "&acr_values=2").0).await;
        let pf = next_page(&s, &mut f, &pf, &[("identifier", &new_email)]).await;
        assert_eq!(step(&pf.body), "code");
        let otp = s.last_code(&new_email);
        let pf = next_page(&s, &mut f, &pf, &[("code", &otp)]).await;
        assert_eq!(step(&pf.body), "set-password", "{}", pf.body);
        let fp = path(&pf);
        let np = |v: &str| form(&pf.csrf, &format!("new_password={}", enc(v)));
        cases.extend([
            case(
                "new password too short",
                post(&fp, np("12345")).cookies(&f),
                Page(400, "at least 6"),
            ),
            case(
                "new password 129 bytes",
                post(&fp, np(&"x".repeat(129))).cookies(&f),
                Page(400, "at most 128"),
            ),
            case(
                "new password 100 KB",
                post(&fp, np(&big(100_000))).cookies(&f),
                Page(400, "at most 128"),
            ),
            case(
                "new password duplicated",
                post(&fp, format!("{}&new_password=x", np(PASSWORD))).cookies(&f),
                Page(400, dup),
            ),
        ]);

        let n = run(&s, cases).await;
        assert!(n >= 50, "{n}");

        // Refused input left every sign-in usable: the real answers still work afterwards.
        let a = d
            .post(&pd.action, &[("csrf", &pd.csrf), ("password", PASSWORD)])
            .await;
        assert!(
            a.location.as_deref().unwrap_or("").starts_with(REDIRECT),
            "{}",
            a.body
        );
        let otp = s.last_code(&phone);
        let a = e
            .post(&pe.action, &[("csrf", &pe.csrf), ("code", &otp)])
            .await;
        assert!(
            a.location.as_deref().unwrap_or("").starts_with(REDIRECT),
            "{}",
            a.body
        );
        let before = s.snapshot().await;
        let a = f
            .post(
                &pf.action,
                &[("csrf", &pf.csrf), ("new_password", PASSWORD)],
            )
            .await;
        assert!(
            a.location.as_deref().unwrap_or("").starts_with(REDIRECT),
            "{}",
            a.body
        );
        assert_eq!(s.snapshot().await["accounts"], before["accounts"] + 1);
        let a = b
            .post(&pb.action, &[("csrf", &pb.csrf), ("identifier", &email)])
            .await;
        assert_eq!(a.status, 303, "B's sign-in still works: {}", a.body);
    }
}

fn random_digits(n: usize) -> String {
    connectid_core::crypto::random_digits(n as u32)
}

/// A code for `cid` from an existing SSO session in `b`, with this PKCE challenge (or none).
async fn sso_code(s: &Server, b: &mut Browser, cid: &str, challenge: Option<&str>) -> String {
    let pkce = challenge
        .map(|c| format!("&code_challenge={c}&code_challenge_method=S256"))
        .unwrap_or_default();
    let a = b
        .get(&format!(
            "{}/authorize?client_id={cid}&redirect_uri={}&response_type=code&scope=openid&state=s{pkce}",
            s.base,
            enc(REDIRECT)
        ))
        .await;
    let loc = a.location.unwrap_or_else(|| panic!("{}", a.body));
    query(&loc)
        .remove("code")
        .unwrap_or_else(|| panic!("{loc}"))
}

fn code_body(code: &str, verifier: Option<&str>, redirect: &str) -> String {
    let mut b = format!(
        "grant_type=authorization_code&code={}&redirect_uri={}",
        enc(code),
        enc(redirect)
    );
    if let Some(v) = verifier {
        b.push_str(&format!("&code_verifier={}", enc(v)));
    }
    b
}

/// An ES256 key of the attacker's: its pair and its public JWK.
fn attacker_key() -> (EcdsaKeyPair, Value) {
    let kp = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    let p = kp.public_key().as_ref().to_vec();
    let jwk = json!({"kty":"EC","crv":"P-256","x":b64url(&p[1..33]),"y":b64url(&p[33..65])});
    (kp, jwk)
}

fn es256(kp: &EcdsaKeyPair, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let sig = kp.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
    format!("{input}.{}", b64url(sig.as_ref()))
}

#[tokio::test]
async fn token_endpoint_refuses_hostile_requests() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client(r#","sso":true"#);
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let secret = conf["client_secret"].as_str().unwrap().to_string();
        let other = s.client(r#","sso":true"#);
        let oid = other["client_id"].as_str().unwrap().to_string();
        let osecret = other["client_secret"].as_str().unwrap().to_string();
        let public = s.client(r#","sso":true,"token_endpoint_auth_method":"none""#);
        let pid = public["client_id"].as_str().unwrap().to_string();
        // A client that authenticates with a signed assertion (RFC 7523).
        let cipher = KeyCipher::new(None);
        let key =
            LoadedKey::load(&generate(SigningAlg::ES256, 0, &cipher).unwrap(), &cipher).unwrap();
        let api = s.client_json(
        &json!({"client_name":"Api","token_endpoint_auth_method":"private_key_jwt",
                "grant_types":["client_credentials"],"scope":"api","jwks":{"keys":[key.public_jwk()]}})
        .to_string(),
    );
        let aid = api["client_id"].as_str().unwrap().to_string();

        let email = format!("u{}@example.com", random_id());
        s.account(&email);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &cid, "");
        let landed = sign_in_with_password(&s, &mut b, &url, &email).await;
        let tokens = exchange(&s, &conf, &query(&landed)["code"], &flow.verifier).await;
        let rt = tokens["refresh_token"].as_str().unwrap().to_string();

        let token = "/token";
        let par_body = authorize_url(&s, &cid, "")
            .0
            .split_once('?')
            .unwrap()
            .1
            .to_string();
        let bad_client = "client authentication failed";
        let cc = "grant_type=client_credentials";
        let ac = |code: &str| code_body(code, Some(&flow.verifier), REDIRECT);

        // Client assertions: one good one is used, then every forgery and the replay.
        let claims = |aud: &str, exp: i64, jti: &str| json!({"iss": aid, "sub": aid, "aud": aud, "exp": exp, "iat": s.now(), "jti": jti});
        let tok_ep = format!("{}/token", s.base);
        let assertion_body = |jwt: &str| {
            format!(
                "{cc}&client_assertion_type={}&client_assertion={}",
                enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                enc(jwt)
            )
        };
        let good = key
            .sign_jwt("JWT", &claims(&tok_ep, s.now() + 60, &random_id()))
            .unwrap();
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(assertion_body(&good))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let (akp, ajwk) = attacker_key();
        let kid = key.kid.clone();
        let fresh = || claims(&tok_ep, s.now() + 60, &random_id());
        let none = jws(&json!({"alg":"none","kid":kid}), &fresh(), b"");
        let hs = hs256(
            &json!({"alg":"HS256","kid":kid}),
            &fresh(),
            key.public_jwk().to_string().as_bytes(),
        );
        let hs_x = hs256(
            &json!({"alg":"HS256","kid":kid}),
            &fresh(),
            &connectid_core::crypto::b64url_decode(key.public_jwk()["x"].as_str().unwrap())
                .unwrap(),
        );
        let foreign = es256(&akp, &json!({"alg":"ES256","kid":kid}), &fresh());
        let embedded = es256(&akp, &json!({"alg":"ES256","jwk":ajwk}), &fresh());
        let jku = es256(
            &akp,
            &json!({"alg":"ES256","jku":"https://evil.example/jwks"}),
            &fresh(),
        );
        let rs_header = jws(&json!({"alg":"RS256","kid":kid}), &fresh(), &[0u8; 256]);

        // Codes for the PKCE and redirect checks, each from the SSO session (no pages).
        let v = flow.verifier.clone();
        let challenge = pkce_s256(&v);
        let short_v = "a".repeat(42);
        let mut code = Vec::new();
        for _ in 0..5 {
            code.push(sso_code(&s, &mut b, &cid, Some(&challenge)).await);
        }
        let code_short = sso_code(&s, &mut b, &cid, Some(&pkce_s256(&short_v))).await;
        let code_plain = sso_code(&s, &mut b, &cid, None).await;
        let code_pub = sso_code(&s, &mut b, &pid, Some(&challenge)).await;
        let burned: &[&str] = &["codes_used"];
        let burned_and_revoked: &[&str] = &["codes_used", "grants_revoked"];

        let cases = vec![
        // First, while the codes are fresh (they live 60 s).
        case("PKCE wrong verifier", post(token, code_body(&code[0], Some(&(random_token() + "y")), REDIRECT)).basic(&cid, &secret), OAuth(400, "invalid_grant", "code_verifier")).may_change(burned),
        case("PKCE verifier missing", post(token, code_body(&code[1], None, REDIRECT)).basic(&cid, &secret), OAuth(400, "invalid_grant", "code_verifier is missing")).may_change(burned),
        case("PKCE plain (verifier = challenge)", post(token, code_body(&code[2], Some(&challenge), REDIRECT)).basic(&cid, &secret), OAuth(400, "invalid_grant", "code_verifier")).may_change(burned),
        case("PKCE verifier of 42 characters that hashes right", post(token, code_body(&code_short, Some(&short_v), REDIRECT)).basic(&cid, &secret), OAuth(400, "invalid_grant", "code_verifier")).may_change(burned),
        case("PKCE verifier for a code without challenge", post(token, code_body(&code_plain, Some(&v), REDIRECT)).basic(&cid, &secret), OAuth(400, "invalid_grant", "no code_challenge")).may_change(burned),
        case("PKCE verifier missing, public client", post(token, format!("{}&client_id={pid}", code_body(&code_pub, None, REDIRECT))), OAuth(400, "invalid_grant", "code_verifier is missing")).may_change(burned),
        case("redirect_uri differs at the token endpoint", post(token, code_body(&code[3], Some(&v), "http://127.0.0.1:9/cb/x")).basic(&cid, &secret), OAuth(400, "invalid_grant", "redirect_uri")).may_change(burned),
        case("code of another client", post(token, code_body(&code[4], Some(&v), REDIRECT)).basic(&oid, &osecret), OAuth(400, "invalid_grant", "another client")).may_change(burned_and_revoked),
        case("used code again", post(token, code_body(&code[0], Some(&v), REDIRECT)).basic(&cid, &secret), OAuth(400, "invalid_grant", "already used")).may_change(&["grants_revoked"]),
        case("no client authentication", post(token, ac(&code[0])), OAuth(401, "invalid_client", bad_client)),
        case("wrong secret", post(token, ac(&code[0])).basic(&cid, "wrong"), OAuth(401, "invalid_client", bad_client)),
        case("other client's secret", post(token, ac(&code[0])).basic(&cid, &osecret), OAuth(401, "invalid_client", bad_client)),
        case("secret with NUL", post(token, ac(&code[0])).basic(&cid, &format!("{secret}\u{0}")), OAuth(401, "invalid_client", bad_client)),
        case("Basic not base64", post(token, ac(&code[0])).header("authorization", "Basic !!!***"), OAuth(401, "invalid_client", bad_client)),
        case("Basic without colon", post(token, ac(&code[0])).header("authorization", format!("Basic {}", base64_std(cid.as_bytes()))), OAuth(401, "invalid_client", bad_client)),
        case("Basic not UTF-8", post(token, ac(&code[0])).header("authorization", format!("Basic {}", base64_std(b"\xff\xfe:\xc0"))), OAuth(401, "invalid_client", bad_client)),
        case("Basic SQL injection", post(token, ac(&code[0])).basic(SQLI, SQLI), OAuth(401, "invalid_client", bad_client)),
        case("Basic 50 KB", post(token, ac(&code[0])).basic(&big(50_000), "x"), OAuth(401, "invalid_client", bad_client)),
        case("Basic client_id NUL", post(token, ac(&code[0])).basic("%00", "x"), OAuth(401, "invalid_client", bad_client)),
        case("client_secret_post client_id NUL", post(token, format!("{}&client_id=a%00&client_secret=x", ac(&code[0]))), OAuth(401, "invalid_client", bad_client)),
        case("public client_id NUL", post(token, format!("{}&client_id=%00", ac(&code[0]))), OAuth(401, "invalid_client", bad_client)),
        case("client assertion with NUL subject", post(token, assertion_body(&key.sign_jwt("JWT", &json!({"iss": "a\u{0}", "sub": "a\u{0}", "aud": tok_ep, "exp": s.now() + 60, "jti": random_id()})).unwrap())), OAuth(401, "invalid_client", bad_client)),
        case("Basic and client_secret", post(token, format!("{}&client_secret={}", ac(&code[0]), enc(&secret))).basic(&cid, &secret), OAuth(400, "invalid_request", "exactly one")),
        case("client_secret_post for a Basic client", post(token, format!("{}&client_id={cid}&client_secret={}", ac(&code[0]), enc(&secret))), OAuth(401, "invalid_client", bad_client)),
        case("client_id differs from Basic", post(token, format!("{}&client_id={oid}", ac(&code[0]))).basic(&cid, &secret), OAuth(401, "invalid_client", bad_client)),
        case("public client posing as confidential", post(token, format!("{}&client_id={cid}", ac(&code[0]))), OAuth(401, "invalid_client", bad_client)),
        case("duplicate grant_type", post(token, format!("{}&grant_type=refresh_token", ac(&code[0]))).basic(&cid, &secret), OAuth(400, "invalid_request", "more than once")),
        case("duplicate code", post(token, format!("{}&code=x", ac(&code[0]))).basic(&cid, &secret), OAuth(400, "invalid_request", "more than once")),
        case("duplicate client_secret", post(token, format!("{}&client_id={cid}&client_secret=a&client_secret=b", ac(&code[0]))), OAuth(400, "invalid_request", "more than once")),
        case("no grant_type", post(token, "code=x").basic(&cid, &secret), OAuth(400, "invalid_request", "grant_type")),
        case("grant_type password", post(token, "grant_type=password&username=a&password=b").basic(&cid, &secret), OAuth(400, "unsupported_grant_type", "")),
        case("grant_type implicit", post(token, "grant_type=implicit").basic(&cid, &secret), OAuth(400, "unsupported_grant_type", "")),
        case("grant_type 100 KB", post(token, format!("grant_type={}", big(100_000))).basic(&cid, &secret), OAuth(400, "unsupported_grant_type", "")),
        case("grant_type NUL", post(token, "grant_type=authorization_code%00").basic(&cid, &secret), OAuth(400, "unsupported_grant_type", "")),
        case("grant_type not allowed for the client", post(token, cc).basic(&cid, &secret), OAuth(400, "unauthorized_client", "")),
        case("token exchange", post(token, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange").basic(&cid, &secret), OAuth(400, "unauthorized_client", "")),
        case("no code", post(token, "grant_type=authorization_code").basic(&cid, &secret), OAuth(400, "invalid_request", "code")),
        case("code SQL injection", post(token, ac(SQLI)).basic(&cid, &secret), OAuth(400, "invalid_grant", "invalid or expired")),
        case("code 100 KB", post(token, ac(&big(100_000))).basic(&cid, &secret), OAuth(400, "invalid_grant", "invalid or expired")),
        case("code not UTF-8", post(token, b"grant_type=authorization_code&code=\xff\xfe".to_vec()).basic(&cid, &secret), OAuth(400, "invalid_grant", "invalid or expired")),
        case("nonce with NUL, answered from the session", get(authz(&cid, "&nonce=a%00b")).cookies(&b), Redirect("invalid_request")),
        case("nonce with a line break, answered from the session", get(authz(&cid, "&nonce=a%0D%0Ab")).cookies(&b), Redirect("invalid_request")),
        case("refresh token garbage", post(token, format!("grant_type=refresh_token&refresh_token={}", enc(SQLI))).basic(&cid, &secret), OAuth(400, "invalid_grant", "invalid")),
        case("refresh token of another client", post(token, format!("grant_type=refresh_token&refresh_token={rt}")).basic(&oid, &osecret), OAuth(400, "invalid_grant", "another client")),
        case("refresh widening the scope", post(token, format!("grant_type=refresh_token&refresh_token={rt}&scope=openid%20phone%20profile")).basic(&cid, &secret), OAuth(400, "invalid_scope", "widen")),
        case("access token as refresh token", post(token, format!("grant_type=refresh_token&refresh_token={}", tokens["access_token"].as_str().unwrap())).basic(&cid, &secret), OAuth(400, "invalid_grant", "invalid")),
        case("client assertion replayed", post(token, assertion_body(&good)), OAuth(401, "invalid_client", "replayed")),
        case("client assertion alg none", post(token, assertion_body(&none)), OAuth(401, "invalid_client", "")),
        case("client assertion HS256 keyed with the public JWK", post(token, assertion_body(&hs)), OAuth(401, "invalid_client", "")),
        case("client assertion HS256 keyed with the public key bytes", post(token, assertion_body(&hs_x)), OAuth(401, "invalid_client", "")),
        case("client assertion RS256 header on an EC key", post(token, assertion_body(&rs_header)), OAuth(401, "invalid_client", "")),
        case("client assertion signed by an unregistered key", post(token, assertion_body(&foreign)), OAuth(401, "invalid_client", "bad signature")),
        case("client assertion with an embedded jwk", post(token, assertion_body(&embedded)), OAuth(401, "invalid_client", "bad signature")),
        case("client assertion with a jku", post(token, assertion_body(&jku)), OAuth(401, "invalid_client", "bad signature")),
        case("client assertion for another audience", post(token, assertion_body(&key.sign_jwt("JWT", &claims("https://evil.example", s.now() + 60, &random_id())).unwrap())), OAuth(401, "invalid_client", "aud")),
        case("client assertion expired", post(token, assertion_body(&key.sign_jwt("JWT", &claims(&tok_ep, s.now() - 10, &random_id())).unwrap())), OAuth(401, "invalid_client", "expired")),
        case("client assertion valid for a day", post(token, assertion_body(&key.sign_jwt("JWT", &claims(&tok_ep, s.now() + 86_400, &random_id())).unwrap())), OAuth(401, "invalid_client", "long-lived")),
        case("client assertion without jti", post(token, assertion_body(&key.sign_jwt("JWT", &json!({"iss": aid, "sub": aid, "aud": tok_ep, "exp": s.now() + 60})).unwrap())), OAuth(401, "invalid_client", "jti")),
        case("client assertion for another client", post(token, assertion_body(&key.sign_jwt("JWT", &json!({"iss": cid, "sub": cid, "aud": tok_ep, "exp": s.now() + 60, "jti": random_id()})).unwrap())), OAuth(401, "invalid_client", bad_client)),
        case("client assertion of wrong type", post(token, assertion_body(&good).replace("jwt-bearer", "saml2-bearer")), OAuth(401, "invalid_client", bad_client)),
        case("client assertion garbage", post(token, assertion_body("a.b.c")), OAuth(401, "invalid_client", bad_client)),
        case("body of 3 MB", post(token, format!("grant_type={}", big(3 << 20))).basic(&cid, &secret), Status(413)),
        // Pushed authorization requests: authenticated as at /token, checked as /authorize checks.
        case("PAR without client authentication", post("/par", par_body.clone()), OAuth(401, "invalid_client", "")),
        case("PAR with a wrong secret", post("/par", par_body.clone()).basic(&cid, "wrong"), OAuth(401, "invalid_client", bad_client)),
        case("PAR with a request_uri inside", post("/par", format!("{par_body}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax")).basic(&cid, &secret), OAuth(400, "invalid_request", "request_uri")),
        case("PAR to an unregistered redirect_uri", post("/par", par_body.replace(REDIRECT, "https://evil.example/cb")).basic(&cid, &secret), OAuth(400, "invalid_request", "redirect_uri")),
        case("PAR with a parameter twice", post("/par", format!("{par_body}&scope=openid")).basic(&cid, &secret), OAuth(400, "invalid_request", "more than once")),
        case("PAR with an unsigned request object", post("/par", format!("client_id={cid}&request=eyJhbGciOiJub25lIn0.e30.")).basic(&cid, &secret), OAuth(400, "invalid_request_object", "alg")),
        case("PAR body of 3 MB", post("/par", format!("state={}", big(3 << 20))).basic(&cid, &secret), Status(413)),
    ];
        let n = run(&s, cases).await;
        assert!(n >= 50, "{n}");

        // The refused refresh attempts left the owner's refresh token working.
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.base))
            .basic_auth(&cid, Some(&secret))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", &rt)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
}

fn base64_std(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Forgeries of one of our tokens: same claims, but no signature, a symmetric signature
/// keyed with our public key, a signature of another key, a changed payload.
fn forgeries(real: &str, jwks: &Value, typ: &str) -> Vec<(&'static str, String)> {
    let (header, claims) = decode(real);
    let kid = header["kid"].clone();
    let rsa = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kty"] == "RSA")
        .unwrap()
        .clone();
    let n = connectid_core::crypto::b64url_decode(rsa["n"].as_str().unwrap()).unwrap();
    let (akp, ajwk) = attacker_key();
    let mut tampered_claims = claims.clone();
    tampered_claims["sub"] = json!("someone-else");
    let sig = real.rsplit('.').next().unwrap();
    let tampered = format!(
        "{}.{}.{sig}",
        b64url(header.to_string().as_bytes()),
        b64url(tampered_claims.to_string().as_bytes())
    );
    vec![
        (
            "alg none",
            jws(&json!({"alg":"none","kid":kid,"typ":typ}), &claims, b""),
        ),
        (
            "alg None",
            jws(&json!({"alg":"None","kid":kid,"typ":typ}), &claims, b""),
        ),
        (
            "alg none with the real signature",
            format!(
                "{}.{}.{sig}",
                b64url(
                    json!({"alg":"none","kid":kid,"typ":typ})
                        .to_string()
                        .as_bytes()
                ),
                b64url(claims.to_string().as_bytes())
            ),
        ),
        (
            "HS256 keyed with the RSA JWK",
            hs256(
                &json!({"alg":"HS256","kid":rsa["kid"],"typ":typ}),
                &claims,
                rsa.to_string().as_bytes(),
            ),
        ),
        (
            "HS256 keyed with the RSA modulus",
            hs256(
                &json!({"alg":"HS256","kid":rsa["kid"],"typ":typ}),
                &claims,
                &n,
            ),
        ),
        (
            "HS256 keyed with the JWKS document",
            hs256(
                &json!({"alg":"HS256","typ":typ}),
                &claims,
                jwks.to_string().as_bytes(),
            ),
        ),
        (
            "RS256 header with an HMAC signature",
            hs256(
                &json!({"alg":"RS256","kid":rsa["kid"],"typ":typ}),
                &claims,
                &n,
            ),
        ),
        (
            "ES256 header with the RSA kid",
            es256(
                &akp,
                &json!({"alg":"ES256","kid":rsa["kid"],"typ":typ}),
                &claims,
            ),
        ),
        (
            "embedded attacker jwk",
            es256(&akp, &json!({"alg":"ES256","jwk":ajwk,"typ":typ}), &claims),
        ),
        ("tampered payload", tampered),
        (
            "signature stripped",
            real.rsplit_once('.').unwrap().0.to_string() + ".",
        ),
        ("two dots more", format!("{real}..")),
        ("10 KB of garbage", big(10_000)),
    ]
}

#[tokio::test]
async fn resource_endpoints_and_logout_refuse_forged_tokens() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client(r#","sso":true"#);
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let secret = conf["client_secret"].as_str().unwrap().to_string();
        let other = s.client(r#","sso":true"#);
        let oid = other["client_id"].as_str().unwrap().to_string();
        let osecret = other["client_secret"].as_str().unwrap().to_string();
        let public = s.client(r#","token_endpoint_auth_method":"none""#);
        let pid = public["client_id"].as_str().unwrap().to_string();
        let email = format!("u{}@example.com", random_id());
        s.account(&email);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, &cid, "");
        let landed = sign_in_with_password(&s, &mut b, &url, &email).await;
        let tokens = exchange(&s, &conf, &query(&landed)["code"], &flow.verifier).await;
        let at = tokens["access_token"].as_str().unwrap().to_string();
        let idt = tokens["id_token"].as_str().unwrap().to_string();
        let rt = tokens["refresh_token"].as_str().unwrap().to_string();
        let jwks: Value = reqwest::get(format!("{}/jwks", s.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();

        let bad_token = "invalid, expired or revoked";
        let mut cases = vec![
            case(
                "UserInfo without a token",
                get("/userinfo"),
                OAuth(401, "invalid_request", "no access token"),
            ),
            case(
                "UserInfo with the ID token",
                get("/userinfo").bearer(&idt),
                OAuth(401, "invalid_token", bad_token),
            ),
            case(
                "UserInfo with the refresh token",
                get("/userinfo").bearer(&rt),
                OAuth(401, "invalid_token", bad_token),
            ),
            case(
                "UserInfo token in header and form",
                post("/userinfo", format!("access_token={at}")).bearer(&at),
                OAuth(400, "invalid_request", "one place"),
            ),
            case(
                "UserInfo duplicate form token",
                post("/userinfo", format!("access_token={at}&access_token=x")),
                OAuth(400, "invalid_request", "more than once"),
            ),
            case(
                "UserInfo form token with NUL",
                post("/userinfo", format!("access_token={at}%00")),
                OAuth(401, "invalid_token", bad_token),
            ),
            case(
                "UserInfo Basic instead of Bearer",
                get("/userinfo").basic(&cid, &secret),
                OAuth(401, "invalid_request", "no access token"),
            ),
        ];
        for (name, forged) in forgeries(&at, &jwks, "at+jwt") {
            cases.push(case(
                format!("UserInfo: {name}"),
                get("/userinfo").bearer(&forged),
                OAuth(401, "invalid_token", bad_token),
            ));
        }
        for (name, forged) in forgeries(&at, &jwks, "at+jwt").into_iter().take(5) {
            cases.push(case(
                format!("native logout: {name}"),
                post("/logout", "").bearer(&forged),
                OAuth(401, "invalid_token", bad_token),
            ));
        }
        let not_ours = "not a valid ID token from this server";
        for (name, forged) in forgeries(&idt, &jwks, "JWT") {
            cases.push(case(
                format!("logout id_token_hint: {name}"),
                get(format!("/logout?id_token_hint={}", enc(&forged))).cookies(&b),
                Page(400, not_ours),
            ));
        }
        let not_registered = "post_logout_redirect_uri is not registered";
        let lo = |q: String| get(format!("/logout?{q}")).cookies(&b);
        cases.extend([
            case(
                "logout redirect unregistered",
                lo(format!(
                    "client_id={cid}&post_logout_redirect_uri={}",
                    enc("https://evil.example/")
                )),
                Page(400, not_registered),
            ),
            case(
                "logout redirect prefix",
                lo(format!(
                    "client_id={cid}&post_logout_redirect_uri={}",
                    enc("http://127.0.0.1:9/by")
                )),
                Page(400, not_registered),
            ),
            case(
                "logout redirect suffix",
                lo(format!(
                    "client_id={cid}&post_logout_redirect_uri={}",
                    enc("http://127.0.0.1:9/bye/../evil")
                )),
                Page(400, not_registered),
            ),
            case(
                "logout redirect userinfo",
                lo(format!(
                    "client_id={cid}&post_logout_redirect_uri={}",
                    enc("http://evil@127.0.0.1:9/bye")
                )),
                Page(400, not_registered),
            ),
            case(
                "logout redirect of the sign-in",
                lo(format!(
                    "client_id={cid}&post_logout_redirect_uri={}",
                    enc(REDIRECT)
                )),
                Page(400, not_registered),
            ),
            case(
                "logout redirect with the hint",
                lo(format!(
                    "id_token_hint={idt}&post_logout_redirect_uri={}",
                    enc("https://evil.example/")
                )),
                Page(400, not_registered),
            ),
            case(
                "logout redirect without a client",
                lo(format!("post_logout_redirect_uri={}", enc(BYE))),
                Page(400, "needs client_id"),
            ),
            case(
                "logout redirect for a client_id with NUL",
                lo(format!(
                    "client_id=a%00&post_logout_redirect_uri={}",
                    enc(BYE)
                )),
                Page(400, "not registered"),
            ),
            case(
                "logout redirect for an unknown client",
                lo(format!(
                    "client_id={}&post_logout_redirect_uri={}",
                    enc(SQLI),
                    enc(BYE)
                )),
                Page(400, "not registered"),
            ),
            case(
                "logout client_id not the hint's",
                lo(format!("id_token_hint={idt}&client_id={oid}")),
                Page(400, "does not match"),
            ),
            case(
                "logout duplicate parameters",
                lo(format!("id_token_hint={idt}&id_token_hint={idt}")),
                Page(400, "more than once"),
            ),
            case(
                "logout POST with a forged CSRF token",
                post("/logout", format!("csrf={}", random_token())).cookies(&b),
                Confirm,
            ),
            case(
                "logout POST without a CSRF token",
                post("/logout", "").cookies(&b),
                Confirm,
            ),
            case(
                "logout GET with a CSRF token",
                lo(format!("csrf={}", random_token())),
                Confirm,
            ),
            case(
                "revoke without client authentication",
                post("/revoke", format!("token={rt}")),
                OAuth(401, "invalid_client", ""),
            ),
            case(
                "revoke with a wrong secret",
                post("/revoke", format!("token={rt}")).basic(&cid, "x"),
                OAuth(401, "invalid_client", ""),
            ),
            case(
                "revoke without a token",
                post("/revoke", "").basic(&cid, &secret),
                OAuth(400, "invalid_request", "token"),
            ),
            case(
                "revoke duplicate token",
                post("/revoke", format!("token={}&token={rt}", random_token()))
                    .basic(&cid, &secret),
                OAuth(400, "invalid_request", "more than once"),
            ),
            case(
                "revoke another client's refresh token",
                post("/revoke", format!("token={rt}")).basic(&oid, &osecret),
                RevokeNoop,
            ),
            case(
                "revoke another client's access token",
                post("/revoke", format!("token={at}")).basic(&oid, &osecret),
                RevokeNoop,
            ),
            case(
                "revoke a forged access token",
                post(
                    "/revoke",
                    format!("token={}", enc(&forgeries(&at, &jwks, "at+jwt")[3].1)),
                )
                .basic(&cid, &secret),
                RevokeNoop,
            ),
            case(
                "introspect without client authentication",
                post("/introspect", format!("token={at}")),
                OAuth(401, "invalid_client", ""),
            ),
            case(
                "introspect by a public client",
                post("/introspect", format!("token={at}&client_id={pid}")),
                OAuth(401, "invalid_client", "public"),
            ),
            case(
                "introspect duplicate token",
                post("/introspect", format!("token=x&token={at}")).basic(&cid, &secret),
                OAuth(400, "invalid_request", "more than once"),
            ),
            case(
                "introspect a forged token",
                post(
                    "/introspect",
                    format!("token={}", enc(&forgeries(&at, &jwks, "at+jwt")[0].1)),
                )
                .basic(&cid, &secret),
                Inactive,
            ),
            case(
                "introspect SQL injection",
                post("/introspect", format!("token={}", enc(SQLI))).basic(&cid, &secret),
                Inactive,
            ),
        ]);
        let n = run(&s, cases).await;
        assert!(n >= 50, "{n}");

        // None of it touched the real tokens or the session.
        let ui = reqwest::Client::new()
            .get(format!("{}/userinfo", s.base))
            .bearer_auth(&at)
            .send()
            .await
            .unwrap();
        assert_eq!(ui.status(), 200);
        let a = b
            .get(&format!("{}{}", s.base, authz(&cid, "&prompt=none")))
            .await;
        assert!(
            query(a.location.as_deref().unwrap()).contains_key("code"),
            "SSO survived"
        );
    }
}

#[tokio::test]
async fn admin_api_and_transport_refuse_hostile_input() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client("");
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let admin = s.admin.clone();
        let meta = |extra: &str| {
            format!(r#"{{"client_name":"X","redirect_uris":["https://rp.example/cb"]{extra}}}"#)
        };
        let create = |body: String| {
            post("/admin/clients", body)
                .bearer(&admin)
                .header("content-type", "application/json")
        };
        let bad_meta = |t: &'static str| OAuth(400, "invalid_client_metadata", t);
        let bad_uri = OAuth(400, "invalid_redirect_uri", "");
        let raw_get = |target: &[u8]| {
            Req::Raw(
                [
                    b"GET ".as_slice(),
                    target,
                    b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                ]
                .concat(),
            )
        };
        let cases = vec![
        case("admin without a token", get("/admin/clients"), OAuth(401, "invalid_token", "")),
        case("admin with a wrong token", get("/admin/clients").bearer(&random_token()), OAuth(401, "invalid_token", "")),
        case("admin token SQL injection", get("/admin/clients").bearer(SQLI), OAuth(401, "invalid_token", "")),
        case("admin token as Basic", get("/admin/clients").basic("admin", &admin), OAuth(401, "invalid_token", "")),
        case("admin token prefix", get("/admin/clients").bearer(&admin[..admin.len() - 1]), OAuth(401, "invalid_token", "")),
        case("admin create without a token", post("/admin/clients", meta("")), OAuth(401, "invalid_token", "")),
        case("admin delete without a token", method("DELETE", format!("/admin/clients/{cid}"), ""), OAuth(401, "invalid_token", "")),
        case("client JSON invalid", create("{nope".into()), bad_meta("")),
        case("client JSON not UTF-8", post("/admin/clients", b"{\"client_name\":\"\xff\"}".to_vec()).bearer(&admin), bad_meta("UTF-8")),
        case("client JSON nested 100000 deep", create("[".repeat(100_000)), bad_meta("")),
        case("client unknown field", create(meta(r#","is_admin":true"#)), bad_meta("unknown field")),
        case("client duplicate key", create(meta(r#","client_name":"Y""#)), bad_meta("duplicate")),
        case("client_id SQL injection", create(meta(&format!(r#","client_id":{}"#, json!(SQLI)))), bad_meta("client_id")),
        case("client_id taken", create(meta(&format!(r#","client_id":"{cid}""#))), bad_meta("already exists")),
        case("client name 10 KB", create(meta("").replace("\"X\"", &json!(big(10_000)).to_string())), bad_meta("client_name")),
        case("client header colour CSS injection", create(meta(r#","branding":{"header_color":"red;}body{display:none"}"#)), bad_meta("header_color")),
        case("client logo javascript", create(meta(r#","logo_uri":"javascript:alert(1)""#)), bad_meta("logo_uri")),
        case("redirect javascript", create(r#"{"redirect_uris":["javascript:alert(1)"]}"#.into()), bad_uri),
        case("redirect data", create(r#"{"redirect_uris":["data:text/html,<script>alert(1)</script>"]}"#.into()), OAuth(400, "invalid_redirect_uri", "")),
        case("redirect fragment", create(r#"{"redirect_uris":["https://rp.example/cb#x"]}"#.into()), OAuth(400, "invalid_redirect_uri", "fragment")),
        case("redirect userinfo", create(r#"{"redirect_uris":["https://rp.example@evil.example/cb"]}"#.into()), OAuth(400, "invalid_redirect_uri", "user information")),
        case("redirect plain http", create(r#"{"redirect_uris":["http://rp.example/cb"]}"#.into()), OAuth(400, "invalid_redirect_uri", "https")),
        case("redirect with CRLF", create(r#"{"redirect_uris":["https://rp.example/cb\r\nX: y"]}"#.into()), OAuth(400, "invalid_redirect_uri", "")),
        case("redirect relative", create(r#"{"redirect_uris":["//evil.example/cb"]}"#.into()), OAuth(400, "invalid_redirect_uri", "")),
        case("client body of 3 MB", create(meta(&format!(r#","x":"{}""#, big(3 << 20)))), Status(413)),
        case("client update changing its id", method("PUT", format!("/admin/clients/{cid}"), meta(r#","client_id":"other""#)).bearer(&admin), bad_meta("cannot be changed")),
        case("client update of an unknown id", method("PUT", format!("/admin/clients/{}", enc(SQLI)), meta("")).bearer(&admin), Status(404)),
        case("client delete SQL injection", method("DELETE", format!("/admin/clients/{}", enc(SQLI)), "").bearer(&admin), Status(404)),
        case("client show wildcard", get("/admin/clients/%25").bearer(&admin), Status(404)),
        case("client show NUL", get("/admin/clients/%00").bearer(&admin), Status(404)),
        case("client delete NUL", method("DELETE", "/admin/clients/a%00", "").bearer(&admin), Status(404)),
        case("client update NUL", method("PUT", "/admin/clients/%00", meta("")).bearer(&admin), Status(404)),
        case("unknown path", get("/.env"), Status(404)),
        case("wrong method on /token", method("PUT", "/token", "grant_type=x"), Status(405)),
        case("wrong method on /authorize", method("DELETE", "/authorize", ""), Status(405)),
        case("raw path traversal", raw_get(b"/assets/../../../../etc/passwd"), Status(404)),
        case("raw encoded traversal", raw_get(b"/assets/..%2f..%2f..%2fetc%2fpasswd"), Status(404)),
        case("raw invalid UTF-8 in the query", raw_get(b"/authorize?client_id=\xff\xfe"), Status(400)),
        case("raw control character in the target", raw_get(b"/authorize?client_id=\x01"), Status(400)),
        case("raw URI of 70 KB", raw_get(format!("/authorize?client_id={}", big(70_000)).as_bytes()), Status(414)),
        case("raw header of 500 KB", Req::Raw(format!("GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: cid_session={}\r\nConnection: close\r\n\r\n", big(500_000)).into_bytes()), StatusOrReset(431)),
        // Transfer-Encoding wins over Content-Length (RFC 9112 §6.1): the body is the empty
        // chunked one, and the request hidden after it is not answered as a second one.
        case("raw request smuggling (CL and TE)", Req::Raw(b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin/clients HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()), Status(401)),
        case("raw header without a colon", Req::Raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nnonsense\r\nConnection: close\r\n\r\n".to_vec()), Status(400)),
        case("raw not HTTP", Req::Raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n".to_vec()), Status(400)),
    ];
        let n = run(&s, cases).await;
        assert!(n >= 40, "{n}");
    }
}

/// The endpoints added after the first tables: My account (signed in, with the forms' CSRF
/// tokens), the forward-auth resolver, the cellular ticket, native SSO's token exchange.
#[tokio::test]
async fn account_pages_resolver_ticket_and_exchange_refuse_hostile_input() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client(r#","sso":true"#);
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let email = format!("h{}@example.com", random_id());
        s.account(&email);
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, &cid, "");
        sign_in_with_password(&s, &mut b, &url, &email).await;
        let page = b.get(&format!("{}/account", s.base)).await;
        assert_eq!(step(&page.body), "account", "{}", page.body);
        let csrf = attr(&page.body, "name=\"csrf\"", "value");
        // Another person's session and CSRF token.
        let other_email = format!("o{}@example.com", random_id());
        s.account(&other_email);
        let mut other = Browser::new();
        let (url, _) = authorize_url(&s, &cid, "");
        sign_in_with_password(&s, &mut other, &url, &other_email).await;
        let other_page = other.get(&format!("{}/account", s.base)).await;
        let other_csrf = attr(&other_page.body, "name=\"csrf\"", "value");
        let mine = |path: &str, body: String| post(path, body).cookies(&b);
        let expired = "The form has expired";
        let with = |fields: &str| format!("csrf={}&{fields}", enc(&csrf));
        let ticket_err = || OAuth(400, "invalid_request", "ticket");
        let exchange = |extra: &str| {
            post(
                "/token",
                format!(
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=x\
                     &subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&actor_token=y\
                     &actor_token_type=urn%3Aopenid%3Aparams%3Atoken-type%3Adevice-secret{extra}"
                ),
            )
            .basic(&cid, conf["client_secret"].as_str().unwrap())
        };
        let cases = vec![
            case("account without a session", get("/account"), Status(303)),
            case(
                "account with a forged session",
                get("/account").header("cookie", "cid_session=forged"),
                Status(303),
            ),
            case(
                "account session SQL injection",
                get("/account").header("cookie", format!("cid_session={}", enc(SQLI))),
                Status(303),
            ),
            case(
                "remove without a session",
                post(
                    "/account/remove",
                    with(&format!("identifier={}", enc(&email))),
                ),
                Status(303),
            ),
            case(
                "remove without a CSRF token",
                mine("/account/remove", format!("identifier={}", enc(&email))),
                Page(403, expired),
            ),
            case(
                "remove with a forged CSRF token",
                mine(
                    "/account/remove",
                    format!("csrf=forged&identifier={}", enc(&email)),
                ),
                Page(403, expired),
            ),
            case(
                "remove with another session's CSRF token",
                mine(
                    "/account/remove",
                    format!("csrf={}&identifier={}", enc(&other_csrf), enc(&email)),
                ),
                Page(403, expired),
            ),
            case(
                "remove with the CSRF token twice",
                mine(
                    "/account/remove",
                    format!(
                        "csrf={c}&csrf={c}&identifier={}",
                        enc(&email),
                        c = enc(&csrf)
                    ),
                ),
                Page(403, expired),
            ),
            case(
                "remove the last identifier",
                mine(
                    "/account/remove",
                    with(&format!("identifier={}&confirm=yes", enc(&email))),
                ),
                Page(400, "last phone number or email"),
            ),
            case(
                "remove another account's email",
                mine(
                    "/account/remove",
                    with(&format!("identifier={}", enc(&other_email))),
                ),
                Page(400, expired),
            ),
            case(
                "remove SQL injection",
                mine(
                    "/account/remove",
                    with(&format!("identifier={}", enc(SQLI))),
                ),
                Page(400, expired),
            ),
            case(
                "remove XSS",
                mine("/account/remove", with(&format!("identifier={}", enc(XSS)))),
                Page(400, expired),
            ),
            case(
                "remove NUL",
                mine("/account/remove", with("identifier=a%00%40example.com")),
                Page(400, expired),
            ),
            case(
                "remove of 100 KB",
                mine(
                    "/account/remove",
                    with(&format!("identifier={}", big(100_000))),
                ),
                Page(400, expired),
            ),
            case(
                "add of an unknown kind",
                mine("/account/add", with("kind=fax&identifier=%2B4791234567")),
                Page(400, expired),
            ),
            case(
                "add a phone that is an email",
                mine(
                    "/account/add",
                    with(&format!("kind=phone&identifier={}", enc("x@example.com"))),
                ),
                Page(400, "not a valid phone number"),
            ),
            case(
                "add an email that is XSS",
                mine(
                    "/account/add",
                    with(&format!("kind=email&identifier={}", enc(XSS))),
                ),
                Page(400, "not a valid email"),
            ),
            case(
                "add an email with SQL injection",
                mine(
                    "/account/add",
                    with(&format!("kind=email&identifier={}", enc(SQLI))),
                ),
                Page(400, "not a valid email"),
            ),
            case(
                "add a phone of 16 digits",
                mine(
                    "/account/add",
                    with("kind=phone&identifier=%2B4791234567890123"),
                ),
                Page(400, "not a valid phone number"),
            ),
            case(
                "add an email with a zero-width space",
                mine(
                    "/account/add",
                    with("kind=email&identifier=a%E2%80%8B%40example.com"),
                ),
                Page(400, "not a valid email"),
            ),
            case(
                "add an email already on the account",
                mine(
                    "/account/add",
                    with(&format!("kind=email&identifier={}", enc(&email))),
                ),
                Page(400, "already on your account"),
            ),
            case(
                "add without a CSRF token",
                mine("/account/add", "kind=phone&identifier=%2B4791234567".into()),
                Page(403, expired),
            ),
            case(
                "verify a forged pending addition",
                mine("/account/add/verify", with("pending=forged&code=123456")),
                Page(400, expired),
            ),
            case(
                "verify without a pending addition",
                mine("/account/add/verify", with("code=123456")),
                Page(400, expired),
            ),
            case(
                "verify SQL injection",
                mine(
                    "/account/add/verify",
                    with(&format!("pending={}&code={}", enc(SQLI), enc(SQLI))),
                ),
                Page(400, expired),
            ),
            case(
                "password too short",
                mine("/account/password", with("new_password=abc")),
                Page(400, "at least 6"),
            ),
            case(
                "password of 129 bytes",
                mine(
                    "/account/password",
                    with(&format!("new_password={}", big(129))),
                ),
                Page(400, "too long"),
            ),
            case(
                "password too common",
                mine("/account/password", with("new_password=password123")),
                Page(400, "too common"),
            ),
            case(
                "password equal to the email",
                mine(
                    "/account/password",
                    with(&format!("new_password={}", enc(&email))),
                ),
                Page(400, "must not be your"),
            ),
            case(
                "password without a CSRF token",
                mine(
                    "/account/password",
                    "new_password=violet%20tractor%201987".into(),
                ),
                Page(403, expired),
            ),
            case(
                "password twice",
                mine(
                    "/account/password",
                    with("new_password=violet%20tractor%201987&new_password=x"),
                ),
                Page(403, expired),
            ),
            case(
                "disconnect without a CSRF token",
                mine("/account/services/disconnect", format!("client_id={cid}")),
                Page(403, expired),
            ),
            case(
                "disconnect nothing",
                mine("/account/services/disconnect", with("client_id=")),
                Page(400, expired),
            ),
            case(
                "disconnect of 10 KB",
                mine(
                    "/account/services/disconnect",
                    with(&format!("client_id={}", big(10_000))),
                ),
                Page(400, expired),
            ),
            case(
                "disconnect an unknown service",
                mine(
                    "/account/services/disconnect",
                    with(&format!("client_id={}", enc(SQLI))),
                ),
                Status(303),
            ),
            case(
                "sign out everywhere without a CSRF token",
                mine("/account/signout-everywhere", String::new()),
                Page(403, expired),
            ),
            case(
                "sign out everywhere, forged token",
                mine("/account/signout-everywhere", "csrf=x".into()),
                Page(403, expired),
            ),
            case(
                "delete without a CSRF token",
                mine("/account/delete", "confirm=yes".into()),
                Page(403, expired),
            ),
            case(
                "delete without confirming",
                mine("/account/delete", with("")),
                Status(303),
            ),
            case(
                "delete with another session's token",
                mine(
                    "/account/delete",
                    format!("csrf={}&confirm=yes", enc(&other_csrf)),
                ),
                Page(403, expired),
            ),
            case(
                "callback without a code",
                get("/account/callback"),
                Page(400, "expired"),
            ),
            case(
                "callback with a forged code",
                get(format!(
                    "/account/callback?code={}&state=%2Faccount",
                    enc(XSS)
                )),
                Page(400, "expired"),
            ),
            case(
                "callback to another site",
                get("/account/callback?code=x&state=https%3A%2F%2Fevil.example%2F"),
                Page(400, "expired"),
            ),
            case(
                "add page of an unknown kind",
                get("/account/add?kind=%3Cscript%3E").cookies(&b),
                Page(404, "does not exist"),
            ),
            case("resolve without a session", get("/resolve"), Status(401)),
            case(
                "resolve with a forged session",
                get("/resolve").header("cookie", "cid_session=forged"),
                Status(401),
            ),
            case(
                "resolve session SQL injection",
                get("/resolve").header("cookie", format!("cid_session={}", enc(SQLI))),
                Status(401),
            ),
            case(
                "resolve with a bad acr",
                get("/resolve/acr/%3Cscript%3E").cookies(&b),
                Status(400),
            ),
            case(
                "resolve with a negative max_age",
                get("/resolve/max_age/-5").cookies(&b),
                Status(400),
            ),
            case(
                "resolve with a huge max_age",
                get("/resolve/max_age/99999999999999999999").cookies(&b),
                Status(400),
            ),
            case(
                "resolve: the protected page's query sets no requirement",
                get("/resolve?acr=%3Cscript%3E&max_age=-5").cookies(&b),
                Status(200),
            ),
            case(
                "resolve: a client that is no proxy names the page",
                get("/resolve")
                    .header("x-original-url", "https://evil.example/")
                    .header("x-forwarded-host", "evil.example")
                    .header("x-forwarded-uri", "/")
                    .header("sec-fetch-mode", "navigate"),
                Status(401),
            ),
            case(
                "resolve sign-in to an unescaped page elsewhere",
                get("/resolve/signin?acr=2&rd=https://evil.example/?a=1&b=2"),
                Page(400, "cannot accept"),
            ),
            case(
                "resolve sign-in without a cookie domain",
                get("/resolve/signin?rd=https%3A%2F%2Fevil.example%2F"),
                Page(400, "cannot accept"),
            ),
            case(
                "resolve sign-in with javascript",
                get("/resolve/signin?rd=javascript%3Aalert(1)"),
                Page(400, "cannot accept"),
            ),
            case(
                "ticket missing",
                get("/mobile-network/identify"),
                ticket_err(),
            ),
            case(
                "ticket too short",
                get("/mobile-network/identify?ticket=abc"),
                ticket_err(),
            ),
            case(
                "ticket XSS",
                get(format!(
                    "/mobile-network/identify?ticket={}",
                    enc(&format!("{XSS}{}", big(40)))
                )),
                ticket_err(),
            ),
            case(
                "ticket SQL injection",
                get(format!(
                    "/mobile-network/identify?ticket={}",
                    enc(&format!("{SQLI}{}", big(40)))
                )),
                ticket_err(),
            ),
            case(
                "ticket of 10 KB",
                get(format!("/mobile-network/identify?ticket={}", big(10_000))),
                ticket_err(),
            ),
            case(
                "ticket off the operator's network",
                get(format!(
                    "/mobile-network/identify?ticket={}&code_challenge={}",
                    big(40),
                    pkce_s256("v")
                ))
                .header("x-msisdn", "+4791234567"),
                OAuth(403, "not_on_mobile_network", ""),
            ),
            case(
                "authorize with a malformed ticket",
                get(authz(&cid, "&mobile_network_ticket=x")),
                Redirect("invalid_request"),
            ),
            case(
                "exchange by a client without the grant",
                exchange(""),
                OAuth(400, "unauthorized_client", ""),
            ),
            case(
                "exchange with the subject token type twice",
                exchange(
                    "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token",
                ),
                OAuth(400, "invalid_request", "more than once"),
            ),
            case(
                "pre-authenticated URL forged",
                get("/preauth/forged"),
                Page(410, "already been used"),
            ),
            case(
                "pre-authenticated URL SQL injection",
                get(format!("/preauth/{}", enc(SQLI))),
                Page(410, "already been used"),
            ),
            case(
                "pre-authenticated URL XSS",
                get(format!("/preauth/{}", enc(XSS))),
                Page(410, "already been used"),
            ),
            case(
                "pre-authenticated URL of 10 KB",
                get(format!("/preauth/{}", big(10_000))),
                Page(410, "already been used"),
            ),
            case(
                "pre-authenticated POST without a CSRF token",
                post("/preauth/forged", ""),
                Page(403, expired),
            ),
            case(
                "pre-authenticated POST with a matching forged pair",
                post("/preauth/forged", "csrf=x").header("cookie", "cid_preauth=x"),
                Page(410, "already been used"),
            ),
            case(
                "pre-authenticated POST with the CSRF token twice",
                post("/preauth/forged", "csrf=x&csrf=x").header("cookie", "cid_preauth=x"),
                Page(403, expired),
            ),
            case(
                "App2App without a token",
                post("/app2app/approve", "authorization_request=client_id%3Dx"),
                OAuth(401, "invalid_token", ""),
            ),
            case(
                "App2App with a forged token",
                post("/app2app/approve", "authorization_request=x").bearer("forged"),
                OAuth(401, "invalid_token", ""),
            ),
            case(
                "App2App token SQL injection",
                post("/app2app/approve", "authorization_request=x").bearer(SQLI),
                OAuth(401, "invalid_token", ""),
            ),
            case(
                "App2App token as Basic",
                post("/app2app/approve", "authorization_request=x").basic(&cid, "x"),
                OAuth(401, "invalid_token", ""),
            ),
            case(
                "App2App body of 3 MB",
                post(
                    "/app2app/approve",
                    format!("authorization_request={}", big(3 << 20)),
                ),
                Status(413),
            ),
        ];
        let n = run(&s, cases).await;
        assert!(n >= 70, "{n}");
    }
}

/// Behind the operator's proxy (security review, findings 1, 3, 7, 9): a repeated or folded
/// phone-number header and a ticket without the request's code_challenge are refused; a
/// foreign ticket, another person's `id_token_hint` and another account's locked hint sign
/// nobody in or out.
#[tokio::test]
async fn the_operator_network_refuses_hostile_assertions() {
    use Expect::*;
    for backend in backends() {
        let s = Server::start_with(
            backend,
            "[mobile_network]\ntrusted_proxies = [\"127.0.0.1/32\"]\n",
        )
        .await;
        let cid = s.client("")["client_id"].as_str().unwrap().to_string();
        // A browser signed in as one person, and another person's ID token.
        let sso = s.client(r#","sso":true"#);
        let sso_id = sso["client_id"].as_str().unwrap().to_string();
        let (me, them) = (
            format!("m{}@example.com", random_id()),
            format!("t{}@example.com", random_id()),
        );
        s.account(&me);
        s.account(&them);
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, &sso_id, "");
        sign_in_with_password(&s, &mut b, &url, &me).await;
        let (url, flow) = authorize_url(&s, &sso_id, "");
        let landed = sign_in_with_password(&s, &mut Browser::new(), &url, &them).await;
        let foreign = exchange(&s, &sso, &query(&landed)["code"], &flow.verifier).await;
        let foreign = foreign["id_token"].as_str().unwrap().to_string();
        // A ticket bound to another request's challenge.
        let ticket = big(40);
        let r = reqwest::Client::new()
            .get(format!(
                "{}/mobile-network/identify?ticket={ticket}&code_challenge={}",
                s.base,
                pkce_s256("the app's own verifier")
            ))
            .header("x-connectid-app", "a")
            .header("x-msisdn", "+4791234568")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let identify = |extra: &str| {
            get(format!(
                "/mobile-network/identify?ticket={}{extra}",
                big(40)
            ))
            .header("x-connectid-app", "a")
            .header("x-msisdn", "+4791234567")
        };
        let raw_get = |path: String, headers: &str| {
            Req::Raw(
                format!("GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n")
                    .into_bytes(),
            )
        };
        let twice = "X-MSISDN: +4791234567\r\nX-MSISDN: +4790000000\r\n";
        let challenge = format!("&code_challenge={}", pkce_s256("v"));
        let cases = vec![
            case(
                "authorize with the number header twice",
                raw_get(authz(&cid, ""), twice),
                Status(400),
            ),
            case(
                "authorize with two numbers folded into one header",
                get(authz(&cid, "")).header("x-msisdn", "+4791234567, +4790000000"),
                Page(400, "more than once"),
            ),
            case(
                "identify with the number header twice",
                raw_get(
                    format!("/mobile-network/identify?ticket={}{challenge}", big(40)),
                    &format!("X-Connectid-App: a\r\n{twice}"),
                ),
                Status(400),
            ),
            case(
                "identify without a code_challenge",
                identify(""),
                OAuth(400, "invalid_request", "code_challenge"),
            ),
            case(
                "identify with a short code_challenge",
                identify("&code_challenge=abc"),
                OAuth(400, "invalid_request", "code_challenge"),
            ),
            case(
                "identify with an injected code_challenge",
                identify(&format!(
                    "&code_challenge={}",
                    enc(&format!("{SQLI}{}", big(43)))
                )),
                OAuth(400, "invalid_request", "code_challenge"),
            ),
            // A foreign ticket is spent and signs nobody in: the pages ask as usual.
            case(
                "authorize with a ticket bound to another request",
                get(authz(&cid, &format!("&mobile_network_ticket={ticket}"))),
                Status(303),
            )
            .may_change(&["interactions"]),
            case(
                "logout with another person's id_token_hint",
                get(format!("/logout?id_token_hint={foreign}")).cookies(&b),
                Confirm,
            ),
            case(
                "authorize with another account's locked login_hint",
                get(authz(
                    &sso_id,
                    &format!("&login_hint={}&login_hint_locked=true", enc(&them)),
                ))
                .cookies(&b),
                Status(303),
            )
            .may_change(&["interactions"]),
        ];
        let n = run(&s, cases).await;
        assert_eq!(n, 9);
    }
}

#[tokio::test]
async fn session_fixation_and_prompt_none_abuse_fail() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let conf = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":true}"#);
        let cid = conf["client_id"].as_str().unwrap().to_string();
        let explicit = s.client_json(&format!(
            r#"{{"redirect_uris":["{REDIRECT}"],"sso":true,"consent":"explicit"}}"#
        ));
        let eid = explicit["client_id"].as_str().unwrap().to_string();
        let no_sso = s.client("");
        let nid = no_sso["client_id"].as_str().unwrap().to_string();
        let victim = format!("v{}@example.com", random_id());
        let attacker = format!("a{}@example.com", random_id());
        let victim_sub = s.account(&victim);
        let attacker_sub = s.account(&attacker);
        let silent = |b: &mut Browser, client: &str| {
            let url = format!("{}{}", s.base, authz(client, "&prompt=none"));
            let mut b = b.clone();
            async move {
                let a = b.get(&url).await;
                query(
                    a.location
                        .as_deref()
                        .unwrap_or_else(|| panic!("{}", a.body)),
                )
            }
        };

        // 1. A session id chosen by the attacker and planted in the victim's browser is not
        //    adopted: signing in makes a new one, and the planted value opens nothing.
        let planted = random_token();
        let mut v = Browser::new();
        v.cookies.insert("cid_session".into(), planted.clone());
        assert_eq!(silent(&mut v, &cid).await["error"], "login_required");
        sign_in_with_password(&s, &mut v, &authorize_url(&s, &cid, "").0, &victim).await;
        let issued = v.cookies["cid_session"].clone();
        assert_ne!(issued, planted, "the planted session id survived sign-in");
        let mut a = Browser::new();
        a.cookies.insert("cid_session".into(), planted);
        assert_eq!(silent(&mut a, &cid).await["error"], "login_required");

        // 2. A real session of the attacker's, planted before the victim signs in again, is
        //    ended by that sign-in: the attacker's cookie stops working, the victim's is new.
        let mut att = Browser::new();
        sign_in_with_password(&s, &mut att, &authorize_url(&s, &cid, "").0, &attacker).await;
        let attackers = att.cookies["cid_session"].clone();
        let mut v2 = Browser::new();
        v2.cookies.insert("cid_session".into(), attackers.clone());
        // With the planted session, re-authentication asks for the attacker's account; the
        // victim chooses "Not you?" and signs in as themself.
        let url = authorize_url(&s, &cid, "&prompt=login").0;
        let p = pending(&s, &mut v2, &url).await;
        assert_eq!(step(&p.body), "password");
        let a = v2
            .post(&format!("{}/restart", p.page), &[("csrf", &p.csrf)])
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let p = pending_page(&s, &mut v2, &p.page).await;
        assert_eq!(step(&p.body), "identifier");
        let p = next_page(&s, &mut v2, &p, &[("identifier", &victim)]).await;
        let a = v2
            .post(&p.action, &[("csrf", &p.csrf), ("password", PASSWORD)])
            .await;
        assert!(a.location.unwrap().starts_with(REDIRECT));
        assert_ne!(v2.cookies["cid_session"], attackers);
        // The new session cookie is out of reach of scripts and of cross-site requests. (No
        // `Secure` here only because the issuer is plain http on loopback.)
        let set = a
            .set_cookies
            .iter()
            .find(|c| c.starts_with("cid_session="))
            .unwrap();
        for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(set.contains(attr), "{set}");
        }
        assert_eq!(silent(&mut att, &cid).await["error"], "login_required");
        // The browser-binding cookie is not a session: planting the attacker's does not let the
        // attacker continue the victim's sign-in (covered case by case in the forms test).

        // 3. prompt=none never signs anyone in, never skips consent, never crosses clients.
        let fresh = Browser::new();
        for client in [&cid, &eid, &nid] {
            let mut f = fresh.clone();
            assert_eq!(silent(&mut f, client).await["error"], "login_required");
        }
        assert_eq!(
            silent(&mut v, &eid).await["error"],
            "consent_required",
            "consent was skipped"
        );
        assert_eq!(
            silent(&mut v, &nid).await["error"],
            "login_required",
            "SSO into a non-SSO client"
        );
        let before = s.snapshot().await;
        let q = silent(&mut v, &cid).await;
        assert!(q.contains_key("code"), "the real session answers silently");
        let after = s.snapshot().await;
        assert_eq!(
            after["sessions"], before["sessions"],
            "prompt=none made a session"
        );
        let url = format!("{}{}", s.base, authz(&cid, "&prompt=none&max_age=-5"));
        let a = v.get(&url).await;
        assert_eq!(
            query(a.location.as_deref().unwrap())["error"],
            "invalid_request"
        );
        // login_hint naming another account changes nothing: the code is for the account
        // of the session, and a silent answer never switches people.
        let (url, flow) = authorize_url(
            &s,
            &cid,
            &format!("&prompt=none&acr_values=2&login_hint={}", enc(&attacker)),
        );
        let a = v.get(&url).await;
        let code = query(a.location.as_deref().unwrap())["code"].clone();
        let tokens = exchange(&s, &conf, &code, &flow.verifier).await;
        let (_, id) = decode(tokens["id_token"].as_str().unwrap());
        assert_eq!(id["sub"], victim_sub.as_str());
        assert_ne!(id["sub"], attacker_sub.as_str());
    }
}

#[tokio::test]
async fn secrets_never_reach_the_logs_or_the_database() {
    let s = Server::binary("debug", Backend::Sqlite, "").await;
    let conf = s.client(r#","sso":true"#);
    let cid = conf["client_id"].as_str().unwrap().to_string();
    let secret = conf["client_secret"].as_str().unwrap().to_string();
    let post_client = s.client(r#","sso":true,"token_endpoint_auth_method":"client_secret_post""#);
    let post_id = post_client["client_id"].as_str().unwrap().to_string();
    let post_secret = post_client["client_secret"].as_str().unwrap().to_string();
    let email = format!("u{}@example.com", random_id());
    s.account(&email);
    let mut secrets: Vec<(String, String)> = vec![
        ("password".into(), PASSWORD.into()),
        ("client secret (basic)".into(), secret.clone()),
        ("client secret (post)".into(), post_secret.clone()),
        ("admin token".into(), s.admin.clone()),
    ];
    let http = reqwest::Client::new();

    // Password sign-in, with a wrong password first.
    let wrong = format!("wrong-{}", random_token());
    secrets.push(("wrong password".into(), wrong.clone()));
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, &cid, "&acr_values=2");
    let p = pending(&s, &mut b, &url).await;
    secrets.push(("CSRF token".into(), p.csrf.clone()));
    secrets.push((
        "sign-in id".into(),
        p.page.rsplit('/').next().unwrap().into(),
    ));
    let p = next_page(&s, &mut b, &p, &[("identifier", &email)]).await;
    let r = b
        .post(&p.action, &[("csrf", &p.csrf), ("password", &wrong)])
        .await;
    assert_eq!(r.status, 400);
    let r = b
        .post(&p.action, &[("csrf", &p.csrf), ("password", PASSWORD)])
        .await;
    let code = query(r.location.as_deref().unwrap())["code"].clone();
    secrets.push(("authorization code".into(), code.clone()));
    secrets.push(("PKCE verifier".into(), flow.verifier.clone()));
    secrets.push(("session cookie".into(), b.cookies["cid_session"].clone()));
    secrets.push(("browser cookie".into(), b.cookies["cid_browser"].clone()));
    let tokens = exchange(&s, &conf, &code, &flow.verifier).await;
    for k in ["access_token", "id_token", "refresh_token"] {
        secrets.push((k.into(), tokens[k].as_str().unwrap().into()));
    }
    // Refresh, UserInfo, introspection, revocation.
    let r: Value = http
        .post(format!("{}/token", s.base))
        .basic_auth(&cid, Some(&secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for k in ["access_token", "id_token", "refresh_token"] {
        secrets.push((format!("refreshed {k}"), r[k].as_str().unwrap().into()));
    }
    let at = r["access_token"].as_str().unwrap();
    assert_eq!(
        http.get(format!("{}/userinfo", s.base))
            .bearer_auth(at)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let intro: Value = http
        .post(format!("{}/introspect", s.base))
        .basic_auth(&cid, Some(&secret))
        .form(&[("token", at)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(intro["active"], true);
    assert_eq!(
        http.post(format!("{}/revoke", s.base))
            .basic_auth(&cid, Some(&secret))
            .form(&[("token", r["refresh_token"].as_str().unwrap())])
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // client_secret_post, through SSO, and a failed attempt with a wrong secret.
    let wrong_secret = random_token();
    secrets.push(("wrong client secret".into(), wrong_secret.clone()));
    let (url, flow) = authorize_url(&s, &post_id, "");
    let a = b.get(&url).await;
    let code = query(a.location.as_deref().unwrap())["code"].clone();
    secrets.push(("authorization code (post)".into(), code.clone()));
    let form = |sec: &str| {
        vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.clone()),
            ("redirect_uri", REDIRECT.to_string()),
            ("code_verifier", flow.verifier.clone()),
            ("client_id", post_id.clone()),
            ("client_secret", sec.to_string()),
        ]
    };
    let r = http
        .post(format!("{}/token", s.base))
        .form(&form(&wrong_secret))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r: Value = http
        .post(format!("{}/token", s.base))
        .form(&form(&post_secret))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    secrets.push((
        "access token (post)".into(),
        r["access_token"].as_str().unwrap().into(),
    ));

    // SMS: a new phone number signs in with a code; a wrong code is tried first.
    let phone = format!("+4799{}", random_digits(6));
    let mut m = Browser::new();
    let (url, flow) = authorize_url(&s, &cid, "");
    let p = pending(&s, &mut m, &url).await;
    let p = next_page(&s, &mut m, &p, &[("identifier", &phone)]).await;
    let otp = s.last_code(&phone);
    let wrong_otp = if otp == "000000" { "111111" } else { "000000" };
    let r = m
        .post(&p.action, &[("csrf", &p.csrf), ("code", wrong_otp)])
        .await;
    assert_eq!(r.status, 400);
    let r = m
        .post(&p.action, &[("csrf", &p.csrf), ("code", &otp)])
        .await;
    let code = query(
        r.location
            .as_deref()
            .unwrap_or_else(|| panic!("{}", r.body)),
    )["code"]
        .clone();
    let tokens = exchange(&s, &conf, &code, &flow.verifier).await;
    secrets.push(("SMS code".into(), otp));
    secrets.push((
        "session cookie (SMS)".into(),
        m.cookies["cid_session"].clone(),
    ));
    secrets.push((
        "access token (SMS)".into(),
        tokens["access_token"].as_str().unwrap().into(),
    ));
    // RP-initiated logout with the ID token in the query string.
    let idt = tokens["id_token"].as_str().unwrap();
    secrets.push(("id_token (SMS)".into(), idt.into()));
    let a = m
        .get(&format!(
            "{}/logout?id_token_hint={idt}&post_logout_redirect_uri={}",
            s.base,
            enc(BYE)
        ))
        .await;
    assert_eq!(a.status, 303);
    // The admin API, with its token.
    let r = http
        .get(format!("{}/admin/clients", s.base))
        .bearer_auth(&s.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let logs = s.logs();
    assert!(
        logs.contains("listening"),
        "the logs were not captured: {logs}"
    );
    assert!(logs.contains("DEBUG"), "nothing was logged at debug level");
    let leaked: Vec<&str> = secrets
        .iter()
        .filter(|(_, v)| appears(&logs, v))
        .map(|(k, _)| k.as_str())
        .collect();
    assert!(leaked.is_empty(), "secrets in the logs: {leaked:?}");

    // Nor in the database: what must be kept is kept as a hash. (The CSRF token lives with
    // the pending sign-in it protects, and the admin token in the configuration file.)
    let db = String::from_utf8_lossy(&s.database_bytes()).to_string();
    assert!(db.len() > 10_000, "the database was not read");
    let at_rest: Vec<&str> = secrets
        .iter()
        .filter(|(k, _)| k != "CSRF token" && k != "admin token")
        .filter(|(_, v)| appears(&db, v))
        .map(|(k, _)| k.as_str())
        .collect();
    assert!(at_rest.is_empty(), "secrets stored in clear: {at_rest:?}");
    assert!(secrets.len() >= 20, "{}", secrets.len());
}

/// Whether `secret` is in `logs` as itself: a 6-digit code counts only where it is not part
/// of a longer number (timestamps are full of digits).
fn appears(logs: &str, secret: &str) -> bool {
    if !secret.bytes().all(|b| b.is_ascii_digit()) {
        return logs.contains(secret);
    }
    logs.match_indices(secret).any(|(i, _)| {
        let before = logs[..i].chars().next_back();
        let after = logs[i + secret.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}
