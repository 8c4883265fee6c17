//! The account file of `connectid accounts import` and `export`: JSON Lines, one account per
//! line (SPEC §12). Reading a line checks everything that can be checked without the
//! database (JSON, identifiers, hash format and cost, times); what needs the database
//! (duplicates with existing accounts) is the import use case's.

use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::identifier::{Identifier, IdentifierKind, PhoneRegion};
use crate::password::legacy::{self, FirebaseParams, HashFormatError};

/// The longest line read; a longer one is refused whole (and the next line read).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// The most identifiers of each kind on one account.
const MAX_IDENTIFIERS: usize = 20;

/// One line of the file, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(default)]
    pub phones: Vec<PhoneEntry>,
    #[serde(default)]
    pub emails: Vec<EmailEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneEntry {
    pub number: String,
    #[serde(default)]
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailEntry {
    pub address: String,
    #[serde(default)]
    pub verified: bool,
}

/// A time as other tools write it: RFC 3339, or Unix seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Time {
    Unix(i64),
    Text(String),
}

/// An account ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAccount {
    pub sub: Option<String>,
    pub identifiers: Vec<(Identifier, bool)>,
    pub password_hash: Option<String>,
    pub created_at: Option<i64>,
    pub external_id: Option<String>,
}

/// Why a line is refused; reported with its number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineError {
    #[error("not valid UTF-8")]
    NotUtf8,
    #[error("too long (over {MAX_LINE_BYTES} bytes)")]
    TooLong,
    #[error("not valid JSON for an account: {0}")]
    NotJson(String),
    #[error("bad phone number `{0}`: {1}")]
    Phone(String, String),
    #[error("bad email address `{0}`: {1}")]
    Email(String, String),
    #[error("no phone or email")]
    NoIdentifier,
    #[error("more than {MAX_IDENTIFIERS} phones or emails")]
    TooManyIdentifiers,
    #[error("duplicate: {0}")]
    Duplicate(String),
    #[error("password hash: {0}")]
    Hash(#[from] HashFormatError),
    #[error("bad sub: 1 to 255 printable ASCII characters")]
    Sub,
    #[error("bad external_id: 1 to 255 characters")]
    ExternalId,
    #[error("bad created_at `{0}`: RFC 3339 or Unix seconds")]
    Time(String),
}

/// Reads one line (without its newline).
pub fn parse_line(
    bytes: &[u8],
    region: PhoneRegion,
    firebase: Option<&FirebaseParams>,
) -> Result<ImportedAccount, LineError> {
    if bytes.len() > MAX_LINE_BYTES {
        return Err(LineError::TooLong);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| LineError::NotUtf8)?;
    let line: AccountLine =
        serde_json::from_str(text).map_err(|e| LineError::NotJson(e.to_string()))?;
    validate(line, region, firebase)
}

fn validate(
    line: AccountLine,
    region: PhoneRegion,
    firebase: Option<&FirebaseParams>,
) -> Result<ImportedAccount, LineError> {
    if let Some(sub) = &line.sub
        && (sub.is_empty() || sub.len() > 255 || !sub.bytes().all(|b| b.is_ascii_graphic()))
    {
        return Err(LineError::Sub);
    }
    if let Some(x) = &line.external_id
        && (x.is_empty() || x.len() > 255 || x.chars().any(char::is_control))
    {
        return Err(LineError::ExternalId);
    }
    if line.phones.len() > MAX_IDENTIFIERS || line.emails.len() > MAX_IDENTIFIERS {
        return Err(LineError::TooManyIdentifiers);
    }
    let mut identifiers: Vec<(Identifier, bool)> = Vec::new();
    for p in &line.phones {
        let id = Identifier::phone(&p.number, region)
            .map_err(|e| LineError::Phone(p.number.clone(), e.to_string()))?;
        identifiers.push((id, p.verified));
    }
    for e in &line.emails {
        let id = Identifier::email(&e.address)
            .map_err(|err| LineError::Email(e.address.clone(), err.to_string()))?;
        identifiers.push((id, e.verified));
    }
    if identifiers.is_empty() {
        return Err(LineError::NoIdentifier);
    }
    for (i, (a, _)) in identifiers.iter().enumerate() {
        if identifiers[..i].iter().any(|(b, _)| b == a) {
            return Err(LineError::Duplicate(format!(
                "{} twice on the line",
                a.value
            )));
        }
    }
    if let Some(h) = &line.password_hash {
        legacy::check_format(h, firebase)?;
    }
    // From 1970 to the end of year 9999: what both the integer and the text form can say.
    let created_at = match &line.created_at {
        None => None,
        Some(time) => {
            let (t, shown) = match time {
                Time::Unix(t) => (Some(*t), t.to_string()),
                Time::Text(s) => (parse_rfc3339(s), s.clone()),
            };
            let t = t.filter(|t| (0..=253_402_300_799).contains(t));
            Some(t.ok_or(LineError::Time(shown))?)
        }
    };
    Ok(ImportedAccount {
        sub: line.sub,
        identifiers,
        password_hash: line.password_hash,
        created_at,
        external_id: line.external_id,
    })
}

