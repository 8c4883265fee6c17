//! Outgoing SMS and email: what is sent, not how (the providers live at the edge).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Email,
    /// An account event for a webhook subscriber (`[[webhooks]]`, client metadata `webhooks`).
    Event,
}

impl Channel {
    /// The name the outbox JSON, the outbox table and the metrics use.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            "event" => Some(Channel::Event),
            _ => None,
        }
    }
}

/// One message, in the outbox's JSON-lines shape (README, "Configuration").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// RFC 3339 UTC.
    pub at: String,
    pub channel: Channel,
    pub to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
    pub purpose: String,
}

/// Why a provider did not deliver: worth another try later, or never.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The gateway could not be reached or failed (a network error, a 5xx).
    #[error("the message could not be sent: {0}")]
    Retry(String),
    /// The gateway refused this message (a 4xx, a bad recipient): trying again cannot help.
    #[error("the message was refused: {0}")]
    Refused(String),
}

/// A provider: hands one message to its gateway, once (the outbox retries).
#[async_trait::async_trait]
pub trait MessageSender: Send + Sync {
    /// `id` is the outbox row's and stays the same on every try, so a gateway that saw a
    /// message before can drop the repeat. Returns the gateway's own id for the message,
    /// if it gives one (delivery receipts name it).
    async fn send(&self, id: &str, message: &Message) -> Result<Option<String>, SendError>;

    /// The provider's name in the metrics (`webhook`, `smpp`, …).
    fn name(&self) -> &'static str;

    /// Whether delivery is local and immediate (a file, the log): the request that queued
    /// the message then delivers it itself, so the message is there when the page answers.
    fn is_local(&self) -> bool {
        false
    }
}

/// Formats epoch seconds as RFC 3339 UTC without a date library.
pub fn rfc3339(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_795_000_000), "2026-11-18T11:06:40Z");
        assert_eq!(super::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
