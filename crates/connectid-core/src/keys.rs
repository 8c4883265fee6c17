//! Signing keys and JSON Web Signatures.
//!
//! Key pairs are parsed once and cached ([`KeySet`]); signing uses aws-lc-rs directly because
//! re-parsing a private key per token costs more than the signature itself. Private keys may be
//! sealed at rest with AES-256-GCM when an encryption key is configured.

use std::sync::Arc;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, ED25519, EcdsaKeyPair,
    Ed25519KeyPair, KeyPair as _, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, UnparsedPublicKey,
};
use serde_json::{Value, json};

use crate::client::SigningAlg;
use crate::crypto::{b64url, b64url_decode, random_bytes, random_id, sha256};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key generation failed")]
    Generate,
    #[error("stored key {0} cannot be read (wrong [keys] encryption_key?)")]
    Unreadable(String),
    #[error("signing failed")]
    Sign,
    #[error("no active signing key for {0}")]
    NoKey(&'static str),
}

/// A key as the store keeps it.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub kid: String,
    pub alg: SigningAlg,
    /// PKCS#8 DER, or an `enc1` sealed blob of it.
    pub private_key: Vec<u8>,
    pub created_at: i64,
    /// Set when a newer key took over; the key stays published for a while after.
    pub retired_at: Option<i64>,
}

const SEALED_PREFIX: &[u8] = b"enc1";

/// Seals or opens private keys at rest. Built from `[keys] encryption_key`.
#[derive(Clone)]
pub struct KeyCipher(Option<Arc<LessSafeKey>>);

impl KeyCipher {
    pub fn new(passphrase: Option<&str>) -> Self {
        Self(passphrase.filter(|p| !p.is_empty()).and_then(|p| {
            let key = UnboundKey::new(&AES_256_GCM, &sha256(p.as_bytes())).ok()?;
            Some(Arc::new(LessSafeKey::new(key)))
        }))
    }

    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, KeyError> {
        let Some(key) = &self.0 else {
            return Ok(plain.to_vec());
        };
        let nonce = random_bytes::<12>();
        let mut buf = plain.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(SEALED_PREFIX),
            &mut buf,
        )
        .map_err(|_| KeyError::Generate)?;
        let mut out = SEALED_PREFIX.to_vec();
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&buf);
        Ok(out)
    }

    pub fn open(&self, kid: &str, stored: &[u8]) -> Result<Vec<u8>, KeyError> {
        let unreadable = || KeyError::Unreadable(kid.to_string());
        match (stored.strip_prefix(SEALED_PREFIX), &self.0) {
            (None, _) => Ok(stored.to_vec()),
            (Some(_), None) => Err(unreadable()),
            (Some(rest), Some(key)) => {
                if rest.len() < 12 + 16 {
                    return Err(unreadable());
                }
                let (nonce, ct) = rest.split_at(12);
                let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| unreadable())?;
                let mut buf = ct.to_vec();
                let plain = key
                    .open_in_place(nonce, Aad::from(SEALED_PREFIX), &mut buf)
                    .map_err(|_| unreadable())?;
                Ok(plain.to_vec())
            }
        }
    }
}

/// Makes a fresh key of the given algorithm (RSA-2048 for RS256, P-256, Ed25519).
pub fn generate(alg: SigningAlg, now: i64, cipher: &KeyCipher) -> Result<StoredKey, KeyError> {
    let der = match alg {
        SigningAlg::RS256 => RsaKeyPair::generate(KeySize::Rsa2048)
            .and_then(|k| k.as_der())
            .map(|d| d.as_ref().to_vec()),
        SigningAlg::ES256 => EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .and_then(|k| k.to_pkcs8v1())
            .map(|d| d.as_ref().to_vec()),
        SigningAlg::EdDSA => Ed25519KeyPair::generate()
            .and_then(|k| k.to_pkcs8())
            .map(|d| d.as_ref().to_vec()),
    }
    .map_err(|_| KeyError::Generate)?;
    Ok(StoredKey {
        kid: random_id()[..16].to_string(),
        alg,
        private_key: cipher.seal(&der)?,
        created_at: now,
        retired_at: None,
    })
}

