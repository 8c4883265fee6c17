//! Where an SMS may go. A page that sends a code to any number typed into it pays for every
//! bot that types numbers: the deployment names the phone countries it serves
//! (`[sms] allowed_countries`, by default its `default_phone_region` alone), a service may
//! narrow them (`sms_countries`), and numbers of kinds that only cost money (premium rate,
//! shared cost, universal access; by choice toll-free and VoIP) get no SMS at all
//! (`[sms] refused_number_types`). Decided from the phone-number metadata, before anything
//! is sent or counted.

use std::str::FromStr;

use phonenumber::Type;
use phonenumber::metadata::DATABASE;

use crate::identifier::{Identifier, PhoneRegion};

/// A kind of number that can be refused, named as `refused_number_types` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberType {
    PremiumRate,
    SharedCost,
    Uan,
    TollFree,
    Voip,
}

impl NumberType {
    pub const ALL: [NumberType; 5] = [
        Self::PremiumRate,
        Self::SharedCost,
        Self::Uan,
        Self::TollFree,
        Self::Voip,
    ];
    /// Refused unless the operator says otherwise.
    pub const DEFAULT_REFUSED: [NumberType; 3] = [Self::PremiumRate, Self::SharedCost, Self::Uan];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PremiumRate => "premium_rate",
            Self::SharedCost => "shared_cost",
            Self::Uan => "uan",
            Self::TollFree => "toll_free",
            Self::Voip => "voip",
        }
    }

    fn of(t: Type) -> Option<Self> {
        match t {
            Type::PremiumRate => Some(Self::PremiumRate),
            Type::SharedCost => Some(Self::SharedCost),
            Type::Uan => Some(Self::Uan),
            Type::TollFree => Some(Self::TollFree),
            Type::Voip => Some(Self::Voip),
            _ => None,
        }
    }
}

impl FromStr for NumberType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!("`{s}` is not one of {}", names.join(", "))
            })
    }
}

/// Why no SMS goes to a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsRefusal {
    /// Its country is not among those the deployment (or the service) sends to.
    Country,
    /// A number of a refused kind (premium rate, …).
    NumberType(NumberType),
}

/// The deployment's rules for where SMS may go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsPolicy {
    pub allowed_countries: Vec<PhoneRegion>,
    pub refused_number_types: Vec<NumberType>,
    /// SMS per UTC day for the deployment (0: none); a service may have its own as well
    /// (`sms_daily_budget`).
    pub daily_budget: u32,
}

impl SmsPolicy {
    /// The safe default: the home region only, the costly kinds refused.
    pub fn home(region: PhoneRegion) -> Self {
        Self {
            allowed_countries: vec![region],
            refused_number_types: NumberType::DEFAULT_REFUSED.to_vec(),
            daily_budget: 0,
        }
    }

    /// Whether an SMS may go to `phone` (in E.164) for a service that sends only to
    /// `service_countries`, when it names any (a subset of the deployment's list).
    pub fn check(
        &self,
        phone: &Identifier,
        service_countries: &[PhoneRegion],
    ) -> Result<(), SmsRefusal> {
        let Ok(number) = phonenumber::parse(None, &phone.value) else {
            return Err(SmsRefusal::Country);
        };
        let country = number.country().id().map(PhoneRegion);
        let allowed = country.is_some_and(|c| {
            self.allowed_countries.contains(&c)
                && (service_countries.is_empty() || service_countries.contains(&c))
        });
        if !allowed {
            return Err(SmsRefusal::Country);
        }
        if let Some(kind) = NumberType::of(number.number_type(&DATABASE))
            && self.refused_number_types.contains(&kind)
        {
            return Err(SmsRefusal::NumberType(kind));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(n: &str) -> Identifier {
        Identifier::parse(n, PhoneRegion::default()).expect(n)
    }

    fn region(r: &str) -> PhoneRegion {
        r.parse().expect(r)
    }

    #[test]
    fn a_new_deployment_sends_to_its_home_mobiles_only() {
        let p = SmsPolicy::home(region("NO"));
        assert_eq!(p.check(&phone("+4790000001"), &[]), Ok(()));
        assert_eq!(
            p.check(&phone("+46701234567"), &[]),
            Err(SmsRefusal::Country)
        );
        assert_eq!(
            p.check(&phone("+447400123456"), &[]),
            Err(SmsRefusal::Country)
        );
    }

    #[test]
    fn costly_kinds_of_number_are_refused_where_the_country_is_allowed() {
        let p = SmsPolicy {
            allowed_countries: vec![region("GB"), region("NO")],
            refused_number_types: NumberType::DEFAULT_REFUSED.to_vec(),
            daily_budget: 0,
        };
        // UK premium rate (09…) and universal access (03…), a Norwegian premium 820 number.
        assert_eq!(
            p.check(&phone("+449061234567"), &[]),
            Err(SmsRefusal::NumberType(NumberType::PremiumRate))
        );
        assert_eq!(
            p.check(&phone("+443003031234"), &[]),
            Err(SmsRefusal::NumberType(NumberType::Uan))
        );
        assert_eq!(
            p.check(&phone("+4782012345"), &[]),
            Err(SmsRefusal::NumberType(NumberType::PremiumRate))
        );
        assert_eq!(p.check(&phone("+447400123456"), &[]), Ok(()));
        // Toll-free is allowed unless listed.
        assert_eq!(p.check(&phone("+448001234567"), &[]), Ok(()));
        let strict = SmsPolicy {
            refused_number_types: vec![NumberType::TollFree],
            ..p
        };
        assert_eq!(
            strict.check(&phone("+448001234567"), &[]),
            Err(SmsRefusal::NumberType(NumberType::TollFree))
        );
    }

    #[test]
    fn a_service_narrows_the_deployment_list_and_never_widens_it() {
        let p = SmsPolicy {
            allowed_countries: vec![region("NO"), region("SE")],
            refused_number_types: vec![],
            daily_budget: 0,
        };
        assert_eq!(
            p.check(&phone("+46701234567"), &[region("NO")]),
            Err(SmsRefusal::Country)
        );
        assert_eq!(p.check(&phone("+4790000001"), &[region("NO")]), Ok(()));
        assert_eq!(
            p.check(&phone("+447400123456"), &[region("GB")]),
            Err(SmsRefusal::Country)
        );
    }

    #[test]
    fn number_types_are_named_as_the_config_names_them() {
        for t in NumberType::ALL {
            assert_eq!(t.as_str().parse::<NumberType>(), Ok(t));
        }
        let e = "premium".parse::<NumberType>().unwrap_err();
        assert!(e.contains("premium_rate"), "{e}");
    }
}
