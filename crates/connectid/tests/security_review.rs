//! The findings of the outside security review (issue 22), each replayed as the reviewer did
//! against the server (the test kit's), on SQLite and PostgreSQL: each test failed before its fix.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::crypto::{pkce_s256, random_id, random_token};
use serde_json::Value;
use support::*;

const OPERATOR: &str = "[mobile_network]\ntrusted_proxies = [\"127.0.0.1/32\"]\n";

fn sub_of(tokens: &Value) -> String {
    decode(tokens["id_token"].as_str().unwrap()).1["sub"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Signs `email` in with a password in `b` and returns the tokens the client got.
async fn signed_in(s: &Server, b: &mut Browser, client: &Value, email: &str) -> Value {
    let (url, flow) = authorize_url(s, client["client_id"].as_str().unwrap(), "");
    let landed = sign_in_with_password(s, b, &url, email).await;
    exchange(s, client, &query(&landed)["code"], &flow.verifier).await
}

/// An SSO hit in `b`: whose session the browser holds now.
async fn sso_sub(s: &Server, b: &mut Browser, client: &Value) -> String {
    let (url, flow) = authorize_url(s, client["client_id"].as_str().unwrap(), "");
    let a = b.get(&url).await;
    let loc = a.location.unwrap_or_default();
    assert!(loc.starts_with(REDIRECT), "no SSO hit: {loc} {}", a.body);
    sub_of(&exchange(s, client, &query(&loc)["code"], &flow.verifier).await)
}

async fn userinfo_status(s: &Server, access_token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/userinfo", s.base))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn identify(s: &Server, ticket: &str, challenge: Option<&str>, msisdn: &str) -> u16 {
    let mut url = format!("{}/mobile-network/identify?ticket={ticket}", s.base);
    if let Some(c) = challenge {
        url.push_str(&format!("&code_challenge={c}"));
    }
    reqwest::Client::new()
        .get(url)
        .header("X-Connectid-App", "app")
        .header("X-MSISDN", msisdn)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Finding 1 (high): an attacker on their own mobile data binds a ticket to their number and
/// sends the victim's browser to an authorization request with it. The victim's session must
/// stay theirs, and the answer must be useless to anyone but the app that bound the ticket.
#[tokio::test]
async fn a_cellular_ticket_never_signs_a_browser_in() {
    for backend in backends() {
        let s = Server::start_with(backend, OPERATOR).await;
        let sso = s.client(r#","sso":true"#);
        // A service without SSO: the browser's session does not answer its request.
        let client = s.client("");
        let cid = client["client_id"].as_str().unwrap();
        let email = format!("v{}@example.com", random_id());
        let victim = s.account(&email);
        let mut b = Browser::new();
        let tokens = signed_in(&s, &mut b, &sso, &email).await;
        assert_eq!(sub_of(&tokens), victim);
        let session_cookie = b.cookies.clone();

        // The ticket needs the challenge of the request it will answer.
        let ticket = random_token();
        assert_eq!(identify(&s, &ticket, None, "+4791100011").await, 400);
        let (url, flow) = authorize_url(&s, cid, &format!("&mobile_network_ticket={ticket}"));
        let challenge = pkce_s256(&flow.verifier);
        assert_eq!(
            identify(&s, &ticket, Some(&challenge), "+4791100011").await,
            204
        );

        // The victim's browser opens the attacker's request: a code comes back (the attacker's
        // own flow), but no cookie, and the victim is still signed in as the victim.
        let a = b.get(&url).await;
        let loc = a.location.clone().unwrap_or_default();
        assert!(loc.starts_with(REDIRECT), "{loc} {}", a.body);
        assert!(
            a.set_cookies.iter().all(|c| !c.starts_with("cid_session=")),
            "a ticket set a session cookie: {:?}",
            a.set_cookies
        );
        assert_eq!(b.cookies, session_cookie);
        assert_eq!(sso_sub(&s, &mut b, &sso).await, victim);
        assert_eq!(
            userinfo_status(&s, tokens["access_token"].as_str().unwrap()).await,
            200,
            "the victim's tokens were revoked"
        );
        // The code is the binder's: it needs the verifier of the challenge given at identify.
        let attacker = exchange(&s, &client, &query(&loc)["code"], &flow.verifier).await;
        let id = decode(attacker["id_token"].as_str().unwrap()).1;
        assert_eq!(id["amr"], serde_json::json!(["mca"]));
        assert!(id.get("sid").is_none(), "no browser session, no sid: {id}");

        // A ticket presented with another challenge is spent and answers nothing.
        let ticket = random_token();
        let (_, other) = authorize_url(&s, cid, "");
        let bound = pkce_s256(&other.verifier);
        assert_eq!(
            identify(&s, &ticket, Some(&bound), "+4791100012").await,
            204
        );
        let (url, _) = authorize_url(&s, cid, &format!("&mobile_network_ticket={ticket}"));
        let a = Browser::new().get(&url).await;
        assert!(
            a.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/signin/")),
            "a foreign ticket signed in: {:?}",
            a.location
        );
    }
}

/// Finding 1, the header path: a browser signed in as one person, on a network that asserts
/// another number, is not switched silently: it is asked for that number's code.
#[tokio::test]
async fn the_network_never_switches_a_signed_in_browser_silently() {
    for backend in backends() {
        let s = Server::start_with(backend, OPERATOR).await;
        let sso = s.client(r#","sso":true"#);
        let plain = s.client("");
        let email = format!("v{}@example.com", random_id());
        let victim = s.account(&email);
        let mut b = Browser::new();
        signed_in(&s, &mut b, &sso, &email).await;
        let (url, _) = authorize_url(&s, plain["client_id"].as_str().unwrap(), "");
        let a = b
            .send(b.http.get(&url).header("X-MSISDN", "+4791100013"))
            .await;
        let loc = a.location.clone().unwrap_or_default();
        assert!(loc.starts_with("/signin/"), "signed in silently: {loc}");
        let page = b.get(&format!("{}{loc}", s.base)).await;
        assert_eq!(step(&page.body), "code", "{}", page.body);
        assert_eq!(sso_sub(&s, &mut b, &sso).await, victim);
    }
}

/// An approving app, confidential (client_secret_post), and a native app that opted in.
fn app2app_clients(s: &Server) -> (Value, Value) {
    let approver = s.client_json(&format!(
        r#"{{"client_name":"Wallet","application_type":"native","redirect_uris":["{REDIRECT}"],
            "token_endpoint_auth_method":"client_secret_post","consent":"implicit",
            "grant_types":["authorization_code"],"app2app_approver":true}}"#
    ));
    let target = s.client_json(&format!(
        r#"{{"client_name":"Shop app","application_type":"native","redirect_uris":["{REDIRECT}"],
            "token_endpoint_auth_method":"none","consent":"implicit","sso":true,
            "grant_types":["authorization_code"],"app2app":true}}"#
    ));
    (approver, target)
}

async fn approve(s: &Server, bearer: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/app2app/approve", s.base))
        .bearer_auth(bearer)
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Finding 2 (high): with an approver's access token alone, any client's request was approved
/// for the token's owner. Now the approver authenticates itself, and only native apps that
/// opted in (and use SSO) are answered.
#[tokio::test]
async fn app2app_needs_the_approver_itself_and_an_app_that_opted_in() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let (approver, target) = app2app_clients(&s);
        let email = format!("w{}@example.com", random_id());
        s.account(&email);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, approver["client_id"].as_str().unwrap(), "");
        let landed = sign_in_with_password(&s, &mut b, &url, &email).await;
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.base))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", query(&landed)["code"].as_str()),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &flow.verifier),
                ("client_id", approver["client_id"].as_str().unwrap()),
                ("client_secret", approver["client_secret"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap();
        let at = r.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        let aid = approver["client_id"].as_str().unwrap();
        let secret = approver["client_secret"].as_str().unwrap();
        let request_of = |url: &str| url.split_once('?').unwrap().1.to_string();
        let with_auth = |request: String| {
            vec![
                ("authorization_request".to_string(), request),
                ("client_id".to_string(), aid.to_string()),
                ("client_secret".to_string(), secret.to_string()),
            ]
        };
        let send = |form: Vec<(String, String)>| {
            let s = &s;
            let at = at.clone();
            async move {
                let f: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                approve(s, &at, &f).await
            }
        };

        // The token alone (the reviewer's replay) is not the approver.
        let (url, _) = authorize_url(&s, target["client_id"].as_str().unwrap(), "");
        let (status, body) = send(vec![("authorization_request".into(), request_of(&url))]).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client")),
            "{body}"
        );
        let mut wrong = with_auth(request_of(&url));
        wrong[2].1 = "not-the-secret".into();
        assert_eq!(send(wrong).await.0, 401);

        // A web client's request, or an app that did not opt in, is never answered.
        let web = s.client("");
        let not_opted = s.client_json(&format!(
            r#"{{"client_name":"Other","application_type":"native","redirect_uris":["{REDIRECT}"],
                "token_endpoint_auth_method":"none","consent":"implicit","sso":true}}"#
        ));
        for c in [&web, &not_opted] {
            let (url, _) = authorize_url(&s, c["client_id"].as_str().unwrap(), "");
            let (status, body) = send(with_auth(request_of(&url))).await;
            assert_eq!(
                (status, body["error"].as_str()),
                (400, Some("unauthorized_client")),
                "{body}"
            );
            assert!(body.get("redirect_to").is_none(), "{body}");
        }
        // An app with sso off asks for a sign-in every time.
        let no_sso = s.client_json(&format!(
            r#"{{"client_name":"Bank","application_type":"native","redirect_uris":["{REDIRECT}"],
                "token_endpoint_auth_method":"none","consent":"implicit","app2app":true}}"#
        ));
        let (url, _) = authorize_url(&s, no_sso["client_id"].as_str().unwrap(), "");
        let (status, body) = send(with_auth(request_of(&url))).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("login_required")),
            "{body}"
        );

        // The approver itself, for an app that opted in: a code.
        let (url, flow) = authorize_url(&s, target["client_id"].as_str().unwrap(), "");
        let (status, body) = send(with_auth(request_of(&url))).await;
        assert_eq!(status, 200, "{body}");
        let q = query(body["redirect_to"].as_str().unwrap());
        assert_eq!(q["state"], flow.state);
        assert!(!q["code"].is_empty());

        // Registration: an approver must be able to authenticate; app2app is for native apps.
        for (json, key) in [
            (
                format!(
                    r#"{{"application_type":"native","redirect_uris":["{REDIRECT}"],
                    "token_endpoint_auth_method":"none","app2app_approver":true}}"#
                ),
                "app2app_approver",
            ),
            (
                format!(r#"{{"redirect_uris":["{REDIRECT}"],"app2app":true}}"#),
                "app2app",
            ),
        ] {
            let (code, _, err) = s.cli(&["clients", "create"], &json);
            assert_eq!(code, 2, "{err}");
            assert!(err.contains(key), "{err}");
        }
    }
}

