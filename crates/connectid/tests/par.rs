//! Pushed authorization requests (RFC 9126): the request goes to `/par` over the back
//! channel with the client's authentication, and the browser carries only `client_id` and a
//! `request_uri` that works once, for 60 seconds. And signed request objects (RFC 9101), at
//! `/authorize` or inside a pushed request.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::*;

/// `POST /par` with the query string of an authorization request as its body.
async fn push(s: &Server, client: &Value, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/par", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    if status == 201 {
        assert_eq!(r.headers()["cache-control"], "no-store");
    }
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn discovery(s: &Server) -> Value {
    reqwest::get(format!("{}/.well-known/openid-configuration", s.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn query_of(url: &str) -> String {
    url.split_once('?').unwrap().1.to_string()
}

fn authorize_with(s: &Server, client_id: &str, request_uri: &str) -> String {
    format!(
        "{}/authorize?client_id={client_id}&request_uri={}",
        s.base,
        enc(request_uri)
    )
}

#[tokio::test]
async fn a_pushed_request_signs_in_once_and_the_browser_carries_nothing_else() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client("");
        let id = client["client_id"].as_str().unwrap();
        let disco = discovery(&s).await;
        assert_eq!(
            disco["pushed_authorization_request_endpoint"],
            format!("{}/par", s.base)
        );
        assert_eq!(disco["require_pushed_authorization_requests"], false);

        let (url, flow) = authorize_url(&s, id, "");
        let (status, pushed) = push(&s, &client, &query_of(&url)).await;
        assert_eq!(status, 201, "{pushed}");
        assert_eq!(pushed["expires_in"], 60);
        let request_uri = pushed["request_uri"].as_str().unwrap();
        assert!(request_uri.starts_with("urn:ietf:params:oauth:request_uri:"));

        // Front-channel parameters beside request_uri are ignored: the pushed state comes back.
        let front = format!(
            "{}&state=tampered&scope=openid%20phone",
            authorize_with(&s, id, request_uri)
        );
        let mut b = Browser::new();
        let (landed, _) = walk(&s, &mut b, &front, "+4790011001").await;
        let q = query(&landed);
        assert_eq!(
            q["state"], flow.state,
            "the pushed state, not the browser's"
        );
        let tokens = exchange(&s, &client, &q["code"], &flow.verifier).await;
        assert!(tokens["id_token"].is_string());
        assert_eq!(
            claims(tokens["id_token"].as_str().unwrap())["nonce"],
            flow.nonce.as_str()
        );

        // Once only.
        let again = Browser::new()
            .get(&authorize_with(&s, id, request_uri))
            .await;
        assert_eq!(again.status, 400);
        assert!(again.location.is_none());
        assert!(again.body.contains("request_uri"), "{}", again.body);
    }
}

#[tokio::test]
async fn a_request_uri_expires_after_a_minute_and_belongs_to_its_client() {
    let s = Server::start().await;
    let client = s.client("");
    let other = s.client("");
    let id = client["client_id"].as_str().unwrap();
    let (url, _) = authorize_url(&s, id, "");
    let (_, pushed) = push(&s, &client, &query_of(&url)).await;
    s.clock.advance(61);
    let late = Browser::new()
        .get(&authorize_with(
            &s,
            id,
            pushed["request_uri"].as_str().unwrap(),
        ))
        .await;
    assert_eq!(late.status, 400);

    let (_, pushed) = push(&s, &client, &query_of(&url)).await;
    let stolen = Browser::new()
        .get(&authorize_with(
            &s,
            other["client_id"].as_str().unwrap(),
            pushed["request_uri"].as_str().unwrap(),
        ))
        .await;
    assert_eq!(stolen.status, 400);
    assert!(
        stolen.location.is_none(),
        "never to the other client's redirect_uri"
    );
    let forged = Browser::new()
        .get(&authorize_with(
            &s,
            id,
            "urn:ietf:params:oauth:request_uri:forged",
        ))
        .await;
    assert_eq!(forged.status, 400);
}

#[tokio::test]
async fn par_checks_the_client_and_the_request_as_authorize_would() {
    let s = Server::start().await;
    let client = s.client("");
    let id = client["client_id"].as_str().unwrap();
    let (url, _) = authorize_url(&s, id, "");
    let body = query_of(&url);
    let mut wrong_secret = client.clone();
    wrong_secret["client_secret"] = "not-the-secret".into();
    let (status, e) = push(&s, &wrong_secret, &body).await;
    assert_eq!((status, e["error"].as_str()), (401, Some("invalid_client")));
    let cases = [
        (
            body.replace(REDIRECT, "https://evil.example/cb"),
            "invalid_request",
        ),
        (
            format!("{body}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax"),
            "invalid_request",
        ),
        (format!("{body}&state=twice"), "invalid_request"),
        (
            body.replace("code_challenge_method=S256", "code_challenge_method=plain"),
            "invalid_request",
        ),
        (
            body.replace("response_type=code", "response_type=token"),
            "unsupported_response_type",
        ),
        (
            body.replace(&format!("client_id={id}"), "client_id=someone-else"),
            "invalid_client",
        ),
    ];
    for (bad, want) in cases {
        let (status, e) = push(&s, &client, &bad).await;
        let wanted = if want == "invalid_client" { 401 } else { 400 };
        assert_eq!(
            (status, e["error"].as_str()),
            (wanted, Some(want)),
            "{bad}: {e}"
        );
    }
}

#[tokio::test]
async fn a_client_or_a_deployment_can_require_pushed_requests() {
    let s = Server::start().await;
    let strict = s.client(r#","require_pushed_authorization_requests":true"#);
    let id = strict["client_id"].as_str().unwrap();
    let (url, flow) = authorize_url(&s, id, "");
    let a = Browser::new().get(&url).await;
    let loc = a.location.expect("an error for the client");
    assert!(loc.starts_with(REDIRECT), "{loc}");
    assert_eq!(query(&loc)["error"], "invalid_request");
    assert_eq!(query(&loc)["state"], flow.state);
    let (_, pushed) = push(&s, &strict, &query_of(&url)).await;
    let (landed, _) = walk(
        &s,
        &mut Browser::new(),
        &authorize_with(&s, id, pushed["request_uri"].as_str().unwrap()),
        "+4790011002",
    )
    .await;
    assert!(query(&landed).contains_key("code"), "{landed}");

    let everyone = Server::start_with(
        Backend::Sqlite,
        "[oauth]\nrequire_pushed_authorization_requests = true\n",
    )
    .await;
    let plain = everyone.client("");
    let disco = discovery(&everyone).await;
    assert_eq!(disco["require_pushed_authorization_requests"], true);
    let (url, _) = authorize_url(&everyone, plain["client_id"].as_str().unwrap(), "");
    let loc = Browser::new().get(&url).await.location.unwrap();
    assert_eq!(query(&loc)["error"], "invalid_request");
}

/// panva's openid-client 6 (`tests/rp_node/par.mjs`), a relying party nobody here wrote:
/// it pushes its request, sends the browser with the `request_uri`, and exchanges the code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_signs_in_through_par() {
    let Some(dir) = rp_node("PAR with openid-client") else {
        return;
    };
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client("");
        let node = |args: &[&str]| node_json(dir, "par.mjs", args);
        let (id, secret) = (
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str().unwrap(),
        );
        let started = node(&["start", &s.base, id, secret, REDIRECT]);
        let url = started["url"].as_str().unwrap();
        assert!(url.contains("request_uri=urn"), "{url}");
        assert!(
            !url.contains("code_challenge"),
            "only the request_uri travels: {url}"
        );
        let (landed, _) = walk(&s, &mut Browser::new(), url, "+4790011003").await;
        let done = node(&[
            "finish",
            &s.base,
            id,
            secret,
            &landed,
            started["verifier"].as_str().unwrap(),
            started["state"].as_str().unwrap(),
            started["nonce"].as_str().unwrap(),
        ]);
        assert_eq!(done["claims"]["iss"], s.base.as_str());
        assert!(done["claims"]["sub"].is_string(), "{done}");
    }
}

