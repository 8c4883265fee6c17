//! The FAPI 2.0 Security Profile per client (`"profile": "fapi2"`): such a client signs in
//! only through PAR, with PKCE S256, `private_key_jwt` (issuer as the assertion's only
//! audience, never RS256) and DPoP-bound tokens signed ES256 or EdDSA, and its refresh tokens
//! are not rotated. Ordinary clients are unaffected (every other suite).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::client::SigningAlg;
use connectid_core::crypto::{pkce_s256, random_id, random_token};
use connectid_core::keys::LoadedKey;
use serde_json::{Value, json};
use support::dpop::{DpopKey, key_pair, sign_as};
use support::*;

/// A FAPI 2.0 client: its id, its ES256 key, and an RS256 key it also registered.
struct Bank {
    id: String,
    key: LoadedKey,
    rsa: LoadedKey,
}

fn metadata(jwks: &Value, extra: &str) -> String {
    format!(
        r#"{{"client_name":"Bank","redirect_uris":["{SECURE_REDIRECT}"],"consent":"implicit",
            "grant_types":["authorization_code","refresh_token"],"profile":"fapi2",
            "token_endpoint_auth_method":"private_key_jwt","id_token_signed_response_alg":"ES256",
            "jwks":{jwks}{extra}}}"#
    )
}

fn bank(s: &Server) -> Bank {
    let (key, rsa) = (key_pair(SigningAlg::ES256), key_pair(SigningAlg::RS256));
    let jwks = json!({"keys": [key.public_jwk(), rsa.public_jwk()]});
    let client = s.client_json(&metadata(&jwks, ""));
    Bank {
        id: client["client_id"].as_str().unwrap().into(),
        key,
        rsa,
    }
}

impl Bank {
    /// A client assertion signed by `key`, for `aud`.
    fn assertion_by(&self, s: &Server, key: &LoadedKey, aud: Value) -> String {
        let h = json!({"alg": key.alg.as_str(), "kid": key.kid, "typ": "JWT"});
        let c = json!({"iss": self.id, "sub": self.id, "aud": aud, "jti": random_id(),
            "iat": s.now(), "exp": s.now() + 60});
        sign_as(key, &h, &c)
    }
    fn assertion(&self, s: &Server) -> String {
        self.assertion_by(s, &self.key, json!(s.base))
    }
    /// A POST to `path` authenticated by `assertion`, with a DPoP proof when given.
    async fn post(
        &self,
        s: &Server,
        path: &str,
        form: &str,
        assertion: &str,
        proof: Option<&str>,
    ) -> (u16, Value) {
        let body = format!(
            "{form}&client_assertion_type={}&client_assertion={assertion}",
            enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        );
        let mut r = reqwest::Client::new()
            .post(format!("{}{path}", s.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(p) = proof {
            r = r.header("DPoP", p);
        }
        let r = r.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }
}

/// An authorization request's parameters for `client_id`, with PKCE unless `pkce` is false.
fn request(client_id: &str, pkce: bool) -> (String, String) {
    let verifier = random_token() + "x";
    let mut q = format!(
        "client_id={client_id}&redirect_uri={}&response_type=code&scope=openid%20email&state=st&nonce=nn",
        enc(SECURE_REDIRECT)
    );
    if pkce {
        q += &format!(
            "&code_challenge={}&code_challenge_method=S256",
            pkce_s256(&verifier)
        );
    }
    (q, verifier)
}

#[tokio::test]
async fn a_fapi2_client_signs_in_only_through_par_with_pkce_dpop_and_private_key_jwt() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let b = bank(&s);

        // Through the browser alone: refused, back at the client.
        let (q, verifier) = request(&b.id, true);
        let front = Browser::new()
            .get(&format!("{}/authorize?{q}", s.base))
            .await;
        let loc = front.location.unwrap();
        assert!(loc.starts_with(SECURE_REDIRECT), "{loc}");
        assert_eq!(query(&loc)["error"], "invalid_request");

        let (status, pushed) = b.post(&s, "/par", &q, &b.assertion(&s), None).await;
        assert_eq!(status, 201, "{pushed}");
        let url = format!(
            "{}/authorize?client_id={}&request_uri={}",
            s.base,
            b.id,
            enc(pushed["request_uri"].as_str().unwrap())
        );
        let (landed, _) = walk(&s, &mut Browser::new(), &url, "+4790013001").await;
        let code = query(&landed)["code"].clone();
        assert_eq!(query(&landed)["iss"], s.base, "RFC 9207");

        let form = format!(
            "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={verifier}",
            enc(SECURE_REDIRECT)
        );
        let key = DpopKey::new();
        let proof = key.proof(&s, "POST", "/token", None);
        let (status, t) = b
            .post(&s, "/token", &form, &b.assertion(&s), Some(&proof))
            .await;
        assert_eq!(status, 200, "{t}");
        assert_eq!(t["token_type"], "DPoP");
        let (at_header, at) = decode(t["access_token"].as_str().unwrap());
        assert_eq!(at_header["alg"], "ES256", "no RS256 under the profile");
        assert_eq!(at["cnf"]["jkt"], key.jkt());
        assert_eq!(decode(t["id_token"].as_str().unwrap()).0["alg"], "ES256");

        // Refresh: bound by the client's authentication and not rotated (FAPI 2.0 §5.3.2.1).
        let rt = t["refresh_token"].as_str().unwrap();
        for _ in 0..2 {
            let proof = key.proof(&s, "POST", "/token", None);
            let (status, r) = b
                .post(
                    &s,
                    "/token",
                    &format!("grant_type=refresh_token&refresh_token={rt}"),
                    &b.assertion(&s),
                    Some(&proof),
                )
                .await;
            assert_eq!(status, 200, "{r}");
            assert_eq!(r["token_type"], "DPoP");
            assert!(
                r.get("refresh_token").is_none(),
                "the same refresh token goes on"
            );
        }
    }
}

