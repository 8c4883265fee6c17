//! The sign-in pages: one entry point (phone or email), then an SMS or email code, a password,
//! a new password for new accounts, and consent. State lives on the server, keyed by a random
//! id in the URL and bound to the browser by a cookie; every form carries a CSRF token.

use axum::body::Bytes;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::account::Account;
use connectid_core::client::{ClientMetadata, IdentifierFirst, Identifiers, SmsPin};
use connectid_core::crypto::{
    constant_time_eq, hash_secret, random_digits, random_id, random_token,
};
use connectid_core::identifier::{Identifier, IdentifierError, IdentifierKind};
use connectid_core::messages::{Channel, Message, rfc3339};
use connectid_core::oidc::Acr;
use connectid_core::password::{self, MAX_BYTES, MIN_LEN, PasswordError};
use connectid_core::ratelimit::{Decision, Limit, RateLimitError, ip_subject};
use connectid_core::store::{ClientRecord, Otp, SsoSession, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::authorize::AuthRequest;
use crate::cookies;
use crate::error::{error_page, page_store_error};
use crate::finish::{self, Authenticated, redirect_error, with_cookie};
use crate::i18n::{self, Arg, Notice};
use crate::metrics::Stage;
use crate::params::Params;
use crate::sessions;
use crate::state::AppState;

mod codes;
mod notices;
pub(crate) use codes::{CodeTarget, check_code, send_code_to};
pub(crate) use notices::{AccountNotice, notify_account, notify_password_changed};

const PENDING_TTL: i64 = 30 * 60;
pub(crate) const OTP_TTL: i64 = 5 * 60;
pub(crate) const OTP_MAX_TRIES: i64 = 5;
pub(crate) const RESEND_COOLDOWN: i64 = 30;
/// How long an SMS sign-in counts as proof of the phone for choosing a first password.
const STEP_UP_PROOF_SECS: i64 = 10 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Step {
    Identifier,
    Password,
    Code,
    SetPassword,
    AddEmail,
    Consent,
}

impl Step {
    pub(crate) const ALL: [Step; 6] = [
        Self::Identifier,
        Self::Password,
        Self::Code,
        Self::SetPassword,
        Self::AddEmail,
        Self::Consent,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Identifier => "identifier",
            Self::Password => "password",
            Self::Code => "code",
            Self::SetPassword => "set-password",
            Self::AddEmail => "add-email",
            Self::Consent => "consent",
        }
    }
    pub(crate) fn template(self) -> &'static str {
        match self {
            Self::Identifier => "identifier.html",
            Self::Password => "password.html",
            Self::Code => "code.html",
            Self::SetPassword => "set_password.html",
            Self::AddEmail => "add_email.html",
            Self::Consent => "consent.html",
        }
    }
}

/// A sign-in in progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    req: AuthRequest,
    /// Hash of the browser-binding cookie: the pending sign-in works only in that browser.
    browser: String,
    csrf: String,
    step: Step,
    identifier: Option<Identifier>,
    account_id: Option<String>,
    /// Re-authentication or step-up: only this account may sign in.
    lock: Option<String>,
    remember: bool,
    /// The identifier was proven with a code.
    verified: bool,
    /// The page language: `ui_locales`, the browser, the service's default, or the switcher.
    #[serde(default = "default_locale")]
    locale: String,
    error: Option<Notice>,
    /// Strength (0–4) of the last password offered on set-password, shown next to the field.
    #[serde(default)]
    strength: Option<u8>,
    /// Set once authenticated, while consent is asked.
    auth: Option<Authenticated>,
    /// Authenticated, but the service needs a verified email first (`require_email`).
    #[serde(default)]
    after: Option<Finished>,
    /// "Forgot your password?": the code proves the identifier, then a new password is set.
    #[serde(default)]
    resetting: bool,
    /// The phone was detected on the operator's network (amr `mca`), not typed.
    #[serde(default)]
    network: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Finished {
    account_id: String,
    acr: Acr,
    amr: Vec<String>,
}

struct Ctx<'a> {
    state: &'a AppState,
    client: ClientRecord,
    id: String,
    p: Pending,
    /// The person's address as rate limits see it (IPv6 by /64).
    ip: String,
}

/// The rate-limit subject for a request's client address.
pub fn ip_of(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    ip_subject(crate::net::client_ip(
        &state.settings.forwarded_proxies,
        peer.ip(),
        forwarded,
    ))
}

/// A limit that says no becomes a message with the wait; a limiter that cannot answer
/// fails closed, like a storage error.
pub(crate) fn limited(d: Result<Decision, RateLimitError>) -> Result<Option<Notice>, StoreError> {
    match d {
        Ok(Decision::Allowed { .. }) => Ok(None),
        Ok(Decision::Limited { retry_after }) => {
            let minutes = retry_after.as_secs().div_ceil(60).max(1);
            Ok(Some(
                Notice::new("err-too-many-attempts").with("minutes", minutes as i64),
            ))
        }
        Err(e) => Err(StoreError::Database(e.to_string())),
    }
}

