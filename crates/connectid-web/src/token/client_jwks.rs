//! Clients' public keys fetched from their registered `jwks_uri`, for `private_key_jwt`.
//!
//! A key set is kept for [`TTL`] seconds. An assertion whose `kid` the cached set does not
//! know triggers one refetch (the client may have rotated its keys), but at most one per
//! [`MIN_REFETCH`] seconds per URI: anyone can send an assertion naming a client, and random
//! kids must not turn connectid into a request amplifier against the client's server.
//! Answers are bounded in size and time. A failed fetch is remembered for [`MIN_REFETCH`]
//! seconds too: forged assertions against a client whose `jwks_uri` is down must not each
//! cost an outbound request (security review, finding 11).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// How long a fetched key set is used without asking again.
pub const TTL: i64 = 300;
/// The least time between two fetches of one URI caused by unknown kids.
pub const MIN_REFETCH: i64 = 30;
/// The largest key set accepted, in bytes.
pub const MAX_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("no HTTP client is available")]
    NoClient,
    #[error("request failed: {0}")]
    Request(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the key set is larger than {MAX_BYTES} bytes")]
    TooLarge,
    #[error("the answer is not a JWK set")]
    NotAJwkSet,
    #[error("the last fetch failed less than {MIN_REFETCH} seconds ago")]
    RecentlyFailed,
}

struct Entry {
    keys: Arc<Vec<Value>>,
    fetched_at: i64,
    /// The fetch at `fetched_at` failed; `keys` is empty.
    failed: bool,
}

/// The cache, shared by every request on this node.
#[derive(Default)]
pub struct ClientJwks {
    entries: Mutex<HashMap<String, Entry>>,
}

/// What to do for one lookup, decided under the lock, acted on outside it.
enum Plan {
    Use(Arc<Vec<Value>>),
    Fetch,
    Failed,
}

impl ClientJwks {
    /// The keys published at `uri`, fresh enough for an assertion signed with key `kid`.
    pub async fn keys(
        &self,
        http: Option<&reqwest::Client>,
        uri: &str,
        kid: Option<&str>,
        now: i64,
    ) -> Result<Arc<Vec<Value>>, JwksError> {
        match self.plan(uri, kid, now) {
            Plan::Use(keys) => Ok(keys),
            Plan::Failed => Err(JwksError::RecentlyFailed),
            Plan::Fetch => {
                let fetched = fetch(http.ok_or(JwksError::NoClient)?, uri).await;
                let (keys, failed) = match &fetched {
                    Ok(k) => (Arc::new(k.clone()), false),
                    Err(_) => (Arc::new(Vec::new()), true),
                };
                self.lock().insert(
                    uri.to_string(),
                    Entry {
                        keys: keys.clone(),
                        fetched_at: now,
                        failed,
                    },
                );
                fetched.map(|_| keys)
            }
        }
    }

    /// Whether a lookup now would go out to `uri`: the caller checks its rate limit first.
    pub fn would_fetch(&self, uri: &str, kid: Option<&str>, now: i64) -> bool {
        matches!(self.plan(uri, kid, now), Plan::Fetch)
    }

