//! Sites under one domain behind the proxies people run (issue 23): nginx (`auth_request`)
//! and Caddy (`forward_auth`) from Debian's packages, configured with the README's own
//! snippets (read from the README here, so the two cannot drift; only hosts and ports are
//! changed, and `/resolve` becomes `/resolve/acr/2` or `/resolve/max_age/N` where the README's
//! comment says so), in front of a small upstream that shows what it received. Traefik is not
//! packaged for Debian: its requests are replayed with the headers its documentation lists.
//!
//! The browser resolves `id.sites.localhost` and `wiki.sites.localhost` to 127.0.0.1 and sends what
//! a browser loading a page sends (`Sec-Fetch-Mode: navigate`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::Router;
use axum::http::HeaderMap;
use connectid_core::crypto::random_id;
use serde_json::{Value, json};
use support::*;

const WIKI: &str = "wiki.sites.localhost";
const PAGE: &str = "/wiki/page?action=edit&section=2&q=a%26b";

/// The first code block of `lang` in the README's "Sites under one domain" section.
fn readme_block(lang: &str) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let section = readme
        .split("### Sites under one domain")
        .nth(1)
        .expect("the README's section \"Sites under one domain\"");
    let start = section
        .find(&format!("```{lang}\n"))
        .unwrap_or_else(|| panic!("no {lang} block in the README's section"));
    let body = &section[start + lang.len() + 4..];
    body[..body.find("```").unwrap()].to_string()
}

/// A proxy process in its own directory, stopped on drop.
struct Proxy {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Proxy {
    fn url(&self, path: &str) -> String {
        format!("http://{WIKI}:{}{path}", self.port)
    }

    fn log(&self) -> String {
        ["error.log", "caddy.log"]
            .iter()
            .filter_map(|f| std::fs::read_to_string(self.dir.join(f)).ok())
            .collect()
    }
}

fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args([
            "-c",
            &format!("command -v {name} || test -x /usr/sbin/{name}"),
        ])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        skipped(&format!(
            "forward-auth with {name}: not installed (Debian's package; ./test installs it)"
        ));
    }
    found
}

