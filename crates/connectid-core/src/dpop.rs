//! DPoP proofs (RFC 9449): a JWT the client signs with a key of its own for each request,
//! naming the method and URL, so that a token bound to that key (`cnf.jkt`) is worthless to
//! whoever copies it. This module checks a proof as a value; what needs storage (a `jti` seen
//! once across nodes) or configuration (server nonces) is the caller's.

use serde_json::{Value, json};

use crate::client::SigningAlg;
use crate::crypto::{b64url, constant_time_eq, hmac_sha256, sha256};
use crate::keys::{alg_of, parse_jws, verify_with_jwk};

/// A proof may be this old (RFC 9449 §11.1 leaves the window to the server)…
pub const MAX_AGE: i64 = 300;
/// …and this far ahead of our clock.
pub const MAX_AHEAD: i64 = 60;
/// A proof is a few hundred bytes; anything much larger is not one.
const MAX_LEN: usize = 8 * 1024;
/// How long one server nonce is handed out; the one before it is accepted too.
const NONCE_WINDOW: i64 = 300;

/// A checked proof: the key's thumbprint the tokens are bound to, and what replay needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Proof {
    /// RFC 7638 SHA-256 thumbprint of the proof's public key, base64url.
    pub jkt: String,
    pub jti: String,
    pub iat: i64,
    pub alg: SigningAlg,
}

/// What the request the proof came with was.
pub struct Expected<'a> {
    pub method: &'a str,
    /// The URL without query or fragment (RFC 9449 §4.3 item 9).
    pub url: &'a str,
    pub now: i64,
    /// The access token presented beside the proof, which `ath` must hash.
    pub access_token: Option<&'a str>,
    /// The nonces the proof may carry, when the server asks for one.
    pub nonces: Option<&'a Nonces>,
}

/// Why a proof is refused: `invalid_dpop_proof`, or `use_dpop_nonce` when only the server
/// nonce is missing or stale (the client retries with the one it is given).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProofError {
    #[error("{0}")]
    Invalid(&'static str),
    #[error("the DPoP proof must carry the server's current nonce")]
    Nonce,
}

/// Checks `proof` against `expected`: `typ`, an asymmetric `alg` and a public `jwk` that
/// signed it, `htm`, `htu`, `iat` in the window, `ath`, the nonce. Not the `jti`'s novelty.
pub fn check(proof: &str, expected: &Expected<'_>) -> Result<Proof, ProofError> {
    use ProofError::Invalid;
    if proof.len() > MAX_LEN {
        return Err(Invalid("the DPoP proof is too large"));
    }
    let jws = parse_jws(proof).ok_or(Invalid("the DPoP proof is not a signed JWT"))?;
    let h = &jws.header;
    if h.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err(Invalid("the DPoP proof's typ must be dpop+jwt"));
    }
    let alg = alg_of(h).ok_or(Invalid("the DPoP proof's alg is not supported"))?;
    let jwk = h
        .get("jwk")
        .filter(|k| k.is_object())
        .ok_or(Invalid("the DPoP proof has no jwk"))?;
    if ["d", "p", "q", "dp", "dq", "qi", "k"]
        .iter()
        .any(|n| jwk.get(n).is_some())
    {
        return Err(Invalid(
            "the DPoP proof's jwk holds a private or symmetric key",
        ));
    }
    if !verify_with_jwk(jwk, alg, jws.signing_input.as_bytes(), &jws.signature) {
        return Err(Invalid("the DPoP proof's signature does not verify"));
    }
    let jkt = thumbprint(jwk).ok_or(Invalid("the DPoP proof's jwk is malformed"))?;
    let c = &jws.claims;
    let s = |n: &str| c.get(n).and_then(Value::as_str);
    let jti = s("jti")
        .filter(|j| (1..=256).contains(&j.len()))
        .ok_or(Invalid("the DPoP proof has no usable jti"))?;
    if s("htm") != Some(expected.method) {
        return Err(Invalid("the DPoP proof is for another method (htm)"));
    }
    let htu = s("htu").ok_or(Invalid("the DPoP proof has no htu"))?;
    if normalized(htu) != normalized(expected.url) {
        return Err(Invalid("the DPoP proof is for another URL (htu)"));
    }
    let iat = c
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or(Invalid("the DPoP proof has no iat"))?;
    if iat < expected.now - MAX_AGE || iat > expected.now + MAX_AHEAD {
        return Err(Invalid(
            "the DPoP proof is too old or from the future (iat)",
        ));
    }
    if let Some(token) = expected.access_token {
        let ath = b64url(&sha256(token.as_bytes()));
        if !s("ath").is_some_and(|a| constant_time_eq(a.as_bytes(), ath.as_bytes())) {
            return Err(Invalid(
                "the DPoP proof's ath is not the access token's hash",
            ));
        }
    }
    if let Some(nonces) = expected.nonces
        && !s("nonce").is_some_and(|n| nonces.accepts(n, expected.now))
    {
        return Err(ProofError::Nonce);
    }
    Ok(Proof {
        jkt,
        jti: jti.to_string(),
        iat,
        alg,
    })
}

