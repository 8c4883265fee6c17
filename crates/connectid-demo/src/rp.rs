//! A minimal but honest OpenID Connect relying party: discovery, PKCE, the token request
//! with HTTP Basic client authentication, ID token validation against the JWKS, UserInfo.

use std::sync::Mutex;
use std::time::Duration;

use connectid_core::crypto::{constant_time_eq, pkce_s256, random_token};
use connectid_core::keys::{alg_of, parse_jws, verify_with_jwk};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum RpError {
    #[error("the provider could not be reached: {0}")]
    Http(String),
    #[error("the provider answered {status}: {body}")]
    Provider { status: u16, body: String },
    #[error("the ID token is not valid: {0}")]
    IdToken(&'static str),
}

impl From<reqwest::Error> for RpError {
    fn from(e: reqwest::Error) -> Self {
        // Without the URL: it may carry a code.
        Self::Http(e.without_url().to_string())
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub jwks_uri: String,
    pub end_session_endpoint: String,
}

#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub id_token: String,
}

/// What a successful sign-in tells the service.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub sub: String,
    pub acr: String,
    pub amr: Vec<String>,
    pub auth_time: i64,
    pub td_sls: bool,
    pub id_token: String,
    pub access_token: String,
}

/// One authorization request in flight (kept by the service until the callback).
#[derive(Debug, Clone)]
pub struct Started {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub url: String,
}

pub struct Rp {
    issuer: String,
    http: reqwest::Client,
    discovery: Mutex<Option<Discovery>>,
    jwks: Mutex<Option<Value>>,
}

impl Rp {
    pub fn new(issuer: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            issuer: issuer.trim_end_matches('/').to_string(),
            http,
            discovery: Mutex::new(None),
            jwks: Mutex::new(None),
        }
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub async fn discovery(&self) -> Result<Discovery, RpError> {
        if let Some(d) = self.discovery.lock().ok().and_then(|d| d.clone()) {
            return Ok(d);
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let d: Discovery = check(self.http.get(url).send().await?)
            .await?
            .json()
            .await?;
        if d.issuer != self.issuer {
            return Err(RpError::Http("discovery names another issuer".into()));
        }
        if let Ok(mut slot) = self.discovery.lock() {
            *slot = Some(d.clone());
        }
        Ok(d)
    }

    /// The authorization request: code flow, PKCE S256, a fresh state and nonce.
    pub async fn start(
        &self,
        client_id: &str,
        redirect_uri: &str,
        extra: &[(&str, &str)],
    ) -> Result<Started, RpError> {
        let d = self.discovery().await?;
        let state = random_token();
        let nonce = random_token();
        let verifier = random_token();
        let challenge = pkce_s256(&verifier);
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid phone email")
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        for (k, v) in extra {
            q.append_pair(k, v);
        }
        Ok(Started {
            url: format!("{}?{}", d.authorization_endpoint, q.finish()),
            state,
            nonce,
            verifier,
        })
    }

    /// Exchanges the code and validates the ID token it brings.
    pub async fn finish(
        &self,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
        code: &str,
        started: &Started,
        now: i64,
    ) -> Result<SignedIn, RpError> {
        let d = self.discovery().await?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", started.verifier.as_str()),
        ];
        let resp = self
            .http
            .post(&d.token_endpoint)
            .basic_auth(client_id, Some(client_secret))
            .form(&form)
            .send()
            .await?;
        let tokens: TokenResponse = check(resp).await?.json().await?;
        let claims = self.validate_id_token(&tokens.id_token, client_id).await?;
        let nonce = claims.get("nonce").and_then(Value::as_str).unwrap_or("");
        if !constant_time_eq(nonce.as_bytes(), started.nonce.as_bytes()) {
            return Err(RpError::IdToken("nonce does not match"));
        }
        let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
        if exp <= now {
            return Err(RpError::IdToken("expired"));
        }
        let str_claim = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_string);
        Ok(SignedIn {
            sub: str_claim("sub").ok_or(RpError::IdToken("no sub"))?,
            acr: str_claim("acr").unwrap_or_default(),
            amr: claims
                .get("amr")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            auth_time: claims.get("auth_time").and_then(Value::as_i64).unwrap_or(0),
            td_sls: claims.get("td_sls").and_then(Value::as_bool) == Some(true),
            id_token: tokens.id_token,
            access_token: tokens.access_token,
        })
    }

    /// Signature (RS256/ES256/EdDSA from the JWKS, refetched once for an unknown `kid`),
    /// issuer and audience.
    async fn validate_id_token(&self, token: &str, client_id: &str) -> Result<Value, RpError> {
        let jws = parse_jws(token).ok_or(RpError::IdToken("not a JWS"))?;
        let alg = alg_of(&jws.header).ok_or(RpError::IdToken("unsupported alg"))?;
        let kid = jws
            .header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(RpError::IdToken("no kid"))?
            .to_string();
        let mut jwk = self.jwk(&kid, false).await?;
        if jwk.is_none() {
            jwk = self.jwk(&kid, true).await?;
        }
        let jwk = jwk.ok_or(RpError::IdToken("unknown kid"))?;
        if !verify_with_jwk(&jwk, alg, jws.signing_input.as_bytes(), &jws.signature) {
            return Err(RpError::IdToken("bad signature"));
        }
        let c = jws.claims;
        if c.get("iss").and_then(Value::as_str) != Some(self.issuer.as_str()) {
            return Err(RpError::IdToken("wrong issuer"));
        }
        let aud_ok = match c.get("aud") {
            Some(Value::String(a)) => a == client_id,
            Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(client_id)),
            _ => false,
        };
        if !aud_ok {
            return Err(RpError::IdToken("wrong audience"));
        }
        Ok(c)
    }

    async fn jwk(&self, kid: &str, refresh: bool) -> Result<Option<Value>, RpError> {
        let cached = if refresh {
            None
        } else {
            self.jwks.lock().ok().and_then(|j| j.clone())
        };
        let jwks = match cached {
            Some(j) => j,
            None => {
                let d = self.discovery().await?;
                let j: Value = check(self.http.get(&d.jwks_uri).send().await?)
                    .await?
                    .json()
                    .await?;
                if let Ok(mut slot) = self.jwks.lock() {
                    *slot = Some(j.clone());
                }
                j
            }
        };
        Ok(jwks
            .get("keys")
            .and_then(Value::as_array)
            .and_then(|keys| {
                keys.iter()
                    .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            })
            .cloned())
    }

    pub async fn userinfo(&self, access_token: &str) -> Result<Value, RpError> {
        let d = self.discovery().await?;
        let resp = self
            .http
            .get(&d.userinfo_endpoint)
            .bearer_auth(access_token)
            .send()
            .await?;
        Ok(check(resp).await?.json().await?)
    }

    /// Where to send the browser to sign out of connectid too (RP-initiated logout).
    pub async fn logout_url(
        &self,
        id_token: &str,
        post_logout_redirect_uri: &str,
    ) -> Result<String, RpError> {
        let d = self.discovery().await?;
        let q = form_urlencoded::Serializer::new(String::new())
            .append_pair("id_token_hint", id_token)
            .append_pair("post_logout_redirect_uri", post_logout_redirect_uri)
            .finish();
        Ok(format!("{}?{q}", d.end_session_endpoint))
    }
}

async fn check(resp: reqwest::Response) -> Result<reqwest::Response, RpError> {
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    let body: String = resp
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    Err(RpError::Provider { status, body })
}