    fn plan(&self, uri: &str, kid: Option<&str>, now: i64) -> Plan {
        let entries = self.lock();
        let Some(e) = entries.get(uri) else {
            return Plan::Fetch;
        };
        let age = now - e.fetched_at;
        if e.failed {
            return if (0..MIN_REFETCH).contains(&age) {
                Plan::Failed
            } else {
                Plan::Fetch
            };
        }
        if !(0..TTL).contains(&age) {
            return Plan::Fetch;
        }
        let known = kid.is_none_or(|kid| {
            e.keys
                .iter()
                .any(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
        });
        if known || age < MIN_REFETCH {
            Plan::Use(e.keys.clone())
        } else {
            Plan::Fetch
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock cannot leave the map half-written.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

async fn fetch(http: &reqwest::Client, uri: &str) -> Result<Vec<Value>, JwksError> {
    // Without the URL: a jwks_uri may carry a token in its query.
    let request = |e: reqwest::Error| JwksError::Request(e.without_url().to_string());
    let mut resp = http
        .get(uri)
        .header(
            reqwest::header::ACCEPT,
            "application/jwk-set+json, application/json",
        )
        .send()
        .await
        .map_err(request)?;
    if !resp.status().is_success() {
        return Err(JwksError::Status(resp.status().as_u16()));
    }
    if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(JwksError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(request)? {
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(JwksError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let set: Value = serde_json::from_slice(&body).map_err(|_| JwksError::NotAJwkSet)?;
    match set.get("keys") {
        Some(Value::Array(keys)) => Ok(keys.clone()),
        _ => Err(JwksError::NotAJwkSet),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::routing::get;
    use serde_json::json;

    use super::*;

    /// A client's JWKS server: serves whatever `keys` holds and counts requests.
    struct Served {
        uri: String,
        hits: Arc<AtomicUsize>,
        keys: Arc<Mutex<Value>>,
    }

    async fn serve(body: Value) -> Served {
        let hits = Arc::new(AtomicUsize::new(0));
        let keys = Arc::new(Mutex::new(body));
        let (h, k) = (hits.clone(), keys.clone());
        let app = Router::new().route(
            "/jwks",
            get(move || {
                let (h, k) = (h.clone(), k.clone());
                async move {
                    h.fetch_add(1, Ordering::SeqCst);
                    let v = k.lock().unwrap().clone();
                    axum::Json(v)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Served {
            uri: format!("http://{addr}/jwks"),
            hits,
            keys,
        }
    }

    fn set(kids: &[&str]) -> Value {
        json!({"keys": kids.iter().map(|k| json!({"kty":"OKP","kid":k})).collect::<Vec<_>>()})
    }

    fn kids(keys: &[Value]) -> Vec<&str> {
        keys.iter().filter_map(|k| k["kid"].as_str()).collect()
    }

    /// Finding 11: forty forged assertions against a failing jwks_uri made forty fetches.
    #[tokio::test]
    async fn a_failing_uri_is_asked_once_per_min_refetch() {
        let s = serve(json!({"not": "a key set"})).await;
        let http = reqwest::Client::new();
        let cache = ClientJwks::default();
        for i in 0..40 {
            assert!(
                cache
                    .keys(Some(&http), &s.uri, Some(&format!("k{i}")), 1000 + i / 4)
                    .await
                    .is_err()
            );
        }
        assert_eq!(s.hits.load(Ordering::SeqCst), 1);
        assert!(!cache.would_fetch(&s.uri, None, 1000 + MIN_REFETCH - 1));
        assert!(cache.would_fetch(&s.uri, None, 1000 + MIN_REFETCH));
        *s.keys.lock().unwrap() = set(&["a"]);
        let k = cache
            .keys(Some(&http), &s.uri, Some("a"), 1000 + MIN_REFETCH)
            .await
            .unwrap();
        assert_eq!(kids(&k), ["a"]);
        assert_eq!(s.hits.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn caches_refetches_on_a_new_kid_and_bounds_refetches() {
        let s = serve(set(&["a"])).await;
        let http = reqwest::Client::new();
        let cache = ClientJwks::default();
        let k = cache
            .keys(Some(&http), &s.uri, Some("a"), 1000)
            .await
            .unwrap();
        assert_eq!(kids(&k), ["a"]);
        cache
            .keys(Some(&http), &s.uri, Some("a"), 1001)
            .await
            .unwrap();
        cache.keys(Some(&http), &s.uri, None, 1002).await.unwrap();
        assert_eq!(s.hits.load(Ordering::SeqCst), 1, "cached");

        // The client rotates to "b": an unknown kid refetches, once the last fetch is not
        // too recent.
        *s.keys.lock().unwrap() = set(&["b"]);
        let k = cache
            .keys(Some(&http), &s.uri, Some("b"), 1010)
            .await
            .unwrap();
        assert_eq!(kids(&k), ["a"], "too soon after the last fetch");
        assert_eq!(s.hits.load(Ordering::SeqCst), 1);
        let k = cache
            .keys(Some(&http), &s.uri, Some("b"), 1000 + MIN_REFETCH)
            .await
            .unwrap();
        assert_eq!(kids(&k), ["b"]);
        assert_eq!(s.hits.load(Ordering::SeqCst), 2);

        // Random kids cannot make it fetch again and again.
        for (i, now) in (1031..1040).enumerate() {
            let kid = format!("random{i}");
            cache
                .keys(Some(&http), &s.uri, Some(&kid), now)
                .await
                .unwrap();
        }
        assert_eq!(s.hits.load(Ordering::SeqCst), 2);

        // After the TTL, a known kid refetches too.
        cache
            .keys(Some(&http), &s.uri, Some("b"), 1030 + TTL)
            .await
            .unwrap();
        assert_eq!(s.hits.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn refuses_what_is_not_a_small_jwk_set() {
        let http = reqwest::Client::new();
        let cache = ClientJwks::default();
        let big = serve(json!({"keys": [{"kid": "x".repeat(MAX_BYTES)}]})).await;
        assert!(matches!(
            cache.keys(Some(&http), &big.uri, None, 0).await,
            Err(JwksError::TooLarge)
        ));
        let odd = serve(json!({"nokeys": []})).await;
        assert!(matches!(
            cache.keys(Some(&http), &odd.uri, None, 0).await,
            Err(JwksError::NotAJwkSet)
        ));
        let missing = format!("{}/nothing", odd.uri);
        assert!(matches!(
            cache.keys(Some(&http), &missing, None, 0).await,
            Err(JwksError::Status(404))
        ));
        // A failure is remembered: the same URI is not asked again at once.
        assert!(matches!(
            cache.keys(Some(&http), &odd.uri, None, 1).await,
            Err(JwksError::RecentlyFailed)
        ));
        assert!(matches!(
            ClientJwks::default().keys(None, &odd.uri, None, 0).await,
            Err(JwksError::NoClient)
        ));
    }
}
