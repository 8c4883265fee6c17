//! Traces over OTLP (issue 19, `[telemetry] otlp_endpoint`): each request is a server span,
//! a child of the caller's span when it sent a W3C `traceparent`; a message sent through the
//! outbox is a client span of the sending request's trace, and the gateway receives the
//! `traceparent` that names it. The collector here is an HTTP endpoint taking OTLP/JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use support::*;

#[derive(Default)]
struct Seen {
    spans: Mutex<Vec<Value>>,
    services: Mutex<Vec<Value>>,
    gateway: Mutex<Vec<String>>,
}

async fn collector() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let (a, b) = (seen.clone(), seen.clone());
    let app = Router::new()
        .route(
            "/v1/traces",
            post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let seen = a.clone();
                async move {
                    assert_eq!(headers["content-type"], "application/json");
                    let export: Value = serde_json::from_slice(&body).unwrap();
                    for rs in export["resourceSpans"].as_array().unwrap() {
                        seen.services
                            .lock()
                            .unwrap()
                            .push(rs["resource"]["attributes"][0]["value"]["stringValue"].clone());
                        for ss in rs["scopeSpans"].as_array().unwrap() {
                            let spans = ss["spans"].as_array().unwrap().iter().cloned();
                            seen.spans.lock().unwrap().extend(spans);
                        }
                    }
                    StatusCode::OK
                }
            }),
        )
        .route(
            "/sms",
            post(move |headers: HeaderMap| {
                let seen = b.clone();
                async move {
                    let tp = headers
                        .get("traceparent")
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default();
                    seen.gateway.lock().unwrap().push(tp);
                    StatusCode::OK
                }
            }),
        );
    (serve_app(app).await, seen)
}

