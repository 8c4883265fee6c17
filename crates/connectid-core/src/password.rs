//! Password policy and hashing (Argon2id), kept off the async runtime and bounded so that a
//! burst of sign-ins cannot starve every other request.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::crypto::random_bytes;

pub const MIN_LEN: usize = 6;
/// Bytes, not characters: Argon2 cost does not depend on it, but request sizes should.
pub const MAX_BYTES: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least 6 characters")]
    TooShort,
    #[error("the password must be at most 128 bytes")]
    TooLong,
    #[error("this password is too common; choose another")]
    TooCommon,
    #[error("password hashing failed")]
    Hashing,
}

/// A handful of the most common passwords; the full list is the security issue's work.
const COMMON: &[&str] = &[
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "qwerty",
    "qwerty123",
    "111111",
    "123123",
    "abc123",
    "iloveyou",
    "000000",
    "654321",
    "passord",
    "letmein",
    "welcome",
    "monkey",
    "dragon",
    "football",
    "sunshine",
    "princess",
    "admin123",
    "qwertyuiop",
    "666666",
    "121212",
    "112233",
    "secret",
    "passw0rd",
];

/// Checks a new password against the policy (length, common passwords).
pub fn check_policy(password: &str) -> Result<(), PasswordError> {
    if password.len() > MAX_BYTES {
        return Err(PasswordError::TooLong);
    }
    if password.chars().count() < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

/// Hashes and verifies passwords on the blocking pool, at most `permits` at a time.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified against when an account has no password, so that the answer takes as long.
    dummy_hash: Arc<String>,
}

impl PasswordHasher {
    /// OWASP's minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
    pub fn owasp(permits: usize) -> Result<Self, PasswordError> {
        Self::with_params(19 * 1024, 2, permits)
    }

    /// Cheaper parameters, for tests only.
    pub fn with_params(m_kib: u32, t: u32, permits: usize) -> Result<Self, PasswordError> {
        let params = Params::new(m_kib, t, 1, None).map_err(|_| PasswordError::Hashing)?;
        let dummy = hash_blocking(&params, "connectid dummy password")?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(permits.max(1))),
            dummy_hash: Arc::new(dummy),
        })
    }

    pub async fn hash(&self, password: &str) -> Result<String, PasswordError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| PasswordError::Hashing)?;
        let params = self.params.clone();
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_blocking(&params, &password))
            .await
            .map_err(|_| PasswordError::Hashing)?
    }

    /// True when `password` matches `phc`; with `None` it does the same work and says false.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let real = phc.is_some();
        let phc = phc.map_or_else(|| self.dummy_hash.to_string(), str::to_string);
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&password, &phc))
            .await
            .unwrap_or(false);
        ok && real
    }
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
        // six characters of four bytes each is fine: the minimum counts characters
        assert!(check_policy("ææææææ").is_ok());
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = PasswordHasher::with_params(256, 1, 2).unwrap();
        let phc = h.hash("correct horse").await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(h.verify("correct horse", Some(&phc)).await);
        assert!(!h.verify("wrong horse", Some(&phc)).await);
        assert!(!h.verify("correct horse", None).await);
    }
}
