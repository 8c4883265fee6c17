//! Properties of the two parsers that decide who someone is and where a code may go:
//! identifier normalisation (`identifier.rs`) and redirect-URI validation and matching
//! (`client.rs`). Each property states an invariant that must hold for every input, not for
//! a handful of examples, so a regression anywhere in the input space shows up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use connectid_core::client::{ApplicationType, ClientMetadata, validate_redirect_uri};
use connectid_core::identifier::{Identifier, IdentifierKind, PhoneRegion};
use proptest::prelude::*;

fn no() -> PhoneRegion {
    "NO".parse().unwrap()
}

fn regions() -> impl Strategy<Value = PhoneRegion> {
    prop::sample::select(vec!["NO", "SE", "DK", "FI", "DE", "US", "GB", "FR"])
        .prop_map(|r| r.parse::<PhoneRegion>().unwrap())
}

/// A Norwegian mobile number in its national form: 8 digits starting with 9 (all valid).
fn norwegian_mobile() -> impl Strategy<Value = String> {
    "9[0-9]{7}"
}

/// Characters that render as nothing or reorder text: an address containing one looks like
/// another person's address on every screen and in every log.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Plain ASCII addresses of the shape people type, in mixed case.
fn email() -> impl Strategy<Value = String> {
    (
        "[A-Za-z0-9][A-Za-z0-9._+-]{0,20}[A-Za-z0-9]",
        "[A-Za-z0-9]{1,12}",
        "[A-Za-z]{2,6}",
    )
        .prop_map(|(l, d, t)| format!("{l}@{d}.{t}"))
        .prop_filter("no double dots", |e| !e.contains(".."))
}

