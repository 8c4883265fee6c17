//! SMS and email through the durable outbox: a message is a row before anything is sent,
//! and workers on every node deliver the rows.
//!
//! Why: a code the page has promised must survive a crash between the page and the gateway
//! (kill -9, an OOM kill, a lost node), and must go out once however many nodes there are.
//! The request that sends a code writes the code and its message in one transaction and
//! answers at once; no request waits on a gateway, whose latency would otherwise tell an
//! observer about the gateway and, through which paths send, about accounts. A worker claims
//! due rows with a lease (one node at a time per message), tries once, and records the
//! outcome: delivered, retry later (backoff), or given up (refused, or past the message's
//! deadline: a code is useless once expired), with an audit event.
//!
//! A local provider (the outbox file, the log: development tools) is delivered by the request
//! itself, right after the commit, so the demo and the tests see the message when the page
//! answers. Its row keeps no payload: there is no gateway to wait for, and so no code at rest.
//!
//! A gateway's payload (recipient, text, code) is sealed with `keys.encryption_key`; without
//! one it is stored as is, like the signing keys, until delivered (start-up warns).
//!
//! Scheduling runs on the wall clock given to [`Delivery::new`], not on the application's
//! (which tests move by hand). A gateway that took a message just before a crash, before the
//! outcome was recorded, gets it again after the lease: the `webhook-id` is the row's id, the
//! same on every try, so it can drop the repeat.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connectid_core::audit::AuditKind;
use connectid_core::clock::Clock;
use connectid_core::crypto::random_id;
use connectid_core::keys::KeyCipher;
use connectid_core::messages::{Channel, Message, MessageSender, SendError};
use connectid_core::store::{AuditEvent, MessageOutcome, Otp, QueuedMessage, Store, StoreError};
use tokio::sync::{Notify, Semaphore};

mod events;
mod traced;
pub use events::EventSender;
use traced::Payload;

use crate::trace::Tracer;

/// How long a worker holds a claimed message: longer than any provider's timeout.
const LEASE: i64 = 60;
/// How often a worker looks for due messages besides being woken (retries, other nodes'
/// rows, a crash's leftovers).
const POLL: Duration = Duration::from_secs(1);
/// Messages claimed at once.
const BATCH: i64 = 16;
/// Deliveries in flight at once on one node.
const CONCURRENCY: usize = 16;
/// How long a local provider's message is the request's before a worker may take it (and
/// record that a crash lost it).
const LOCAL_GRACE: i64 = 60;
/// The longest wait between two tries.
const MAX_BACKOFF: i64 = 60;

/// This node's delivery: queues messages and runs the worker.
pub struct Delivery {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    cipher: KeyCipher,
    sms: Arc<dyn MessageSender>,
    email: Arc<dyn MessageSender>,
    events: Arc<dyn MessageSender>,
    /// This node's name on the leases it takes.
    worker: String,
    wake: Notify,
    permits: Arc<Semaphore>,
    stats: Stats,
    tracer: Tracer,
}

/// Outcomes per (provider, channel, outcome), and what waits, for `/metrics`.
#[derive(Default)]
struct Stats {
    outcomes: Mutex<BTreeMap<(&'static str, &'static str, &'static str), u64>>,
    pending: AtomicI64,
    oldest_age: AtomicI64,
}

impl Delivery {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        cipher: KeyCipher,
        sms: Arc<dyn MessageSender>,
        email: Arc<dyn MessageSender>,
        events: Arc<dyn MessageSender>,
        tracer: Tracer,
    ) -> Arc<Self> {
        Arc::new(Self {
            store,
            clock,
            cipher,
            sms,
            email,
            events,
            // Not from the random generator: its first use costs the cold start ~40 ms of
            // seeding, and a lease owner needs to be unique, not secret.
            worker: format!("node_{}", crate::request_id::this_process()),
            wake: Notify::new(),
            permits: Arc::new(Semaphore::new(CONCURRENCY)),
            stats: Stats::default(),
            tracer,
        })
    }

    /// The tracer this node's spans go to (the requests' too: `AppState` shares it).
    pub fn tracer(&self) -> &Tracer {
        &self.tracer
    }

    fn provider(&self, channel: Channel) -> &Arc<dyn MessageSender> {
        match channel {
            Channel::Sms => &self.sms,
            Channel::Email => &self.email,
            Channel::Event => &self.events,
        }
    }

