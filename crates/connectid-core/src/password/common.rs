//! The list of common and breached passwords, shipped inside the binary.
//!
//! The list (see `data/README.md` for its sources and licences) is stored zlib-compressed
//! (~350 KB) and expanded only on first use into a set of 64-bit fingerprints, so a server
//! that never checks a password never pays the ~2.5 MB, and a lookup is one hash and one probe
//! whatever the list's size. Entries are lowercased: the check is case-insensitive, since
//! "Password1" is guessed as early as "password1".

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

/// Sorted, lowercased, newline-separated, 6+ characters and at most 128 bytes each.
static COMPRESSED: &[u8] = include_bytes!("../../data/common-passwords.txt.zz");

/// Built once from [`COMPRESSED`]: immutable data, not state, so a process-wide cell is fine.
static SET: OnceLock<FingerprintSet> = OnceLock::new();

type FingerprintSet = HashSet<u64, BuildHasherDefault<Identity>>;

/// The fingerprints are already uniform hashes: hashing them again would only cost time.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// SipHash with fixed keys. The set is rebuilt at run time from the text, so the value only
/// has to be stable within one process; 64 bits make a false match practically impossible.
fn fingerprint(lowercased: &str) -> u64 {
    let mut h = DefaultHasher::new();
    lowercased.hash(&mut h);
    h.finish()
}

fn build() -> FingerprintSet {
    // The embedded data is a constant that a unit test decodes, so this cannot fail in a
    // binary whose tests passed; an empty set is the least bad answer if it ever did.
    let Ok(text) = miniz_oxide::inflate::decompress_to_vec_zlib(COMPRESSED) else {
        return FingerprintSet::default();
    };
    let text = String::from_utf8_lossy(&text);
    let mut set =
        FingerprintSet::with_capacity_and_hasher(text.lines().count(), Default::default());
    for line in text.lines() {
        set.insert(fingerprint(&line.to_lowercase()));
    }
    set
}

fn set() -> &'static FingerprintSet {
    SET.get_or_init(build)
}

/// True when `password`, ignoring case, is on the list.
pub fn is_common(password: &str) -> bool {
    set().contains(&fingerprint(&password.to_lowercase()))
}

/// Expands the list now (a few tens of milliseconds) instead of in the first request that
/// sets a password; call it from a blocking task at start-up if that matters.
pub fn preload() {
    set();
}

/// How many passwords the list holds.
pub fn len() -> usize {
    set().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_decodes_and_is_large_enough() {
        assert!(
            miniz_oxide::inflate::decompress_to_vec_zlib(COMPRESSED).is_ok(),
            "the embedded list must decode"
        );
        assert!(len() >= 100_000, "only {} passwords", len());
    }

    #[test]
    fn known_entries_match_in_any_case() {
        for pw in [
            "password",
            "PASSWORD",
            "Password1",
            "qwerty123",
            "iloveyou",
            "dragon",
        ] {
            assert!(is_common(pw), "{pw}");
        }
        // from the larger list, not in any top-100
        assert!(is_common("yankees23"));
        assert!(is_common("zaq12wsxcde3"));
    }

    #[test]
    fn unusual_passwords_do_not_match() {
        for pw in ["correct horse battery", "mU9#vq2!Lp", "ææææææ", ""] {
            assert!(!is_common(pw), "{pw}");
        }
    }
}
