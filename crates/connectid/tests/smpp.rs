//! The `smpp` SMS provider against a fake SMSC: npm `smpp` 0.5.1 running `tests/smsc/smsc.js`
//! as a child process (`npm ci --prefix crates/connectid/tests/smsc`). A code goes out as one
//! submit_sm and signs the person in, its delivery receipt lands on the outbox row, a refused
//! bind leaves the message waiting for another try, and a restarted SMSC gets the next
//! message. Without node or the package a dev run says SKIPPED loudly; with `CI` set it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use sqlx::Row;
use support::*;

const SYSTEM_ID: &str = "connectid";
const SMSC_PASSWORD: &str = "s3cr%t";

/// The fake SMSC: its process, its port and every JSON line it wrote.
struct Smsc {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<Value>>>,
}

fn smsc_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/smsc")
}

/// Whether the fake SMSC can run here; outside CI a missing piece skips the test loudly.
fn node_ready(test: &str) -> bool {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let package = smsc_dir().join("node_modules/smpp/package.json").exists();
    if node && package {
        return true;
    }
    let why = if node {
        "npm package smpp missing: run `npm ci --prefix crates/connectid/tests/smsc`"
    } else {
        "node not installed (apt install nodejs npm)"
    };
    skipped(&format!("SMPP test {test}: {why}"));
    false
}