/// A URL as `htu` is compared (RFC 9449 §4.3, RFC 3986 §6.2.2–6.2.3): scheme and host
/// without case, a default port as none, an empty path as `/`, no query or fragment.
fn normalized(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut authority = authority.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    if !default_port.is_empty() && authority.ends_with(default_port) {
        authority.truncate(authority.len() - default_port.len());
    }
    let path = if path.is_empty() { "/" } else { path };
    format!("{scheme}://{authority}{path}")
}

/// RFC 7638: SHA-256 over the key's required members, in lexicographic order, no spaces.
pub fn thumbprint(jwk: &Value) -> Option<String> {
    let s = |n: &str| jwk.get(n).and_then(Value::as_str);
    // serde_json's map is ordered by key, so `to_string` gives RFC 7638's canonical form.
    let required = match s("kty")? {
        "RSA" => json!({"e": s("e")?, "kty": "RSA", "n": s("n")?}),
        "EC" => json!({"crv": s("crv")?, "kty": "EC", "x": s("x")?, "y": s("y")?}),
        "OKP" => json!({"crv": s("crv")?, "kty": "OKP", "x": s("x")?}),
        _ => return None,
    };
    Some(b64url(&sha256(required.to_string().as_bytes())))
}

/// Server nonces (RFC 9449 §8) every node can make and check without sharing state: an HMAC
/// of the current five-minute window under a secret all nodes derive alike.
pub struct Nonces {
    secret: Vec<u8>,
}

