//! Password hashes made by other systems, accepted when accounts move in
//! (`connectid accounts import`): bcrypt, PBKDF2 (passlib's and the PHC form), scrypt, Argon2i
//! and Firebase's modified scrypt. Each is checked with its own algorithm at the account's
//! first sign-in and then replaced by Argon2id, as a change of parameters already is
//! ([`super::Verification::Match`] with `needs_rehash`).
//!
//! Costs are capped when a hash is read: an imported hash is verified on every sign-in attempt
//! until it is replaced, so one with a cost of minutes (or gigabytes) would let anyone who
//! knows the identifier tie up the hashing threads.

use std::num::NonZeroU32;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Lenient base64 for hashes: the standard alphabet, padding optional, trailing bits allowed
/// (tools differ); passlib's `.` for `+` is mapped before decoding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The highest bcrypt cost accepted (2^15 rounds: about 2 s here).
pub const MAX_BCRYPT_COST: u32 = 15;
/// The most PBKDF2 iterations accepted (Keycloak's and OWASP's defaults are well below).
pub const MAX_PBKDF2_ROUNDS: u32 = 5_000_000;
/// The most memory one scrypt or Argon2 check may take.
pub const MAX_MEMORY_BYTES: u64 = 256 << 20;

/// Firebase's scrypt parameters: one set per Firebase project, shown in its console
/// (Authentication → Users → Password hash parameters), `[import.firebase]` in the config.
#[derive(Clone, PartialEq, Eq)]
pub struct FirebaseParams {
    pub signer_key: Vec<u8>,
    pub salt_separator: Vec<u8>,
    pub rounds: u32,
    pub mem_cost: u32,
}

impl std::fmt::Debug for FirebaseParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirebaseParams")
            .field("signer_key", &"***")
            .field("rounds", &self.rounds)
            .field("mem_cost", &self.mem_cost)
            .finish_non_exhaustive()
    }
}

impl FirebaseParams {
    /// From the console's values: the two keys in base64. Err names what is wrong.
    pub fn new(
        signer_key: &str,
        salt_separator: &str,
        rounds: u32,
        mem_cost: u32,
    ) -> Result<Self, String> {
        let signer_key = LENIENT
            .decode(signer_key.trim())
            .map_err(|_| "signer_key must be base64".to_string())?;
        let salt_separator = LENIENT
            .decode(salt_separator.trim())
            .map_err(|_| "salt_separator must be base64".to_string())?;
        if signer_key.is_empty() {
            return Err("signer_key must not be empty".into());
        }
        if !(1..=32).contains(&rounds) {
            return Err("rounds must be between 1 and 32".into());
        }
        if !(1..=20).contains(&mem_cost) || scrypt_memory(mem_cost, rounds) > MAX_MEMORY_BYTES {
            return Err(format!(
                "mem_cost must be between 1 and 20, and 128 × rounds × 2^mem_cost at most {} MiB",
                MAX_MEMORY_BYTES >> 20
            ));
        }
        Ok(Self {
            signer_key,
            salt_separator,
            rounds,
            mem_cost,
        })
    }
}

