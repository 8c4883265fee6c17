//! Account events for the services around connectid: what happened to an account, sent as
//! a signed webhook (Standard Webhooks, [`crate::webhooks`]) to each subscriber, so that a
//! downstream system can follow (an account deleted here is deleted there too).
//!
//! The body is `{"type": …, "timestamp": RFC 3339, "data": {"sub": …, …}}`, the shape the
//! Standard Webhooks specification suggests; `data` says what changed and never carries a
//! password, a hash or a code.

use serde::{Deserialize, Serialize};

use crate::webhooks::WebhookKey;

/// Something that happened to an account (SPEC §12 names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "account.created")]
    Created,
    #[serde(rename = "account.identifier_added")]
    IdentifierAdded,
    #[serde(rename = "account.identifier_removed")]
    IdentifierRemoved,
    #[serde(rename = "account.password_changed")]
    PasswordChanged,
    #[serde(rename = "account.locked")]
    Locked,
    #[serde(rename = "account.unlocked")]
    Unlocked,
    #[serde(rename = "account.deleted")]
    Deleted,
    #[serde(rename = "account.signed_out_everywhere")]
    SignedOutEverywhere,
    #[serde(rename = "account.passkey_added")]
    PasskeyAdded,
    #[serde(rename = "account.passkey_removed")]
    PasskeyRemoved,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        Self::Created,
        Self::IdentifierAdded,
        Self::IdentifierRemoved,
        Self::PasswordChanged,
        Self::Locked,
        Self::Unlocked,
        Self::Deleted,
        Self::SignedOutEverywhere,
        Self::PasskeyAdded,
        Self::PasskeyRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "account.created",
            Self::IdentifierAdded => "account.identifier_added",
            Self::IdentifierRemoved => "account.identifier_removed",
            Self::PasswordChanged => "account.password_changed",
            Self::Locked => "account.locked",
            Self::Unlocked => "account.unlocked",
            Self::Deleted => "account.deleted",
            Self::SignedOutEverywhere => "account.signed_out_everywhere",
            Self::PasskeyAdded => "account.passkey_added",
            Self::PasskeyRemoved => "account.passkey_removed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A subscriber: in the config (`[[webhooks]]`) or in a client's metadata (`webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub url: String,
    /// `whsec_` and base64, as Standard Webhooks writes secrets.
    pub secret: String,
    /// The event names it wants; none (or absent) means every event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
}

impl Subscription {
    /// Checks it; the error is one line naming what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let url = self.url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("url `{url}` must start with https:// or http://"))?;
        if rest.is_empty() || rest.starts_with('/') || url.contains(char::is_whitespace) {
            return Err(format!("url `{url}` has no host"));
        }
        if url.contains('#') {
            return Err(format!("url `{url}` must not have a fragment"));
        }
        let Some(b64) = self.secret.strip_prefix("whsec_") else {
            return Err("secret must be `whsec_` followed by base64 (at least 24 bytes)".into());
        };
        match WebhookKey::from_secret(&self.secret) {
            Ok(_) if base64_len(b64) >= 24 => {}
            _ => {
                return Err(
                    "secret must be `whsec_` followed by base64 (at least 24 bytes)".into(),
                );
            }
        }
        for e in &self.events {
            if EventKind::parse(e).is_none() {
                let near = EventKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .find(|k| k.starts_with(e.as_str()) || e.starts_with(k));
                return Err(match near {
                    Some(k) => format!("unknown event `{e}` (did you mean `{k}`?)"),
                    None => format!("unknown event `{e}` (account.created, account.deleted, …)"),
                });
            }
        }
        Ok(())
    }

    /// Whether it wants events of this kind.
    pub fn wants(&self, kind: EventKind) -> bool {
        self.events.is_empty() || self.events.iter().any(|e| e == kind.as_str())
    }

    /// The signing key (a validated subscription always has one).
    pub fn key(&self) -> Option<WebhookKey> {
        WebhookKey::from_secret(&self.secret).ok()
    }
}

fn base64_len(b64: &str) -> usize {
    b64.trim_end_matches('=').len() * 3 / 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(url: &str, secret: &str, events: &[&str]) -> Subscription {
        Subscription {
            url: url.into(),
            secret: secret.into(),
            events: events.iter().map(|e| e.to_string()).collect(),
        }
    }

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn names_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn bad_subscriptions_say_what_is_wrong() {
        assert_eq!(
            sub("https://hooks.example/in", SECRET, &[]).validate(),
            Ok(())
        );
        let cases = [
            (sub("ftp://x/in", SECRET, &[]), "https://"),
            (sub("https://", SECRET, &[]), "no host"),
            (sub("https://x/in", "plain", &[]), "whsec_"),
            (sub("https://x/in", "whsec_!!!", &[]), "whsec_"),
            (sub("https://x/in", "whsec_c2hvcnQ=", &[]), "24 bytes"),
            (
                sub("https://x/in", SECRET, &["account.create"]),
                "did you mean `account.created`",
            ),
            (
                sub("https://x/in", SECRET, &["user.deleted"]),
                "unknown event",
            ),
        ];
        for (s, want) in cases {
            let e = s.validate().unwrap_err();
            assert!(e.contains(want), "{s:?}: {e}");
            assert!(!e.contains('\n'));
        }
        let some = sub("https://x/in", SECRET, &["account.deleted"]);
        assert!(some.wants(EventKind::Deleted));
        assert!(!some.wants(EventKind::Created));
        assert!(sub("https://x/in", SECRET, &[]).wants(EventKind::Created));
    }
}
