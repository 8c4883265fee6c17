//! Clients (the services people sign in to): RFC 7591 metadata plus connectid's extensions,
//! and the rules that make a registration valid.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::oidc::Acr;

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
/// connectid extensions (SPEC §3). Unknown fields are refused so a typo is never ignored.
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
    /// signed in to it (App2App, SPEC §7.3).
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

impl ClientMetadata {
    /// Reads metadata JSON, turning serde's complaints into `invalid_client_metadata`.
    pub fn from_json(json: &str) -> Result<Self, ClientError> {
        serde_json::from_str(json).map_err(|e| ClientError::InvalidMetadata(e.to_string()))
    }

    /// Checks every rule of SPEC §3 and RFC 7591 that JSON types alone do not express.
    pub fn validate(&self) -> Result<(), ClientError> {
        let bad = |m: &str| Err(ClientError::InvalidMetadata(m.to_string()));
        if let Some(id) = &self.client_id
            && !is_valid_client_id(id)
        {
            return bad("client_id must be 1-128 characters of A-Z a-z 0-9 - _ . ~");
        }
        if let Some(secret) = &self.client_secret {
            if !self.token_endpoint_auth_method.uses_secret() {
                return bad("client_secret given for a client that does not authenticate with one");
            }
            if secret.len() < 32 {
                return bad("client_secret must be at least 32 characters");
            }
        }
        if self.client_name.chars().count() > 200 {
            return bad("client_name is longer than 200 characters");
        }
        if self.response_types.iter().any(|r| r != "code") {
            return bad("only the response type \"code\" is supported");
        }
        let needs_redirect = self.grant_types.contains(&GrantType::AuthorizationCode);
        if needs_redirect && self.redirect_uris.is_empty() {
            return Err(ClientError::InvalidRedirectUri(
                "redirect_uris must name at least one URI for the authorization_code grant".into(),
            ));
        }
        if self.grant_types.is_empty() {
            return bad("grant_types must not be empty");
        }
        if self.grant_types.contains(&GrantType::ClientCredentials)
            && self.token_endpoint_auth_method == TokenEndpointAuthMethod::None
        {
            return bad("client_credentials needs an authenticated (confidential) client");
        }
        for uri in &self.redirect_uris {
            validate_redirect_uri(uri, self.application_type)
                .map_err(|m| ClientError::InvalidRedirectUri(format!("{uri}: {m}")))?;
        }
        for uri in &self.post_logout_redirect_uris {
            validate_redirect_uri(uri, self.application_type).map_err(|m| {
                ClientError::InvalidMetadata(format!("post_logout_redirect_uris: {uri}: {m}"))
            })?;
        }
        for (name, uri) in [
            ("logo_uri", &self.logo_uri),
            ("jwks_uri", &self.jwks_uri),
            ("backchannel_logout_uri", &self.backchannel_logout_uri),
        ] {
            if let Some(uri) = uri
                && !is_http_url(uri)
            {
                return bad(&format!("{name} must be an absolute http(s) URL"));
            }
        }
        if self
            .backchannel_logout_uri
            .as_deref()
            .is_some_and(|u| u.contains('#'))
        {
            return bad("backchannel_logout_uri must not contain a fragment");
        }
        if self.backchannel_logout_session_required && self.backchannel_logout_uri.is_none() {
            return bad("backchannel_logout_session_required needs a backchannel_logout_uri");
        }
        if let Some(b) = &self.branding {
            if let Some(uri) = &b.logo_uri
                && !is_http_url(uri)
            {
                return bad("branding.logo_uri must be an absolute http(s) URL");
            }
            if let Some(c) = &b.header_color
                && !is_hex_color(c)
            {
                return bad("branding.header_color must be a colour like #1a2b3c");
            }
        }
        if self.app2app_approver && self.application_type != ApplicationType::Native {
            return bad("app2app_approver is for native clients only");
        }
        if self.app2app_approver && self.token_endpoint_auth_method == TokenEndpointAuthMethod::None
        {
            return bad(
                "app2app_approver needs client authentication (private_key_jwt or a client secret), not none",
            );
        }
        if self.app2app && self.application_type != ApplicationType::Native {
            return bad("app2app is for native clients only");
        }
        if let Some(h) = &self.android_sms_hash {
            // The SMS Retriever hash: 11 characters of base64 (a truncated SHA-256).
            let ok = h.len() == 11
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
            if !ok {
                return bad("android_sms_hash must be the app's 11-character SMS Retriever hash");
            }
            if self.application_type != ApplicationType::Native {
                return bad("android_sms_hash is for native clients only");
            }
        }
        if self.stay_signed_in.is_some() && self.application_type == ApplicationType::Native {
            return bad("stay_signed_in is for web clients only");
        }
        // Seed 003: a web client that wants SSO above LoA1 must let people choose not to stay
        // signed in (a public computer must not keep a password-level session).
        if self.sso
            && self.application_type == ApplicationType::Web
            && (self
                .default_acr_values
                .iter()
                .any(|a| *a > crate::oidc::Acr::Phone)
                || self.minimum_acr > Some(crate::oidc::Acr::Phone))
            && !self.stay_signed_in().visible
        {
            return bad(
                "a web client with sso and default_acr_values or minimum_acr above \"1\" must show the stay signed in checkbox (stay_signed_in.visible: true)",
            );
        }
        if self.token_endpoint_auth_method == TokenEndpointAuthMethod::PrivateKeyJwt
            && self.jwks.is_none()
            && self.jwks_uri.is_none()
        {
            return bad("private_key_jwt needs jwks or jwks_uri");
        }
        if self.jwks.is_some() && self.jwks_uri.is_some() {
            return bad("jwks and jwks_uri are mutually exclusive");
        }
        if let Some(jwks) = &self.jwks
            && !jwks.get("keys").is_some_and(|k| k.is_array())
        {
            return bad("jwks must be an object with a \"keys\" array");
        }
        if let Some(age) = self.default_max_age
            && age < 0
        {
            return bad("default_max_age must not be negative");
        }
        if self.default_locale.is_empty()
            || self.default_locale.len() > 16
            || !self
                .default_locale
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return bad("default_locale must be a language tag such as \"en\"");
        }
        Ok(())
    }

    pub fn is_public(&self) -> bool {
        self.token_endpoint_auth_method == TokenEndpointAuthMethod::None
    }

    /// Whether `uri` is a registered redirect URI. Exact string comparison and nothing else
    /// (RFC 9700 §4.1.3): no case folding, no decoding, no prefix or pattern matching, because
    /// every normalisation is a way for a look-alike URI to receive a code.
    pub fn has_redirect_uri(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|u| u == uri)
    }

    /// The same exact match for where a browser may be sent after logout.
    pub fn has_post_logout_redirect_uri(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris.iter().any(|u| u == uri)
    }

    /// The "Stay signed in" checkbox as the sign-in page shows it: native apps never see it.
    pub fn stay_signed_in(&self) -> StaySignedIn {
        match (self.application_type, self.stay_signed_in) {
            (ApplicationType::Native, _) => StaySignedIn::default(),
            (_, Some(s)) => s,
            (_, None) => StaySignedIn::default(),
        }
    }
}