/// Finding 3a (high): the MSISDN header twice (the client's forged one, then the proxy's), or
/// two numbers folded into one header, is refused: nobody can tell which is the operator's.
#[tokio::test]
async fn a_repeated_msisdn_header_is_refused() {
    for backend in backends() {
        let s = Server::start_with(backend, OPERATOR).await;
        let client = s.client("");
        let (url, _) = authorize_url(&s, client["client_id"].as_str().unwrap(), "");
        let path = url.strip_prefix(&s.base).unwrap();
        let before = s.snapshot().await;
        let twice = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MSISDN: +4791100014\r\n\
             X-MSISDN: +4791100015\r\nConnection: close\r\n\r\n"
        );
        let a = raw(s.port, twice.as_bytes()).await;
        assert_eq!(a.status, 400, "{}", a.body);
        assert!(a.body.contains("role=\"alert\""), "{}", a.body);
        let folded = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MSISDN: +4791100014, +4791100015\r\n\
             Connection: close\r\n\r\n"
        );
        assert_eq!(raw(s.port, folded.as_bytes()).await.status, 400);
        let ticket = random_token();
        let challenge = pkce_s256(&random_token());
        let identify = format!(
            "GET /mobile-network/identify?ticket={ticket}&code_challenge={challenge} HTTP/1.1\r\n\
             Host: 127.0.0.1\r\nX-Connectid-App: a\r\nX-MSISDN: +4791100014\r\n\
             X-MSISDN: +4791100015\r\nConnection: close\r\n\r\n"
        );
        assert_eq!(raw(s.port, identify.as_bytes()).await.status, 400);
        assert_eq!(
            s.snapshot().await,
            before,
            "a refused request changed something"
        );
        // Once, it still signs in with no page.
        let mut b = Browser::new();
        let a = b
            .send(b.http.get(&url).header("X-MSISDN", "+4791100014"))
            .await;
        assert!(a.location.unwrap_or_default().starts_with(REDIRECT));
    }
}

