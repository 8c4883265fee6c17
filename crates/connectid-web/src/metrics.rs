//! Prometheus metrics at `/metrics` (text format 0.0.4): requests and latencies per route, the
//! sign-in funnel per client (the conversion the product is judged by: how many who start a
//! sign-in finish it, and how many never see a page thanks to SSO), tokens issued per grant,
//! and the process's memory.
//!
//! Counters are atomics behind maps keyed by route template and client id, so their number is
//! bounded by the routes and the registered clients, never by what a request sends. Every node
//! counts its own; Prometheus adds them up.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::GrantType;
use connectid_core::crypto::constant_time_eq;
use connectid_core::fraud::Rule;

use crate::state::AppState;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// A step of the sign-in funnel, in the order a person goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The first sign-in page was made for an authorization request.
    Started,
    /// The person gave a phone or email we accepted (or the network told us the phone).
    Identified,
    /// A one-time code went out.
    CodeSent,
    /// A one-time code was entered right.
    Verified,
    /// The operator's network proved the number instead of a code (CAMARA): an SMS saved.
    NetworkVerified,
    /// An authorization code went back to the client: the sign-in succeeded.
    Completed,
    /// The request was answered from the SSO session, with no page at all.
    SsoHit,
}

impl Stage {
    const ALL: [Stage; 7] = [
        Stage::Started,
        Stage::Identified,
        Stage::CodeSent,
        Stage::Verified,
        Stage::NetworkVerified,
        Stage::Completed,
        Stage::SsoHit,
    ];
    fn name(self) -> &'static str {
        match self {
            Stage::Started => "started",
            Stage::Identified => "identified",
            Stage::CodeSent => "code_sent",
            Stage::Verified => "verified",
            Stage::NetworkVerified => "network_verified",
            Stage::Completed => "completed",
            Stage::SsoHit => "sso_hit",
        }
    }
}

#[derive(Default)]
struct RouteStats {
    /// By status class: 1xx … 5xx.
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; BUCKETS.len()],
    sum_micros: AtomicU64,
}

#[derive(Default)]
struct Funnel([AtomicU64; Stage::ALL.len()]);

const GRANTS: [(GrantType, &str); 4] = [
    (GrantType::AuthorizationCode, "authorization_code"),
    (GrantType::RefreshToken, "refresh_token"),
    (GrantType::ClientCredentials, "client_credentials"),
    (GrantType::TokenExchange, "token_exchange"),
];

/// This node's counters.
#[derive(Default)]
pub struct Metrics {
    routes: RwLock<HashMap<Box<str>, Arc<RouteStats>>>,
    funnel: RwLock<HashMap<Box<str>, Arc<Funnel>>>,
    tokens: [AtomicU64; GRANTS.len()],
    sms_refused: [AtomicU64; SMS_REFUSALS.len()],
    /// Tripped fraud rules, by what was done ([`FRAUD_OUTCOMES`]).
    fraud: [[AtomicU64; FRAUD_OUTCOMES.len()]; Rule::ALL.len()],
    /// Numbers the operator's network was asked to prove, by [`NUMBER_VERIFICATION`] outcome.
    number_verification: [AtomicU64; NUMBER_VERIFICATION.len()],
    started_at: AtomicU64,
}

/// How a CAMARA Number Verification ended (`verified` is an SMS not sent).
pub const NUMBER_VERIFICATION: [&str; 3] = ["verified", "not_verified", "failed"];

/// What was done about a tripped fraud rule, as `connectid_sms_fraud_total` labels it.
pub const FRAUD_OUTCOMES: [&str; 4] = ["observed", "challenged", "challenge_passed", "refused"];

/// Why an SMS was not sent, as `connectid_sms_refused_total` labels it.
pub const SMS_REFUSALS: [&str; 4] = ["country", "number_type", "budget", "fraud"];

/// The entry for `key`, made on first use; a read lock on every later call.
fn entry<T: Default>(map: &RwLock<HashMap<Box<str>, Arc<T>>>, key: &str) -> Arc<T> {
    if let Ok(m) = map.read()
        && let Some(v) = m.get(key)
    {
        return v.clone();
    }
    let mut m = match map.write() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    m.entry(key.into()).or_default().clone()
}

impl Metrics {
    pub fn new(started_at: i64) -> Self {
        let m = Self::default();
        m.started_at
            .store(u64::try_from(started_at).unwrap_or(0), Ordering::Relaxed);
        m
    }

