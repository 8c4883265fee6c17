//! The JWS/JWT parser and verifier (`keys.rs`: parse_jws, KeySet::verify, verify_with_jwk).
//! Nothing the fuzzer makes may verify against our keys (that would be a forgery); a JSON
//! object it makes, signed by us, must verify and read back unchanged; a client JWK and a
//! token it makes (split at a newline) must be answered without a panic.

#![no_main]

use std::sync::OnceLock;

use connectid_core::client::SigningAlg;
use connectid_core::keys::{
    KeyCipher, KeySet, LoadedKey, alg_of, generate, parse_jws, verify_with_jwk,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn keys() -> &'static KeySet {
    static K: OnceLock<KeySet> = OnceLock::new();
    K.get_or_init(|| {
        let cipher = KeyCipher::new(None);
        KeySet::new(
            SigningAlg::ALL
                .iter()
                .map(|a| {
                    LoadedKey::load(&generate(*a, 0, &cipher).expect("key"), &cipher).expect("load")
                })
                .collect(),
            0,
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ks = keys();
    let parsed = parse_jws(text);
    if let Some(j) = &parsed {
        assert!(j.header.is_object() && j.claims.is_object());
        let _ = alg_of(&j.header);
    }
    assert!(
        ks.verify(text).is_none(),
        "a token the fuzzer made verified: {text}"
    );

    if let Ok(claims @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
        for alg in SigningAlg::ALL {
            let token = ks.sign(alg, "JWT", &claims).expect("sign");
            let back = ks.verify(&token).expect("our own token verifies");
            // What a verifier reads is the signed text parsed once (serde_json's float
            // parsing is not an exact round trip, so not `claims` itself).
            let signed: Value = serde_json::from_str(&claims.to_string()).expect("reparses");
            assert_eq!(back.claims, signed);
        }
    }

    if let Some((jwk, token)) = text.split_once('\n')
        && let Ok(jwk) = serde_json::from_str::<Value>(jwk)
        && let Some(j) = parse_jws(token)
    {
        for alg in SigningAlg::ALL {
            let _ = verify_with_jwk(&jwk, alg, j.signing_input.as_bytes(), &j.signature);
        }
    }
});