/// Why a stored hash cannot be used; the import reports it with the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashFormatError {
    #[error("unknown password hash format")]
    Unknown,
    #[error("malformed {0} password hash")]
    Malformed(&'static str),
    #[error("{0} password hash too costly to check at sign-in")]
    TooCostly(&'static str),
    #[error("Firebase scrypt hashes need [import.firebase] in the config")]
    NoFirebaseParams,
}

/// A hash of another system, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Legacy {
    Bcrypt,
    Pbkdf2 {
        digest: Digest,
        rounds: NonZeroU32,
        salt: Vec<u8>,
        hash: Vec<u8>,
    },
    Scrypt {
        log_n: u8,
        r: u32,
        p: u32,
        salt: Vec<u8>,
        hash: Vec<u8>,
    },
    Firebase {
        salt: Vec<u8>,
        hash: Vec<u8>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Digest {
    Sha1,
    Sha256,
    Sha512,
}

impl Digest {
    fn algorithm(self) -> aws_lc_rs::pbkdf2::Algorithm {
        match self {
            Self::Sha1 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA1,
            Self::Sha256 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
            Self::Sha512 => aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA512,
        }
    }
}

/// Checks that `hash` is a form connectid can verify at sign-in, within the cost caps: Argon2
/// (PHC) or one of the forms above. `firebase`: the configured parameters, if any.
pub fn check_format(hash: &str, firebase: Option<&FirebaseParams>) -> Result<(), HashFormatError> {
    if hash.starts_with("$argon2") {
        return check_argon2(hash);
    }
    match parse(hash)? {
        Legacy::Firebase { .. } if firebase.is_none() => Err(HashFormatError::NoFirebaseParams),
        _ => Ok(()),
    }
}

/// True when `hash` is one of the other systems' forms (not Argon2, which the hasher reads).
pub fn is_legacy(hash: &str) -> bool {
    !hash.starts_with("$argon2")
}

/// Verifies `password` against a hash of another system. False for a wrong password and for
/// a hash that cannot be read.
pub fn verify(password: &str, hash: &str, firebase: Option<&FirebaseParams>) -> bool {
    match parse(hash) {
        Ok(Legacy::Bcrypt) => bcrypt::verify(password, hash).unwrap_or(false),
        Ok(Legacy::Pbkdf2 {
            digest,
            rounds,
            salt,
            hash,
        }) => aws_lc_rs::pbkdf2::verify(
            digest.algorithm(),
            rounds,
            &salt,
            password.as_bytes(),
            &hash,
        )
        .is_ok(),
        Ok(Legacy::Scrypt {
            log_n,
            r,
            p,
            salt,
            hash,
        }) => {
            let Ok(params) = scrypt::Params::new(log_n, r, p, hash.len()) else {
                return false;
            };
            let mut out = vec![0u8; hash.len()];
            scrypt::scrypt(password.as_bytes(), &salt, &params, &mut out).is_ok()
                && equal(&out, &hash)
        }
        Ok(Legacy::Firebase { salt, hash }) => firebase
            .and_then(|f| firebase_hash(password, &salt, f))
            .is_some_and(|made| equal(&made, &hash)),
        Err(_) => false,
    }
}

fn equal(a: &[u8], b: &[u8]) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a, b).is_ok()
}

fn scrypt_memory(log_n: u32, r: u32) -> u64 {
    128u64
        .saturating_mul(u64::from(r))
        .saturating_mul(1u64.checked_shl(log_n).unwrap_or(u64::MAX))
}

fn b64(s: &str, what: &'static str) -> Result<Vec<u8>, HashFormatError> {
    let v = LENIENT
        .decode(s.replace('.', "+"))
        .map_err(|_| HashFormatError::Malformed(what))?;
    if v.is_empty() {
        return Err(HashFormatError::Malformed(what));
    }
    Ok(v)
}

fn parse(hash: &str) -> Result<Legacy, HashFormatError> {
    let fields: Vec<&str> = hash.split('$').collect();
    // "$a$b$c" splits into ["", "a", "b", "c"].
    if fields.first() != Some(&"") || fields.len() < 3 {
        return Err(HashFormatError::Unknown);
    }
    match fields[1] {
        "2a" | "2b" | "2y" => parse_bcrypt(hash, &fields),
        "pbkdf2" => parse_pbkdf2(Digest::Sha1, &fields),
        "pbkdf2-sha1" => parse_pbkdf2(Digest::Sha1, &fields),
        "pbkdf2-sha256" => parse_pbkdf2(Digest::Sha256, &fields),
        "pbkdf2-sha512" => parse_pbkdf2(Digest::Sha512, &fields),
        "scrypt" => parse_scrypt(&fields),
        "firebase-scrypt" => match fields.as_slice() {
            [_, _, salt, hash] => Ok(Legacy::Firebase {
                salt: b64(salt, "Firebase scrypt")?,
                hash: b64(hash, "Firebase scrypt")?,
            }),
            _ => Err(HashFormatError::Malformed("Firebase scrypt")),
        },
        _ => Err(HashFormatError::Unknown),
    }
}

fn parse_bcrypt(hash: &str, fields: &[&str]) -> Result<Legacy, HashFormatError> {
    let bad = HashFormatError::Malformed("bcrypt");
    let [_, _, cost, rest] = fields else {
        return Err(bad);
    };
    let cost: u32 = cost.parse().map_err(|_| bad.clone())?;
    if cost.to_string().len() > 2 || cost < 4 || hash.len() != 60 || rest.len() != 53 {
        return Err(bad);
    }
    if cost > MAX_BCRYPT_COST {
        return Err(HashFormatError::TooCostly("bcrypt"));
    }
    Ok(Legacy::Bcrypt)
}