impl Nonces {
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }
    /// The nonce to hand out now.
    pub fn current(&self, now: i64) -> String {
        self.of_window(now.div_euclid(NONCE_WINDOW))
    }
    /// The current window's nonce or the one before it.
    pub fn accepts(&self, nonce: &str, now: i64) -> bool {
        let w = now.div_euclid(NONCE_WINDOW);
        [w, w - 1]
            .iter()
            .any(|w| constant_time_eq(self.of_window(*w).as_bytes(), nonce.as_bytes()))
    }
    fn of_window(&self, window: i64) -> String {
        b64url(&hmac_sha256(&self.secret, &window.to_be_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyCipher, LoadedKey, generate};

    const URL: &str = "https://id.example/token";

    fn key(alg: SigningAlg) -> LoadedKey {
        let cipher = KeyCipher::new(None);
        LoadedKey::load(&generate(alg, 0, &cipher).unwrap(), &cipher).unwrap()
    }

    /// A proof signed by `k`, its public key in the header, with `claims` over the defaults.
    fn proof(k: &LoadedKey, typ: &str, claims: Value) -> String {
        let mut c = json!({"jti": "j1", "htm": "POST", "htu": URL, "iat": 1000});
        for (n, v) in claims.as_object().unwrap() {
            c[n] = v.clone();
        }
        let h = json!({"typ": typ, "alg": k.alg.as_str(), "jwk": k.public_jwk()});
        let input = format!(
            "{}.{}",
            b64url(h.to_string().as_bytes()),
            b64url(c.to_string().as_bytes())
        );
        let sig = k.sign_bytes(input.as_bytes()).unwrap();
        format!("{input}.{}", b64url(&sig))
    }

    fn expected<'a>(token: Option<&'a str>, nonces: Option<&'a Nonces>) -> Expected<'a> {
        Expected {
            method: "POST",
            url: URL,
            now: 1000,
            access_token: token,
            nonces,
        }
    }

    #[test]
    fn a_good_proof_gives_the_keys_thumbprint() {
        for alg in SigningAlg::ALL {
            let k = key(alg);
            let p = check(&proof(&k, "dpop+jwt", json!({})), &expected(None, None)).unwrap();
            assert_eq!(p.jkt, thumbprint(k.public_jwk()).unwrap());
            assert_eq!((p.jti.as_str(), p.iat, p.alg), ("j1", 1000, alg));
        }
    }

    #[test]
    fn rfc_7638_example_thumbprint() {
        let jwk = json!({"kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(
            thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn every_broken_proof_is_refused() {
        let k = key(SigningAlg::ES256);
        let other = key(SigningAlg::ES256);
        let none = format!(
            "{}.{}.",
            b64url(
                json!({"typ": "dpop+jwt", "alg": "none", "jwk": k.public_jwk()})
                    .to_string()
                    .as_bytes()
            ),
            b64url(
                json!({"jti": "j", "htm": "POST", "htu": URL, "iat": 1000})
                    .to_string()
                    .as_bytes()
            )
        );
        let swapped = {
            // Signed by `other`, claiming `k`'s public key.
            let good = proof(&other, "dpop+jwt", json!({}));
            let (_, rest) = good.split_once('.').unwrap();
            let h = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": k.public_jwk()});
            format!("{}.{rest}", b64url(h.to_string().as_bytes()))
        };
        let cases = [
            ("typ", proof(&k, "JWT", json!({}))),
            ("alg none", none),
            ("key swap", swapped),
            ("htm", proof(&k, "dpop+jwt", json!({"htm": "GET"}))),
            (
                "htu",
                proof(&k, "dpop+jwt", json!({"htu": "https://evil.example/token"})),
            ),
            (
                "old",
                proof(&k, "dpop+jwt", json!({"iat": 1000 - MAX_AGE - 1})),
            ),
            (
                "ahead",
                proof(&k, "dpop+jwt", json!({"iat": 1000 + MAX_AHEAD + 1})),
            ),
            ("no jti", proof(&k, "dpop+jwt", json!({"jti": ""}))),
            ("huge", "a".repeat(MAX_LEN + 1)),
            ("garbage", "a.b.c".into()),
        ];
        for (what, p) in cases {
            assert!(
                matches!(
                    check(&p, &expected(None, None)),
                    Err(ProofError::Invalid(_))
                ),
                "{what}"
            );
        }
    }

    #[test]
    fn htu_is_compared_normalised_and_ath_must_hash_the_token() {
        let k = key(SigningAlg::EdDSA);
        for htu in [
            format!("{URL}?x=1"),
            "HTTPS://ID.Example:443/token#f".into(),
        ] {
            let p = proof(&k, "dpop+jwt", json!({ "htu": htu }));
            assert!(check(&p, &expected(None, None)).is_ok(), "{htu}");
        }
        let p = proof(&k, "dpop+jwt", json!({"htu": "https://id.example/Token"}));
        assert!(
            check(&p, &expected(None, None)).is_err(),
            "the path keeps its case"
        );
        let ath = b64url(&sha256(b"tok"));
        let p = proof(&k, "dpop+jwt", json!({"ath": ath}));
        assert!(check(&p, &expected(Some("tok"), None)).is_ok());
        assert!(check(&p, &expected(Some("other"), None)).is_err());
        let p = proof(&k, "dpop+jwt", json!({}));
        assert!(check(&p, &expected(Some("tok"), None)).is_err());
    }

    #[test]
    fn nonces_last_two_windows_and_are_asked_for() {
        let n = Nonces::new(b"secret".to_vec());
        let now = 1000;
        assert!(n.accepts(&n.current(now), now + NONCE_WINDOW));
        assert!(!n.accepts(&n.current(now), now + 2 * NONCE_WINDOW));
        assert!(!Nonces::new(b"other".to_vec()).accepts(&n.current(now), now));
        let k = key(SigningAlg::ES256);
        let without = proof(&k, "dpop+jwt", json!({}));
        assert_eq!(
            check(&without, &expected(None, Some(&n))),
            Err(ProofError::Nonce)
        );
        let with = proof(&k, "dpop+jwt", json!({"nonce": n.current(now)}));
        assert!(check(&with, &expected(None, Some(&n))).is_ok());
    }
}