fn is_e164(v: &str) -> bool {
    let Some(digits) = v.strip_prefix('+') else {
        return false;
    };
    (4..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whatever a person types, parsing answers (Ok or Err) and never panics.
    #[test]
    fn identifier_parse_never_panics(s in any::<String>(), region in regions()) {
        let _ = Identifier::parse(&s, region);
        let _ = Identifier::phone(&s, region);
        let _ = Identifier::email(&s);
    }

    /// The phone path with inputs made of the characters it accepts, which reach the
    /// phone-number library instead of being refused early.
    #[test]
    fn phone_like_input_never_panics(s in "[0-9 +().-]{0,40}", region in regions()) {
        let _ = Identifier::parse(&s, region);
    }

    /// A normal form is a fixed point: parsing it again gives the same identifier.
    #[test]
    fn normalisation_is_idempotent(s in any::<String>(), region in regions()) {
        if let Ok(id) = Identifier::parse(&s, region) {
            let again = Identifier::parse(&id.value, region).unwrap();
            prop_assert_eq!(&again, &id);
            // And the normal form does not depend on the region it is read in.
            let elsewhere = Identifier::parse(&id.value, no()).unwrap();
            prop_assert_eq!(elsewhere, id);
        }
    }

    #[test]
    fn normalisation_is_idempotent_for_real_numbers(n in norwegian_mobile()) {
        let id = Identifier::parse(&n, no()).unwrap();
        prop_assert_eq!(Identifier::parse(&id.value, no()).unwrap(), id);
    }

    /// Every way of writing one number is one identifier, in E.164.
    #[test]
    fn phone_spellings_are_one_identifier(n in norwegian_mobile(), sep in prop::sample::select(vec!["", " ", "-", "."])) {
        let (a, b) = n.split_at(4);
        let spellings = [
            n.clone(),
            format!("{a}{sep}{b}"),
            format!("+47{n}"),
            format!("+47 {a}{sep}{b}"),
            format!("0047{n}"),
            format!("(+47) {n}"),
            format!("  {n}  "),
        ];
        let expected = format!("+47{n}");
        for s in &spellings {
            let id = Identifier::parse(s, no()).unwrap();
            prop_assert_eq!(id.kind, IdentifierKind::Phone);
            prop_assert_eq!(&id.value, &expected, "{}", s);
        }
    }

    /// Accepted phones are E.164: `+`, no leading zero, at most 15 digits.
    #[test]
    fn phones_come_out_in_e164(s in "[+0-9][0-9 ()-]{0,20}", region in regions()) {
        if let Ok(id) = Identifier::parse(&s, region)
            && id.kind == IdentifierKind::Phone
        {
            prop_assert!(is_e164(&id.value), "{:?} -> {}", s, id.value);
        }
    }

    /// International numbers of every length, where the E.164 limit of 15 digits bites
    /// (German numbers, for one, may be longer nationally).
    #[test]
    fn international_numbers_are_refused_or_e164(cc in prop::sample::select(vec!["1", "44", "46", "47", "49", "358", "43"]), rest in "[1-9][0-9]{5,16}", prefix in prop::sample::select(vec!["+", "00"])) {
        let s = format!("{prefix}{cc}{rest}");
        if let Ok(id) = Identifier::parse(&s, no()) {
            prop_assert!(is_e164(&id.value), "{:?} -> {}", s, id.value);
        }
    }

    #[test]
    fn any_accepted_phone_is_e164(s in any::<String>(), region in regions()) {
        if let Ok(id) = Identifier::phone(&s, region) {
            prop_assert!(is_e164(&id.value), "{:?} -> {}", s, id.value);
        }
    }

    /// `Ann@Example.com` and `ann@example.com` are one account.
    #[test]
    fn emails_are_case_insensitive(e in email()) {
        let lower = Identifier::parse(&e.to_ascii_lowercase(), no()).unwrap();
        let upper = Identifier::parse(&e.to_ascii_uppercase(), no()).unwrap();
        let mixed = Identifier::parse(&e, no()).unwrap();
        prop_assert_eq!(&lower, &upper);
        prop_assert_eq!(&lower, &mixed);
        prop_assert_eq!(lower.kind, IdentifierKind::Email);
        prop_assert_eq!(lower.value, e.to_ascii_lowercase());
    }

    /// Case never decides whether an address is accepted, for any input at all.
    #[test]
    fn email_case_never_changes_the_answer(s in any::<String>()) {
        prop_assert_eq!(
            Identifier::email(&s.to_ascii_lowercase()),
            Identifier::email(&s.to_ascii_uppercase())
        );
    }

    /// An accepted address is trimmed, lower-case, one `@`, no whitespace or control or
    /// invisible formatting characters (which would make look-alike accounts).
    #[test]
    fn accepted_emails_are_clean(s in any::<String>()) {
        if let Ok(id) = Identifier::email(&s) {
            let v = &id.value;
            prop_assert_eq!(v.matches('@').count(), 1);
            prop_assert_eq!(v.trim(), v.as_str());
            prop_assert_eq!(&v.to_lowercase(), v);
            prop_assert!(v.len() <= 254);
            prop_assert!(!v.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c)), "{:?}", v);
        }
    }

    /// The same with one arbitrary character slipped into a valid address, which reaches
    /// the checks far more often than arbitrary strings do.
    #[test]
    fn emails_with_a_stray_character_are_refused_or_clean(e in email(), at in any::<usize>(), c in any::<char>()) {
        let mut s = e.clone();
        let mut at = at % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.insert(at, c);
        if let Ok(id) = Identifier::email(&s) {
            prop_assert!(!id.value.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c)), "{:?}", id.value);
            prop_assert_eq!(Identifier::email(&id.value).unwrap(), id);
        }
    }

    #[test]
    fn invisible_characters_never_pass(e in email(), at in any::<usize>(), c in prop::sample::select(vec!['\u{200B}', '\u{200D}', '\u{202E}', '\u{2066}', '\u{FEFF}', '\u{00AD}', '\u{E0041}'])) {
        let mut s = e.clone();
        let at = at % (s.len() + 1);
        s.insert(at, c);
        prop_assert!(Identifier::email(&s).is_err(), "{:?} accepted", s);
    }
}

