//! The demo's pages: `/demo` (what to try, and the outbox), and each service under
//! `/demo/{slug}/` with its own session cookie, sign-in, step-up and the two sign-outs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use connectid_core::crypto::{constant_time_eq, random_token};
use minijinja::Environment;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::rp::{Rp, RpError, SignedIn, Started};
use crate::services::{SERVICES, ServiceSpec};

/// Sessions and pending sign-ins kept per service; the demo is one process, so memory is
/// enough, but bounded so that a flood of requests cannot grow it without end.
const MAX_ENTRIES: usize = 10_000;
const PENDING_TTL: i64 = 15 * 60;
const REMEMBERED: i64 = 30 * 86_400;
mod signin;
use signin::*;

struct ServiceState {
    secret: String,
    sessions: Mutex<HashMap<String, SignedIn>>,
    pending: Mutex<HashMap<String, (i64, Started)>>,
}

#[derive(Clone)]
pub struct Demo {
    inner: Arc<Inner>,
}

struct Inner {
    rp: Rp,
    services: HashMap<&'static str, ServiceState>,
    outboxes: Vec<PathBuf>,
    pages: Environment<'static>,
    secure_cookies: bool,
}

impl Demo {
    /// `secrets` maps each service slug to the client secret registered for it.
    pub fn new(issuer: &str, secrets: &HashMap<String, String>, outboxes: Vec<PathBuf>) -> Self {
        let mut services = HashMap::new();
        for s in SERVICES {
            services.insert(
                s.slug,
                ServiceState {
                    secret: secrets.get(s.slug).cloned().unwrap_or_default(),
                    sessions: Mutex::new(HashMap::new()),
                    pending: Mutex::new(HashMap::new()),
                },
            );
        }
        let mut pages = Environment::new();
        for (name, src) in [
            ("layout.html", include_str!("../templates/layout.html")),
            ("index.html", include_str!("../templates/index.html")),
            ("service.html", include_str!("../templates/service.html")),
        ] {
            if let Err(e) = pages.add_template(name, src) {
                tracing::error!(template = name, error = %e, "demo template does not parse");
            }
        }
        let mut outboxes = outboxes;
        outboxes.dedup();
        let secure_cookies =
            !(issuer.starts_with("http://localhost") || issuer.starts_with("http://127.0.0.1"));
        Self {
            inner: Arc::new(Inner {
                rp: Rp::new(issuer),
                services,
                outboxes,
                pages,
                secure_cookies,
            }),
        }
    }
}

pub fn router(demo: Demo) -> Router {
    Router::new()
        .route("/demo", get(index))
        .route("/demo/", get(index))
        .route("/demo/assets/demo.css", get(css))
        .route("/demo/{slug}/", get(home))
        .route("/demo/{slug}/login", get(login))
        .route("/demo/{slug}/callback", get(callback))
        .route("/demo/{slug}/logout", post(logout_here))
        .route("/demo/{slug}/logout-everywhere", post(logout_everywhere))
        .with_state(demo)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn render(demo: &Demo, status: StatusCode, name: &str, ctx: Value) -> Response {
    match demo
        .inner
        .pages
        .get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(ctx)))
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "demo page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "demo page failed").into_response()
        }
    }
}

fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

fn cookie_name(slug: &str) -> String {
    format!("demo_{slug}")
}

fn state_cookie_name(slug: &str) -> String {
    format!("demo_{slug}_state")
}

fn get_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(demo: &Demo, slug: &str, name: &str, value: &str, max_age: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/demo/{slug}/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if demo.inner.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

fn service<'a>(demo: &'a Demo, slug: &str) -> Option<(&'static ServiceSpec, &'a ServiceState)> {
    let spec = ServiceSpec::find(slug)?;
    let st = demo.inner.services.get(spec.slug)?;
    Some((spec, st))
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

/// The last messages of the outbox, newest first: the demo's SMS gateway and mailbox.
fn outbox_messages(demo: &Demo, limit: usize) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    for path in &demo.inner.outboxes {
        let Some(text) = tail(path, 64 * 1024) else {
            continue;
        };
        all.extend(
            text.lines()
                .rev()
                .take(limit)
                .filter_map(|l| serde_json::from_str::<Value>(l).ok()),
        );
    }
    all.sort_by(|a, b| {
        let at = |v: &Value| {
            v.get("at")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        at(b).cmp(&at(a))
    });
    all.dedup();
    all.truncate(limit);
    all
}

/// The last `max` bytes of a file, from the first whole line: the outbox only grows, and the
/// page shows a handful of its newest messages.
fn tail(path: &std::path::Path, max: u64) -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let start = len.saturating_sub(max);
    f.seek(SeekFrom::Start(start)).ok()?;
    let mut buf = Vec::new();
    f.take(max).read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    Some(if start > 0 {
        text.split_once('\n')
            .map_or_else(String::new, |(_, rest)| rest.to_string())
    } else {
        text
    })
}

