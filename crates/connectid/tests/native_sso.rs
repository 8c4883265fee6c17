//! OpenID Connect Native SSO 1.0 through the server (the test kit's), on SQLite and
//! PostgreSQL: one app of a publisher signs in with `device_sso`, another app of the same
//! publisher trades the ID token and device secret for tokens of its own, and everything that
//! should refuse does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::crypto::{b64url, random_id, sha256};
use serde_json::Value;
use support::{
    Browser, Db, REDIRECT, Server, attr, authorize_url, backends, claims, exchange, query, step,
    walk,
};

const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN: &str = "urn:ietf:params:oauth:token-type:id_token";
const DEVICE_SECRET: &str = "urn:openid:params:token-type:device-secret";

/// A public native app, registered through the CLI.
fn app(s: &Server, publisher: Option<&str>, grant_types: &str, extra: &str) -> String {
    let publisher = publisher.map_or(String::new(), |p| format!(r#","publisher":"{p}""#));
    let json = format!(
        r#"{{"client_name":"App","application_type":"native","redirect_uris":["{REDIRECT}"],
            "token_endpoint_auth_method":"none","consent":"implicit",
            "grant_types":[{grant_types}]{publisher}{extra}}}"#
    );
    let (code, out, err) = s.cli(&["clients", "create"], &json);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Value>(&out).unwrap()["client_id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn token(s: &Server, form: &[(&str, &str)]) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Signs `identifier` in to `client_id` with `scope` (code flow + PKCE): the token response.
async fn sign_in(s: &Server, b: &mut Browser, client_id: &str, scope: &str, who: &str) -> Value {
    let (url, flow) = authorize_url(s, client_id, "");
    let url = url.replace("scope=openid%20email", &format!("scope={scope}"));
    let (landed, _) = walk(s, b, &url, who).await;
    let code = query(&landed)["code"].clone();
    let (status, body) = token(
        s,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &flow.verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The Native SSO token exchange request of `client_id` with `id_token` and `secret`.
async fn trade(s: &Server, client_id: &str, id_token: &str, secret: &str) -> (u16, Value) {
    token(
        s,
        &[
            ("grant_type", EXCHANGE),
            ("client_id", client_id),
            ("subject_token", id_token),
            ("subject_token_type", ID_TOKEN),
            ("actor_token", secret),
            ("actor_token_type", DEVICE_SECRET),
            ("scope", "openid email device_sso"),
        ],
    )
    .await
}

/// `ds_hash` as Native SSO 1.0 defines it for RS256: the left half of SHA-256, base64url.
fn ds_hash(secret: &str) -> String {
    b64url(&sha256(secret.as_bytes())[..16])
}

#[tokio::test]
async fn native_sso_between_apps_of_one_publisher() {
    for db in backends() {
        native_sso_between_apps_of_one_publisher_on(db).await;
    }
}

async fn native_sso_between_apps_of_one_publisher_on(db: Db) {
    let s = Server::start_on(db).await;
    let first = app(
        &s,
        Some("acme"),
        r#""authorization_code","refresh_token""#,
        "",
    );
    let second = app(
        &s,
        Some("acme"),
        &format!(r#""authorization_code","refresh_token","{EXCHANGE}""#),
        "",
    );
    let email = format!("n{}@example.com", random_id());
    s.account(&email);

    // The first app: a device secret, hashed into its ID token, with the session's sid.
    let mut b = Browser::new();
    let t1 = sign_in(&s, &mut b, &first, "openid%20device_sso", &email).await;
    let secret = t1["device_secret"]
        .as_str()
        .expect("a device_secret")
        .to_string();
    let id1 = t1["id_token"].as_str().unwrap().to_string();
    let c1 = claims(&id1);
    assert_eq!(c1["ds_hash"], ds_hash(&secret));
    assert!(c1["sid"].is_string());
    assert!(t1["scope"].as_str().unwrap().contains("device_sso"));

    // The second app: its own tokens for the same person and session, no page shown.
    let (status, t2) = trade(&s, &second, &id1, &secret).await;
    assert_eq!(status, 200, "{t2}");
    assert_eq!(
        t2["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    assert_eq!(t2["token_type"], "Bearer");
    assert_eq!(
        t2["device_secret"],
        secret.as_str(),
        "the same device session"
    );
    let c2 = claims(t2["id_token"].as_str().unwrap());
    assert_eq!(c2["aud"], second.as_str());
    assert_eq!(c2["sub"], c1["sub"]);
    assert_eq!(c2["sid"], c1["sid"]);
    assert_eq!(c2["acr"], c1["acr"]);
    assert_eq!(c2["auth_time"], c1["auth_time"]);
    assert_eq!(c2["ds_hash"], ds_hash(&secret));
    let info: Value = reqwest::Client::new()
        .get(format!("{}/userinfo", s.base))
        .bearer_auth(t2["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], email.as_str());
    assert!(t2["refresh_token"].is_string());

    // Refreshing with the device secret keeps it in the new ID token.
    let (status, r1) = token(
        &s,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &first),
            ("refresh_token", t1["refresh_token"].as_str().unwrap()),
            ("device_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{r1}");
    assert_eq!(
        claims(r1["id_token"].as_str().unwrap())["ds_hash"],
        ds_hash(&secret)
    );

    // What must be refused, each with its OAuth error.
    let stranger = app(
        &s,
        Some("someone-else"),
        &format!(r#""authorization_code","{EXCHANGE}""#),
        "",
    );
    let no_publisher = app(
        &s,
        None,
        &format!(r#""authorization_code","{EXCHANGE}""#),
        "",
    );
    let no_exchange = app(&s, Some("acme"), r#""authorization_code""#, "");
    let loa2 = app(
        &s,
        Some("acme"),
        &format!(r#""authorization_code","{EXCHANGE}""#),
        r#","default_acr_values":["2"]"#,
    );
    // A minimum, not a default: the same holds for an app that only sets `minimum_acr`.
    let minimum2 = app(
        &s,
        Some("acme"),
        &format!(r#""authorization_code","{EXCHANGE}""#),
        r#","minimum_acr":"2""#,
    );
    let other_email = format!("o{}@example.com", random_id());
    s.account(&other_email);
    let other = sign_in(
        &s,
        &mut Browser::new(),
        &first,
        "openid%20device_sso",
        &other_email,
    )
    .await;
    let other_id = other["id_token"].as_str().unwrap();
    let mut forged = id1.clone();
    forged.pop();
    forged.push(if id1.ends_with('A') { 'B' } else { 'A' });
    let cases: [(&str, &str, &str, &str, &str); 7] = [
        (
            &stranger,
            &id1,
            &secret,
            "invalid_grant",
            "another publisher",
        ),
        (
            &no_publisher,
            &id1,
            &secret,
            "unauthorized_client",
            "a client without a publisher",
        ),
        (
            &no_exchange,
            &id1,
            &secret,
            "unauthorized_client",
            "no token-exchange grant",
        ),
        (
            &second,
            &id1,
            "not-the-secret",
            "invalid_grant",
            "an unknown device secret",
        ),
        (
            &second,
            other_id,
            &secret,
            "invalid_grant",
            "an ID token of another session",
        ),
        (
            &second,
            &forged,
            &secret,
            "invalid_grant",
            "a forged ID token",
        ),
        (
            &second,
            &id1,
            other["device_secret"].as_str().unwrap(),
            "invalid_grant",
            "another session's secret",
        ),
    ];
    for (client, id_token, ds, want, why) in cases {
        let (status, body) = trade(&s, client, id_token, ds).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(want)),
            "{why}: {body}"
        );
    }
    // The first sign-in was a password (acr 2), so a LoA2 app may join; a LoA1 session may not.
    let (status, _) = trade(&s, &loa2, &id1, &secret).await;
    assert_eq!(status, 200);
    let phone = "+4790011223";
    let low = sign_in(
        &s,
        &mut Browser::new(),
        &first,
        "openid%20device_sso",
        phone,
    )
    .await;
    let (status, body) = trade(
        &s,
        &loa2,
        low["id_token"].as_str().unwrap(),
        low["device_secret"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let (status, body) = trade(
        &s,
        &minimum2,
        low["id_token"].as_str().unwrap(),
        low["device_secret"].as_str().unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "minimum_acr: {body}"
    );

    // Malformed exchange requests.
    for (drop, set, want) in [
        ("actor_token_type", None, "invalid_request"),
        ("subject_token", None, "invalid_request"),
        (
            "",
            Some((
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token",
            )),
            "invalid_request",
        ),
        (
            "",
            Some(("audience", "https://elsewhere.example")),
            "invalid_target",
        ),
        ("", Some(("scope", "email")), "invalid_scope"),
    ] {
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", EXCHANGE),
            ("client_id", &second),
            ("subject_token", &id1),
            ("subject_token_type", ID_TOKEN),
            ("actor_token", &secret),
            ("actor_token_type", DEVICE_SECRET),
            ("scope", "openid"),
        ];
        form.retain(|(k, _)| *k != drop);
        if let Some((k, v)) = set {
            form.retain(|(f, _)| *f != k);
            form.push((k, v));
        }
        let (status, body) = token(&s, &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(want)),
            "{form:?}: {body}"
        );
    }

    // An app without a publisher never gets a device secret, even when it asks.
    let plain = app(&s, None, r#""authorization_code""#, "");
    let t = sign_in(
        &s,
        &mut Browser::new(),
        &plain,
        "openid%20device_sso",
        &email,
    )
    .await;
    assert!(t.get("device_secret").is_none(), "{t}");
    assert!(!t["scope"].as_str().unwrap().contains("device_sso"));
    assert!(
        claims(t["id_token"].as_str().unwrap())
            .get("ds_hash")
            .is_none()
    );

    // Signing out in the second app ends the device session for every app of the publisher.
    let r = reqwest::Client::new()
        .post(format!("{}/logout", s.base))
        .bearer_auth(t2["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (status, body) = trade(&s, &second, &id1, &secret).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let (status, _) = token(
        &s,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &first),
            ("refresh_token", r1["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(
        status, 400,
        "the first app's refresh token ended with the session"
    );
}

const PREAUTH: &str = "urn:connectid:params:oauth:token-type:pre-authenticated-url";
const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";

#[tokio::test]
async fn pre_authenticated_urls_open_the_publishers_web_pages_signed_in() {
    for db in backends() {
        pre_authenticated_urls_open_the_publishers_web_pages_signed_in_on(db).await;
    }
}

async fn pre_authenticated_urls_open_the_publishers_web_pages_signed_in_on(db: Db) {
    let s = Server::start_on(db).await;
    let app_id = app(
        &s,
        Some("acme"),
        &format!(r#""authorization_code","{EXCHANGE}""#),
        "",
    );
    let home = "http://127.0.0.1:9/home";
    let web_json = format!(
        r#"{{"client_name":"Acme Web","redirect_uris":["{REDIRECT}"],"post_logout_redirect_uris":["{home}"],
            "grant_types":["authorization_code"],"consent":"implicit","sso":true,"publisher":"acme"}}"#
    );
    let (code, out, err) = s.cli(&["clients", "create"], &web_json);
    assert_eq!(code, 0, "{err}");
    let web: Value = serde_json::from_str(&out).unwrap();
    let web_id = web["client_id"].as_str().unwrap();
    let email = format!("p{}@example.com", random_id());
    s.account(&email);
    let tokens = sign_in(&s, &mut Browser::new(), &app_id, "openid", &email).await;
    let at = tokens["access_token"].as_str().unwrap();
    let make = |subject: String, resource: &str| {
        let (app_id, resource) = (app_id.clone(), resource.to_string());
        let s = &s;
        async move {
            token(
                s,
                &[
                    ("grant_type", EXCHANGE),
                    ("client_id", &app_id),
                    ("subject_token", &subject),
                    ("subject_token_type", ACCESS_TOKEN),
                    ("requested_token_type", PREAUTH),
                    ("resource", &resource),
                ],
            )
            .await
        }
    };
    let (status, body) = make(at.to_string(), home).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["issued_token_type"], PREAUTH);
    assert_eq!(body["token_type"], "N_A");
    let url = body["access_token"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/preauth/", s.base)), "{url}");

    // In the browser: a question naming the account first; a forged token does nothing.
    let mut b = Browser::new();
    let page = b.get(&url).await;
    assert_eq!(step(&page.body), "preauth", "{}", page.body);
    assert!(page.body.contains(&email));
    let forged = b.post(&url, &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403);
    assert!(!b.cookies.contains_key("cid_session"));
    let csrf = attr(&page.body, "name=\"csrf\"", "value");
    let go = b.post(&url, &[("csrf", &csrf)]).await;
    assert_eq!(go.status, 303);
    assert_eq!(go.location.as_deref(), Some(home));
    assert!(b.cookies.contains_key("cid_session"));

    // The web service's own sign-in is an SSO hit now, for the same person.
    let (wurl, flow) = authorize_url(&s, web_id, "");
    let a = b.get(&wurl).await;
    let landed = a.location.unwrap();
    assert!(landed.starts_with(REDIRECT), "no page: {landed}");
    let web_tokens = exchange(&s, &web, &query(&landed)["code"], &flow.verifier).await;
    assert_eq!(
        claims(web_tokens["id_token"].as_str().unwrap())["sub"],
        claims(tokens["id_token"].as_str().unwrap())["sub"]
    );
    // Security review, finding 5: the browser session continues the app's (same `sid`), so
    // the app's logout ends it too.
    assert_eq!(
        claims(web_tokens["id_token"].as_str().unwrap())["sid"],
        claims(tokens["id_token"].as_str().unwrap())["sid"]
    );

    // Once only.
    let again = Browser::new().get(&url).await;
    assert_eq!(again.status, 410);

    // Refusals.
    let other = s.cli(
        &["clients", "create"],
        r#"{"client_name":"Other","redirect_uris":["http://127.0.0.1:9/cb"],"post_logout_redirect_uris":["http://127.0.0.1:9/other"],"publisher":"someone-else"}"#,
    );
    assert_eq!(other.0, 0, "{}", other.2);
    for (subject, resource, want, why) in [
        (
            at.to_string(),
            "https://evil.example/",
            "invalid_target",
            "an unregistered page",
        ),
        (
            at.to_string(),
            "http://127.0.0.1:9/other",
            "invalid_target",
            "another publisher's page",
        ),
        (
            web_tokens["access_token"].as_str().unwrap().to_string(),
            home,
            "invalid_grant",
            "another client's token",
        ),
        (
            "not-a-token".to_string(),
            home,
            "invalid_grant",
            "a forged token",
        ),
        (
            tokens["id_token"].as_str().unwrap().to_string(),
            home,
            "invalid_grant",
            "an ID token",
        ),
    ] {
        let (status, body) = make(subject, resource).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(want)),
            "{why}: {body}"
        );
    }
    // The app's logout (finding 5) ends the browser session it opened.
    let r = reqwest::Client::new()
        .post(format!("{}/logout", s.base))
        .bearer_auth(at)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (wurl, _) = authorize_url(&s, web_id, "&prompt=none");
    let a = b.get(&wurl).await;
    assert_eq!(
        query(a.location.as_deref().unwrap())["error"],
        "login_required",
        "the browser session outlived the app's logout"
    );
}

#[tokio::test]
async fn app2app_a_first_party_app_approves_another_apps_request() {
    for db in backends() {
        app2app_a_first_party_app_approves_another_apps_request_on(db).await;
    }
}

async fn app2app_a_first_party_app_approves_another_apps_request_on(db: Db) {
    let s = Server::start_on(db).await;
    // The approver authenticates itself (security review, finding 2): a confidential app.
    let (code, out, err) = s.cli(
        &["clients", "create"],
        &format!(
            r#"{{"client_name":"Wallet","application_type":"native","redirect_uris":["{REDIRECT}"],
                "token_endpoint_auth_method":"client_secret_post","consent":"implicit",
                "grant_types":["authorization_code"],"app2app_approver":true}}"#
        ),
    );
    assert_eq!(code, 0, "{err}");
    let registered: Value = serde_json::from_str(&out).unwrap();
    let approver = registered["client_id"].as_str().unwrap().to_string();
    let approver_secret = registered["client_secret"].as_str().unwrap().to_string();
    let plain = app(&s, None, r#""authorization_code""#, "");
    // The other app: native, opted in to App2App, with SSO.
    let other_id = app(
        &s,
        None,
        r#""authorization_code""#,
        r#","app2app":true,"sso":true"#,
    );
    let other_id = other_id.as_str();
    let email = format!("q{}@example.com", random_id());
    s.account(&email);
    let tokens = {
        let (url, flow) = authorize_url(&s, &approver, "");
        let (landed, _) = walk(&s, &mut Browser::new(), &url, &email).await;
        let (status, body) = token(
            &s,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &approver),
                ("client_secret", &approver_secret),
                ("code", &query(&landed)["code"]),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &flow.verifier),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        body
    };
    let at = tokens["access_token"].as_str().unwrap().to_string();
    let plain_at = sign_in(&s, &mut Browser::new(), &plain, "openid", &email).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let approve = |bearer: Option<String>, request: String| {
        let s = &s;
        let (approver, approver_secret) = (&approver, &approver_secret);
        async move {
            let mut r = reqwest::Client::new()
                .post(format!("{}/app2app/approve", s.base))
                .form(&[
                    ("authorization_request", request.as_str()),
                    ("client_id", approver.as_str()),
                    ("client_secret", approver_secret.as_str()),
                ]);
            if let Some(b) = bearer {
                r = r.bearer_auth(b);
            }
            let r = r.send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let request_of = |url: &str| url.split_once('?').unwrap().1.to_string();

    // The other app's request, approved: a code for it, for the same person, at the same level.
    let (url, flow) = authorize_url(&s, other_id, "");
    let (status, body) = approve(Some(at.clone()), request_of(&url)).await;
    assert_eq!(status, 200, "{body}");
    let to = body["redirect_to"].as_str().unwrap();
    assert!(to.starts_with(REDIRECT), "{to}");
    let q = query(to);
    assert_eq!(q["state"], flow.state);
    assert_eq!(q["iss"], s.base);
    let (status, got) = token(
        &s,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", other_id),
            ("code", &q["code"]),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &flow.verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{got}");
    let id = claims(got["id_token"].as_str().unwrap());
    assert_eq!(
        id["sub"],
        claims(tokens["id_token"].as_str().unwrap())["sub"]
    );
    assert_eq!(id["acr"], "2");
    assert_eq!(id["nonce"], flow.nonce);

    // Refused: no token, an app that is no approver, and requests that need a page.
    let (url, _) = authorize_url(&s, other_id, "");
    assert_eq!(approve(None, request_of(&url)).await.0, 401);
    assert_eq!(
        approve(Some("forged".into()), request_of(&url)).await.0,
        401
    );
    let (status, body) = approve(Some(plain_at), request_of(&url)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("access_denied"))
    );
    for (extra, want) in [("&prompt=login", "login_required")] {
        let (url, flow) = authorize_url(&s, other_id, extra);
        let (status, body) = approve(Some(at.clone()), request_of(&url)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(want)),
            "{extra}: {body}"
        );
        let q = query(body["redirect_to"].as_str().unwrap());
        assert_eq!(
            (q["error"].as_str(), q["state"].as_str()),
            (want, flow.state.as_str())
        );
    }
    for (request, want) in [
        (
            request_of(&authorize_url(&s, &approver, "").0),
            "invalid_request",
        ),
        (
            request_of(&authorize_url(&s, "nope", "").0),
            "invalid_request",
        ),
        (
            request_of(&authorize_url(&s, other_id, "").0).replace("127.0.0.1:9", "evil.example"),
            "invalid_request",
        ),
        (
            request_of(&authorize_url(&s, other_id, "&response_mode=form_post").0),
            "invalid_request",
        ),
        (
            format!(
                "{}&client_id={other_id}",
                request_of(&authorize_url(&s, other_id, "").0)
            ),
            "invalid_request",
        ),
    ] {
        let (status, body) = approve(Some(at.clone()), request).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(want)),
            "{body}"
        );
        assert!(
            body.get("redirect_to").is_none(),
            "no redirect to an unchecked URI: {body}"
        );
    }
}