fn redirect_to(location: &str, cookies: &[String]) -> Response {
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

fn browser_cookie(state: &AppState, headers: &HeaderMap) -> (String, Option<String>) {
    match cookies::get(headers, cookies::BROWSER) {
        Some(v) => (v, None),
        None => {
            let v = random_token();
            let c = cookies::set(cookies::BROWSER, &v, None, state.settings.secure_cookies());
            (v, Some(c))
        }
    }
}

async fn save_new(
    state: &AppState,
    p: &Pending,
    extra_cookie: Option<String>,
    browser_cookie: Option<String>,
) -> Response {
    let id = random_token();
    let data = match serde_json::to_string(p) {
        Ok(d) => d,
        Err(e) => return page_store_error(state, StoreError::Corrupt(e.to_string())),
    };
    if let Err(e) = state
        .store
        .put_interaction(&hash_secret(&id), &data, state.now() + PENDING_TTL)
        .await
    {
        return page_store_error(state, e);
    }
    let cookies: Vec<String> = extra_cookie.into_iter().chain(browser_cookie).collect();
    redirect_to(&format!("/signin/{id}"), &cookies)
}

/// A new pending sign-in at the identifier step, bound to this browser (with the cookie that
/// binds it when the browser has none yet), in the language the request asks for.
fn fresh(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    headers: &HeaderMap,
) -> (Pending, Option<String>) {
    let (browser, new_cookie) = browser_cookie(state, headers);
    let locale = page_locale(client, &req, headers);
    let p = Pending {
        req,
        browser: hash_secret(&browser),
        csrf: random_token(),
        step: Step::Identifier,
        identifier: None,
        account_id: None,
        lock: None,
        remember: client.metadata.stay_signed_in().default,
        verified: false,
        locale,
        error: None,
        strength: None,
        after: None,
        resetting: false,
        network: false,
        auth: None,
    };
    (p, new_cookie)
}

/// Starts the pages for a request; with `lock`, for that account only.
pub async fn start(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    headers: &HeaderMap,
    lock: Option<&SsoSession>,
    ip: &str,
) -> Response {
    state.metrics.funnel(&client.client_id, Stage::Started);
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.lock = lock.map(|s| s.account_id.clone());
    // Step-up and re-authentication keep the choice made at sign-in ("stay signed in" or
    // not): the checkbox is not shown again, so nobody has chosen otherwise.
    if let Some(session) = lock {
        p.remember = session.remember;
    }
    if let Some(session) = lock {
        let account = match state.store.get_account(&session.account_id).await {
            Ok(a) => a,
            Err(e) => return page_store_error(state, e),
        };
        if let Some(account) = account {
            let wants_phone =
                p.req.acr == Acr::Phone && client.metadata.sms_pin != SmsPin::Disallow;
            let pick = if wants_phone {
                account.phone().or(account.email())
            } else {
                account.email().or(account.phone())
            };
            // Step-up right after an SMS code: the phone was just proven in this browser, so
            // choosing the first password needs no second code (as in registration).
            let now = state.now();
            let fresh_phone_proof = now - session.auth_time <= STEP_UP_PROOF_SECS
                && !p.req.prompt.login
                && p.req.max_age.is_none_or(|m| now - session.auth_time <= m)
                && session.amr.iter().any(|m| m == "sms" || m == "mca");
            let phone = account.phone().map(|i| i.identifier.clone());
            if p.req.acr == Acr::Password
                && !account.has_password()
                && fresh_phone_proof
                && let Some(phone) = phone
            {
                p.identifier = Some(phone);
                p.account_id = Some(account.id.clone());
                p.verified = true;
                p.step = Step::SetPassword;
            } else if let Some(identifier) = pick.map(|i| i.identifier.clone()) {
                let mut ctx = Ctx {
                    state,
                    client: client.clone(),
                    id: String::new(),
                    p,
                    ip: ip.to_string(),
                };
                if let Err(e) = route_identifier(&mut ctx, identifier, Some(account)).await {
                    return page_store_error(state, e);
                }
                p = ctx.p;
            }
        }
    }
    save_new(state, &p, None, new_cookie).await
}

/// After authentication, for a client that needs consent first.
pub async fn start_consent(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    auth: Authenticated,
    headers: &HeaderMap,
    set_cookie: Option<String>,
) -> Response {
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.step = Step::Consent;
    p.account_id = Some(auth.account_id.clone());
    p.verified = true;
    p.auth = Some(auth);
    save_new(state, &p, set_cookie, new_cookie).await
}

/// The operator's network told us the number, but more than that is needed: a password
/// (LoA2: only the password step, or a first password since the network proved the phone),
/// or an SMS code anyway (`sms_pin: "force"`, `prompt=login`).
pub async fn start_detected(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    headers: &HeaderMap,
    phone: Identifier,
    ip: &str,
) -> Response {
    state.metrics.funnel(&client.client_id, Stage::Started);
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.network = true;
    let mut ctx = Ctx {
        state,
        client: client.clone(),
        id: String::new(),
        p,
        ip: ip.to_string(),
    };
    let account = match state.store.find_account(&phone).await {
        Ok(a) => a,
        Err(e) => return page_store_error(state, e),
    };
    let forced = client.metadata.sms_pin == SmsPin::Force || ctx.p.req.prompt.login;
    if ctx.p.req.acr == Acr::Password && !forced {
        state.metrics.funnel(&client.client_id, Stage::Identified);
        ctx.p.identifier = Some(phone);
        ctx.p.account_id = account.as_ref().map(|a| a.id.clone());
        if account.as_ref().is_some_and(Account::has_password) {
            ctx.p.step = Step::Password;
        } else {
            ctx.p.verified = true;
            ctx.p.step = Step::SetPassword;
        }
    } else {
        ctx.p.network = false;
        if let Err(e) = route_identifier(&mut ctx, phone, account).await {
            return page_store_error(state, e);
        }
    }
    save_new(state, &ctx.p, None, new_cookie).await
}

/// Already authenticated (an SSO hit), but the service needs a verified email first.
pub async fn start_add_email(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    auth: Authenticated,
    headers: &HeaderMap,
    set_cookie: Option<String>,
) -> Response {
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.step = Step::AddEmail;
    p.account_id = Some(auth.account_id.clone());
    p.lock = Some(auth.account_id.clone());
    p.after = Some(Finished {
        account_id: auth.account_id.clone(),
        acr: auth.acr,
        amr: auth.amr.clone(),
    });
    p.auth = Some(auth);
    save_new(state, &p, set_cookie, new_cookie).await
}

/// LoA1 with no page at all: the operator's network told us the number. A browser already
/// signed in as somebody else is not switched without a word: it gets the code step for the
/// detected number instead.
pub async fn network_signin(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    phone: Identifier,
    headers: &HeaderMap,
    current: Option<&SsoSession>,
    ip: &str,
) -> Response {
    if let Some(session) = current {
        let owner = match state.store.find_account(&phone).await {
            Ok(a) => a,
            Err(e) => return page_store_error(state, e),
        };
        if owner.is_none_or(|a| a.id != session.account_id) {
            return start_detected(state, client, req, headers, phone, ip).await;
        }
    }
    state.metrics.funnel(&client.client_id, Stage::Started);
    state.metrics.funnel(&client.client_id, Stage::Identified);
    let account = match find_or_create(state, &phone, None).await {
        Ok(a) => a,
        Err(e) => return page_store_error(state, e),
    };
    let remember = client.metadata.stay_signed_in().default;
    establish(
        state,
        client,
        &req,
        headers,
        &account.id,
        Acr::Phone,
        vec!["mca".into()],
        remember,
    )
    .await
}

/// LoA1 for an app on Wi-Fi whose cellular ticket matched its own request: a code for the app
/// and no browser session (no cookie, no `sid`), so a ticket sent to another person's browser
/// neither signs that browser in nor touches the session it has.
pub async fn ticket_signin(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    phone: Identifier,
    headers: &HeaderMap,
    ip: &str,
) -> Response {
    if client.metadata.require_email {
        // Adding an email takes pages, and pages end in a browser session: ask as usual.
        match state.store.find_account(&phone).await {
            Ok(Some(a)) if a.has_verified_email() => {}
            Ok(_) => return start(state, client, req, headers, None, ip).await,
            Err(e) => return page_store_error(state, e),
        }
    }
    state.metrics.funnel(&client.client_id, Stage::Started);
    state.metrics.funnel(&client.client_id, Stage::Identified);
    let account = match find_or_create(state, &phone, None).await {
        Ok(a) => a,
        Err(e) => return page_store_error(state, e),
    };
    audit(
        state,
        "signin",
        Some(&account.id),
        Some(&client.client_id),
        "success",
    )
    .await;
    let auth = Authenticated {
        account_id: account.id,
        acr: Acr::Phone,
        amr: vec!["mca".into()],
        auth_time: state.now(),
        sid: None,
        td_sls: !client.metadata.stay_signed_in().default,
    };
    finish::complete(state, client, &req, auth, None, headers).await
}

async fn find_or_create(
    state: &AppState,
    identifier: &Identifier,
    password_hash: Option<String>,
) -> Result<Account, StoreError> {
    if let Some(a) = state.store.find_account(identifier).await? {
        if let Some(h) = password_hash {
            state.store.set_password(&a.id, &h, state.now()).await?;
        }
        state.store.set_identifier_verified(identifier).await?;
        return Ok(a);
    }
    crate::accounts::create(
        state,
        vec![(identifier.clone(), true)],
        password_hash,
        crate::accounts::Actor::Person,
    )
    .await
}

async fn audit(
    state: &AppState,
    kind: &str,
    account: Option<&str>,
    client: Option<&str>,
    outcome: &str,
) {
    crate::audit::record(state, kind, account, client, outcome, None).await;
}

/// Begins the browser session (see `sessions::establish`) and answers the request.
#[allow(clippy::too_many_arguments)]
async fn establish(
    state: &AppState,
    client: &ClientRecord,
    req: &AuthRequest,
    headers: &HeaderMap,
    account_id: &str,
    acr: Acr,
    amr: Vec<String>,
    remember: bool,
) -> Response {
    let begin = sessions::Begin {
        account_id,
        acr,
        amr,
        auth_time: state.now(),
        remember,
        sid: None,
        not_after: None,
    };
    let begun = match sessions::establish(state, headers, begin).await {
        Ok(b) => b,
        Err(e) => return page_store_error(state, e),
    };
    audit(
        state,
        "signin",
        Some(account_id),
        Some(&client.client_id),
        "success",
    )
    .await;
    let auth = Authenticated::from_session(&begun.session);
    finish::complete(state, client, req, auth, Some(begun.cookie), headers).await
}

async fn load(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<(Pending, ClientRecord), Response> {
    let expired = || error_page(state, StatusCode::BAD_REQUEST, "error-signin-expired");
    if id.len() > 64 {
        return Err(expired());
    }
    let data = match state
        .store
        .get_interaction(&hash_secret(id), state.now())
        .await
    {
        Ok(Some(d)) => d,
        Ok(None) => return Err(expired()),
        Err(e) => return Err(page_store_error(state, e)),
    };
    let p: Pending = serde_json::from_str(&data).map_err(|_| expired())?;
    let browser = cookies::get(headers, cookies::BROWSER).unwrap_or_default();
    if !constant_time_eq(hash_secret(&browser).as_bytes(), p.browser.as_bytes()) {
        return Err(error_page(
            state,
            StatusCode::BAD_REQUEST,
            "error-other-browser",
        ));
    }
    let client = match state.store.get_client(&p.req.client_id).await {
        Ok(Some(c)) => c,
        Ok(None) => return Err(expired()),
        Err(e) => return Err(page_store_error(state, e)),
    };
    Ok((p, client))
}

pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let (mut p, client) = match load(&state, &id, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    // The language switcher: remembered for the rest of this sign-in.
    let asked = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| i18n::supported(&v));
    if let Some(lang) = asked
        && lang != p.locale
    {
        p.locale = lang.to_string();
        if let Ok(data) = serde_json::to_string(&p)
            && let Err(e) = state
                .store
                .put_interaction(&hash_secret(&id), &data, state.now() + PENDING_TTL)
                .await
        {
            return page_store_error(&state, e);
        }
    }
    render(&Ctx {
        state: &state,
        client,
        id,
        p,
        ip: String::new(),
    })
}

/// The page language for a new sign-in: `ui_locales`, the browser, the service's default.
fn page_locale(client: &ClientRecord, req: &AuthRequest, headers: &HeaderMap) -> String {
    let browser = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    i18n::negotiate(
        req.ui_locales.as_deref(),
        browser,
        Some(&client.metadata.default_locale),
    )
    .to_string()
}

fn render(ctx: &Ctx<'_>) -> Response {
    let p = &ctx.p;
    let base = format!("/signin/{}", ctx.id);
    let view = View {
        step: p.step,
        locale: &p.locale,
        error: p
            .error
            .as_ref()
            .map(|n| ctx.state.pages.translations.notice(&p.locale, n)),
        identifier: p
            .identifier
            .as_ref()
            .map(|i| i.value.as_str())
            .or(p.req.login_hint.as_deref()),
        login_hint_locked: p.req.login_hint_locked,
        remember: p.remember,
        reauthentication: p.lock.is_some(),
        strength: p.strength,
        scope: &p.req.scope,
        csrf: &p.csrf,
        base: &base,
        brand_css: format!(
            "/assets/brand/{}.css?v={}",
            ctx.client.client_id, ctx.client.updated_at
        ),
    };
    let status = if p.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    ctx.state.pages.page(
        status,
        p.step.template(),
        page_context(&ctx.client.metadata, &view),
    )
}

/// What a step page shows besides the service's settings: how far the person has come and
/// where the forms go. The sign-in builds it from the pending state, the flow previewer from
/// sample values, and both render through `page_context`, so a preview is the real page.
pub(crate) struct View<'a> {
    pub step: Step,
    pub locale: &'a str,
    /// Already translated.
    pub error: Option<String>,
    /// The identifier typed or proven so far, else the `login_hint`.
    pub identifier: Option<&'a str>,
    pub login_hint_locked: bool,
    pub remember: bool,
    /// Only one account may sign in (step-up, re-authentication): no "Stay signed in".
    pub reauthentication: bool,
    pub strength: Option<u8>,
    pub scope: &'a str,
    pub csrf: &'a str,
    /// Where the forms post: `{base}`, `{base}/restart`, `{base}/resend`.
    pub base: &'a str,
    /// The stylesheet with the header colour, used when the metadata has one.
    pub brand_css: String,
}

