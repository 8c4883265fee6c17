//! Settings, layered: defaults < file < `CONNECTID_*` environment < flags. Unknown keys and bad
//! values are refused with one line naming the key.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use connectid_core::identifier::PhoneRegion;
use connectid_core::secret::{Secret, SecretUrl};
use connectid_web::net::Cidr;
use serde::Deserialize;

/// A configuration problem: printed as one line, exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn err(key: &str, msg: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("config: `{key}`: {msg}"))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub listen: String,
    pub issuer: String,
    pub database_url: SecretUrl,
    pub redis_url: SecretUrl,
    pub default_phone_region: String,
    pub admin: Admin,
    pub sms: Sms,
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
    pub clients: Vec<toml::Value>,
}

#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Session {
    pub cookie_domain: String,
}

/// `/metrics`: open by default, like most Prometheus targets; a token closes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Metrics {
    pub token: Secret,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Admin {
    pub token: Secret,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sms {
    pub provider: String,
    pub outbox: String,
    pub webhook_url: String,
    pub webhook_secret: Secret,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Email {
    pub provider: String,
    pub outbox: String,
    pub smtp_url: SecretUrl,
    pub from: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MobileNetwork {
    pub trusted_proxies: Vec<String>,
    pub msisdn_header: String,
}

/// The reverse proxies in front of connectid. Kept apart from `[mobile_network]
/// trusted_proxies`: believing a proxy's `X-Forwarded-For` (per-address rate limits) must not
/// also mean believing a phone number from anything that passes through it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Http {
    pub forwarded_proxies: Vec<String>,
}

/// The flow previewer: on by default (developers tune their sign-in screens with it); an
/// operator who does not want it public turns it off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Previewer {
    pub enabled: bool,
}

impl Default for Previewer {
    fn default() -> Self {
        Self { enabled: true }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
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

/// Every key the environment may set, as (section, key).
const ENV_KEYS: &[(&str, &str)] = &[
    ("", "listen"),
    ("", "issuer"),
    ("", "database_url"),
    ("", "redis_url"),
    ("", "default_phone_region"),
    ("admin", "token"),
    ("sms", "provider"),
    ("sms", "outbox"),
    ("sms", "webhook_url"),
    ("sms", "webhook_secret"),
    ("email", "provider"),
    ("email", "outbox"),
    ("email", "smtp_url"),
    ("email", "from"),
    ("mobile_network", "trusted_proxies"),
    ("mobile_network", "msisdn_header"),
    ("http", "forwarded_proxies"),
    ("previewer", "enabled"),
    ("keys", "encryption_key"),
    ("audit", "retention_days"),
    ("metrics", "token"),
    ("session", "cookie_domain"),
];

/// Command-line values that override everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub issuer: Option<String>,
    pub database_url: Option<String>,
}

/// Which file to read: `--config`, then `CONNECTID_CONFIG`, then `./connectid.toml` if present.
pub fn config_path(flag: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(p) = flag {
        return Some((p.to_path_buf(), true));
    }
    if let Some(p) = std::env::var_os("CONNECTID_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), true));
    }
    let local = PathBuf::from("connectid.toml");
    local.exists().then_some((local, false))
}

pub fn load(
    flag: Option<&Path>,
    env: &[(String, String)],
    over: &Overrides,
) -> Result<Config, ConfigError> {
    let mut table = match config_path(flag) {
        Some((path, _)) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError(format!("config: cannot read {}: {e}", path.display())))?;
            text.parse::<toml::Table>().map_err(|e| {
                ConfigError(format!(
                    "config: {} is not valid TOML: {}",
                    path.display(),
                    e.message()
                ))
            })?
        }
        None => toml::Table::new(),
    };
    for (name, value) in env {
        let Some(rest) = name.strip_prefix("CONNECTID_") else {
            continue;
        };
        let lower = rest.to_ascii_lowercase();
        let (section, key) = match lower.split_once("__") {
            Some((s, k)) => (s.to_string(), k.to_string()),
            None => (String::new(), lower.clone()),
        };
        if !ENV_KEYS.iter().any(|(s, k)| *s == section && *k == key) {
            continue;
        }
        let v = if key == "trusted_proxies" || key == "forwarded_proxies" {
            toml::Value::Array(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| toml::Value::String(s.into()))
                    .collect(),
            )
        } else if key == "enabled" {
            match value.trim() {
                "true" => toml::Value::Boolean(true),
                "false" => toml::Value::Boolean(false),
                _ => toml::Value::String(value.clone()),
            }
        } else if key == "retention_days" {
            // Numbers from the environment: a bad one is reported by the key, like the file.
            value
                .trim()
                .parse::<i64>()
                .map_or_else(|_| toml::Value::String(value.clone()), toml::Value::Integer)
        } else {
            toml::Value::String(value.clone())
        };
        if section.is_empty() {
            table.insert(key, v);
        } else {
            let entry = table
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(t) => {
                    t.insert(key, v);
                }
                _ => return Err(err(&section, "must be a table")),
            }
        }
    }
    let mut cfg: Config =
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            let inner = inner.lines().next().unwrap_or("").trim().to_string();
            ConfigError(format!("config: `{path}`: {inner}"))
        })?;
    if let Some(v) = &over.listen {
        cfg.listen = v.clone();
    }
    if let Some(v) = &over.issuer {
        cfg.issuer = v.clone();
    }
    if let Some(v) = &over.database_url {
        cfg.database_url = SecretUrl::new(v.clone());
    }
    cfg.validate()?;
    Ok(cfg)
}

