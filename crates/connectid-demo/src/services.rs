//! The three demo services, one per way of signing in (phone; password at LoA2; password and email without SSO).

use serde_json::{Value, json};

#[derive(Debug)]
pub struct ServiceSpec {
    /// Also the `client_id` and the path under `/demo/`.
    pub slug: &'static str,
    pub name: &'static str,
    pub tagline: &'static str,
    /// The level of assurance the service asks for by default.
    pub acr: &'static str,
    pub sso: bool,
    pub require_email: bool,
    /// Header colour, also sent as `branding.header_color`.
    pub color: &'static str,
}

pub static SERVICES: &[ServiceSpec] = &[
    ServiceSpec {
        slug: "hipstagram",
        name: "Hipstagram",
        tagline: "Photos of coffee. Signs you in with your phone (LoA1) and shares the session.",
        acr: "1",
        sso: true,
        require_email: false,
        color: "#c13584",
    },
    ServiceSpec {
        slug: "allthenews",
        name: "All the news",
        tagline: "A paywalled newspaper. Asks for your password (LoA2), shares the session.",
        acr: "2",
        sso: true,
        require_email: false,
        color: "#1d4ed8",
    },
    ServiceSpec {
        slug: "strusic",
        name: "Strusic",
        tagline: "Music streaming. Needs a password (LoA2) and an email; never uses SSO.",
        acr: "2",
        sso: false,
        require_email: true,
        color: "#15803d",
    },
];

impl ServiceSpec {
    pub fn find(slug: &str) -> Option<&'static ServiceSpec> {
        SERVICES.iter().find(|s| s.slug == slug)
    }

    pub fn redirect_uri(&self, issuer: &str) -> String {
        format!(
            "{}/demo/{}/callback",
            issuer.trim_end_matches('/'),
            self.slug
        )
    }

    pub fn home(&self, issuer: &str) -> String {
        format!("{}/demo/{}/", issuer.trim_end_matches('/'), self.slug)
    }

    /// The client registration (the JSON of `connectid clients create`) for this service, with the secret it will use.
    pub fn metadata(&self, issuer: &str, secret: &str) -> Value {
        json!({
            "client_id": self.slug,
            "client_secret": secret,
            "client_name": self.name,
            "redirect_uris": [self.redirect_uri(issuer)],
            "post_logout_redirect_uris": [self.home(issuer)],
            "application_type": "web",
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"],
            "default_acr_values": [self.acr],
            "minimum_acr": self.acr,
            "sso": self.sso,
            "require_email": self.require_email,
            "consent": "implicit",
            "stay_signed_in": {"visible": true, "default": true},
            "branding": {"header_color": self.color},
        })
    }
}