/// The template context of a step page, from the service's metadata and the view.
pub(crate) fn page_context(m: &ClientMetadata, v: &View<'_>) -> serde_json::Value {
    let (label, placeholder, inputmode, input_type) = match (m.identifiers, m.identifier_first) {
        (Identifiers::Phone, _) => ("identifier-label-phone", "", "tel", "tel"),
        (Identifiers::Email, _) => (
            "identifier-label-email",
            "identifier-placeholder-email",
            "email",
            "email",
        ),
        (Identifiers::Both, IdentifierFirst::Phone) => {
            ("identifier-label-phone-or-email", "", "text", "text")
        }
        (Identifiers::Both, IdentifierFirst::Email) => (
            "identifier-label-email-or-phone",
            "identifier-placeholder-email",
            "text",
            "text",
        ),
    };
    let message = match m.branding.as_ref().and_then(|b| b.message.as_ref()) {
        Some(connectid_core::client::LocalisedText::One(t)) => Some(t.clone()),
        Some(connectid_core::client::LocalisedText::PerLanguage(map)) => map
            .get(v.locale)
            .or_else(|| map.get(&m.default_locale))
            .or_else(|| map.get("en"))
            .cloned(),
        None => None,
    };
    let base = v.base;
    json!({
        "step": v.step.name(),
        "lang": v.locale,
        "switch": format!("{base}?"),
        "error": v.error,
        "client_name": if m.client_name.is_empty() { None } else { Some(&m.client_name) },
        "logo_uri": m.branding.as_ref().and_then(|b| b.logo_uri.clone()).or(m.logo_uri.clone()),
        "brand_css": m.branding.as_ref().and_then(|b| b.header_color.as_ref()).map(|_| &v.brand_css),
        "message": message,
        "csrf": v.csrf,
        "action": base,
        "restart": format!("{base}/restart"),
        "resend": format!("{base}/resend"),
        "forgot": format!("{base}/forgot"),
        "label": label,
        "placeholder": placeholder,
        "inputmode": inputmode,
        "input_type": input_type,
        "locked": v.login_hint_locked && v.step == Step::Identifier,
        "min_length": MIN_LEN,
        "strength": v.strength,
        "identifier": v.identifier,
        "remember_visible": m.stay_signed_in().visible && !v.reauthentication,
        "remember": v.remember,
        "scopes": v.scope.split_whitespace().collect::<Vec<_>>(),
    })
}