async fn wait_listening(port: u16, what: &str, p: &mut Proxy) {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        if let Ok(Some(status)) = p.child.try_wait() {
            panic!("{what} exited ({status}): {}", p.log());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not listen: {}", p.log());
}

/// nginx with the README's `location` blocks in a server of its own.
async fn nginx(locations: &str) -> Option<Proxy> {
    if !tool("nginx") {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("connectid-nginx-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = unused_port();
    let d = dir.display();
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\n\
         error_log {d}/error.log warn;\nevents {{ worker_connections 64; }}\n\
         http {{\n access_log off;\n client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n\
         server {{\n listen 127.0.0.1:{port};\n server_name {WIKI};\n{locations}\n }}\n}}\n"
    );
    std::fs::write(dir.join("nginx.conf"), conf).unwrap();
    let child = Command::new("nginx")
        .args(["-p", &d.to_string(), "-c", &format!("{d}/nginx.conf")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut p = Proxy { child, port, dir };
    wait_listening(port, "nginx", &mut p).await;
    Some(p)
}

/// Caddy with the README's site block, no admin endpoint and no automatic HTTPS.
async fn caddy(site: &str) -> Option<Proxy> {
    if !tool("caddy") {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("connectid-caddy-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = unused_port();
    let site = site.replace(&format!("{WIKI} {{"), &format!("http://{WIKI}:{port} {{"));
    let file = format!(
        "{{\n\tadmin off\n\tauto_https off\n\tlog {{\n\t\toutput file {}/caddy.log\n\t}}\n}}\n{site}",
        dir.display()
    );
    std::fs::write(dir.join("Caddyfile"), file).unwrap();
    let child = Command::new("caddy")
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(dir.join("Caddyfile"))
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .env("XDG_CONFIG_HOME", &dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut p = Proxy { child, port, dir };
    wait_listening(port, "caddy", &mut p).await;
    Some(p)
}

/// The README's nginx snippet for this server and upstream, asking `resolve` (a path).
fn nginx_conf(s: &Server, upstream: &str, resolve: &str) -> String {
    readme_block("nginx")
        .replace(
            "proxy_pass https://id.example.com/resolve;",
            &format!("proxy_pass http://127.0.0.1:{}{resolve};", s.port),
        )
        .replace("http://127.0.0.1:3000", upstream)
}

/// The README's Caddy snippet for this server and upstream, asking `resolve` (a path).
fn caddy_conf(s: &Server, upstream: &str, resolve: &str) -> String {
    readme_block("caddy")
        .replace("wiki.example.com", WIKI)
        .replace(
            "https://id.example.com",
            &format!("http://127.0.0.1:{}", s.port),
        )
        .replace("uri /resolve", &format!("uri {resolve}"))
        .replace("127.0.0.1:3000", upstream.trim_start_matches("http://"))
}

/// An upstream that shows what the proxy passed on.
async fn upstream() -> String {
    async fn show(uri: axum::http::Uri, headers: HeaderMap) -> axum::Json<Value> {
        let h = |n: &str| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        axum::Json(json!({
            "uri": uri.to_string(),
            "x_user": h("x-user"),
            "x_connectid_sub": h("x-connectid-sub"),
        }))
    }
    serve_app(Router::new().fallback(show)).await
}

async fn server(backend: Backend, proxies: &str) -> Server {
    let extra = format!(
        "[session]\ncookie_domain = \"sites.localhost\"\n[http]\nforwarded_proxies = [{proxies}]\n"
    );
    Server::launch(Setup {
        backend,
        extra: &extra,
        host: "id.sites.localhost",
        demo: false,
    })
    .await
}

/// A browser that finds the test's host names on 127.0.0.1 and loads pages as a browser does.
fn browser() -> Browser {
    let local = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("sec-fetch-mode", "navigate".parse().unwrap());
    headers.insert(
        "accept",
        "text/html,application/xhtml+xml,*/*;q=0.8".parse().unwrap(),
    );
    let mut b = Browser::new();
    b.http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .resolve("id.sites.localhost", local)
        .resolve(WIKI, local)
        .default_headers(headers)
        .build()
        .unwrap();
    b
}

/// What a visit went through: the steps of the sign-in pages shown, and redirects followed.
struct Visit {
    answer: Answer,
    steps: Vec<String>,
    redirects: usize,
    last_url: String,
}

/// Loads `url` and goes wherever it leads, answering the sign-in pages as `who` would, until
/// a page that is not a sign-in step (the upstream's answer, an error page).
async fn visit(
    s: &Server,
    b: &mut Browser,
    url: &str,
    who: &str,
    headers: &[(&str, &str)],
) -> Visit {
    let mut current = url.to_string();
    let mut a = b.get_with(&current, headers).await;
    let (mut steps, mut redirects) = (Vec::new(), 0);
    for _ in 0..40 {
        if let Some(loc) = a.location.clone() {
            redirects += 1;
            assert!(redirects < 12, "a redirect loop: {steps:?} → {loc}");
            current = absolute(&current, &loc);
            a = b.get(&current).await;
            continue;
        }
        let st = if a.body.contains("data-step=") {
            step(&a.body)
        } else {
            String::new()
        };
        let answer = match st.as_str() {
            "identifier" => who.to_string(),
            "password" => PASSWORD.to_string(),
            "code" => s.last_code(who),
            _ => {
                return Visit {
                    answer: a,
                    steps,
                    redirects,
                    last_url: current,
                };
            }
        };
        let field = match st.as_str() {
            "identifier" => "identifier",
            "password" => "password",
            _ => "code",
        };
        steps.push(st);
        let csrf = attr(&a.body, "name=\"csrf\"", "value");
        current = absolute(&current, &form_action(&a.body));
        a = b.post(&current, &[("csrf", &csrf), (field, &answer)]).await;
    }
    panic!("did not arrive: {steps:?} {}", a.body);
}

fn absolute(current: &str, loc: &str) -> String {
    if loc.starts_with("http://") || loc.starts_with("https://") {
        return loc.to_string();
    }
    let origin_end = current[8..].find('/').map_or(current.len(), |i| i + 8);
    format!("{}{loc}", &current[..origin_end])
}

fn upstream_saw(v: &Visit) -> Value {
    assert_eq!(v.answer.status, 200, "{}", v.answer.body);
    serde_json::from_str(&v.answer.body)
        .unwrap_or_else(|_| panic!("not the upstream: {}", v.answer.body))
}

/// Signs out of connectid as a person does: the logout page, its button.
async fn sign_out(s: &Server, b: &mut Browser) {
    let page = b.get(&format!("{}/logout", s.base)).await;
    let csrf = attr(&page.body, "name=\"csrf\"", "value");
    let action = absolute(&s.base, &form_action(&page.body));
    let a = b.post(&action, &[("csrf", &csrf)]).await;
    assert!(a.status < 400, "{}", a.body);
}

/// Sign-in with a deep link, step-up and fresh sign-in through one proxy kind, no loops.
async fn through(kind: &str, backend: Backend) {
    let s = server(backend, "\"127.0.0.1/32\"").await;
    let up = upstream().await;
    let start = |resolve: &str| {
        let (s, up, resolve) = (&s, up.clone(), resolve.to_string());
        async move {
            match kind {
                "nginx" => nginx(&nginx_conf(s, &up, &resolve)).await,
                _ => caddy(&caddy_conf(s, &up, &resolve)).await,
            }
        }
    };
    let Some(plain) = start("/resolve").await else {
        return;
    };
    let Some(loa2) = start("/resolve/acr/2").await else {
        return;
    };
    let Some(fresh) = start("/resolve/max_age/60").await else {
        return;
    };
    let phone = unique_phone();
    let sub = s.account_with(&[phone.as_str()], &[], true);
    let mut b = browser();

    // A deep link with a query string: sign in with a code, back to exactly that page, and
    // the upstream hears who it is, whatever the browser claimed.
    let forged = [("x-user", "admin"), ("x-connectid-sub", "admin")];
    let v = visit(&s, &mut b, &plain.url(PAGE), &phone, &forged).await;
    let saw = upstream_saw(&v);
    assert_eq!(saw["uri"], PAGE, "{kind}: the page, query string and all");
    assert_eq!(v.last_url, plain.url(PAGE));
    let user = if kind == "nginx" {
        "x_user"
    } else {
        "x_connectid_sub"
    };
    assert_eq!(saw[user], sub.as_str(), "{kind}: {saw}");
    assert_eq!(v.steps, ["identifier", "code"], "{kind}");

    // Signed in: straight through.
    let v = visit(&s, &mut b, &plain.url("/other?x=1"), &phone, &forged).await;
    assert_eq!(upstream_saw(&v)[user], sub.as_str());
    assert_eq!((v.redirects, v.steps.len()), (0, 0), "{kind}");

    // A location that wants a password: asked once, then back; no loop.
    let v = visit(&s, &mut b, &loa2.url(PAGE), &phone, &[]).await;
    assert_eq!(upstream_saw(&v)["uri"], PAGE, "{kind}");
    assert_eq!(
        v.steps.last().map(String::as_str),
        Some("password"),
        "{kind}: {:?}",
        v.steps
    );
    let v = visit(&s, &mut b, &loa2.url("/again"), &phone, &[]).await;
    assert_eq!((v.redirects, v.steps.len()), (0, 0), "{kind}: LoA2 now");

    // A location that wants a sign-in of the last minute: after two, a fresh one.
    let v = visit(&s, &mut b, &fresh.url("/recent"), &phone, &[]).await;
    assert_eq!(
        (v.redirects, v.steps.len()),
        (0, 0),
        "{kind}: signed in just now"
    );
    s.clock.advance(120);
    let v = visit(&s, &mut b, &fresh.url(PAGE), &phone, &[]).await;
    assert_eq!(upstream_saw(&v)["uri"], PAGE, "{kind}");
    assert!(!v.steps.is_empty(), "{kind}: a fresh sign-in was asked for");

    // Signed out of connectid: every site asks again.
    sign_out(&s, &mut b).await;
    let v = visit(&s, &mut b, &plain.url("/"), &phone, &[]).await;
    assert_eq!(
        v.steps.first().map(String::as_str),
        Some("identifier"),
        "{kind}"
    );
    drop((plain, loa2, fresh));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_with_the_readmes_snippet() {
    for backend in backends() {
        through("nginx", backend).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_with_the_readmes_snippet() {
    for backend in backends() {
        through("caddy", backend).await;
    }
}

/// Caddy passes a page's own query string to `/resolve`: it must change nothing, and a
/// script's request gets 401 with the sign-in URL instead of a redirect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caddy_pages_cannot_set_the_requirement_and_scripts_get_401() {
    let s = server(Backend::Sqlite, "\"127.0.0.1/32\"").await;
    let up = upstream().await;
    let Some(plain) = caddy(&caddy_conf(&s, &up, "/resolve")).await else {
        return;
    };
    let sub = s.account_with(&["+4791234012"], &[], true);
    let mut b = browser();
    let v = visit(&s, &mut b, &plain.url("/"), "+4791234012", &[]).await;
    assert_eq!(upstream_saw(&v)["x_connectid_sub"], sub.as_str());
    for page in ["/p?acr=bogus", "/p?acr=2", "/p?max_age=0"] {
        let v = visit(&s, &mut b, &plain.url(page), "+4791234012", &[]).await;
        assert_eq!(upstream_saw(&v)["uri"], page, "{page}");
        assert_eq!((v.redirects, v.steps.len()), (0, 0), "{page}");
    }
    let mut stranger = browser();
    let a = stranger
        .get_with(
            &plain.url("/api/data?x=1"),
            &[("sec-fetch-mode", "cors"), ("accept", "application/json")],
        )
        .await;
    assert_eq!(a.status, 401);
    assert!(a.location.is_none());
}

/// Traefik's forwardAuth request, as its documentation describes it: the page in
/// `X-Forwarded-Proto`/`-Host`/`-Uri`, the method in `X-Forwarded-Method`; the answer goes to
/// the browser as it is. Believed from a configured proxy only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traefiks_forward_auth_request_gets_a_redirect_for_a_page_and_401_for_a_script() {
    for backend in backends() {
        let s = server(backend.clone(), "\"127.0.0.1/32\"").await;
        let page = format!("https://{WIKI}{PAGE}");
        let traefik = [
            ("x-forwarded-method", "GET"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", WIKI),
            ("x-forwarded-uri", PAGE),
            ("x-forwarded-for", "198.51.100.7"),
        ];
        let mut b = browser();
        let a = b
            .get_with(&format!("{}/resolve/acr/2", s.base), &traefik)
            .await;
        assert_eq!(a.status, 302);
        let signin = a.location.clone().unwrap();
        assert!(
            signin.starts_with(&format!("{}/resolve/signin?acr=2&rd=", s.base)),
            "{signin}"
        );
        // A script's request: 401, with where to sign in.
        let mut script = traefik.to_vec();
        script.push(("sec-fetch-mode", "cors"));
        let a = browser()
            .get_with(&format!("{}/resolve/acr/2", s.base), &script)
            .await;
        assert_eq!(a.status, 401);
        // A form post is not sent away either.
        let mut post = traefik.to_vec();
        post[0] = ("x-forwarded-method", "POST");
        assert_eq!(
            browser()
                .get_with(&format!("{}/resolve", s.base), &post)
                .await
                .status,
            401
        );

        // Following the redirect: the sign-in (a password: LoA2), then exactly the page.
        let email = format!("t{}@example.com", random_id());
        s.account(&email);
        let mut current = signin;
        let mut a = b.get(&current).await;
        for _ in 0..20 {
            if let Some(loc) = a.location.clone() {
                current = absolute(&current, &loc);
                if current == page {
                    break;
                }
                a = b.get(&current).await;
                continue;
            }
            let st = step(&a.body);
            let (field, value) = match st.as_str() {
                "identifier" => ("identifier", email.clone()),
                "password" => ("password", PASSWORD.to_string()),
                other => panic!("unexpected step {other}: {}", a.body),
            };
            let csrf = attr(&a.body, "name=\"csrf\"", "value");
            current = absolute(&current, &form_action(&a.body));
            a = b.post(&current, &[("csrf", &csrf), (field, &value)]).await;
        }
        assert_eq!(current, page, "back to exactly the page");
        // Now the same request is let through.
        let a = b
            .get_with(&format!("{}/resolve/acr/2", s.base), &traefik)
            .await;
        assert_eq!(a.status, 200);

        // From an address that is no configured proxy, the headers are not believed.
        let other = server(backend, "\"192.0.2.0/24\"").await;
        let a = browser()
            .get_with(&format!("{}/resolve", other.base), &traefik)
            .await;
        assert_eq!(a.status, 401);
        assert!(a.location.is_none());
    }
}

/// nginx's `auth_request` subrequest: 401 with the sign-in URL for nginx to send the person
/// to (nginx cannot pass a redirect on), built from `X-Original-URL`; a page outside the
/// cookie domain gets none.
#[tokio::test]
async fn nginx_gets_401_with_the_signin_url_and_only_for_pages_under_the_domain() {
    let s = server(Backend::Sqlite, "\"127.0.0.1/32\"").await;
    let page = format!("http://{WIKI}:8080{PAGE}");
    let a = browser()
        .get_with(
            &format!("{}/resolve/max_age/300", s.base),
            &[("x-original-url", &page)],
        )
        .await;
    assert_eq!(a.status, 401);
    let r = reqwest::Client::builder()
        .resolve("id.sites.localhost", SocketAddr::from(([127, 0, 0, 1], 0)))
        .build()
        .unwrap()
        .get(format!("{}/resolve/max_age/300", s.base))
        .header("x-original-url", &page)
        .send()
        .await
        .unwrap();
    let signin = r.headers()["x-connectid-signin"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        signin,
        format!(
            "{}/resolve/signin?max_age=300&rd={}",
            s.base,
            form_urlencoded::byte_serialize(page.as_bytes()).collect::<String>()
        )
    );
    for evil in [
        "https://evil.example/",
        "http://sites.localhost.evil.example/x",
    ] {
        let r = reqwest::Client::builder()
            .resolve("id.sites.localhost", SocketAddr::from(([127, 0, 0, 1], 0)))
            .build()
            .unwrap()
            .get(format!("{}/resolve", s.base))
            .header("x-original-url", evil)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert!(r.headers().get("x-connectid-signin").is_none(), "{evil}");
    }
    // The unescaped form an nginx config may write (`rd=$scheme://$http_host$request_uri`)
    // keeps the whole page too.
    let mut b = browser();
    let a = b.get(&format!("{}/resolve/signin?rd={page}", s.base)).await;
    let loc = a.location.unwrap();
    assert!(
        loc.contains(&form_urlencoded::byte_serialize(page.as_bytes()).collect::<String>()),
        "{loc}"
    );
}