/// The address the audit log recorded for the last sign-in.
fn last_signin_ip(s: &Server) -> String {
    let (code, out, err) = s.cli(&["audit", "--kind", "signin", "--limit", "1"], "");
    assert_eq!(code, 0, "{err}");
    let e: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    e["ip"].as_str().unwrap_or("").to_string()
}

/// Finding 3b (high): one setting decided both whose `X-MSISDN` and whose `X-Forwarded-For`
/// is believed. Now a reverse proxy (`[http] forwarded_proxies`) gives the client address and
/// cannot assert a number; the operator's proxies (`trusted_proxies`) assert numbers only.
#[tokio::test]
async fn forwarded_for_and_msisdn_are_trusted_apart() {
    for backend in backends() {
        let s = Server::start_with(
            backend.clone(),
            "[http]\nforwarded_proxies = [\"127.0.0.1/32\"]\n",
        )
        .await;
        let client = s.client("");
        let (url, _) = authorize_url(&s, client["client_id"].as_str().unwrap(), "");
        // Behind the reverse proxy, a client-sent number is not believed...
        let mut b = Browser::new();
        let a = b
            .send(
                b.http
                    .get(&url)
                    .header("X-MSISDN", "+4791100016")
                    .header("X-Forwarded-For", "198.51.100.7"),
            )
            .await;
        assert!(
            a.location
                .as_deref()
                .is_some_and(|l| l.starts_with("/signin/")),
            "a number through a reverse proxy signed in: {:?}",
            a.location
        );
        // ...but the forwarded address is the person's.
        let email = format!("f{}@example.com", random_id());
        s.account(&email);
        let mut b = Browser::new();
        b.http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(
                [("x-forwarded-for", "198.51.100.7")]
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
                    .collect(),
            )
            .build()
            .unwrap();
        sign_in_with_password(&s, &mut b, &url, &email).await;
        assert_eq!(last_signin_ip(&s), "198.51.100.7");
        drop(s);

        // The operator's proxy asserts numbers, and its X-Forwarded-For is not believed.
        let s = Server::start_with(backend, OPERATOR).await;
        let email = format!("g{}@example.com", random_id());
        s.account(&email);
        let client = s.client("");
        let (url, _) = authorize_url(&s, client["client_id"].as_str().unwrap(), "");
        sign_in_with_password(&s, &mut b, &url, &email).await;
        assert_eq!(last_signin_ip(&s), "127.0.0.1");
    }
}

