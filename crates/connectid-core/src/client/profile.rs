//! Security profiles a client may choose (`"profile": "fapi2"`): one switch that turns on
//! what the FAPI 2.0 Security Profile requires and refuses what it forbids, so that a bank's
//! service cannot be registered, or sign in, a weaker way by mistake.

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// FAPI 2.0 Security Profile (final): PAR, PKCE S256, `private_key_jwt`, DPoP-bound
    /// tokens, no RS256, no refresh token rotation. docs/conformance.md maps each rule.
    Fapi2,
}

impl ClientMetadata {
    pub fn is_fapi2(&self) -> bool {
        self.profile == Some(Profile::Fapi2)
    }

    /// Authorization requests must come through `/par` (RFC 9126).
    pub fn must_push(&self) -> bool {
        self.require_pushed_authorization_requests || self.is_fapi2()
    }

    /// Token requests must carry a DPoP proof, and tokens are bound to its key (RFC 9449).
    pub fn requires_dpop(&self) -> bool {
        self.dpop_bound_access_tokens || self.is_fapi2()
    }

    /// PKCE with S256 on every authorization request: public clients, and the profile.
    pub fn requires_pkce(&self) -> bool {
        self.is_public() || self.is_fapi2()
    }

    /// Whether a JWS this client signed (client assertion, request object, DPoP proof) may
    /// use `alg`: FAPI 2.0 §5.4 allows PS256, ES256 and EdDSA, so not RS256.
    pub fn accepts_alg(&self, alg: SigningAlg) -> bool {
        !(self.is_fapi2() && alg == SigningAlg::RS256)
    }

    /// What signs this client's access tokens: RS256, which resource servers expect, except
    /// under the profile, which forbids it and gets the ID token's algorithm.
    pub fn access_token_alg(&self) -> SigningAlg {
        if self.is_fapi2() {
            self.id_token_signed_response_alg
        } else {
            SigningAlg::RS256
        }
    }

    /// Refresh tokens are rotated at each use (reuse revokes the family), except under the
    /// profile: FAPI 2.0 §5.3.2.1 forbids rotation, its clients' refresh tokens being bound
    /// to the client's own authentication.
    pub fn rotates_refresh_tokens(&self) -> bool {
        !self.is_fapi2()
    }

    /// The registration rules of the profile (part of [`ClientMetadata::validate`]).
    pub(super) fn validate_profile(&self) -> Result<(), ClientError> {
        if !self.is_fapi2() {
            return Ok(());
        }
        let bad = |m: &str| Err(ClientError::InvalidMetadata(format!("profile fapi2: {m}")));
        if self.token_endpoint_auth_method != TokenEndpointAuthMethod::PrivateKeyJwt {
            return bad("token_endpoint_auth_method must be private_key_jwt (mTLS is not offered)");
        }
        if self.id_token_signed_response_alg == SigningAlg::RS256 {
            return bad(
                "id_token_signed_response_alg must be ES256 or EdDSA (RS256 is not allowed)",
            );
        }
        if self
            .grant_types
            .iter()
            .any(|g| !matches!(g, GrantType::AuthorizationCode | GrantType::RefreshToken))
        {
            return bad("grant_types may only be authorization_code and refresh_token");
        }
        if let Some(uri) = self
            .redirect_uris
            .iter()
            .find(|u| !u.starts_with("https://"))
        {
            return Err(ClientError::InvalidRedirectUri(format!(
                "profile fapi2: {uri}: redirect URIs must be https"
            )));
        }
        if self.app2app || self.app2app_approver {
            return bad("App2App approval skips the pushed request; it is not allowed");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(extra: &str) -> Result<ClientMetadata, ClientError> {
        let m = ClientMetadata::from_json(&format!(
            r#"{{"redirect_uris":["https://a.example/cb"],"profile":"fapi2",
                "jwks":{{"keys":[]}}{extra}}}"#
        ))?;
        m.validate()?;
        Ok(m)
    }

    const GOOD: &str =
        r#","token_endpoint_auth_method":"private_key_jwt","id_token_signed_response_alg":"ES256""#;

    #[test]
    fn the_profile_turns_on_par_dpop_and_pkce() {
        let m = meta(GOOD).unwrap();
        assert!(m.must_push() && m.requires_dpop() && m.requires_pkce());
        assert!(!m.accepts_alg(SigningAlg::RS256) && m.accepts_alg(SigningAlg::EdDSA));
        assert_eq!(m.access_token_alg(), SigningAlg::ES256);
        assert!(!m.rotates_refresh_tokens());
    }

    #[test]
    fn what_the_profile_forbids_is_refused_at_registration() {
        for (extra, why) in [
            ("", "private_key_jwt"),
            (
                r#","token_endpoint_auth_method":"private_key_jwt""#,
                "ES256 or EdDSA",
            ),
            (
                &format!(r#"{GOOD},"grant_types":["client_credentials"]"#),
                "grant_types",
            ),
        ] {
            let e = meta(extra).unwrap_err();
            assert!(e.description().contains(why), "{extra}: {e}");
        }
        let fapi1 =
            ClientMetadata::from_json(r#"{"redirect_uris":["https://a/cb"],"profile":"fapi1"}"#);
        assert!(fapi1.unwrap_err().description().contains("unknown variant"));
        let http = ClientMetadata::from_json(&format!(
            r#"{{"redirect_uris":["http://localhost/cb"],"profile":"fapi2","jwks":{{"keys":[]}}{GOOD}}}"#
        ))
        .unwrap();
        assert_eq!(http.validate().unwrap_err().code(), "invalid_redirect_uri");
    }

    #[test]
    fn ordinary_clients_are_unaffected() {
        let m = ClientMetadata::from_json(r#"{"redirect_uris":["https://a.example/cb"]}"#).unwrap();
        assert!(!m.must_push() && !m.requires_dpop() && !m.requires_pkce());
        assert!(m.accepts_alg(SigningAlg::RS256));
        assert!(m.rotates_refresh_tokens());
        assert_eq!(m.access_token_alg(), SigningAlg::RS256);
    }
}
