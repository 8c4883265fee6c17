//! The server under test, one way for every suite: its own tempdir, config file and database
//! (SQLite, or a fresh PostgreSQL database per server), built in-process on a listener the
//! kit binds itself (port 0: no race for a free port) with a clock the test moves; or, for
//! what only the real binary shows (its logs, its start-up), the binary itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use connectid_core::clock::{Clock as _, FakeClock, SystemClock};
use connectid_core::crypto::{random_id, random_token};
use serde_json::Value;

use super::{BYE, PASSWORD, REDIRECT};

pub const BIN: &str = env!("CARGO_BIN_EXE_connectid");

/// Where the server keeps its data: its own SQLite file, or its own PostgreSQL database
/// (created for it on the server `TEST_DATABASE_URL` names, dropped afterwards).
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres { admin_url: String },
}

/// The name the older suites give [`Backend`].
pub type Db = Backend;

/// SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is set (always in CI: there, its
/// absence fails the test rather than skipping PostgreSQL in silence).
pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) => out.push(Backend::Postgres { admin_url }),
        Err(_) => super::skipped("PostgreSQL end-to-end runs: TEST_DATABASE_URL is not set"),
    }
    out
}

/// Runs a scenario once per backend.
pub async fn on_each_backend<F, Fut>(scenario: F)
where
    F: Fn(Backend) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in backends() {
        scenario(b).await;
    }
}

/// What to start: the backend, TOML appended to the config (whole sections of its own), the
/// demo services, and the host name of the issuer (`localhost` for real browsers: cookies are
/// not `Secure` there).
#[derive(Clone)]
pub struct Setup<'a> {
    pub backend: Backend,
    pub extra: &'a str,
    pub demo: bool,
    pub host: &'a str,
}

impl Default for Setup<'_> {
    fn default() -> Self {
        Self {
            backend: Backend::Sqlite,
            extra: "",
            demo: false,
            host: "127.0.0.1",
        }
    }
}

/// The server's clock. An in-process server reads a [`FakeClock`] that starts at the real
/// time and moves only when told: codes, sessions, tokens and rate limits age by
/// [`Clock::advance`], not by waiting or by editing rows. The binary reads the system clock.
pub struct Clock(Option<FakeClock>);

impl Clock {
    /// Moves the server's time on by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        self.0
            .as_ref()
            .expect("the binary runs on the system clock: start the server in-process to move time")
            .advance(secs);
    }

    /// The time as the server sees it.
    pub fn now(&self) -> i64 {
        match &self.0 {
            Some(c) => c.now(),
            None => SystemClock.now(),
        }
    }
}

enum Run {
    InProcess(connectid::Running),
    Binary(Child),
}

pub struct Server {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub base: String,
    pub admin: String,
    pub port: u16,
    pub backend: Backend,
    /// The server's own database (a SQLite URL, or the PostgreSQL database made for it).
    pub database_url: String,
    pub clock: Clock,
    pg_name: Option<String>,
    run: Option<Run>,
}