async fn refresh(s: &Server, client: &Value, token: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .form(&[("grant_type", "refresh_token"), ("refresh_token", token)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The tokens of a sign-in whose browser session then idled out and was purged: what only
/// time would otherwise make. Its refresh token lives on, as a native app's does. The row is
/// deleted rather than the clock moved past the idle time and the purge: the test makes one in
/// the middle of a password reset, whose code and pending sign-in would expire with it.
async fn idled_out(s: &Server, client: &Value, email: &str) -> Value {
    let tokens = signed_in(s, &mut Browser::new(), client, email).await;
    let sid = claims(tokens["id_token"].as_str().unwrap())["sid"]
        .as_str()
        .unwrap()
        .to_string();
    s.sql(&format!("DELETE FROM sso_sessions WHERE sid = '{sid}'"))
        .await;
    tokens
}

/// Finding 4 (medium): "Forgot your password?" and the administrator's revocation left the
/// grants of sessions that had already ended alive; their refresh tokens kept working.
#[tokio::test]
async fn a_new_password_or_a_revocation_ends_every_other_grant() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client(r#","sso":true"#);
        let cid = client["client_id"].as_str().unwrap();
        let email = format!("r{}@example.com", random_id());
        let sub = s.account(&email);

        // The administrator ends the account's sessions.
        let tokens = idled_out(&s, &client, &email).await;
        let r = reqwest::Client::new()
            .delete(format!("{}/admin/accounts/{sub}/sessions", s.base))
            .bearer_auth(&s.admin)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        let rt = tokens["refresh_token"].as_str().unwrap();
        assert_eq!(
            refresh(&s, &client, rt).await,
            400,
            "the grant outlived the revocation"
        );

        // "Forgot your password?" in another browser.
        let (url, _) = authorize_url(&s, cid, "");
        let mut b = Browser::new();
        let p = pending(&s, &mut b, &url).await;
        let a = submit(&mut b, &s.base, &p, &[("identifier", &email)]).await;
        assert_eq!(step(&a.body), "password");
        let forgot = format!("{}/forgot", p.action);
        let r = b.post(&forgot, &[("csrf", &p.csrf)]).await;
        let a = b.get(&format!("{}{}", s.base, r.location.unwrap())).await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        // A grant whose session idled out before the reset.
        let stale = idled_out(&s, &client, &email).await;
        let code = s.last_code(&email);
        let r = b
            .post(&p.action, &[("csrf", &p.csrf), ("code", &code)])
            .await;
        let a = b.get(&format!("{}{}", s.base, r.location.unwrap())).await;
        assert_eq!(step(&a.body), "set-password", "{}", a.body);
        let r = b
            .post(
                &p.action,
                &[("csrf", &p.csrf), ("new_password", "a brand new secret 9")],
            )
            .await;
        assert!(r.location.unwrap_or_default().starts_with(REDIRECT));
        let stale_rt = stale["refresh_token"].as_str().unwrap();
        assert_eq!(
            refresh(&s, &client, stale_rt).await,
            400,
            "the grant outlived the new password"
        );
    }
}

/// Finding 8 (medium): after a sign-in with "Stay signed in" unticked, a step-up to LoA2 made
/// the session persistent again and dropped `td_sls`.
#[tokio::test]
async fn step_up_keeps_the_choice_not_to_stay_signed_in() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":true}"#);
        let cid = client["client_id"].as_str().unwrap();
        let phone = "+4791100021";
        let (code, _, err) = s.cli(
            &["accounts", "create", "--phone", phone, "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert_eq!(code, 0, "{err}");
        // LoA1 by SMS, the box unticked (an unticked checkbox sends nothing).
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, cid, "");
        let p = pending(&s, &mut b, &url).await;
        let a = submit(&mut b, &s.base, &p, &[("identifier", phone)]).await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        let code = s.last_code(phone);
        let r = b
            .post(&p.action, &[("csrf", &p.csrf), ("code", &code)])
            .await;
        let landed = r.location.unwrap_or_default();
        assert!(landed.starts_with(REDIRECT), "{landed}");
        let first = r
            .set_cookies
            .iter()
            .find(|c| c.starts_with("cid_session="))
            .unwrap();
        assert!(!first.contains("Max-Age"), "{first}");

        // Step-up: only the password, and the session stays a browser session.
        let (url, flow) = authorize_url(&s, cid, "&acr_values=2");
        let p = pending(&s, &mut b, &url).await;
        assert_eq!(step(&p.body), "password", "{}", p.body);
        let r = b
            .post(&p.action, &[("csrf", &p.csrf), ("password", PASSWORD)])
            .await;
        let landed = r.location.clone().unwrap_or_default();
        assert!(landed.starts_with(REDIRECT), "{landed}");
        let cookie = r
            .set_cookies
            .iter()
            .find(|c| c.starts_with("cid_session="))
            .unwrap();
        assert!(
            !cookie.contains("Max-Age"),
            "step-up made it persistent: {cookie}"
        );
        let tokens = exchange(&s, &client, &query(&landed)["code"], &flow.verifier).await;
        let id = decode(tokens["id_token"].as_str().unwrap()).1;
        assert_eq!(id["acr"], "2");
        assert_eq!(id["td_sls"], true, "{id}");
    }
}

/// A browser at the code step for `identifier`: the browser and the page.
async fn at_code_step(s: &Server, cid: &str, identifier: &str) -> (Browser, Pending, Answer) {
    let mut b = Browser::new();
    let (url, _) = authorize_url(s, cid, "");
    let p = pending(s, &mut b, &url).await;
    let a = submit(&mut b, &s.base, &p, &[("identifier", identifier)]).await;
    (b, p, a)
}

/// Finding 6 (medium): once an address had used its `account_creation_per_ip`, unknown
/// numbers got "Too many attempts" and known ones the code page: free enumeration. Now the
/// quota is counted when a new number's code is verified, and both get the code page.
#[tokio::test]
async fn known_and_unknown_numbers_get_the_same_answer() {
    for backend in backends() {
        let s = Server::start_with(
            backend,
            "[rate_limits]\naccount_creation_per_ip = { max = 2, per_secs = 3600 }\n",
        )
        .await;
        let cid = s.client("")["client_id"].as_str().unwrap().to_string();
        let known = "+4791100030";
        let (code, _, err) = s.cli(&["accounts", "create", "--phone", known], "");
        assert_eq!(code, 0, "{err}");
        let mut waiting = Vec::new();
        for n in ["+4791100031", "+4791100032", "+4791100033", "+4791100034"] {
            let (b, p, a) = at_code_step(&s, &cid, n).await;
            assert_eq!(step(&a.body), "code", "{n}: {}", a.body);
            waiting.push((n, b, p));
        }
        let (_, _, a) = at_code_step(&s, &cid, known).await;
        assert_eq!(step(&a.body), "code");
        // Two new accounts are made; the third proven number hears the wait.
        for (i, (n, mut b, p)) in waiting.into_iter().take(3).enumerate() {
            let code = s.last_code(n);
            let r = b
                .post(&p.action, &[("csrf", &p.csrf), ("code", &code)])
                .await;
            let loc = r.location.unwrap_or_default();
            if i < 2 {
                assert!(loc.starts_with(REDIRECT), "{n}: {loc}");
            } else {
                // Shown at once, with 400 (a reload does not repeat it).
                assert_eq!(r.status, 400, "{n}: {loc}");
                assert!(r.body.contains("role=\"alert\""), "{}", r.body);
                assert_eq!(step(&r.body), "identifier");
            }
        }
    }
}

/// Finding 7 (medium): with a session for A, `login_hint=<B>&login_hint_locked=true` returned
/// a code for A. Now only B may sign in: A's session neither answers nor is re-authenticated.
#[tokio::test]
async fn a_locked_hint_is_never_answered_by_another_session() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client(r#","sso":true"#);
        let cid = client["client_id"].as_str().unwrap();
        let a_email = format!("a{}@example.com", random_id());
        let b_email = format!("b{}@example.com", random_id());
        let a_sub = s.account(&a_email);
        s.account(&b_email);
        let mut b = Browser::new();
        signed_in(&s, &mut b, &client, &a_email).await;
        let locked = format!("&login_hint={}&login_hint_locked=true", enc(&b_email));
        let (url, _) = authorize_url(&s, cid, &locked);
        let r = b.get(&url).await;
        let loc = r.location.unwrap_or_default();
        assert!(
            loc.starts_with("/signin/"),
            "answered by A's session: {loc}"
        );
        let page = b.get(&format!("{}{loc}", s.base)).await;
        assert_eq!(step(&page.body), "identifier");
        assert!(page.body.contains(&b_email), "{}", page.body);
        let (url, _) = authorize_url(&s, cid, &format!("{locked}&prompt=none"));
        let r = b.get(&url).await;
        assert_eq!(query(&r.location.unwrap())["error"], "login_required");
        let (url, _) = authorize_url(&s, cid, &format!("{locked}&prompt=login"));
        let before = s.outbox().len();
        let r = b.get(&url).await;
        assert!(r.location.unwrap_or_default().starts_with("/signin/"));
        assert_eq!(s.outbox().len(), before, "a code went to A");
        // A's own locked hint is still an SSO hit.
        let (url, _) = authorize_url(
            &s,
            cid,
            &format!("&login_hint={}&login_hint_locked=true", enc(&a_email)),
        );
        let r = b.get(&url).await;
        assert!(r.location.unwrap_or_default().starts_with(REDIRECT));
        assert_eq!(sso_sub(&s, &mut b, &client).await, a_sub);
    }
}

