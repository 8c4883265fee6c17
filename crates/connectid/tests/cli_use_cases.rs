//! The command line runs the same use cases as the pages and the admin API (issue 13): what
//! `connectid accounts delete` does must be what "Delete account" in My account does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::crypto::random_id;
use serde_json::Value;
use support::*;

/// A client's back-channel logout endpoint: every logout token it receives.
async fn receiver() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/bc",
        axum::routing::post(
            move |axum::Form(f): axum::Form<std::collections::HashMap<String, String>>| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send(f.get("logout_token").cloned().unwrap_or_default());
                    axum::http::StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}/bc", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (uri, rx)
}

/// The CLI blocks its worker while it runs; the receiver answers on the other one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_accounts_delete_tells_the_services_and_is_audited() {
    for backend in backends() {
        let s = Server::start_on("warn", backend).await;
        let (bc, mut tokens) = receiver().await;
        let shop = s.client(&format!(r#","sso":true,"backchannel_logout_uri":"{bc}""#));
        let email = format!("d{}@example.com", random_id());
        let sub = s.account(&email);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, shop["client_id"].as_str().unwrap(), "");
        let landed = sign_in_with_password(&s, &mut b, &url, &email).await;
        let issued = exchange(&s, &shop, &query(&landed)["code"], &flow.verifier).await;
        let sid = decode(issued["id_token"].as_str().unwrap()).1["sid"].clone();

        let (code, out, err) = s.cli(&["accounts", "delete", &sub], "");
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&sub), "{out}");

        // The service got a logout token for the session, signed by the issuer.
        let token = tokio::time::timeout(std::time::Duration::from_secs(10), tokens.recv())
            .await
            .expect("no back-channel logout token")
            .unwrap();
        let (header, claims) = decode(&token);
        assert_eq!(header["typ"], "logout+jwt");
        assert_eq!(claims["sub"], sub.as_str());
        assert_eq!(claims["sid"], sid);
        assert_eq!(claims["iss"], s.base.as_str());
        // The audit log says who did it.
        let (code, out, _) = s.cli(&["audit", "--kind", "account_deleted"], "");
        assert_eq!(code, 0);
        let ev: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(ev["account"], sub.as_str());
        assert!(
            ev["detail"].as_str().unwrap().contains("command line"),
            "{ev}"
        );
        // Its tokens are dead, and the account is gone; deleting again says so (exit 2).
        let r = reqwest::Client::new()
            .get(format!("{}/userinfo", s.base))
            .bearer_auth(issued["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let (code, _, err) = s.cli(&["accounts", "delete", &sub], "");
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("no account"), "{err}");
    }
}
