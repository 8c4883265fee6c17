//! The shared state every handler gets: store, clock, keys, settings. Built once at start.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use connectid_core::clock::Clock;
use connectid_core::identifier::PhoneRegion;
use connectid_core::keys::{KeyCipher, KeySet};
use connectid_core::password::{PasswordHasher, Policy};
use connectid_core::ratelimit::RateLimits;
use connectid_core::sms_policy::SmsPolicy;
use connectid_core::store::Store;

use crate::net::Cidr;

/// The part of the configuration the web layer needs.
#[derive(Clone, Debug)]
pub struct WebSettings {
    pub issuer: String,
    pub admin_token: Option<String>,
    pub default_phone_region: PhoneRegion,
    /// The operator's proxies (`[mobile_network] trusted_proxies`): only their requests may
    /// assert a phone number.
    pub trusted_proxies: Vec<Cidr>,
    /// Reverse proxies (`[http] forwarded_proxies`) whose `X-Forwarded-For` is believed.
    pub forwarded_proxies: Vec<Cidr>,
    pub msisdn_header: String,
    pub password_policy: Policy,
    /// Bearer token `/metrics` asks for; `None` leaves it open (block it at the proxy).
    pub metrics_token: Option<String>,
    /// `[previewer] enabled`: the flow previewer at `/flow-previewer` (off: 404).
    pub previewer_enabled: bool,
    /// Parent domain of the SSO cookie (`[session] cookie_domain`); `None`: this host only.
    pub cookie_domain: Option<String>,
    /// Where SMS may go (`[sms] allowed_countries`, `refused_number_types`).
    pub sms_policy: SmsPolicy,
    /// What the SMS pumping rules do (`[fraud]`).
    pub fraud: connectid_core::fraud::FraudSettings,
    /// Deployment-wide subscribers to account events (`[[webhooks]]`).
    pub webhooks: Vec<connectid_core::events::Subscription>,
    /// Every client must push its authorization requests (`[oauth]`, RFC 9126).
    pub require_pushed_authorization_requests: bool,
    /// DPoP proofs must carry a server nonce (`[oauth] use_dpop_nonce`, RFC 9449 §8).
    pub use_dpop_nonce: bool,
    /// The operator's network proves numbers where it can (`[camara]`): no SMS then.
    pub camara: Option<crate::signin::CamaraSettings>,
}

impl WebSettings {
    /// Cookies are `Secure` unless the issuer is plain http on a loopback host (`localhost`,
    /// a name under it (RFC 6761), 127.0.0.1 or [::1]).
    pub fn secure_cookies(&self) -> bool {
        if !self.issuer.starts_with("http://") {
            return true;
        }
        let host = self.issuer_host().to_ascii_lowercase();
        !(host == "localhost"
            || host.ends_with(".localhost")
            || host == "127.0.0.1"
            || host == "[::1]")
    }
    /// Whether `url` is a page of a site that shares the SSO cookie: an http(s) URL whose host
    /// is the cookie domain or under it. Without a cookie domain, no site is.
    pub fn shares_cookie(&self, url: &str) -> bool {
        let Some(domain) = &self.cookie_domain else {
            return false;
        };
        let Some(rest) = url.strip_prefix("https://").or_else(|| {
            url.strip_prefix("http://")
                .filter(|_| !self.secure_cookies())
        }) else {
            return false;
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains(['@', '\\']) || url.contains(['\r', '\n', ' ']) {
            return false;
        }
        let host = authority
            .rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(authority, |(h, _)| h)
            .to_ascii_lowercase();
        host == *domain || host.ends_with(&format!(".{domain}"))
    }

    pub fn issuer_host(&self) -> &str {
        let rest = self.issuer.split("://").nth(1).unwrap_or(&self.issuer);
        let host = rest.split('/').next().unwrap_or(rest);
        host.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(h, _)| h)
    }
}