/// passlib: `$pbkdf2-sha256$ROUNDS$SALT$CHECKSUM` (ab64); PHC: `$pbkdf2-sha256$i=ROUNDS,l=LEN$SALT$HASH`.
fn parse_pbkdf2(digest: Digest, fields: &[&str]) -> Result<Legacy, HashFormatError> {
    let bad = HashFormatError::Malformed("PBKDF2");
    let [_, _, params, salt, hash] = fields else {
        return Err(bad);
    };
    let rounds: u32 = if let Some(phc) = params.strip_prefix("i=") {
        let mut parts = phc.split(',');
        let rounds = parts
            .next()
            .and_then(|r| r.parse().ok())
            .ok_or(bad.clone())?;
        // `l=` (the output length) is implied by the hash itself; anything else is unknown.
        if !parts.all(|p| {
            p.strip_prefix("l=")
                .is_some_and(|l| l.parse::<u32>().is_ok())
        }) {
            return Err(bad);
        }
        rounds
    } else {
        params.parse().map_err(|_| bad.clone())?
    };
    if rounds > MAX_PBKDF2_ROUNDS {
        return Err(HashFormatError::TooCostly("PBKDF2"));
    }
    Ok(Legacy::Pbkdf2 {
        digest,
        rounds: NonZeroU32::new(rounds).ok_or(bad)?,
        salt: b64(salt, "PBKDF2")?,
        hash: b64(hash, "PBKDF2")?,
    })
}

/// `$scrypt$ln=LOG_N,r=R,p=P$SALT$HASH` (passlib and the PHC form).
fn parse_scrypt(fields: &[&str]) -> Result<Legacy, HashFormatError> {
    let bad = HashFormatError::Malformed("scrypt");
    let [_, _, params, salt, hash] = fields else {
        return Err(bad);
    };
    let (mut log_n, mut r, mut p) = (None, None, None);
    for kv in params.split(',') {
        match kv.split_once('=') {
            Some(("ln", v)) => log_n = v.parse::<u8>().ok(),
            Some(("r", v)) => r = v.parse::<u32>().ok(),
            Some(("p", v)) => p = v.parse::<u32>().ok(),
            _ => return Err(bad),
        }
    }
    let (Some(log_n), Some(r), Some(p)) = (log_n, r, p) else {
        return Err(bad);
    };
    if log_n == 0 || log_n > 24 || r == 0 || p == 0 || p > 16 {
        return Err(bad);
    }
    if scrypt_memory(u32::from(log_n), r) > MAX_MEMORY_BYTES {
        return Err(HashFormatError::TooCostly("scrypt"));
    }
    let hash = b64(hash, "scrypt")?;
    if hash.len() > 64 {
        return Err(bad);
    }
    Ok(Legacy::Scrypt {
        log_n,
        r,
        p,
        salt: b64(salt, "scrypt")?,
        hash,
    })
}

fn check_argon2(hash: &str) -> Result<(), HashFormatError> {
    use argon2::password_hash::PasswordHash;
    let bad = HashFormatError::Malformed("Argon2");
    let parsed = PasswordHash::new(hash).map_err(|_| bad.clone())?;
    let params = argon2::Params::try_from(&parsed).map_err(|_| bad.clone())?;
    if argon2::Algorithm::try_from(parsed.algorithm).is_err() || parsed.hash.is_none() {
        return Err(bad);
    }
    let memory = u64::from(params.m_cost()) * 1024;
    if memory > MAX_MEMORY_BYTES || params.t_cost() > 16 || params.p_cost() > 16 {
        return Err(HashFormatError::TooCostly("Argon2"));
    }
    Ok(())
}