enum Pair {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// A parsed key: its pair for signing, its public JWK, and header prefixes made once.
pub struct LoadedKey {
    pub kid: String,
    pub alg: SigningAlg,
    pub created_at: i64,
    pub retired_at: Option<i64>,
    pair: Pair,
    public_jwk: Value,
}

impl LoadedKey {
    pub fn load(stored: &StoredKey, cipher: &KeyCipher) -> Result<Self, KeyError> {
        let der = cipher.open(&stored.kid, &stored.private_key)?;
        let bad = |_| KeyError::Unreadable(stored.kid.clone());
        let kid = stored.kid.clone();
        let (pair, public_jwk) = match stored.alg {
            SigningAlg::RS256 => {
                let kp = RsaKeyPair::from_pkcs8(&der).map_err(bad)?;
                let c = PublicKeyComponents::<Vec<u8>>::from(kp.public_key());
                let jwk = json!({"kty":"RSA","use":"sig","alg":"RS256","kid":kid,
                    "n":b64url(&c.n),"e":b64url(&c.e)});
                (Pair::Rsa(kp), jwk)
            }
            SigningAlg::ES256 => {
                let kp = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
                    .map_err(bad)?;
                let point = kp.public_key().as_ref();
                if point.len() != 65 {
                    return Err(KeyError::Unreadable(kid));
                }
                let jwk = json!({"kty":"EC","use":"sig","alg":"ES256","kid":kid,"crv":"P-256",
                    "x":b64url(&point[1..33]),"y":b64url(&point[33..65])});
                (Pair::Ec(kp), jwk)
            }
            SigningAlg::EdDSA => {
                let kp = Ed25519KeyPair::from_pkcs8(&der).map_err(bad)?;
                let jwk = json!({"kty":"OKP","use":"sig","alg":"EdDSA","kid":kid,"crv":"Ed25519",
                    "x":b64url(kp.public_key().as_ref())});
                (Pair::Ed(kp), jwk)
            }
        };
        Ok(Self {
            kid: stored.kid.clone(),
            alg: stored.alg,
            created_at: stored.created_at,
            retired_at: stored.retired_at,
            pair,
            public_jwk,
        })
    }

    pub fn public_jwk(&self) -> &Value {
        &self.public_jwk
    }

    /// The signature over `input` (a JWS signing input), for JWTs whose header is not ours.
    pub fn sign_bytes(&self, input: &[u8]) -> Result<Vec<u8>, KeyError> {
        let rng = SystemRandom::new();
        match &self.pair {
            Pair::Rsa(kp) => {
                let mut sig = vec![0u8; kp.public_modulus_len()];
                kp.sign(&RSA_PKCS1_SHA256, &rng, input, &mut sig)
                    .map_err(|_| KeyError::Sign)?;
                Ok(sig)
            }
            Pair::Ec(kp) => kp
                .sign(&rng, input)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| KeyError::Sign),
            Pair::Ed(kp) => Ok(kp.sign(input).as_ref().to_vec()),
        }
    }

    fn verify_bytes(&self, input: &[u8], sig: &[u8]) -> bool {
        verify_with_jwk(&self.public_jwk, self.alg, input, sig)
    }

    /// Signs `claims` as a compact JWS with header `typ`.
    pub fn sign_jwt(&self, typ: &str, claims: &Value) -> Result<String, KeyError> {
        let header = json!({"alg": self.alg.as_str(), "kid": self.kid, "typ": typ});
        let mut out = b64url(header.to_string().as_bytes());
        out.push('.');
        out.push_str(&b64url(claims.to_string().as_bytes()));
        let sig = self.sign_bytes(out.as_bytes())?;
        out.push('.');
        out.push_str(&b64url(&sig));
        Ok(out)
    }
}

/// Verifies a signature with a public JWK (ours or a client's, for `private_key_jwt`).
pub fn verify_with_jwk(jwk: &Value, alg: SigningAlg, input: &[u8], sig: &[u8]) -> bool {
    let field = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(b64url_decode)
    };
    match (alg, jwk.get("kty").and_then(Value::as_str)) {
        (SigningAlg::RS256, Some("RSA")) => {
            let (Some(n), Some(e)) = (field("n"), field("e")) else {
                return false;
            };
            PublicKeyComponents { n, e }
                .verify(&RSA_PKCS1_2048_8192_SHA256, input, sig)
                .is_ok()
        }
        (SigningAlg::ES256, Some("EC")) => {
            let (Some(x), Some(y)) = (field("x"), field("y")) else {
                return false;
            };
            if x.len() != 32 || y.len() != 32 {
                return false;
            }
            let mut point = vec![4u8];
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                .verify(input, sig)
                .is_ok()
        }
        (SigningAlg::EdDSA, Some("OKP")) => {
            let Some(x) = field("x") else { return false };
            UnparsedPublicKey::new(&ED25519, x)
                .verify(input, sig)
                .is_ok()
        }
        _ => false,
    }
}

