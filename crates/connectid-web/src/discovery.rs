//! Discovery and JWKS: answered from bytes made once, the hottest and cheapest paths.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, header};
use serde_json::json;

use crate::state::AppState;

pub fn document(issuer: &str, require_pushed_authorization_requests: bool) -> Vec<u8> {
    let e = |path: &str| format!("{issuer}{path}");
    json!({
        "issuer": issuer,
        "authorization_endpoint": e("/authorize"),
        "token_endpoint": e("/token"),
        "userinfo_endpoint": e("/userinfo"),
        "jwks_uri": e("/jwks"),
        "revocation_endpoint": e("/revoke"),
        "introspection_endpoint": e("/introspect"),
        "end_session_endpoint": e("/logout"),
        "pushed_authorization_request_endpoint": e("/par"),
        "require_pushed_authorization_requests": require_pushed_authorization_requests,
        "scopes_supported": connectid_core::oidc::SUPPORTED_SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials",
            "urn:ietf:params:oauth:grant-type:token-exchange"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
        "userinfo_signing_alg_values_supported": [],
        "token_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
        "revocation_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        "introspection_endpoint_auth_methods_supported":
            ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": connectid_core::oidc::SUPPORTED_CLAIMS,
        "claims_parameter_supported": true,
        "request_parameter_supported": true,
        "request_object_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
        "request_uri_parameter_supported": false,
        "acr_values_supported": ["1", "2"],
        "prompt_values_supported": ["none", "login", "consent"],
        "ui_locales_supported": crate::i18n::LOCALES.iter().map(|l| l.code).collect::<Vec<_>>(),
        "claim_types_supported": ["normal"],
        "authorization_response_iss_parameter_supported": true,
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "native_sso_supported": true,
        "dpop_signing_alg_values_supported": crate::dpop::ALGS,
    })
    .to_string()
    .into_bytes()
}

fn json_bytes(bytes: axum::body::Bytes, cache: &'static str) -> Response<Body> {
    let mut r = Response::new(Body::from(bytes));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

pub async fn configuration(State(state): State<AppState>) -> Response<Body> {
    json_bytes(state.discovery.clone(), "public, max-age=300")
}

pub async fn jwks(State(state): State<AppState>) -> Response<Body> {
    // Served straight from the key set (no copy): the bytes live as long as this response.
    json_bytes(
        axum::body::Bytes::from_owner(JwksOf(state.keyset())),
        "public, max-age=60",
    )
}

/// The JWKS bytes of a key set, owned by the response that sends them.
struct JwksOf(std::sync::Arc<connectid_core::keys::KeySet>);

impl AsRef<[u8]> for JwksOf {
    fn as_ref(&self) -> &[u8] {
        self.0.jwks_json()
    }
}