/// Firebase's modified scrypt: scrypt(password, salt ‖ separator, N = 2^mem_cost, r = rounds,
/// p = 1) keys AES-256-CTR (zero IV), which encrypts the project's signer key.
fn firebase_hash(password: &str, salt: &[u8], f: &FirebaseParams) -> Option<Vec<u8>> {
    use aws_lc_rs::cipher::{AES_256, EncryptingKey, EncryptionContext, UnboundCipherKey};
    let log_n = u8::try_from(f.mem_cost).ok()?;
    let params = scrypt::Params::new(log_n, f.rounds, 1, 64).ok()?;
    let mut salted = salt.to_vec();
    salted.extend_from_slice(&f.salt_separator);
    let mut derived = [0u8; 64];
    scrypt::scrypt(password.as_bytes(), &salted, &params, &mut derived).ok()?;
    let key = EncryptingKey::ctr(UnboundCipherKey::new(&AES_256, &derived[..32]).ok()?).ok()?;
    let mut out = f.signer_key.clone();
    key.less_safe_encrypt(&mut out, EncryptionContext::Iv128([0u8; 16].into()))
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    fn firebase_form(salt_b64: &str, hash_b64: &str) -> String {
        format!("$firebase-scrypt${salt_b64}${hash_b64}")
    }

    fn firebase_sample() -> FirebaseParams {
        // Firebase's published sample project parameters (github.com/firebase/scrypt).
        FirebaseParams::new(
            "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
            "Bw==",
            8,
            14,
        )
        .unwrap()
    }

    #[test]
    fn firebase_published_vector() {
        let f = firebase_sample();
        let hash = firebase_form(
            "42xEC+ixf3L2lw==",
            "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==",
        );
        assert_eq!(check_format(&hash, Some(&f)), Ok(()));
        assert!(verify("user1password", &hash, Some(&f)));
        assert!(!verify("user1password!", &hash, Some(&f)));
        assert!(!verify("user1password", &hash, None));
        assert_eq!(
            check_format(&hash, None),
            Err(HashFormatError::NoFirebaseParams)
        );
        assert!(!format!("{f:?}").contains("jxspr"));
    }

    #[test]
    fn bcrypt_in_each_prefix() {
        // bcrypt's own test vector ("U*U", cost 5) and OpenBSD's $2a$ one.
        let h = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
        assert_eq!(check_format(h, None), Ok(()));
        assert!(verify("U*U", h, None));
        assert!(!verify("U*V", h, None));
        for prefix in ["$2b$", "$2y$"] {
            let h2 = h.replacen("$2a$", prefix, 1);
            assert!(verify("U*U", &h2, None), "{h2}");
        }
        let costly = h.replacen("$05$", "$20$", 1);
        assert_eq!(
            check_format(&costly, None),
            Err(HashFormatError::TooCostly("bcrypt"))
        );
        assert!(check_format(&h[..59], None).is_err());
    }

    #[test]
    fn pbkdf2_in_passlib_and_phc_forms() {
        // RFC 6070's first vector: "password", salt "salt", 1 round, SHA-1.
        let dk = [
            0x0c, 0x60, 0xc8, 0x0f, 0x96, 0x1f, 0x0e, 0x71, 0xf3, 0xa9, 0xb5, 0x24, 0xaf, 0x60,
            0x12, 0x06, 0x2f, 0xe0, 0x37, 0xa6,
        ];
        let ab64 = |b: &[u8]| {
            base64::engine::general_purpose::STANDARD_NO_PAD
                .encode(b)
                .replace('+', ".")
        };
        let h = format!("$pbkdf2$1${}${}", ab64(b"salt"), ab64(&dk));
        assert_eq!(check_format(&h, None), Ok(()));
        assert!(verify("password", &h, None));
        assert!(!verify("passwore", &h, None));
        // The PHC form, computed here with another SHA-256 implementation's result.
        let mut out = [0u8; 32];
        aws_lc_rs::pbkdf2::derive(
            aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
            NonZeroU32::new(1000).unwrap(),
            b"NaCl-salt-16byte",
            b"Keycloak-Pa55",
            &mut out,
        );
        let phc = format!(
            "$pbkdf2-sha256$i=1000,l=32${}${}",
            STANDARD.encode(b"NaCl-salt-16byte").trim_end_matches('='),
            STANDARD.encode(out).trim_end_matches('=')
        );
        assert!(verify("Keycloak-Pa55", &phc, None));
        let too_many = phc.replace("i=1000", "i=9000000");
        assert_eq!(
            check_format(&too_many, None),
            Err(HashFormatError::TooCostly("PBKDF2"))
        );
    }

    #[test]
    fn scrypt_rfc_7914_vector() {
        // RFC 7914 §12: "password", "NaCl", N=1024, r=8, p=16, 64 bytes.
        let expected = "/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA";
        let h = format!(
            "$scrypt$ln=10,r=8,p=16${}${expected}",
            STANDARD.encode(b"NaCl").trim_end_matches('=')
        );
        assert_eq!(check_format(&h, None), Ok(()));
        assert!(verify("password", &h, None));
        assert!(!verify("passwort", &h, None));
        let huge = h.replace("ln=10", "ln=22");
        assert_eq!(
            check_format(&huge, None),
            Err(HashFormatError::TooCostly("scrypt"))
        );
    }

    #[test]
    fn unknown_and_malformed_forms_are_named() {
        for h in ["", "plain", "$md5$abc", "$1$salt$hash", "$pbkdf2-md5$1$a$b"] {
            assert_eq!(check_format(h, None), Err(HashFormatError::Unknown), "{h}");
        }
        assert_eq!(
            check_format("$pbkdf2-sha256$many$a$b", None),
            Err(HashFormatError::Malformed("PBKDF2"))
        );
        assert_eq!(
            check_format(
                "$argon2id$v=19$m=1048576,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
                None
            ),
            Err(HashFormatError::TooCostly("Argon2"))
        );
        assert!(!verify("x", "$scrypt$ln=1,r=1,p=1$!!$!!", None));
    }
}
