//! DPoP (RFC 9449): a proof at the token endpoint binds the access token (and a public
//! client's refresh token) to the client's key; UserInfo, revocation and refresh want a proof
//! by that key; server nonces when the deployment asks; every broken proof refused with
//! `invalid_dpop_proof` and nothing changed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::client::SigningAlg;
use serde_json::{Value, json};
use support::dpop::{DpopKey, key_pair, sign_as};
use support::*;

/// An answer's status, JSON body and headers.
struct Got {
    status: u16,
    body: Value,
    headers: reqwest::header::HeaderMap,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
    fn error(&self) -> (u16, &str) {
        (self.status, self.body["error"].as_str().unwrap_or(""))
    }
}

async fn got(r: reqwest::RequestBuilder) -> Got {
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.json().await.unwrap_or(Value::Null);
    Got {
        status,
        body,
        headers,
    }
}

/// A POST to `path` from `client` (HTTP Basic, or its `client_id` for a public client), with
/// each proof in `proofs` as a `DPoP` header.
async fn post_as(
    s: &Server,
    client: &Value,
    path: &str,
    form: &[(&str, &str)],
    proofs: &[&str],
) -> Got {
    let id = client["client_id"].as_str().unwrap();
    let mut form: Vec<(&str, &str)> = form.to_vec();
    let mut r = reqwest::Client::new().post(format!("{}{path}", s.base));
    match client["client_secret"].as_str() {
        Some(secret) => r = r.basic_auth(id, Some(secret)),
        None => form.push(("client_id", id)),
    }
    for p in proofs {
        r = r.header("DPoP", *p);
    }
    got(r.form(&form)).await
}

async fn userinfo(s: &Server, authorization: &str, proof: Option<&str>) -> Got {
    let mut r = reqwest::Client::new()
        .get(format!("{}/userinfo", s.base))
        .header("authorization", authorization);
    if let Some(p) = proof {
        r = r.header("DPoP", p);
    }
    got(r).await
}

/// Signs in to `client` and answers with the code and the PKCE verifier.
async fn code_for(s: &Server, client: &Value, phone: &str) -> (String, String) {
    let id = client["client_id"].as_str().unwrap();
    let (url, flow) = authorize_url(s, id, "");
    let (landed, _) = walk(s, &mut Browser::new(), &url, phone).await;
    (query(&landed)["code"].clone(), flow.verifier)
}

/// Exchanges `code` with a proof by `key`.
async fn exchange_bound(
    s: &Server,
    client: &Value,
    (code, verifier): (&str, &str),
    key: &DpopKey,
) -> Got {
    let proof = key.proof(s, "POST", "/token", None);
    post_as(s, client, "/token", &code_form(code, verifier), &[&proof]).await
}

fn code_form<'a>(code: &'a str, verifier: &'a str) -> [(&'static str, &'a str); 4] {
    [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ]
}

