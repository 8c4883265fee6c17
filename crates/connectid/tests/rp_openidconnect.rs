//! A relying party written with the `openidconnect` crate (4.x), given nothing but the issuer
//! URL, a client id and a secret: discovery, the code flow with PKCE and nonce through the
//! real sign-in pages, ID token verification by the crate, UserInfo, refresh, introspection,
//! revocation and RP-initiated logout (from the discovered `end_session_endpoint`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreIdTokenClaims, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyAdditionalClaims,
    HttpRequest, HttpResponse, IntrospectionUrl, IssuerUrl, LogoutRequest, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, TokenIntrospectionResponse, TokenResponse,
};
use serde_json::Value;
use support::{Browser, Db, REDIRECT, Server, backends, query, walk};

/// The crate's HTTP client, made of reqwest: no redirects (OAuth 2.0 endpoints answer
/// directly).
async fn http(request: HttpRequest) -> Result<HttpResponse, std::io::Error> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(std::io::Error::other)?;
    let request = reqwest::Request::try_from(request).map_err(std::io::Error::other)?;
    let response = client
        .execute(request)
        .await
        .map_err(std::io::Error::other)?;
    let mut out = openidconnect::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        out = out.header(name, value);
    }
    let body = response.bytes().await.map_err(std::io::Error::other)?;
    out.body(body.to_vec()).map_err(std::io::Error::other)
}

#[tokio::test]
async fn an_openidconnect_rp_needs_only_the_issuer_a_client_id_and_a_secret() {
    for db in backends() {
        an_openidconnect_rp_needs_only_the_issuer_a_client_id_and_a_secret_on(db).await;
    }
}

