//! Settings, layered: defaults < file < `CONNECTID_*` environment < flags. Unknown keys and bad
//! values are refused with one line naming the key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use connectid_core::identifier::PhoneRegion;
use connectid_core::secret::{Secret, SecretUrl};
use connectid_core::sms_policy::{NumberType, SmsPolicy};
use connectid_web::net::Cidr;
use serde::{Deserialize, Serialize};
mod layers;
mod validate;
pub use layers::*;

/// A configuration problem: printed as one line, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn err(key: &str, msg: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("config: `{key}`: {msg}"))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub listen: String,
    pub issuer: String,
    pub database_url: SecretUrl,
    pub redis_url: SecretUrl,
    pub default_phone_region: String,
    pub admin: Admin,
    pub sms: Sms,
    /// The SMS pumping rules' mode (`off`, `observe`, `protect`).
    pub fraud: Fraud,
    pub email: Email,
    pub mobile_network: MobileNetwork,
    pub http: Http,
    pub previewer: Previewer,
    pub keys: Keys,
    /// What a new password must satisfy (`min_score`, zxcvbn's 0–4).
    pub password: connectid_core::password::Policy,
    /// Quotas per identifier and per address; shared by every node (database, or Redis).
    pub rate_limits: connectid_core::ratelimit::RateLimitSettings,
    pub audit: Audit,
    pub metrics: Metrics,
    pub session: Session,
    pub telemetry: Telemetry,
    /// Deployment-wide subscribers to account events (`[[webhooks]]`).
    pub webhooks: Vec<Webhook>,
    pub oauth: OAuth,
    /// What `accounts import` needs to read other systems' hashes (`[import.firebase]`).
    pub import: Import,
    /// The operator's network proves numbers instead of an SMS (CAMARA Number Verification).
    pub camara: Option<Camara>,
    pub clients: Vec<toml::Value>,
}

/// `[camara]`: the operator's OpenID Connect issuer (discovery, authorization code flow), the
/// client connectid is registered as there, the Number Verification API, and the countries
/// of the numbers it covers (ISO 3166, as `[sms] allowed_countries`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Camara {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub api_base: String,
    pub countries: Vec<String>,
}

/// `[[webhooks]]`: a subscriber to account events, signed as Standard Webhooks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Webhook {
    pub url: String,
    /// `whsec_` and base64.
    pub secret: Secret,
    /// Event names; empty: every event.
    pub events: Vec<String>,
}

/// `[oauth]`: protocol rules for every client.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OAuth {
    /// Every authorization request must be pushed first (`/par`, RFC 9126).
    pub require_pushed_authorization_requests: bool,
    /// DPoP proofs must carry a nonce the server handed out (RFC 9449 §8): a proof made
    /// ahead of time, on a device the key was copied from, stops working within minutes.
    pub use_dpop_nonce: bool,
}

/// `[import]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Import {
    pub firebase: Option<Firebase>,
}

/// `[import.firebase]`: the Firebase project's password hash parameters (its console:
/// Authentication → Users → ⋮ → Password hash parameters).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Firebase {
    /// base64 (`base64_signer_key`).
    pub signer_key: Secret,
    /// base64 (`base64_salt_separator`).
    pub salt_separator: String,
    pub rounds: u32,
    pub mem_cost: u32,
}

/// `[telemetry]`: how the logs are written, and where traces go.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Telemetry {
    /// `text` (for people) or `json` (one object a line, for a log pipeline).
    pub log_format: String,
    /// An OpenTelemetry collector's OTLP/HTTP endpoint (`http://otel:4318`): every request
    /// and message delivery is exported as a span there. Empty: no traces.
    pub otlp_endpoint: String,
    /// The `service.name` of the exported spans.
    pub service_name: String,
}