/// Saves the pending state and shows its current step (POST-redirect-GET).
async fn save_and_show(ctx: Ctx<'_>) -> Response {
    let data = match serde_json::to_string(&ctx.p) {
        Ok(d) => d,
        Err(e) => return page_store_error(ctx.state, StoreError::Corrupt(e.to_string())),
    };
    if let Err(e) = ctx
        .state
        .store
        .put_interaction(&hash_secret(&ctx.id), &data, ctx.state.now() + PENDING_TTL)
        .await
    {
        return page_store_error(ctx.state, e);
    }
    if ctx.p.error.is_some() {
        // Errors are shown at once (with status 400) so that a reload does not repeat them.
        let r = render(&ctx);
        let mut p = ctx.p.clone();
        p.error = None;
        if let Ok(d) = serde_json::to_string(&p) {
            let _ = ctx
                .state
                .store
                .put_interaction(&hash_secret(&ctx.id), &d, ctx.state.now() + PENDING_TTL)
                .await;
        }
        return r;
    }
    redirect_to(&format!("/signin/{}", ctx.id), &[])
}

async fn checked(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<(Pending, ClientRecord, Params), Response> {
    let (p, client) = load(state, id, headers).await?;
    let params = Params::parse(body);
    let token = params.get("csrf").unwrap_or("");
    if !constant_time_eq(token.as_bytes(), p.csrf.as_bytes()) {
        return Err(error_page(
            state,
            StatusCode::FORBIDDEN,
            "error-form-expired",
        ));
    }
    // Our forms never send a field twice; a request that does was made by something else,
    // and guessing which value it meant is how parameter pollution works.
    if params.duplicate.is_some() {
        return Err(error_page(
            state,
            StatusCode::BAD_REQUEST,
            "The form was sent with a field more than once. Go back and try again.",
        ));
    }
    Ok((p, client, params))
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, client, params) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
    };
    ctx.p.error = None;
    if ctx.client.metadata.stay_signed_in().visible
        && ctx.p.lock.is_none()
        && matches!(ctx.p.step, Step::Identifier | Step::Password | Step::Code)
    {
        ctx.p.remember = params.get("remember") == Some("true");
    }
    let result = match ctx.p.step {
        Step::Identifier => on_identifier(&mut ctx, &params).await,
        Step::Password => on_password(&mut ctx, &params, &headers).await,
        Step::Code => on_code(&mut ctx, &params, &headers).await,
        Step::SetPassword => on_set_password(&mut ctx, &params, &headers).await,
        Step::AddEmail => on_add_email(&mut ctx, &params).await,
        Step::Consent => on_consent(&mut ctx, &params).await,
    };
    match result {
        Ok(Some(done)) => done,
        Ok(None) => save_and_show(ctx).await,
        Err(e) => page_store_error(&state, e),
    }
}

