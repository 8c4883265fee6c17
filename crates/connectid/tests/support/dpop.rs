//! A client's DPoP key (RFC 9449) and the proofs it signs, for the DPoP and FAPI 2.0 suites.

use connectid_core::client::SigningAlg;
use connectid_core::crypto::{b64url, random_id, sha256};
use connectid_core::keys::{KeyCipher, LoadedKey, generate};
use serde_json::{Value, json};

use super::Server;

/// A key pair of one of connectid's algorithms, made here.
pub fn key_pair(alg: SigningAlg) -> LoadedKey {
    let cipher = KeyCipher::new(None);
    LoadedKey::load(&generate(alg, 0, &cipher).unwrap(), &cipher).unwrap()
}

/// A compact JWS with exactly this header and these claims, signed by `key`.
pub fn sign_as(key: &LoadedKey, header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let sig = key.sign_bytes(input.as_bytes()).unwrap();
    format!("{input}.{}", b64url(&sig))
}

pub struct DpopKey(pub LoadedKey);

impl DpopKey {
    pub fn new() -> Self {
        Self(key_pair(SigningAlg::ES256))
    }
    pub fn of(alg: SigningAlg) -> Self {
        Self(key_pair(alg))
    }
    /// The thumbprint tokens bound to this key carry in `cnf.jkt`.
    pub fn jkt(&self) -> String {
        connectid_core::dpop::thumbprint(self.0.public_jwk()).unwrap()
    }
    /// A fresh proof for `method` at `path` of `s` (with `ath` of `token`).
    pub fn proof(&self, s: &Server, method: &str, path: &str, token: Option<&str>) -> String {
        self.proof_with(s, method, path, token, json!({}))
    }
    /// A proof with `claims` set over (or, as null, removed from) the good ones.
    pub fn proof_with(
        &self,
        s: &Server,
        method: &str,
        path: &str,
        token: Option<&str>,
        claims: Value,
    ) -> String {
        let mut c = json!({"jti": random_id(), "htm": method, "htu": format!("{}{path}", s.base),
            "iat": s.now()});
        if let Some(t) = token {
            c["ath"] = json!(b64url(&sha256(t.as_bytes())));
        }
        for (k, v) in claims.as_object().unwrap() {
            match v {
                Value::Null => c.as_object_mut().unwrap().remove(k),
                v => c.as_object_mut().unwrap().insert(k.clone(), v.clone()),
            };
        }
        let header =
            json!({"typ": "dpop+jwt", "alg": self.0.alg.as_str(), "jwk": self.0.public_jwk()});
        sign_as(&self.0, &header, &c)
    }
}
