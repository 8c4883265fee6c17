//! Password policy, strength and hashing (Argon2id), the hashing kept off the async runtime and
//! bounded so that a burst of sign-ins cannot starve every other request.
//!
//! The policy follows NIST SP 800-63B and OWASP ASVS V2.1: a length floor and ceiling, no
//! composition rules, and a refusal of passwords that are common, breached, equal to the
//! account's own identifiers or scored too weak by zxcvbn.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::crypto::random_bytes;

pub mod common;
pub mod legacy;
mod strength;

pub use strength::{Strength, Suggestion, Warning, strength};

pub const MIN_LEN: usize = 6;
/// Bytes, not characters: Argon2 cost does not depend on it, but request sizes should.
pub const MAX_BYTES: usize = 128;
/// The zxcvbn score a new password needs unless configured otherwise: 0 is refused, since a
/// password zxcvbn guesses in under ~1,000 tries falls to any online attack that slips past
/// the rate limits.
pub const DEFAULT_MIN_SCORE: u8 = 1;

/// Why a new password is refused. All are the user's to fix (a form error, HTTP 400 on an
/// API), except `Hashing` (HTTP 500).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least 6 characters")]
    TooShort,
    #[error("the password must be at most 128 bytes")]
    TooLong,
    /// On the list of common and breached passwords (case-insensitively).
    #[error("this password is too common; choose another")]
    TooCommon,
    /// Equal to the account's phone number, e-mail address or the part of it before the `@`.
    #[error("the password must not be your phone number or e-mail address")]
    SameAsIdentifier,
    /// zxcvbn scores it below the configured minimum; the strength says why.
    #[error("this password is too easy to guess")]
    TooWeak(Strength),
    #[error("password hashing failed")]
    Hashing,
}

/// What a new password must satisfy beyond the fixed length rules; part of the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Lowest zxcvbn score (0–4) accepted; 0 turns the strength check off.
    pub min_score: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_score: DEFAULT_MIN_SCORE,
        }
    }
}

impl Policy {
    /// Checks a new password for an account known by `identifiers` (its phone numbers and
    /// e-mail addresses, as typed or stored; any other words an attacker would try first may be
    /// added). On success returns the strength, for a meter on the confirmation page.
    pub fn check(&self, password: &str, identifiers: &[&str]) -> Result<Strength, PasswordError> {
        if password.len() > MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        if password.chars().count() < MIN_LEN {
            return Err(PasswordError::TooShort);
        }
        if equals_identifier(password, identifiers) {
            return Err(PasswordError::SameAsIdentifier);
        }
        if common::is_common(password) {
            return Err(PasswordError::TooCommon);
        }
        let s = strength(password, identifiers);
        if s.score < self.min_score {
            return Err(PasswordError::TooWeak(s));
        }
        Ok(s)
    }
}

/// Checks a new password against the default policy, without knowing the account: prefer
/// [`Policy::check`], which also refuses the account's own identifiers.
pub fn check_policy(password: &str) -> Result<(), PasswordError> {
    Policy::default().check(password, &[]).map(|_| ())
}

/// True when `password` is one of `identifiers` (ignoring case and surrounding space), the
/// local part of an e-mail address among them, or a phone number among them written another
/// way: without `+`, with `00`, with spaces or dashes, or only its national part (6+ digits).
pub(crate) fn equals_identifier(password: &str, identifiers: &[&str]) -> bool {
    let pw = password.trim().to_lowercase();
    if pw.is_empty() {
        return false;
    }
    let compact: String = pw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
        .collect();
    // A phone number typed as a password: international with 00, or national with a trunk 0.
    let pw_digits =
        (compact.len() >= MIN_LEN && compact.bytes().all(|b| b.is_ascii_digit())).then(|| {
            let d = compact.strip_prefix("00").unwrap_or(&compact);
            d.strip_prefix('0').unwrap_or(d).to_string()
        });
    identifiers.iter().any(|id| {
        let id = id.trim().to_lowercase();
        if id.is_empty() {
            return false;
        }
        if pw == id {
            return true;
        }
        if let Some((local, _)) = id.split_once('@') {
            return pw == local;
        }
        let id_digits: String = id.chars().filter(char::is_ascii_digit).collect();
        match &pw_digits {
            // a tail long enough to be the number without its country code (1–3 digits)
            Some(d) if id_digits.len() >= MIN_LEN && d.len() + 3 >= id_digits.len() => {
                id_digits.ends_with(d.as_str())
            }
            _ => false,
        }
    })
}