// ---------------------------------------------------------------------------------------
// Signed request objects (RFC 9101)

/// The claims of a request object carrying the authorization request of `url`, for `s`.
fn object_claims(s: &Server, url: &str, client_id: &str) -> serde_json::Map<String, Value> {
    let mut c: serde_json::Map<String, Value> = query(url)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    c.insert("iss".into(), client_id.into());
    c.insert("aud".into(), s.base.clone().into());
    c.insert("exp".into(), (s.now() + 300).into());
    c.insert("jti".into(), connectid_core::crypto::random_id().into());
    c
}

fn es256_key() -> connectid_core::keys::LoadedKey {
    use connectid_core::client::SigningAlg;
    use connectid_core::keys::{KeyCipher, LoadedKey, generate};
    let cipher = KeyCipher::new(None);
    LoadedKey::load(&generate(SigningAlg::ES256, 0, &cipher).unwrap(), &cipher).unwrap()
}

#[tokio::test]
async fn a_signed_request_object_is_the_request_and_works_once() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let key = es256_key();
        let jwks = serde_json::json!({"keys": [key.public_jwk()]});
        let client = s.client(&format!(
            r#","jwks":{jwks},"require_signed_request_object":true"#
        ));
        let id = client["client_id"].as_str().unwrap();
        let disco = discovery(&s).await;
        assert_eq!(disco["request_parameter_supported"], true);

        // Unsigned: refused, back at the client.
        let (url, flow) = authorize_url(&s, id, "");
        let loc = Browser::new().get(&url).await.location.unwrap();
        assert_eq!(query(&loc)["error"], "invalid_request", "{loc}");

        // Signed: the object's parameters are the request; the browser's are ignored.
        let jwt = key
            .sign_jwt(
                "oauth-authz-req+jwt",
                &Value::Object(object_claims(&s, &url, id)),
            )
            .unwrap();
        let front = format!(
            "{}/authorize?client_id={id}&request={jwt}&state=tampered&redirect_uri={}",
            s.base,
            enc(REDIRECT)
        );
        let (landed, _) = walk(&s, &mut Browser::new(), &front, "+4790011004").await;
        assert_eq!(query(&landed)["state"], flow.state);
        let tokens = exchange(&s, &client, &query(&landed)["code"], &flow.verifier).await;
        assert_eq!(
            claims(tokens["id_token"].as_str().unwrap())["nonce"],
            flow.nonce.as_str()
        );

        // Once: the same object again is invalid_request_object.
        let again = Browser::new().get(&front).await.location.unwrap();
        assert_eq!(query(&again)["error"], "invalid_request_object", "{again}");

        // Inside a pushed request.
        let (url, flow) = authorize_url(&s, id, "");
        let jwt = key
            .sign_jwt(
                "oauth-authz-req+jwt",
                &Value::Object(object_claims(&s, &url, id)),
            )
            .unwrap();
        let (status, pushed) = push(&s, &client, &format!("client_id={id}&request={jwt}")).await;
        assert_eq!(status, 201, "{pushed}");
        let (landed, _) = walk(
            &s,
            &mut Browser::new(),
            &authorize_with(&s, id, pushed["request_uri"].as_str().unwrap()),
            "+4790011004",
        )
        .await;
        assert_eq!(query(&landed)["state"], flow.state);
    }
}

