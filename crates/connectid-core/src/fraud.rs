//! Velocity and ratio rules against SMS pumping: a bot that types numbers into a public page
//! sends codes nobody enters. Each rule compares today's unverified codes (sent, minus those
//! entered right) for one subject — an address, a phone country, a number range — with the
//! verified ones of the same subject, so a carrier's shared address or a busy country with
//! many real people keeps its room, while an address or a range that only ever asks is
//! stopped early. Normal sign-ins convert 60–80 % of the codes sent; every rule here trips
//! only when a subject's conversion falls below one half (beyond a small floor).
//!
//! Pure: the counts come from the caller (kept per UTC day where every node sees them).

use std::str::FromStr;

/// What the rules do (`[fraud] mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FraudMode {
    /// No counting, no rules.
    Off,
    /// Send anyway, but log, count and audit every tripped rule: how a deployment learns
    /// its own figures before it refuses anyone.
    #[default]
    Observe,
    /// Refuse the SMS when a rule trips, with the message a refused number gets.
    Protect,
}

impl FromStr for FraudMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(Self::Off),
            "observe" => Ok(Self::Observe),
            "protect" => Ok(Self::Protect),
            other => Err(format!("`{other}` is not one of off, observe, protect")),
        }
    }
}

impl FraudMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Observe => "observe",
            Self::Protect => "protect",
        }
    }
}

/// The deployment's `[fraud]` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FraudSettings {
    pub mode: FraudMode,
    /// Ask every browser for the proof-of-work challenge before an SMS, risk or not
    /// (`always_challenge`); otherwise only when a rule trips in protect mode.
    pub always_challenge: bool,
}

/// One rule, named as the metrics and the audit log name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// One address: unverified codes at least `max(10, its verified codes)`.
    UnverifiedPerIp,
    /// One phone country: unverified codes at least `max(20, verified)`, where verified is
    /// the larger of today's and yesterday's; a country where nobody entered a code today or
    /// yesterday gets 2 (pumping goes where real people are not).
    UnverifiedPerCountry,
    /// One address asking for codes to more than 3 phone countries in a day.
    CountriesPerIp,
    /// One number range (a number without its last 4 digits): unverified codes at least
    /// `max(5, verified)`; ranges are what pumpers rent.
    UnverifiedPerPrefix,
}

impl Rule {
    pub const ALL: [Rule; 4] = [
        Self::UnverifiedPerIp,
        Self::UnverifiedPerCountry,
        Self::CountriesPerIp,
        Self::UnverifiedPerPrefix,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnverifiedPerIp => "unverified_per_ip",
            Self::UnverifiedPerCountry => "unverified_per_country",
            Self::CountriesPerIp => "countries_per_ip",
            Self::UnverifiedPerPrefix => "unverified_per_prefix",
        }
    }
}

/// Today's counts around one SMS about to be sent (before it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub ip_sent: u32,
    pub ip_verified: u32,
    pub country_sent: u32,
    pub country_verified: u32,
    pub country_verified_yesterday: u32,
    /// Distinct phone countries the address asked for today, this one included.
    pub ip_countries: u32,
    pub prefix_sent: u32,
    pub prefix_verified: u32,
}

/// The rules this send trips.
pub fn assess(c: &Counts) -> Vec<Rule> {
    let unverified = |sent: u32, verified: u32| sent.saturating_sub(verified);
    let mut tripped = Vec::new();
    if unverified(c.ip_sent, c.ip_verified) >= c.ip_verified.max(10) {
        tripped.push(Rule::UnverifiedPerIp);
    }
    let baseline = c.country_verified.max(c.country_verified_yesterday);
    let floor = if baseline == 0 { 2 } else { 20 };
    if unverified(c.country_sent, c.country_verified) >= baseline.max(floor) {
        tripped.push(Rule::UnverifiedPerCountry);
    }
    if c.ip_countries > 3 {
        tripped.push(Rule::CountriesPerIp);
    }
    if unverified(c.prefix_sent, c.prefix_verified) >= c.prefix_verified.max(5) {
        tripped.push(Rule::UnverifiedPerPrefix);
    }
    tripped
}

/// The phone country of an E.164 number, as its ISO 3166 code (`"??"` when it has none).
pub fn country(e164: &str) -> String {
    phonenumber::parse(None, e164)
        .ok()
        .and_then(|n| n.country().id())
        .map_or_else(|| "??".to_string(), |id| format!("{id:?}"))
}

/// The range of an E.164 number: all but its last 4 digits.
pub fn prefix(e164: &str) -> &str {
    let cut = e164.len().saturating_sub(4).max(1);
    e164.get(..cut).unwrap_or(e164)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_traffic_trips_nothing() {
        // A busy carrier address: 400 codes sent, 300 entered.
        let c = Counts {
            ip_sent: 400,
            ip_verified: 300,
            country_sent: 5000,
            country_verified: 3500,
            country_verified_yesterday: 4000,
            ip_countries: 2,
            prefix_sent: 12,
            prefix_verified: 9,
        };
        assert!(assess(&c).is_empty());
        assert!(assess(&Counts::default()).is_empty(), "a first send");
    }

    #[test]
    fn each_rule_trips_on_its_own_subject() {
        let quiet = Counts {
            country_verified: 100,
            ip_countries: 1,
            ..Counts::default()
        };
        let ip = Counts {
            ip_sent: 10,
            ..quiet
        };
        assert_eq!(assess(&ip), [Rule::UnverifiedPerIp]);
        assert!(
            assess(&Counts {
                ip_sent: 9,
                ..quiet
            })
            .is_empty()
        );
        let country = Counts {
            country_sent: 100 + 100,
            ..quiet
        };
        assert_eq!(assess(&country), [Rule::UnverifiedPerCountry]);
        let countries = Counts {
            ip_countries: 4,
            ..quiet
        };
        assert_eq!(assess(&countries), [Rule::CountriesPerIp]);
        let range = Counts {
            prefix_sent: 5,
            ..quiet
        };
        assert_eq!(assess(&range), [Rule::UnverifiedPerPrefix]);
    }

    #[test]
    fn a_country_nobody_uses_trips_sooner() {
        let c = Counts {
            country_sent: 2,
            ip_countries: 1,
            ..Counts::default()
        };
        assert_eq!(assess(&c), [Rule::UnverifiedPerCountry]);
        let used_yesterday = Counts {
            country_verified_yesterday: 1,
            ..c
        };
        assert!(assess(&used_yesterday).is_empty());
    }

    #[test]
    fn ranges_and_modes() {
        assert_eq!(prefix("+4790000555"), "+479000");
        assert_eq!(prefix("+1"), "+");
        assert_eq!(country("+4790000555"), "NO");
        assert_eq!(country("+447400123456"), "GB");
        assert_eq!("protect".parse(), Ok(FraudMode::Protect));
        assert!("on".parse::<FraudMode>().is_err());
        assert_eq!(FraudMode::default(), FraudMode::Observe);
    }
}
