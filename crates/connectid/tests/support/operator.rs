//! A fake mobile operator for CAMARA Number Verification: its OpenID Connect issuer
//! (discovery, network-based authorization, token) and the API's `/verify`, as the CAMARA
//! specification describes them, with the failures a real one has.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::serve_app;

/// How the operator behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// The device is on the mobile network with this number (index into `numbers`).
    Mobile,
    /// The device is on Wi-Fi: the authorization server cannot see the line.
    WiFi,
    /// `/verify` answers 500.
    Broken,
    /// `/verify` answers after 10 s.
    Slow,
}

#[derive(Default)]
struct Inner {
    /// The number of the device the browser runs on.
    device_number: String,
    line: Option<Line>,
    /// code → the login_hint it was issued for; a code is used once.
    codes: HashMap<String, Option<String>>,
    tokens: HashMap<String, String>,
    /// Calls seen, by endpoint.
    calls: HashMap<&'static str, usize>,
}

#[derive(Clone)]
pub struct Operator {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl Operator {
    pub async fn start(device_number: &str) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            device_number: device_number.into(),
            line: Some(Line::Mobile),
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/api/verify", post(verify))
            .with_state(inner.clone());
        let base = serve_app(app).await;
        // Discovery names its own endpoints: the port is known only now.
        inner.lock().unwrap().calls.clear();
        Self { base, inner }
    }
    pub fn set_line(&self, line: Line) {
        self.inner.lock().unwrap().line = Some(line);
    }
    pub fn set_device_number(&self, number: &str) {
        self.inner.lock().unwrap().device_number = number.into();
    }
    pub fn calls(&self, endpoint: &str) -> usize {
        let i = self.inner.lock().unwrap();
        i.calls.get(endpoint).copied().unwrap_or(0)
    }
    /// The `[camara]` section for connectid.
    pub fn config(&self, countries: &str) -> String {
        format!(
            "[camara]\nissuer = \"{b}\"\nclient_id = \"connectid\"\nclient_secret = \"operator-secret\"\n\
             api_base = \"{b}/api\"\ncountries = [{countries}]\n",
            b = self.base
        )
    }
}

type Shared = State<Arc<Mutex<Inner>>>;

fn count(s: &Arc<Mutex<Inner>>, endpoint: &'static str) {
    *s.lock().unwrap().calls.entry(endpoint).or_default() += 1;
}

async fn discovery(State(s): Shared, headers: HeaderMap) -> Json<Value> {
    count(&s, "discovery");
    let host = headers["host"].to_str().unwrap();
    let b = format!("http://{host}");
    Json(
        json!({"issuer": b, "authorization_endpoint": format!("{b}/authorize"),
        "token_endpoint": format!("{b}/token"), "jwks_uri": format!("{b}/jwks")}),
    )
}

/// Network-based authentication: on the mobile line, a code for the line's number; on Wi-Fi,
/// the error a real operator gives when it cannot see the line.
async fn authorize(State(s): Shared, Query(q): Query<HashMap<String, String>>) -> Response {
    count(&s, "authorize");
    let (Some(redirect), Some(state)) = (q.get("redirect_uri"), q.get("state")) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let scope_ok = q
        .get("scope")
        .is_some_and(|sc| sc.split(' ').any(|x| x == "number-verification:verify"));
    let mut i = s.lock().unwrap();
    let state = form_urlencoded::byte_serialize(state.as_bytes()).collect::<String>();
    if i.line == Some(Line::WiFi)
        || !scope_ok
        || q.get("client_id").map(String::as_str) != Some("connectid")
    {
        return Redirect::to(&format!("{redirect}?error=access_denied&state={state}"))
            .into_response();
    }
    let code = format!("code-{}", i.codes.len());
    i.codes.insert(code.clone(), q.get("login_hint").cloned());
    Redirect::to(&format!("{redirect}?code={code}&state={state}")).into_response()
}

async fn token(
    State(s): Shared,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    count(&s, "token");
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("connectid:operator-secret");
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Basic {basic}"))
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let mut i = s.lock().unwrap();
    // A code works once.
    let Some(code) = f.get("code").filter(|c| i.codes.remove(*c).is_some()) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let token = format!("at-{code}");
    let number = i.device_number.clone();
    i.tokens.insert(token.clone(), number);
    Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 300})).into_response()
}

async fn verify(State(s): Shared, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    count(&s, "verify");
    let line = s.lock().unwrap().line;
    match line {
        Some(Line::Broken) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Some(Line::Slow) => tokio::time::sleep(Duration::from_secs(10)).await,
        _ => {}
    }
    let i = s.lock().unwrap();
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let Some(number) = i.tokens.get(token) else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"code": "UNAUTHENTICATED"})),
        )
            .into_response();
    };
    let asked = body
        .get("phoneNumber")
        .and_then(Value::as_str)
        .unwrap_or("");
    Json(json!({"devicePhoneNumberVerified": asked == number})).into_response()
}
