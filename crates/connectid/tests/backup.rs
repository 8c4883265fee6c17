//! `connectid backup` and `connectid restore` (issue 19): a backup taken while sign-ins go on
//! holds every sign-in finished before it began, and restores into a new server where each
//! account, session and refresh token works; a restore never pulls the database from under a
//! running server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::Value;
use support::*;

const SIGN_INS: usize = 20;

/// What one finished sign-in left: when, its tokens and its browser (with the session's cookies).
struct Finished {
    at: Instant,
    tokens: Value,
    browser: Browser,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_during_sign_ins_restores_every_finished_one_into_a_new_server() {
    let a = Arc::new(Server::binary("warn", Backend::Sqlite, "").await);
    let client = a.client(r#","sso":true"#);
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..SIGN_INS {
        let (a, client, done) = (a.clone(), client.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let mut b = Browser::new();
            let tokens = sign_in(&a, &mut b, &client, &format!("moving{i}@example.com")).await;
            done.fetch_add(1, Ordering::SeqCst);
            Finished {
                at: Instant::now(),
                tokens,
                browser: b,
            }
        }));
    }
    // The backup starts with a quarter of the sign-ins finished and the rest under way.
    while done.load(Ordering::SeqCst) < SIGN_INS / 4 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let file = a.dir.join("backup.db");
    let began = Instant::now();
    let (code, out, err) = {
        let (a, file) = (a.clone(), file.clone());
        tokio::task::spawn_blocking(move || a.cli(&["backup", file.to_str().unwrap()], ""))
            .await
            .unwrap()
    };
    assert_eq!(code, 0, "{out}{err}");
    let mut finished = Vec::new();
    for t in tasks {
        finished.push(t.await.unwrap());
    }
    let before: Vec<&Finished> = finished.iter().filter(|f| f.at < began).collect();
    assert!(before.len() >= SIGN_INS / 4, "{} before", before.len());
    eprintln!(
        "{} of {SIGN_INS} sign-ins had finished when the backup began",
        before.len()
    );

    // A second backup to the same file is refused, and changes nothing.
    let (code, _, err) = a.cli(&["backup", file.to_str().unwrap()], "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");

    // Restoring onto the running server is refused, and it goes on serving its own data.
    let (code, _, err) = a.cli(&["restore", file.to_str().unwrap()], "");
    assert_ne!(code, 0);
    assert!(err.contains("a server is running"), "{err}");
    let last = finished.last().unwrap();
    assert_eq!(refresh(&a, &client, last).await, 200);
    {
        let mut browser = last.browser.clone();
        let (url, _) = authorize_url(&a, client["client_id"].as_str().unwrap(), "&prompt=none");
        let landed = browser.get(&url).await.location.unwrap_or_default();
        assert!(query(&landed).contains_key("code"), "at a: {landed}");
    }

    // A new server, stopped, takes the backup, and starts on it.
    let mut b = Server::binary("warn", Backend::Sqlite, "").await;
    b.kill();
    let (code, out, err) = b.cli(&["restore", file.to_str().unwrap()], "");
    assert_eq!(code, 0, "{out}{err}");
    b.restart().await;
    for f in &before {
        let sub = claims(f.tokens["id_token"].as_str().unwrap())["sub"]
            .as_str()
            .unwrap()
            .to_string();
        // The account…
        assert_eq!(b.show(&sub)["id"], sub.as_str());
        // …its refresh token…
        assert_eq!(refresh(&b, &client, f).await, 200, "refresh of {sub}");
        // …and its session: the browser is signed in at once, with no page.
        let mut browser = f.browser.clone();
        let (url, _) = authorize_url(&b, client["client_id"].as_str().unwrap(), "&prompt=none");
        let landed = browser.get(&url).await.location.unwrap_or_default();
        assert!(query(&landed).contains_key("code"), "{sub}: {landed}");
    }
}

async fn refresh(s: &Server, client: &Value, f: &Finished) -> u16 {
    refresh_response(s, client, &f.tokens)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn backup_and_restore_refuse_what_they_cannot_do() {
    let s = Server::binary("warn", Backend::Sqlite, "").await;
    // Not a backup: refused with exit 2, the database untouched.
    let junk = s.dir.join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let (code, _, err) = s.cli(&["restore", junk.to_str().unwrap()], "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a connectid backup"), "{err}");
    assert!(s.healthy().await);
    // PostgreSQL has its own tools: the commands say which.
    for backend in backends() {
        if let Backend::Postgres { .. } = backend {
            let pg = Server::start_on(backend).await;
            let (code, _, err) = pg.cli(&["backup", "/nonexistent/x.db"], "");
            assert_eq!(code, 2, "{err}");
            assert!(err.contains("pg_dump"), "{err}");
            let (code, _, err) = pg.cli(&["restore", junk.to_str().unwrap()], "");
            assert_eq!(code, 2, "{err}");
        }
    }
}
