//! The Python side of the import and webhook suites: the interpreter `./test` prepares (a
//! venv with passlib, standardwebhooks and friends, named by `CONNECTID_TEST_PYTHON`), hashes
//! made by the libraries other systems hash with (`tests/python/make_hashes.py`), and a
//! Standard Webhooks receiver that checks every request with the reference library
//! (`tests/python/webhook_receiver.py`), so that what connectid signs is checked by code it
//! did not write.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use connectid_core::crypto::random_id;
use serde_json::{Value, json};

/// The interpreter with the suites' libraries, or None (said as skipped: under CI a failure).
pub fn python() -> Option<PathBuf> {
    let found = interpreter();
    if found.is_none() {
        super::skipped(
            "the Python-checked suites: CONNECTID_TEST_PYTHON is not set (./test sets it)",
        );
    }
    found
}

/// `CONNECTID_TEST_PYTHON`, without saying anything when it is missing.
fn interpreter() -> Option<PathBuf> {
    std::env::var_os("CONNECTID_TEST_PYTHON")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn required() -> PathBuf {
    interpreter().expect("CONNECTID_TEST_PYTHON is not set: check python() first")
}

/// A script of `tests/python`.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

/// The repository's root (where `tools/` is).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the interpreter with `args` (a script and its arguments) in the repository's root,
/// with `input` on stdin: its stdout. Fails the test, with its stderr, if it fails.
pub fn run(args: &[&str], input: &[u8]) -> String {
    let python = required();
    let mut child = Command::new(&python)
        .args(args)
        .current_dir(repo_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    // Dropped at the end of the statement: the script sees the end of its input.
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python {args:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the script's output is not UTF-8")
}

/// Hashes of `(scheme, password)` as `make_hashes.py` makes them with the libraries other
/// systems use (passlib, argon2-cffi, Firebase's scrypt): one hash string per item, in order.
pub fn make_hashes(items: &[(&str, &str)]) -> Vec<String> {
    let input = Value::Array(
        items
            .iter()
            .map(|(scheme, password)| json!({"scheme": scheme, "password": password}))
            .collect(),
    );
    let script = script("make_hashes.py");
    let out = run(&[script.to_str().unwrap()], input.to_string().as_bytes());
    let hashes: Vec<String> = serde_json::from_str(&out).unwrap_or_else(|e| {
        panic!("make_hashes.py did not print a JSON array of strings ({e}): {out}")
    });
    assert_eq!(hashes.len(), items.len(), "one hash per item: {hashes:?}");
    hashes
}

/// A fresh webhook secret as Standard Webhooks writes them: `whsec_` and base64.
pub fn webhook_secret() -> String {
    let key = format!("{}{}", random_id(), random_id());
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(key.as_bytes())
    )
}

/// `webhook_receiver.py` on a port of its own: it verifies every POST with the
/// `standardwebhooks` library and logs a JSON line per request, `{"verified": true, "status":
/// 500|204, "id": <webhook-id>, "body": <the JSON>}` or `{"verified": false, "error": …}`;
/// it answers 500 to the first `fail_first` verified requests, then 204. Killed when dropped.
pub struct WebhookReceiver {
    child: Child,
    dir: PathBuf,
    log: PathBuf,
    port: u16,
}

impl WebhookReceiver {
    /// Starts the receiver with this secret, or None when there is no interpreter (said as
    /// skipped). Waits (at most 10 s) until it has written its port.
    pub fn start(secret: &str, fail_first: usize) -> Option<Self> {
        let python = python()?;
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("webhook-receiver-{}", random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("requests.jsonl");
        let port_file = dir.join("port");
        let stderr = dir.join("stderr.log");
        let mut child = Command::new(&python)
            .arg(script("webhook_receiver.py"))
            .args(["--secret", secret])
            .arg("--log")
            .arg(&log)
            .arg("--port-file")
            .arg(&port_file)
            .args(["--fail-first", &fail_first.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(&stderr).unwrap()))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        let started = Instant::now();
        let port = loop {
            let written = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|p| p.trim().parse::<u16>().ok())
                .filter(|p| *p != 0);
            if let Some(port) = written {
                break port;
            }
            let said = || std::fs::read_to_string(&stderr).unwrap_or_default();
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the webhook receiver exited ({status}): {}", said());
            }
            if started.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the webhook receiver wrote no port in 10 s: {}", said());
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        Some(Self {
            child,
            dir,
            log,
            port,
        })
    }

    /// The URL to subscribe: `http://127.0.0.1:PORT/hook`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Every request logged so far, in arrival order.
    pub fn entries(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            // A line being written is not whole yet: it is read on the next poll.
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Polls the log (every 100 ms) until `pred` holds of it: the entries then. Fails the
    /// test with what did arrive when `within` has passed.
    pub async fn wait_for(&self, pred: impl Fn(&[Value]) -> bool, within: Duration) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let entries = self.entries();
            if pred(&entries) {
                return entries;
            }
            if started.elapsed() > within {
                let lines: Vec<String> = entries.iter().map(Value::to_string).collect();
                panic!(
                    "the webhook receiver did not get what the test waits for in {within:?}; \
                     it got {} requests:\n{}\nits stderr: {}",
                    entries.len(),
                    lines.join("\n"),
                    std::fs::read_to_string(self.dir.join("stderr.log")).unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