/// The export line of an account: hashes as stored, times in RFC 3339.
pub fn export_line(account: &Account, external_id: Option<String>) -> AccountLine {
    let of = |kind| {
        account
            .identifiers
            .iter()
            .filter(move |i| i.identifier.kind == kind)
    };
    AccountLine {
        sub: Some(account.id.clone()),
        phones: of(IdentifierKind::Phone)
            .map(|i| PhoneEntry {
                number: i.identifier.value.clone(),
                verified: i.verified,
            })
            .collect(),
        emails: of(IdentifierKind::Email)
            .map(|i| EmailEntry {
                address: i.identifier.value.clone(),
                verified: i.verified,
            })
            .collect(),
        password_hash: account.password_hash.clone(),
        created_at: Some(Time::Text(crate::messages::rfc3339(account.created_at))),
        external_id,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` to Unix seconds (the fraction is dropped).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || !s.is_ascii() {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && matches!(&rest[..1], "+" | "-") && &rest[3..4] == ":" => {
            let oh: i64 = rest[1..3].parse().ok()?;
            let om: i64 = rest[4..6].parse().ok()?;
            let o = oh * 3600 + om * 60;
            if &rest[..1] == "-" { -o } else { o }
        }
        _ => return None,
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no() -> PhoneRegion {
        "NO".parse::<PhoneRegion>().unwrap()
    }

    #[test]
    fn rfc3339_round_trips_with_the_formatter() {
        for t in [0, 951_782_400, 1_795_000_000, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&crate::messages::rfc3339(t)), Some(t));
        }
        assert_eq!(
            parse_rfc3339("2024-05-01T14:00:00.123+02:00"),
            Some(1_714_564_800)
        );
        assert_eq!(
            parse_rfc3339("2024-05-01T12:00:00-00:30"),
            Some(1_714_566_600)
        );
        for bad in [
            "2024-05-01",
            "2024-13-01T00:00:00Z",
            "2024-05-01T00:00:00",
            "x".repeat(25).as_str(),
            "2024-05-01T00:00:00.Z",
            "２０２４-05-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_full_line_is_read_and_written_back() {
        let line = br#"{"sub":"u-1","phones":[{"number":"+47 900 00 001","verified":true}],"emails":[{"address":"Kari@Example.com","verified":false}],"password_hash":"$2b$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW","created_at":"2024-05-01T12:00:00Z","external_id":"kari"}"#;
        let a = parse_line(line, no(), None).unwrap();
        assert_eq!(a.sub.as_deref(), Some("u-1"));
        assert_eq!(a.identifiers[0].0.value, "+4790000001");
        assert!(a.identifiers[0].1);
        assert_eq!(a.identifiers[1].0.value, "kari@example.com");
        assert_eq!(a.created_at, Some(1_714_564_800));
        assert_eq!(a.external_id.as_deref(), Some("kari"));
    }

    #[test]
    fn each_fault_has_its_reason() {
        let cases: &[(&[u8], &str)] = &[
            (b"{\"phones\": [", "not valid JSON"),
            (br#"{"phones": "x"}"#, "not valid JSON"),
            (br#"{"phone": []}"#, "not valid JSON"),
            (
                b"{\"emails\":[{\"address\":\"\xff@x.no\"}]}",
                "not valid UTF-8",
            ),
            (br#"{"phones":[{"number":"12"}]}"#, "phone number"),
            (br#"{"emails":[{"address":"nope"}]}"#, "email address"),
            (br#"{}"#, "no phone or email"),
            (
                br#"{"emails":[{"address":"a@x.no"},{"address":"A@x.no"}]}"#,
                "duplicate",
            ),
            (
                br#"{"emails":[{"address":"a@x.no"}],"password_hash":"$md5$x"}"#,
                "password hash",
            ),
            (
                br#"{"emails":[{"address":"a@x.no"}],"sub":"a b"}"#,
                "bad sub",
            ),
            (
                br#"{"emails":[{"address":"a@x.no"}],"created_at":"yesterday"}"#,
                "created_at",
            ),
            (
                br#"{"emails":[{"address":"a@x.no"}],"created_at":-5}"#,
                "created_at",
            ),
            (
                br#"{"emails":[{"address":"a@x.no"}],"created_at":"0000-01-01T00:00:00Z"}"#,
                "created_at",
            ),
        ];
        for (line, want) in cases {
            let e = parse_line(line, no(), None).unwrap_err().to_string();
            assert!(e.contains(want), "{}: {e}", String::from_utf8_lossy(line));
        }
        let long = vec![b' '; MAX_LINE_BYTES + 1];
        assert_eq!(parse_line(&long, no(), None), Err(LineError::TooLong));
    }
}