/// Whether `id` has the shape every client id has: 1-128 characters of A-Z a-z 0-9 - _ . ~
/// (ids given at registration are checked against it; generated ones are base64url). A string
/// without that shape names no client, so a lookup can say so without asking the database,
/// where some input (a NUL byte on PostgreSQL) is an error rather than a miss.
pub fn is_valid_client_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
}

fn is_http_url(uri: &str) -> bool {
    (uri.starts_with("https://") || uri.starts_with("http://"))
        && uri.len() <= 2000
        && !uri.chars().any(|c| c.is_whitespace() || c.is_control())
        && uri.split("://").nth(1).is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !host.contains('@')
        })
}

fn is_hex_color(c: &str) -> bool {
    let Some(hex) = c.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Redirect URIs are matched exactly, so the rules here are about what a URI may be at all.
pub fn validate_redirect_uri(uri: &str, app: ApplicationType) -> Result<(), &'static str> {
    if uri.len() > 2000 || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("not a valid URI");
    }
    if uri.contains('#') {
        return Err("a redirect URI must not contain a fragment");
    }
    let Some((scheme, rest)) = uri.split_once(':') else {
        return Err("not an absolute URI");
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Err("not an absolute URI");
    }
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "https" | "http" => {
            let Some(authority) = rest.strip_prefix("//") else {
                return Err("not an absolute URI");
            };
            let host = authority.split(['/', '?']).next().unwrap_or("");
            if host.is_empty() || host.contains('@') {
                return Err("the URI must name a host and no user information");
            }
            let hostname = host.rsplit_once(':').map_or(host, |(h, _)| h);
            let loopback = matches!(hostname, "localhost" | "127.0.0.1" | "[::1]");
            if scheme == "http" && !loopback {
                return Err("http is allowed only for localhost; use https");
            }
            Ok(())
        }
        "javascript" | "data" | "file" | "vbscript" | "about" | "blob" => {
            Err("this URI scheme is not allowed")
        }
        _ if app == ApplicationType::Native => {
            // Private-use schemes (RFC 8252 §7.1) must have a reverse-domain shape.
            if !scheme.contains('.') {
                return Err(
                    "a private-use scheme must be a reverse domain name, e.g. com.example.app",
                );
            }
            Ok(())
        }
        _ => Err("web clients must use https redirect URIs"),
    }
}