/// Cheap to clone (one `Arc`): axum clones the state for every request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<WebSettings>,
    pub keys: Arc<RwLock<Arc<KeySet>>>,
    pub cipher: KeyCipher,
    pub hasher: PasswordHasher,
    /// SMS and email, through the durable outbox.
    pub delivery: Arc<crate::delivery::Delivery>,
    /// Rate limits shared by every node (database or Redis).
    pub limits: Arc<RateLimits>,
    /// The discovery document, serialised once (a `Bytes` clone is a reference count).
    pub discovery: axum::body::Bytes,
    pub pages: Arc<crate::pages::Pages>,
    /// Calls out to clients (back-channel logout, `jwks_uri`); `None` if no client could be
    /// built, and then those calls fail and are logged.
    pub http: Option<reqwest::Client>,
    /// Clients' key sets fetched from their `jwks_uri`.
    pub client_jwks: Arc<crate::token::client_jwks::ClientJwks>,
    /// The mobile operator's endpoints (`[camara]`), from its discovery.
    pub operator: crate::signin::OperatorDiscovery,
    /// This node's Prometheus counters.
    pub metrics: crate::metrics::Metrics,
    /// Back-channel logout deliveries under way.
    pub deliveries: Arc<crate::logout::backchannel::InFlight>,
    /// Where request spans go (`[telemetry] otlp_endpoint`); the delivery's own.
    pub tracer: crate::trace::Tracer,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        settings: WebSettings,
        keys: KeySet,
        cipher: KeyCipher,
        hasher: PasswordHasher,
        delivery: Arc<crate::delivery::Delivery>,
    ) -> Self {
        let discovery = crate::discovery::document(
            &settings.issuer,
            settings.require_pushed_authorization_requests,
        );
        let clock_for_limits = clock.clone();
        let metrics = crate::metrics::Metrics::new(clock.now());
        let tracer = delivery.tracer().clone();
        Self(Arc::new(Shared {
            tracer,
            store,
            clock,
            settings: Arc::new(settings),
            keys: Arc::new(RwLock::new(Arc::new(keys))),
            cipher,
            hasher,
            delivery,
            discovery: axum::body::Bytes::from(discovery),
            pages: Arc::new(crate::pages::Pages::new()),
            http: outbound_client(),
            client_jwks: Arc::new(crate::token::client_jwks::ClientJwks::default()),
            operator: Default::default(),
            metrics,
            deliveries: Arc::default(),
            // One node's memory until `with_limits` gives the shared store (the binary does).
            limits: Arc::new(RateLimits::new(
                Arc::new(connectid_core::ratelimit::MemoryRateLimiter::default()),
                connectid_core::ratelimit::RateLimitSettings::default(),
                clock_for_limits,
            )),
        }))
    }

    /// Rate limits kept where every node sees them (the database or Redis).
    #[must_use]
    pub fn with_limits(mut self, limits: RateLimits) -> Self {
        match Arc::get_mut(&mut self.0) {
            Some(shared) => shared.limits = Arc::new(limits),
            // Only possible once the state is shared, which the binary never does first.
            None => tracing::error!("rate limits set after the state was shared; not applied"),
        }
        self
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn keyset(&self) -> Arc<KeySet> {
        match self.keys.read() {
            Ok(k) => k.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_keyset(&self, ks: KeySet) {
        match self.keys.write() {
            Ok(mut k) => *k = Arc::new(ks),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(ks),
        }
    }
}

/// The HTTP client for calls to clients: short timeouts, no redirects (a client's endpoint
/// answers itself or fails; following a redirect would let it point connectid anywhere).
fn outbound_client() -> Option<reqwest::Client> {
    let builder = || {
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("connectid/", env!("CARGO_PKG_VERSION")))
    };
    match builder().build() {
        Ok(c) => Some(c),
        Err(e) => {
            // Typically no CA certificates on the system: plain http still works.
            tracing::warn!(error = %e, "no TLS roots for calls to clients; https calls will fail");
            builder()
                .tls_certs_only(Vec::new())
                .build()
                .map_err(|e| tracing::error!(error = %e, "no HTTP client for calls to clients"))
                .ok()
        }
    }
}

pub async fn readyz(State(state): State<AppState>) -> StatusCode {
    match state.store.ping().await {
        Ok(()) if !state.keyset().is_empty() => StatusCode::OK,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::WebSettings;

    fn settings(issuer: &str, domain: Option<&str>) -> WebSettings {
        WebSettings {
            issuer: issuer.into(),
            admin_token: None,
            default_phone_region: Default::default(),
            trusted_proxies: Vec::new(),
            forwarded_proxies: Vec::new(),
            previewer_enabled: true,
            msisdn_header: "X-MSISDN".into(),
            password_policy: Default::default(),
            metrics_token: None,
            cookie_domain: domain.map(str::to_string),
            sms_policy: connectid_core::sms_policy::SmsPolicy::home(Default::default()),
            fraud: connectid_core::fraud::FraudSettings::default(),
            webhooks: Vec::new(),
            require_pushed_authorization_requests: false,
            use_dpop_nonce: false,
            camara: None,
        }
    }

    #[test]
    fn only_sites_under_the_cookie_domain_share_it() {
        let s = settings("https://id.example.com", Some("example.com"));
        for ok in [
            "https://example.com/",
            "https://app.example.com/x?y=1",
            "https://a.b.example.com:8443/",
            "https://APP.Example.com/",
        ] {
            assert!(s.shares_cookie(ok), "{ok}");
        }
        for bad in [
            "http://app.example.com/",
            "https://example.com.evil.net/",
            "https://evilexample.com/",
            "https://evil.net/?example.com",
            "https://evil.net#.example.com",
            "https://user@evil.net/",
            "https://app.example.com\\@evil.net/",
            "//app.example.com/",
            "javascript:alert(1)",
            "https://app.example.com/\r\nSet-Cookie: x",
            "",
        ] {
            assert!(!s.shares_cookie(bad), "{bad}");
        }
        let none = settings("https://id.example.com", None);
        assert!(!none.shares_cookie("https://app.example.com/"));
        let local = settings("http://localhost:8080", Some("localhost"));
        assert!(local.shares_cookie("http://localhost:3000/"));
    }
}
