//! Message providers: the outbox file (JSON lines, for the demo and tests), the log, a signed
//! webhook (SMS gateways) and SMTP (email).

use std::path::PathBuf;

use connectid_core::messages::{Message, MessageSender, SendError};
use tokio::sync::Mutex;

/// Appends each message as one JSON line; a lock keeps lines whole under concurrency.
pub struct OutboxSender {
    path: PathBuf,
    lock: Mutex<()>,
}

impl OutboxSender {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }
}

#[async_trait::async_trait]
impl MessageSender for OutboxSender {
    async fn send(&self, _id: &str, message: &Message) -> Result<Option<String>, SendError> {
        use std::io::Write;
        let mut line =
            serde_json::to_string(message).map_err(|e| SendError::Refused(e.to_string()))?;
        line.push('\n');
        let _guard = self.lock.lock().await;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)?;
            f.write_all(line.as_bytes())
        })
        .await
        .map_err(|e| SendError::Retry(e.to_string()))?
        .map_err(|e| SendError::Retry(e.to_string()))?;
        Ok(None)
    }

    fn name(&self) -> &'static str {
        "outbox"
    }

    fn is_local(&self) -> bool {
        true
    }
}

/// Writes that a message was sent, without its body (which may carry a code).
pub struct LogSender;

#[async_trait::async_trait]
impl MessageSender for LogSender {
    async fn send(&self, id: &str, message: &Message) -> Result<Option<String>, SendError> {
        tracing::info!(id, channel = ?message.channel, purpose = %message.purpose, "message sent (log provider)");
        Ok(None)
    }

    fn name(&self) -> &'static str {
        "log"
    }

    fn is_local(&self) -> bool {
        true
    }
}

/// Posts each message as the outbox's JSON to a gateway, signed so the gateway can tell it
/// came from us, as Standard Webhooks signs (`webhook-id`: the outbox row's id, the same on
/// every try; `webhook-timestamp`; `webhook-signature: v1,…`; `core/src/webhooks.rs`) and,
/// for gateways written against earlier versions, `X-Connectid-Timestamp` (Unix seconds) and
/// `X-Connectid-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. A network error
/// or a 5xx is worth another try (the outbox schedules it); a 4xx is final.
pub struct WebhookSender {
    http: reqwest::Client,
    url: String,
    secret: String,
    key: connectid_core::webhooks::WebhookKey,
}

impl WebhookSender {
    pub fn new(url: &str, secret: &str) -> Result<Self, SendError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SendError::Refused(e.to_string()))?;
        let key = connectid_core::webhooks::WebhookKey::from_secret(secret)
            .map_err(SendError::Refused)?;
        Ok(Self {
            http,
            url: url.to_string(),
            secret: secret.to_string(),
            key,
        })
    }

    /// The signature headers for `body` sent at `timestamp`.
    pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
        let mut signed = format!("{timestamp}.").into_bytes();
        signed.extend_from_slice(body);
        format!(
            "sha256={}",
            connectid_core::crypto::hmac_sha256_hex(secret.as_bytes(), &signed)
        )
    }
}

/// A JSON POST of `body` signed as Standard Webhooks signs (`webhook-id`, `-timestamp`,
/// `-signature`), carrying the current trace's `traceparent`; returns it with the timestamp
/// it was signed at. The SMS gateway's requests and account events are made by it.
pub(crate) fn signed_post(
    http: &reqwest::Client,
    url: &str,
    key: &connectid_core::webhooks::WebhookKey,
    id: &str,
    body: &[u8],
) -> (reqwest::RequestBuilder, i64) {
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut req = http.post(url);
    if let Some(trace) = crate::trace::current() {
        req = req.header("traceparent", trace.header());
    }
    let req = req
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", key.sign(id, timestamp, body))
        .body(body.to_vec());
    (req, timestamp)
}

#[async_trait::async_trait]
impl MessageSender for WebhookSender {
    async fn send(&self, id: &str, message: &Message) -> Result<Option<String>, SendError> {
        let body = serde_json::to_vec(message).map_err(|e| SendError::Refused(e.to_string()))?;
        let (req, timestamp) = signed_post(&self.http, &self.url, &self.key, id, &body);
        let sent = req
            .header("X-Connectid-Timestamp", timestamp.to_string())
            .header(
                "X-Connectid-Signature",
                Self::signature(&self.secret, timestamp, &body),
            )
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => Ok(None),
            Ok(r) if r.status().is_client_error() => Err(SendError::Refused(format!(
                "the gateway refused it: {}",
                r.status()
            ))),
            Ok(r) => Err(SendError::Retry(format!(
                "the gateway answered {}",
                r.status()
            ))),
            // Without the URL: the gateway's address may carry a token.
            Err(e) => Err(SendError::Retry(e.without_url().to_string())),
        }
    }

    fn name(&self) -> &'static str {
        "webhook"
    }
}

/// Sends email over SMTP (`smtp_url` like `smtps://user:pass@host:465`, or `smtp://host:25`
/// for a local relay; `?tls=required` for STARTTLS), from the configured address.
pub struct SmtpSender {
    mailer: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpSender {
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, SendError> {
        let mailer = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| SendError::Refused(format!("smtp_url: {e}")))?
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        let from = from
            .parse()
            .map_err(|e| SendError::Refused(format!("from: {e}")))?;
        Ok(Self { mailer, from })
    }
}

#[async_trait::async_trait]
impl MessageSender for SmtpSender {
    async fn send(&self, _id: &str, message: &Message) -> Result<Option<String>, SendError> {
        use lettre::AsyncTransport;
        let to: lettre::message::Mailbox = message
            .to
            .parse()
            .map_err(|e| SendError::Refused(format!("recipient: {e}")))?;
        let mut builder = lettre::Message::builder();
        if let Some(trace) = crate::trace::current() {
            use lettre::message::header::{HeaderName, HeaderValue};
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Traceparent"),
                trace.header(),
            ));
        }
        let email = builder
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone().unwrap_or_default())
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| SendError::Refused(e.to_string()))?;
        match self.mailer.send(email).await {
            Ok(_) => Ok(None),
            // A permanent SMTP answer (5xx) will not change on another try.
            Err(e) if e.is_permanent() => Err(SendError::Refused(e.to_string())),
            Err(e) => Err(SendError::Retry(e.to_string())),
        }
    }

    fn name(&self) -> &'static str {
        "smtp"
    }
}