/// Turns validated metadata into a record to store, making the id and secret when not given.
/// Returns the secret in clear (shown once) for clients that authenticate with one.
pub fn register(
    mut meta: ClientMetadata,
    now: i64,
) -> Result<(crate::store::ClientRecord, Option<String>), ClientError> {
    meta.validate()?;
    let client_id = meta
        .client_id
        .take()
        .unwrap_or_else(|| crate::crypto::random_token()[..22].to_string());
    let secret = match (
        meta.client_secret.take(),
        meta.token_endpoint_auth_method.uses_secret(),
    ) {
        (Some(s), _) => Some(s),
        (None, true) => Some(crate::crypto::random_token()),
        (None, false) => None,
    };
    let record = crate::store::ClientRecord {
        client_id,
        secret_hash: secret.as_deref().map(crate::crypto::hash_secret),
        metadata: meta,
        created_at: now,
        updated_at: now,
    };
    Ok((record, secret))
}

/// Replaces the metadata of `existing`; a new secret only when given or newly needed.
pub fn update(
    existing: &crate::store::ClientRecord,
    mut meta: ClientMetadata,
    now: i64,
) -> Result<(crate::store::ClientRecord, Option<String>), ClientError> {
    meta.validate()?;
    if let Some(id) = meta.client_id.take()
        && id != existing.client_id
    {
        return Err(ClientError::InvalidMetadata(
            "client_id cannot be changed".into(),
        ));
    }
    let secret = match (
        meta.client_secret.take(),
        meta.token_endpoint_auth_method.uses_secret(),
        existing.secret_hash.is_some(),
    ) {
        (Some(s), _, _) => Some(s),
        (None, true, false) => Some(crate::crypto::random_token()),
        _ => None,
    };
    Ok((
        crate::store::ClientRecord {
            client_id: existing.client_id.clone(),
            secret_hash: secret.as_deref().map(crate::crypto::hash_secret),
            metadata: meta,
            created_at: existing.created_at,
            updated_at: now,
        },
        secret,
    ))
}

/// The JSON shown for a client: its metadata with `client_id`, and the secret when just made.
pub fn to_json(record: &crate::store::ClientRecord, secret: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::to_value(&record.metadata).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("client_id".into(), record.client_id.clone().into());
        obj.insert("client_id_issued_at".into(), record.created_at.into());
        if let Some(s) = secret {
            obj.insert("client_secret".into(), s.into());
            obj.insert("client_secret_expires_at".into(), 0.into());
        }
    }
    v
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
