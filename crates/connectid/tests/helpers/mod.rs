//! Shared by the integration test binaries: the real binary on a free port, a cookie-keeping
//! browser without automatic redirects, and the walk through the real sign-in pages.
//! (The same approach as `e2e.rs`, which keeps its own copy.)

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use connectid_core::crypto::{b64url_decode, pkce_s256, random_id, random_token};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_connectid");
pub const REDIRECT: &str = "http://127.0.0.1:9/cb";
pub const PASSWORD: &str = "correct horse 42";

pub struct Server {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub base: String,
    pub admin: String,
    pub child: Child,
    db: Db,
}

/// Where a test server keeps its data: its own SQLite file, or its own PostgreSQL database
/// on the server `TEST_DATABASE_URL` names (both in CI).
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite,
    Postgres {
        admin_url: String,
        url: String,
        name: String,
    },
}

pub fn backends() -> Vec<Db> {
    let mut out = vec![Db::Sqlite];
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) => {
            let name = format!("it_{}", random_id().to_ascii_lowercase().replace('-', "_"));
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(b, _)| b)
                .to_string();
            out.push(Db::Postgres {
                url: format!("{base}/{name}"),
                admin_url,
                name,
            });
        }
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "TEST_DATABASE_URL is required in CI"
            );
            eprintln!("SKIPPED: PostgreSQL (set TEST_DATABASE_URL)");
        }
    }
    out
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Db::Postgres {
            admin_url, name, ..
        } = &self.db
        {
            let _ = Command::new("psql")
                .args([
                    admin_url.as_str(),
                    "-qc",
                    &format!("DROP DATABASE IF EXISTS {name}"),
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    pub async fn start() -> Server {
        Self::start_on(Db::Sqlite).await
    }

    pub async fn start_on(db: Db) -> Server {
        let dir = std::env::temp_dir().join(format!("connectid-e2e-{}", random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let admin = random_token();
        let config = dir.join("connectid.toml");
        let database_url = match &db {
            Db::Sqlite => format!("sqlite://{}", dir.join("c.db").display()),
            Db::Postgres {
                admin_url,
                url,
                name,
            } => {
                let out = Command::new("psql")
                    .args([
                        admin_url.as_str(),
                        "-qc",
                        &format!("CREATE DATABASE {name}"),
                    ])
                    .output()
                    .expect("psql is needed for the PostgreSQL tests");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                url.clone()
            }
        };
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\nissuer = \"{base}\"\ndatabase_url = \"{database_url}\"\n\
                 [admin]\ntoken = \"{admin}\"\n[sms]\noutbox = \"{ob}\"\n[email]\noutbox = \"{ob}\"\n",
                ob = dir.join("outbox.jsonl").display()
            ),
        )
        .unwrap();
        let child = Command::new(BIN)
            .args(["--config", config.to_str().unwrap(), "serve"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let s = Server {
            dir,
            config,
            base,
            admin,
            child,
            db,
        };
        for _ in 0..200 {
            if let Ok(r) = reqwest::get(format!("{}/readyz", s.base)).await
                && r.status() == 200
            {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server did not start");
    }

    pub fn cli(&self, args: &[&str], input: &str) -> (i32, String, String) {
        let mut child = Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(args)
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

    pub fn client(&self, extra: &str) -> Value {
        let json = format!(
            r#"{{"client_name":"Shop","redirect_uris":["{REDIRECT}"],"post_logout_redirect_uris":["http://127.0.0.1:9/bye"],
                "grant_types":["authorization_code","refresh_token"],"consent":"implicit"{extra}}}"#
        );
        let (code, out, err) = self.cli(&["clients", "create"], &json);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    }

    pub fn account(&self, email: &str) -> String {
        let (code, out, err) = self.cli(
            &["accounts", "create", "--email", email, "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert_eq!(code, 0, "{err}");
        serde_json::from_str::<Value>(&out).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn last_code(&self, to: &str) -> String {
        let text = std::fs::read_to_string(self.dir.join("outbox.jsonl")).unwrap();
        let msg: Value = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .rfind(|m| m["to"] == to)
            .unwrap();
        let body = msg["body"].as_str().unwrap();
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap()
            .to_string()
    }
}

/// A browser: keeps cookies, never follows redirects by itself.
pub struct Browser {
    pub http: reqwest::Client,
    pub cookies: HashMap<String, String>,
}

pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Browser {
    pub fn new() -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    pub async fn send(&mut self, req: reqwest::RequestBuilder) -> Answer {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let r = req
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let (k, v) = c.split(';').next().unwrap().split_once('=').unwrap();
            if v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), v.into());
            }
        }
        Answer {
            status: r.status().as_u16(),
            location: r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string()),
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, url: &str) -> Answer {
        let req = self.http.get(url);
        self.send(req).await
    }

    pub async fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Answer {
        let req = self.http.post(url).form(form);
        self.send(req).await
    }
}

pub fn attr(html: &str, marker: &str, attr: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..at + html[at..].find('>').unwrap()];
    let key = format!("{attr}=\"");
    let v = &tag[tag.find(&key).unwrap() + key.len()..];
    v[..v.find('"').unwrap()]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

pub fn step(html: &str) -> String {
    attr(html, "data-step", "data-step")
}

pub fn query(url: &str) -> HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

pub fn claims(jwt: &str) -> Value {
    serde_json::from_slice(&b64url_decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

pub struct Flow {
    pub verifier: String,
    pub state: String,
    pub nonce: String,
}

pub fn authorize_url(s: &Server, client_id: &str, extra: &str) -> (String, Flow) {
    let verifier = random_token() + "x";
    let flow = Flow {
        state: random_id(),
        nonce: random_id(),
        verifier: verifier.clone(),
    };
    let url = format!(
        "{}/authorize?client_id={client_id}&redirect_uri={REDIRECT}&response_type=code&scope=openid%20email\
         &state={}&nonce={}&code_challenge={}&code_challenge_method=S256{extra}",
        s.base,
        flow.state,
        flow.nonce,
        pkce_s256(&verifier)
    );
    (url, flow)
}

/// Walks the pages from the authorization request to the redirect back to the client.
pub async fn walk(
    s: &Server,
    b: &mut Browser,
    url: &str,
    identifier: &str,
) -> (String, Vec<String>) {
    let mut a = b.get(url).await;
    let mut steps = Vec::new();
    for _ in 0..10 {
        if let Some(loc) = a.location.clone() {
            if loc.starts_with(REDIRECT) {
                return (loc, steps);
            }
            a = b.get(&format!("{}{loc}", s.base)).await;
            continue;
        }
        let st = step(&a.body);
        steps.push(st.clone());
        let csrf = attr(&a.body, "name=\"csrf\"", "value");
        let action = format!("{}{}", s.base, attr_action(&a.body));
        a = match st.as_str() {
            "identifier" => {
                b.post(&action, &[("csrf", &csrf), ("identifier", identifier)])
                    .await
            }
            "password" => {
                b.post(&action, &[("csrf", &csrf), ("password", PASSWORD)])
                    .await
            }
            "code" => {
                let code = s.last_code(identifier);
                b.post(&action, &[("csrf", &csrf), ("code", &code)]).await
            }
            "set-password" => {
                b.post(&action, &[("csrf", &csrf), ("new_password", PASSWORD)])
                    .await
            }
            other => panic!("unexpected step {other}: {}", a.body),
        };
    }
    panic!("sign-in did not finish: {steps:?}");
}

pub fn attr_action(html: &str) -> String {
    let at = html.find("<form method=\"post\" action=\"").unwrap();
    let v = &html[at + "<form method=\"post\" action=\"".len()..];
    v[..v.find('"').unwrap()].replace("&#x2f;", "/")
}

pub async fn exchange(s: &Server, client: &Value, code: &str, verifier: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(
            client["client_id"].as_str().unwrap(),
            client["client_secret"].as_str(),
        )
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
}

/// Signs in (or rides the SSO session) to `client` and exchanges the code: the token response.
pub async fn sign_in(s: &Server, b: &mut Browser, client: &Value, identifier: &str) -> Value {
    let cid = client["client_id"].as_str().unwrap();
    let (url, flow) = authorize_url(s, cid, "");
    let (landed, _) = walk(s, b, &url, identifier).await;
    let r = exchange(s, client, &query(&landed)["code"], &flow.verifier).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Seconds since the epoch, for assertions a test signs itself.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