    /// Queues `message`, with the one-time code it carries in the same transaction, to be
    /// delivered within `ttl` seconds or given up on. Returns once it is stored, not sent.
    pub async fn send(
        &self,
        message: &Message,
        otp: Option<&Otp>,
        ttl: i64,
    ) -> Result<(), StoreError> {
        self.queue(message, otp, ttl, None).await
    }

    /// Queues `message` to go out after the earlier messages queued with the same
    /// `ordering_key` are delivered or given up on (an account's events, per subscriber).
    pub async fn send_ordered(
        &self,
        message: &Message,
        ordering_key: String,
        ttl: i64,
    ) -> Result<(), StoreError> {
        self.queue(message, None, ttl, Some(ordering_key)).await
    }

    async fn queue(
        &self,
        message: &Message,
        otp: Option<&Otp>,
        ttl: i64,
        ordering_key: Option<String>,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let local = self.provider(message.channel).is_local();
        let payload = if local {
            Vec::new()
        } else {
            let payload = Payload {
                message: message.clone(),
                traceparent: crate::trace::current().map(|c| c.header()),
            };
            let json =
                serde_json::to_vec(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            self.cipher
                .seal(&json)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
        };
        let queued = QueuedMessage {
            id: format!("msg_{}", random_id()),
            channel: message.channel,
            purpose: message.purpose.clone(),
            payload,
            created_at: now,
            expires_at: now + ttl,
            due_at: if local { now + LOCAL_GRACE } else { now },
            attempts: 0,
            ordering_key,
        };
        self.store.enqueue_message(&queued, otp).await?;
        if local {
            if let Some(m) = self
                .store
                .claim_message(&queued.id, &self.worker, now + LEASE)
                .await?
            {
                self.attempt(m, Some(message)).await;
            }
        } else {
            self.wake.notify_one();
        }
        Ok(())
    }

    /// One try at a claimed message (`known`: the request's own, not read from the row), and
    /// its outcome recorded.
    async fn attempt(&self, m: QueuedMessage, known: Option<&Message>) {
        let provider = self.provider(m.channel).clone();
        let outcome = if self.clock.now() >= m.expires_at {
            MessageOutcome::GaveUp {
                error: "its time ran out before it could be sent".into(),
            }
        } else {
            let known = known.map(|k| (k.clone(), crate::trace::current()));
            match known.or_else(|| self.open(&m)) {
                None if m.payload.is_empty() => MessageOutcome::GaveUp {
                    error: "lost in a crash: a local provider's message is not kept".into(),
                },
                None => MessageOutcome::GaveUp {
                    error: "the stored message cannot be read (was keys.encryption_key changed?)"
                        .into(),
                },
                Some((message, parent)) => match self.send_traced(&m, &message, parent).await {
                    Ok(provider_ref) => MessageOutcome::Delivered { provider_ref },
                    Err(SendError::Refused(error)) => MessageOutcome::GaveUp { error },
                    Err(SendError::Retry(error)) => {
                        let at = self.clock.now() + backoff(m.attempts);
                        if at >= m.expires_at {
                            MessageOutcome::GaveUp { error }
                        } else {
                            MessageOutcome::Retry { at, error }
                        }
                    }
                },
            }
        };
        self.count(provider.name(), m.channel, &outcome);
        let now = self.clock.now();
        match &outcome {
            MessageOutcome::Delivered { .. } => {}
            // Without the recipient or the body: the body carries a code.
            MessageOutcome::Retry { error, .. } => {
                tracing::warn!(id = %m.id, channel = m.channel.as_str(), try_ = m.attempts, %error, "message not delivered yet");
            }
            MessageOutcome::GaveUp { error } => {
                tracing::error!(id = %m.id, channel = m.channel.as_str(), purpose = %m.purpose, %error, "message given up on");
                let event = AuditEvent {
                    at: now,
                    kind: AuditKind::MessageUndelivered.as_str().into(),
                    account_id: None,
                    client_id: None,
                    ip: None,
                    outcome: "failed".into(),
                    detail: Some(format!(
                        "{} {} ({}) after {} tries: {error}",
                        m.channel.as_str(),
                        m.id,
                        m.purpose,
                        m.attempts
                    )),
                };
                if let Err(e) = self.store.audit(&event).await {
                    tracing::error!(error = %e, "audit event not stored");
                }
            }
        }
        match self
            .store
            .finish_message(&m.id, &self.worker, &outcome, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(id = %m.id, "the message's lease ran out during its try")
            }
            Err(e) => tracing::error!(id = %m.id, error = %e, "message outcome not stored"),
        }
    }

