//! The phone and email parser (`identifier.rs`). Beyond "no panic": an accepted identifier
//! is a fixed point of parsing, phones are E.164, emails are lower-case and clean.

#![no_main]

use connectid_core::identifier::{Identifier, IdentifierKind, PhoneRegion};
use libfuzzer_sys::fuzz_target;

const REGIONS: [&str; 4] = ["NO", "SE", "US", "GB"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for r in REGIONS {
        let region: PhoneRegion = r.parse().expect("region");
        let _ = Identifier::phone(text, region);
        let Ok(id) = Identifier::parse(text, region) else {
            continue;
        };
        let again = Identifier::parse(&id.value, region).expect("a normal form parses");
        assert_eq!(again, id, "not idempotent for {text:?}");
        match id.kind {
            IdentifierKind::Phone => {
                let digits = id.value.strip_prefix('+').expect("E.164 starts with +");
                assert!((4..=15).contains(&digits.len()), "{}", id.value);
                assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{}", id.value);
                assert!(!digits.starts_with('0'), "{}", id.value);
            }
            IdentifierKind::Email => {
                assert_eq!(id.value.to_lowercase(), id.value);
                assert_eq!(id.value.trim(), id.value);
                assert_eq!(id.value.matches('@').count(), 1);
                assert!(
                    !id.value
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control())
                );
            }
        }
    }
    let _ = Identifier::email(text);
});
