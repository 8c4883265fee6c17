//! Clients (the services people sign in to): RFC 7591 metadata plus connectid's extensions,
//! and the rules that make a registration valid.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::oidc::Acr;
mod profile;
mod registration;
mod validate;
pub use profile::*;
pub use registration::*;
pub use validate::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApplicationType {
    #[default]
    Web,
    Native,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenEndpointAuthMethod {
    #[default]
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
    None,
}

impl TokenEndpointAuthMethod {
    pub fn uses_secret(self) -> bool {
        matches!(self, Self::ClientSecretBasic | Self::ClientSecretPost)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
    #[serde(rename = "urn:ietf:params:oauth:grant-type:token-exchange")]
    TokenExchange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SigningAlg {
    #[default]
    RS256,
    ES256,
    EdDSA,
}

impl SigningAlg {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::ES256 => "ES256",
            Self::EdDSA => "EdDSA",
        }
    }
    pub const ALL: [SigningAlg; 3] = [Self::RS256, Self::ES256, Self::EdDSA];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Identifiers {
    Phone,
    Email,
    #[default]
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentifierFirst {
    #[default]
    Phone,
    Email,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsPin {
    #[default]
    Auto,
    Force,
    Disallow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Consent {
    Implicit,
    #[default]
    Explicit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaySignedIn {
    pub visible: bool,
    pub default: bool,
}

impl Default for StaySignedIn {
    fn default() -> Self {
        Self {
            visible: false,
            default: true,
        }
    }
}

/// A message in one language for all, or per language tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocalisedText {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<LocalisedText>,
}

/// Client metadata as registered: RFC 7591 / OpenID Dynamic Client Registration JSON and the
/// connectid extensions (README, "Per-service tuning"). Unknown fields are refused so a typo is never ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub client_name: String,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    pub application_type: ApplicationType,
    #[serde(default)]
    pub token_endpoint_auth_method: TokenEndpointAuthMethod,
    #[serde(default = "default_grant_types")]
    pub grant_types: Vec<GrantType>,
    #[serde(default = "default_response_types")]
    pub response_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_max_age: Option<i64>,
    #[serde(default)]
    pub default_acr_values: Vec<Acr>,
    #[serde(default = "default_alg")]
    pub id_token_signed_response_alg: SigningAlg,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_uri: Option<String>,
    /// The client needs `sid` in logout tokens. connectid always sends it, so this only
    /// records the client's wish (OpenID Connect Back-Channel Logout 1.0 §2.2).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub backchannel_logout_session_required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default)]
    pub sso: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stay_signed_in: Option<StaySignedIn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branding: Option<Branding>,
    #[serde(default)]
    pub identifiers: Identifiers,
    #[serde(default)]
    pub identifier_first: IdentifierFirst,
    #[serde(default)]
    pub require_email: bool,
    #[serde(default)]
    pub sms_pin: SmsPin,
    #[serde(default)]
    pub consent: Consent,
    #[serde(default = "default_locale")]
    pub default_locale: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub android_sms_hash: Option<String>,
    /// A first-party app that may approve other apps' authorization requests for the person
    /// signed in to it (App2App, README).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub app2app_approver: bool,
    /// A native app whose authorization requests an `app2app_approver` may answer. Off by
    /// default: approval skips the browser, so an app must ask for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub app2app: bool,
    /// The lowest level of assurance this service accepts: a request asking for less (with
    /// `acr_values` or a `claims` request) is raised to it. `default_acr_values` is only a
    /// default, which the request's parameters replace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_acr: Option<Acr>,
    /// ISO 3166 codes of the phone countries this service's codes may go to by SMS: it
    /// narrows the deployment's `[sms] allowed_countries` and never widens it (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sms_countries: Vec<String>,
    /// SMS per UTC day for this service's sign-ins, on top of the deployment's budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_daily_budget: Option<u32>,
    /// Authorization requests of this client must be pushed first (RFC 9126): `/authorize`
    /// takes only a `request_uri` from `/par`, so nothing of the request travels through the
    /// browser where it could be read or changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_pushed_authorization_requests: bool,
    /// Authorization requests of this client must come as request objects signed with its
    /// registered keys (RFC 9101), at `/authorize` or inside a pushed request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_signed_request_object: bool,
    /// Where this service hears of changes to the accounts of people who have signed in to
    /// it (account events, signed as Standard Webhooks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<crate::events::Subscription>,
    /// Token requests of this client must carry a DPoP proof, and its tokens are bound to the
    /// proof's key (RFC 9449 §5.2).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dpop_bound_access_tokens: bool,
    /// A security profile that sets and enforces many of the above at once (`fapi2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

fn default_grant_types() -> Vec<GrantType> {
    vec![GrantType::AuthorizationCode]
}
fn default_response_types() -> Vec<String> {
    vec!["code".into()]
}
fn default_alg() -> SigningAlg {
    SigningAlg::RS256
}
fn default_locale() -> String {
    "en".into()
}

/// Why a registration is refused; the two RFC 7591 error codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    #[error("invalid_client_metadata: {0}")]
    InvalidMetadata(String),
    #[error("invalid_redirect_uri: {0}")]
    InvalidRedirectUri(String),
}

impl ClientError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidMetadata(_) => "invalid_client_metadata",
            Self::InvalidRedirectUri(_) => "invalid_redirect_uri",
        }
    }
    pub fn description(&self) -> &str {
        match self {
            Self::InvalidMetadata(d) | Self::InvalidRedirectUri(d) => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(json: &str) -> Result<ClientMetadata, ClientError> {
        let m = ClientMetadata::from_json(json)?;
        m.validate()?;
        Ok(m)
    }

    #[test]
    fn a_minimal_web_client_is_valid_with_defaults() {
        let m = meta(r#"{"client_name":"A","redirect_uris":["https://a.example/cb"]}"#).unwrap();
        assert!(!m.sso);
        assert_eq!(m.consent, Consent::Explicit);
        assert_eq!(m.sms_pin, SmsPin::Auto);
        assert_eq!(m.stay_signed_in(), StaySignedIn::default());
    }

    #[test]
    fn unknown_fields_and_bad_values_are_invalid_metadata() {
        for json in [
            r#"{"redirect_uris":["https://a/cb"],"colour":"red"}"#,
            r#"{"redirect_uris":["https://a/cb"],"sms_pin":"sometimes"}"#,
            r#"{"redirect_uris":["https://a/cb"],"application_type":"native","stay_signed_in":{"visible":true,"default":true}}"#,
            r#"{"redirect_uris":["https://a/cb"],"branding":{"header_color":"red;}"}}"#,
            r#"{"redirect_uris":["https://a/cb"],"response_types":["token"]}"#,
            r#"{"redirect_uris":["https://a/cb"],"token_endpoint_auth_method":"private_key_jwt"}"#,
            r#"{"redirect_uris":["https://a/cb"],"default_acr_values":["3"]}"#,
            r#"{"redirect_uris":["https://a/cb"],"sso":true,"default_acr_values":["2"]}"#,
            r#"{"redirect_uris":["https://a/cb"],"client_id":"has space"}"#,
            r#"{"redirect_uris":["https://a/cb"],"client_secret":"short"}"#,
            r#"{"redirect_uris":["https://a/cb"],"backchannel_logout_uri":"https://a/bc#x"}"#,
            r#"{"redirect_uris":["https://a/cb"],"backchannel_logout_uri":"/bc"}"#,
            r#"{"redirect_uris":["https://a/cb"],"backchannel_logout_session_required":true}"#,
            r#"{"redirect_uris":["https://a/cb"],"id_token_signed_response_alg":"none"}"#,
            r#"not json"#,
        ] {
            assert_eq!(
                meta(json).unwrap_err().code(),
                "invalid_client_metadata",
                "{json}"
            );
        }
    }

    #[test]
    fn back_channel_logout_registration_round_trips() {
        let m = meta(
            r#"{"redirect_uris":["https://a/cb"],"backchannel_logout_uri":"https://a/bc?x=1",
                "backchannel_logout_session_required":true}"#,
        )
        .unwrap();
        assert!(m.backchannel_logout_session_required);
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["backchannel_logout_session_required"], true);
        let plain = meta(r#"{"redirect_uris":["https://a/cb"]}"#).unwrap();
        let json = serde_json::to_value(&plain).unwrap();
        assert!(json.get("backchannel_logout_session_required").is_none());
    }

    #[test]
    fn bad_redirect_uris_are_invalid_redirect_uri() {
        for uri in [
            "https://a.example/cb#frag",
            "http://a.example/cb",
            "javascript:alert(1)",
            "relative/cb",
            "https://user@a.example/cb",
            "com.example.app:/cb",
        ] {
            let json = format!(r#"{{"redirect_uris":["{uri}"]}}"#);
            assert_eq!(
                meta(&json).unwrap_err().code(),
                "invalid_redirect_uri",
                "{uri}"
            );
        }
        assert_eq!(
            meta(r#"{"redirect_uris":[]}"#).unwrap_err().code(),
            "invalid_redirect_uri"
        );
    }

    #[test]
    fn native_clients_may_use_private_schemes_and_loopback() {
        meta(r#"{"application_type":"native","token_endpoint_auth_method":"none","redirect_uris":["com.example.app:/cb","http://127.0.0.1:8123/cb"]}"#).unwrap();
    }

    #[test]
    fn public_clients_cannot_use_client_credentials() {
        let e =
            meta(r#"{"token_endpoint_auth_method":"none","grant_types":["client_credentials"]}"#)
                .unwrap_err();
        assert_eq!(e.code(), "invalid_client_metadata");
    }
}
