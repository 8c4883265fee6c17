//! The provider of account events: posts each to its subscriber, signed as Standard Webhooks
//! (`webhook-id`: the outbox row's id, the same on every try; `webhook-timestamp`;
//! `webhook-signature`), so a receiver verifies it with an existing library and drops a
//! repeat by its id.
//!
//! The row names the subscriber and its URL, not the secret: the secret is looked up at each
//! try (the config for `deployment`, the client's metadata for `client:<id>`), so a rotated
//! secret signs the tries after it, and a removed subscription ends its events.

use std::sync::Arc;

use connectid_core::events::Subscription;
use connectid_core::messages::{Message, MessageSender, SendError};
use connectid_core::store::Store;

pub struct EventSender {
    http: reqwest::Client,
    store: Arc<dyn Store>,
    deployment: Vec<Subscription>,
}

impl EventSender {
    pub fn new(store: Arc<dyn Store>, deployment: Vec<Subscription>) -> Result<Self, SendError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SendError::Refused(e.to_string()))?;
        Ok(Self {
            http,
            store,
            deployment,
        })
    }

    /// The subscription a queued event was for, as it is now.
    async fn subscription(&self, subscriber: &str, url: &str) -> Result<Subscription, SendError> {
        let gone = || SendError::Refused(format!("{subscriber} no longer subscribes at that url"));
        let found = match subscriber.strip_prefix("client:") {
            None => self.deployment.iter().find(|s| s.url == url).cloned(),
            Some(client_id) => self
                .store
                .get_client(client_id)
                .await
                .map_err(|e| SendError::Retry(e.to_string()))?
                .and_then(|c| c.metadata.webhooks.into_iter().find(|s| s.url == url)),
        };
        found.ok_or_else(gone)
    }
}

#[async_trait::async_trait]
impl MessageSender for EventSender {
    async fn send(&self, id: &str, message: &Message) -> Result<Option<String>, SendError> {
        let url = message.subject.as_deref().unwrap_or_default();
        let subscription = self.subscription(&message.to, url).await?;
        let key = subscription
            .key()
            .ok_or_else(|| SendError::Refused("the subscription's secret is unusable".into()))?;
        let (req, _) =
            crate::outbox::signed_post(&self.http, url, &key, id, message.body.as_bytes());
        let sent = req.send().await;
        // Every answer but a 2xx is tried again, as Standard Webhooks senders do: a receiver
        // that refuses (a secret not yet rotated on its side) may accept within the day.
        match sent {
            Ok(r) if r.status().is_success() => Ok(None),
            Ok(r) => Err(SendError::Retry(format!(
                "the subscriber answered {}",
                r.status()
            ))),
            // Without the URL: it may carry a token.
            Err(e) => Err(SendError::Retry(e.without_url().to_string())),
        }
    }

    fn name(&self) -> &'static str {
        "webhook"
    }
}