#[tokio::test]
async fn a_proof_binds_the_access_token_and_userinfo_wants_a_proof_by_the_same_key() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let client = s.client("");
        let key = DpopKey::new();
        let disco: Value = reqwest::get(format!("{}/.well-known/openid-configuration", s.base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            disco["dpop_signing_alg_values_supported"],
            json!(["ES256", "EdDSA", "RS256"])
        );

        let (code, verifier) = code_for(&s, &client, "+4790012001").await;
        let proof = key.proof(&s, "POST", "/token", None);
        let t = post_as(
            &s,
            &client,
            "/token",
            &code_form(&code, &verifier),
            &[&proof],
        )
        .await;
        assert_eq!(t.status, 200, "{}", t.body);
        assert_eq!(t.body["token_type"], "DPoP");
        let at = t.body["access_token"].as_str().unwrap();
        assert_eq!(claims(at)["cnf"]["jkt"], key.jkt());

        // UserInfo: the DPoP scheme and a proof for this request, by the token's key.
        let ok = userinfo(
            &s,
            &format!("DPoP {at}"),
            Some(&key.proof(&s, "GET", "/userinfo", Some(at))),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert!(ok.body["sub"].is_string());

        let other = DpopKey::new();
        let refused = [
            (
                "as a bearer token",
                format!("Bearer {at}"),
                None,
                "invalid_token",
            ),
            ("no proof", format!("DPoP {at}"), None, "invalid_dpop_proof"),
            (
                "another key",
                format!("DPoP {at}"),
                Some(other.proof(&s, "GET", "/userinfo", Some(at))),
                "invalid_token",
            ),
            (
                "another method",
                format!("DPoP {at}"),
                Some(key.proof(&s, "POST", "/userinfo", Some(at))),
                "invalid_dpop_proof",
            ),
            (
                "no ath",
                format!("DPoP {at}"),
                Some(key.proof(&s, "GET", "/userinfo", None)),
                "invalid_dpop_proof",
            ),
        ];
        for (what, authorization, proof, error) in refused {
            let r = userinfo(&s, &authorization, proof.as_deref()).await;
            assert_eq!(r.error(), (401, error), "{what}: {}", r.body);
            assert!(
                r.header("www-authenticate").starts_with("DPoP error="),
                "{what}: {}",
                r.header("www-authenticate")
            );
        }
        // The same proof twice: the second is a replay (the jti is kept in the database, which
        // every node shares).
        let once = key.proof(&s, "GET", "/userinfo", Some(at));
        assert_eq!(
            userinfo(&s, &format!("DPoP {at}"), Some(&once))
                .await
                .status,
            200
        );
        let again = userinfo(&s, &format!("DPoP {at}"), Some(&once)).await;
        assert_eq!(again.error(), (401, "invalid_dpop_proof"), "{}", again.body);

        // Introspection tells the resource server what to check the proof against.
        let i = post_as(&s, &client, "/introspect", &[("token", at)], &[]).await;
        assert_eq!(i.body["token_type"], "DPoP");
        assert_eq!(i.body["cnf"]["jkt"], key.jkt());

        // A confidential client's refresh token is bound by its authentication: a refresh
        // without a proof gets a bearer token, with one a token bound to that proof's key.
        let rt = t.body["refresh_token"].as_str().unwrap();
        let plain = post_as(
            &s,
            &client,
            "/token",
            &[("grant_type", "refresh_token"), ("refresh_token", rt)],
            &[],
        )
        .await;
        assert_eq!(plain.body["token_type"], "Bearer", "{}", plain.body);
        let bearer = plain.body["access_token"].as_str().unwrap();
        let r = userinfo(
            &s,
            &format!("DPoP {bearer}"),
            Some(&key.proof(&s, "GET", "/userinfo", Some(bearer))),
        )
        .await;
        assert_eq!(
            r.error(),
            (401, "invalid_token"),
            "an unbound token is no DPoP token"
        );
        // Where connectid takes bearer tokens only (logout by token), a bound one is no good.
        let logout = got(reqwest::Client::new()
            .post(format!("{}/logout", s.base))
            .bearer_auth(at))
        .await;
        assert_eq!(logout.error(), (401, "invalid_token"), "{}", logout.body);
        let rt = plain.body["refresh_token"].as_str().unwrap();
        let bound = post_as(
            &s,
            &client,
            "/token",
            &[("grant_type", "refresh_token"), ("refresh_token", rt)],
            &[&other.proof(&s, "POST", "/token", None)],
        )
        .await;
        assert_eq!(bound.body["token_type"], "DPoP");
        assert_eq!(
            claims(bound.body["access_token"].as_str().unwrap())["cnf"]["jkt"],
            other.jkt()
        );
    }
}

