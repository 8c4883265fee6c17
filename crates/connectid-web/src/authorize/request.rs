//! The authorization request: its parameters checked and read into an [`AuthRequest`].

use super::*;

/// A validated authorization request, kept with the pending sign-in until it is answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_mode: ResponseMode,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub prompt: Prompt,
    pub max_age: Option<i64>,
    pub acr: Acr,
    pub claims: Option<ClaimsRequest>,
    pub login_hint: Option<String>,
    /// The service forces the identifier in `login_hint`: no other may sign in.
    #[serde(default)]
    pub login_hint_locked: bool,
    #[serde(default)]
    pub ui_locales: Option<String>,
    pub mobile_network_off: bool,
    /// An app on Wi-Fi identified the number over its cellular interface with this ticket
    /// (`/mobile-network/identify`); used once, here.
    #[serde(default, skip_serializing)]
    pub mobile_network_ticket: Option<String>,
    /// The DPoP key the code is bound to (RFC 9449 §10): the `dpop_jkt` parameter, or the key
    /// of the proof the request was pushed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpop_jkt: Option<String>,
}

pub(crate) fn valid_pkce_value(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
}

pub(crate) type ReqError = (&'static str, String);

pub(crate) fn parse_request(
    client: &ClientRecord,
    p: &Params,
    redirect_uri: &str,
    mode: ResponseMode,
    region: PhoneRegion,
) -> Result<AuthRequest, ReqError> {
    let meta: &ClientMetadata = &client.metadata;
    let invalid = |d: &str| ("invalid_request", d.to_string());
    if p.has("request") {
        return Err((
            "request_not_supported",
            "request objects are not supported".into(),
        ));
    }
    if p.has("request_uri") {
        return Err((
            "request_uri_not_supported",
            "request_uri is not supported".into(),
        ));
    }
    match p.get("response_type") {
        None => return Err(invalid("response_type is missing")),
        Some("code") => {}
        Some(_) => {
            return Err((
                "unsupported_response_type",
                "only response_type=code is supported".into(),
            ));
        }
    }
    if !meta.grant_types.contains(&GrantType::AuthorizationCode) {
        return Err((
            "unauthorized_client",
            "this client may not use the authorization code flow".into(),
        ));
    }
    let mut scope = connectid_core::oidc::Scope::parse_supported(p.get("scope").unwrap_or(""));
    if meta.publisher.is_none() {
        // Native SSO shares a sign-in among one publisher's apps; without one it means nothing.
        scope = scope.without("device_sso");
    }
    if !scope.contains("openid") {
        return Err(("invalid_scope", "the scope must include openid".into()));
    }
    let code_challenge = match (p.get("code_challenge"), p.get("code_challenge_method")) {
        (Some(c), Some("S256")) if valid_pkce_value(c) => Some(c.to_string()),
        (Some(_), Some("S256")) => return Err(invalid("code_challenge is malformed")),
        (Some(_), Some(_)) | (None, Some(_)) => {
            return Err(invalid(
                "code_challenge_method must be S256 (plain is not allowed)",
            ));
        }
        (Some(_), None) => {
            return Err(invalid(
                "code_challenge_method must be S256 (plain is not allowed)",
            ));
        }
        (None, None) => None,
    };
    if code_challenge.is_none() && meta.requires_pkce() {
        return Err(invalid("PKCE (code_challenge with S256) is required"));
    }
    let prompt: Prompt = p
        .get("prompt")
        .map(str::parse)
        .transpose()
        .map_err(|e: String| invalid(&e))?
        .unwrap_or_default();
    let max_age = match p.get("max_age") {
        Some(v) => Some(
            v.parse::<i64>()
                .ok()
                .filter(|v| *v >= 0)
                .ok_or_else(|| invalid("max_age must be a non-negative integer"))?,
        ),
        None => meta.default_max_age,
    };
    let claims = p
        .get("claims")
        .map(ClaimsRequest::parse)
        .transpose()
        .map_err(|e| invalid(&e))?;
    let acr = claims
        .as_ref()
        .and_then(|c| c.essential_acr)
        .or_else(|| p.get("acr_values").and_then(lowest_supported_acr))
        .or_else(|| meta.default_acr_values.iter().min().copied())
        .unwrap_or(Acr::Phone)
        .max(meta.minimum_acr.unwrap_or(Acr::Phone));
    let nonce = p.get("nonce").map(str::to_string);
    if nonce.as_ref().is_some_and(|n| n.len() > 512) {
        return Err(invalid("nonce is too long"));
    }
    // The nonce is stored with the code and copied into the ID token; a control character
    // is no part of any real nonce (and a NUL is an error on PostgreSQL, not a value).
    if nonce.as_ref().is_some_and(|n| n.contains(char::is_control)) {
        return Err(invalid("nonce contains control characters"));
    }
    let state_param = p.get("state").map(str::to_string);
    if state_param.as_ref().is_some_and(|s| s.len() > 2048) {
        return Err(invalid("state is too long"));
    }
    let login_hint: Option<String> = p.get("login_hint").map(|h| h.chars().take(254).collect());
    let login_hint_locked = match p.get("login_hint_locked") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(invalid("login_hint_locked must be true or false")),
    };
    if login_hint_locked {
        let hint = login_hint
            .as_deref()
            .ok_or_else(|| invalid("login_hint_locked needs a login_hint"))?;
        if Identifier::parse(hint, region).is_err() {
            return Err(invalid(
                "login_hint_locked needs a login_hint that is a phone number or an email",
            ));
        }
    }
    // A SHA-256 thumbprint: 43 characters of base64url.
    let dpop_jkt = p.get("dpop_jkt").map(str::to_string);
    if dpop_jkt.as_ref().is_some_and(|j| {
        j.len() != 43
            || !j
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        return Err(invalid(
            "dpop_jkt must be a JWK SHA-256 thumbprint (base64url)",
        ));
    }
    let ui_locales = p
        .get("ui_locales")
        .map(|u| u.chars().take(256).collect::<String>());
    Ok(AuthRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        response_mode: mode,
        scope: scope.to_string(),
        state: state_param,
        nonce,
        code_challenge,
        prompt,
        max_age,
        acr,
        claims,
        login_hint,
        login_hint_locked,
        ui_locales,
        mobile_network_off: p.get("mobile_network") == Some("off"),
        mobile_network_ticket: match p.get("mobile_network_ticket") {
            None => None,
            Some(t) if crate::mobile_network::valid_ticket(t) => Some(t.to_string()),
            Some(_) => return Err(invalid("mobile_network_ticket is malformed")),
        },
        dpop_jkt,
    })
}
