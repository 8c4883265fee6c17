//! Phone numbers and email addresses: the only identifiers a person signs in with.
//!
//! Both are parsed into a normal form before anything else sees them, so that one person's
//! `+47 900 00 000`, `90000000` and `004790000000` are one identifier, and `Ann@Example.com`
//! and `ann@example.com` are one email.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentifierKind {
    Phone,
    Email,
}

impl IdentifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
        }
    }
}

impl FromStr for IdentifierKind {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "phone" => Ok(Self::Phone),
            "email" => Ok(Self::Email),
            _ => Err(IdentifierError::Unrecognised),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("enter a phone number or an email address")]
    Empty,
    #[error("this is not a valid phone number")]
    InvalidPhone,
    #[error("this is not a valid email address")]
    InvalidEmail,
    #[error("enter a phone number or an email address")]
    Unrecognised,
}

/// A phone number or an email address in normal form (E.164; lower-cased email).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// The ISO 3166 region used to read national phone numbers such as `90000000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneRegion(pub(crate) phonenumber::country::Id);

impl FromStr for PhoneRegion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        phonenumber::country::Id::from_str(&s.to_ascii_uppercase())
            .map(Self)
            .map_err(|_| format!("`{s}` is not an ISO 3166 region code such as \"NO\""))
    }
}

impl Default for PhoneRegion {
    fn default() -> Self {
        Self(phonenumber::country::Id::NO)
    }
}

impl Identifier {
    /// Reads what a person typed into the one identifier field.
    pub fn parse(input: &str, region: PhoneRegion) -> Result<Self, IdentifierError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(IdentifierError::Empty);
        }
        if input.contains('@') {
            Self::email(input)
        } else if input
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        {
            Self::phone(input, region)
        } else {
            Err(IdentifierError::Unrecognised)
        }
    }

    pub fn phone(input: &str, region: PhoneRegion) -> Result<Self, IdentifierError> {
        let input = input.trim();
        if input.len() > 32 {
            return Err(IdentifierError::InvalidPhone);
        }
        let digits: String = input.chars().filter(|c| !" -().".contains(*c)).collect();
        // "00" is the international prefix in most of the regions connectid serves.
        let digits = match digits.strip_prefix("00") {
            Some(rest) => format!("+{rest}"),
            None => digits,
        };
        let number = phonenumber::parse(Some(region.0), &digits)
            .map_err(|_| IdentifierError::InvalidPhone)?;
        if !phonenumber::is_valid(&number) {
            return Err(IdentifierError::InvalidPhone);
        }
        let value = number.format().mode(phonenumber::Mode::E164).to_string();
        // E.164 allows at most 15 digits; the metadata accepts some longer national numbers
        // (Germany), which no SMS route delivers to.
        if value.len() > 16 {
            return Err(IdentifierError::InvalidPhone);
        }
        // The normal form must read back as itself; some inputs with national prefixes after
        // the country code (`+47 0 0090 10`, found by fuzzing) format to a number that does
        // not, and two spellings of one account must never be two accounts.
        let again = phonenumber::parse(Some(region.0), &value)
            .ok()
            .filter(phonenumber::is_valid)
            .map(|n| n.format().mode(phonenumber::Mode::E164).to_string());
        if again.as_deref() != Some(value.as_str()) {
            return Err(IdentifierError::InvalidPhone);
        }
        Ok(Self {
            kind: IdentifierKind::Phone,
            value,
        })
    }

    /// How a person reads this identifier: a phone number in international grouping
    /// (`+47 900 00 005`), an email as it is.
    pub fn display(&self) -> String {
        match self.kind {
            IdentifierKind::Phone => {
                display_phone(&self.value).unwrap_or_else(|| self.value.clone())
            }
            IdentifierKind::Email => self.value.clone(),
        }
    }

    pub fn email(input: &str) -> Result<Self, IdentifierError> {
        let email = input.trim().to_lowercase();
        if !valid_email(&email) {
            return Err(IdentifierError::InvalidEmail);
        }
        Ok(Self {
            kind: IdentifierKind::Email,
            value: email,
        })
    }

    /// Rebuilds an identifier from its stored normal form.
    pub fn from_stored(kind: IdentifierKind, value: String) -> Self {
        Self { kind, value }
    }

    pub fn is_phone(&self) -> bool {
        self.kind == IdentifierKind::Phone
    }

    /// The country of a phone number; `None` for an email.
    pub fn region(&self) -> Option<PhoneRegion> {
        if !self.is_phone() {
            return None;
        }
        phonenumber::parse(None, &self.value)
            .ok()?
            .country()
            .id()
            .map(PhoneRegion)
    }
}