impl Drop for Server {
    fn drop(&mut self) {
        match self.run.take() {
            Some(Run::Binary(mut child)) => {
                let _ = child.kill();
                let _ = child.wait();
            }
            Some(Run::InProcess(running)) => drop(running),
            None => {}
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let (Backend::Postgres { admin_url }, Some(name)) = (&self.backend, &self.pg_name) {
            // Best effort: a database left behind is harmless, only untidy. FORCE: the
            // connections of an in-process server's pool may still be open.
            let _ = Command::new("psql")
                .args([
                    admin_url.as_str(),
                    "-qc",
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// A server's directory, database and config, before anything runs.
struct Prepared {
    dir: PathBuf,
    admin: String,
    database_url: String,
    pg_name: Option<String>,
}

async fn prepare(backend: &Backend) -> Prepared {
    let dir = std::env::temp_dir().join(format!("connectid-test-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (database_url, pg_name) = match backend {
        Backend::Sqlite => (format!("sqlite://{}", dir.join("c.db").display()), None),
        Backend::Postgres { admin_url } => {
            let name = format!("test_{}", random_id());
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(admin_url)
                .await
                .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut c)
                .await
                .unwrap();
            let root = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(r, _)| r);
            (format!("{root}/{name}"), Some(name))
        }
    };
    Prepared {
        dir,
        admin: random_token(),
        database_url,
        pg_name,
    }
}

impl Prepared {
    /// Writes the config for `port`; the outbox for SMS and email unless `extra` configures
    /// those sections itself (`{dir}` in `extra` is the server's own directory).
    fn write_config(&self, setup: &Setup<'_>, port: u16) -> (PathBuf, String) {
        let base = format!("http://{}:{port}", setup.host);
        let mut toml = format!(
            "listen = \"127.0.0.1:{port}\"\nissuer = \"{base}\"\ndatabase_url = \"{}\"\n\
             [admin]\ntoken = \"{}\"\n",
            self.database_url, self.admin
        );
        for section in ["sms", "email"] {
            if !setup.extra.contains(&format!("[{section}]")) {
                let ob = self.dir.join("outbox.jsonl");
                toml.push_str(&format!("[{section}]\noutbox = \"{}\"\n", ob.display()));
            }
        }
        let config = self.dir.join("connectid.toml");
        let extra = setup
            .extra
            .replace("{dir}", &self.dir.display().to_string());
        // Keys before the first section of `extra` are top-level keys: they go first.
        let first_section = if extra.starts_with('[') {
            Some(0)
        } else {
            extra.find("\n[").map(|i| i + 1)
        };
        let (top, sections) = match first_section {
            Some(i) => extra.split_at(i),
            None => (extra.as_str(), ""),
        };
        std::fs::write(&config, format!("{top}\n{toml}{sections}")).unwrap();
        (config, base)
    }

    fn server(self, setup: &Setup<'_>, config: PathBuf, base: String, port: u16) -> Server {
        Server {
            dir: self.dir,
            config,
            base,
            admin: self.admin,
            port,
            backend: setup.backend.clone(),
            database_url: self.database_url,
            clock: Clock(None),
            pg_name: self.pg_name,
            run: None,
        }
    }
}

impl Server {
    /// In-process on SQLite.
    pub async fn start() -> Server {
        Self::launch(Setup::default()).await
    }

    pub async fn start_on(backend: Backend) -> Server {
        Self::start_with(backend, "").await
    }

    /// With `extra` TOML appended to the config (whole sections of its own).
    pub async fn start_with(backend: Backend, extra: &str) -> Server {
        Self::launch(Setup {
            backend,
            extra,
            ..Setup::default()
        })
        .await
    }

    /// Builds the server in-process, as `connectid serve` does (`connectid::build`, the config
    /// file loaded as the binary loads it), on a listener bound here, with a fake clock.
    pub async fn launch(setup: Setup<'_>) -> Server {
        let p = prepare(&setup.backend).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (config, base) = p.write_config(&setup, port);
        let cfg =
            connectid::config::load(Some(&config), &[], &connectid::config::Overrides::default())
                .unwrap_or_else(|e| panic!("the test config is refused: {e}"));
        let clock = FakeClock::new(SystemClock.now());
        let running = connectid::build(cfg, Arc::new(clock.clone()), listener.into(), setup.demo)
            .await
            .unwrap_or_else(|e| panic!("the server did not start: {e}"));
        let mut s = p.server(&setup, config, base, port);
        s.clock = Clock(Some(clock));
        s.run = Some(Run::InProcess(running));
        s
    }

    /// The real binary (`connectid serve`) with `RUST_LOG=log_level`, its output in the
    /// tempdir: for what only the binary shows (logs, start-up). Its port is picked from the
    /// system's free ones; the rare start that loses that port to another test is retried.
    pub async fn binary(log_level: &str, backend: Backend, extra: &str) -> Server {
        let setup = Setup {
            backend,
            extra,
            ..Setup::default()
        };
        let p = prepare(&setup.backend).await;
        let serve = |port: u16| {
            let (config, _) = p.write_config(&setup, port);
            let out = std::fs::File::create(p.dir.join("stdout.log")).unwrap();
            let err = std::fs::File::create(p.dir.join("stderr.log")).unwrap();
            let mut c = Command::new(BIN);
            c.args(["--config", config.to_str().unwrap(), "serve"])
                .env("RUST_LOG", log_level)
                .env("NO_COLOR", "1")
                .stdout(Stdio::from(out))
                .stderr(Stdio::from(err));
            c
        };
        let started = spawn_serving(serve, &p.admin, &p.dir.join("stderr.log")).await;
        let port = started.as_ref().map_or(0, |(_, port)| *port);
        let (config, base) = (
            p.dir.join("connectid.toml"),
            format!("http://127.0.0.1:{port}"),
        );
        let mut s = p.server(&setup, config, base, port);
        match started {
            Some((child, _)) => s.run = Some(Run::Binary(child)),
            None => panic!("server did not start: {}", s.logs()),
        }
        s
    }

    /// Stops the binary at once, as `kill -9` does: nothing drained, nothing flushed.
    pub fn kill(&mut self) {
        match self.run.take() {
            Some(Run::Binary(mut child)) => {
                child.kill().unwrap();
                child.wait().unwrap();
            }
            _ => panic!("only the binary can be killed: start it with Server::binary"),
        }
    }

    /// Sends the binary SIGTERM, and does not wait.
    pub fn sigterm(&self) {
        let Some(Run::Binary(child)) = &self.run else {
            panic!("only the binary can be terminated: start it with Server::binary");
        };
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Sends the binary SIGTERM and waits for it to exit (at most `limit`): its exit code,
    /// or `None` if it was still running then (it is killed).
    pub fn terminate(&mut self, limit: Duration) -> Option<i32> {
        self.sigterm();
        let Some(Run::Binary(mut child)) = self.run.take() else {
            unreachable!("sigterm checked it");
        };
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// Starts the binary again on the same config and database (on another port, which
    /// `base` then names).
    pub async fn restart(&mut self) {
        assert!(self.run.is_none(), "kill the server before restarting it");
        let (child, port) = self.spawn_node(&self.dir.join("restart")).await;
        self.port = port;
        self.base = format!("http://127.0.0.1:{port}");
        self.run = Some(Run::Binary(child));
    }

    /// Another node of this deployment: the binary on this server's config and database,
    /// with its own port and logs. Dropping it leaves the database to this server.
    pub async fn node(&self) -> Server {
        let dir = std::env::temp_dir().join(format!("connectid-node-{}", random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (child, port) = self.spawn_node(&dir).await;
        Server {
            dir,
            config: self.config.clone(),
            base: format!("http://127.0.0.1:{port}"),
            admin: self.admin.clone(),
            port,
            backend: self.backend.clone(),
            database_url: self.database_url.clone(),
            clock: Clock(None),
            pg_name: None,
            run: Some(Run::Binary(child)),
        }
    }

    /// `connectid serve` on this server's config, listening on a port of its own (and with
    /// the issuer there), its output in `logs`.
    async fn spawn_node(&self, logs: &Path) -> (Child, u16) {
        std::fs::create_dir_all(logs).unwrap();
        let stderr = logs.join("stderr.log");
        let serve = |port: u16| {
            let out = std::fs::File::create(logs.join("stdout.log")).unwrap();
            let err = std::fs::File::create(&stderr).unwrap();
            let mut c = Command::new(BIN);
            c.args(["--config", self.config.to_str().unwrap(), "serve"])
                .env("CONNECTID_LISTEN", format!("127.0.0.1:{port}"))
                .env("CONNECTID_ISSUER", format!("http://127.0.0.1:{port}"))
                .env("RUST_LOG", "info")
                .env("NO_COLOR", "1")
                .stdout(Stdio::from(out))
                .stderr(Stdio::from(err));
            c
        };
        spawn_serving(serve, &self.admin, &stderr)
            .await
            .unwrap_or_else(|| {
                panic!(
                    "the node did not start: {}",
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                )
            })
    }

    /// Everything the binary wrote to stdout and stderr so far.
    pub fn logs(&self) -> String {
        assert!(
            !matches!(self.run, Some(Run::InProcess(_))),
            "an in-process server has no logs of its own: start it with Server::binary"
        );
        let out = std::fs::read_to_string(self.dir.join("stdout.log")).unwrap_or_default();
        let err = std::fs::read_to_string(self.dir.join("stderr.log")).unwrap_or_default();
        out + &err
    }

    /// The time as the server sees it.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The in-process server's application state (its store, its clock).
    pub fn state(&self) -> &connectid_web::AppState {
        match &self.run {
            Some(Run::InProcess(r)) => r.state(),
            _ => panic!("the binary's state is in another process"),
        }
    }

    /// Runs the binary's command line on this server's config.
    pub fn cli(&self, args: &[&str], input: &str) -> (i32, String, String) {
        let mut child = Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    /// Registers a web client (implicit consent unless `extra` says otherwise); `extra` is
    /// more of the metadata's members, each with a leading comma.
    pub fn client(&self, extra: &str) -> Value {
        let consent = if extra.contains("\"consent\"") {
            ""
        } else {
            r#","consent":"implicit""#
        };
        let json = format!(
            r#"{{"client_name":"Shop","redirect_uris":["{REDIRECT}"],"post_logout_redirect_uris":["{BYE}"],"grant_types":["authorization_code","refresh_token"]{consent}{extra}}}"#
        );
        self.client_json(&json)
    }

    pub fn client_json(&self, json: &str) -> Value {
        let (code, out, err) = self.cli(&["clients", "create"], json);
        assert_eq!(code, 0, "{json}: {err}");
        serde_json::from_str(&out).unwrap()
    }

    /// An account with this email and the test password: its id.
    pub fn account(&self, email: &str) -> String {
        self.account_with(&[], &[email], true)
    }

    /// `accounts create` with these identifiers, and the test password when `password`.
    pub fn try_account(&self, phones: &[&str], emails: &[&str], password: bool) -> (i32, String) {
        let mut args = vec!["accounts", "create"];
        for p in phones {
            args.extend(["--phone", p]);
        }
        for e in emails {
            args.extend(["--email", e]);
        }
        if password {
            args.push("--password-stdin");
        }
        let (code, out, err) = self.cli(&args, &format!("{PASSWORD}\n"));
        (code, if code == 0 { out } else { err })
    }

    /// Creates an account and returns its id (the `sub` of its ID tokens).
    pub fn account_with(&self, phones: &[&str], emails: &[&str], password: bool) -> String {
        let (code, out) = self.try_account(phones, emails, password);
        assert_eq!(code, 0, "{out}");
        serde_json::from_str::<Value>(&out).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `accounts show`: identifiers (kind, value, verified) and has_password.
    pub fn show(&self, sub: &str) -> Value {
        let (code, out, err) = self.cli(&["accounts", "show", sub], "");
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    }

    /// Every message in the outbox, in order.
    pub fn outbox(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join("outbox.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// `/metrics` as Prometheus scrapes it.
    pub async fn metrics(&self) -> String {
        reqwest::get(format!("{}/metrics", self.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn messages_to(&self, to: &str) -> Vec<Value> {
        self.outbox()
            .into_iter()
            .filter(|m| m["to"] == to)
            .collect()
    }

    /// The code in the last message to `to`: its only run of exactly six digits.
    pub fn last_code(&self, to: &str) -> String {
        let msg = self
            .messages_to(to)
            .pop()
            .unwrap_or_else(|| panic!("no message to {to}"));
        let body = msg["body"].as_str().unwrap();
        let codes: Vec<&str> = body
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| w.len() == 6)
            .collect();
        assert!(!codes.is_empty(), "no six-digit code in {body:?}");
        assert!(
            codes.iter().all(|c| c == &codes[0]),
            "one code per message: {body:?}"
        );
        codes[0].to_string()
    }

    /// The database files' bytes (main file and write-ahead log), for secrets at rest.
    pub fn database_bytes(&self) -> Vec<u8> {
        ["c.db", "c.db-wal"]
            .iter()
            .flat_map(|f| std::fs::read(self.dir.join(f)).unwrap_or_default())
            .collect()
    }

    pub async fn healthy(&self) -> bool {
        matches!(reqwest::get(format!("{}/healthz", self.base)).await, Ok(r) if r.status() == 200)
    }
}

/// A port no one listens on now, for a process that binds it itself (the binary, the
/// WebDriver): whoever binds it first wins, so its users check that it is theirs.
pub fn unused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `connectid serve` as `command(port)` makes it, on a port it binds itself, and
/// waits until it serves: its process and port, or None when it failed (its log says why).
/// The rare start that loses the port to another test is retried on another.
pub async fn spawn_serving(
    mut command: impl FnMut(u16) -> Command,
    admin: &str,
    log: &Path,
) -> Option<(Child, u16)> {
    for _ in 0..5 {
        let port = unused_port();
        let mut child = command(port).spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        match wait_until_serving(&mut child, &base, admin, log).await {
            Serving::Up => return Some((child, port)),
            Serving::LostThePort => continue,
            Serving::Failed => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    None
}

pub enum Serving {
    Up,
    /// It exited saying it could not listen: another test took the port first.
    LostThePort,
    Failed,
}

/// Waits until the child answers on `base` as itself: `/readyz`, then its admin API with its
/// own `admin` token (a server of another test on a reused port would refuse that token).
/// `log` is where its standard error goes.
pub async fn wait_until_serving(child: &mut Child, base: &str, admin: &str, log: &Path) -> Serving {
    let http = reqwest::Client::new();
    for _ in 0..400 {
        if let Ok(Some(_)) = child.try_wait() {
            let said = std::fs::read_to_string(log).unwrap_or_default();
            return if said.contains("cannot listen") {
                Serving::LostThePort
            } else {
                Serving::Failed
            };
        }
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status() == 200
            && let Ok(r) = http
                .get(format!("{base}/admin/clients"))
                .bearer_auth(admin)
                .send()
                .await
            && r.status() == 200
        {
            return Serving::Up;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Serving::Failed
}
