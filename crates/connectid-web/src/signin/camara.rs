//! The operator's network proves the number (GSMA Open Gateway / CAMARA Number Verification),
//! where an SMS code would go: the browser passes through the operator's authorization server
//! over mobile data (network-based authentication, `login_hint` `tel:+…`), connectid exchanges
//! the code and asks the API whether the device's number is the one typed. Verified: LoA1 with
//! `amr` `mca` and no SMS. Anything else (not verified, an error, a timeout, the person on
//! Wi-Fi, where the operator cannot see the line) falls back to the SMS code, without a word.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::Query;
use connectid_core::identifier::PhoneRegion;
use serde_json::Value;

use super::*;

/// `[camara]`: the operator's OpenID Connect issuer and API, and the numbers it covers.
#[derive(Debug, Clone)]
pub struct CamaraSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub api_base: String,
    pub countries: Vec<PhoneRegion>,
}

const SCOPE: &str = "openid dpv:FraudPreventionAndDetection number-verification:verify";
/// Each call to the operator; past it, the SMS goes out instead.
const TIMEOUT: Duration = Duration::from_secs(3);
/// How long the person has to come back from the operator.
const ROUND_TRIP_TTL: i64 = 5 * 60;

fn key(state_param: &str) -> String {
    hash_secret(&format!("camara:{state_param}"))
}

fn redirect_uri(state: &AppState) -> String {
    format!("{}/camara/callback", state.settings.issuer)
}

/// Instead of sending the code step `code`, the operator's network for its number — when
/// `[camara]` covers the number, the sign-in has not tried it yet, and nothing asks for an
/// SMS (`sms_pin: "force"`, `prompt=login`, `mobile_network=off`). `None`: send the SMS.
pub(super) async fn start(ctx: &mut Ctx<'_>, code: &Step) -> Result<Option<Response>, PageError> {
    let Some(c) = &ctx.state.settings.camara else {
        return Ok(None);
    };
    let Step::Code {
        identifier,
        purpose: CodeFor::SignIn,
        ..
    } = code
    else {
        return Ok(None);
    };
    let policy = ctx.policy();
    let covered = identifier
        .region()
        .is_some_and(|r| c.countries.contains(&r));
    if !covered
        || ctx.p.camara.is_some()
        || ctx.p.req.mobile_network_off
        || policy.sms == connectid_core::client::SmsPin::Force
        || policy.login
    {
        return Ok(None);
    }
    // Tried once per sign-in, whatever comes of it: back on the page, the SMS goes out.
    ctx.p.camara = Some(identifier.clone());
    let endpoint = match endpoints(ctx.state, c).await {
        Ok(e) => e.authorization,
        Err(e) => {
            tracing::warn!(error = %e, "number verification: the operator's discovery failed");
            ctx.state.metrics.number_verification("failed");
            return Ok(None);
        }
    };
    let state_param = random_token();
    ctx.state
        .store
        .put_interaction(
            &key(&state_param),
            &ctx.id,
            ctx.state.now() + ROUND_TRIP_TTL,
        )
        .await?;
    put(ctx.state, &ctx.id, &ctx.p).await?;
    let mut url = form_urlencoded::Serializer::new(String::new());
    url.append_pair("response_type", "code")
        .append_pair("client_id", &c.client_id)
        .append_pair("redirect_uri", &redirect_uri(ctx.state))
        .append_pair("scope", SCOPE)
        .append_pair("state", &state_param)
        .append_pair("login_hint", &format!("tel:{}", identifier.value));
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    Ok(Some(redirect_to(
        &format!("{endpoint}{sep}{}", url.finish()),
        &[],
    )))
}