async fn an_openidconnect_rp_needs_only_the_issuer_a_client_id_and_a_secret_on(db: Db) {
    let s = Server::start_on(db).await;
    let registered = s.client("");
    let email = format!("rp{}@example.com", connectid_core::crypto::random_id());
    let sub = s.account(&email);

    // Discovery, with the RP-Initiated Logout metadata.
    let metadata =
        ProviderMetadataWithLogout::discover_async(IssuerUrl::new(s.base.clone()).unwrap(), &http)
            .await
            .expect("discovery document and JWKS accepted by the crate");
    let end_session = metadata
        .additional_metadata()
        .end_session_endpoint
        .clone()
        .expect("end_session_endpoint");
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(registered["client_id"].as_str().unwrap().into()),
        Some(ClientSecret::new(
            registered["client_secret"].as_str().unwrap().into(),
        )),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap())
    .set_introspection_url(IntrospectionUrl::new(format!("{}/introspect", s.base)).unwrap());

    // The code flow with PKCE and a nonce, through the real pages.
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let mut browser = Browser::new();
    let (landed, steps) = walk(&s, &mut browser, url.as_str(), &email).await;
    assert_eq!(steps, ["identifier", "password"]);
    let q = query(&landed);
    assert_eq!(&q["state"], csrf.secret());
    assert_eq!(q["iss"], s.base, "RFC 9207");

    let tokens = client
        .exchange_code(AuthorizationCode::new(q["code"].clone()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchanged");
    let id_token = tokens.id_token().expect("an ID token");
    let verifier = client.id_token_verifier();
    let claims: &CoreIdTokenClaims = id_token
        .claims(&verifier, &nonce)
        .expect("the crate verifies signature, iss, aud, exp and nonce");
    assert_eq!(claims.subject().as_str(), sub);
    assert_eq!(
        claims.auth_context_ref().map(|a| a.as_str()),
        Some("2"),
        "password sign-in is LoA 2"
    );
    let at_hash = AccessTokenHash::from_token(
        tokens.access_token(),
        id_token.signing_alg().unwrap(),
        id_token.signing_key(&verifier).unwrap(),
    )
    .unwrap();
    assert_eq!(claims.access_token_hash(), Some(&at_hash));

    // UserInfo.
    let info: CoreUserInfoClaims = client
        .user_info(
            tokens.access_token().clone(),
            Some(claims.subject().clone()),
        )
        .unwrap()
        .request_async(&http)
        .await
        .expect("UserInfo answered for the ID token's subject");
    assert_eq!(info.email().map(|e| e.as_str()), Some(email.as_str()));

    // Refresh: a rotated refresh token and a new ID token for the same person.
    let refresh_token = tokens.refresh_token().expect("a refresh token").clone();
    let refreshed = client
        .exchange_refresh_token(&refresh_token)
        .unwrap()
        .request_async(&http)
        .await
        .expect("refreshed");
    let new_refresh = refreshed.refresh_token().expect("rotated").clone();
    assert_ne!(new_refresh.secret(), refresh_token.secret());
    let again = refreshed.id_token().expect("an ID token on refresh");
    let again: &openidconnect::IdTokenClaims<EmptyAdditionalClaims, CoreGenderClaim> = again
        .claims(&verifier, |n: Option<&Nonce>| {
            if n.is_none() {
                Ok(())
            } else {
                Err("no nonce on refresh".to_string())
            }
        })
        .expect("the refreshed ID token verifies");
    assert_eq!(again.subject(), claims.subject());
    assert_eq!(
        again.auth_time(),
        claims.auth_time(),
        "the original auth_time"
    );

    // Introspection and revocation.
    let access = refreshed.access_token();
    let intro = client
        .introspect(access)
        .request_async(&http)
        .await
        .unwrap();
    assert!(intro.active());
    assert_eq!(intro.sub(), Some(sub.as_str()));
    // The crate refuses a revocation endpoint without https (RFC 7009 §2), and this server
    // is plain http on loopback, so the request is the one the crate would send.
    let r = reqwest::Client::new()
        .post(format!("{}/revoke", s.base))
        .basic_auth(
            client.client_id().as_str(),
            registered["client_secret"].as_str(),
        )
        .form(&[
            ("token", new_refresh.secret().as_str()),
            ("token_type_hint", "refresh_token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let intro = client
        .introspect(access)
        .request_async(&http)
        .await
        .unwrap();
    assert!(!intro.active(), "revoking the refresh token ends its grant");

    // RP-initiated logout with the ID token as hint.
    let logout = LogoutRequest::from(end_session)
        .set_id_token_hint(id_token)
        .set_post_logout_redirect_uri(
            PostLogoutRedirectUrl::new("http://127.0.0.1:9/bye".into()).unwrap(),
        )
        .set_state(CsrfToken::new("bye-state".into()))
        .http_get_url();
    let out = browser.get(logout.as_str()).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        out.location.as_deref(),
        Some("http://127.0.0.1:9/bye?state=bye-state")
    );
    let (url, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_prompt(openidconnect::core::CoreAuthPrompt::None)
        .url();
    let a = browser.get(url.as_str()).await;
    let q = query(a.location.as_deref().unwrap());
    assert_eq!(q["error"], "login_required", "the SSO session is over");
}

/// What the crate's discovery parse keeps: every endpoint the RP needs.
#[tokio::test]
async fn discovery_is_complete_for_the_crate() {
    for db in backends() {
        discovery_is_complete_for_the_crate_on(db).await;
    }
}

async fn discovery_is_complete_for_the_crate_on(db: Db) {
    let s = Server::start_on(db).await;
    let raw: Value = reqwest::get(format!("{}/.well-known/openid-configuration", s.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let m =
        ProviderMetadataWithLogout::discover_async(IssuerUrl::new(s.base.clone()).unwrap(), &http)
            .await
            .unwrap();
    assert_eq!(m.issuer().as_str(), s.base);
    assert!(m.token_endpoint().is_some());
    assert!(m.userinfo_endpoint().is_some());
    assert!(!m.jwks().keys().is_empty());
    assert_eq!(raw["backchannel_logout_supported"], true);
    assert_eq!(raw["backchannel_logout_session_supported"], true);
}
