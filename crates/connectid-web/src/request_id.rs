//! A request id on every request: taken from `X-Request-Id` when one of the operator's
//! reverse proxies (`[http] forwarded_proxies`) sent it, so one id follows a request
//! through the proxy's logs and ours; made here otherwise. It is in the answer's
//! `X-Request-Id`, in the tracing span every log line of the request carries, and on error
//! pages ("Reference: …"), so a person's screenshot leads to the log lines.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::HeaderMap;

use crate::net::Cidr;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered (none outside a request: the CLI, start-up).
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `f` as the request `id`.
pub async fn scope<F: std::future::Future>(id: String, f: F) -> F::Output {
    REQUEST_ID.scope(id, f).await
}

/// The proxy's id when a trusted proxy gave a plain one, else a new one.
pub fn choose(headers: &HeaderMap, peer: Option<IpAddr>, proxies: &[Cidr]) -> String {
    let trusted = peer.is_some_and(|p| proxies.iter().any(|c| c.contains(p)));
    if trusted
        && let Some(given) = headers.get(HEADER).and_then(|v| v.to_str().ok())
        && plain(given)
    {
        return given.to_string();
    }
    made_here()
}

/// This process's prefix (start time and process id) and a counter: unique across nodes and
/// restarts for the logs' purposes, and cheap. Not from the random generator: an id need not
/// be secret, and the generator's first use costs the cold start ~20 ms of seeding.
fn made_here() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{:x}",
        this_process(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// This process among the deployment's nodes: its start time (nanoseconds) and process id,
/// without the random generator, for the same reason as above (the outbox's lease owner).
pub fn this_process() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("{:x}{:x}", nanos & 0xffff_ffff_ffff, std::process::id())
    })
}

/// Short and of safe characters: it goes into logs and a header as it is.
fn plain(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_proxy_names_the_request() {
        let proxies: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap()];
        let mut h = HeaderMap::new();
        h.insert(HEADER, "edge-42".parse().unwrap());
        let proxy = Some("10.1.2.3".parse().unwrap());
        let stranger = Some("203.0.113.9".parse().unwrap());
        assert_eq!(choose(&h, proxy, &proxies), "edge-42");
        assert_ne!(choose(&h, stranger, &proxies), "edge-42");
        assert_ne!(choose(&h, None, &proxies), "edge-42");
        h.insert(HEADER, "a b\"<script>".parse().unwrap());
        assert_ne!(choose(&h, proxy, &proxies), "a b\"<script>");
        let made = choose(&HeaderMap::new(), proxy, &proxies);
        assert!(plain(&made), "{made}");
        assert_ne!(made, choose(&HeaderMap::new(), proxy, &proxies));
    }
}
