//! Traces: the W3C trace context (`traceparent`) of each request, and OpenTelemetry spans
//! exported over OTLP/HTTP with its JSON encoding when `[telemetry] otlp_endpoint` is set.
//!
//! Every request becomes a server span: a child of the caller's span when it sent a valid
//! `traceparent`, else the root of a new trace. A message carries its request's context
//! through the outbox (`delivery.rs`), so the gateway call, made later by whichever node's
//! worker, is a client span of the same trace and sends `traceparent` on (webhook header,
//! SMTP header). The OpenTelemetry SDK crates would bring gRPC and protobuf for what is a
//! JSON post of a few fields; this is the few fields.
//!
//! Spans go through a bounded queue to one exporter task that posts a batch every two seconds
//! (or at 512 spans). A full queue or an unreachable collector drops spans, counted, and never
//! slows a request.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use connectid_core::crypto::{hex, random_bytes};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Where a span sits in its trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceContext {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
}

impl TraceContext {
    /// A `traceparent` header's context; `None` for anything the W3C format refuses (then
    /// the request starts a trace of its own).
    pub fn parse(header: &str) -> Option<Self> {
        let mut parts = header.trim().split('-');
        let (version, trace, span, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        // Version 00 has exactly four parts; a later version may add more after them.
        if version.len() != 2 || version == "ff" || (version == "00" && parts.next().is_some()) {
            return None;
        }
        let _ = (from_hex::<1>(version)?, from_hex::<1>(flags)?);
        let trace_id = from_hex::<16>(trace)?;
        let span_id = from_hex::<8>(span)?;
        (trace_id != [0; 16] && span_id != [0; 8]).then_some(Self { trace_id, span_id })
    }

    /// The first span of a new trace.
    pub fn root() -> Self {
        Self {
            trace_id: random_bytes(),
            span_id: random_bytes(),
        }
    }

    /// A new span of the same trace (its parent is `self`).
    pub fn child(&self) -> Self {
        Self {
            trace_id: self.trace_id,
            span_id: random_bytes(),
        }
    }

    /// The `traceparent` value naming this span (sampled: connectid records every span).
    pub fn header(&self) -> String {
        format!("00-{}-{}-01", hex(&self.trace_id), hex(&self.span_id))
    }
}

/// Lowercase hexadecimal of exactly `N` bytes, as the W3C format requires.
fn from_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

tokio::task_local! {
    static CURRENT: TraceContext;
}

/// The span being run (none outside a traced request or delivery).
pub fn current() -> Option<TraceContext> {
    CURRENT.try_with(|c| *c).ok()
}

/// Runs `f` as the span `ctx`.
pub async fn scope<F: std::future::Future>(ctx: TraceContext, f: F) -> F::Output {
    CURRENT.scope(ctx, f).await
}

/// OTLP's span kinds used here.
#[derive(Clone, Copy)]
pub enum Kind {
    Server = 2,
    Client = 3,
}

/// One finished span.
pub struct Span {
    pub ctx: TraceContext,
    pub parent: Option<[u8; 8]>,
    pub name: String,
    pub kind: Kind,
    pub start: SystemTime,
    pub end: SystemTime,
    pub attributes: Vec<(&'static str, Value)>,
    pub error: bool,
}

/// Hands finished spans to the exporter; a no-op when no collector is configured.
#[derive(Clone, Default)]
pub struct Tracer(Option<Arc<Exporter>>);

struct Exporter {
    queue: mpsc::Sender<Span>,
    dropped: AtomicU64,
}

const QUEUE: usize = 4096;
const BATCH: usize = 512;
const EVERY: Duration = Duration::from_secs(2);

impl Tracer {
    /// Exports to the collector at `endpoint` (its base URL, e.g. `http://otel:4318`, or the
    /// full `/v1/traces` URL). Must be called on the runtime: it starts the exporter task.
    pub fn otlp(endpoint: &str, service: &str) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .build()?;
        let base = endpoint.trim_end_matches('/');
        let url = if base.ends_with("/v1/traces") {
            base.to_string()
        } else {
            format!("{base}/v1/traces")
        };
        let (queue, rx) = mpsc::channel(QUEUE);
        let exporter = Arc::new(Exporter {
            queue,
            dropped: AtomicU64::new(0),
        });
        tokio::spawn(export(rx, url, service.to_string(), http, exporter.clone()));
        Ok(Self(Some(exporter)))
    }

    pub fn enabled(&self) -> bool {
        self.0.is_some()
    }

