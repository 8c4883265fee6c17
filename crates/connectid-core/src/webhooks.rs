//! Signing as the Standard Webhooks specification does (standardwebhooks.com), so a receiver
//! can check a request with an off-the-shelf library: `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::crypto::hmac_sha256;

/// The key a webhook secret stands for: `whsec_` and base64 as the specification writes
/// secrets (the decoded bytes sign), or any other string as it is.
#[derive(Clone)]
pub struct WebhookKey(Vec<u8>);

impl std::fmt::Debug for WebhookKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookKey(***)")
    }
}

impl WebhookKey {
    pub fn from_secret(secret: &str) -> Result<Self, String> {
        match secret.strip_prefix("whsec_") {
            Some(b64) => STANDARD
                .decode(b64)
                .map(Self)
                .map_err(|_| "a whsec_ secret must be followed by base64".to_string()),
            None => Ok(Self(secret.as_bytes().to_vec())),
        }
    }

    /// The `webhook-signature` value for message `id` sent at `timestamp` (Unix seconds).
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut signed = format!("{id}.{timestamp}.").into_bytes();
        signed.extend_from_slice(body);
        format!("v1,{}", STANDARD.encode(hmac_sha256(&self.0, &signed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_specifications_test_vector() {
        // The example of the Standard Webhooks specification and its reference libraries.
        let key = WebhookKey::from_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            key.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_secret_without_the_prefix_signs_with_its_bytes_and_a_bad_one_is_refused() {
        let raw = WebhookKey::from_secret("0123456789abcdef").unwrap();
        let expected = STANDARD.encode(hmac_sha256(b"0123456789abcdef", b"m.1.{}"));
        assert_eq!(raw.sign("m", 1, b"{}"), format!("v1,{expected}"));
        assert!(WebhookKey::from_secret("whsec_not base64!").is_err());
        assert_eq!(format!("{raw:?}"), "WebhookKey(***)");
    }
}
