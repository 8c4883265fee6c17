//! Real-browser tests: the binary with `--demo` on a free port, Debian's Chromium driven
//! over WebDriver (chromedriver), through the demo services exactly as a person would click.
//! Screenshots of every step go to `$CARGO_TARGET_TMPDIR/browser-screenshots/`.
//!
//! Needs `chromium` and `chromium-driver` (Debian) and, for the accessibility check,
//! axe-core from npm (`npm ci --prefix crates/connectid/tests/browser`). Without chromedriver
//! the tests say SKIPPED loudly; with `CI` set they fail instead.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use connectid_core::crypto::random_id;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_connectid");
const PASSWORD: &str = "plum tree harbour 77";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Demo {
    dir: PathBuf,
    config: PathBuf,
    base: String,
    _server: Proc,
}

impl Demo {
    async fn start() -> Demo {
        let dir = std::env::temp_dir().join(format!("connectid-browser-{}", random_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port();
        // localhost, not 127.0.0.1: the cookies are not Secure there (SPEC §5).
        let base = format!("http://localhost:{port}");
        let config = dir.join("connectid.toml");
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:{port}\"\nissuer = \"{base}\"\ndatabase_url = \"sqlite://{db}\"\n\
                 [sms]\noutbox = \"{ob}\"\n[email]\noutbox = \"{ob}\"\n",
                db = dir.join("c.db").display(),
                ob = dir.join("outbox.jsonl").display()
            ),
        )
        .unwrap();
        let child = Command::new(BIN)
            .args(["--config", config.to_str().unwrap(), "serve", "--demo"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Proc(child);
        for _ in 0..200 {
            if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await
                && r.status() == 200
            {
                return Demo {
                    dir,
                    config,
                    base,
                    _server: server,
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server did not start");
    }

    fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join("outbox.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The code of the newest message: the first run of six digits in its body.
    fn latest_code(&self) -> String {
        let msgs = self.messages();
        let body = msgs.last().expect("a message was sent")["body"]
            .as_str()
            .unwrap()
            .to_string();
        let chars: Vec<char> = body.chars().collect();
        for w in chars.windows(6) {
            if w.iter().all(char::is_ascii_digit) {
                return w.iter().collect();
            }
        }
        panic!("no code in {body}");
    }

    fn account_with_password(&self, phone: &str) {
        let mut child = Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(["accounts", "create", "--phone", phone, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(PASSWORD.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
}

struct Browser {
    c: Client,
    shots: PathBuf,
    name: &'static str,
    n: usize,
    _driver: Proc,
}

impl Drop for Browser {
    /// Ends the WebDriver session so that chromedriver quits Chromium: killing the driver
    /// alone leaves Chromium running, and its processes piled up by the hundred over a few
    /// runs. (Browser tests run on the multi-threaded runtime, where this may block.)
    fn drop(&mut self) {
        let c = self.c.clone();
        tokio::task::block_in_place(|| {
            let _ = tokio::runtime::Handle::current().block_on(c.close());
        });
    }
}

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Starts chromedriver and a headless Chromium; `None` (with a loud message) only outside CI.
async fn browser(name: &'static str, width: u32, height: u32) -> Option<Browser> {
    let Some(driver) = chromedriver() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromedriver is missing: install chromium and chromium-driver"
        );
        eprintln!(
            "SKIPPED: browser test {name}: chromedriver not installed (apt install chromium chromium-driver)"
        );
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let proc = Proc(child);
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     format!("--window-size={width},{height}"), "--lang=en-US",
                     "--hide-scrollbars"],
        }
    });
    let caps = caps.as_object().unwrap().clone().into_iter().collect();
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let c = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&url)
        .await
        .expect("a WebDriver session");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    Some(Browser {
        c,
        shots,
        name,
        n: 0,
        _driver: proc,
    })
}

impl Browser {
    async fn go(&self, url: &str) {
        self.c.goto(url).await.unwrap();
    }

    async fn shot(&mut self, label: &str) {
        self.n += 1;
        let png = self.c.screenshot().await.unwrap();
        let path = self
            .shots
            .join(format!("{}-{:02}-{label}.png", self.name, self.n));
        eprintln!("screenshot {}", path.display());
        std::fs::write(path, png).unwrap();
    }

    /// The `data-step` of the sign-in page shown (empty on other pages).
    async fn step(&self) -> String {
        match self.c.find(Locator::Css("main[data-step]")).await {
            Ok(e) => e.attr("data-step").await.unwrap().unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn wait_step(&self, want: &str) {
        for _ in 0..100 {
            if self.step().await == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let src = self.c.source().await.unwrap_or_default();
        panic!("expected step {want}, got {:?}\n{src}", self.step().await);
    }

    async fn fill(&self, css: &str, text: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Clicks and waits until a new document has replaced this one (so nothing after reads
    /// the old page while redirects are still running).
    async fn click(&self, css: &str) {
        self.c
            .execute("document.documentElement.dataset.old = '1';", vec![])
            .await
            .unwrap();
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_new_document().await;
    }

    async fn mark(&self) {
        self.c
            .execute("document.documentElement.dataset.old = '1';", vec![])
            .await
            .unwrap();
    }

    async fn wait_new_document(&self) {
        let script =
            "return document.readyState === 'complete' && !document.documentElement.dataset.old;";
        for _ in 0..200 {
            if let Ok(Value::Bool(true)) = self.c.execute(script, vec![]).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no new page after a click: {}",
            self.c.current_url().await.unwrap()
        );
    }

    async fn submit(&self) {
        self.click("main form:not(.link) button[type=submit]").await;
    }

    async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// On a demo service's page: who it says is signed in (empty when nobody). Waits until
    /// the redirects have settled on a service page (read in one script: no stale elements).
    async fn signed_in_as(&self) -> String {
        let script = "if (document.readyState !== 'complete') return null;
            if (!document.querySelector('[data-demo=service]')) return null;
            const w = document.querySelector('[data-signed-in-as]');
            return w ? w.getAttribute('data-signed-in-as') : '';";
        for _ in 0..200 {
            if let Ok(Value::String(who)) = self.c.execute(script, vec![]).await {
                return who;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "not on a demo service page: {}",
            self.c.current_url().await.unwrap()
        );
    }

    async fn no_horizontal_scroll(&self) {
        let v = self
            .c
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, inner) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
        assert!(
            scroll <= inner,
            "horizontal scrolling on {}: {scroll} > {inner}",
            self.c.current_url().await.unwrap()
        );
    }

    /// axe-core in the page: no serious or critical violations.
    async fn accessible(&self) {
        let axe = axe_source();
        self.c.execute(&axe, vec![]).await.unwrap();
        let result = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']})
                    .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))))
                    .catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));",
                vec![],
            )
            .await
            .unwrap();
        let bad: Vec<&Value> = result
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .collect();
        assert!(
            bad.is_empty(),
            "accessibility violations on {} ({}): {bad:?}",
            self.c.current_url().await.unwrap(),
            self.step().await
        );
    }

    async fn every_input_has_a_label(&self) {
        let unlabeled = self
            .c
            .execute(
                "return [...document.querySelectorAll('input:not([type=hidden]):not([hidden])')]
                    .filter(i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label'))
                    .map(i => i.name);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(unlabeled, json!([]), "inputs without a label");
    }

    async fn cookie_expires(&self, name: &str) -> Option<bool> {
        let cookies = self.c.get_all_cookies().await.unwrap();
        cookies
            .iter()
            .find(|c| c.name() == name)
            .map(|c| c.expires().is_some())
    }
}

fn axe_source() -> String {
    let path = std::env::var_os("AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "axe-core not found at {}: run `npm ci --prefix crates/connectid/tests/browser`",
            path.display()
        )
    })
}

/// Signs in on the identifier page with a phone and the SMS code from the outbox.
async fn phone_and_code(b: &mut Browser, demo: &Demo, phone: &str, label: &str) {
    b.wait_step("identifier").await;
    b.shot(&format!("{label}-identifier")).await;
    b.fill("#identifier", phone).await;
    b.submit().await;
    b.wait_step("code").await;
    b.shot(&format!("{label}-code")).await;
    let code = demo.latest_code();
    b.fill("#code", &code).await;
    b.submit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sso_across_two_services_with_one_code_then_step_up() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("sso", 1280, 900).await else {
        return;
    };
    let phone = "+4790000001";
    b.go(&format!("{}/demo", demo.base)).await;
    b.shot("demo-index").await;
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    assert_eq!(b.signed_in_as().await, "");
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, phone, "hipstagram").await;
    assert_eq!(b.signed_in_as().await, phone);
    assert_eq!(b.text("[data-acr]").await, "1");
    b.shot("hipstagram-signed-in").await;

    // All the news wants LoA2: only the password step (here: the first password, since the
    // phone was proven a moment ago), no second code.
    b.go(&format!("{}/demo/allthenews/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("set-password").await;
    b.fill("#new_password", PASSWORD).await;
    // The strength meter updates while typing (JavaScript asks the server for the score).
    let mut score = String::new();
    for _ in 0..100 {
        score =
            b.c.find(Locator::Css("#strength"))
                .await
                .unwrap()
                .attr("data-score")
                .await
                .unwrap()
                .unwrap_or_default();
        if !score.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        matches!(score.as_str(), "3" | "4"),
        "live strength: {score:?}"
    );
    b.shot("allthenews-step-up").await;
    b.submit().await;
    assert_eq!(b.signed_in_as().await, phone);
    assert_eq!(b.text("[data-acr]").await, "2");
    b.shot("allthenews-signed-in").await;
    assert_eq!(demo.messages().len(), 1, "one SMS code in all");

    // Sign out of Hipstagram only, sign in again: single sign-on, no page at all.
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("form[action$='/logout'] button").await;
    assert_eq!(b.signed_in_as().await, "");
    b.click("[data-action=signin]").await;
    assert_eq!(b.signed_in_as().await, phone);
    assert_eq!(demo.messages().len(), 1, "SSO sent no code");

    // Strusic never uses SSO: it asks again, and wants an email.
    b.go(&format!("{}/demo/strusic/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.fill("#identifier", phone).await;
    b.submit().await;
    b.wait_step("password").await;
    b.fill("#password", PASSWORD).await;
    b.submit().await;
    b.wait_step("add-email").await;
    b.shot("strusic-add-email").await;
    b.fill("#email", "Listener@Example.com").await;
    b.submit().await;
    b.wait_step("code").await;
    let code = demo.latest_code();
    assert_eq!(demo.messages().last().unwrap()["channel"], "email");
    b.fill("#code", &code).await;
    b.submit().await;
    assert_eq!(b.signed_in_as().await, phone);
    b.shot("strusic-signed-in").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn step_up_asks_only_for_the_password_of_the_same_account() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("stepup", 1280, 900).await else {
        return;
    };
    let phone = "+4790000002";
    demo.account_with_password(phone);
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, phone, "hipstagram").await;
    assert_eq!(b.signed_in_as().await, phone);
    assert_eq!(b.text("[data-acr]").await, "1");
    b.click("a[href$='login?acr=2']").await;
    b.wait_step("password").await;
    assert!(b.c.source().await.unwrap().contains(phone));
    b.shot("password-only").await;
    b.fill("#password", "not the password").await;
    b.submit().await;
    b.wait_step("password").await;
    assert!(!b.text("[role=alert]").await.is_empty());
    b.fill("#password", PASSWORD).await;
    b.submit().await;
    assert_eq!(b.signed_in_as().await, phone);
    assert_eq!(b.text("[data-acr]").await, "2");
    assert_eq!(demo.messages().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn not_staying_signed_in_leaves_only_browser_session_cookies() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("stay", 1280, 900).await else {
        return;
    };
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    // A checkbox: no navigation.
    b.c.find(Locator::Css("input[name=remember]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("#identifier", "+4790000003").await;
    b.submit().await;
    b.wait_step("code").await;
    // The choice made on the first page is kept on the code page.
    let checked =
        b.c.find(Locator::Css("input[name=remember]"))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap();
    assert_eq!(checked.as_deref(), Some("false"));
    b.fill("#code", &demo.latest_code()).await;
    b.submit().await;
    assert_eq!(b.signed_in_as().await, "+4790000003");
    b.shot("td-sls").await;
    assert!(b.c.source().await.unwrap().contains("td_sls"));
    assert_eq!(b.cookie_expires("cid_session").await, Some(false));
    assert_eq!(b.cookie_expires("demo_hipstagram").await, Some(false));

    // A browser restart drops session cookies; then the person must sign in again.
    b.c.delete_cookie("cid_session").await.unwrap();
    b.c.delete_cookie("demo_hipstagram").await.unwrap();
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_of_connectid_ends_single_sign_on() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("signout", 1280, 900).await else {
        return;
    };
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, "+4790000004", "hipstagram").await;
    assert_eq!(b.cookie_expires("cid_session").await, Some(true));
    b.click("form[action$='/logout-everywhere'] button").await;
    // RP-initiated logout with id_token_hint returns straight to the service.
    assert_eq!(b.signed_in_as().await, "");
    b.shot("signed-out").await;
    assert_eq!(b.cookie_expires("cid_session").await, None);
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn urdu_is_right_to_left_and_the_switcher_changes_language() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("urdu", 1280, 900).await else {
        return;
    };
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.click("nav.langs a[hreflang=ur]").await;
    b.wait_step("identifier").await;
    let v =
        b.c.execute(
            "return [document.documentElement.lang, document.documentElement.dir,
                     getComputedStyle(document.querySelector('main')).direction,
                     document.querySelector('h1').textContent];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(v[0], "ur");
    assert_eq!(v[1], "rtl");
    assert_eq!(v[2], "rtl");
    assert_ne!(v[3], "Sign in");
    b.shot("urdu-identifier").await;
    // The language stays for the rest of the sign-in, SMS included.
    b.fill("#identifier", "+4790000005").await;
    b.submit().await;
    b.wait_step("code").await;
    b.shot("urdu-code").await;
    let body = demo.messages().last().unwrap()["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !body.starts_with("Your CONNECT ID code"),
        "SMS not localised: {body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn phone_viewport_accessibility_and_keyboard_only() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("mobile", 375, 667).await else {
        return;
    };
    b.c.set_window_size(375, 667).await.unwrap();
    b.go(&format!("{}/demo", demo.base)).await;
    b.no_horizontal_scroll().await;
    b.accessible().await;
    b.go(&format!("{}/demo/strusic/", demo.base)).await;
    b.no_horizontal_scroll().await;
    b.accessible().await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.shot("mobile-identifier").await;
    b.no_horizontal_scroll().await;
    b.every_input_has_a_label().await;
    b.accessible().await;

    // Keyboard only: the field has focus; type and press Enter.
    let enter: String = char::from(fantoccini::key::Key::Enter).to_string();
    let active = b.c.active_element().await.unwrap();
    assert_eq!(
        active.attr("name").await.unwrap().as_deref(),
        Some("identifier")
    );
    b.mark().await;
    active
        .send_keys(&format!("new.person@example.com{enter}"))
        .await
        .unwrap();
    b.wait_new_document().await;
    b.wait_step("code").await;
    b.shot("mobile-code").await;
    b.no_horizontal_scroll().await;
    b.every_input_has_a_label().await;
    b.accessible().await;
    let active = b.c.active_element().await.unwrap();
    b.mark().await;
    active
        .send_keys(&format!("{}{enter}", demo.latest_code()))
        .await
        .unwrap();
    b.wait_new_document().await;
    b.wait_step("set-password").await;
    b.shot("mobile-set-password").await;
    b.no_horizontal_scroll().await;
    b.every_input_has_a_label().await;
    b.accessible().await;
    // A too-short password: the error is shown in an alert, still accessible.
    let active = b.c.active_element().await.unwrap();
    active.send_keys(&format!("abc{enter}")).await.unwrap();
    b.wait_step("set-password").await;
    b.no_horizontal_scroll().await;
    b.accessible().await;

    // Every language's first page fits the phone and passes the check.
    for lang in ["bn", "my", "th", "ur", "zh-Hans", "sr-Latn"] {
        let url = format!("{}/logout?lang={lang}", demo.base);
        b.go(&url).await;
        b.no_horizontal_scroll().await;
        b.accessible().await;
    }

    // The error page, also by keyboard-less navigation.
    b.go(&format!("{}/authorize?client_id=nobody", demo.base))
        .await;
    b.wait_step("error").await;
    b.shot("mobile-error").await;
    b.no_horizontal_scroll().await;
    b.accessible().await;
}

/// My account in a real browser: from a signed-in demo service to the account pages with no
/// second sign-in, axe on each page, an email added with its code, the connected services,
/// and the link back to the service.
#[tokio::test(flavor = "multi_thread")]
async fn my_account_from_a_service_and_back() {
    let demo = Demo::start().await;
    let Some(mut b) = browser("account", 1280, 900).await else {
        return;
    };
    let phone = "+4790000008";
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, phone, "hipstagram").await;
    assert_eq!(b.signed_in_as().await, phone);
    b.click("[data-action=account]").await;
    b.wait_step("account").await;
    assert!(b.text("main").await.contains(phone));
    assert!(b.text("a.back").await.contains("Hipstagram"));
    b.accessible().await;
    b.shot("overview").await;

    // An email: the form (right after signing in, no second sign-in), then its code.
    let email = "browser-account@example.com";
    b.click("a[href='/account/add?kind=email']").await;
    b.wait_step("account-add").await;
    b.every_input_has_a_label().await;
    b.accessible().await;
    b.shot("add-email").await;
    b.fill("#identifier", email).await;
    b.submit().await;
    b.wait_step("code").await;
    b.fill("#code", &demo.latest_code()).await;
    b.submit().await;
    b.wait_step("account").await;
    assert!(b.text("[role=status]").await.contains(email));
    b.shot("email-added").await;

    b.click("a[href='/account/services']").await;
    b.wait_step("account-services").await;
    assert!(b.text("main").await.contains("Hipstagram"));
    b.accessible().await;
    b.shot("services").await;

    // Back to the service, still signed in.
    b.go(&format!(
        "{}/account?client_id=hipstagram&redirect_uri={}/demo/hipstagram/",
        demo.base, demo.base
    ))
    .await;
    b.wait_step("account").await;
    b.click("a.back").await;
    assert_eq!(b.signed_in_as().await, phone);
}
