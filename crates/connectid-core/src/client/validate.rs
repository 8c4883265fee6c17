//! What a registration may say: the metadata checked as a whole, client ids, redirect URIs.

use super::*;

impl ClientMetadata {
    /// Reads metadata JSON, turning serde's complaints into `invalid_client_metadata`.
    pub fn from_json(json: &str) -> Result<Self, ClientError> {
        serde_json::from_str(json).map_err(|e| ClientError::InvalidMetadata(e.to_string()))
    }

    /// Checks every rule of the README and RFC 7591 that JSON types alone do not express.
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
        if self.webhooks.len() > 5 {
            return bad("webhooks may name at most 5 subscriptions");
        }
        for w in &self.webhooks {
            w.validate()
                .map_err(|m| ClientError::InvalidMetadata(format!("webhooks: {m}")))?;
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
        if self.sms_countries.len() > 250
            || self
                .sms_countries
                .iter()
                .any(|c| c.parse::<crate::identifier::PhoneRegion>().is_err())
        {
            return bad("sms_countries must be ISO 3166 region codes such as \"NO\"");
        }
        if self.stay_signed_in.is_some() && self.application_type == ApplicationType::Native {
            return bad("stay_signed_in is for web clients only");
        }
        // A web client that wants SSO above LoA1 must let people choose not to stay
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
        self.validate_profile()
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

pub(super) fn is_http_url(uri: &str) -> bool {
    (uri.starts_with("https://") || uri.starts_with("http://"))
        && uri.len() <= 2000
        && !uri.chars().any(|c| c.is_whitespace() || c.is_control())
        && uri.split("://").nth(1).is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !host.contains('@')
        })
}

pub(super) fn is_hex_color(c: &str) -> bool {
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
            // `*.localhost` is loopback too (RFC 6761 §6.3; browsers resolve it so).
            let loopback = matches!(hostname, "localhost" | "127.0.0.1" | "[::1]")
                || hostname.to_ascii_lowercase().ends_with(".localhost");
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
