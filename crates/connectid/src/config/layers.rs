//! Where settings come from, in order: the file, then `CONNECTID_*` variables, then flags.

use super::*;

/// Every key the environment may set, as (section, key).
pub(super) const ENV_KEYS: &[(&str, &str)] = &[
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
    ("sms", "smpp_url"),
    ("sms", "smpp_source"),
    ("sms", "allowed_countries"),
    ("sms", "refused_number_types"),
    ("sms", "daily_budget"),
    ("fraud", "mode"),
    ("fraud", "always_challenge"),
    ("email", "provider"),
    ("email", "outbox"),
    ("email", "smtp_url"),
    ("email", "from"),
    ("mobile_network", "trusted_proxies"),
    ("mobile_network", "msisdn_header"),
    ("http", "forwarded_proxies"),
    ("http", "header_read_timeout"),
    ("http", "request_timeout"),
    ("http", "max_connections"),
    ("http", "shutdown_grace"),
    ("previewer", "enabled"),
    ("keys", "encryption_key"),
    ("audit", "retention_days"),
    ("metrics", "token"),
    ("session", "cookie_domain"),
    ("telemetry", "log_format"),
    ("telemetry", "otlp_endpoint"),
    ("telemetry", "service_name"),
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
        let v = if [
            "trusted_proxies",
            "forwarded_proxies",
            "allowed_countries",
            "refused_number_types",
        ]
        .contains(&key.as_str())
        {
            toml::Value::Array(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| toml::Value::String(s.into()))
                    .collect(),
            )
        } else if key == "enabled" || key == "always_challenge" {
            match value.trim() {
                "true" => toml::Value::Boolean(true),
                "false" => toml::Value::Boolean(false),
                _ => toml::Value::String(value.clone()),
            }
        } else if [
            "retention_days",
            "daily_budget",
            "header_read_timeout",
            "request_timeout",
            "max_connections",
            "shutdown_grace",
        ]
        .contains(&key.as_str())
        {
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
