//! Debian's Chromium over WebDriver (chromedriver) with axe-core, for the suites that drive a
//! real browser (`browser.rs`, `previewer.rs`). Needs `chromium` and `chromium-driver`, and
//! for the accessibility check axe-core from npm
//! (`npm ci --prefix crates/connectid/tests/browser`). Without chromedriver a test says
//! SKIPPED loudly; with `CI` set it fails instead. Screenshots go to
//! `$CARGO_TARGET_TMPDIR/browser-screenshots/`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// chromedriver, killed on drop.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium in one WebDriver session.
pub struct Chromium {
    pub c: Client,
    shots: PathBuf,
    name: &'static str,
    n: usize,
    _driver: Driver,
}

impl Drop for Chromium {
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

/// Starts chromedriver on a port of its choosing (it says which) and reads that port.
async fn start_driver(path: PathBuf) -> (Driver, u16) {
    let mut child = Command::new(path)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let driver = Driver(child);
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        // Reads on to the end, so that the driver never blocks on a full pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(port) = line
                .strip_prefix("ChromeDriver was started successfully on port ")
                .and_then(|p| p.trim_end_matches('.').parse::<u16>().ok())
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(port);
            }
        }
    });
    let port = tokio::time::timeout(Duration::from_secs(30), rx)
        .await
        .expect("chromedriver did not say its port")
        .expect("chromedriver exited before it listened");
    (driver, port)
}

impl Chromium {
    /// Starts chromedriver and a headless Chromium of this window size; `None` (with a loud
    /// message) only outside CI. `name` prefixes the screenshots.
    pub async fn start(name: &'static str, width: u32, height: u32) -> Option<Chromium> {
        let Some(path) = chromedriver() else {
            super::skipped(&format!(
                "browser test {name}: chromedriver not installed (apt install chromium chromium-driver)"
            ));
            return None;
        };
        if !axe_path().exists() {
            super::skipped(&format!(
                "browser test {name}: axe-core not installed (npm ci --prefix crates/connectid/tests/browser)"
            ));
            return None;
        }
        let (driver, port) = start_driver(path).await;
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
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Some(Chromium {
            c,
            shots,
            name,
            n: 0,
            _driver: driver,
        })
    }

    pub async fn go(&self, url: &str) {
        self.c.goto(url).await.unwrap();
    }

    /// Navigates and checks it happened: a form answered with 204 just before can still be
    /// settling in Chromium and cancel the next navigation, so it is tried again.
    pub async fn go_exactly(&self, url: &str) {
        for _ in 0..5 {
            self.c.goto(url).await.unwrap();
            if self.c.current_url().await.unwrap().as_str() == url {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("could not navigate to {url}");
    }

    pub async fn shot(&mut self, label: &str) {
        self.n += 1;
        let png = self.c.screenshot().await.unwrap();
        let path = self
            .shots
            .join(format!("{}-{:02}-{label}.png", self.name, self.n));
        eprintln!("screenshot {}", path.display());
        std::fs::write(path, png).unwrap();
    }

    /// The `data-step` of the sign-in page shown (empty on other pages).
    pub async fn step(&self) -> String {
        match self.c.find(Locator::Css("main[data-step]")).await {
            Ok(e) => e.attr("data-step").await.unwrap().unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the page shown is step `want`.
    pub async fn wait_step(&self, want: &str) {
        for _ in 0..100 {
            if self.step().await == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let src = self.c.source().await.unwrap_or_default();
        panic!("expected step {want}, got {:?}\n{src}", self.step().await);
    }

    /// Waits until a document loaded after [`Chromium::mark`] shows step `want`.
    pub async fn wait_new_step(&self, want: &str) {
        let script = "return document.readyState === 'complete' && !document.documentElement.dataset.old
            && document.querySelector('main[data-step]') ? document.querySelector('main').dataset.step : null;";
        // A generous bound: the machine running the tests may be busy.
        for _ in 0..600 {
            if let Ok(Value::String(s)) = self.c.execute(script, vec![]).await
                && s == want
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let src = self.c.source().await.unwrap_or_default();
        let url = self.c.current_url().await.unwrap();
        panic!(
            "expected step {want} at {url}, got {:?}\n{src:.3000}",
            self.step().await
        );
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    pub async fn js(&self, script: &str) -> Value {
        self.c.execute(script, vec![]).await.unwrap()
    }

    /// Marks the document, so that a new one (after a navigation) can be told apart.
    pub async fn mark(&self) {
        self.c
            .execute("document.documentElement.dataset.old = '1';", vec![])
            .await
            .unwrap();
    }

    /// Clicks and waits until a new document has replaced this one (so nothing after reads
    /// the old page while redirects are still running).
    pub async fn click(&self, css: &str) {
        self.mark().await;
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_new_document().await;
    }

    pub async fn wait_new_document(&self) {
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

    /// Submits the page's main form.
    pub async fn submit(&self) {
        self.click("main form:not(.link) button[type=submit]").await;
    }

    pub async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn no_horizontal_scroll(&self) {
        let v = self
            .js("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        let (scroll, inner) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
        assert!(
            scroll <= inner,
            "horizontal scrolling on {}: {scroll} > {inner}",
            self.c.current_url().await.unwrap()
        );
    }

    /// axe-core in the page: no serious or critical violations.
    pub async fn accessible(&self) {
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

    pub async fn every_input_has_a_label(&self) {
        let unlabeled = self
            .js(
                "return [...document.querySelectorAll('input:not([type=hidden]):not([hidden])')]
                    .filter(i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label'))
                    .map(i => i.name);",
            )
            .await;
        assert_eq!(unlabeled, json!([]), "inputs without a label");
    }

    /// Whether the cookie `name` has an expiry (None: there is no such cookie).
    pub async fn cookie_expires(&self, name: &str) -> Option<bool> {
        let cookies = self.c.get_all_cookies().await.unwrap();
        cookies
            .iter()
            .find(|c| c.name() == name)
            .map(|c| c.expires().is_some())
    }
}

fn axe_path() -> PathBuf {
    std::env::var_os("AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        })
}

fn axe_source() -> String {
    let path = axe_path();
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "axe-core not found at {}: run `npm ci --prefix crates/connectid/tests/browser`",
            path.display()
        )
    })
}
