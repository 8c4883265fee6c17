//! Protocol-shaped values of OAuth 2.0 / OpenID Connect, parsed once at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Level of assurance, carried as `acr` `"1"` (possession of the phone) or `"2"` (password).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Acr {
    Phone = 1,
    Password = 2,
}

/// How the person authenticated, as the ID token's `amr` lists it (RFC 8176): a password,
/// a code by SMS, a code by email, or the operator's network (multiple-channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Amr {
    Pwd,
    Sms,
    Otp,
    Mca,
}

impl Amr {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pwd => "pwd",
            Self::Sms => "sms",
            Self::Otp => "otp",
            Self::Mca => "mca",
        }
    }
    /// The methods that prove possession of the phone.
    pub fn proves_phone(self) -> bool {
        matches!(self, Self::Sms | Self::Mca)
    }
}

impl fmt::Display for Amr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Acr {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "1",
            Self::Password => "2",
        }
    }
    pub fn level(self) -> i64 {
        self as i64
    }
    pub fn from_level(level: i64) -> Option<Self> {
        match level {
            1 => Some(Self::Phone),
            2 => Some(Self::Password),
            _ => None,
        }
    }
}

impl FromStr for Acr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "1" => Ok(Self::Phone),
            "2" => Ok(Self::Password),
            other => Err(format!("unsupported acr value `{other}`")),
        }
    }
}

impl TryFrom<String> for Acr {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Acr> for String {
    fn from(a: Acr) -> String {
        a.as_str().to_string()
    }
}

impl fmt::Display for Acr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The lowest of the requested `acr_values` that connectid supports: asking for several
/// means any of them will do, so the cheapest for the person wins.
pub fn lowest_supported_acr(acr_values: &str) -> Option<Acr> {
    acr_values
        .split_whitespace()
        .filter_map(|v| v.parse::<Acr>().ok())
        .min()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseMode {
    Query,
    FormPost,
}

impl FromStr for ResponseMode {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "query" => Ok(Self::Query),
            "form_post" => Ok(Self::FormPost),
            _ => Err(()),
        }
    }
}

/// The `prompt` parameter, as a set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    pub none: bool,
    pub login: bool,
    pub consent: bool,
}

impl FromStr for Prompt {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut p = Prompt::default();
        for v in s.split_whitespace() {
            match v {
                "none" => p.none = true,
                "login" => p.login = true,
                "consent" => p.consent = true,
                "select_account" => {}
                other => return Err(format!("unsupported prompt value `{other}`")),
            }
        }
        if p.none && (p.login || p.consent) {
            return Err("prompt=none cannot be combined with other values".into());
        }
        Ok(p)
    }
}

/// The scopes connectid knows; others asked for are dropped, as OpenID Connect allows.
/// `device_sso` (OpenID Connect Native SSO) is granted only to clients with a `publisher`.
pub const SUPPORTED_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "phone",
    "offline_access",
    "device_sso",
];

/// A space-separated scope set, in request order, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope(Vec<String>);

impl Scope {
    /// Keeps the supported scopes of a request.
    pub fn parse_supported(s: &str) -> Self {
        let mut out: Vec<String> = Vec::new();
        for v in s.split_whitespace() {
            if SUPPORTED_SCOPES.contains(&v) && !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        Self(out)
    }
    pub fn from_stored(s: &str) -> Self {
        Self(s.split_whitespace().map(str::to_string).collect())
    }
    pub fn contains(&self, v: &str) -> bool {
        self.0.iter().any(|o| o == v)
    }
    /// The part of `self` that `narrower` asks for (refresh requests may only narrow).
    pub fn is_superset_of(&self, narrower: &Scope) -> bool {
        narrower.0.iter().all(|v| self.contains(v))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The same set without `v` (a scope this client may not have).
    pub fn without(mut self, v: &str) -> Self {
        self.0.retain(|o| o != v);
        self
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

/// Claims that can be asked for one by one through the `claims` parameter.
pub const SUPPORTED_CLAIMS: &[&str] = &[
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "azp",
    "sid",
    "at_hash",
    "td_sls",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "name",
    "locale",
    "updated_at",
];

/// What the `claims` request parameter (OIDC Core §5.5) asks for, reduced to what matters here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsRequest {
    /// Claim names asked for in the ID token.
    pub id_token: Vec<String>,
    /// Claim names asked for at UserInfo.
    pub userinfo: Vec<String>,
    /// The lowest `acr` accepted when `acr` is asked for as essential.
    pub essential_acr: Option<Acr>,
}

impl ClaimsRequest {
    pub fn parse(json: &str) -> Result<Self, String> {
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|_| "claims is not valid JSON".to_string())?;
        let obj = v.as_object().ok_or("claims must be a JSON object")?;
        let mut out = Self::default();
        for (target, dest) in [("id_token", 0), ("userinfo", 1)] {
            let Some(section) = obj.get(target) else {
                continue;
            };
            let section = section
                .as_object()
                .ok_or_else(|| format!("claims.{target} must be an object"))?;
            for (name, spec) in section {
                if dest == 0 {
                    out.id_token.push(name.clone());
                } else {
                    out.userinfo.push(name.clone());
                }
                if name == "acr" && dest == 0 {
                    let essential = spec
                        .get("essential")
                        .and_then(|e| e.as_bool())
                        .unwrap_or(false);
                    let mut wanted: Vec<Acr> = Vec::new();
                    if let Some(v) = spec.get("value").and_then(|v| v.as_str()) {
                        wanted.extend(v.parse::<Acr>());
                    }
                    if let Some(vs) = spec.get("values").and_then(|v| v.as_array()) {
                        wanted.extend(vs.iter().filter_map(|v| v.as_str()?.parse::<Acr>().ok()));
                    }
                    if essential {
                        out.essential_acr = Some(wanted.into_iter().min().unwrap_or(Acr::Phone));
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acr_ordering_and_parsing() {
        assert!(Acr::Password > Acr::Phone);
        assert_eq!(lowest_supported_acr("2 1"), Some(Acr::Phone));
        assert_eq!(lowest_supported_acr("urn:x 2"), Some(Acr::Password));
        assert_eq!(lowest_supported_acr("urn:x"), None);
    }

    #[test]
    fn prompt_parses_and_refuses_conflicts() {
        let p: Prompt = "login consent".parse().unwrap();
        assert!(p.login && p.consent && !p.none);
        assert!("none login".parse::<Prompt>().is_err());
        assert!("bogus".parse::<Prompt>().is_err());
    }

    #[test]
    fn scope_keeps_known_values_once() {
        let s = Scope::parse_supported("openid email openid foo");
        assert_eq!(s.to_string(), "openid email");
        assert!(s.is_superset_of(&Scope::parse_supported("email")));
        assert!(!s.is_superset_of(&Scope::parse_supported("phone")));
    }

    #[test]
    fn claims_request_reads_essential_acr() {
        let c = ClaimsRequest::parse(
            r#"{"id_token":{"acr":{"essential":true,"values":["2"]},"email":null},"userinfo":{"phone_number":null}}"#,
        )
        .unwrap();
        assert_eq!(c.essential_acr, Some(Acr::Password));
        assert!(c.id_token.contains(&"email".to_string()));
        assert_eq!(c.userinfo, vec!["phone_number".to_string()]);
        assert!(ClaimsRequest::parse("[1]").is_err());
    }
}