/// "Not you?": back to the identifier step, for any account.
pub async fn restart(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (mut p, client, _) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    p.step = Step::Identifier;
    p.identifier = None;
    p.account_id = None;
    p.lock = None;
    p.verified = false;
    p.after = None;
    p.auth = None;
    p.resetting = false;
    p.network = false;
    p.req.login_hint = None;
    save_and_show(Ctx {
        state: &state,
        client,
        id,
        p,
        ip: String::new(),
    })
    .await
}

pub async fn resend(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, client, _) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
    };
    if ctx.p.step == Step::Code
        && let Some(identifier) = ctx.p.identifier.clone()
    {
        match send_code(&ctx, &identifier, true).await {
            Ok(Ok(())) => {}
            Ok(Err(msg)) => ctx.p.error = Some(msg),
            Err(e) => return page_store_error(&state, e),
        }
    }
    save_and_show(ctx).await
}

/// "Forgot your password?" on the password step: a code to the identifier, then a new
/// password. The same limits as any code apply; the answer does not depend on whether the
/// account has a password (the password step is shown only when it has one anyway).
pub async fn forgot(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, client, _) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ip = ip_of(&state, peer, &headers);
    let mut ctx = Ctx {
        state: &state,
        client,
        id,
        p,
        ip,
    };
    if ctx.p.step == Step::Password
        && let Some(identifier) = ctx.p.identifier.clone()
    {
        if identifier.is_phone() && ctx.client.metadata.sms_pin == SmsPin::Disallow {
            ctx.p.error = Some(Notice::new("err-no-sms"));
        } else {
            match send_code(&ctx, &identifier, true).await {
                Ok(Ok(())) => {
                    ctx.p.step = Step::Code;
                    ctx.p.verified = false;
                    ctx.p.resetting = true;
                }
                Ok(Err(n)) => ctx.p.error = Some(n),
                Err(e) => return page_store_error(&state, e),
            }
        }
    }
    save_and_show(ctx).await
}