fn services_json() -> Vec<Value> {
    SERVICES
        .iter()
        .map(|s| {
            json!({"slug": s.slug, "name": s.name, "tagline": s.tagline, "color": s.color,
                   "acr": s.acr, "sso": s.sso, "require_email": s.require_email})
        })
        .collect()
}

async fn index(State(demo): State<Demo>) -> Response {
    render(
        &demo,
        StatusCode::OK,
        "index.html",
        json!({
            "issuer": demo.inner.rp.issuer(),
            "services": services_json(),
            "messages": outbox_messages(&demo, 8),
        }),
    )
}

async fn css() -> Response {
    let mut r = include_str!("../assets/demo.css").into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r
}

#[derive(Deserialize)]
struct HomeQuery {
    error: Option<String>,
}

async fn home(
    State(demo): State<Demo>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HomeQuery>,
) -> Response {
    let Some((spec, st)) = service(&demo, &slug) else {
        return not_found();
    };
    let session = get_cookie(&headers, &cookie_name(spec.slug))
        .and_then(|id| st.sessions.lock().ok()?.get(&id).cloned());
    // "Signed in as" comes from UserInfo, as any service would do it.
    let mut notice = None;
    let mut clear = None;
    let (who, userinfo, error) = match &session {
        Some(s) => match demo.inner.rp.userinfo(&s.access_token).await {
            Ok(info) => {
                let who = info
                    .get("phone_number")
                    .or_else(|| info.get("email"))
                    .and_then(Value::as_str)
                    .unwrap_or(&s.sub)
                    .to_string();
                (Some(who), Some(info), q.error.clone())
            }
            // The provider revoked this service's tokens: the person signed out of CONNECT
            // ID somewhere else, so this service forgets them too.
            Err(RpError::Provider { status: 401, .. }) => {
                clear = Some(end_local_session(&demo, spec, st, &headers).1);
                notice = Some(format!(
                    "You signed out of CONNECT ID elsewhere, so you are signed out of {} too.",
                    spec.name
                ));
                (None, None, None)
            }
            Err(e) => {
                tracing::warn!(service = spec.slug, error = %e, "UserInfo failed");
                let said =
                    "CONNECT ID could not tell who you are just now. Reload the page in a moment.";
                (Some(s.sub.clone()), None, Some(said.to_string()))
            }
        },
        None => (None, None, q.error.clone()),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut page = render(
        &demo,
        status,
        "service.html",
        json!({
            "service": {"slug": spec.slug, "name": spec.name, "tagline": spec.tagline,
                        "color": spec.color, "acr": spec.acr},
            "services": services_json(),
            "who": who,
            "session": session.as_ref().map(|s| json!({
                "sub": s.sub, "acr": s.acr, "amr": s.amr.join(" "), "auth_time": s.auth_time,
                "td_sls": s.td_sls,
            })),
            "userinfo": userinfo.map(|u| serde_json::to_string_pretty(&u).unwrap_or_default()),
            "error": error,
            "notice": notice,
            "messages": outbox_messages(&demo, 3),
            "account_url": account_url(demo.inner.rp.issuer(), spec),
        }),
    );
    if let Some(v) = clear.and_then(|c| HeaderValue::from_str(&c).ok()) {
        page.headers_mut().append(header::SET_COOKIE, v);
    }
    page
}

/// connectid's account pages, with a way back to this service (its registered home page).
fn account_url(issuer: &str, spec: &crate::services::ServiceSpec) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("client_id", spec.slug)
        .append_pair("redirect_uri", &spec.home(issuer));
    format!("{}/account?{}", issuer.trim_end_matches('/'), q.finish())
}
