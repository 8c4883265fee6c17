//! What a newcomer meets in the first hour at the command line (issue 21): a mistyped
//! variable is refused, `connectid config` prints TOML that reads back, `accounts show`
//! finds a person by phone or email, `serve` derives its issuer from `--listen`, says what it
//! did, and a port in use leaves no database behind; logs in a file carry no colour codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use connectid_core::crypto::random_id;
use serde_json::Value;
use support::*;

fn empty_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("connectid-first-{}", random_id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The binary in `dir` with no config file and a clean `CONNECTID_*` environment.
fn connectid(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(BIN);
    c.current_dir(dir).args(args).env("RUST_LOG", "info");
    for (k, _) in std::env::vars() {
        if k.starts_with("CONNECTID_") {
            c.env_remove(k);
        }
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdin(Stdio::null()).output().unwrap()
}

fn text(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn a_mistyped_environment_variable_stops_the_program() {
    let dir = empty_dir();
    let out = connectid(&dir, &["config"], &[("CONNECTID_SMS__PROVDER", "log")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("did you mean CONNECTID_SMS__PROVIDER?"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn connectid_config_prints_toml_that_reads_back_with_secrets_masked() {
    let dir = empty_dir();
    let out = connectid(
        &dir,
        &["config"],
        &[
            ("CONNECTID_ADMIN__TOKEN", "very-secret-admin-token"),
            (
                "CONNECTID_DATABASE_URL",
                "postgres://app:hunter2hunter2@db.internal/connectid",
            ),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(!printed.contains("very-secret-admin-token"), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(
        printed.contains("# token = \"********\" (set, not shown)"),
        "{printed}"
    );
    let table: toml::Table = printed.parse().unwrap();
    assert_eq!(table["listen"].as_str(), Some("127.0.0.1:8080"));
    assert_eq!(
        table["database_url"].as_str(),
        Some("postgres://app:********@db.internal/connectid")
    );
    // Fed back as a config file, it is the same configuration, less the secrets it hid.
    std::fs::write(dir.join("connectid.toml"), &printed).unwrap();
    let again = connectid(&dir, &["config"], &[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let again = String::from_utf8(again.stdout).unwrap();
    for line in printed.lines().filter(|l| !l.starts_with("# ")) {
        assert!(again.lines().any(|l| l == line), "{line} is lost");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn accounts_show_finds_a_person_by_phone_or_email() {
    let s = Server::start().await;
    let sub = s.account_with(&["+4790000123"], &["Support@Example.com"], false);
    for given in [sub.as_str(), "+47 900 00 123", "support@example.com"] {
        let (code, out, err) = s.cli(&["accounts", "show", given], "");
        assert_eq!(code, 0, "{given}: {err}");
        let shown: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(shown["id"], sub.as_str(), "{given}");
    }
    let (code, _, err) = s.cli(&["accounts", "show", "nobody@example.com"], "");
    assert_eq!(code, 2, "{err}");
    // Every subcommand says in a line what it does.
    let (_, help, _) = s.cli(&["accounts", "--help"], "");
    for sub in ["create", "show", "delete"] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(sub))
            .unwrap();
        assert!(line.trim().len() > sub.len() + 10, "{line}");
    }
}

#[tokio::test]
async fn serve_in_an_empty_folder_says_what_it_did_and_derives_the_issuer() {
    let dir = empty_dir();
    let port = unused_port();
    let listen = format!("127.0.0.1:{port}");
    let log = std::fs::File::create(dir.join("serve.log")).unwrap();
    let mut child = Command::new(BIN)
        .current_dir(&dir)
        .args(["serve", "--listen", &listen])
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut discovery = None;
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/.well-known/openid-configuration")).await {
            discovery = Some(r.json::<Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let logged = std::fs::read_to_string(dir.join("serve.log")).unwrap();
    let discovery = discovery.unwrap_or_else(|| panic!("did not serve: {logged}"));
    assert_eq!(discovery["issuer"], format!("http://localhost:{port}"));
    assert!(logged.contains("created a new SQLite database"), "{logged}");
    assert!(
        logged.contains(&format!("http://localhost:{port}")),
        "{logged}"
    );
    // Written to a file: no colour codes.
    assert!(
        !logged.contains('\u{1b}'),
        "ANSI codes in the log: {logged:?}"
    );
    assert!(dir.join("connectid.db").exists());

    // A port in use: the error names --listen, and no database is made first.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = busy.local_addr().unwrap().to_string();
    let other = empty_dir();
    let out = connectid(&other, &["serve", "--listen", &taken], &[]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out).contains("--listen"), "{}", text(&out));
    assert!(!other.join("connectid.db").exists(), "a database was made");
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(other);
}

#[tokio::test]
async fn the_root_is_a_page_with_the_ways_on() {
    let s = Server::start().await;
    let r = reqwest::get(format!("{}/", s.base)).await.unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert_eq!(step(&body), "home");
    for link in ["account", "discovery"] {
        assert!(body.contains(&format!("data-link=\"{link}\"")), "{body}");
    }
    // Without the demo, no link to it.
    assert!(!body.contains("data-link=\"demo\""), "{body}");
}