/// `GET /camara/callback`: back from the operator. Verified, the sign-in goes on as after a
/// code; otherwise the SMS goes out. Either way the browser lands on its sign-in page.
pub(crate) async fn callback(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let expired = || PageError::bad_request("error-signin-expired");
    let state_param = q
        .get("state")
        .filter(|s| s.len() <= 64)
        .ok_or_else(expired)?;
    let id = state
        .store
        .get_interaction(&key(state_param), state.now())
        .await?
        .ok_or_else(expired)?;
    // In the browser that started it (a callback URL sent elsewhere spends nothing), once.
    let (p, client) = load(&state, &id, &headers).await?;
    if state
        .store
        .take_interaction(&key(state_param), state.now())
        .await?
        .is_none()
    {
        return Err(expired());
    }
    let Some(phone) = p.camara.clone().filter(|_| p.step == Step::Identifier) else {
        return Err(expired());
    };
    let settings = state.settings.camara.clone().ok_or_else(expired)?;
    // A code is what the operator's server made; a huge one is not forwarded to it.
    let verified = match q.get("code") {
        Some(code) if code.len() > 2048 => Err("the code is too long".to_string()),
        Some(code) => verify(&state, &settings, code, &phone.value).await,
        None => Err(format!(
            "the operator answered {}",
            q.get("error").map_or("nothing", String::as_str)
        )),
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
        altcha: None,
    };
    let account = state.store.find_account(&phone).await?;
    let result = match verified {
        Ok(true) => {
            state.metrics.number_verification("verified");
            state
                .metrics
                .funnel(&ctx.client.client_id, Stage::NetworkVerified);
            let account_id = account.map(|a| a.id);
            proven(&mut ctx, &headers, phone, account_id, Proof::Network, false).await
        }
        outcome => {
            match outcome {
                Ok(_) => state.metrics.number_verification("not_verified"),
                Err(e) => {
                    tracing::warn!(error = %e, "number verification failed: the SMS goes out");
                    state.metrics.number_verification("failed");
                }
            }
            let next = machine::identified(phone, account.as_ref().map(Known::of), &ctx.policy());
            apply(&mut ctx, &headers, next).await
        }
    };
    match result? {
        Some(done) => Ok(done),
        None => {
            put(&state, &ctx.id, &ctx.p).await?;
            Ok(redirect_to(&format!("/signin/{}", ctx.id), &[]))
        }
    }
}

#[derive(Clone)]
struct Endpoints {
    authorization: String,
    token: String,
}

/// How long the operator's discovery is kept: a sign-in then makes two calls out, not four.
const DISCOVERY_TTL: i64 = 3600;

/// The operator's endpoints as its discovery named them, and when it was read; per node.
#[derive(Default)]
pub struct OperatorDiscovery(std::sync::RwLock<Option<(Endpoints, i64)>>);

async fn endpoints(state: &AppState, c: &CamaraSettings) -> Result<Endpoints, String> {
    let now = state.now();
    if let Ok(kept) = state.operator.0.read()
        && let Some((e, at)) = kept.as_ref()
        && now - at < DISCOVERY_TTL
    {
        return Ok(e.clone());
    }
    let e = discover(state, c).await?;
    if let Ok(mut kept) = state.operator.0.write() {
        *kept = Some((e.clone(), now));
    }
    Ok(e)
}

async fn discover(state: &AppState, c: &CamaraSettings) -> Result<Endpoints, String> {
    let http = state.http.as_ref().ok_or("no HTTP client")?;
    let url = format!(
        "{}/.well-known/openid-configuration",
        c.issuer.trim_end_matches('/')
    );
    let doc: Value = http
        .get(&url)
        .timeout(TIMEOUT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let s = |n: &str| {
        doc.get(n)
            .and_then(Value::as_str)
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .map(str::to_string)
            .ok_or(format!("discovery has no {n}"))
    };
    Ok(Endpoints {
        authorization: s("authorization_endpoint")?,
        token: s("token_endpoint")?,
    })
}

/// The code for a token, the token for the API's answer: is the device's number `phone`?
async fn verify(
    state: &AppState,
    c: &CamaraSettings,
    code: &str,
    phone: &str,
) -> Result<bool, String> {
    let http = state.http.as_ref().ok_or("no HTTP client")?;
    let token_endpoint = endpoints(state, c).await?.token;
    let redirect = redirect_uri(state);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect.as_str()),
    ];
    let tokens: Value = http
        .post(&token_endpoint)
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&form)
        .timeout(TIMEOUT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("token: {e}"))?
        .json()
        .await
        .map_err(|e| format!("token: {e}"))?;
    let access_token = tokens
        .get("access_token")
        .and_then(Value::as_str)
        .ok_or("token: no access_token")?;
    let answer: Value = http
        .post(format!("{}/verify", c.api_base.trim_end_matches('/')))
        .bearer_auth(access_token)
        .json(&serde_json::json!({ "phoneNumber": phone }))
        .timeout(TIMEOUT)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("verify: {e}"))?
        .json()
        .await
        .map_err(|e| format!("verify: {e}"))?;
    answer
        .get("devicePhoneNumberVerified")
        .and_then(Value::as_bool)
        .ok_or_else(|| "verify: no devicePhoneNumberVerified".to_string())
}