/// Splits a compact JWS into header, claims and the parts a verifier needs.
pub struct ParsedJws {
    pub header: Value,
    pub claims: Value,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

pub fn parse_jws(token: &str) -> Option<ParsedJws> {
    if token.len() > 16 * 1024 {
        return None;
    }
    let mut parts = token.split('.');
    let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&b64url_decode(h)?).ok()?;
    let claims: Value = serde_json::from_slice(&b64url_decode(c)?).ok()?;
    if !header.is_object() || !claims.is_object() {
        return None;
    }
    Some(ParsedJws {
        header,
        claims,
        signing_input: format!("{h}.{c}"),
        signature: b64url_decode(s)?,
    })
}

pub fn alg_of(header: &Value) -> Option<SigningAlg> {
    match header.get("alg")?.as_str()? {
        "RS256" => Some(SigningAlg::RS256),
        "ES256" => Some(SigningAlg::ES256),
        "EdDSA" => Some(SigningAlg::EdDSA),
        _ => None,
    }
}

/// Every key that is published, and the newest unretired one per algorithm for signing.
pub struct KeySet {
    keys: Vec<LoadedKey>,
    jwks: Vec<u8>,
    /// Per algorithm, the index in `keys` of the key that signs.
    signing: Vec<(SigningAlg, usize)>,
    /// [`Self::nonce_secret`], made once per key set.
    nonce_secret: std::sync::OnceLock<Option<Vec<u8>>>,
}

/// How long a new key is published before it signs. Every node reloads its keys every 15 s
/// (`spawn_maintenance`): 45 s later every node lists the key in its JWKS and accepts what it
/// signs, so a token signed on one node is never refused by another (no sticky sessions).
/// The key it replaces signs until then, and stays published after (`KEEP_RETIRED_SECS`).
pub const KEY_ACTIVATION_SECS: i64 = 45;

impl KeySet {
    /// `keys` as the store lists them (already without the expired ones), as of `now`: the
    /// newest key of each algorithm published for [`KEY_ACTIVATION_SECS`] signs; before any
    /// is, the oldest (a deployment's very first key signs at once: there is no other).
    pub fn new(mut keys: Vec<LoadedKey>, now: i64) -> Self {
        keys.sort_by_key(|k| std::cmp::Reverse(k.kid.clone()));
        let jwks = json!({"keys": keys.iter().map(|k| k.public_jwk.clone()).collect::<Vec<_>>()});
        let signing = SigningAlg::ALL
            .iter()
            .filter_map(|alg| {
                let of_alg = || keys.iter().enumerate().filter(|(_, k)| k.alg == *alg);
                let age = |(_, k): &(usize, &LoadedKey)| (k.created_at, k.kid.clone());
                let active = of_alg()
                    .filter(|(_, k)| k.created_at + KEY_ACTIVATION_SECS <= now)
                    .max_by_key(age);
                // None active yet (a first start, or a rotation right after it): the one
                // published longest.
                active
                    .or_else(|| of_alg().min_by_key(age))
                    .map(|(i, _)| (*alg, i))
            })
            .collect();
        Self {
            jwks: jwks.to_string().into_bytes(),
            keys,
            signing,
            nonce_secret: std::sync::OnceLock::new(),
        }
    }

    pub fn jwks_json(&self) -> &[u8] {
        &self.jwks
    }

    pub fn signing_key(&self, alg: SigningAlg) -> Result<&LoadedKey, KeyError> {
        self.signing
            .iter()
            .find(|(a, _)| *a == alg)
            .and_then(|(_, i)| self.keys.get(*i))
            .ok_or(KeyError::NoKey(alg.as_str()))
    }

    pub fn sign(&self, alg: SigningAlg, typ: &str, claims: &Value) -> Result<String, KeyError> {
        self.signing_key(alg)?.sign_jwt(typ, claims)
    }

