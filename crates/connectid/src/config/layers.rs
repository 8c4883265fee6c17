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
    ("oauth", "require_pushed_authorization_requests"),
    ("oauth", "use_dpop_nonce"),
    ("telemetry", "log_format"),
    ("telemetry", "otlp_endpoint"),
    ("telemetry", "service_name"),
];

/// A `CONNECTID_*` variable that is no setting. With `__` (a section's key) it can only be a
/// mistake, like an unknown key in the file; a plain name is refused when it is a near miss
/// of a setting (`CONNECTID_DATABSE_URL`), and otherwise left to whatever else uses it (a test
/// harness's `CONNECTID_BIN`).
fn unknown_variable(name: &str, section: &str, key: &str) -> Option<ConfigError> {
    let full = |s: &str, k: &str| {
        if s.is_empty() {
            k.to_string()
        } else {
            format!("{s}__{k}")
        }
    };
    let given = full(section, key);
    let (distance, closest) = ENV_KEYS
        .iter()
        .map(|(s, k)| (edit_distance(&given, &full(s, k)), full(s, k)))
        .min()?;
    if name == "CONNECTID_CONFIG" || (section.is_empty() && distance > 2) {
        return None;
    }
    let hint = if distance <= 3 {
        format!(
            " (did you mean CONNECTID_{}?)",
            closest.to_ascii_uppercase()
        )
    } else {
        String::new()
    };
    Some(ConfigError(format!(
        "config: {name} is not a setting the environment can set{hint}; config/example.toml \
         lists the settings"
    )))
}

/// The issuer when none is configured: where this node listens, as a browser on the same
/// machine reaches it (`http://localhost:PORT` for a loopback or wildcard address).
fn issuer_for(listen: &str) -> Option<String> {
    let addr: std::net::SocketAddr = listen.parse().ok()?;
    let ip = addr.ip();
    Some(if ip.is_loopback() || ip.is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    })
}

/// Levenshtein distance, for the near misses above.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

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
            if let Some(e) = unknown_variable(name, &section, &key) {
                return Err(e);
            }
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
    let issuer_given = table.contains_key("issuer") || over.issuer.is_some();
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
    if !issuer_given && let Some(issuer) = issuer_for(&cfg.listen) {
        cfg.issuer = issuer;
    }
    cfg.validate()?;
    Ok(cfg)
}
