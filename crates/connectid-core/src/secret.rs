//! Secrets read from the configuration (tokens, keys, URLs with a password in them). Their
//! `Debug` and `Display` never show the value, so a `{:?}` of the config, a log line or an
//! error message cannot leak one; code that needs the value asks for it with `expose`.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

const MASK: &str = "********";

/// A secret value: shown as `********` (or `""` when empty, so "not set" stays visible).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The value itself: for the one place that uses it, never for display.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            write!(f, "\"{MASK}\"")
        }
    }
}

/// Serialised masked, as displayed: `connectid config` prints the settings as TOML.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "" } else { MASK })
    }
}

/// A URL that may carry credentials (`postgres://user:password@host/db`,
/// `redis://:password@host`, `smtps://user:password@host`, `?password=…`): shown with the
/// password and any secret-looking query value masked, the rest as written.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct SecretUrl(String);

impl SecretUrl {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The URL itself: for the connection that needs it, never for display.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.0.starts_with(prefix)
    }

    /// The URL with its password and secret query values replaced by `********`.
    pub fn masked(&self) -> String {
        mask_url(&self.0)
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.masked())
    }
}

/// Serialised masked, as displayed.
impl Serialize for SecretUrl {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

fn mask_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    // The authority ends at the first '/', '?' or '#'; its user information at the last '@'.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            if userinfo.contains(':') || scheme.is_none() {
                format!("{user}:{MASK}@{host}")
            } else {
                // A lone user part may itself be a token (`redis://token@host`).
                format!("{MASK}@{host}")
            }
        }
        None => authority.to_string(),
    };
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (tail, None),
    };
    let mut out = match scheme {
        Some(s) => format!("{s}://{authority}{path}"),
        None => format!("{authority}{path}"),
    };
    if let Some(q) = query {
        let pairs: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if secret_key(k) => format!("{k}={MASK}"),
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["pass", "secret", "token", "key", "auth"]
        .iter()
        .any(|w| k.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show() {
        let s = Secret::new("SuperSecret");
        assert_eq!(format!("{s:?}"), "\"********\"");
        assert_eq!(format!("{s}"), "********");
        assert_eq!(s.expose(), "SuperSecret");
        assert_eq!(format!("{:?}", Secret::default()), "\"\"");
    }

    #[test]
    fn urls_keep_everything_but_the_password() {
        for (url, shown) in [
            (
                "postgres://user:SuperSecret@db.example:5432/connectid",
                "postgres://user:********@db.example:5432/connectid",
            ),
            (
                "redis://:RedisPass@127.0.0.1:6379",
                "redis://:********@127.0.0.1:6379",
            ),
            ("redis://token@host/0", "redis://********@host/0"),
            (
                "smtps://mailer:p%40ss:w@smtp.example:465",
                "smtps://mailer:********@smtp.example:465",
            ),
            (
                "postgres://db.example/c?user=u&password=Hunter2&sslmode=require",
                "postgres://db.example/c?user=u&password=********&sslmode=require",
            ),
            ("sqlite://connectid.db", "sqlite://connectid.db"),
            ("", ""),
        ] {
            let u = SecretUrl::new(url);
            assert_eq!(u.masked(), shown, "{url}");
            assert_eq!(format!("{u:?}"), format!("{shown:?}"));
            assert!(!format!("{u}").contains("Secret") && !format!("{u}").contains("Hunter2"));
        }
    }
}
