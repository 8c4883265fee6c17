//! Message providers: the outbox file (JSON lines, for the demo and tests) and the log.

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
    async fn send(&self, message: Message) -> Result<(), SendError> {
        use std::io::Write;
        let mut line = serde_json::to_string(&message).map_err(|e| SendError(e.to_string()))?;
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
        .map_err(|e| SendError(e.to_string()))?
        .map_err(|e| SendError(e.to_string()))
    }
}

/// Writes that a message was sent, without its body (which may carry a code).
pub struct LogSender;

#[async_trait::async_trait]
impl MessageSender for LogSender {
    async fn send(&self, message: Message) -> Result<(), SendError> {
        tracing::info!(channel = ?message.channel, purpose = %message.purpose, "message sent (log provider)");
        Ok(())
    }
}