/// The strength meter's live score (set-password page, with JavaScript). Same checks as a
/// submit: the pending sign-in, its browser and its CSRF token.
pub async fn strength(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (p, _, params) = match checked(&state, &id, &headers, &body).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if p.step != Step::SetPassword {
        return StatusCode::CONFLICT.into_response();
    }
    let password = params.get("new_password").unwrap_or("");
    if password.len() > MAX_BYTES {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let inputs: Vec<&str> = p.identifier.iter().map(|i| i.value.as_str()).collect();
    let score = password::strength(password, &inputs).score.min(4);
    let t = &state.pages.translations;
    let mut r = axum::Json(json!({
        "score": score,
        "text": t.format(&p.locale, "strength-label", &[]),
        "label": t.format(&p.locale, &format!("strength-{score}"), &[]),
    }))
    .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

type StepResult = Result<Option<Response>, StoreError>;

async fn on_identifier(ctx: &mut Ctx<'_>, params: &Params) -> StepResult {
    let input = params.get("identifier").unwrap_or("");
    let region = ctx.state.settings.default_phone_region;
    let identifier = match Identifier::parse(input, region) {
        Ok(i) => i,
        Err(e) => {
            ctx.p.error = Some(Notice::new(match e {
                IdentifierError::InvalidPhone => "err-identifier-phone",
                IdentifierError::InvalidEmail => "err-identifier-email",
                IdentifierError::Empty | IdentifierError::Unrecognised => "err-identifier-empty",
            }));
            ctx.p.req.login_hint = Some(input.chars().take(254).collect());
            return Ok(None);
        }
    };
    if ctx.p.req.login_hint_locked {
        let hint = ctx
            .p
            .req
            .login_hint
            .as_deref()
            .and_then(|h| Identifier::parse(h, region).ok());
        if hint.as_ref() != Some(&identifier) {
            ctx.p.error = Some(Notice::new("err-hint-locked"));
            return Ok(None);
        }
    }
    let allowed = match ctx.client.metadata.identifiers {
        Identifiers::Both => true,
        Identifiers::Phone => identifier.kind == IdentifierKind::Phone,
        Identifiers::Email => identifier.kind == IdentifierKind::Email,
    };
    if !allowed {
        ctx.p.error = Some(Notice::new(match ctx.client.metadata.identifiers {
            Identifiers::Phone => "err-enter-phone",
            _ => "err-enter-email",
        }));
        return Ok(None);
    }
    let account = ctx.state.store.find_account(&identifier).await?;
    if let Some(lock) = &ctx.p.lock
        && account.as_ref().map(|a| &a.id) != Some(lock)
    {
        ctx.p.error = Some(Notice::new("err-locked"));
        return Ok(None);
    }
    route_identifier(ctx, identifier, account).await?;
    Ok(None)
}

/// Decides the next step for an identifier: password, code, or (new accounts) code first.
async fn route_identifier(
    ctx: &mut Ctx<'_>,
    identifier: Identifier,
    account: Option<Account>,
) -> Result<(), StoreError> {
    ctx.state
        .metrics
        .funnel(&ctx.client.client_id, Stage::Identified);
    let sms_pin = ctx.client.metadata.sms_pin;
    let is_phone = identifier.is_phone();
    ctx.p.identifier = Some(identifier.clone());
    ctx.p.account_id = account.as_ref().map(|a| a.id.clone());
    ctx.p.verified = false;
    let has_password = account.as_ref().is_some_and(Account::has_password);
    let wants_password = ctx.p.req.acr == Acr::Password || !is_phone;
    let can_sms = !(is_phone && sms_pin == SmsPin::Disallow);
    if wants_password && has_password {
        ctx.p.step = Step::Password;
        return Ok(());
    }
    if !can_sms {
        if has_password {
            ctx.p.step = Step::Password;
        } else {
            ctx.p.error = Some(Notice::new("err-no-sms"));
            ctx.p.step = Step::Identifier;
        }
        return Ok(());
    }
    // A new identifier is counted against `account_creation_per_ip` when its code is
    // verified (`on_code`), not here: a known and an unknown number get the same answer.
    match send_code(ctx, &identifier, false).await? {
        Ok(()) => ctx.p.step = Step::Code,
        Err(msg) => {
            ctx.p.error = Some(msg);
            ctx.p.step = Step::Identifier;
        }
    }
    Ok(())
}

/// Sends a one-time code; an inner `Err` is a message for the person (rate limits).
async fn send_code(
    ctx: &Ctx<'_>,
    target: &Identifier,
    resend: bool,
) -> Result<Result<(), Notice>, StoreError> {
    let to = CodeTarget {
        identifier: target,
        purpose: "signin",
        lang: &ctx.p.locale,
        ip: &ctx.ip,
        client_id: Some(&ctx.client.client_id),
        android_sms_hash: ctx.client.metadata.android_sms_hash.as_deref(),
    };
    send_code_to(ctx.state, &to, resend).await
}

async fn on_password(ctx: &mut Ctx<'_>, params: &Params, headers: &HeaderMap) -> StepResult {
    let password = params.get("password").unwrap_or("");
    let state = ctx.state;
    let now = state.now();
    let account = match &ctx.p.account_id {
        Some(id) => state.store.get_account(id).await?,
        None => None,
    };
    // Keyed by what was typed, account or not: no shared bucket for unknown identifiers.
    let subject = ctx
        .p
        .identifier
        .as_ref()
        .map_or_else(String::new, |i| i.value.clone());
    let limits = [
        (Limit::PasswordPerIdentifier, subject.as_str()),
        (Limit::PasswordPerIp, ctx.ip.as_str()),
    ];
    for (limit, key) in limits {
        if let Some(n) = limited(state.limits.peek(limit, key).await)? {
            ctx.p.error = Some(n);
            return Ok(None);
        }
    }
    let hash = account.as_ref().and_then(|a| a.password_hash.as_deref());
    let verdict = if password.len() <= 1024 {
        state.hasher.verify_password(password, hash).await
    } else {
        connectid_core::password::Verification::Mismatch
    };
    let ok = verdict.is_match();
    if !ok {
        // Counted only on failure; the answer to this attempt is already decided.
        let _ = limited(state.limits.hit_all(&limits).await)?;
    }
    let Some(account) = account.filter(|_| ok) else {
        audit(
            state,
            "signin",
            ctx.p.account_id.as_deref(),
            Some(&ctx.client.client_id),
            "wrong_password",
        )
        .await;
        ctx.p.error = Some(Notice::new("err-password-wrong"));
        return Ok(None);
    };
    if let Err(e) = state
        .limits
        .reset(Limit::PasswordPerIdentifier, &subject)
        .await
    {
        tracing::warn!(error = %e, "rate limit not reset");
    }
    if let connectid_core::password::Verification::Match { needs_rehash: true } = verdict {
        // The parameters changed since this hash was made: store one made with today's.
        match state.hasher.hash(password).await {
            Ok(h) => state.store.set_password(&account.id, &h, now).await?,
            Err(e) => tracing::warn!(error = %e, "password not rehashed"),
        }
    }
    let mut amr = vec!["pwd".to_string()];
    if ctx.p.verified {
        amr.push(proof_amr(&ctx.p));
    }
    done(ctx, headers, &account.id, Acr::Password, amr).await
}

/// How the identifier was proven: the operator's network, or a code by SMS or email.
fn proof_amr(p: &Pending) -> String {
    if p.network {
        "mca".into()
    } else {
        otp_amr(p.identifier.as_ref())
    }
}

fn otp_amr(identifier: Option<&Identifier>) -> String {
    match identifier.map(|i| i.kind) {
        Some(IdentifierKind::Phone) => "sms".into(),
        _ => "otp".into(),
    }
}

async fn done(
    ctx: &mut Ctx<'_>,
    headers: &HeaderMap,
    account_id: &str,
    acr: Acr,
    amr: Vec<String>,
) -> StepResult {
    if ctx.client.metadata.require_email {
        let account = ctx.state.store.get_account(account_id).await?;
        if account.is_some_and(|a| !a.has_verified_email()) {
            ctx.p.after = Some(Finished {
                account_id: account_id.to_string(),
                acr,
                amr,
            });
            ctx.p.step = Step::AddEmail;
            ctx.p.identifier = None;
            return Ok(None);
        }
    }
    ctx.state
        .store
        .delete_interaction(&hash_secret(&ctx.id))
        .await?;
    let r = establish(
        ctx.state,
        &ctx.client,
        &ctx.p.req,
        headers,
        account_id,
        acr,
        amr,
        ctx.p.remember,
    )
    .await;
    Ok(Some(r))
}

async fn on_code(ctx: &mut Ctx<'_>, params: &Params, headers: &HeaderMap) -> StepResult {
    let state = ctx.state;
    let now = state.now();
    let Some(identifier) = ctx.p.identifier.clone() else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let code = params.get("code").unwrap_or("");
    if let Err(refused) = check_code(state, "signin", &identifier, code, &ctx.ip).await? {
        if matches!(refused, codes::CodeRefused::Wrong) {
            audit(
                state,
                "code",
                ctx.p.account_id.as_deref(),
                Some(&ctx.client.client_id),
                "wrong_code",
            )
            .await;
        }
        ctx.p.error = Some(refused.notice());
        return Ok(None);
    }
    ctx.p.verified = true;
    state.metrics.funnel(&ctx.client.client_id, Stage::Verified);
    if let Some(after) = ctx.p.after.take() {
        // The code proved an email added for a service that requires one.
        match state.store.find_account(&identifier).await? {
            Some(a) if a.id == after.account_id => {
                state.store.set_identifier_verified(&identifier).await?;
            }
            Some(_) => {
                ctx.p.after = Some(after);
                ctx.p.step = Step::AddEmail;
                ctx.p.error = Some(Notice::new("err-email-taken"));
                return Ok(None);
            }
            None => {
                state
                    .store
                    .add_identifier(&after.account_id, &identifier, true, now)
                    .await?;
            }
        }
        audit(
            state,
            "identifier_added",
            Some(&after.account_id),
            Some(&ctx.client.client_id),
            "success",
        )
        .await;
        // After an SSO hit the session stays as it was (auth_time is not renewed by adding
        // an email); after a real sign-in the session is made now.
        if let Some(auth) = ctx.p.auth.take() {
            state
                .store
                .delete_interaction(&hash_secret(&ctx.id))
                .await?;
            let r = finish::complete(state, &ctx.client, &ctx.p.req, auth, None, headers).await;
            return Ok(Some(r));
        }
        return done(ctx, headers, &after.account_id, after.acr, after.amr).await;
    }
    let account = match &ctx.p.account_id {
        Some(id) => state.store.get_account(id).await?,
        None => None,
    };
    // A new account is counted when its identifier is proven: before, refusing to send the
    // code told known numbers from unknown ones once an address had used its quota.
    if account.is_none()
        && let Some(n) = limited(state.limits.hit(Limit::AccountCreationPerIp, &ctx.ip).await)?
    {
        ctx.p.error = Some(n);
        ctx.p.step = Step::Identifier;
        return Ok(None);
    }
    let needs_password = ctx.p.req.acr == Acr::Password || !identifier.is_phone();
    match account {
        Some(_) if ctx.p.resetting => {
            state.store.set_identifier_verified(&identifier).await?;
            ctx.p.step = Step::SetPassword;
            Ok(None)
        }
        Some(account) => {
            state.store.set_identifier_verified(&identifier).await?;
            if needs_password {
                ctx.p.step = if account.has_password() {
                    Step::Password
                } else {
                    Step::SetPassword
                };
                Ok(None)
            } else {
                done(ctx, headers, &account.id, Acr::Phone, vec!["sms".into()]).await
            }
        }
        None if needs_password => {
            ctx.p.step = Step::SetPassword;
            Ok(None)
        }
        None => match find_or_create(state, &identifier, None).await {
            Ok(account) => done(ctx, headers, &account.id, Acr::Phone, vec!["sms".into()]).await,
            Err(StoreError::Conflict(_)) => {
                ctx.p.error = Some(Notice::new("err-conflict"));
                ctx.p.step = Step::Identifier;
                Ok(None)
            }
            Err(e) => Err(e),
        },
    }
}

async fn on_set_password(ctx: &mut Ctx<'_>, params: &Params, headers: &HeaderMap) -> StepResult {
    let state = ctx.state;
    let (Some(identifier), true) = (ctx.p.identifier.clone(), ctx.p.verified) else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let password = params.get("new_password").unwrap_or("");
    let identifiers = [identifier.value.as_str()];
    if let Err(e) = state.settings.password_policy.check(password, &identifiers) {
        ctx.p.strength =
            (password.len() <= MAX_BYTES).then(|| password::strength(password, &identifiers).score);
        ctx.p.error = Some(password_notice(&e));
        return Ok(None);
    }
    let hash = match state.hasher.hash(password).await {
        Ok(h) => h,
        Err(_) => return Err(StoreError::Database("password hashing failed".into())),
    };
    let client_id = Some(ctx.client.client_id.as_str());
    let account = match state.store.find_account(&identifier).await? {
        Some(account) => {
            state.store.set_identifier_verified(&identifier).await?;
            crate::accounts::set_password(state, &account, &hash, None, client_id, &ctx.p.locale)
                .await?;
            account
        }
        None => {
            let account = find_or_create(state, &identifier, Some(hash)).await?;
            audit(
                state,
                "password_set",
                Some(&account.id),
                client_id,
                "success",
            )
            .await;
            account
        }
    };
    ctx.p.resetting = false;
    let amr = vec!["pwd".to_string(), proof_amr(&ctx.p)];
    done(ctx, headers, &account.id, Acr::Password, amr).await
}

async fn on_add_email(ctx: &mut Ctx<'_>, params: &Params) -> StepResult {
    let Some(after) = ctx.p.after.clone() else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    let input = params.get("email").unwrap_or("");
    let email = match Identifier::parse(input, ctx.state.settings.default_phone_region) {
        Ok(i) if i.kind == IdentifierKind::Email => i,
        _ => {
            ctx.p.error = Some(Notice::new("err-identifier-email"));
            return Ok(None);
        }
    };
    if let Some(other) = ctx.state.store.find_account(&email).await?
        && other.id != after.account_id
    {
        ctx.p.error = Some(Notice::new("err-email-taken"));
        return Ok(None);
    }
    match send_code(ctx, &email, false).await? {
        Ok(()) => {
            ctx.p.identifier = Some(email);
            ctx.p.step = Step::Code;
        }
        Err(n) => ctx.p.error = Some(n),
    }
    Ok(None)
}

async fn on_consent(ctx: &mut Ctx<'_>, params: &Params) -> StepResult {
    let state = ctx.state;
    let Some(auth) = ctx.p.auth.clone() else {
        ctx.p.step = Step::Identifier;
        return Ok(None);
    };
    state
        .store
        .delete_interaction(&hash_secret(&ctx.id))
        .await?;
    match params.get("decision") {
        Some("allow") => {
            state
                .store
                .put_consent(
                    &auth.account_id,
                    &ctx.client.client_id,
                    &ctx.p.req.scope,
                    state.now(),
                )
                .await?;
            audit(
                state,
                "consent",
                Some(&auth.account_id),
                Some(&ctx.client.client_id),
                "allow",
            )
            .await;
            Ok(Some(finish::issue(state, &ctx.p.req, auth, None).await))
        }
        _ => {
            audit(
                state,
                "consent",
                Some(&auth.account_id),
                Some(&ctx.client.client_id),
                "deny",
            )
            .await;
            let t = finish::target(&ctx.p.req);
            Ok(Some(with_cookie(
                redirect_error(state, &t, "access_denied", "the person denied access"),
                None,
            )))
        }
    }
}

fn default_locale() -> String {
    i18n::DEFAULT.to_string()
}

pub(crate) fn password_notice(e: &PasswordError) -> Notice {
    match e {
        PasswordError::TooShort => Notice::new("err-password-short").with("min", MIN_LEN as i64),
        PasswordError::TooLong => Notice::new("err-password-long"),
        PasswordError::TooCommon => Notice::new("err-password-common"),
        PasswordError::SameAsIdentifier => Notice::new("err-password-identifier"),
        PasswordError::TooWeak(_) => Notice::new("err-password-weak"),
        PasswordError::Hashing => Notice::new("error-server"),
    }
}