    fn count(&self, provider: &'static str, channel: Channel, outcome: &MessageOutcome) {
        let outcome = match outcome {
            MessageOutcome::Delivered { .. } => "delivered",
            MessageOutcome::Retry { .. } => "retried",
            MessageOutcome::GaveUp { .. } => "failed",
        };
        let mut map = match self.stats.outcomes.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        *map.entry((provider, channel.as_str(), outcome))
            .or_default() += 1;
    }

    /// This node's worker: claims due messages and delivers them, until the task is
    /// dropped. Spawned once per process that serves.
    pub async fn run(self: Arc<Self>) {
        let mut polls: u64 = 0;
        loop {
            if polls.is_multiple_of(5) {
                self.measure().await;
            }
            polls += 1;
            loop {
                let now = self.clock.now();
                let batch = match self
                    .store
                    .claim_messages(&self.worker, now, now + LEASE, BATCH)
                    .await
                {
                    Ok(b) => b,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot claim messages");
                        break;
                    }
                };
                let full = batch.len() as i64 == BATCH;
                for m in batch {
                    let Ok(permit) = self.permits.clone().acquire_owned().await else {
                        return;
                    };
                    let me = self.clone();
                    tokio::spawn(async move {
                        me.attempt(m, None).await;
                        drop(permit);
                    });
                }
                if !full {
                    break;
                }
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    async fn measure(&self) {
        if let Ok(depth) = self.store.outbox_depth().await {
            self.stats.pending.store(depth.pending, Ordering::Relaxed);
            let age = depth.oldest.map_or(0, |t| (self.clock.now() - t).max(0));
            self.stats.oldest_age.store(age, Ordering::Relaxed);
        }
    }

    /// Queues the account events given up on since `since` again (or the one event `id`,
    /// whatever its state), for another day of tries; returns how many.
    pub async fn redeliver_events(&self, id: Option<&str>, since: i64) -> Result<u64, StoreError> {
        let now = self.clock.now();
        let n = self
            .store
            .requeue_events(id, since, now, now + crate::app::events::EVENT_TTL)
            .await?;
        self.wake.notify_one();
        Ok(n)
    }

    /// Waits until the tries under way end, or `limit` passed: a graceful shutdown records
    /// what it sent. What was not yet claimed stays queued for the next start or another node.
    pub async fn drain(&self, limit: Duration) {
        let all = u32::try_from(CONCURRENCY).unwrap_or(u32::MAX);
        if tokio::time::timeout(limit, self.permits.acquire_many(all))
            .await
            .is_err()
        {
            tracing::warn!("shutdown before every delivery under way ended");
        }
    }

    /// The delivery metrics in the Prometheus text format.
    pub fn render_metrics(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP connectid_outbox_pending Messages waiting in the outbox (all nodes).\n\
             # TYPE connectid_outbox_pending gauge\n\
             connectid_outbox_pending {}\n\
             # HELP connectid_outbox_oldest_age_seconds Age of the oldest message waiting.\n\
             # TYPE connectid_outbox_oldest_age_seconds gauge\n\
             connectid_outbox_oldest_age_seconds {}\n\
             # HELP connectid_messages_total Tries at delivering a message on this node, by \
             provider, channel and outcome (delivered, retried, failed: given up on).\n\
             # TYPE connectid_messages_total counter",
            self.stats.pending.load(Ordering::Relaxed),
            self.stats.oldest_age.load(Ordering::Relaxed),
        );
        let map = match self.stats.outcomes.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        for ((provider, channel, outcome), n) in map.iter() {
            let _ = writeln!(
                out,
                "connectid_messages_total{{provider=\"{provider}\",channel=\"{channel}\",outcome=\"{outcome}\"}} {n}"
            );
        }
    }
}

/// The wait after try `attempts` failed: 2, 4, 8 … seconds, at most [`MAX_BACKOFF`].
fn backoff(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 6)).unwrap_or(6);
    2_i64.pow(exp).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_a_minute() {
        let waits: Vec<i64> = (1..=8).map(super::backoff).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