impl Default for Telemetry {
    fn default() -> Self {
        Self {
            log_format: "text".into(),
            otlp_endpoint: String::new(),
            service_name: "connectid".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Audit {
    /// Days an audit event is kept.
    pub retention_days: u32,
}

impl Default for Audit {
    fn default() -> Self {
        Self {
            retention_days: 365,
        }
    }
}

/// The SSO cookie: on this host only, or shared by the sites under a parent domain.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Session {
    pub cookie_domain: String,
}

/// `/metrics`: open by default, like most Prometheus targets; a token closes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Metrics {
    pub token: Secret,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Admin {
    pub token: Secret,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sms {
    pub provider: String,
    pub outbox: String,
    pub webhook_url: String,
    pub webhook_secret: Secret,
    /// `smpp://system_id:password@host:port` of the operator's SMSC (`provider = "smpp"`).
    pub smpp_url: SecretUrl,
    /// The sender the phone shows: a name of up to 11 characters, `+` and a number, or a
    /// short code.
    pub smpp_source: String,
    /// ISO 3166 codes of the phone countries SMS may go to; empty: `default_phone_region`.
    pub allowed_countries: Vec<String>,
    /// Kinds of number that get no SMS (`premium_rate`, `shared_cost`, `uan`, `toll_free`,
    /// `voip`).
    pub refused_number_types: Vec<String>,
    /// SMS per UTC day for the whole deployment (0: no budget).
    pub daily_budget: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Email {
    pub provider: String,
    pub outbox: String,
    pub smtp_url: SecretUrl,
    pub from: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MobileNetwork {
    pub trusted_proxies: Vec<String>,
    pub msisdn_header: String,
}

/// The reverse proxies in front of connectid. Kept apart from `[mobile_network]
/// trusted_proxies`: believing a proxy's `X-Forwarded-For` (per-address rate limits) must not
/// also mean believing a phone number from anything that passes through it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Http {
    pub forwarded_proxies: Vec<String>,
    /// Seconds a client has to send a request's headers (slowloris).
    pub header_read_timeout: u64,
    /// Seconds to answer a request, its body included; past it, 408.
    pub request_timeout: u64,
    /// Connections open at once; the next ones are closed at once.
    pub max_connections: usize,
    /// Seconds a shutdown waits for the requests in flight before closing what is left.
    pub shutdown_grace: u64,
}

impl Default for Http {
    fn default() -> Self {
        Self {
            forwarded_proxies: Vec::new(),
            header_read_timeout: 10,
            request_timeout: 30,
            max_connections: 10_000,
            shutdown_grace: 10,
        }
    }
}

/// The flow previewer: on by default (developers tune their sign-in screens with it); an
/// operator who does not want it public turns it off.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Previewer {
    pub enabled: bool,
}

impl Default for Previewer {
    fn default() -> Self {
        Self { enabled: true }
    }
}

/// `[fraud]`: what the SMS pumping rules do; they start by watching.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fraud {
    pub mode: String,
    /// The proof-of-work challenge before every SMS, not only when a rule trips.
    pub always_challenge: bool,
}

impl Default for Fraud {
    fn default() -> Self {
        Self {
            mode: "observe".into(),
            always_challenge: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Keys {
    pub encryption_key: Secret,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            issuer: "http://localhost:8080".into(),
            database_url: SecretUrl::new("sqlite://connectid.db"),
            redis_url: SecretUrl::default(),
            default_phone_region: "NO".into(),
            admin: Admin::default(),
            sms: Sms::default(),
            fraud: Fraud::default(),
            email: Email::default(),
            mobile_network: MobileNetwork::default(),
            http: Http::default(),
            previewer: Previewer::default(),
            keys: Keys::default(),
            password: connectid_core::password::Policy::default(),
            rate_limits: connectid_core::ratelimit::RateLimitSettings::default(),
            audit: Audit::default(),
            metrics: Metrics::default(),
            session: Session::default(),
            telemetry: Telemetry::default(),
            webhooks: Vec::new(),
            oauth: OAuth::default(),
            import: Import::default(),
            camara: None,
            clients: Vec::new(),
        }
    }
}

impl Default for Sms {
    fn default() -> Self {
        Self {
            provider: "outbox".into(),
            outbox: "outbox.jsonl".into(),
            webhook_url: String::new(),
            webhook_secret: Secret::default(),
            smpp_url: SecretUrl::default(),
            smpp_source: "CONNECTID".into(),
            allowed_countries: Vec::new(),
            daily_budget: 0,
            refused_number_types: NumberType::DEFAULT_REFUSED
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
        }
    }
}

impl Default for Email {
    fn default() -> Self {
        Self {
            provider: "outbox".into(),
            outbox: "outbox.jsonl".into(),
            smtp_url: SecretUrl::default(),
            from: String::new(),
        }
    }
}

impl Default for MobileNetwork {
    fn default() -> Self {
        Self {
            trusted_proxies: Vec::new(),
            msisdn_header: "X-MSISDN".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!(
            "connectid-cfg-{}",
            connectid_core::crypto::random_id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.toml");
        std::fs::write(&path, text).unwrap();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let loaded = load(Some(&path), &env, &Overrides::default());
        let _ = std::fs::remove_dir_all(&dir);
        loaded
    }

    #[test]
    fn defaults_are_valid() {
        let c = load_text("", &[]).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.issuer, "http://localhost:8080");
        assert_eq!(c.database_url.expose(), "sqlite://connectid.db");
    }

    #[test]
    fn precedence_is_flag_env_file() {
        let c = load_text(
            "listen = \"127.0.0.1:1\"\n[sms]\nprovider = \"log\"\n",
            &[
                ("CONNECTID_LISTEN", "127.0.0.1:2"),
                ("CONNECTID_SMS__PROVIDER", "outbox"),
            ],
        )
        .unwrap();
        assert_eq!(c.listen, "127.0.0.1:2");
        assert_eq!(c.sms.provider, "outbox");
        let env = vec![("CONNECTID_LISTEN".to_string(), "127.0.0.1:2".to_string())];
        let over = Overrides {
            listen: Some("127.0.0.1:3".into()),
            ..Default::default()
        };
        assert_eq!(load(None, &env, &over).unwrap().listen, "127.0.0.1:3");
    }

    #[test]
    fn errors_name_the_key() {
        for (text, key) in [
            ("bogus = 1", "bogus"),
            ("[sms]\nprovder = \"x\"", "provder"),
            ("listen = \"nowhere\"", "listen"),
            ("issuer = \"ftp://x\"", "issuer"),
            ("database_url = \"mysql://x\"", "database_url"),
            ("default_phone_region = \"XX\"", "default_phone_region"),
            ("[sms]\nprovider = \"pigeon\"", "sms.provider"),
            (
                "[sms]\nallowed_countries = [\"XX\"]",
                "sms.allowed_countries",
            ),
            ("[sms]\ndaily_budget = -1", "daily_budget"),
            ("[fraud]\nmode = \"block\"", "fraud.mode"),
            ("[telemetry]\nlog_format = \"xml\"", "telemetry.log_format"),
            (
                "[sms]\nprovider = \"webhook\"\nwebhook_url = \"https://gw\"\n\
                 webhook_secret = \"whsec_not base64 at all\"",
                "sms.webhook_secret",
            ),
            (
                "[sms]\nprovider = \"smpp\"\nsmpp_url = \"http://idp:pw@smsc:2775\"",
                "sms.smpp_url",
            ),
            (
                "[sms]\nprovider = \"smpp\"\nsmpp_url = \"smpp://idp:pw@smsc\"",
                "sms.smpp_url",
            ),
            (
                "[sms]\nprovider = \"smpp\"\nsmpp_url = \"smpp://:pw@smsc:2775\"",
                "sms.smpp_url",
            ),
            (
                "[sms]\nprovider = \"smpp\"\nsmpp_url = \"smpp://sixteen-chars-id:pw@smsc:2775\"",
                "sms.smpp_url",
            ),
            (
                "[sms]\nprovider = \"smpp\"\nsmpp_url = \"smpp://idp:ninechars@smsc:2775\"",
                "sms.smpp_url",
            ),
            ("[sms]\nprovider = \"smpp\"", "sms.smpp_url"),
            (
                "[sms]\nprovider = \"smpp\"\nsmpp_url = \"smpp://idp:pw@smsc:2775\"\n\
                 smpp_source = \"A sender name too long\"",
                "sms.smpp_source",
            ),
            (
                "[sms]\nrefused_number_types = [\"premium\"]",
                "sms.refused_number_types",
            ),
            (
                "[mobile_network]\ntrusted_proxies = [\"10.0.0.0/99\"]",
                "trusted_proxies",
            ),
            (
                "[http]\nforwarded_proxies = [\"nope\"]",
                "http.forwarded_proxies",
            ),
            ("listen = 5", "listen"),
            ("[admin]\ntoken = \"short\"", "admin.token"),
            (
                "[session]\ncookie_domain = \"example.com\"",
                "session.cookie_domain",
            ),
            (
                "[session]\ncookie_domain = \"a b\"",
                "session.cookie_domain",
            ),
        ] {
            let e = load_text(text, &[]).unwrap_err().to_string();
            assert!(e.contains(key), "{text}: {e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
    }

    #[test]
    fn env_lists_and_unrelated_variables() {
        let c = load_text(
            "",
            &[
                (
                    "CONNECTID_MOBILE_NETWORK__TRUSTED_PROXIES",
                    "10.0.0.0/8, 127.0.0.1",
                ),
                ("CONNECTID_HTTP__FORWARDED_PROXIES", "192.0.2.0/24"),
                ("CONNECTID_BIN", "/whatever"),
            ],
        )
        .unwrap();
        assert_eq!(c.trusted_proxies().unwrap().len(), 2);
        assert_eq!(c.forwarded_proxies().unwrap().len(), 1);
    }

    #[test]
    fn without_an_issuer_it_follows_the_listen_address() {
        let c = load_text("listen = \"127.0.0.1:8090\"", &[]).unwrap();
        assert_eq!(c.issuer, "http://localhost:8090");
        let c = load_text("listen = \"0.0.0.0:9000\"", &[]).unwrap();
        assert_eq!(c.issuer, "http://localhost:9000");
        let c = load_text("listen = \"192.0.2.7:80\"", &[]).unwrap();
        assert_eq!(c.issuer, "http://192.0.2.7:80");
        let c = load_text(
            "listen = \"127.0.0.1:8090\"\nissuer = \"https://id.example.com\"",
            &[],
        )
        .unwrap();
        assert_eq!(c.issuer, "https://id.example.com");
        let c = load_text("", &[("CONNECTID_LISTEN", "127.0.0.1:7000")]).unwrap();
        assert_eq!(c.issuer, "http://localhost:7000");
    }

    #[test]
    fn a_mistyped_variable_is_refused_like_a_mistyped_key() {
        for (name, said) in [
            (
                "CONNECTID_SMS__PROVDER",
                "did you mean CONNECTID_SMS__PROVIDER?",
            ),
            (
                "CONNECTID_DATABSE_URL",
                "did you mean CONNECTID_DATABASE_URL?",
            ),
            ("CONNECTID_NOSUCH__THING", "is not a setting"),
        ] {
            let e = load_text("", &[(name, "x")]).unwrap_err().to_string();
            assert!(e.contains(name) && e.contains(said), "{name}: {e}");
        }
        // Not a near miss of a setting: some other tool's variable.
        for name in ["CONNECTID_BIN", "CONNECTID_PROJECT", "CONNECTID_CONFIG"] {
            load_text("", &[(name, "/x")]).unwrap();
        }
    }

    /// The documented example is a valid config, and it documents every section there is.
    #[test]
    fn the_example_config_parses_and_is_complete() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/example.toml");
        let c = load(Some(&path), &[], &Overrides::default()).unwrap();
        assert_eq!(c.listen, Config::default().listen);
        let text = std::fs::read_to_string(&path).unwrap();
        for (section, key) in ENV_KEYS {
            if !section.is_empty() {
                assert!(
                    text.contains(&format!("[{section}]")),
                    "[{section}] is not in the example"
                );
            }
            assert!(
                text.contains(&format!("{key} =")),
                "{key} is not in the example"
            );
        }
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let e = load(
            Some(Path::new("/nonexistent/connectid.toml")),
            &[],
            &Overrides::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("cannot read"));
    }
}