/// Finding 9 (low): `GET /logout?id_token_hint=<the attacker's own ID token>` signed the victim
/// out. A hint proves the request only when it was issued in this browser's session.
#[tokio::test]
async fn a_foreign_id_token_hint_does_not_sign_anyone_out() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client(r#","sso":true"#);
        let email = format!("v{}@example.com", random_id());
        let victim = s.account(&email);
        let mut b = Browser::new();
        let own = signed_in(&s, &mut b, &client, &email).await;
        let attacker_email = format!("x{}@example.com", random_id());
        s.account(&attacker_email);
        let theirs = signed_in(&s, &mut Browser::new(), &client, &attacker_email).await;
        let hint = |t: &Value| {
            format!(
                "{}/logout?id_token_hint={}&post_logout_redirect_uri={}",
                s.base,
                t["id_token"].as_str().unwrap(),
                enc(BYE)
            )
        };
        let a = b.get(&hint(&theirs)).await;
        assert_eq!(a.status, 200, "{:?}", a.location);
        assert_eq!(step(&a.body), "logout", "{}", a.body);
        assert_eq!(sso_sub(&s, &mut b, &client).await, victim);
        assert_eq!(
            userinfo_status(&s, own["access_token"].as_str().unwrap()).await,
            200
        );
        // The person's own service signs them out at once, and back to it.
        let a = b.get(&hint(&own)).await;
        assert_eq!(a.location.as_deref(), Some(BYE), "{}", a.body);
        assert_eq!(
            userinfo_status(&s, own["access_token"].as_str().unwrap()).await,
            401
        );
    }
}