/// Characters that render as nothing or reorder text (Unicode format characters, variation
/// selectors, fillers). An address containing one looks exactly like someone else's address
/// on every screen and in every log, so it is refused rather than stored as a second account.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
}

/// A pragmatic address check (RFC 5322 is far looser than any mailbox that exists).
fn valid_email(email: &str) -> bool {
    if email.len() > 254
        || email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
    {
        return false;
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !local.contains(['<', '>', '"', '(', ')', ',', ';', ':', '\\', '[', ']']);
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// An E.164 number (`+4790000005`) in international grouping (`+47 900 00 005`); `None` for
/// anything else, so text that merely starts with `+` is left alone.
pub fn display_phone(e164: &str) -> Option<String> {
    let digits = e164.strip_prefix('+')?;
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = phonenumber::parse(None, e164).ok()?;
    Some(
        number
            .format()
            .mode(phonenumber::Mode::International)
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_shown_in_international_grouping() {
        // As the phonenumber crate's metadata groups them (Norwegian mobiles 2-2-2-2).
        assert_eq!(
            display_phone("+4790000005").as_deref(),
            Some("+47 90 00 00 05")
        );
        let bd = display_phone("+8801712345678").unwrap();
        assert!(bd.starts_with("+880 ") && bd.len() > 14, "{bd}");
        for not_a_number in ["4790000005", "+47 900", "+", "+47a", "a@b.no"] {
            assert_eq!(display_phone(not_a_number), None, "{not_a_number}");
        }
        let id = Identifier::phone("+4790000005", PhoneRegion::default()).unwrap();
        assert_eq!(id.display(), "+47 90 00 00 05");
    }

    #[test]
    fn a_phone_normal_form_parses_back_to_itself() {
        // Found by fuzz/identifier: this used to produce a normal form that did not parse.
        for region in ["NO", "SE", "US", "GB"] {
            let region: PhoneRegion = region.parse().unwrap();
            if let Ok(id) = Identifier::parse("+47 0 0090  10", region) {
                assert_eq!(Identifier::parse(&id.value, region).unwrap(), id);
            }
        }
    }

    fn no() -> PhoneRegion {
        "NO".parse().unwrap()
    }

    #[test]
    fn national_and_international_phone_forms_are_one() {
        for input in ["90000000", "+47 900 00 000", "004790000000", "+4790000000"] {
            let id = Identifier::parse(input, no()).unwrap();
            assert_eq!(id.value, "+4790000000", "{input}");
            assert_eq!(id.kind, IdentifierKind::Phone);
        }
    }

    #[test]
    fn bad_phones_are_refused() {
        for input in ["123", "+47 1", "99999999999999999999999", "+"] {
            assert_eq!(
                Identifier::parse(input, no()),
                Err(IdentifierError::InvalidPhone),
                "{input}"
            );
        }
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        let id = Identifier::parse(" Ann@Example.COM ", no()).unwrap();
        assert_eq!(id.value, "ann@example.com");
        for bad in [
            "a@b",
            "@b.no",
            "a@@b.no",
            "a b@c.no",
            "a@-b.no",
            "a..b@c.no",
        ] {
            assert_eq!(
                Identifier::parse(bad, no()),
                Err(IdentifierError::InvalidEmail),
                "{bad}"
            );
        }
    }

    #[test]
    fn other_text_is_unrecognised() {
        assert_eq!(
            Identifier::parse("bob", no()),
            Err(IdentifierError::Unrecognised)
        );
        assert_eq!(Identifier::parse("  ", no()), Err(IdentifierError::Empty));
    }

    #[test]
    fn region_codes_parse() {
        assert!("se".parse::<PhoneRegion>().is_ok());
        assert!("XX".parse::<PhoneRegion>().is_err());
    }
}