    pub fn record(&self, span: Span) {
        if let Some(e) = &self.0
            && e.queue.try_send(span).is_err()
        {
            e.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The exporter task: batches, posts, and says (once a minute at most) when spans are lost.
async fn export(
    mut rx: mpsc::Receiver<Span>,
    url: String,
    service: String,
    http: reqwest::Client,
    exporter: Arc<Exporter>,
) {
    let mut last_warning: Option<std::time::Instant> = None;
    loop {
        let Some(first) = rx.recv().await else { return };
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + EVERY;
        while batch.len() < BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(span)) => batch.push(span),
                Ok(None) | Err(_) => break,
            }
        }
        let n = batch.len() as u64;
        let sent = http
            .post(&url)
            .timeout(Duration::from_secs(10))
            .json(&otlp_json(&service, &batch))
            .send()
            .await;
        let failed = match sent {
            Ok(r) if r.status().is_success() => None,
            Ok(r) => Some(format!("the collector answered {}", r.status())),
            Err(e) => Some(e.without_url().to_string()),
        };
        if let Some(error) = failed {
            exporter.dropped.fetch_add(n, Ordering::Relaxed);
            if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                last_warning = Some(std::time::Instant::now());
                let dropped = exporter.dropped.load(Ordering::Relaxed);
                tracing::warn!(%error, dropped, "trace spans not exported");
            }
        }
    }
}

fn nanos(t: SystemTime) -> String {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .to_string()
}

/// The OTLP/JSON body of an export request: ids in hexadecimal, 64-bit numbers as strings,
/// as the OTLP specification's JSON encoding says.
fn otlp_json(service: &str, spans: &[Span]) -> Value {
    let spans: Vec<Value> = spans
        .iter()
        .map(|s| {
            let attributes: Vec<Value> = s
                .attributes
                .iter()
                .map(|(k, v)| json!({"key": k, "value": any_value(v)}))
                .collect();
            let mut span = json!({
                "traceId": hex(&s.ctx.trace_id),
                "spanId": hex(&s.ctx.span_id),
                "name": s.name,
                "kind": s.kind as u8,
                "startTimeUnixNano": nanos(s.start),
                "endTimeUnixNano": nanos(s.end),
                "attributes": attributes,
                "status": {"code": if s.error { 2 } else { 0 }},
            });
            if let Some(p) = s.parent {
                span["parentSpanId"] = json!(hex(&p));
            }
            span
        })
        .collect();
    json!({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
        "scopeSpans": [{"scope": {"name": "connectid", "version": env!("CARGO_PKG_VERSION")}, "spans": spans}]
    }]})
}

fn any_value(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => json!({"intValue": n.to_string()}),
        Value::Number(n) => json!({"doubleValue": n.as_f64()}),
        Value::Bool(b) => json!({"boolValue": b}),
        Value::String(s) => json!({"stringValue": s}),
        other => json!({"stringValue": other.to_string()}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_round_trips_and_bad_ones_are_refused() {
        let h = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let c = TraceContext::parse(h).unwrap();
        assert_eq!(hex(&c.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(c.header(), h);
        let child = c.child();
        assert_eq!(child.trace_id, c.trace_id);
        assert_ne!(child.span_id, c.span_id);
        // A later version may carry more; its first four parts are read.
        assert!(TraceContext::parse(&format!("01{}-extra", &h[2..])).is_some());
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz",
            "00-4bf92f3577b34da6a3ce929d0e0e47é6-00f067aa0ba902b7-01",
        ] {
            assert!(TraceContext::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_export_body_follows_otlp_json() {
        let ctx =
            TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap();
        let span = Span {
            ctx: ctx.child(),
            parent: Some(ctx.span_id),
            name: "GET /authorize".into(),
            kind: Kind::Server,
            start: UNIX_EPOCH + Duration::from_nanos(1_000),
            end: UNIX_EPOCH + Duration::from_nanos(2_500),
            attributes: vec![("http.response.status_code", json!(302))],
            error: false,
        };
        let body = otlp_json("connectid", &[span]);
        let s = &body["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
        assert_eq!(s["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(s["parentSpanId"], "00f067aa0ba902b7");
        assert_eq!(s["kind"], 2);
        assert_eq!(s["startTimeUnixNano"], "1000");
        assert_eq!(s["endTimeUnixNano"], "2500");
        assert_eq!(s["attributes"][0]["value"]["intValue"], "302");
        assert_eq!(
            body["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"],
            "connectid"
        );
    }
}
