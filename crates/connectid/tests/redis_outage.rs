//! Redis down with `redis_url` set (issue 19, failure behaviour): the rate limits fail
//! closed, so a sign-in that needs a code gets the identifier step again with a message (not
//! an error page), while discovery, the JWKS and the health check go on; when Redis is back,
//! codes are sent again without a restart.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::*;

/// A Redis of this test's own, on `port`.
fn redis(port: u16) -> Option<Child> {
    let spawned = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match spawned {
        Ok(c) => Some(c),
        Err(e) => {
            skipped(&format!("Redis outage test: no redis-server ({e})"));
            None
        }
    }
}

async fn wait_for_port(port: u16) {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("redis-server did not listen on {port}");
}

async fn code_step(s: &Server, client_id: &str, number: &str) -> Answer {
    let mut b = Browser::new();
    let (url, _) = authorize_url(s, client_id, "");
    let p = pending(s, &mut b, &url).await;
    submit(&mut b, &s.base, &p, &[("identifier", number)]).await
}

#[tokio::test(flavor = "multi_thread")]
async fn codes_fail_closed_while_redis_is_down_and_resume_after() {
    let port = unused_port();
    let Some(mut r) = redis(port) else { return };
    wait_for_port(port).await;
    let s = Server::start_with(
        Backend::Sqlite,
        &format!("redis_url = \"redis://127.0.0.1:{port}\"\n"),
    )
    .await;
    let client = s.client("");
    let client_id = client["client_id"].as_str().unwrap();
    let batch = s.client_json(
        r#"{"client_name":"Batch","grant_types":["client_credentials"],"scope":"reports"}"#,
    );
    let a = code_step(&s, client_id, "+4790000101").await;
    assert_eq!(step(&a.body), "code", "{}", a.body);

    r.kill().unwrap();
    r.wait().unwrap();
    let a = code_step(&s, client_id, "+4790000102").await;
    assert_ne!(a.status, 500, "{}", a.body);
    assert_eq!(step(&a.body), "identifier", "{}", a.body);
    assert!(a.body.contains("role=\"alert\""), "{}", a.body);
    assert!(a.body.contains("Try again in a few minutes"), "{}", a.body);
    assert!(
        s.messages_to("+4790000102").is_empty(),
        "an SMS without its limits"
    );
    for path in ["/.well-known/openid-configuration", "/jwks", "/healthz"] {
        let r = reqwest::get(format!("{}{path}", s.base)).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    // Tokens go on; a wrong secret is still invalid_client (its failure goes uncounted).
    let id = batch["client_id"].as_str().unwrap();
    for (secret, status) in [
        (batch["client_secret"].as_str().unwrap(), 200),
        ("wrong", 401),
    ] {
        let r = reqwest::Client::new()
            .post(format!("{}/token", s.base))
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{}", r.text().await.unwrap());
    }

    let mut r = redis(port).unwrap();
    wait_for_port(port).await;
    let mut sent = false;
    for _ in 0..40 {
        let a = code_step(&s, client_id, "+4790000103").await;
        if step(&a.body) == "code" {
            sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(sent, "codes did not come back with Redis");
    let _ = r.kill();
    let _ = r.wait();
}