/// Absolute redirect URIs of the shapes clients register.
fn registered_uri() -> impl Strategy<Value = String> {
    let https = (
        "[a-z][a-z0-9-]{0,10}\\.(example|test|no)",
        prop::option::of(1024u16..65535),
        "(/[a-zA-Z0-9._~-]{1,8}){0,3}",
        prop::option::of("[a-z]{1,5}=[a-z0-9]{1,5}"),
    )
        .prop_map(|(host, port, path, query)| {
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            format!("https://{host}{port}{path}{query}")
        });
    let loopback = (
        prop::sample::select(vec!["127.0.0.1", "localhost"]),
        1024u16..65535,
        "(/[a-z]{1,8}){1,2}",
    )
        .prop_map(|(h, p, path)| format!("http://{h}:{p}{path}"));
    prop_oneof![https, loopback]
}

/// Every kind of change an attacker makes to a registered URI to get a code sent elsewhere.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    FlipCase(usize),
    PercentEncode(usize),
    Append(&'static str),
    Prepend(&'static str),
    UserInfo(&'static str),
    Port(u16),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<char>()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any::<char>()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        any::<usize>().prop_map(Mutation::FlipCase),
        any::<usize>().prop_map(Mutation::PercentEncode),
        prop::sample::select(vec![
            "/",
            "/.",
            "/..",
            "/x",
            "#",
            "#frag",
            "?",
            "?x=1",
            "&x=1",
            ".evil.example",
            "%2F",
            "%00",
            " ",
            "\t",
            "\r\n",
            "@evil.example",
            ":443",
            ";x",
        ])
        .prop_map(Mutation::Append),
        prop::sample::select(vec![" ", "x", "https://evil.example/?", "//"])
            .prop_map(Mutation::Prepend),
        prop::sample::select(vec!["evil@", "user:pass@", "@"]).prop_map(Mutation::UserInfo),
        any::<u16>().prop_map(Mutation::Port),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn char_boundary(s: &str, i: usize) -> usize {
    let mut i = i % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(uri: &str, m: &Mutation) -> String {
    let mut s = uri.to_string();
    match m {
        Mutation::Insert(i, c) => s.insert(char_boundary(uri, *i), *c),
        Mutation::Delete(i) | Mutation::Replace(i, _) => {
            let at = char_boundary(uri, *i).min(uri.len().saturating_sub(1));
            let at = char_boundary(uri, at);
            if at < s.len() {
                s.remove(at);
            }
            if let Mutation::Replace(_, c) = m {
                s.insert(at, *c);
            }
        }
        Mutation::FlipCase(i) => {
            let at = char_boundary(uri, *i);
            s = uri
                .char_indices()
                .map(|(j, c)| {
                    if j == at {
                        if c.is_ascii_lowercase() {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    } else {
                        c
                    }
                })
                .collect();
        }
        Mutation::PercentEncode(i) => {
            let at = char_boundary(uri, *i);
            if let Some(c) = uri[at..].chars().next() {
                let mut buf = [0u8; 4];
                let enc: String = c
                    .encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect();
                s = format!("{}{}{}", &uri[..at], enc, &uri[at + c.len_utf8()..]);
            }
        }
        Mutation::Append(x) => s.push_str(x),
        Mutation::Prepend(x) => s.insert_str(0, x),
        Mutation::UserInfo(u) => {
            if let Some(at) = s.find("://") {
                s.insert_str(at + 3, u);
            }
        }
        Mutation::Port(p) => {
            let rest = &uri[uri.find("://").map_or(0, |i| i + 3)..];
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            let authority = &rest[..end];
            let host = authority.split(':').next().unwrap_or(authority);
            s = uri.replacen(authority, &format!("{host}:{p}"), 1);
        }
        Mutation::Truncate(i) => s.truncate(char_boundary(uri, *i)),
    }
    s
}

fn client_with(uris: &[String]) -> ClientMetadata {
    ClientMetadata::from_json(
        &serde_json::json!({
            "redirect_uris": uris,
            "post_logout_redirect_uris": uris,
        })
        .to_string(),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// The generator makes URIs that the registration rules accept.
    #[test]
    fn generated_uris_are_valid(u in registered_uri()) {
        prop_assert_eq!(validate_redirect_uri(&u, ApplicationType::Web), Ok(()));
        prop_assert!(client_with(std::slice::from_ref(&u)).validate().is_ok());
    }

    /// A registered URI matches itself, and any change to it, however small, is refused:
    /// matching is exact, with no normalisation an attacker could lean on.
    #[test]
    fn only_the_exact_registered_uri_matches(u in registered_uri(), m in mutation()) {
        let client = client_with(std::slice::from_ref(&u));
        prop_assert!(client.has_redirect_uri(&u));
        prop_assert!(client.has_post_logout_redirect_uri(&u));
        let mutated = apply(&u, &m);
        prop_assume!(mutated != u);
        prop_assert!(!client.has_redirect_uri(&mutated), "{:?} of {} matched: {}", m, u, mutated);
        prop_assert!(!client.has_post_logout_redirect_uri(&mutated));
    }

    /// With several URIs registered, a request matches one of them exactly or none.
    #[test]
    fn matching_is_membership(us in prop::collection::vec(registered_uri(), 1..4), probe in registered_uri()) {
        let client = client_with(&us);
        prop_assert_eq!(client.has_redirect_uri(&probe), us.contains(&probe));
        for u in &us {
            prop_assert!(client.has_redirect_uri(u));
        }
    }

    /// Validation answers every string, for both application types, without panicking.
    #[test]
    fn validation_never_panics(s in any::<String>()) {
        let _ = validate_redirect_uri(&s, ApplicationType::Web);
        let _ = validate_redirect_uri(&s, ApplicationType::Native);
    }

    /// The registration rules refuse, for any otherwise valid URI: a fragment, user
    /// information in the authority, whitespace or control characters, and plain http to a
    /// host other than loopback.
    #[test]
    fn validation_refuses_dangerous_shapes(u in registered_uri(), frag in "[a-z]{0,5}", ws in prop::sample::select(vec![" ", "\t", "\n", "\r", "\u{0}", "\u{7f}"])) {
        for app in [ApplicationType::Web, ApplicationType::Native] {
            let with_fragment = format!("{u}#{frag}");
            prop_assert!(validate_redirect_uri(&with_fragment, app).is_err());
            let with_space = format!("{u}{ws}");
            prop_assert!(validate_redirect_uri(&with_space, app).is_err());
            let with_user = u.replacen("://", "://user@", 1);
            prop_assert!(validate_redirect_uri(&with_user, app).is_err(), "{}", with_user);
            let host_trick = u.replacen("://", "://evil.example@", 1);
            prop_assert!(validate_redirect_uri(&host_trick, app).is_err(), "{}", host_trick);
        }
        if let Some(rest) = u.strip_prefix("https://") {
            let plain = format!("http://{rest}");
            prop_assert!(validate_redirect_uri(&plain, ApplicationType::Web).is_err());
        }
    }

    /// Schemes that run code in the browser or read local files are never redirect targets.
    #[test]
    fn script_schemes_are_refused(
        scheme in prop::sample::select(vec!["javascript", "JavaScript", "data", "DATA", "file", "vbscript", "about", "blob"]),
        rest in "[a-z0-9/:.()]{0,20}",
    ) {
        let uri = format!("{scheme}:{rest}");
        prop_assert!(validate_redirect_uri(&uri, ApplicationType::Web).is_err());
        prop_assert!(validate_redirect_uri(&uri, ApplicationType::Native).is_err());
    }
}