    /// One answered request: `route` is the matched route template, never the raw path.
    pub fn request(&self, route: &str, status: StatusCode, elapsed: Duration) {
        let s = entry(&self.routes, route);
        let class = usize::from(status.as_u16() / 100).clamp(1, 5) - 1;
        s.by_class[class].fetch_add(1, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            s.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        s.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// One person reached `stage` of a sign-in to `client_id` (a registered client).
    pub fn funnel(&self, client_id: &str, stage: Stage) {
        let i = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
        entry(&self.funnel, client_id).0[i].fetch_add(1, Ordering::Relaxed);
    }

    /// An SMS not sent: `reason` is one of [`SMS_REFUSALS`].
    pub fn sms_refused(&self, reason: &str) {
        if let Some(i) = SMS_REFUSALS.iter().position(|r| *r == reason) {
            self.sms_refused[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A fraud rule tripped, and `outcome` (one of [`FRAUD_OUTCOMES`]) was done about it.
    pub fn fraud(&self, rule: Rule, outcome: &str) {
        if let Some(i) = Rule::ALL.iter().position(|r| *r == rule)
            && let Some(j) = FRAUD_OUTCOMES.iter().position(|o| *o == outcome)
        {
            self.fraud[i][j].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A number the operator's network was asked about: `outcome` in [`NUMBER_VERIFICATION`].
    pub fn number_verification(&self, outcome: &str) {
        if let Some(i) = NUMBER_VERIFICATION.iter().position(|o| *o == outcome) {
            self.number_verification[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn token_issued(&self, grant: GrantType) {
        if let Some(i) = GRANTS.iter().position(|(g, _)| *g == grant) {
            self.tokens[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        let routes = snapshot(&self.routes);
        let _ = writeln!(
            out,
            "# HELP connectid_http_requests_total HTTP requests answered, by route template and status class.\n\
             # TYPE connectid_http_requests_total counter"
        );
        for (route, s) in &routes {
            for (i, n) in s.by_class.iter().enumerate() {
                let n = n.load(Ordering::Relaxed);
                if n > 0 {
                    let _ = writeln!(
                        out,
                        "connectid_http_requests_total{{route=\"{}\",status=\"{}xx\"}} {n}",
                        escape(route),
                        i + 1
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "# HELP connectid_http_request_duration_seconds Time to answer a request, by route template.\n\
             # TYPE connectid_http_request_duration_seconds histogram"
        );
        for (route, s) in &routes {
            let route = escape(route);
            let mut cumulative = 0;
            for (b, n) in BUCKETS.iter().zip(&s.buckets) {
                cumulative += n.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "connectid_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {cumulative}"
                );
            }
            let count: u64 = s.by_class.iter().map(|n| n.load(Ordering::Relaxed)).sum();
            let sum = s.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "connectid_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}\n\
                 connectid_http_request_duration_seconds_sum{{route=\"{route}\"}} {sum}\n\
                 connectid_http_request_duration_seconds_count{{route=\"{route}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP connectid_signin_funnel_total People reaching each step of a sign-in, by client.\n\
             # TYPE connectid_signin_funnel_total counter"
        );
        for (client, f) in snapshot(&self.funnel) {
            let client = escape(&client);
            for (stage, n) in Stage::ALL.iter().zip(&f.0) {
                let _ = writeln!(
                    out,
                    "connectid_signin_funnel_total{{client_id=\"{client}\",stage=\"{}\"}} {}",
                    stage.name(),
                    n.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP connectid_tokens_issued_total Successful token responses, by grant type.\n\
             # TYPE connectid_tokens_issued_total counter"
        );
        for ((_, name), n) in GRANTS.iter().zip(&self.tokens) {
            let _ = writeln!(
                out,
                "connectid_tokens_issued_total{{grant_type=\"{name}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP connectid_sms_refused_total SMS not sent: a country or kind of number not \
             allowed, the daily budget spent, or a fraud rule in protect mode.\n\
             # TYPE connectid_sms_refused_total counter"
        );
        for (reason, n) in SMS_REFUSALS.iter().zip(&self.sms_refused) {
            let _ = writeln!(
                out,
                "connectid_sms_refused_total{{reason=\"{reason}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP connectid_sms_fraud_total SMS pumping rules tripped, by rule and by what \
             was done (observed: sent anyway; challenged: the page asked for proof of work; \
             challenge_passed: sent after it; refused).\n\
             # TYPE connectid_sms_fraud_total counter"
        );
        for (rule, n) in Rule::ALL.iter().zip(&self.fraud) {
            for (action, n) in FRAUD_OUTCOMES.iter().zip(n) {
                let _ = writeln!(
                    out,
                    "connectid_sms_fraud_total{{rule=\"{}\",action=\"{action}\"}} {}",
                    rule.as_str(),
                    n.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP connectid_number_verification_total Numbers the operator's network was \
             asked to prove (CAMARA) instead of an SMS: verified (an SMS saved), not_verified \
             and failed (the SMS went out).\n\
             # TYPE connectid_number_verification_total counter"
        );
        for (outcome, n) in NUMBER_VERIFICATION.iter().zip(&self.number_verification) {
            let _ = writeln!(
                out,
                "connectid_number_verification_total{{outcome=\"{outcome}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n\
             # TYPE process_start_time_seconds gauge\n\
             process_start_time_seconds {}",
            self.started_at.load(Ordering::Relaxed)
        );
        if let Some(rss) = resident_bytes() {
            let _ = writeln!(
                out,
                "# HELP process_resident_memory_bytes Resident memory size in bytes.\n\
                 # TYPE process_resident_memory_bytes gauge\n\
                 process_resident_memory_bytes {rss}"
            );
        }
        out
    }
}

/// The entries of `map`, sorted by key, so the exposition is stable between scrapes.
fn snapshot<T>(map: &RwLock<HashMap<Box<str>, Arc<T>>>) -> Vec<(String, Arc<T>)> {
    let m = match map.read() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    let mut v: Vec<(String, Arc<T>)> = m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// A label value as the exposition format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Resident set size from `/proc/self/statm` (Linux; elsewhere the metric is left out).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// `GET /metrics`: open, or behind `Authorization: Bearer <[metrics] token>` when one is set.
pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.settings.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
            let mut r = (StatusCode::UNAUTHORIZED, "a bearer token is needed\n").into_response();
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"metrics\""),
            );
            return r;
        }
    }
    let mut text = state.metrics.render();
    state.delivery.render_metrics(&mut text);
    // Asked at scrape time: an alert on it fires while the database is away, not after.
    let up = u8::from(state.store.ping().await.is_ok());
    let _ = writeln!(
        text,
        "# HELP connectid_database_up Whether this node reaches its database (1) or not (0).\n\
         # TYPE connectid_database_up gauge\n\
         connectid_database_up {up}"
    );
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_the_funnel() {
        let m = Metrics::new(1_700_000_000);
        m.request("/token", StatusCode::OK, Duration::from_micros(700));
        m.request("/token", StatusCode::BAD_REQUEST, Duration::from_millis(30));
        m.funnel("shop", Stage::Started);
        m.funnel("shop", Stage::Started);
        m.funnel("shop", Stage::Completed);
        m.funnel("a\"b", Stage::SsoHit);
        m.token_issued(GrantType::AuthorizationCode);
        let text = m.render();
        for line in [
            "connectid_http_requests_total{route=\"/token\",status=\"2xx\"} 1",
            "connectid_http_requests_total{route=\"/token\",status=\"4xx\"} 1",
            "connectid_http_request_duration_seconds_bucket{route=\"/token\",le=\"0.0005\"} 0",
            "connectid_http_request_duration_seconds_bucket{route=\"/token\",le=\"0.001\"} 1",
            "connectid_http_request_duration_seconds_bucket{route=\"/token\",le=\"0.05\"} 2",
            "connectid_http_request_duration_seconds_bucket{route=\"/token\",le=\"+Inf\"} 2",
            "connectid_http_request_duration_seconds_count{route=\"/token\"} 2",
            "connectid_signin_funnel_total{client_id=\"shop\",stage=\"started\"} 2",
            "connectid_signin_funnel_total{client_id=\"shop\",stage=\"completed\"} 1",
            "connectid_signin_funnel_total{client_id=\"shop\",stage=\"verified\"} 0",
            "connectid_signin_funnel_total{client_id=\"a\\\"b\",stage=\"sso_hit\"} 1",
            "connectid_tokens_issued_total{grant_type=\"authorization_code\"} 1",
            "process_start_time_seconds 1700000000",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
        let sum = text
            .lines()
            .find(|l| l.starts_with("connectid_http_request_duration_seconds_sum"))
            .unwrap();
        assert!(sum.ends_with(" 0.0307"), "{sum}");
    }
}