/// The answer of [`PasswordHasher::verify_password`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Wrong password, no password on the account, or a stored hash that cannot be read.
    Mismatch,
    /// The right password. With `needs_rehash`, the stored hash was made with other parameters
    /// (or another algorithm variant) than the current ones: hash the password again and store
    /// it, so that raising the cost reaches every account at its next sign-in.
    Match { needs_rehash: bool },
}

impl Verification {
    pub fn is_match(self) -> bool {
        matches!(self, Self::Match { .. })
    }
}

/// Argon2id memory cost in KiB, OWASP Password Storage Cheat Sheet (m=19456, t=2, p=1).
pub const OWASP_M_KIB: u32 = 19_456;
/// Argon2id passes, OWASP.
pub const OWASP_T: u32 = 2;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of threads that do nothing but hash. Argon2 allocates its memory (19 MiB) per
/// hash; on tokio's blocking pool every new thread would keep such a block in its allocator
/// arena (hundreds of MiB measured under load, `bench/`), while a fixed pool keeps the memory
/// to threads × 19 MiB and leaves the blocking pool to the database.
struct HashPool {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl HashPool {
    fn new(threads: usize) -> Result<Self, PasswordError> {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match rx.lock() {
                            Ok(r) => match r.recv() {
                                Ok(j) => j,
                                Err(_) => return,
                            },
                            Err(_) => return,
                        };
                        job();
                    }
                })
                .map_err(|_| PasswordError::Hashing)?;
        }
        Ok(Self { jobs: tx })
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs.send(job).ok()?;
        rx.await.ok()
    }
}

/// Hashes and verifies passwords on its own threads, at most `permits` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    pool: Arc<HashPool>,
    /// Verified against when an account has no password, so that the answer takes as long.
    /// Made on first need, not at start (a hash at start delays the first request).
    dummy_hash: Arc<tokio::sync::OnceCell<String>>,
    /// For imported Firebase hashes (`[import.firebase]`).
    firebase: Option<Arc<legacy::FirebaseParams>>,
}

impl PasswordHasher {
    /// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane (about 50 ms here).
    pub fn owasp(permits: usize) -> Result<Self, PasswordError> {
        Self::with_params(OWASP_M_KIB, OWASP_T, permits)
    }