#[tokio::test]
async fn what_the_fapi2_profile_forbids_is_refused() {
    let s = Server::start().await;
    let b = bank(&s);
    let (q, _) = request(&b.id, true);
    let before = s.snapshot().await;
    let refused = [
        (
            "no PKCE",
            request(&b.id, false).0,
            b.assertion(&s),
            400,
            "invalid_request",
        ),
        (
            "an RS256 assertion",
            q.clone(),
            b.assertion_by(&s, &b.rsa, json!(s.base)),
            401,
            "invalid_client",
        ),
        (
            "aud as an array",
            q.clone(),
            b.assertion_by(&s, &b.key, json!([s.base])),
            401,
            "invalid_client",
        ),
        (
            "an assertion made 62 s ahead",
            q.clone(),
            {
                let h = json!({"alg": "ES256", "kid": b.key.kid, "typ": "JWT"});
                let ahead = s.now() + 62;
                let c = json!({"iss": b.id, "sub": b.id, "aud": s.base, "jti": random_id(),
                    "iat": ahead, "nbf": ahead, "exp": ahead + 60});
                sign_as(&b.key, &h, &c)
            },
            401,
            "invalid_client",
        ),
        (
            "aud the token endpoint",
            q.clone(),
            b.assertion_by(&s, &b.key, json!(format!("{}/token", s.base))),
            401,
            "invalid_client",
        ),
    ];
    for (what, form, assertion, status, error) in refused {
        let (got, e) = b.post(&s, "/par", &form, &assertion, None).await;
        assert_eq!(
            (got, e["error"].as_str()),
            (status, Some(error)),
            "{what}: {e}"
        );
    }
    let after = s.snapshot().await;
    let changed: Vec<_> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v) && **k != "jtis")
        .collect();
    assert!(changed.is_empty(), "{changed:?}");

    // At the token endpoint: no proof, or a proof the profile does not allow.
    let (status, pushed) = b.post(&s, "/par", &q, &b.assertion(&s), None).await;
    assert_eq!(status, 201, "{pushed}");
    let form = "grant_type=authorization_code&code=whatever";
    let (status, e) = b.post(&s, "/token", form, &b.assertion(&s), None).await;
    assert_eq!(
        (status, e["error"].as_str()),
        (400, Some("invalid_dpop_proof"))
    );
    let rsa_proof = DpopKey::of(SigningAlg::RS256).proof(&s, "POST", "/token", None);
    let (status, e) = b
        .post(&s, "/token", form, &b.assertion(&s), Some(&rsa_proof))
        .await;
    assert_eq!(
        (status, e["error"].as_str()),
        (400, Some("invalid_dpop_proof")),
        "{e}"
    );

    // Registrations the profile forbids: CLI exit 2 and the reason.
    let jwks = json!({"keys": [b.key.public_jwk()]});
    let good = metadata(&jwks, "");
    for (json, why) in [
        (
            good.replace("private_key_jwt", "client_secret_basic"),
            "private_key_jwt",
        ),
        (good.replace(r#""ES256""#, r#""RS256""#), "ES256 or EdDSA"),
        (good.replace(SECURE_REDIRECT, REDIRECT), "https"),
        (
            good.replace(
                r#"["authorization_code","refresh_token"]"#,
                r#"["authorization_code","client_credentials"]"#,
            ),
            "grant_types",
        ),
    ] {
        let (code, _, err) = s.cli(&["clients", "create"], &json);
        assert_eq!(code, 2, "{json}");
        assert!(err.contains(why), "{why}: {err}");
    }
}

/// panva's openid-client 6 (`tests/rp_node/fapi2.mjs`) as a FAPI 2.0 client: a signed request
/// object pushed through PAR with PKCE, `private_key_jwt`, DPoP with the server's nonces,
/// then UserInfo and a refresh with proofs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openid_client_signs_in_as_a_fapi2_client() {
    let Some(dir) = rp_node("FAPI 2.0 with openid-client") else {
        return;
    };
    let node = |args: &[&str]| node_json(dir, "fapi2.mjs", args);
    for backend in backends() {
        let s = Server::start_with(backend, "[oauth]\nuse_dpop_nonce = true\n").await;
        let keys = node(&["keys"]);
        let jwks = json!({"keys": [keys["client"]["public"]]});
        let client = s.client_json(&metadata(&jwks, ""));
        let id = client["client_id"].as_str().unwrap();
        let keys = keys.to_string();
        let started = node(&["start", &s.base, id, &keys, SECURE_REDIRECT]);
        let url = started["url"].as_str().unwrap();
        assert!(url.contains("request_uri=urn"), "{url}");
        let (landed, _) = walk(&s, &mut Browser::new(), url, "+4790013002").await;
        let done = node(&[
            "finish",
            &s.base,
            id,
            &keys,
            &landed,
            started["verifier"].as_str().unwrap(),
            started["state"].as_str().unwrap(),
            started["nonce"].as_str().unwrap(),
        ]);
        assert_eq!(done["token_type"], "dpop", "{done}");
        let at = claims(done["access_token"].as_str().unwrap());
        assert!(at["cnf"]["jkt"].is_string(), "{at}");
        assert_eq!(done["userinfo"]["sub"], done["claims"]["sub"]);
        assert_eq!(done["refreshed"]["token_type"], "dpop");
        assert_eq!(
            claims(done["refreshed"]["access_token"].as_str().unwrap())["cnf"],
            at["cnf"]
        );
        assert!(done["refreshed"]["refresh_token"].is_null(), "not rotated");
    }
}
