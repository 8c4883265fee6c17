//! The durable outbox's part of the storage port.

use super::{Otp, StoreResult};
use crate::messages::Channel;

/// A message in the durable outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedMessage {
    /// Also the id a gateway sees on every try (`webhook-id`).
    pub id: String,
    pub channel: Channel,
    pub purpose: String,
    /// The whole message (recipient, body with its code), sealed by the delivery layer.
    pub payload: Vec<u8>,
    pub created_at: i64,
    /// Past this it is given up on: a code is useless once it has expired.
    pub expires_at: i64,
    /// When a worker may take it (again).
    pub due_at: i64,
    /// Tries so far, counting the one a claim starts.
    pub attempts: i64,
    /// Messages with the same key go out one at a time, in the order they were queued (an
    /// event subscriber's view of one account); `None` for messages without an order.
    pub ordering_key: Option<String>,
}

/// How one try at a message ended.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageOutcome {
    /// The gateway took it; `provider_ref` is its id for the message, if it gave one.
    Delivered { provider_ref: Option<String> },
    /// Try again at `at`.
    Retry { at: i64, error: String },
    /// No more tries.
    GaveUp { error: String },
}

/// What waits in the outbox, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OutboxDepth {
    pub pending: i64,
    /// `created_at` of the oldest message waiting.
    pub oldest: Option<i64>,
}

/// The durable outbox: every SMS and email is a row before anything is sent, so a crash
/// loses none, and a claim with a lease gives each message to one node at a time.
#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync {
    /// Queues `message`, with the one-time code it carries in the same transaction.
    async fn enqueue_message(&self, message: &QueuedMessage, otp: Option<&Otp>) -> StoreResult<()>;
    /// Claims up to `limit` messages due at `now` and not leased, for `worker` until
    /// `lease_until`; each claim counts a try.
    async fn claim_messages(
        &self,
        worker: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> StoreResult<Vec<QueuedMessage>>;
    /// Claims the message `id` whatever its due time, if no one holds it: the request that
    /// queued a message for a local provider delivers it at once.
    async fn claim_message(
        &self,
        id: &str,
        worker: &str,
        lease_until: i64,
    ) -> StoreResult<Option<QueuedMessage>>;
    /// Records how `worker`'s try ended; false if the lease was lost meanwhile (another
    /// worker may have it now).
    async fn finish_message(
        &self,
        id: &str,
        worker: &str,
        outcome: &MessageOutcome,
        now: i64,
    ) -> StoreResult<bool>;
    /// Records a gateway's delivery receipt on the message it names; false if none does.
    async fn record_receipt(&self, provider_ref: &str, receipt: &str) -> StoreResult<bool>;
    async fn outbox_depth(&self) -> StoreResult<OutboxDepth>;
    /// Queues events again: the one `id` whatever its state, or every event given up on that
    /// was queued at or after `since`; to be delivered before `expires_at`. Returns how many.
    async fn requeue_events(
        &self,
        id: Option<&str>,
        since: i64,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<u64>;
    /// Deletes delivered and given-up messages finished before `before`.
    async fn purge_messages(&self, before: i64) -> StoreResult<u64>;
}