impl Smsc {
    /// Starts it on `port` (0: one the system picks) and waits until it listens.
    async fn start(port: u16, password: &str) -> Smsc {
        let mut child = Command::new("node")
            .arg(smsc_dir().join("smsc.js"))
            .args([&port.to_string(), SYSTEM_ID, password])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let out = BufReader::new(child.stdout.take().unwrap());
        let seen = lines.clone();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    seen.lock().unwrap().push(v);
                }
            }
        });
        let mut smsc = Smsc {
            child,
            port: 0,
            lines,
        };
        let listening = smsc
            .wait_for("its listening line", |v| v.get("listening").is_some())
            .await;
        smsc.port = u16::try_from(listening["listening"].as_u64().unwrap()).unwrap();
        smsc
    }

    fn lines_where(&self, f: impl Fn(&Value) -> bool) -> Vec<Value> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|v| f(v))
            .cloned()
            .collect()
    }

    fn submits(&self) -> Vec<Value> {
        self.lines_where(|v| v.get("message_id").is_some())
    }

    /// The first line `f` accepts, within 30 s (only a hang takes that long).
    async fn wait_for(&self, what: &str, f: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..300 {
            if let Some(v) = self.lines_where(&f).into_iter().next() {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the SMSC never saw {what}: {:?}",
            self.lines.lock().unwrap()
        );
    }

    /// kill -9: no unbind, no goodbye.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Smsc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The `[sms]` section that sends through an SMSC on `port` with `password`.
fn sms_config(port: u16, password: &str) -> String {
    let password = password.replace('%', "%25");
    format!(
        "[sms]\nprovider = \"smpp\"\nsmpp_url = \"smpp://{SYSTEM_ID}:{password}@127.0.0.1:{port}\"\n\
         smpp_source = \"CONNECTID\"\n"
    )
}

/// The outbox's SMS rows: (status, attempts, provider_ref, receipt, last_error).
type OutboxRow = (String, i64, Option<String>, Option<String>, Option<String>);

async fn sms_rows(s: &Server) -> Vec<OutboxRow> {
    let url = format!("{}?mode=ro", s.database_url);
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query(
        "SELECT status, attempts, provider_ref, receipt, last_error FROM outbox \
         WHERE channel = 'sms' ORDER BY created_at",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
    .collect()
}

/// Polls the outbox until `f` accepts its SMS rows (30 s at most).
async fn wait_for_rows(s: &Server, what: &str, f: impl Fn(&[OutboxRow]) -> bool) -> Vec<OutboxRow> {
    let mut rows = Vec::new();
    for _ in 0..300 {
        rows = sms_rows(s).await;
        if f(&rows) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox never showed {what}: {rows:?}");
}

/// The six-digit code in a submitted text.
fn code_in_text(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_goes_out_as_one_submit_sm_and_its_receipt_lands_on_the_outbox_row() {
    if !node_ready("receipt") {
        return;
    }
    let smsc = Smsc::start(0, SMSC_PASSWORD).await;
    let s = Server::start_with(Backend::Sqlite, &sms_config(smsc.port, SMSC_PASSWORD)).await;
    let client = s.client("");
    let client_id = client["client_id"].as_str().unwrap();
    let mut b = Browser::new();
    let number = "+4790000555";
    let page = code_page(&s, &mut b, client_id, number).await;

    let sent = smsc
        .wait_for("a submit_sm", |v| v.get("message_id").is_some())
        .await;
    assert_eq!(sent["destination_addr"], "4790000555", "{sent}");
    assert_eq!(
        (&sent["dest_addr_ton"], &sent["dest_addr_npi"]),
        (&1.into(), &1.into())
    );
    assert_eq!(
        (&sent["source_addr"], &sent["source_addr_ton"]),
        (&"CONNECTID".into(), &5.into())
    );
    // An English text is GSM 03.38, one SMS, and asks for a final receipt.
    assert_eq!(sent["data_coding"], 0, "{sent}");
    assert_eq!(sent["esm_class"], 0, "{sent}");
    assert_eq!(sent["registered_delivery"], 1, "{sent}");
    let text = sent["short_message"].as_str().unwrap();
    let code = code_in_text(text);
    assert!(
        text.contains(&format!("#{code}")),
        "the WebOTP line: {text:?}"
    );

    // The code signs the person in.
    let a = submit(&mut b, &s.base, &page, &[("code", &code)]).await;
    let back = a.location.clone().unwrap_or_default();
    assert!(
        back.starts_with(REDIRECT) && back.contains("code="),
        "{} {back} {}",
        a.status,
        a.body
    );

    // The receipt was answered, and recorded on the row the SMSC's id names.
    let resp = smsc
        .wait_for("a deliver_sm_resp", |v| v.get("deliver_sm_resp").is_some())
        .await;
    assert_eq!(resp["command_status"], 0);
    let rows = wait_for_rows(&s, "the receipt", |r| r.iter().any(|r| r.3.is_some())).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (status, attempts, provider_ref, receipt, _) = &rows[0];
    assert_eq!(status, "delivered");
    assert_eq!(*attempts, 1);
    assert_eq!(provider_ref.as_deref(), sent["message_id"].as_str());
    assert_eq!(receipt.as_deref(), Some("DELIVRD"));

    // Once, not twice.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(smsc.submits().len(), 1, "{:?}", smsc.submits());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_bind_leaves_the_message_waiting_for_another_try() {
    if !node_ready("refused bind") {
        return;
    }
    let smsc = Smsc::start(0, SMSC_PASSWORD).await;
    let s = Server::start_with(Backend::Sqlite, &sms_config(smsc.port, "wrong")).await;
    let client = s.client("");
    let mut b = Browser::new();
    code_page(
        &s,
        &mut b,
        client["client_id"].as_str().unwrap(),
        "+4790000556",
    )
    .await;

    let bind = smsc.wait_for("a bind", |v| v.get("bind").is_some()).await;
    assert_eq!(bind["ok"], false);
    let rows = wait_for_rows(&s, "a failed try", |r| {
        r.iter().any(|r| r.1 >= 1 && r.4.is_some())
    })
    .await;
    let (status, attempts, provider_ref, _, error) = &rows[0];
    assert_eq!(status, "pending", "retried, not given up: {rows:?}");
    assert!(*attempts >= 1);
    assert_eq!(provider_ref, &None);
    let error = error.as_deref().unwrap();
    assert!(error.contains("bind"), "{error}");
    assert!(
        !error.contains("wrong"),
        "no password in the error: {error}"
    );
    assert!(smsc.submits().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn after_the_smsc_is_killed_and_restarted_the_next_message_goes_out() {
    if !node_ready("restart") {
        return;
    }
    let mut smsc = Smsc::start(0, SMSC_PASSWORD).await;
    let port = smsc.port;
    let s = Server::start_with(Backend::Sqlite, &sms_config(port, SMSC_PASSWORD)).await;
    let client = s.client("");
    let client_id = client["client_id"].as_str().unwrap();
    code_page(&s, &mut Browser::new(), client_id, "+4790000557").await;
    smsc.wait_for("the first submit_sm", |v| v.get("message_id").is_some())
        .await;

    smsc.kill();
    // Long enough for connectid to see the drop and fail a reconnect or two.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let smsc = Smsc::start(port, SMSC_PASSWORD).await;
    let mut b = Browser::new();
    let page = code_page(&s, &mut b, client_id, "+4790000558").await;
    let sent = smsc
        .wait_for("a submit_sm after the restart", |v| {
            v["destination_addr"] == "4790000558"
        })
        .await;
    assert_eq!(
        smsc.lines_where(|v| v["ok"] == true).len(),
        1,
        "one new bind"
    );
    let code = code_in_text(sent["short_message"].as_str().unwrap());
    let a = submit(&mut b, &s.base, &page, &[("code", &code)]).await;
    assert!(
        a.location.clone().unwrap_or_default().starts_with(REDIRECT),
        "{} {}",
        a.status,
        a.body
    );
    let rows = wait_for_rows(&s, "both delivered", |r| {
        r.len() == 2 && r.iter().all(|r| r.0 == "delivered")
    })
    .await;
    assert_eq!(rows.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_norwegian_code_goes_as_gsm_and_an_urdu_one_as_ucs2_and_both_arrive_whole() {
    if !node_ready("languages") {
        return;
    }
    let smsc = Smsc::start(0, SMSC_PASSWORD).await;
    let s = Server::start_with(Backend::Sqlite, &sms_config(smsc.port, SMSC_PASSWORD)).await;
    let client = s.client("");
    let client_id = client["client_id"].as_str().unwrap();
    for (lang, number, coding, words) in [
        ("nb", "+4790000561", 0, "Den utløper om 5 minutter."),
        ("ur", "+4790000562", 8, "CONNECT ID کوڈ:"),
    ] {
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, client_id, &format!("&ui_locales={lang}"));
        let p = pending(&s, &mut b, &url).await;
        let a = submit(&mut b, &s.base, &p, &[("identifier", number)]).await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        let dest = number.trim_start_matches('+');
        let sent = smsc.wait_for(lang, |v| v["destination_addr"] == dest).await;
        // The fake SMSC decodes with its own GSM 03.38 and UTF-16 tables.
        assert_eq!(sent["data_coding"], coding, "{sent}");
        let text = sent["short_message"].as_str().unwrap();
        let code = code_in_text(text);
        assert!(text.contains(words), "{lang}: {text:?}");
        assert!(text.ends_with(&format!(" #{code}")), "{lang}: {text:?}");
    }
}
