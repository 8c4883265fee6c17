//! The server, seen from clients: back-channel logout for every way an SSO session ends,
//! `private_key_jwt` with keys at a `jwks_uri`, and introspection of rotated and revoked
//! refresh tokens. Logout tokens are checked with the `openidconnect` crate's JWK code, not
//! with connectid's own.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use connectid_core::client::SigningAlg;
use connectid_core::crypto::{b64url_decode, random_id};
use connectid_core::keys::{KeyCipher, LoadedKey, generate};
use openidconnect::JsonWebKey;
use openidconnect::core::{CoreJsonWebKeySet, CoreJwsSigningAlgorithm};
use serde_json::{Value, json};
use support::{
    Browser, Db, Receiver, Server, authorize_url, backends, claims, query, refresh_response,
    serve_app, sign_in, walk,
};

const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Checks a logout token as a client must (Back-Channel Logout 1.0 §2.6): signature by a key
/// of the OP's JWKS, `typ`, `iss`, `aud`, time claims, the event, no nonce. Returns claims.
async fn check_logout_token(s: &Server, token: &str, client_id: &str) -> (Value, Value) {
    let jwks: CoreJsonWebKeySet = reqwest::get(format!("{}/jwks", s.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&b64url_decode(parts[0]).unwrap()).unwrap();
    let c: Value = serde_json::from_slice(&b64url_decode(parts[1]).unwrap()).unwrap();
    assert_eq!(header["typ"], "logout+jwt");
    let alg: CoreJwsSigningAlgorithm = serde_json::from_value(header["alg"].clone()).unwrap();
    let key = jwks
        .keys()
        .iter()
        .find(|k| k.key_id().map(|id| id.as_str()) == header["kid"].as_str())
        .expect("the signing key is published");
    let signed = format!("{}.{}", parts[0], parts[1]);
    key.verify_signature(&alg, signed.as_bytes(), &b64url_decode(parts[2]).unwrap())
        .expect("the signature verifies with the published key");
    assert_eq!(c["iss"], s.base.as_str());
    assert_eq!(c["aud"], client_id);
    let (iat, exp) = (c["iat"].as_i64().unwrap(), c["exp"].as_i64().unwrap());
    assert!(exp > iat && exp - iat <= 600, "short-lived: {c}");
    assert!(!c["jti"].as_str().unwrap().is_empty());
    assert_eq!(c["events"], json!({ LOGOUT_EVENT: {} }));
    assert!(c.get("nonce").is_none(), "a logout token never has a nonce");
    (header, c)
}

fn client_id(c: &Value) -> &str {
    c["client_id"].as_str().unwrap()
}

#[tokio::test]
async fn rp_initiated_logout_tells_every_client_that_got_tokens_in_the_session() {
    for db in backends() {
        rp_initiated_logout_tells_every_client_that_got_tokens_in_the_session_on(db).await;
    }
}

async fn rp_initiated_logout_tells_every_client_that_got_tokens_in_the_session_on(db: Db) {
    let s = Server::start_on(db).await;
    let mut rx = Receiver::start().await;
    let a = s.client(&format!(
        r#","sso":true,"backchannel_logout_uri":"{}","backchannel_logout_session_required":true"#,
        rx.uri("a")
    ));
    let b = s.client(&format!(
        r#","sso":true,"backchannel_logout_uri":"{}","id_token_signed_response_alg":"ES256""#,
        rx.uri("b")
    ));
    let no_uri = s.client(r#","sso":true"#);
    let code_only = s.client(&format!(
        r#","sso":true,"backchannel_logout_uri":"{}""#,
        rx.uri("code-only")
    ));
    let email = format!("u{}@example.com", random_id());
    let sub = s.account(&email);
    let mut browser = Browser::new();
    let ta = sign_in(&s, &mut browser, &a, &email).await;
    let tb = sign_in(&s, &mut browser, &b, &email).await;
    sign_in(&s, &mut browser, &no_uri, &email).await;
    // A code that is never exchanged gives its client no session to end.
    let (url, _) = authorize_url(&s, client_id(&code_only), "");
    walk(&s, &mut browser, &url, &email).await;
    let sid = claims(ta["id_token"].as_str().unwrap())["sid"].clone();
    assert_eq!(claims(tb["id_token"].as_str().unwrap())["sid"], sid);

    let out = browser
        .get(&format!(
            "{}/logout?id_token_hint={}&post_logout_redirect_uri=http://127.0.0.1:9/bye",
            s.base,
            ta["id_token"].as_str().unwrap()
        ))
        .await;
    assert_eq!(out.status, 303);

    let got = rx.collect(2).await;
    let names: HashSet<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(names, HashSet::from(["a", "b"]));
    for (name, client, alg) in [("a", &a, "RS256"), ("b", &b, "ES256")] {
        assert_eq!(got[name].len(), 1, "one token per client");
        let (header, c) = check_logout_token(&s, &got[name][0], client_id(client)).await;
        assert_eq!(header["alg"], alg, "signed like the client's ID tokens");
        assert_eq!(c["sub"], sub.as_str());
        assert_eq!(c["sid"], sid);
    }
    // The session's grants are revoked with it.
    let r = refresh_response(&s, &a, &ta).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn bearer_logout_notifies_and_a_failing_client_is_retried() {
    for db in backends() {
        bearer_logout_notifies_and_a_failing_client_is_retried_on(db).await;
    }
}

async fn bearer_logout_notifies_and_a_failing_client_is_retried_on(db: Db) {
    let s = Server::start_on(db).await;
    let mut rx = Receiver::start().await;
    let app = s.client(&format!(
        r#","backchannel_logout_uri":"{}""#,
        rx.uri("flaky")
    ));
    let email = format!("u{}@example.com", random_id());
    s.account(&email);
    let tokens = sign_in(&s, &mut Browser::new(), &app, &email).await;
    let r = reqwest::Client::new()
        .post(format!("{}/logout", s.base))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (name, token) = rx.next().await;
    assert_eq!(name, "flaky");
    let (_, c) = check_logout_token(&s, &token, client_id(&app)).await;
    assert_eq!(
        c["sid"],
        claims(tokens["id_token"].as_str().unwrap())["sid"]
    );
    assert_eq!(rx.calls("flaky"), 2, "a 503 is retried, then delivered");
}

#[tokio::test]
async fn revoking_an_accounts_sessions_notifies_for_each_session() {
    for db in backends() {
        revoking_an_accounts_sessions_notifies_for_each_session_on(db).await;
    }
}

async fn revoking_an_accounts_sessions_notifies_for_each_session_on(db: Db) {
    let s = Server::start_on(db).await;
    let mut rx = Receiver::start().await;
    let app = s.client(&format!(
        r#","sso":true,"backchannel_logout_uri":"{}""#,
        rx.uri("app")
    ));
    let email = format!("u{}@example.com", random_id());
    let sub = s.account(&email);
    let (mut laptop, mut phone) = (Browser::new(), Browser::new());
    let t1 = sign_in(&s, &mut laptop, &app, &email).await;
    let t2 = sign_in(&s, &mut phone, &app, &email).await;
    let url = format!("{}/admin/accounts/{sub}/sessions", s.base);
    let r = reqwest::Client::new().delete(&url).send().await.unwrap();
    assert_eq!(r.status(), 401, "admin token required");
    let r = reqwest::Client::new()
        .delete(&url)
        .bearer_auth(&s.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["ended"], 2);

    let got = rx.collect(2).await;
    let mut sids = HashSet::new();
    for token in &got["app"] {
        let (_, c) = check_logout_token(&s, token, client_id(&app)).await;
        assert_eq!(c["sub"], sub.as_str());
        sids.insert(c["sid"].as_str().unwrap().to_string());
    }
    let expected: HashSet<String> = [&t1, &t2]
        .iter()
        .map(|t| {
            claims(t["id_token"].as_str().unwrap())["sid"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(sids, expected);
    // Both browsers are signed out.
    for b in [&mut laptop, &mut phone] {
        let (url, _) = authorize_url(&s, client_id(&app), "&prompt=none");
        let a = b.get(&url).await;
        assert_eq!(
            query(a.location.as_deref().unwrap())["error"],
            "login_required"
        );
    }
}

/// A client that authenticates with `private_key_jwt`, its public keys at a `jwks_uri`.
#[tokio::test]
async fn private_key_jwt_with_keys_at_a_jwks_uri() {
    for db in backends() {
        private_key_jwt_with_keys_at_a_jwks_uri_on(db).await;
    }
}

async fn private_key_jwt_with_keys_at_a_jwks_uri_on(db: Db) {
    let s = Server::start_on(db).await;
    let cipher = KeyCipher::new(None);
    let key = LoadedKey::load(&generate(SigningAlg::ES256, 0, &cipher).unwrap(), &cipher).unwrap();
    let stranger =
        LoadedKey::load(&generate(SigningAlg::ES256, 0, &cipher).unwrap(), &cipher).unwrap();
    let hits = Arc::new(Mutex::new(0usize));
    let counted = hits.clone();
    let jwks = json!({"keys": [key.public_jwk()]});
    let jwks_base = serve_app(Router::new().route(
        "/jwks",
        get(move || {
            *counted.lock().unwrap() += 1;
            let jwks = jwks.clone();
            async move { axum::Json(jwks) }
        }),
    ))
    .await;
    let (code, out, err) = s.cli(
        &["clients", "create"],
        &format!(
            r#"{{"client_name":"Batch","grant_types":["client_credentials"],"scope":"reports",
                "token_endpoint_auth_method":"private_key_jwt","jwks_uri":"{jwks_base}/jwks"}}"#
        ),
    );
    assert_eq!(code, 0, "{err}");
    let cid = serde_json::from_str::<Value>(&out).unwrap()["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let assertion = |k: &LoadedKey| {
        k.sign_jwt(
            "JWT",
            &json!({"iss": cid, "sub": cid, "aud": format!("{}/token", s.base),
                    "exp": s.now() + 60, "jti": random_id()}),
        )
        .unwrap()
    };
    let token = |assertion: String| {
        let base = s.base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/token"))
                .form(&[
                    ("grant_type", "client_credentials"),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", assertion.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let first = assertion(&key);
    let r = token(first.clone()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["scope"], "reports");
    assert_eq!(token(assertion(&key)).await.status(), 200);
    assert_eq!(*hits.lock().unwrap(), 1, "the key set is cached");
    assert_eq!(token(first).await.status(), 401, "an assertion works once");
    assert_eq!(
        token(assertion(&stranger)).await.status(),
        401,
        "a key not in the set"
    );
}

#[tokio::test]
async fn introspection_of_rotated_and_revoked_refresh_tokens() {
    for db in backends() {
        introspection_of_rotated_and_revoked_refresh_tokens_on(db).await;
    }
}

async fn introspection_of_rotated_and_revoked_refresh_tokens_on(db: Db) {
    let s = Server::start_on(db).await;
    let client = s.client("");
    let cid = client_id(&client).to_string();
    let secret = client["client_secret"].as_str().unwrap().to_string();
    let email = format!("u{}@example.com", random_id());
    let sub = s.account(&email);
    let tokens = sign_in(&s, &mut Browser::new(), &client, &email).await;
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        let (url, cid, secret) = (format!("{}{path}", s.base), cid.clone(), secret.clone());
        async move {
            reqwest::Client::new()
                .post(url)
                .basic_auth(cid, Some(secret))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let introspect = |t: &str| {
        let f = post("/introspect", vec![("token", t.to_string())]);
        async move { f.await.json::<Value>().await.unwrap() }
    };
    let rt1 = tokens["refresh_token"].as_str().unwrap().to_string();
    let i = introspect(&rt1).await;
    assert_eq!(i["active"], true);
    assert_eq!(i["token_type"], "refresh_token");
    assert_eq!(i["client_id"], cid.as_str());
    assert_eq!(i["sub"], sub.as_str());

    let r = post(
        "/token",
        vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", rt1.clone()),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    let rotated: Value = r.json().await.unwrap();
    let rt2 = rotated["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(introspect(&rt1).await, json!({"active": false}), "rotated");
    assert_eq!(
        introspect(&rt2).await["active"],
        true,
        "asking about the old token did not burn the family"
    );

    // Another client cannot use it, nor burn it by trying.
    let other = s.client("");
    let r = reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(client_id(&other), other["client_secret"].as_str())
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &rt2)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_grant");
    assert_eq!(introspect(&rt2).await["active"], true);

    let r = post("/revoke", vec![("token", rt2.clone())]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(introspect(&rt2).await, json!({"active": false}), "revoked");
    let at = rotated["access_token"].as_str().unwrap();
    assert_eq!(
        introspect(at).await,
        json!({"active": false}),
        "revoking the refresh token revokes its grant's access tokens"
    );
}

/// The authorization-request options of the Basic OP test plan that the other tests do not
/// exercise: POST, no nonce, unknown parameters, `prompt=none` and `prompt=login` with a
/// session, `form_post`, the `claims` parameter with an essential `acr`, request objects,
/// UserInfo by GET, POST header and POST body, and `client_secret_post`.
#[tokio::test]
async fn basic_op_authorization_request_options() {
    for db in backends() {
        basic_op_authorization_request_options_on(db).await;
    }
}

async fn basic_op_authorization_request_options_on(db: Db) {
    let s = Server::start_on(db).await;
    let client = s.client(r#","sso":true,"token_endpoint_auth_method":"client_secret_post""#);
    let cid = client_id(&client).to_string();
    let secret = client["client_secret"].as_str().unwrap().to_string();
    let email = format!("u{}@example.com", random_id());
    let sub = s.account(&email);
    let exchange_post = |code: String, verifier: String| {
        let (base, cid, secret) = (s.base.clone(), cid.clone(), secret.clone());
        async move {
            reqwest::Client::new()
                .post(format!("{base}/token"))
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.as_str()),
                    ("redirect_uri", support::REDIRECT),
                    ("code_verifier", verifier.as_str()),
                    ("client_id", cid.as_str()),
                    ("client_secret", secret.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let mut b = Browser::new();

    // An essential acr through `claims`, no nonce, an unknown parameter, the email claim asked
    // for in the ID token by name.
    let claims_param = r#"{"id_token":{"acr":{"essential":true,"values":["2"]},"email":null}}"#;
    let enc: String = form_urlencoded::byte_serialize(claims_param.as_bytes()).collect();
    let (url, flow) = authorize_url(&s, &cid, &format!("&claims={enc}&frobnicate=1"));
    let url = url.replace(&format!("&nonce={}", flow.nonce), "");
    let (landed, steps) = walk(&s, &mut b, &url, &email).await;
    assert_eq!(
        steps,
        ["identifier", "password"],
        "acr 2 needs the password"
    );
    let r = exchange_post(query(&landed)["code"].clone(), flow.verifier.clone()).await;
    assert_eq!(r.status(), 200, "client_secret_post");
    let tokens: Value = r.json().await.unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["acr"], "2");
    assert_eq!(id["email"], email.as_str(), "claims parameter, by name");
    assert!(id.get("nonce").is_none());
    let at = tokens["access_token"].as_str().unwrap();

    // UserInfo three ways.
    let http = reqwest::Client::new();
    let get = http
        .get(format!("{}/userinfo", s.base))
        .bearer_auth(at)
        .send()
        .await
        .unwrap();
    let header = http
        .post(format!("{}/userinfo", s.base))
        .bearer_auth(at)
        .send()
        .await
        .unwrap();
    let body = http
        .post(format!("{}/userinfo", s.base))
        .form(&[("access_token", at)])
        .send()
        .await
        .unwrap();
    for r in [get, header, body] {
        assert_eq!(r.status(), 200);
        let info: Value = r.json().await.unwrap();
        assert_eq!(info["sub"], sub.as_str());
        assert_eq!(info["email"], email.as_str());
    }

    // prompt=none with a session: a code at once. POST to the authorization endpoint.
    let (url, flow) = authorize_url(&s, &cid, "&prompt=none");
    let (endpoint, form) = url.split_once('?').unwrap();
    let form: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let a = b.post(endpoint, &form).await;
    let q = query(a.location.as_deref().unwrap());
    assert_eq!(q["state"], flow.state);
    assert_eq!(
        exchange_post(q["code"].clone(), flow.verifier)
            .await
            .status(),
        200
    );

    // prompt=login: the pages again, although the session would do.
    let (url, _) = authorize_url(&s, &cid, "&prompt=login");
    let (_, steps) = walk(&s, &mut b, &url, &email).await;
    assert!(!steps.is_empty(), "prompt=login signs in again");

    // form_post: a self-posting form to the redirect URI, with code, state and iss.
    let (url, flow) = authorize_url(&s, &cid, "&response_mode=form_post");
    let a = b.get(&url).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        support::attr(&a.body, "id=\"form_post\"", "action"),
        support::REDIRECT
    );
    for field in ["code", "state", "iss"] {
        assert!(a.body.contains(&format!("name=\"{field}\"")), "{field}");
    }
    assert!(a.body.contains(&flow.state));

    // Request objects (by value and by reference) are refused as unsupported, and a missing
    // response_type is an invalid request: all back at the client, with its state.
    let (request_uri, _) = authorize_url(&s, &cid, "&request_uri=https%3A%2F%2Frp.example%2Fr");
    let (no_type, _) = authorize_url(&s, &cid, "");
    for (url, error) in [
        (
            // An unsigned (`alg` none) request object.
            authorize_url(&s, &cid, "&request=eyJhbGciOiJub25lIn0.e30.").0,
            "invalid_request_object",
        ),
        (request_uri, "request_uri_not_supported"),
        (
            no_type.replace("&response_type=code", ""),
            "invalid_request",
        ),
    ] {
        let a = b.get(&url).await;
        let q = query(a.location.as_deref().unwrap());
        assert_eq!(q["error"], error);
        assert!(q.contains_key("state") && q.contains_key("iss"), "{error}");
    }
}

/// The RP-Initiated Logout OP test plan, module by module.
#[tokio::test]
async fn rp_initiated_logout_test_plan() {
    const BYE: &str = "http://127.0.0.1:9/bye";
    let s = Server::start().await;
    let client = s.client(r#","sso":true"#);
    let cid = client_id(&client).to_string();
    let email = format!("u{}@example.com", random_id());
    s.account(&email);
    let mut b = Browser::new();
    let logout = |q: String| format!("{}/logout?{q}", s.base);
    let mut hint = sign_in(&s, &mut b, &client, &email).await["id_token"]
        .as_str()
        .unwrap()
        .to_string();

    // Errors show a page, never a redirect, and leave the session alone.
    let claims_part = hint.split('.').nth(1).unwrap().to_string();
    let alg_none = format!(
        "{}.{claims_part}.",
        connectid_core::crypto::b64url(br#"{"alg":"none","typ":"JWT"}"#)
    );
    for (module, q) in [
        (
            "bad-post-logout-redirect-uri",
            format!("id_token_hint={hint}&post_logout_redirect_uri=https://evil.example/bye"),
        ),
        (
            "query-added-to-post-logout-redirect-uri",
            format!("id_token_hint={hint}&post_logout_redirect_uri={BYE}%3Fx%3D1"),
        ),
        (
            "modified-id-token-hint",
            format!("id_token_hint={alg_none}&post_logout_redirect_uri={BYE}"),
        ),
        (
            "bad-id-token-hint",
            format!("id_token_hint=not-a-jwt&post_logout_redirect_uri={BYE}"),
        ),
    ] {
        let a = b.get(&logout(q)).await;
        assert_eq!(a.status, 400, "{module}");
        assert!(a.location.is_none(), "{module}");
        assert_eq!(support::step(&a.body), "error", "{module}");
    }
    let (url, _) = authorize_url(&s, &cid, "&prompt=none");
    let a = b.get(&url).await;
    assert!(
        query(a.location.as_deref().unwrap()).contains_key("code"),
        "still signed in"
    );

    // no-params: a confirmation page.
    let a = b.get(&logout(String::new())).await;
    assert_eq!(a.status, 200);
    assert_eq!(support::step(&a.body), "logout");

    // no-id-token-hint: confirmation, then back to the client with its state.
    let a = b
        .get(&logout(format!(
            "client_id={cid}&post_logout_redirect_uri={BYE}&state=s2"
        )))
        .await;
    assert_eq!(support::step(&a.body), "logout");
    let csrf = support::attr(&a.body, "name=\"csrf\"", "value");
    let a = b
        .post(
            &format!("{}/logout", s.base),
            &[
                ("csrf", csrf.as_str()),
                ("client_id", cid.as_str()),
                ("post_logout_redirect_uri", BYE),
                ("state", "s2"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(a.status, 303);
    assert_eq!(
        a.location.as_deref(),
        Some(format!("{BYE}?state=s2").as_str())
    );

    // no-post-logout-redirect-uri and only-state: the signed-out page.
    for q in ["", "&state=s3"] {
        hint = sign_in(&s, &mut b, &client, &email).await["id_token"]
            .as_str()
            .unwrap()
            .to_string();
        let a = b.get(&logout(format!("id_token_hint={hint}{q}"))).await;
        assert_eq!(a.status, 200);
        assert_eq!(support::step(&a.body), "signed-out");
    }

    // no-state: back to the client without a state.
    hint = sign_in(&s, &mut b, &client, &email).await["id_token"]
        .as_str()
        .unwrap()
        .to_string();
    let a = b
        .get(&logout(format!(
            "id_token_hint={hint}&post_logout_redirect_uri={BYE}"
        )))
        .await;
    assert_eq!(a.status, 303);
    assert_eq!(a.location.as_deref(), Some(BYE));
    let (url, _) = authorize_url(&s, &cid, "&prompt=none");
    let a = b.get(&url).await;
    assert_eq!(
        query(a.location.as_deref().unwrap())["error"],
        "login_required"
    );
}

/// RFC 7636: S256 required for public clients, and a challenge sent is a challenge enforced.
#[tokio::test]
async fn pkce_is_enforced_at_both_ends() {
    for db in backends() {
        pkce_is_enforced_at_both_ends_on(db).await;
    }
}

async fn pkce_is_enforced_at_both_ends_on(db: Db) {
    let s = Server::start_on(db).await;
    let public = s.client(r#","sso":true,"token_endpoint_auth_method":"none""#);
    let confidential = s.client(r#","sso":true"#);
    let email = format!("u{}@example.com", random_id());
    s.account(&email);
    let mut b = Browser::new();
    sign_in(&s, &mut b, &confidential, &email).await;

    // A public client without a challenge is sent back with invalid_request.
    let url = format!(
        "{}/authorize?client_id={}&redirect_uri={}&response_type=code&scope=openid&state=p",
        s.base,
        client_id(&public),
        support::REDIRECT
    );
    let a = b.get(&url).await;
    let q = query(a.location.as_deref().unwrap());
    assert_eq!(
        (q["error"].as_str(), q["state"].as_str()),
        ("invalid_request", "p")
    );

    let error =
        |r: reqwest::Response| async move { r.json::<Value>().await.unwrap()["error"].clone() };
    for (without_challenge, verifier, why) in [
        (
            false,
            Some("x".repeat(43)),
            "a verifier that does not match",
        ),
        (false, None, "no verifier for a challenge"),
        (true, Some("y".repeat(43)), "a verifier for no challenge"),
    ] {
        let (url, _) = authorize_url(&s, client_id(&confidential), "");
        // The helper always sends a challenge; without one, cut it off.
        let url = if without_challenge {
            url.split("&code_challenge=").next().unwrap().to_string()
        } else {
            url
        };
        let a = b.get(&url).await;
        let code = query(a.location.as_deref().unwrap())["code"].clone();
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code),
            ("redirect_uri", support::REDIRECT.to_string()),
        ];
        if let Some(v) = verifier {
            form.push(("code_verifier", v));
        }
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.base))
            .basic_auth(
                client_id(&confidential),
                confidential["client_secret"].as_str(),
            )
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{why}");
        assert_eq!(error(r).await, "invalid_grant", "{why}");
    }
}