#[tokio::test]
async fn a_public_clients_refresh_token_is_bound_to_its_key() {
    on_each_backend(|b| async move {
        let s = Server::start_on(b).await;
        let client =
            s.client(r#","application_type":"native","token_endpoint_auth_method":"none""#);
        let key = DpopKey::of(SigningAlg::EdDSA);
        let (code, verifier) = code_for(&s, &client, "+4790012002").await;
        let t = exchange_bound(&s, &client, (&code, &verifier), &key).await;
        assert_eq!(t.body["token_type"], "DPoP", "{}", t.body);
        let rt = t.body["refresh_token"].as_str().unwrap().to_string();
        let refresh = |proofs: Vec<String>| {
            let (s, client, rt) = (&s, &client, rt.clone());
            async move {
                let form = [
                    ("grant_type", "refresh_token"),
                    ("refresh_token", rt.as_str()),
                ];
                let proofs: Vec<&str> = proofs.iter().map(String::as_str).collect();
                post_as(s, client, "/token", &form, &proofs).await
            }
        };
        let before = s.snapshot().await;
        let none = refresh(vec![]).await;
        assert_eq!(none.error(), (400, "invalid_dpop_proof"), "{}", none.body);
        let stolen = refresh(vec![DpopKey::new().proof(&s, "POST", "/token", None)]).await;
        assert_eq!(stolen.error(), (400, "invalid_grant"), "{}", stolen.body);
        let after = s.snapshot().await;
        assert_eq!(
            before
                .iter()
                .filter(|(k, v)| after[*k] != **v && **k != "jtis")
                .count(),
            0,
            "a refused refresh changed {before:?} -> {after:?}"
        );
        let ok = refresh(vec![key.proof(&s, "POST", "/token", None)]).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        let rt2 = ok.body["refresh_token"].as_str().unwrap();
        let i = post_as(&s, &s.client(""), "/introspect", &[("token", rt2)], &[]).await;
        assert_eq!(i.body["cnf"]["jkt"], key.jkt(), "{}", i.body);

        // Revocation of a bound token by a public client: only with a proof by its key.
        let form = [("token", rt2)];
        let no_proof = post_as(&s, &client, "/revoke", &form, &[]).await;
        assert_eq!(
            no_proof.error(),
            (400, "invalid_dpop_proof"),
            "{}",
            no_proof.body
        );
        let revoked = post_as(
            &s,
            &client,
            "/revoke",
            &form,
            &[&key.proof(&s, "POST", "/revoke", None)],
        )
        .await;
        assert_eq!(revoked.status, 200);
        let gone = post_as(
            &s,
            &client,
            "/token",
            &[("grant_type", "refresh_token"), ("refresh_token", rt2)],
            &[&key.proof(&s, "POST", "/token", None)],
        )
        .await;
        assert_eq!(gone.error(), (400, "invalid_grant"));
    })
    .await;
}

#[tokio::test]
async fn a_client_that_must_use_dpop_is_refused_without_a_proof_and_keeps_its_code() {
    on_each_backend(|b| async move {
        let s = Server::start_on(b).await;
        let client = s.client(r#","dpop_bound_access_tokens":true"#);
        let (code, verifier) = code_for(&s, &client, "+4790012003").await;
        let before = s.snapshot().await;
        let bare = post_as(&s, &client, "/token", &code_form(&code, &verifier), &[]).await;
        assert_eq!(bare.error(), (400, "invalid_dpop_proof"), "{}", bare.body);
        assert_eq!(
            s.snapshot().await,
            before,
            "nothing changed, the code is not used"
        );
        let key = DpopKey::new();
        let t = exchange_bound(&s, &client, (&code, &verifier), &key).await;
        assert_eq!(t.body["token_type"], "DPoP", "{}", t.body);

        // client_credentials: bound the same way, signed RS256 as before.
        let machine = s.client_json(
            r#"{"client_name":"M","grant_types":["client_credentials"],"scope":"api"}"#,
        );
        let cc = post_as(
            &s,
            &machine,
            "/token",
            &[("grant_type", "client_credentials")],
            &[&key.proof(&s, "POST", "/token", None)],
        )
        .await;
        assert_eq!(cc.body["token_type"], "DPoP", "{}", cc.body);
        let (h, c) = decode(cc.body["access_token"].as_str().unwrap());
        assert_eq!(
            (h["alg"].as_str(), &c["cnf"]["jkt"]),
            (Some("RS256"), &json!(key.jkt()))
        );
        let plain = post_as(
            &s,
            &machine,
            "/token",
            &[("grant_type", "client_credentials")],
            &[],
        )
        .await;
        assert_eq!(
            plain.body["token_type"], "Bearer",
            "ordinary clients are unaffected"
        );
    })
    .await;
}

#[tokio::test]
async fn server_nonces_when_the_deployment_asks_for_them() {
    let s = Server::start_with(Backend::Sqlite, "[oauth]\nuse_dpop_nonce = true\n").await;
    let client = s.client("");
    let key = DpopKey::new();
    let (code, verifier) = code_for(&s, &client, "+4790012004").await;
    let form = code_form(&code, &verifier);
    let first = post_as(
        &s,
        &client,
        "/token",
        &form,
        &[&key.proof(&s, "POST", "/token", None)],
    )
    .await;
    assert_eq!(first.error(), (400, "use_dpop_nonce"), "{}", first.body);
    let nonce = first.header("dpop-nonce").to_string();
    assert!(nonce.len() >= 32, "a nonce comes with the error");
    let with = |nonce: &str, method: &str, path: &str, at: Option<&str>| {
        key.proof_with(&s, method, path, at, json!({ "nonce": nonce }))
    };
    let t = post_as(
        &s,
        &client,
        "/token",
        &form,
        &[&with(&nonce, "POST", "/token", None)],
    )
    .await;
    assert_eq!(t.status, 200, "the code survived the first try: {}", t.body);
    assert!(
        !t.header("dpop-nonce").is_empty(),
        "and a nonce for next time"
    );
    let at = t.body["access_token"].as_str().unwrap();

    let auth = format!("DPoP {at}");
    let r = userinfo(
        &s,
        &auth,
        Some(&key.proof(&s, "GET", "/userinfo", Some(at))),
    )
    .await;
    assert_eq!(r.error(), (401, "use_dpop_nonce"));
    assert!(
        r.header("www-authenticate")
            .contains("error=\"use_dpop_nonce\"")
    );
    let fresh = r.header("dpop-nonce").to_string();
    let ok = userinfo(&s, &auth, Some(&with(&fresh, "GET", "/userinfo", Some(at)))).await;
    assert_eq!(ok.status, 200, "{}", ok.body);

    // A nonce lasts two five-minute windows at most; a made-up one never.
    s.clock.advance(600);
    let late = userinfo(&s, &auth, Some(&with(&fresh, "GET", "/userinfo", Some(at)))).await;
    assert_eq!(late.error(), (401, "use_dpop_nonce"));
    let made_up = userinfo(&s, &auth, Some(&with("AAAA", "GET", "/userinfo", Some(at)))).await;
    assert_eq!(made_up.error(), (401, "use_dpop_nonce"));
}

/// The hostile suite's rules for every new parameter: each broken proof at the token
/// endpoint gets `invalid_dpop_proof`, changes nothing, and leaves the code usable.
#[tokio::test]
async fn broken_proofs_are_refused_and_change_nothing() {
    on_each_backend(|b| async move {
        let s = Server::start_on(b).await;
        let client = s.client("");
        let key = DpopKey::new();
        let (code, verifier) = code_for(&s, &client, "+4790012005").await;
        let body = format!(
            "grant_type=authorization_code&code={}&redirect_uri={}&code_verifier={verifier}",
            enc(&code),
            enc(REDIRECT)
        );
        let secret = client["client_secret"].as_str().unwrap();
        let id = client["client_id"].as_str().unwrap();
        let req = |proofs: &[String]| {
            let mut r = post("/token", body.clone()).basic(id, secret);
            for p in proofs {
                r = r.header("dpop", p.clone());
            }
            r
        };
        let good = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.0.public_jwk()});
        let claims = json!({"jti": "j1", "htm": "POST", "htu": format!("{}/token", s.base),
            "iat": s.now()});
        let with_header = |k: &str, v: Value| {
            let mut h = good.clone();
            h[k] = v;
            sign_as(&key.0, &h, &claims)
        };
        let unsigned = |alg: &str| {
            let h = json!({"typ": "dpop+jwt", "alg": alg, "jwk": key.0.public_jwk()});
            jws(&h, &claims, b"")
        };
        // HS256 keyed with the public key's bytes: the classic key confusion.
        let confused = hs256(
            &json!({"typ": "dpop+jwt", "alg": "HS256", "jwk": key.0.public_jwk()}),
            &claims,
            key.0.public_jwk().to_string().as_bytes(),
        );
        let private_jwk = {
            let mut jwk = key.0.public_jwk().clone();
            jwk["d"] = json!("c2VjcmV0");
            with_header("jwk", jwk)
        };
        let swapped = {
            let thief = key_pair(SigningAlg::ES256);
            sign_as(&thief, &good, &claims)
        };
        // A proof used once for a refresh, to be replayed.
        let replayed = key.proof(&s, "POST", "/token", None);
        {
            let (c2, v2) = code_for(&s, &client, "+4790012006").await;
            let t = post_as(&s, &client, "/token", &code_form(&c2, &v2), &[]).await;
            let rt = t.body["refresh_token"].as_str().unwrap();
            let form = [("grant_type", "refresh_token"), ("refresh_token", rt)];
            let used = post_as(&s, &client, "/token", &form, &[&replayed]).await;
            assert_eq!(used.status, 200, "{}", used.body);
        }
        let p = |c: Value| key.proof_with(&s, "POST", "/token", None, c);
        let cases: Vec<(&str, Vec<String>)> = vec![
            ("not a JWT", vec!["abc.def".into()]),
            ("alg none", vec![unsigned("none")]),
            ("key confusion (HS256)", vec![confused]),
            ("typ JWT", vec![with_header("typ", json!("JWT"))]),
            ("no jwk", vec![with_header("jwk", Value::Null)]),
            ("a private key in jwk", vec![private_jwk]),
            ("signed by another key", vec![swapped]),
            ("another method", vec![p(json!({"htm": "GET"}))]),
            (
                "another URL",
                vec![p(json!({"htu": "https://evil.example/token"}))],
            ),
            (
                "another endpoint",
                vec![p(json!({"htu": format!("{}/par", s.base)}))],
            ),
            ("an hour old", vec![p(json!({"iat": s.now() - 3600}))]),
            ("from the future", vec![p(json!({"iat": s.now() + 3600}))]),
            ("no jti", vec![p(json!({"jti": null}))]),
            ("iat as text", vec![p(json!({"iat": "now"}))]),
            (
                "two proofs",
                vec![
                    key.proof(&s, "POST", "/token", None),
                    key.proof(&s, "POST", "/token", None),
                ],
            ),
            (
                "9 KB",
                vec![format!("{}.{}.x", "a".repeat(4600), "b".repeat(4600))],
            ),
            ("replayed", vec![replayed]),
        ];
        let n = cases.len();
        let cases = cases
            .into_iter()
            .map(|(what, proofs)| {
                case(
                    what,
                    req(&proofs),
                    Expect::OAuth(400, "invalid_dpop_proof", ""),
                )
            })
            .collect();
        assert_eq!(run(&s, cases).await, n);
        // And after all that the code still works.
        let t = exchange_bound(&s, &client, (&code, &verifier), &key).await;
        assert_eq!(t.body["token_type"], "DPoP", "{}", t.body);
    })
    .await;
}