    /// Cheaper parameters, for tests only.
    pub fn with_params(m_kib: u32, t: u32, permits: usize) -> Result<Self, PasswordError> {
        let params = Params::new(m_kib, t, 1, None).map_err(|_| PasswordError::Hashing)?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(permits.max(1))),
            pool: Arc::new(HashPool::new(permits)?),
            dummy_hash: Arc::new(tokio::sync::OnceCell::new()),
            firebase: None,
        })
    }

    /// Also verifies imported Firebase scrypt hashes, with their project's parameters.
    pub fn with_firebase(mut self, params: Option<legacy::FirebaseParams>) -> Self {
        self.firebase = params.map(Arc::new);
        self
    }

    /// The Firebase parameters in use, for checking imported hashes.
    pub fn firebase(&self) -> Option<&legacy::FirebaseParams> {
        self.firebase.as_deref()
    }

    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| PasswordError::Hashing)?;
        let params = self.params.clone();
        let password = password.to_string();
        self.pool
            .run(move || hash_blocking(&params, &password))
            .await
            .ok_or(PasswordError::Hashing)?
    }

    /// True when `password` matches `phc`; with `None` it does the same work and says false.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> bool {
        self.verify_password(password, phc).await.is_match()
    }

    /// Like [`Self::verify`], and also says whether a matching hash should be replaced by one
    /// made with the current parameters (see [`Verification::Match`]). With `None` it does the
    /// same work as a real check and answers `Mismatch`, so that accounts without a password
    /// take as long as others.
    pub async fn verify_password(&self, password: &str, phc: Option<&str>) -> Verification {
        let Ok(_permit) = self.permits.acquire().await else {
            return Verification::Mismatch;
        };
        let real = phc.is_some();
        let phc = match phc {
            Some(p) => p.to_string(),
            None => {
                let params = self.params.clone();
                let made = self
                    .dummy_hash
                    .get_or_try_init(|| async {
                        self.pool
                            .run(move || hash_blocking(&params, "connectid dummy password"))
                            .await
                            .ok_or(PasswordError::Hashing)?
                    })
                    .await;
                match made {
                    Ok(h) => h.clone(),
                    Err(_) => return Verification::Mismatch,
                }
            }
        };
        let password = password.to_string();
        let params = self.params.clone();
        let firebase = self.firebase.clone();
        let outcome = self
            .pool
            .run(move || {
                let ok = if legacy::is_legacy(&phc) {
                    legacy::verify(&password, &phc, firebase.as_deref())
                } else {
                    verify_blocking(&password, &phc)
                };
                ok.then(|| needs_rehash(&params, &phc))
            })
            .await
            .flatten();
        match outcome {
            Some(needs_rehash) if real => Verification::Match { needs_rehash },
            _ => Verification::Mismatch,
        }
    }

    /// True when `phc` was not made by [`Self::hash`] with the current parameters: another
    /// algorithm or version, other costs, or another output length. Cheap: it only parses.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        needs_rehash(&self.params, phc)
    }
}

fn needs_rehash(current: &Params, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return true;
    };
    if hash.algorithm != Algorithm::Argon2id.ident() || hash.version != Some(Version::V0x13.into())
    {
        return true;
    }
    let Ok(stored) = Params::try_from(&hash) else {
        return true;
    };
    let out_len = current.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    stored.m_cost() != current.m_cost()
        || stored.t_cost() != current.t_cost()
        || stored.p_cost() != current.p_cost()
        || hash.hash.map(|h| h.len()) != Some(out_len)
}

fn hash_blocking(params: &Params, password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(|_| PasswordError::Hashing)?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hashing)
}

