//! A proof-of-work challenge in ALTCHA's open protocol, asked of a browser only when the SMS
//! pumping rules see risk: the server picks a secret number `n` below `maxnumber` and gives
//! out `challenge = hex(SHA-256(salt ‖ n))`; the browser finds `n` by trying them all (about
//! half a second on a phone at the default difficulty) and sends back the ALTCHA payload,
//! base64 of `{"algorithm","challenge","number","salt","signature"}`.
//!
//! Why proof of work and not a captcha service: nothing is loaded from a third party, no
//! person is asked to click pictures, and a script that posts forms in a loop (the usual
//! SMS pumper) gets nothing without paying CPU for every number. It does not stop an attacker
//! who solves challenges at scale: the rules and the daily budget stay the backstop.
//!
//! Verification here is only the arithmetic; the caller keeps each issued challenge
//! (so a forged one is refused) and uses it once (so a solution cannot be replayed).

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::crypto::{hex, random_bytes, sha256};

/// The difficulty: the secret number is below this.
pub const MAX_NUMBER: u64 = 50_000;

/// What the page hands to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub algorithm: String,
    pub challenge: String,
    pub maxnumber: u64,
    /// Random, with the expiry as ALTCHA writes it (`…?expires=<unix>`).
    pub salt: String,
    /// ALTCHA's widgets echo it; here it names the challenge's record, which the caller keeps.
    pub signature: String,
}

/// What the browser sends back.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Solution {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
}

fn digest(salt: &str, number: u64) -> String {
    hex(&sha256(format!("{salt}{number}").as_bytes()))
}

impl Challenge {
    /// A new challenge valid until `expires` (Unix seconds), below `maxnumber`.
    pub fn new(expires: i64, maxnumber: u64) -> Self {
        let salt = format!("{}?expires={expires}", hex(&random_bytes::<12>()));
        let r = u64::from_le_bytes(random_bytes::<8>());
        let number = r % maxnumber.max(1);
        let challenge = digest(&salt, number);
        Self {
            algorithm: "SHA-256".into(),
            signature: hex(&sha256(format!("connectid:{challenge}").as_bytes())),
            challenge,
            maxnumber,
            salt,
        }
    }

    /// The JSON the page's `data-challenge` carries.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Solution {
    /// Reads the payload a browser sent (base64 of JSON); `None` for anything else.
    pub fn parse(payload: &str) -> Option<Self> {
        if payload.len() > 2048 {
            return None;
        }
        let json = base64::engine::general_purpose::STANDARD
            .decode(payload.trim())
            .ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// When the challenge it answers expires, from its salt.
    pub fn expires(&self) -> Option<i64> {
        let (_, query) = self.salt.split_once('?')?;
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix("expires="))?
            .parse()
            .ok()
    }

    /// Whether it is the right number for its challenge, before it expired at `now`.
    pub fn solves(&self, now: i64) -> bool {
        self.algorithm == "SHA-256"
            && self.expires().is_some_and(|e| now < e)
            && digest(&self.salt, self.number) == self.challenge
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Solves as a browser does: every number until one fits.
    fn solve(c: &Challenge) -> Solution {
        let number = (0..=c.maxnumber)
            .find(|n| digest(&c.salt, *n) == c.challenge)
            .unwrap();
        Solution {
            algorithm: c.algorithm.clone(),
            challenge: c.challenge.clone(),
            number,
            salt: c.salt.clone(),
            signature: c.signature.clone(),
        }
    }

    #[test]
    fn a_solved_challenge_verifies_until_it_expires() {
        let c = Challenge::new(1_000, 2_000);
        let s = solve(&c);
        assert_eq!(s.expires(), Some(1_000));
        assert!(s.solves(999));
        assert!(!s.solves(1_000), "expired");
        let wrong = Solution {
            number: s.number + 1,
            ..s.clone()
        };
        assert!(!wrong.solves(999));
        // Moving the expiry changes the salt, and the number no longer fits.
        let later = Solution {
            salt: s.salt.replace("expires=1000", "expires=9999"),
            ..s
        };
        assert!(!later.solves(999));
    }

    #[test]
    fn the_payload_is_altchas() {
        // ALTCHA's documented shape: base64 of the JSON object.
        let json = r#"{"algorithm":"SHA-256","challenge":"abc","number":7,"salt":"s?expires=5","signature":"x"}"#;
        let payload = base64::engine::general_purpose::STANDARD.encode(json);
        let s = Solution::parse(&payload).unwrap();
        assert_eq!((s.number, s.expires()), (7, Some(5)));
        assert_eq!(Solution::parse("not base64!"), None);
        assert_eq!(Solution::parse(&"A".repeat(4096)), None);
        // A known vector: SHA-256("salt" ‖ "123").
        assert_eq!(digest("salt", 123), hex(&sha256(b"salt123")),);
        let c = Challenge::new(10, MAX_NUMBER);
        assert!(c.to_json().contains("\"maxnumber\":50000"));
    }
}