#[tokio::test]
async fn a_code_is_bound_to_dpop_jkt_or_to_the_key_it_was_pushed_with() {
    on_each_backend(|b| async move {
        let s = Server::start_on(b).await;
        let client = s.client("");
        let id = client["client_id"].as_str().unwrap();
        let (key, thief) = (DpopKey::new(), DpopKey::new());
        let exchange = |code: String, verifier: String, proof: Option<String>| {
            let (s, client) = (&s, &client);
            async move {
                let proofs: Vec<&str> = proof.iter().map(String::as_str).collect();
                post_as(s, client, "/token", &code_form(&code, &verifier), &proofs).await
            }
        };
        // dpop_jkt on the front channel.
        for (proof, ok) in [
            (None, false),
            (Some(thief.proof(&s, "POST", "/token", None)), false),
            (Some(key.proof(&s, "POST", "/token", None)), true),
        ] {
            let (url, flow) = authorize_url(&s, id, &format!("&dpop_jkt={}", key.jkt()));
            let (landed, _) = walk(&s, &mut Browser::new(), &url, "+4790012007").await;
            let t = exchange(query(&landed)["code"].clone(), flow.verifier, proof).await;
            if ok {
                assert_eq!(t.body["token_type"], "DPoP", "{}", t.body);
            } else {
                assert_eq!(t.error(), (400, "invalid_grant"), "{}", t.body);
            }
        }
        let (url, _) = authorize_url(&s, id, "&dpop_jkt=short");
        let loc = Browser::new().get(&url).await.location.unwrap();
        assert_eq!(query(&loc)["error"], "invalid_request");

        // A DPoP proof at /par binds the code the same way; dpop_jkt must then agree with it.
        let push = |extra: String, proof: String| {
            let (s, client, id) = (&s, &client, id.to_string());
            async move {
                let (url, flow) = authorize_url(s, &id, &extra);
                let q = url.split_once('?').unwrap().1.to_string();
                let form: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let form: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                (post_as(s, client, "/par", &form, &[&proof]).await, flow)
            }
        };
        let (mismatch, _) = push(
            format!("&dpop_jkt={}", thief.jkt()),
            key.proof(&s, "POST", "/par", None),
        )
        .await;
        assert_eq!(
            mismatch.error(),
            (400, "invalid_dpop_proof"),
            "{}",
            mismatch.body
        );
        let (pushed, flow) = push(String::new(), key.proof(&s, "POST", "/par", None)).await;
        assert_eq!(pushed.status, 201, "{}", pushed.body);
        let url = format!(
            "{}/authorize?client_id={id}&request_uri={}",
            s.base,
            enc(pushed.body["request_uri"].as_str().unwrap())
        );
        let (landed, _) = walk(&s, &mut Browser::new(), &url, "+4790012007").await;
        let code = query(&landed)["code"].clone();
        let stolen = exchange(
            code.clone(),
            flow.verifier.clone(),
            Some(thief.proof(&s, "POST", "/token", None)),
        )
        .await;
        assert_eq!(stolen.error(), (400, "invalid_grant"), "{}", stolen.body);
    })
    .await;
}
