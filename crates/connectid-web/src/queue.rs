//! A delivery queue in front of the network providers (SMS webhook, SMTP): the request that
//! sends a code only hands the message over, and a background task delivers it with the
//! provider's retries.
//!
//! Why: a gateway's latency (and its retries, seconds long) would otherwise be in the answer
//! to "here is my phone number", for a new number as for a known one, and would tell an
//! observer about the gateway and, through whichever paths send, about accounts. It also keeps
//! a slow gateway from holding request tasks. The queue is bounded: when it is full the
//! person is told the code could not be sent (and may try again), never left waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use connectid_core::messages::{Message, MessageSender, SendError};
use tokio::sync::{Notify, Semaphore, mpsc};

/// Hands messages to `inner` from a background task, at most `concurrency` at a time.
pub struct DeliveryQueue {
    tx: mpsc::Sender<Message>,
    pending: Arc<Pending>,
}

/// Messages accepted and not yet delivered (or given up on), for a drain at shutdown.
#[derive(Default)]
struct Pending {
    count: AtomicUsize,
    idle: Notify,
}

impl Pending {
    fn done(&self) {
        if self.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.idle.notify_waiters();
        }
    }
}

impl DeliveryQueue {
    /// Starts the delivery task; must be called inside the Tokio runtime.
    pub fn spawn(inner: Arc<dyn MessageSender>, capacity: usize, concurrency: usize) -> Self {
        let (tx, mut rx) = mpsc::channel::<Message>(capacity.max(1));
        let pending = Arc::new(Pending::default());
        let tracker = pending.clone();
        let permits = Arc::new(Semaphore::new(concurrency.max(1)));
        tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    break;
                };
                let inner = inner.clone();
                let tracker = tracker.clone();
                tokio::spawn(async move {
                    let (channel, purpose) = (message.channel, message.purpose.clone());
                    if let Err(e) = inner.send(message).await {
                        // Without the recipient or the body: the body carries a code.
                        tracing::error!(?channel, %purpose, error = %e, "message not delivered");
                    }
                    drop(permit);
                    tracker.done();
                });
            }
        });
        Self { tx, pending }
    }

    /// Waits until every accepted message was delivered or given up on, or `limit` passed:
    /// a graceful shutdown sends what it promised.
    pub async fn drain(&self, limit: Duration) {
        let wait = async {
            loop {
                let idle = self.pending.idle.notified();
                if self.pending.count.load(Ordering::Acquire) == 0 {
                    return;
                }
                idle.await;
            }
        };
        if tokio::time::timeout(limit, wait).await.is_err() {
            tracing::warn!(
                left = self.pending.count.load(Ordering::Acquire),
                "shutdown before every message was delivered"
            );
        }
    }
}

#[async_trait::async_trait]
impl MessageSender for DeliveryQueue {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        self.pending.count.fetch_add(1, Ordering::AcqRel);
        self.tx.try_send(message).map_err(|e| {
            self.pending.done();
            let why = match e {
                mpsc::error::TrySendError::Full(_) => "the delivery queue is full",
                mpsc::error::TrySendError::Closed(_) => "the delivery task has stopped",
            };
            tracing::warn!(why, "message refused");
            SendError(why.into())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connectid_core::messages::Channel;
    use tokio::sync::Mutex;

    /// Holds every delivery until the test opens the gate.
    struct Gated {
        gate: Arc<Semaphore>,
        delivered: Mutex<Vec<String>>,
    }

    #[async_trait::async_trait]
    impl MessageSender for Gated {
        async fn send(&self, m: Message) -> Result<(), SendError> {
            let _p = self
                .gate
                .acquire()
                .await
                .map_err(|e| SendError(e.to_string()))?;
            self.delivered.lock().await.push(m.to);
            Ok(())
        }
    }

    fn message(to: &str) -> Message {
        Message {
            at: "2026-12-01T00:00:00Z".into(),
            channel: Channel::Sms,
            to: to.into(),
            subject: None,
            body: "code".into(),
            purpose: "signin".into(),
        }
    }

    #[tokio::test]
    async fn send_returns_before_delivery_and_drain_waits_for_it() {
        let gated = Arc::new(Gated {
            gate: Arc::new(Semaphore::new(0)),
            delivered: Mutex::default(),
        });
        let q = DeliveryQueue::spawn(gated.clone(), 8, 2);
        // Both return although nothing can be delivered yet.
        q.send(message("+4790000001")).await.unwrap();
        q.send(message("+4790000002")).await.unwrap();
        assert!(gated.delivered.lock().await.is_empty());
        gated.gate.add_permits(2);
        q.drain(Duration::from_secs(10)).await;
        let mut got = gated.delivered.lock().await.clone();
        got.sort();
        assert_eq!(got, ["+4790000001", "+4790000002"]);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_at_once() {
        let gated = Arc::new(Gated {
            gate: Arc::new(Semaphore::new(0)),
            delivered: Mutex::default(),
        });
        let q = DeliveryQueue::spawn(gated.clone(), 1, 1);
        let mut refused = 0;
        for i in 0..5 {
            if q.send(message(&format!("+479000000{i}"))).await.is_err() {
                refused += 1;
            }
        }
        // At most one in delivery, one waiting for it and one queued: the rest are refused
        // without waiting.
        assert!(refused >= 2, "{refused} refused");
        gated.gate.add_permits(5);
        q.drain(Duration::from_secs(10)).await;
        assert_eq!(gated.delivered.lock().await.len(), 5 - refused);
    }
}
