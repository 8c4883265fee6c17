//! A client's own endpoints (back-channel logout, keys), each on a listener of its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::routing::post;
use tokio::sync::mpsc;

/// Serves `app` (a client's endpoints: back-channel logout, a `jwks_uri`) on a listener of
/// its own; returns its base URL.
pub async fn serve_app(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// Logout endpoints at `/bc/{name}`, each receiving logout tokens; the one named `flaky`
/// fails its first call. (A command of the CLI blocks its worker while it runs: a test that
/// waits for a token a command sends runs on the multi-threaded runtime.)
pub struct Receiver {
    base: String,
    tokens: mpsc::UnboundedReceiver<(String, String)>,
    calls: Arc<Mutex<HashMap<String, usize>>>,
}

impl Receiver {
    pub async fn start() -> Self {
        let (tx, tokens) = mpsc::unbounded_channel();
        let calls = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
        let counted = calls.clone();
        let app = Router::new().route(
            "/bc/{name}",
            post(
                move |Path(name): Path<String>, Form(form): Form<HashMap<String, String>>| {
                    let n = {
                        let mut c = counted.lock().unwrap();
                        let n = c.entry(name.clone()).or_default();
                        *n += 1;
                        *n
                    };
                    let tx = tx.clone();
                    async move {
                        if name == "flaky" && n == 1 {
                            return StatusCode::SERVICE_UNAVAILABLE;
                        }
                        let token = form.get("logout_token").cloned().unwrap_or_default();
                        let _ = tx.send((name, token));
                        StatusCode::OK
                    }
                },
            ),
        );
        Self {
            base: serve_app(app).await,
            tokens,
            calls,
        }
    }

    /// The endpoint `name`'s URI, for a client's `backchannel_logout_uri`.
    pub fn uri(&self, name: &str) -> String {
        format!("{}/bc/{name}", self.base)
    }

    /// How many times `name` was called.
    pub fn calls(&self, name: &str) -> usize {
        self.calls.lock().unwrap().get(name).copied().unwrap_or(0)
    }

    /// The next logout token to arrive, with the name of its endpoint. The timeout only stops
    /// a hang.
    pub async fn next(&mut self) -> (String, String) {
        self.next_within(Duration::from_secs(60), "no logout token arrived")
            .await
    }

    /// The next logout token, within `limit`; else the test fails saying `missing`.
    pub async fn next_within(&mut self, limit: Duration, missing: &str) -> (String, String) {
        tokio::time::timeout(limit, self.tokens.recv())
            .await
            .expect(missing)
            .unwrap()
    }

    /// The next `n` tokens, by endpoint name.
    pub async fn collect(&mut self, n: usize) -> HashMap<String, Vec<String>> {
        let mut got: HashMap<String, Vec<String>> = HashMap::new();
        for _ in 0..n {
            let (name, token) = self.next().await;
            got.entry(name).or_default().push(token);
        }
        got
    }

    /// Whatever arrived so far, without waiting.
    pub fn try_next(&mut self) -> Option<(String, String)> {
        self.tokens.try_recv().ok()
    }
}
