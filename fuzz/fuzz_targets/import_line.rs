//! A line of `connectid accounts import` (`import.rs`), and the password hash forms it accepts
//! (`password/legacy.rs`). Beyond "no panic": an accepted line, written back as the export
//! writes it, reads again as the same account; an accepted time formats back to itself.

#![no_main]

use connectid_core::import::{AccountLine, EmailEntry, PhoneEntry, Time, parse_line, parse_rfc3339};
use connectid_core::identifier::{IdentifierKind, PhoneRegion};
use connectid_core::password::legacy::check_format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let region: PhoneRegion = "NO".parse().expect("region");
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = check_format(text, None);
        if let Some(t) = parse_rfc3339(text) {
            let shown = connectid_core::messages::rfc3339(t);
            assert_eq!(parse_rfc3339(&shown), Some(t), "{text:?}");
        }
    }
    let Ok(a) = parse_line(data, region, None) else {
        return;
    };
    let line = AccountLine {
        sub: a.sub.clone(),
        phones: a
            .identifiers
            .iter()
            .filter(|(i, _)| i.kind == IdentifierKind::Phone)
            .map(|(i, v)| PhoneEntry { number: i.value.clone(), verified: *v })
            .collect(),
        emails: a
            .identifiers
            .iter()
            .filter(|(i, _)| i.kind == IdentifierKind::Email)
            .map(|(i, v)| EmailEntry { address: i.value.clone(), verified: *v })
            .collect(),
        password_hash: a.password_hash.clone(),
        created_at: a.created_at.map(Time::Unix),
        external_id: a.external_id.clone(),
    };
    let text = serde_json::to_string(&line).expect("serialises");
    let again = parse_line(text.as_bytes(), region, None).expect("an export line reads back");
    assert_eq!(again.sub, a.sub);
    assert_eq!(again.password_hash, a.password_hash);
    assert_eq!(again.created_at, a.created_at);
    assert_eq!(again.external_id, a.external_id);
    let mut x = again.identifiers.clone();
    let mut y = a.identifiers.clone();
    x.sort_by(|p, q| p.0.value.cmp(&q.0.value));
    y.sort_by(|p, q| p.0.value.cmp(&q.0.value));
    assert_eq!(x, y);
});