    /// Verifies a token signed by one of our keys; returns its header and claims.
    pub fn verify(&self, token: &str) -> Option<ParsedJws> {
        let jws = parse_jws(token)?;
        let alg = alg_of(&jws.header)?;
        let kid = jws.header.get("kid")?.as_str()?;
        let key = self.keys.iter().find(|k| k.kid == kid && k.alg == alg)?;
        key.verify_bytes(jws.signing_input.as_bytes(), &jws.signature)
            .then_some(jws)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// A secret every node derives alike from the deployment's keys, for server nonces any
    /// node must be able to check and nobody to forge (DPoP): Ed25519 signatures are
    /// deterministic, so the signing key's signature over a fixed label is the same
    /// everywhere. It changes when the keys rotate, which ends the nonces made with the old
    /// one. Made once per key set.
    pub fn nonce_secret(&self) -> Option<&[u8]> {
        self.nonce_secret
            .get_or_init(|| {
                let key = self.signing_key(SigningAlg::EdDSA).ok()?;
                let sig = key.sign_bytes(b"connectid nonce secret").ok()?;
                Some(sha256(&sig))
            })
            .as_deref()
    }
}

/// `at_hash`: the left half of the access token's hash, where OIDC Core ties the hash to the
/// ID token's algorithm: SHA-256 for RS256 and ES256, SHA-512 for EdDSA with Ed25519.
pub fn at_hash(alg: SigningAlg, access_token: &str) -> String {
    let digest = match alg {
        SigningAlg::EdDSA => {
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, access_token.as_bytes())
                .as_ref()
                .to_vec()
        }
        _ => sha256(access_token.as_bytes()),
    };
    b64url(&digest[..digest.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cipher: &KeyCipher) -> KeySet {
        let keys = SigningAlg::ALL
            .iter()
            .map(|a| LoadedKey::load(&generate(*a, 0, cipher).unwrap(), cipher).unwrap())
            .collect();
        KeySet::new(keys, 0)
    }

    #[test]
    fn a_new_key_is_published_before_it_signs() {
        let cipher = KeyCipher::new(None);
        let stored = |created: i64, retired: Option<i64>| {
            let mut k = generate(SigningAlg::ES256, created, &cipher).unwrap();
            k.retired_at = retired;
            k
        };
        // A rotation at 1000: the old key is retired, the new one is not yet active.
        let (old, new) = (stored(0, Some(1000)), stored(1000, None));
        let at = |now: i64| {
            let load = |k| LoadedKey::load(k, &cipher).unwrap();
            KeySet::new(vec![load(&old), load(&new)], now)
        };
        let early = at(1000 + KEY_ACTIVATION_SECS - 1);
        assert_eq!(early.signing_key(SigningAlg::ES256).unwrap().kid, old.kid);
        assert!(
            String::from_utf8_lossy(early.jwks_json()).contains(&new.kid),
            "published"
        );
        let later = at(1000 + KEY_ACTIVATION_SECS);
        assert_eq!(later.signing_key(SigningAlg::ES256).unwrap().kid, new.kid);
        // What the old key signed still verifies after the switch.
        let t = early
            .sign(SigningAlg::ES256, "JWT", &json!({"sub":"x"}))
            .unwrap();
        assert!(later.verify(&t).is_some());
        // A deployment's first key signs at once, and keeps signing through a rotation made
        // before it was itself active.
        let first = stored(5000, None);
        let load = |k| LoadedKey::load(k, &cipher).unwrap();
        let ks = KeySet::new(vec![load(&first)], 5000);
        assert_eq!(ks.signing_key(SigningAlg::ES256).unwrap().kid, first.kid);
        assert!(ks.signing_key(SigningAlg::RS256).is_err());
        let (retired, soon) = (stored(5000, Some(5010)), stored(5010, None));
        let ks = KeySet::new(vec![load(&retired), load(&soon)], 5020);
        assert_eq!(ks.signing_key(SigningAlg::ES256).unwrap().kid, retired.kid);
    }

    #[test]
    fn every_algorithm_signs_and_verifies() {
        let ks = set(&KeyCipher::new(None));
        for alg in SigningAlg::ALL {
            let t = ks.sign(alg, "JWT", &json!({"sub":"x"})).unwrap();
            let v = ks.verify(&t).unwrap();
            assert_eq!(v.claims["sub"], "x");
            let mut tampered = t.clone();
            tampered.insert(t.find('.').unwrap() + 2, 'A');
            assert!(ks.verify(&tampered).is_none(), "{alg:?}");
        }
    }

    #[test]
    fn jwks_has_no_private_parts() {
        let ks = set(&KeyCipher::new(None));
        let jwks: Value = serde_json::from_slice(ks.jwks_json()).unwrap();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 3);
        for k in jwks["keys"].as_array().unwrap() {
            for private in ["d", "p", "q", "dp", "dq", "qi"] {
                assert!(k.get(private).is_none());
            }
        }
    }

    #[test]
    fn sealed_keys_need_the_passphrase() {
        let c = KeyCipher::new(Some("s3cret"));
        let k = generate(SigningAlg::EdDSA, 0, &c).unwrap();
        assert!(k.private_key.starts_with(SEALED_PREFIX));
        assert!(LoadedKey::load(&k, &c).is_ok());
        assert!(LoadedKey::load(&k, &KeyCipher::new(Some("other"))).is_err());
        assert!(LoadedKey::load(&k, &KeyCipher::new(None)).is_err());
    }
}
