//! An SMS gateway for the `webhook` provider, on a listener of its own: closed, it answers
//! 503 to every try (down, or failing); open, it takes each message and answers 200. It keeps
//! what it took with the `webhook-id` each came with, so a test can count deliveries.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;

use super::serve_app;

#[derive(Default)]
struct Seen {
    open: AtomicBool,
    tries: AtomicUsize,
    taken: Mutex<Vec<(String, Value)>>,
}

pub struct Gateway {
    base: String,
    seen: Arc<Seen>,
}

impl Gateway {
    /// A gateway that is closed until [`Gateway::open`].
    pub async fn start() -> Self {
        let seen = Arc::new(Seen::default());
        let state = seen.clone();
        let app = Router::new().route(
            "/sms",
            post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let seen = state.clone();
                async move {
                    seen.tries.fetch_add(1, Ordering::SeqCst);
                    if !seen.open.load(Ordering::SeqCst) {
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    let id = headers["webhook-id"].to_str().unwrap().to_string();
                    let message: Value = serde_json::from_slice(&body).unwrap();
                    seen.taken.lock().unwrap().push((id, message));
                    StatusCode::OK
                }
            }),
        );
        Self {
            base: serve_app(app).await,
            seen,
        }
    }

    /// The `[sms]` section that sends through this gateway.
    pub fn sms_config(&self) -> String {
        format!(
            "[sms]\nprovider = \"webhook\"\nwebhook_url = \"{}/sms\"\n\
             webhook_secret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n",
            self.base
        )
    }

    pub fn open(&self) {
        self.seen.open.store(true, Ordering::SeqCst);
    }

    /// Every try, taken or not.
    pub fn tries(&self) -> usize {
        self.seen.tries.load(Ordering::SeqCst)
    }

    /// What it took: `(webhook-id, message)`, in order.
    pub fn taken(&self) -> Vec<(String, Value)> {
        self.seen.taken.lock().unwrap().clone()
    }

    /// Waits until it took `n` messages (the timeout only stops a hang), then a little
    /// longer, so a message delivered twice would show.
    pub async fn wait_for(&self, n: usize) -> Vec<(String, Value)> {
        for _ in 0..600 {
            if self.taken().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        self.taken()
    }
}

/// The six-digit code in a message's body.
pub fn code_in(message: &Value) -> String {
    let body = message["body"].as_str().unwrap();
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_string()
}