#[tokio::test]
async fn bad_request_objects_are_refused_and_change_nothing() {
    let s = Server::start().await;
    let key = es256_key();
    let stranger = es256_key();
    let jwks = serde_json::json!({"keys": [key.public_jwk()]});
    let client = s.client(&format!(r#","jwks":{jwks}"#));
    let id = client["client_id"].as_str().unwrap();
    let (url, _) = authorize_url(&s, id, "");
    let good = object_claims(&s, &url, id);
    let with = |k: &str, v: Value| {
        let mut c = good.clone();
        c.insert(k.into(), v);
        Value::Object(c)
    };
    let without = |k: &str| {
        let mut c = good.clone();
        c.remove(k);
        Value::Object(c)
    };
    let none_alg = {
        let h = connectid_core::crypto::b64url(br#"{"alg":"none","typ":"JWT"}"#);
        let c = connectid_core::crypto::b64url(Value::Object(good.clone()).to_string().as_bytes());
        format!("{h}.{c}.")
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "another key",
            stranger
                .sign_jwt("JWT", &Value::Object(good.clone()))
                .unwrap(),
        ),
        ("alg none", none_alg),
        ("not a JWT", "abc.def".into()),
        (
            "wrong aud",
            key.sign_jwt("JWT", &with("aud", "https://evil.example".into()))
                .unwrap(),
        ),
        (
            "wrong iss",
            key.sign_jwt("JWT", &with("iss", "someone".into())).unwrap(),
        ),
        (
            "expired",
            key.sign_jwt("JWT", &with("exp", (s.now() - 1).into()))
                .unwrap(),
        ),
        (
            "a day long",
            key.sign_jwt("JWT", &with("exp", (s.now() + 86_400).into()))
                .unwrap(),
        ),
        ("no exp", key.sign_jwt("JWT", &without("exp")).unwrap()),
        (
            "nested",
            key.sign_jwt("JWT", &with("request_uri", "x".into()))
                .unwrap(),
        ),
    ];
    for (what, jwt) in cases {
        let before = s.snapshot().await;
        let front = format!(
            "{}/authorize?client_id={id}&request={}&redirect_uri={}&state=s1",
            s.base,
            enc(&jwt),
            enc(REDIRECT)
        );
        let a = Browser::new().get(&front).await;
        let loc = a.location.unwrap_or_else(|| panic!("{what}: {}", a.body));
        assert_eq!(
            query(&loc)["error"],
            "invalid_request_object",
            "{what}: {loc}"
        );
        assert_eq!(query(&loc)["state"], "s1", "{what}");
        let (status, e) = push(
            &s,
            &client,
            &format!("client_id={id}&request={}", enc(&jwt)),
        )
        .await;
        assert_eq!(
            (status, e["error"].as_str()),
            (400, Some("invalid_request_object")),
            "{what}"
        );
        let after = s.snapshot().await;
        let changed: Vec<_> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v) && **k != "jtis")
            .collect();
        assert!(changed.is_empty(), "{what} changed {changed:?}");
    }
}
