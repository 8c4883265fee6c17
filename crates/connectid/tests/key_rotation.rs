//! Key rotation across nodes (issue 19's defect): after `connectid keys rotate`, no node may
//! sign with a key another node does not publish yet. Two nodes on one database, each
//! reloading its keys on its own 15-second schedule; for a minute after the rotation, every
//! token either node issues names a key that the other node's JWKS lists.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::*;

/// A client_credentials access token from `s`, and the `kid` in its header.
async fn token_kid(http: &reqwest::Client, s: &Server, client: &Value) -> String {
    let r: Value = http
        .post(format!("{}/token", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .form(&[("grant_type", "client_credentials"), ("scope", "reports")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["access_token"].as_str().unwrap_or_else(|| panic!("{r}"));
    let header = token.split('.').next().unwrap();
    let header: Value =
        serde_json::from_slice(&connectid_core::crypto::b64url_decode(header).unwrap()).unwrap();
    header["kid"].as_str().unwrap().to_string()
}

async fn published(http: &reqwest::Client, s: &Server) -> Vec<String> {
    let jwks: Value = http
        .get(format!("{}/jwks", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_key_signs_only_once_every_node_publishes_it() {
    let one = Server::binary("info", Backend::Sqlite, "").await;
    // The second node starts a few seconds later: their reloads are out of step.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let two = one.node().await;
    let client = one.client_json(
        r#"{"client_name":"Batch","grant_types":["client_credentials"],"scope":"reports"}"#,
    );
    let http = reqwest::Client::new();
    let before = token_kid(&http, &one, &client).await;
    let (code, _, err) = one.cli(&["keys", "rotate"], "");
    assert_eq!(code, 0, "{err}");
    let started = Instant::now();
    let mut kids = std::collections::BTreeSet::new();
    while started.elapsed() < Duration::from_secs(70) {
        for (signer, checker) in [(&one, &two), (&two, &one)] {
            let kid = token_kid(&http, signer, &client).await;
            let listed = published(&http, checker).await;
            assert!(
                listed.contains(&kid),
                "{:?} after the rotation a node signed with {kid}, which the other does not publish: {listed:?}",
                started.elapsed()
            );
            kids.insert(kid);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The new key did take over within the minute.
    let after = token_kid(&http, &one, &client).await;
    assert_ne!(after, before, "the new key never signed");
    assert!(kids.contains(&before) && kids.contains(&after), "{kids:?}");
}
