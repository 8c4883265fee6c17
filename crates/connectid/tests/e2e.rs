//! End-to-end tests: the server as `connectid serve` builds it (the test kit's, in-process),
//! driven over HTTP as a browser and as a relying party would, through the real sign-in pages
//! (no test-only back door).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use connectid_core::crypto::{pkce_s256, random_id, random_token};
use serde_json::Value;
use support::*;

#[tokio::test]
async fn password_sign_in_then_tokens_refresh_revocation_and_logout() {
    for db in backends() {
        password_sign_in_then_tokens_refresh_revocation_and_logout_on(db).await;
    }
}

async fn password_sign_in_then_tokens_refresh_revocation_and_logout_on(db: Db) {
    let s = Server::start_with(db, "").await;
    // SSO above LoA1 needs the "stay signed in" checkbox (seed 003).
    let client = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":true}"#);
    let cid = client["client_id"].as_str().unwrap();
    let email = format!("u{}@example.com", random_id());
    let sub = s.account(&email);
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, cid, "&acr_values=2");
    let (landed, steps) = walk(&s, &mut b, &url, &email).await;
    assert_eq!(steps, ["identifier", "password"]);
    let q = query(&landed);
    assert_eq!(q["state"], flow.state);
    assert_eq!(q["iss"], s.base);
    let r = exchange_response(&s, &client, &q["code"], &flow.verifier).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let tokens: Value = r.json().await.unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["acr"], "2");
    assert_eq!(id["amr"][0], "pwd");
    assert_eq!(id["nonce"], flow.nonce.as_str());
    assert_eq!(id["aud"], cid);
    assert!(id["sid"].is_string() && id["at_hash"].is_string() && id["auth_time"].is_i64());
    assert!(
        id.get("td_sls").is_none(),
        "stay signed in was left checked"
    );

    // The code works once; a second use revokes what the first issued.
    let again = exchange_response(&s, &client, &q["code"], &flow.verifier).await;
    assert_eq!(again.status(), 400);
    assert_eq!(
        again.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    let at = tokens["access_token"].as_str().unwrap();
    let ui = reqwest::Client::new()
        .get(format!("{}/userinfo", s.base))
        .bearer_auth(at)
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status(), 401, "the first use's access token is revoked");

    // A fresh sign-in via SSO: no page at all.
    let (url, flow) = authorize_url(&s, cid, "&acr_values=2");
    let (landed, steps) = walk(&s, &mut b, &url, &email).await;
    assert!(steps.is_empty(), "SSO hit shows no page: {steps:?}");
    let tokens: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    let at = tokens["access_token"].as_str().unwrap();
    let ui: Value = reqwest::Client::new()
        .get(format!("{}/userinfo", s.base))
        .bearer_auth(at)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ui["sub"], sub.as_str());
    assert_eq!(ui["email"], email.as_str());

    // Refresh rotates; presenting the old one again revokes the family.
    let rt = tokens["refresh_token"].as_str().unwrap();
    let refresh = |t: String| {
        let client = client.clone();
        let base = s.base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/token"))
                .basic_auth(
                    client["client_id"].as_str().unwrap(),
                    client["client_secret"].as_str(),
                )
                .form(&[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", t.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r1 = refresh(rt.to_string()).await;
    assert_eq!(r1.status(), 200);
    let new_rt = r1.json::<Value>().await.unwrap()["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(refresh(rt.to_string()).await.status(), 400, "reuse refused");
    assert_eq!(refresh(new_rt).await.status(), 400, "the family is revoked");

    // Introspection says inactive now.
    let intro: Value = reqwest::Client::new()
        .post(format!("{}/introspect", s.base))
        .basic_auth(cid, client["client_secret"].as_str())
        .form(&[("token", at)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(intro["active"], false);

    // Logout with id_token_hint ends the SSO session.
    let hint = tokens["id_token"].as_str().unwrap();
    let out = b
        .get(&format!(
            "{}/logout?id_token_hint={hint}&post_logout_redirect_uri=http://127.0.0.1:9/bye&state=s1",
            s.base
        ))
        .await;
    assert_eq!(out.status, 303);
    assert_eq!(
        out.location.as_deref(),
        Some("http://127.0.0.1:9/bye?state=s1")
    );
    let (url, _) = authorize_url(&s, cid, "&prompt=none");
    let a = b.get(&url).await;
    assert_eq!(
        query(a.location.as_deref().unwrap())["error"],
        "login_required"
    );
}

#[tokio::test]
async fn sms_registration_and_step_up() {
    for db in backends() {
        sms_registration_and_step_up_on(db).await;
    }
}

async fn sms_registration_and_step_up_on(db: Db) {
    let s = Server::start_with(db, "").await;
    let client = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":false}"#);
    let cid = client["client_id"].as_str().unwrap();
    let digits: String = random_id()
        .bytes()
        .take(6)
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    let phone = format!("+4799{digits}");
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, cid, "");
    let (landed, steps) = walk(&s, &mut b, &url, &phone).await;
    assert_eq!(steps, ["identifier", "code"]);
    let tokens: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["acr"], "1");
    assert_eq!(id["td_sls"], true, "stay signed in was unchecked");
    let session_cookie = b.cookies.contains_key("cid_session");
    assert!(session_cookie);

    // Step-up: the same account is asked only for what is missing (a password, set now;
    // the phone was proven by SMS moments ago, so no second code).
    let (url, flow) = authorize_url(&s, cid, "&acr_values=2");
    let (landed, steps) = walk(&s, &mut b, &url, &phone).await;
    assert_eq!(
        steps,
        ["set-password"],
        "no identifier or code step on step-up"
    );
    let tokens: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(claims(tokens["id_token"].as_str().unwrap())["acr"], "2");
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_change_nothing() {
    for db in backends() {
        bad_requests_get_clear_errors_and_change_nothing_on(db).await;
    }
}

async fn bad_requests_get_clear_errors_and_change_nothing_on(db: Db) {
    let s = Server::start_with(db, "").await;
    let client = s.client("");
    let cid = client["client_id"].as_str().unwrap();
    let mut b = Browser::new();
    // Unknown client, unregistered redirect, duplicated parameter: an error page, no redirect.
    for url in [
        format!(
            "{}/authorize?client_id=nope&redirect_uri={REDIRECT}&response_type=code&scope=openid",
            s.base
        ),
        format!(
            "{}/authorize?client_id={cid}&redirect_uri=https://evil.example/cb&response_type=code&scope=openid",
            s.base
        ),
        format!(
            "{}/authorize?client_id={cid}&client_id={cid}&redirect_uri={REDIRECT}&response_type=code&scope=openid",
            s.base
        ),
    ] {
        let a = b.get(&url).await;
        assert_eq!(a.status, 400, "{url}");
        assert!(a.location.is_none());
        assert_eq!(step(&a.body), "error");
        assert!(a.body.contains("role=\"alert\""));
    }
    // Errors about a known client go back to it.
    for (extra, error) in [
        (
            "&code_challenge=abc&code_challenge_method=plain",
            "invalid_request",
        ),
        ("&response_type=token", "unsupported_response_type"),
        ("&prompt=none", "login_required"),
    ] {
        let url = format!(
            "{}/authorize?client_id={cid}&redirect_uri={REDIRECT}&scope=openid&state=st{}{extra}",
            s.base,
            if extra.contains("response_type") {
                ""
            } else {
                "&response_type=code"
            }
        );
        let a = b.get(&url).await;
        let q = query(
            a.location
                .as_deref()
                .unwrap_or_else(|| panic!("{extra}: {}", a.body)),
        );
        assert_eq!(q["error"], error, "{extra}");
        assert_eq!(q["state"], "st");
        assert_eq!(q["iss"], s.base);
    }
    // Token endpoint: wrong secret, unknown grant type.
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(cid, Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_client");
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(cid, client["client_secret"].as_str())
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "unsupported_grant_type"
    );
    // A sign-in form posted without its CSRF token is refused.
    let (url, _) = authorize_url(&s, cid, "");
    let a = b.get(&url).await;
    let page = format!("{}{}", s.base, a.location.unwrap());
    let a = b.get(&page).await;
    assert!(a.body.contains("autocomplete=\"username\""));
    let r = b.post(&page, &[("identifier", "+4799000000")]).await;
    assert_eq!(r.status, 403);
    // Admin API needs the token.
    let r = reqwest::get(format!("{}/admin/clients", s.base))
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = reqwest::Client::new()
        .get(format!("{}/admin/clients", s.base))
        .bearer_auth(&s.admin)
        .send()
        .await
        .unwrap();
    // The service registered above, and the built-in client of the account pages.
    let listed = r.json::<Value>().await.unwrap();
    let mut ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut want = vec![cid, "connectid-account"];
    want.sort_unstable();
    assert_eq!(ids, want);
}

#[test]
fn cli_errors_exit_2_with_one_line() {
    let dir = std::env::temp_dir().join(format!("connectid-cli-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("c.toml");
    std::fs::write(
        &cfg,
        format!(
            "database_url = \"sqlite://{}\"\n",
            dir.join("c.db").display()
        ),
    )
    .unwrap();
    let run = |args: &[&str], stdin: &str, cfg: &std::path::Path| {
        let mut c = Command::new(BIN)
            .arg("--config")
            .arg(cfg)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let o = c.wait_with_output().unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code, err) = run(
        &["clients", "create"],
        r#"{"redirect_uris":["https://a.example/cb#x"]}"#,
        &cfg,
    );
    assert_eq!(code, 2);
    assert!(err.contains("invalid_redirect_uri"), "{err}");
    let (code, err) = run(
        &["clients", "create"],
        r#"{"redirect_uris":["https://a.example/cb"],"colour":1}"#,
        &cfg,
    );
    assert_eq!(code, 2);
    assert!(err.contains("invalid_client_metadata"), "{err}");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[sms]\nprovider = \"pigeon\"\n").unwrap();
    let (code, err) = run(&["migrate"], "", &bad);
    assert_eq!(code, 2);
    assert!(
        err.contains("sms.provider") && err.trim().lines().count() == 1,
        "{err}"
    );
    let (code, _) = run(&["migrate"], "", &dir.join("missing.toml"));
    assert_eq!(code, 2);
    let (code, err) = run(&["accounts", "create", "--phone", "12"], "", &cfg);
    assert_eq!(code, 2, "{err}");
}

/// Re-authenticating the same person keeps the session id: a later logout ends what was
/// issued before the re-authentication too (refresh tokens stop working).
#[tokio::test]
async fn reauthentication_keeps_the_session_so_logout_ends_everything() {
    for db in backends() {
        reauthentication_keeps_the_session_so_logout_ends_everything_on(db).await;
    }
}

async fn reauthentication_keeps_the_session_so_logout_ends_everything_on(db: Db) {
    let s = Server::start_with(db, "").await;
    let client = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":true}"#);
    let cid = client["client_id"].as_str().unwrap();
    let email = format!("r{}@example.com", random_id());
    s.account(&email);
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, cid, "&acr_values=2");
    let (landed, _) = walk(&s, &mut b, &url, &email).await;
    let first: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    let first_sid = claims(first["id_token"].as_str().unwrap())["sid"].clone();

    let (url, flow) = authorize_url(&s, cid, "&acr_values=2&prompt=login");
    let (landed, steps) = walk(&s, &mut b, &url, &email).await;
    assert_eq!(steps, ["password"], "re-authentication of the same account");
    let second: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        claims(second["id_token"].as_str().unwrap())["sid"],
        first_sid,
        "same person, same session id"
    );

    let hint = second["id_token"].as_str().unwrap();
    let out = b
        .get(&format!(
            "{}/logout?id_token_hint={hint}&post_logout_redirect_uri=http://127.0.0.1:9/bye",
            s.base
        ))
        .await;
    assert_eq!(out.status, 303);
    let r = refresh_response(&s, &client, &first).await;
    assert_eq!(
        r.status(),
        400,
        "the refresh token from before re-authentication is revoked"
    );
}

/// "Forgot your password?": a code to the email, a new password; the owner is told on every
/// verified identifier, every other session ends, and the audit log shows it all.
#[tokio::test]
async fn forgot_password_notifies_ends_other_sessions_and_is_audited() {
    for db in backends() {
        forgot_password_notifies_ends_other_sessions_and_is_audited_on(db).await;
    }
}

async fn forgot_password_notifies_ends_other_sessions_and_is_audited_on(db: Db) {
    let s = Server::start_with(db, "").await;
    let client = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":true}"#);
    let cid = client["client_id"].as_str().unwrap();
    let email = format!("f{}@example.com", random_id());
    let sub = s.account(&email);

    // Browser A is signed in.
    let mut a = Browser::new();
    let (url, _) = authorize_url(&s, cid, "&acr_values=2");
    let (_, steps) = walk(&s, &mut a, &url, &email).await;
    assert_eq!(steps, ["identifier", "password"]);

    // Browser B forgot the password.
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, cid, "&acr_values=2");
    let mut page = b.get(&url).await;
    while let Some(loc) = page.location.clone() {
        page = b.get(&format!("{}{loc}", s.base)).await;
    }
    let csrf = attr(&page.body, "name=\"csrf\"", "value");
    let action = format!("{}{}", s.base, form_action(&page.body));
    let r = b
        .post(&action, &[("csrf", &csrf), ("identifier", &email)])
        .await;
    let page = b.get(&format!("{}{}", s.base, r.location.unwrap())).await;
    assert_eq!(step(&page.body), "password");
    let r = b
        .post(&format!("{action}/forgot"), &[("csrf", &csrf)])
        .await;
    let page = b.get(&format!("{}{}", s.base, r.location.unwrap())).await;
    assert_eq!(step(&page.body), "code");
    let code = s.last_code(&email);
    let r = b.post(&action, &[("csrf", &csrf), ("code", &code)]).await;
    let page = b.get(&format!("{}{}", s.base, r.location.unwrap())).await;
    assert_eq!(step(&page.body), "set-password");
    let r = b
        .post(
            &action,
            &[("csrf", &csrf), ("new_password", "a brand new secret 9")],
        )
        .await;
    let landed = r.location.unwrap();
    assert!(landed.starts_with(REDIRECT), "{landed}");
    let tokens: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        claims(tokens["id_token"].as_str().unwrap())["sub"],
        sub.as_str()
    );

    // The owner is told.
    let outbox = std::fs::read_to_string(s.dir.join("outbox.jsonl")).unwrap();
    assert!(
        outbox.lines().any(|l| {
            let m: Value = serde_json::from_str(l).unwrap();
            m["purpose"] == "password_changed" && m["to"] == email.as_str()
        }),
        "no password change notice"
    );
    // Browser A's session has ended.
    let (url, _) = authorize_url(&s, cid, "&prompt=none");
    let r = a.get(&url).await;
    assert_eq!(
        query(r.location.as_deref().unwrap())["error"],
        "login_required"
    );

    // `connectid audit` shows the change and the sign-ins, with the address.
    let (code, out, err) = s.cli(&["audit", "--kind", "password_changed"], "");
    assert_eq!(code, 0, "{err}");
    let ev: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(ev["account"], sub.as_str());
    assert_eq!(ev["client"], cid);
    assert_eq!(ev["ip"], "127.0.0.1");
    let (code, out, _) = s.cli(&["audit", "--account", &sub, "--since", "3600"], "");
    assert_eq!(code, 0);
    let kinds: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(kinds.contains(&"signin".to_string()), "{kinds:?}");
    let (code, _, err) = s.cli(&["audit", "--since", "yesterday"], "");
    assert_eq!(code, 2, "{err}");
}

/// Limits are enforced through the binary: failed client authentications end in `429` with
/// `Retry-After`, wrong passwords in a page that says how long to wait; the right password
/// is refused too while the limit lasts, and other accounts are not affected.
#[tokio::test]
async fn rate_limits_answer_429_and_a_wait_message() {
    for db in backends() {
        rate_limits_answer_429_and_a_wait_message_on(db).await;
    }
}

async fn rate_limits_answer_429_and_a_wait_message_on(db: Db) {
    let s = Server::start_with(
        db,
        "[rate_limits]\nclient_auth_failures_per_client = { max = 2, per_secs = 600 }\n\
         password_per_identifier = { max = 2, per_secs = 600 }\n",
    )
    .await;
    let client = s.client("");
    let cid = client["client_id"].as_str().unwrap();
    let bad = || {
        reqwest::Client::new()
            .post(format!("{}/token", s.base))
            .basic_auth(cid, Some("wrong-secret-wrong-secret-wrong-secret"))
            .form(&[("grant_type", "client_credentials")])
            .send()
    };
    assert_eq!(bad().await.unwrap().status(), 401);
    assert_eq!(bad().await.unwrap().status(), 401);
    let limited = bad().await.unwrap();
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    assert_eq!(limited.json::<Value>().await.unwrap()["error"], "slow_down");

    let email = format!("l{}@example.com", random_id());
    s.account(&email);
    let other = format!("o{}@example.com", random_id());
    s.account(&other);
    let mut b = Browser::new();
    let (url, _) = authorize_url(&s, cid, "&acr_values=2");
    let mut page = b.get(&url).await;
    while let Some(loc) = page.location.clone() {
        page = b.get(&format!("{}{loc}", s.base)).await;
    }
    let csrf = attr(&page.body, "name=\"csrf\"", "value");
    let action = format!("{}{}", s.base, form_action(&page.body));
    b.post(&action, &[("csrf", &csrf), ("identifier", &email)])
        .await;
    for _ in 0..2 {
        let r = b
            .post(&action, &[("csrf", &csrf), ("password", "not it at all")])
            .await;
        assert_eq!(r.status, 400);
    }
    let r = b
        .post(&action, &[("csrf", &csrf), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, 400, "the right password waits too");
    assert!(r.body.contains("role=\"alert\""));
    assert!(r.body.contains("Wait"), "says how long: {}", r.body);

    // Another account from the same address is not affected.
    let mut c = Browser::new();
    let (url, _) = authorize_url(&s, cid, "&acr_values=2");
    let (_, steps) = walk(&s, &mut c, &url, &other).await;
    assert_eq!(steps, ["identifier", "password"]);
}

/// Starts the sign-in pages for `client` and submits `identifier`; returns the step shown.
async fn submit_identifier(
    s: &Server,
    b: &mut Browser,
    client_id: &str,
    identifier: &str,
) -> String {
    step(&identifier_answer(s, b, client_id, identifier).await)
}

/// Like [`submit_identifier`], but the whole page the person sees next.
async fn identifier_answer(
    s: &Server,
    b: &mut Browser,
    client_id: &str,
    identifier: &str,
) -> String {
    let (url, _) = authorize_url(s, client_id, "");
    let mut page = b.get(&url).await;
    while let Some(loc) = page.location.clone() {
        page = b.get(&format!("{}{loc}", s.base)).await;
    }
    let csrf = attr(&page.body, "name=\"csrf\"", "value");
    let action = format!("{}{}", s.base, form_action(&page.body));
    let mut r = b
        .post(&action, &[("csrf", &csrf), ("identifier", identifier)])
        .await;
    while let Some(loc) = r.location.clone() {
        r = b.get(&format!("{}{loc}", s.base)).await;
    }
    r.body
}

/// SMS through the webhook provider: the gateway gets the outbox JSON, signed as Standard
/// Webhooks signs (and with the older HMAC-SHA256 over "<timestamp>.<body>"), and a 5xx is
/// retried under the same message id.
#[tokio::test]
async fn sms_webhook_is_signed_and_retried() {
    use base64::Engine;
    use std::sync::{Arc, Mutex};
    type Seen = Arc<Mutex<Vec<(String, String, Vec<u8>, [String; 3])>>>;
    let seen: Seen = Arc::default();
    let app = axum::Router::new()
        .route(
            "/sms",
            axum::routing::post(
                |axum::extract::State(seen): axum::extract::State<Seen>,
                 headers: axum::http::HeaderMap,
                 body: axum::body::Bytes| async move {
                    let h = |k: &str| headers[k].to_str().unwrap().to_string();
                    let mut all = seen.lock().unwrap();
                    all.push((
                        h("x-connectid-timestamp"),
                        h("x-connectid-signature"),
                        body.to_vec(),
                        [
                            h("webhook-id"),
                            h("webhook-timestamp"),
                            h("webhook-signature"),
                        ],
                    ));
                    // The first delivery fails: the provider must try again.
                    if all.len() == 1 {
                        axum::http::StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        axum::http::StatusCode::OK
                    }
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    // A secret as the Standard Webhooks libraries write them: whsec_ and base64.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let s = Server::start_with(
        Db::Sqlite,
        &format!(
            "[sms]\nprovider = \"webhook\"\nwebhook_url = \"http://127.0.0.1:{port}/sms\"\n\
             webhook_secret = \"{secret}\"\n"
        ),
    )
    .await;
    let client = s.client("");
    let mut b = Browser::new();
    let phone = "+4791234567";
    let st = submit_identifier(&s, &mut b, client["client_id"].as_str().unwrap(), phone).await;
    assert_eq!(st, "code");
    // Delivery happens off the request path: wait for the retry to arrive.
    let mut all = Vec::new();
    for _ in 0..100 {
        all = seen.lock().unwrap().clone();
        if all.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(all.len(), 2, "one failure, one retry");
    let key = base64::engine::general_purpose::STANDARD
        .decode(&secret["whsec_".len()..])
        .unwrap();
    for (ts, sig, body, [id, wts, wsig]) in &all {
        let mut signed = format!("{ts}.").into_bytes();
        signed.extend_from_slice(body);
        let want = format!(
            "sha256={}",
            connectid_core::crypto::hmac_sha256_hex(secret.as_bytes(), &signed)
        );
        assert_eq!(sig, &want);
        // Standard Webhooks: v1, base64 of HMAC-SHA256 keyed with the decoded secret over
        // "<id>.<timestamp>.<body>".
        let mut signed = format!("{id}.{wts}.").into_bytes();
        signed.extend_from_slice(body);
        let mac = hex_decode(&connectid_core::crypto::hmac_sha256_hex(&key, &signed));
        let want = format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(mac)
        );
        assert_eq!(wsig, &want);
        assert_eq!(wts, ts);
    }
    assert_eq!(all[0].3[0], all[1].3[0], "a retry keeps its webhook-id");
    assert!(all[0].3[0].starts_with("msg_"));
    let msg: Value = serde_json::from_slice(&all[1].2).unwrap();
    assert_eq!(msg["channel"], "sms");
    assert_eq!(msg["to"], phone);
    assert_eq!(msg["purpose"], "signin");
    assert!(msg["body"].as_str().unwrap().contains("#"), "WebOTP line");
}

/// Codes go out off the request path. The gateway here holds every delivery until the test
/// lets it go: the code page still comes back at once, for a number with an account and for
/// one without, and the two pages are the same but for the per-sign-in tokens. So neither the
/// gateway's latency (seconds, with retries) nor which numbers have accounts shows in the
/// answer — checked by what was held, not by a clock.
#[tokio::test]
async fn codes_are_sent_off_the_request_path() {
    use std::sync::Arc;
    use tokio::sync::{Semaphore, mpsc};
    let gate = Arc::new(Semaphore::new(0));
    let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<Value>();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post({
            let gate = gate.clone();
            move |body: axum::body::Bytes| {
                let gate = gate.clone();
                let arrived_tx = arrived_tx.clone();
                async move {
                    arrived_tx
                        .send(serde_json::from_slice(&body).unwrap())
                        .unwrap();
                    let _held = gate.acquire().await.unwrap();
                    axum::http::StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let s = Server::start_with(
        Db::Sqlite,
        &format!(
            "[sms]\nprovider = \"webhook\"\nwebhook_url = \"http://127.0.0.1:{port}/sms\"\n\
             webhook_secret = \"s3cret-for-the-test\"\n"
        ),
    )
    .await;
    let client = s.client("");
    let cid = client["client_id"].as_str().unwrap();
    let known = "+4791100001";
    let unknown = "+4791100002";
    let (code, _, err) = s.cli(&["accounts", "create", "--phone", known], "");
    assert_eq!(code, 0, "{err}");
    let mut pages = Vec::new();
    for phone in [known, unknown] {
        // Were the answer waiting on the held gateway, it would end in the provider's
        // time-out and an error page, not in the code step.
        let page = tokio::time::timeout(
            Duration::from_secs(60),
            identifier_answer(&s, &mut Browser::new(), cid, phone),
        )
        .await
        .expect("the answer must not wait for the gateway");
        assert_eq!(
            step(&page),
            "code",
            "the answer waited for the gateway: {page}"
        );
        // The message did reach the gateway, which still holds it.
        let msg = tokio::time::timeout(Duration::from_secs(10), arrived.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(msg["to"], phone);
        pages.push(page);
    }
    assert_eq!(gate.available_permits(), 0, "nothing was let through yet");
    let masked: Vec<String> = pages
        .iter()
        .map(|p| {
            let mut p = p.clone();
            for n in [known, unknown] {
                let shown = connectid_core::identifier::display_phone(n).unwrap();
                p = p.replace(n, "PHONE").replace(&shown, "PHONE");
            }
            mask_values(&p)
        })
        .collect();
    assert_eq!(
        masked[0], masked[1],
        "known and unknown numbers see the same page"
    );
    gate.add_permits(2);
}

/// The page with every `value`, `action` and `href` attribute emptied: what is left is what
/// the person reads, without the per-sign-in ids and CSRF tokens.
fn mask_values(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = ["value=\"", "action=\"", "href=\""]
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i, k.len())))
        .min()
    {
        let (i, len) = at;
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Email through SMTP, to a minimal SMTP server in the test.
#[tokio::test]
async fn email_goes_out_over_smtp() {
    let (port, mut rx) = smtp_server().await;
    let s = Server::start_with(
        Db::Sqlite,
        &format!(
            "[email]\nprovider = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:{port}\"\n\
             from = \"CONNECT ID <id@example.com>\"\n"
        ),
    )
    .await;
    let client = s.client("");
    let mut b = Browser::new();
    let email = format!("m{}@example.com", random_id().to_ascii_lowercase());
    let st = submit_identifier(&s, &mut b, client["client_id"].as_str().unwrap(), &email).await;
    assert_eq!(st, "code");
    let mail = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(mail.contains(&format!("To: {email}")), "{mail}");
    assert!(
        mail.contains("From: \"CONNECT ID\" <id@example.com>"),
        "{mail}"
    );
    assert!(mail.contains("Subject: Your CONNECT ID code"), "{mail}");
    assert!(
        mail.split(|c: char| !c.is_ascii_digit())
            .any(|w| w.len() == 6),
        "a 6-digit code in {mail}"
    );
}

/// `/metrics` through the binary: the sign-in funnel of a client (one SMS sign-in, then an SSO
/// hit), tokens by grant type, and requests labelled by route template, never by raw path.
#[tokio::test]
async fn metrics_count_the_funnel_requests_and_tokens() {
    let s = Server::start_with(Db::Sqlite, "").await;
    let client = s.client(r#","sso":true"#);
    let cid = client["client_id"].as_str().unwrap();
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, cid, "");
    let (landed, steps) = walk(&s, &mut b, &url, "+4791100003").await;
    assert_eq!(steps, ["identifier", "code"]);
    let r = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier).await;
    assert_eq!(r.status(), 200);
    // The same browser again: answered from the SSO session, no page.
    let (url, _) = authorize_url(&s, cid, "");
    let again = b.get(&url).await;
    assert!(again.location.unwrap().starts_with(REDIRECT));

    let r = reqwest::get(format!("{}/metrics", s.base)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = r.text().await.unwrap();
    let value = |line: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(line)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("{line} not in\n{text}"))
    };
    let funnel = |stage: &str| {
        value(&format!(
            "connectid_signin_funnel_total{{client_id=\"{cid}\",stage=\"{stage}\"}}"
        ))
    };
    assert_eq!(funnel("started"), 1);
    assert_eq!(funnel("identified"), 1);
    assert_eq!(funnel("code_sent"), 1);
    assert_eq!(funnel("verified"), 1);
    assert_eq!(funnel("completed"), 2, "the sign-in and the SSO hit");
    assert_eq!(funnel("sso_hit"), 1);
    assert_eq!(
        value("connectid_tokens_issued_total{grant_type=\"authorization_code\"}"),
        1
    );
    assert!(value("connectid_http_requests_total{route=\"/signin/{id}\",status=\"2xx\"}") >= 2);
    assert_eq!(
        value("connectid_http_requests_total{route=\"/token\",status=\"2xx\"}"),
        1
    );
    assert!(value("connectid_http_request_duration_seconds_count{route=\"/authorize\"}") >= 2);
    assert!(value("process_resident_memory_bytes") > 1_000_000);
    for line in text.lines().filter(|l| l.contains("route=\"/signin")) {
        assert!(line.contains("route=\"/signin/{id}"), "raw path in {line}");
    }

    // With a token, Prometheus must present it.
    let token = "metrics-token-0123456789";
    let s = Server::start_with(Db::Sqlite, &format!("[metrics]\ntoken = \"{token}\"\n")).await;
    let http = reqwest::Client::new();
    let url = format!("{}/metrics", s.base);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 401);
    let wrong = http.get(&url).bearer_auth("metrics-token-0123456788");
    assert_eq!(wrong.send().await.unwrap().status(), 401);
    let right = http.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(right.status(), 200);
}

/// SSO for sites under one parent domain (README: "Sites under one domain"): the session cookie carries the
/// configured `Domain`; `/resolve` answers a reverse proxy's sub-request with who is signed
/// in (200 and headers) or 401; `/resolve/signin` goes back only to sites under the domain.
#[tokio::test]
async fn parent_domain_cookie_and_the_forward_auth_resolver() {
    let s = Server::start_with(Db::Sqlite, "[session]\ncookie_domain = \"127.0.0.1\"\n").await;
    let client = s.client(r#","sso":true"#);
    let cid = client["client_id"].as_str().unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resolve = |query: &str, cookie: Option<String>| {
        let mut r = http.get(format!("{}/resolve{query}", s.base));
        if let Some(c) = cookie {
            r = r.header("cookie", format!("cid_session={c}"));
        }
        r.send()
    };
    let nobody = resolve("", None).await.unwrap();
    assert_eq!(nobody.status(), 401);
    assert_eq!(nobody.headers()["cache-control"], "no-store");
    assert_eq!(
        resolve("", Some("forged".into())).await.unwrap().status(),
        401
    );

    let phone = "+4791100004";
    let mut b = Browser::new();
    let (url, flow) = authorize_url(&s, cid, "");
    let (landed, _) = walk(&s, &mut b, &url, phone).await;
    let session_cookie = b
        .set_cookies
        .iter()
        .find(|c| c.starts_with("cid_session=") && !c.starts_with("cid_session=;"))
        .unwrap();
    assert!(
        session_cookie.contains("; Domain=127.0.0.1"),
        "{session_cookie}"
    );
    let tokens: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    let sub = claims(tokens["id_token"].as_str().unwrap())["sub"].clone();
    let cookie = b.cookies["cid_session"].clone();

    let ok = resolve("", Some(cookie.clone())).await.unwrap();
    assert_eq!(ok.status(), 200);
    let h = |name: &str| ok.headers()[name].to_str().unwrap().to_string();
    assert_eq!(h("x-connectid-sub"), sub.as_str().unwrap());
    assert_eq!(h("x-connectid-acr"), "1");
    assert_eq!(h("x-connectid-amr"), "sms");
    assert_eq!(h("x-connectid-phone"), phone);
    assert!(ok.headers().get("x-connectid-email").is_none());
    assert_eq!(ok.headers()["vary"], "Cookie");
    // A site that needs a password, or a fresher sign-in, is told no.
    assert_eq!(
        resolve("/acr/2", Some(cookie.clone()))
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        resolve("/max_age/86400", Some(cookie.clone()))
            .await
            .unwrap()
            .status(),
        200
    );
    // The query string is the protected page's (Caddy passes it on): never a requirement.
    assert_eq!(
        resolve("?acr=2", Some(cookie.clone()))
            .await
            .unwrap()
            .status(),
        200
    );
    for bad in ["/acr/9", "/max_age/-1", "/max_age/soon"] {
        assert_eq!(
            resolve(bad, Some(cookie.clone())).await.unwrap().status(),
            400,
            "{bad}"
        );
    }

    // The sign-in entry for the proxy's 401 returns only to sites under the cookie domain.
    for evil in [
        "https://evil.example/",
        "https://127.0.0.1.evil.example/",
        "https://evil.example\\@127.0.0.1/",
        "//127.0.0.1/app",
        "javascript:alert(1)",
    ] {
        let a = b
            .get(&format!(
                "{}/resolve/signin?rd={}",
                s.base,
                form_urlencoded::byte_serialize(evil.as_bytes()).collect::<String>()
            ))
            .await;
        assert_eq!(a.status, 400, "{evil}");
        assert!(a.location.is_none(), "{evil}");
    }
    let app = "http://127.0.0.1:9/app?x=1";
    let mut a = b
        .get(&format!(
            "{}/resolve/signin?rd={}",
            s.base,
            form_urlencoded::byte_serialize(app.as_bytes()).collect::<String>()
        ))
        .await;
    // Signed in already: straight through the sign-in (an SSO hit) and back to the site.
    for _ in 0..5 {
        let loc = a.location.clone().unwrap();
        if loc == app {
            break;
        }
        let next = if loc.starts_with("http") {
            loc
        } else {
            format!("{}{loc}", s.base)
        };
        a = b.get(&next).await;
    }
    assert_eq!(a.location.as_deref(), Some(app));

    // Signed out: the proxy hears 401 again.
    let out = http
        .post(format!("{}/logout", s.base))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(resolve("", Some(cookie)).await.unwrap().status(), 401);
}

/// A native Android client with `android_sms_hash` gets SMS Retriever texts (the code, then
/// the app's hash as the last line, no WebOTP line); a web client, or a malformed hash, is
/// refused at registration.
#[tokio::test]
async fn android_apps_get_sms_retriever_texts() {
    let s = Server::start_with(Db::Sqlite, "").await;
    let hash = "FA+9qCX9VSu";
    let app = s.client(&format!(
        r#","application_type":"native","token_endpoint_auth_method":"none","android_sms_hash":"{hash}""#
    ));
    let phone = "+4791100005";
    let st = submit_identifier(
        &s,
        &mut Browser::new(),
        app["client_id"].as_str().unwrap(),
        phone,
    )
    .await;
    assert_eq!(st, "code");
    let text = std::fs::read_to_string(s.dir.join("outbox.jsonl")).unwrap();
    let sms: Value = text
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap();
    let body = sms["body"].as_str().unwrap();
    assert!(body.ends_with(&format!("\n{hash}")), "{body}");
    assert!(!body.contains(" #"), "no WebOTP line: {body}");
    assert!(
        body.split(|c: char| !c.is_ascii_digit())
            .any(|w| w.len() == 6),
        "{body}"
    );
    // A web client's texts keep the WebOTP line.
    let web = s.client("");
    let other = "+4791100006";
    submit_identifier(
        &s,
        &mut Browser::new(),
        web["client_id"].as_str().unwrap(),
        other,
    )
    .await;
    let text = std::fs::read_to_string(s.dir.join("outbox.jsonl")).unwrap();
    let sms: Value = text
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap();
    assert!(
        sms["body"]
            .as_str()
            .unwrap()
            .lines()
            .last()
            .unwrap()
            .starts_with("@127.0.0.1 #")
    );
    for (extra, why) in [
        (format!(r#","android_sms_hash":"{hash}""#), "a web client"),
        (r#","application_type":"native","token_endpoint_auth_method":"none","android_sms_hash":"short""#.to_string(), "too short"),
        (r#","application_type":"native","token_endpoint_auth_method":"none","android_sms_hash":"FA+9qCX9VS<""#.to_string(), "not base64"),
    ] {
        let json = format!(
            r#"{{"client_name":"App","redirect_uris":["{REDIRECT}"],"grant_types":["authorization_code"]{extra}}}"#
        );
        let (code, _, err) = s.cli(&["clients", "create"], &json);
        assert_eq!(code, 2, "{why}: {err}");
        assert!(err.contains("android_sms_hash"), "{why}: {err}");
    }
}

/// Hotspots and Wi-Fi (README: "What works"): an app identifies the number over its cellular interface
/// with a ticket (the operator's proxy adds the number), then its authorization request with
/// that ticket signs in at LoA1 with no page; the ticket works once, and only a request from
/// a trusted proxy with the number can make one.
#[tokio::test]
async fn a_cellular_ticket_signs_in_an_app_on_wi_fi() {
    let s = Server::start_with(
        Db::Sqlite,
        "[mobile_network]\ntrusted_proxies = [\"127.0.0.1/32\"]\n",
    )
    .await;
    let client = s.client("");
    let cid = client["client_id"].as_str().unwrap();
    let http = reqwest::Client::new();
    let ticket = random_token();
    // The app's authorization request, made first: the ticket is bound to its code_challenge.
    let (url, flow) = authorize_url(&s, cid, &format!("&mobile_network_ticket={ticket}"));
    let challenge = pkce_s256(&flow.verifier);
    let identify = |ticket: &str, msisdn: Option<&str>| {
        let mut r = http
            .get(format!(
                "{}/mobile-network/identify?ticket={ticket}&code_challenge={challenge}",
                s.base
            ))
            .header("X-Connectid-App", "test");
        if let Some(m) = msisdn {
            r = r.header("X-MSISDN", m);
        }
        r.send()
    };
    assert_eq!(identify(&ticket, None).await.unwrap().status(), 403);
    assert_eq!(
        identify("short", Some("+4791100007"))
            .await
            .unwrap()
            .status(),
        400
    );
    // A page of another site cannot make the phone's browser identify for its own ticket:
    // without the app's header, or with a browser's cross-site marker, nothing is bound.
    let from_a_page = |extra: Option<(&str, &str)>| {
        let mut r = http
            .get(format!(
                "{}/mobile-network/identify?ticket={ticket}&code_challenge={challenge}",
                s.base
            ))
            .header("X-MSISDN", "+4791100007");
        if let Some((k, v)) = extra {
            r = r.header(k, v).header("X-Connectid-App", "x");
        }
        r.send()
    };
    assert_eq!(from_a_page(None).await.unwrap().status(), 400);
    assert_eq!(
        from_a_page(Some(("Sec-Fetch-Site", "cross-site")))
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        identify(&ticket, Some("+4791100007"))
            .await
            .unwrap()
            .status(),
        204
    );

    // The authorization request comes over Wi-Fi: no number header, only the ticket.
    let mut b = Browser::new();
    let a = b.get(&url).await;
    let landed = a.location.clone().unwrap();
    assert!(
        landed.starts_with(REDIRECT),
        "no page at all: {:?} {}",
        a.location,
        a.body
    );
    let tokens: Value = exchange_response(&s, &client, &query(&landed)["code"], &flow.verifier)
        .await
        .json()
        .await
        .unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["acr"], "1");
    assert_eq!(id["amr"], serde_json::json!(["mca"]));

    // Once only: the same ticket in a new browser shows the identifier page.
    let mut other = Browser::new();
    let mut a = other.get(&url).await;
    while let Some(loc) = a.location.clone() {
        assert!(!loc.starts_with(REDIRECT), "the ticket was used again");
        a = other.get(&format!("{}{loc}", s.base)).await;
    }
    assert_eq!(step(&a.body), "identifier");
    // A malformed ticket is refused like any bad parameter.
    let (url, _) = authorize_url(&s, cid, "&mobile_network_ticket=x");
    let a = Browser::new().get(&url).await;
    assert!(query(a.location.as_deref().unwrap())["error"] == "invalid_request");
}

fn hex_decode(h: &str) -> Vec<u8> {
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
        .collect()
}