impl Config {
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen_addr()?;
        let issuer = &self.issuer;
        if !(issuer.starts_with("https://") || issuer.starts_with("http://"))
            || issuer.ends_with('/')
            || issuer.contains(['?', '#', ' '])
            || issuer.split("://").nth(1).is_none_or(str::is_empty)
        {
            return Err(err(
                "issuer",
                "must be an http(s) URL without a trailing slash, query or fragment",
            ));
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(err(
                "database_url",
                "must start with sqlite:// or postgres://",
            ));
        }
        if !self.redis_url.is_empty() && !self.redis_url.starts_with("redis://") {
            return Err(err("redis_url", "must start with redis://"));
        }
        self.phone_region()?;
        if self.audit.retention_days == 0 {
            return Err(err("audit.retention_days", "must be at least 1"));
        }
        if self.password.min_score > 4 {
            return Err(err("password.min_score", "must be 0 to 4"));
        }
        self.rate_limits
            .validate()
            .map_err(|e| err("rate_limits", e))?;
        match self.sms.provider.as_str() {
            "outbox" | "log" => {}
            "webhook" => {
                let url = &self.sms.webhook_url;
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(err("sms.webhook_url", "must be an http(s) URL"));
                }
                if self.sms.webhook_secret.len() < 16 {
                    return Err(err(
                        "sms.webhook_secret",
                        "must be at least 16 characters (it signs every request)",
                    ));
                }
            }
            other => {
                return Err(err(
                    "sms.provider",
                    format!("`{other}` is not one of outbox, webhook, log"),
                ));
            }
        }
        match self.email.provider.as_str() {
            "outbox" | "log" => {}
            "smtp" => {
                let url = &self.email.smtp_url;
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    return Err(err("email.smtp_url", "must start with smtp:// or smtps://"));
                }
                if self.email.from.parse::<lettre::message::Mailbox>().is_err() {
                    return Err(err(
                        "email.from",
                        "must be an address like \"CONNECT ID <id@example.com>\"",
                    ));
                }
            }
            other => {
                return Err(err(
                    "email.provider",
                    format!("`{other}` is not one of outbox, smtp, log"),
                ));
            }
        }
        if self.sms.provider == "outbox" && self.sms.outbox.is_empty() {
            return Err(err("sms.outbox", "must name a file"));
        }
        if self.email.provider == "outbox" && self.email.outbox.is_empty() {
            return Err(err("email.outbox", "must name a file"));
        }
        self.trusted_proxies()?;
        self.forwarded_proxies()?;
        let header = &self.mobile_network.msisdn_header;
        if header.is_empty()
            || !header
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(err(
                "mobile_network.msisdn_header",
                "must be an HTTP header name",
            ));
        }
        if !self.admin.token.is_empty() && self.admin.token.len() < 16 {
            return Err(err("admin.token", "must be at least 16 characters"));
        }
        self.cookie_domain()?;
        if !self.metrics.token.is_empty() && self.metrics.token.len() < 16 {
            return Err(err("metrics.token", "must be at least 16 characters"));
        }
        Ok(())
    }

    /// `[session] cookie_domain` as the cookie wants it (no leading dot, lower case), checked
    /// to be the issuer's host or a parent of it: a browser drops any other.
    pub fn cookie_domain(&self) -> Result<Option<String>, ConfigError> {
        let d = self
            .session
            .cookie_domain
            .trim_start_matches('.')
            .to_ascii_lowercase();
        if d.is_empty() {
            return Ok(None);
        }
        let key = "session.cookie_domain";
        if !d
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            || d.starts_with('-')
            || d.contains("..")
        {
            return Err(err(key, "must be a domain name like example.com"));
        }
        let rest = self.issuer.split("://").nth(1).unwrap_or("");
        let authority = rest.split('/').next().unwrap_or("");
        let host = authority
            .rsplit_once(':')
            .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
            .map_or(authority, |(h, _)| h)
            .to_ascii_lowercase();
        if host != d && !host.ends_with(&format!(".{d}")) {
            return Err(err(
                key,
                "must be the issuer's host or a parent domain of it",
            ));
        }
        Ok(Some(d))
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            err(
                "listen",
                format!("`{}` is not an address like 127.0.0.1:8080", self.listen),
            )
        })
    }

    pub fn phone_region(&self) -> Result<PhoneRegion, ConfigError> {
        self.default_phone_region
            .parse()
            .map_err(|e| err("default_phone_region", e))
    }

    /// The operator's proxies: the only peers whose `msisdn_header` is believed.
    pub fn trusted_proxies(&self) -> Result<Vec<Cidr>, ConfigError> {
        cidrs(
            &self.mobile_network.trusted_proxies,
            "mobile_network.trusted_proxies",
        )
    }

    /// The reverse proxies whose `X-Forwarded-For` names the client's address.
    pub fn forwarded_proxies(&self) -> Result<Vec<Cidr>, ConfigError> {
        cidrs(&self.http.forwarded_proxies, "http.forwarded_proxies")
    }
}

fn cidrs(list: &[String], key: &str) -> Result<Vec<Cidr>, ConfigError> {
    list.iter()
        .map(|c| c.parse().map_err(|e| err(key, e)))
        .collect()
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
        load(Some(&path), &env, &Overrides::default())
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