/// The first exported span that `pick` accepts, waiting for the exporter's batch.
async fn span(seen: &Seen, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        if let Some(s) = seen.spans.lock().unwrap().iter().find(|s| pick(s)) {
            return s.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no span {what}: {:#?}", seen.spans.lock().unwrap());
}

fn attr(span: &Value, key: &str) -> Value {
    span["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
        .map_or(Value::Null, |a| a["value"].clone())
}

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER: &str = "00f067aa0ba902b7";

#[tokio::test(flavor = "multi_thread")]
async fn requests_and_deliveries_are_spans_of_the_callers_trace() {
    let (base, seen) = collector().await;
    let s = Server::start_with(
        Backend::Sqlite,
        &format!(
            "[telemetry]\notlp_endpoint = \"{base}\"\nservice_name = \"id-test\"\n\
             [sms]\nprovider = \"webhook\"\nwebhook_url = \"{base}/sms\"\n\
             webhook_secret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n"
        ),
    )
    .await;
    let http = reqwest::Client::new();
    let discovery = format!("{}/.well-known/openid-configuration", s.base);

    // A caller's trace is continued: same trace id, the caller's span as parent.
    let r = http
        .get(&discovery)
        .header("traceparent", format!("00-{TRACE}-{CALLER}-01"))
        .send()
        .await
        .unwrap();
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let got = span(&seen, "for discovery", |s| s["traceId"] == TRACE).await;
    assert_eq!(got["parentSpanId"], CALLER);
    assert_ne!(got["spanId"], CALLER);
    assert_eq!(got["name"], "GET /.well-known/openid-configuration");
    assert_eq!(got["kind"], 2);
    assert_eq!(attr(&got, "http.response.status_code")["intValue"], "200");
    assert_eq!(
        attr(&got, "connectid.request_id")["stringValue"],
        request_id
    );
    let (start, end) = (
        got["startTimeUnixNano"]
            .as_str()
            .unwrap()
            .parse::<u128>()
            .unwrap(),
        got["endTimeUnixNano"]
            .as_str()
            .unwrap()
            .parse::<u128>()
            .unwrap(),
    );
    assert!(start > 0 && end >= start, "{got}");
    assert_eq!(seen.services.lock().unwrap()[0], "id-test");

    // A malformed traceparent (upper-case hex) starts a trace of its own.
    let bad = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";
    let r = http
        .get(&discovery)
        .header("traceparent", bad)
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let got = span(&seen, "for the malformed one", |s| {
        attr(s, "connectid.request_id")["stringValue"] == id.as_str()
    })
    .await;
    assert_ne!(got["traceId"], TRACE);
    assert!(got.get("parentSpanId").is_none(), "{got}");

    // A code by SMS: the request that sends it and the gateway call share the trace.
    let client = s.client("");
    let (url, _) = authorize_url(&s, client["client_id"].as_str().unwrap(), "");
    let mut b = Browser::new();
    let p = pending(&s, &mut b, &url).await;
    let sms_trace = "0af7651916cd43dd8448eb211c80319c";
    let req = b
        .http
        .post(&p.action)
        .header("traceparent", format!("00-{sms_trace}-b7ad6b7169203331-01"))
        .form(&[("csrf", p.csrf.as_str()), ("identifier", "+4790000005")]);
    let a = b.send(req).await;
    assert_eq!(a.status, 303, "{}", a.body);
    let server = span(&seen, "for the identifier step", |s| {
        s["traceId"] == sms_trace && s["kind"] == 2
    })
    .await;
    assert_eq!(server["parentSpanId"], "b7ad6b7169203331");
    let send = span(&seen, "for the SMS", |s| {
        s["traceId"] == sms_trace && s["kind"] == 3
    })
    .await;
    assert_eq!(send["name"], "send sms");
    assert_eq!(send["parentSpanId"], server["spanId"]);
    assert_eq!(
        attr(&send, "connectid.message.outcome")["stringValue"],
        "delivered"
    );
    assert_eq!(
        attr(&send, "connectid.message.provider")["stringValue"],
        "webhook"
    );
    let gateway = seen.gateway.lock().unwrap().clone();
    assert_eq!(
        gateway,
        vec![format!(
            "00-{sms_trace}-{}-01",
            send["spanId"].as_str().unwrap()
        )]
    );
}

#[tokio::test]
async fn without_an_endpoint_nothing_is_traced_and_a_bad_one_is_refused() {
    let (base, seen) = collector().await;
    let s = Server::start_with(
        Backend::Sqlite,
        &format!(
            "[sms]\nprovider = \"webhook\"\nwebhook_url = \"{base}/sms\"\n\
             webhook_secret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n"
        ),
    )
    .await;
    let client = s.client("");
    let mut b = Browser::new();
    code_page(
        &s,
        &mut b,
        client["client_id"].as_str().unwrap(),
        "+4790000005",
    )
    .await;
    for _ in 0..100 {
        if !seen.gateway.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The SMS went out, with no trace header, and no span anywhere.
    assert_eq!(seen.gateway.lock().unwrap().clone(), vec![String::new()]);
    assert!(seen.spans.lock().unwrap().is_empty());

    let dir = std::env::temp_dir().join(format!(
        "connectid-otlp-{}",
        connectid_core::crypto::random_id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("c.toml");
    std::fs::write(&config, "[telemetry]\notlp_endpoint = \"otel:4318\"\n").unwrap();
    let out = std::process::Command::new(BIN)
        .args(["--config", config.to_str().unwrap(), "config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("telemetry.otlp_endpoint"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// An email code over SMTP carries the trace too: a `Traceparent` header naming the delivery's
/// client span, whose parent is the request that sent the code.
#[tokio::test(flavor = "multi_thread")]
async fn an_email_carries_the_trace_in_its_headers() {
    let (base, seen) = collector().await;
    let (port, mut mails) = smtp_server().await;
    let s = Server::start_with(
        Backend::Sqlite,
        &format!(
            "[telemetry]\notlp_endpoint = \"{base}\"\n\
             [email]\nprovider = \"smtp\"\nsmtp_url = \"smtp://127.0.0.1:{port}\"\n\
             from = \"CONNECT ID <id@example.com>\"\n"
        ),
    )
    .await;
    let client = s.client("");
    let (url, _) = authorize_url(&s, client["client_id"].as_str().unwrap(), "");
    let mut b = Browser::new();
    let p = pending(&s, &mut b, &url).await;
    let trace = "5b8aa5a2d2c872e8321cf37308d69df2";
    let req = b
        .http
        .post(&p.action)
        .header("traceparent", format!("00-{trace}-051581bf3cb55c13-01"))
        .form(&[
            ("csrf", p.csrf.as_str()),
            ("identifier", "traced@example.com"),
        ]);
    assert_eq!(b.send(req).await.status, 303);
    let mail = tokio::time::timeout(Duration::from_secs(10), mails.recv())
        .await
        .unwrap()
        .unwrap();
    let send = span(&seen, "for the email", |s| {
        s["traceId"] == trace && s["kind"] == 3
    })
    .await;
    assert_eq!(send["name"], "send email");
    let server = span(&seen, "for the identifier step", |s| {
        s["traceId"] == trace && s["kind"] == 2
    })
    .await;
    assert_eq!(send["parentSpanId"], server["spanId"]);
    let header = format!(
        "Traceparent: 00-{trace}-{}-01",
        send["spanId"].as_str().unwrap()
    );
    assert!(mail.lines().any(|l| l == header), "{header} not in {mail}");
}