fn verify_blocking(password: &str, phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(check_policy("abc"), Err(PasswordError::TooShort));
        assert_eq!(check_policy(&"x".repeat(129)), Err(PasswordError::TooLong));
        assert_eq!(check_policy("Password"), Err(PasswordError::TooCommon));
        assert!(check_policy("correct horse").is_ok());
        // six characters of two bytes each is fine: the minimum counts characters
        assert!(check_policy("æøåæøå").is_ok());
        // 128 bytes is the ceiling, in bytes: 43 three-byte characters are 129
        assert_eq!(check_policy(&"€".repeat(43)), Err(PasswordError::TooLong));
        assert!(Policy { min_score: 0 }.check(&"€".repeat(42), &[]).is_ok());
    }

    #[test]
    fn the_contract_tests_password_is_accepted() {
        // the outside contract check and the e2e tests sign up with it
        assert!(check_policy("correct horse 42").is_ok());
        assert!(
            Policy::default()
                .check("correct horse 42", &["+4791234567", "kari@example.com"])
                .is_ok()
        );
    }

    #[test]
    fn the_large_list_is_used_case_insensitively() {
        for pw in ["yankees23", "YANKEES23", "Zaq12WsxCde3"] {
            assert_eq!(check_policy(pw), Err(PasswordError::TooCommon), "{pw}");
        }
    }

    #[test]
    fn identifiers_are_refused_in_their_usual_spellings() {
        let ids = ["+4791234567", "Kari.Nordmann@Example.com"];
        let policy = Policy { min_score: 0 };
        for pw in [
            "+4791234567",
            "4791234567",
            "004791234567",
            "+47 912 34 567",
            "91234567",
            "912-34-567",
            "kari.nordmann@example.com",
            " KARI.NORDMANN@example.COM ",
            "kari.nordmann",
        ] {
            assert_eq!(
                policy.check(pw, &ids),
                Err(PasswordError::SameAsIdentifier),
                "{pw}"
            );
        }
        let uk = ["+447700900123"];
        assert_eq!(
            policy.check("07700 900123", &uk),
            Err(PasswordError::SameAsIdentifier)
        );
        // containing, or a short tail of, an identifier is zxcvbn's business, not a refusal
        for pw in [
            "234567",
            "kari.nordmann@example.com!!",
            "my 91234567 and more",
        ] {
            assert_ne!(
                policy.check(pw, &ids),
                Err(PasswordError::SameAsIdentifier),
                "{pw}"
            );
        }
    }

    #[test]
    fn the_minimum_score_is_configurable() {
        // Not on any list, yet zxcvbn scores it 0: a repeated pair.
        let pw = "ababababab";
        let zero = strength(pw, &[]).score;
        assert_eq!(zero, 0);
        assert!(matches!(
            Policy::default().check(pw, &[]),
            Err(PasswordError::TooWeak(s)) if s.score == 0 && s.warning.is_some()
        ));
        assert!(Policy { min_score: 0 }.check(pw, &[]).is_ok());
        let strong = Policy { min_score: 4 };
        assert!(matches!(
            strong.check("summer2024!", &[]),
            Err(PasswordError::TooWeak(_))
        ));
        assert_eq!(
            strong
                .check("correct horse battery staple", &[])
                .map(|s| s.score),
            Ok(4)
        );
    }

    #[test]
    fn policy_deserializes_with_defaults() {
        let p: Policy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, Policy::default());
        assert_eq!(p.min_score, 1);
        let p: Policy = serde_json::from_str(r#"{"min_score": 3}"#).unwrap();
        assert_eq!(p.min_score, 3);
        assert!(serde_json::from_str::<Policy>(r#"{"min_scor": 3}"#).is_err());
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = PasswordHasher::with_params(256, 1, 2).unwrap();
        let phc = h.hash("correct horse").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=256,t=1,p=1$"));
        assert!(h.verify("correct horse", Some(&phc)).await);
        assert!(!h.verify("wrong horse", Some(&phc)).await);
        assert!(!h.verify("correct horse", None).await);
        assert_eq!(
            h.verify_password("correct horse", Some(&phc)).await,
            Verification::Match {
                needs_rehash: false
            }
        );
        assert_eq!(
            h.verify_password("wrong horse", Some(&phc)).await,
            Verification::Mismatch
        );
        assert_eq!(
            h.verify_password("x", Some("not a hash")).await,
            Verification::Mismatch
        );
    }

    #[tokio::test]
    async fn owasp_parameters() {
        let h = PasswordHasher::owasp(1).unwrap();
        let phc = h.hash("correct horse").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!h.needs_rehash(&phc));
    }

    #[tokio::test]
    async fn a_hash_with_other_parameters_asks_for_a_rehash() {
        let old = PasswordHasher::with_params(256, 1, 1).unwrap();
        let new = PasswordHasher::with_params(512, 1, 1).unwrap();
        let phc = old.hash("correct horse").await.unwrap();
        assert_eq!(
            new.verify_password("correct horse", Some(&phc)).await,
            Verification::Match { needs_rehash: true }
        );
        // a wrong password never asks for anything
        assert_eq!(
            new.verify_password("wrong horse", Some(&phc)).await,
            Verification::Mismatch
        );
        let fresh = new.hash("correct horse").await.unwrap();
        assert!(!new.needs_rehash(&fresh));

        // other passes, another variant (argon2i), another output length
        let t2 = PasswordHasher::with_params(256, 2, 1).unwrap();
        assert!(t2.needs_rehash(&phc));
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let argon2i = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(256, 1, 1, None).unwrap(),
        )
        .hash_password(b"correct horse", &salt)
        .unwrap()
        .to_string();
        assert_eq!(
            old.verify_password("correct horse", Some(&argon2i)).await,
            Verification::Match { needs_rehash: true }
        );
        let long = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(256, 1, 1, Some(64)).unwrap(),
        )
        .hash_password(b"correct horse", &salt)
        .unwrap()
        .to_string();
        assert!(old.needs_rehash(&long));
        assert!(old.needs_rehash("garbage"));
    }
}