/// Finding 10 (low): a cross-site link rendered a sign-in page with any branding; and the
/// operator can turn the previewer off.
#[tokio::test]
async fn the_previewer_refuses_cross_site_branding_and_can_be_off() {
    let metadata = enc(r#"{"client_name":"Your bank","redirect_uris":["https://x.example/cb"]}"#);
    let path = format!("/flow-previewer?metadata={metadata}&step=identifier");
    let s = Server::start().await;
    let mut b = Browser::new();
    let a = b
        .send(
            b.http
                .get(format!("{}{path}", s.base))
                .header("Sec-Fetch-Site", "cross-site"),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(!a.body.contains("Your bank"));
    let a = b
        .send(
            b.http
                .get(format!("{}{path}", s.base))
                .header("Sec-Fetch-Site", "same-origin"),
        )
        .await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("Your bank"));
    drop(s);
    let s = Server::start_with(Backend::Sqlite, "[previewer]\nenabled = false\n").await;
    let a = b.get(&format!("{}/flow-previewer", s.base)).await;
    assert_eq!(a.status, 404);
}

/// Finding 12 (low): `default_acr_values` is only a default; `minimum_acr` raises a lower
/// `acr_values` (or `claims` request) to the service's level.
#[tokio::test]
async fn minimum_acr_raises_what_the_request_asks_for() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client(r#","minimum_acr":"2","default_acr_values":["2"]"#);
        let cid = client["client_id"].as_str().unwrap();
        let phone = "+4791100040";
        let (code, _, err) = s.cli(
            &["accounts", "create", "--phone", phone, "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert_eq!(code, 0, "{err}");
        for extra in [
            "&acr_values=1",
            &format!(
                "&claims={}",
                enc(r#"{"id_token":{"acr":{"essential":true,"value":"1"}}}"#)
            ),
        ] {
            let mut b = Browser::new();
            let (url, _) = authorize_url(&s, cid, extra);
            let p = pending(&s, &mut b, &url).await;
            let a = submit(&mut b, &s.base, &p, &[("identifier", phone)]).await;
            assert_eq!(step(&a.body), "password", "{extra}: an SMS code was enough");
        }
        let (code, _, err) = s.cli(
            &["clients", "create"],
            &format!(r#"{{"redirect_uris":["{REDIRECT}"],"minimum_acr":"3"}}"#),
        );
        assert_eq!(code, 2, "{err}");
    }
}
