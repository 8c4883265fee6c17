//! A message's trace through the outbox: the sending request's context is stored with the
//! message, and the gateway call continues it as a client span.

use connectid_core::messages::{Message, SendError};
use connectid_core::store::QueuedMessage;
use serde::{Deserialize, Serialize};

use super::Delivery;
use crate::trace::{Kind, Span, TraceContext};

/// A gateway's payload: the message, and the trace of the request that sent it, so the
/// delivery (later, perhaps on another node) continues that trace. Flattened: a row written
/// before traces were kept reads as a message without one.
#[derive(Serialize, Deserialize)]
pub(super) struct Payload {
    #[serde(flatten)]
    pub(super) message: Message,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) traceparent: Option<String>,
}

impl Delivery {
    pub(super) fn open(&self, m: &QueuedMessage) -> Option<(Message, Option<TraceContext>)> {
        let json = self.cipher.open(&m.id, &m.payload).ok()?;
        let p: Payload = serde_json::from_slice(&json).ok()?;
        let parent = p.traceparent.as_deref().and_then(TraceContext::parse);
        Some((p.message, parent))
    }

    /// The provider's try, as a client span of the sending request's trace when traces are
    /// exported (the provider sends `traceparent` on from [`crate::trace::current`]).
    pub(super) async fn send_traced(
        &self,
        m: &QueuedMessage,
        message: &Message,
        parent: Option<TraceContext>,
    ) -> Result<Option<String>, SendError> {
        let provider = self.provider(m.channel);
        if !self.tracer.enabled() {
            return provider.send(&m.id, message).await;
        }
        let ctx = parent.map_or_else(TraceContext::root, |p| p.child());
        let start = std::time::SystemTime::now();
        let began = std::time::Instant::now();
        let sent = crate::trace::scope(ctx, provider.send(&m.id, message)).await;
        let outcome = match &sent {
            Ok(_) => "delivered",
            Err(SendError::Retry(_)) => "retry",
            Err(SendError::Refused(_)) => "refused",
        };
        self.tracer.record(Span {
            ctx,
            parent: parent.map(|p| p.span_id),
            name: format!("send {}", m.channel.as_str()),
            kind: Kind::Client,
            start,
            end: start + began.elapsed(),
            attributes: vec![
                ("connectid.message.id", m.id.clone().into()),
                ("connectid.message.provider", provider.name().into()),
                ("connectid.message.purpose", m.purpose.clone().into()),
                ("connectid.message.outcome", outcome.into()),
                ("connectid.message.try", m.attempts.into()),
            ],
            error: sent.is_err(),
        });
        sent
    }
}
