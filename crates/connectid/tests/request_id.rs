//! Every answer carries `X-Request-Id` (README: "Deploying and operating"); the same id is on error pages and in the
//! log lines of its request, and only the operator's reverse proxies may choose it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::*;

#[tokio::test]
async fn every_answer_has_a_request_id_that_leads_to_its_logs() {
    let s = Server::binary("info", Backend::Sqlite, "").await;
    let http = reqwest::Client::new();
    let mut seen = Vec::new();
    for path in [
        "/.well-known/openid-configuration",
        "/jwks",
        "/healthz",
        "/nowhere",
        "/authorize",
    ] {
        let r = http.get(format!("{}{path}", s.base)).send().await.unwrap();
        let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
        assert!(!id.is_empty() && !seen.contains(&id), "{path}: {id}");
        seen.push(id.clone());
        if path == "/authorize" {
            // An error page names its request, so a screenshot leads to the logs.
            let body = r.text().await.unwrap();
            assert!(body.contains("data-step=\"error\""), "{body}");
            assert!(body.contains(&format!("Reference: {id}")), "{body}");
        }
    }
    // A client cannot choose the id (it is not a trusted proxy here).
    let r = http
        .get(format!("{}/healthz", s.base))
        .header("X-Request-Id", "chosen-by-the-client")
        .send()
        .await
        .unwrap();
    assert_ne!(r.headers()["x-request-id"], "chosen-by-the-client");
    // Behind a reverse proxy in `[http] forwarded_proxies`, the proxy's id is kept; the
    // request's log lines (the store's queries at debug level) carry it.
    drop(s);
    let s = Server::binary(
        "debug",
        Backend::Sqlite,
        "[http]\nforwarded_proxies = [\"127.0.0.1/32\"]\n",
    )
    .await;
    let r = http
        .get(format!("{}/authorize?client_id=nope", s.base))
        .header("X-Request-Id", "edge-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "edge-7f3a");
    let body = r.text().await.unwrap();
    assert!(body.contains("Reference: edge-7f3a"), "{body}");
    let mut logged = false;
    for _ in 0..50 {
        if s.logs().contains("edge-7f3a") {
            logged = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        logged,
        "the request's log lines do not carry its id: {}",
        s.logs()
    );
}

/// `[telemetry] log_format = "json"`: every line is one JSON object, and a request's lines
/// carry its id as a field.
#[tokio::test]
async fn json_logs_are_one_object_a_line_with_the_request_id() {
    let s = Server::binary(
        "debug",
        Backend::Sqlite,
        "[telemetry]\nlog_format = \"json\"\n[http]\nforwarded_proxies = [\"127.0.0.1/32\"]\n",
    )
    .await;
    let r = reqwest::Client::new()
        .get(format!("{}/authorize?client_id=nope", s.base))
        .header("X-Request-Id", "edge-json-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "edge-json-1");
    let mut carried = false;
    for _ in 0..50 {
        let logs = s.logs();
        let lines: Vec<serde_json::Value> = logs
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert!(lines.iter().any(|l| {
            l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("listening"))
        }));
        if lines
            .iter()
            .any(|l| l.to_string().contains("\"edge-json-1\""))
        {
            carried = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(carried, "no JSON line carries the request id: {}", s.logs());
}
