//! The server loop's limits (issue 19, the operator's defects): a client that never finishes
//! its headers is cut off, a request whose body never arrives gets 408, connections beyond
//! `max_connections` are closed at once, and SIGTERM ends the process within its grace even
//! while a client holds a half-sent request, after answering every request in flight.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Opens a connection and sends the start of a request, never its end.
async fn half_sent(port: u16) -> TcpStream {
    let mut c = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    c
}

/// Whether the server closed `c` (read gives end of file, perhaps after an answer) within
/// `limit`; what it sent first.
async fn closed_within(c: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut got = Vec::new();
    match tokio::time::timeout(limit, c.read_to_end(&mut got)).await {
        Ok(_) => Some(String::from_utf8_lossy(&got).to_string()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn headers_that_never_end_are_cut_off() {
    let s = Server::start_with(Backend::Sqlite, "[http]\nheader_read_timeout = 1\n").await;
    let mut slow = half_sent(s.port).await;
    // A byte now and then does not keep it open: the headers as a whole have their time.
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        let _ = slow.write_all(b"x").await;
    }
    assert!(
        closed_within(&mut slow, Duration::from_secs(5))
            .await
            .is_some(),
        "a half-sent request is still open"
    );
    // Everyone else is served.
    assert!(s.healthy().await);
}

#[tokio::test]
async fn a_body_that_never_arrives_gets_408() {
    let s = Server::start_with(Backend::Sqlite, "[http]\nrequest_timeout = 1\n").await;
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).await.unwrap();
    c.write_all(
        b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type",
    )
    .await
    .unwrap();
    let answer = closed_within(&mut c, Duration::from_secs(5))
        .await
        .expect("the server waits for the body forever");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let s = Server::start_with(Backend::Sqlite, "[http]\nmax_connections = 2\n").await;
    let first = half_sent(s.port).await;
    let _second = half_sent(s.port).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut third = TcpStream::connect(("127.0.0.1", s.port)).await.unwrap();
    let _ = third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await;
    let answer = closed_within(&mut third, Duration::from_secs(5))
        .await
        .expect("a connection beyond the cap stays open");
    assert!(!answer.contains("200 OK"), "{answer}");
    // A slot freed is a slot for the next client.
    drop(first);
    let mut served = false;
    for _ in 0..50 {
        if s.healthy().await {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "no connection was let in after one closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_ends_within_the_grace_despite_a_half_sent_request() {
    let mut s = Server::binary(
        "info",
        Backend::Sqlite,
        "[http]\nshutdown_grace = 2\nheader_read_timeout = 600\n",
    )
    .await;
    let _slow = half_sent(s.port).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let code = s.terminate(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{}", s.logs());
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_every_request_in_flight_finish_and_exits_0() {
    let mut s = Server::binary("info", Backend::Sqlite, "[http]\nshutdown_grace = 5\n").await;
    let body = "grant_type=client_credentials&client_id=nobody&client_secret=wrong";
    let (first, rest) = body.split_at(10);
    let mut in_flight = Vec::new();
    for _ in 0..20 {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).await.unwrap();
        let head = format!(
            "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{first}",
            body.len()
        );
        c.write_all(head.as_bytes()).await.unwrap();
        in_flight.push(c);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.sigterm();
    // The rest of each body arrives after the signal: every request still gets its answer.
    tokio::time::sleep(Duration::from_millis(300)).await;
    for c in &mut in_flight {
        c.write_all(rest.as_bytes()).await.unwrap();
    }
    for c in &mut in_flight {
        let got = closed_within(c, Duration::from_secs(10))
            .await
            .expect("the connection stayed open");
        assert!(got.starts_with("HTTP/1.1 401"), "{got}");
        assert!(got.contains("invalid_client"), "{got}");
    }
    let code = s.terminate(Duration::from_secs(15));
    assert_eq!(code, Some(0), "{}", s.logs());
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_too() {
    let s = Server::start_with(Backend::Sqlite, "[http]\nheader_read_timeout = 1\n").await;
    let mut c = TcpStream::connect(("127.0.0.1", s.port)).await.unwrap();
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 512];
    let n = c.read(&mut first).await.unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    // Kept alive, then silent: it must not hold a connection slot for ever.
    assert!(
        closed_within(&mut c, Duration::from_secs(5))
            .await
            .is_some(),
        "an idle kept-alive connection stays open"
    );
}
