//! The durable outbox (issue 14): a code the page has promised survives kill -9, and nodes
//! sharing one database deliver every message exactly once. The gateway here is the webhook
//! provider's, closed (503) until the test opens it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;

use support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_code_promised_before_kill_9_goes_out_once_after_the_restart() {
    for backend in backends() {
        let gateway = Gateway::start().await;
        let extra = format!(
            "{}[keys]\nencryption_key = \"an operator's secret\"\n",
            gateway.sms_config()
        );
        let mut s = Server::binary("info", backend, &extra).await;
        let client = s.client("");
        let client_id = client["client_id"].as_str().unwrap();
        let mut b = Browser::new();
        let number = "+4790000555";
        let code = code_page(&s, &mut b, client_id, number).await;
        // Killed right after the page said "we sent a code": the gateway has taken nothing.
        s.kill();
        assert!(gateway.taken().is_empty());
        let at_rest = s.database_bytes();
        gateway.open();
        s.restart().await;
        let taken = gateway.wait_for(1).await;
        assert_eq!(taken.len(), 1, "delivered once: {taken:?}");
        assert_eq!(taken[0].1["to"], number);
        // While it waited, the message was sealed: its code was not in clear.
        let sent = code_in(&taken[0].1);
        if matches!(s.backend, Backend::Sqlite) {
            let clear = String::from_utf8_lossy(&at_rest);
            assert!(clear.contains("outbox"), "the database was not read");
            assert!(!clear.contains(&format!("#{sent}")));
        }
        // The code was stored with its message: it works on the restarted server.
        let action = code.action.replacen(
            &code.action[..code.action.find("/signin").unwrap()],
            &s.base,
            1,
        );
        let a = submit(
            &mut b,
            &s.base,
            &Pending { action, ..code },
            &[("code", &sent)],
        )
        .await;
        // Signed in: back to the service with an authorization code.
        let back = a.location.clone().unwrap_or_default();
        assert!(
            back.starts_with(REDIRECT) && back.contains("code="),
            "{} {back} {}",
            a.status,
            a.body
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_on_one_postgresql_deliver_every_message_exactly_once() {
    let Some(pg) = backends()
        .into_iter()
        .find(|b| matches!(b, Backend::Postgres { .. }))
    else {
        return;
    };
    let gateway = Gateway::start().await;
    let one = Server::binary("info", pg, &gateway.sms_config()).await;
    let two = one.node().await;
    let client = one.client("");
    let client_id = client["client_id"].as_str().unwrap();
    // Messages pile up while the gateway is down, queued by both nodes; then both nodes'
    // workers race for them.
    let numbers: Vec<String> = (0..30).map(|i| format!("+47900{i:05}")).collect();
    for (i, number) in numbers.iter().enumerate() {
        let node = if i % 2 == 0 { &one } else { &two };
        code_page(node, &mut Browser::new(), client_id, number).await;
    }
    gateway.open();
    let taken = gateway.wait_for(numbers.len()).await;
    let ids: BTreeSet<&str> = taken.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), taken.len(), "a message was delivered twice");
    let to: BTreeSet<&str> = taken
        .iter()
        .map(|(_, m)| m["to"].as_str().unwrap())
        .collect();
    let want: BTreeSet<&str> = numbers.iter().map(String::as_str).collect();
    assert_eq!(to, want);
    assert_eq!(taken.len(), numbers.len());
    assert!(gateway.tries() >= numbers.len());
}

/// The alert rules the repository ships name only metrics the server exports.
#[tokio::test]
async fn the_shipped_alert_rules_name_exported_metrics() {
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../deploy/prometheus/connectid-alerts.yml"
    ))
    .unwrap();
    let s = Server::start().await;
    let metrics = reqwest::get(format!("{}/metrics", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let named: BTreeSet<&str> = rules
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("connectid_"))
        .collect();
    assert!(named.len() >= 5, "{named:?}");
    for name in named {
        // A histogram's series are typed under the histogram's own name.
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .unwrap_or(name);
        assert!(
            metrics.contains(&format!("# TYPE {family} ")),
            "{name} is not exported"
        );
    }
}
