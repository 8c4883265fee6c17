//! PostgreSQL cut off (issue 19, failure behaviour): every connection of the node terminated
//! and the database closed to new ones. Requests that need it fail fast with 503 and
//! `Retry-After` (a page for a browser, `temporarily_unavailable` for a client), `/readyz`
//! says 503, what needs no database (the JWKS) goes on, and the node recovers by itself once
//! the database takes connections again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use support::*;

async fn admin_sql(admin_url: &str, sql: &str) {
    let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(admin_url)
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_cut_off_gives_503_and_the_node_recovers() {
    let Some(pg) = backends()
        .into_iter()
        .find(|b| matches!(b, Backend::Postgres { .. }))
    else {
        return;
    };
    let Backend::Postgres { admin_url } = pg.clone() else {
        unreachable!()
    };
    let s = Server::start_on(pg).await;
    let client = s.client("");
    let name = s.database_url.rsplit('/').next().unwrap().to_string();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let ready = || async {
        http.get(format!("{}/readyz", s.base))
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(ready().await, 200);

    admin_sql(
        &admin_url,
        &format!(
            "ALTER DATABASE {name} ALLOW_CONNECTIONS false; \
             SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ),
    )
    .await;
    let (url, _) = authorize_url(&s, client["client_id"].as_str().unwrap(), "");
    let started = Instant::now();
    let page = http.get(&url).send().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "not fast: {:?}",
        started.elapsed()
    );
    assert_eq!(page.status(), 503);
    assert_eq!(page.headers()["retry-after"], "5");
    let body = page.text().await.unwrap();
    assert!(body.contains("data-step=\"error\""), "{body}");
    let token = http
        .post(format!("{}/token", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .form(&[("grant_type", "authorization_code"), ("code", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 503);
    assert!(token.headers().contains_key("retry-after"));
    let json: serde_json::Value = token.json().await.unwrap();
    assert_eq!(json["error"], "temporarily_unavailable");
    assert_eq!(ready().await, 503);
    let metrics = http
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("connectid_database_up 0"), "{metrics}");
    let jwks = http.get(format!("{}/jwks", s.base)).send().await.unwrap();
    assert_eq!(jwks.status(), 200, "the keys are in memory");

    admin_sql(
        &admin_url,
        &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"),
    )
    .await;
    let mut back = false;
    for _ in 0..60 {
        if ready().await == 200 && http.get(&url).send().await.unwrap().status() == 303 {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(back, "the node did not recover by itself");
}
