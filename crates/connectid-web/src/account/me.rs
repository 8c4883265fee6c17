//! Who is signed in to My account, and the way in: a recent enough sign-in through the
//! ordinary pages (the built-in client), the callback back here, the CSRF check of every form.

use super::*;

/// The person behind this request's session cookie.
pub(crate) struct Me {
    pub session: SsoSession,
    pub account: Account,
    /// The cookie value: the CSRF token of the forms is derived from it.
    cookie: String,
}

impl Me {
    pub fn csrf(&self) -> String {
        hash_secret(&format!("account-csrf:{}", self.cookie))
    }
    fn csrf_ok(&self, p: &Params) -> bool {
        let given = p.get("csrf").unwrap_or("");
        !given.is_empty() && constant_time_eq(given.as_bytes(), self.csrf().as_bytes())
    }
    /// The level a sensitive change asks for: the strongest this account can give.
    fn needed(&self) -> Acr {
        if self.account.has_password() {
            Acr::Password
        } else {
            Acr::Phone
        }
    }
    fn is_recent(&self, now: i64) -> bool {
        now - self.session.auth_time <= RECENT && self.session.acr >= self.needed()
    }
}

pub(super) async fn me(state: &AppState, headers: &HeaderMap) -> Result<Option<Me>, StoreError> {
    let Some(cookie) = cookies::get(headers, cookies::SESSION) else {
        return Ok(None);
    };
    let now = state.now();
    let Some(session) = state.store.get_session(&hash_secret(&cookie), now).await? else {
        return Ok(None);
    };
    let Some(account) = state.store.get_account(&session.account_id).await? else {
        return Ok(None);
    };
    crate::app::sessions::touch(state, &session).await?;
    Ok(Some(Me {
        session,
        account,
        cookie,
    }))
}

/// What a page needs before it can answer: the person, signed in (recently, for a sensitive
/// page), or else the answer that sends them to sign in and back to `here`.
pub(crate) async fn require(
    state: &AppState,
    headers: &HeaderMap,
    here: &str,
    sensitive: bool,
) -> Result<Me, PageError> {
    match me(state, headers).await? {
        Some(m) if !sensitive || m.is_recent(state.now()) => Ok(m),
        Some(m) => Err(sign_in_first(state, here, Some(m.needed())).into()),
        None => Err(sign_in_first(state, here, None).into()),
    }
}

/// A POST's person and form: signed in as [`require`] says, with the form's CSRF token.
pub(crate) async fn require_form(
    state: &AppState,
    headers: &HeaderMap,
    body: &Bytes,
    back: &str,
    sensitive: bool,
) -> Result<(Me, Params), PageError> {
    let me = require(state, headers, back, sensitive).await?;
    let p = Params::parse(body);
    if p.duplicate.is_some() || !me.csrf_ok(&p) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "error-form-expired"));
    }
    Ok((me, p))
}

/// To the sign-in pages as the built-in client, then back to `back_to` (a path of ours).
pub(crate) fn sign_in_first(state: &AppState, back_to: &str, reauth: Option<Acr>) -> Response {
    sign_in_as(state, back_to, reauth, None)
}

/// The sign-in of [`sign_in_first`], also asking for a sign-in no older than `max_age`
/// seconds (a forward-auth location's requirement, `/resolve/signin`).
pub(crate) fn sign_in_as(
    state: &AppState,
    back_to: &str,
    reauth: Option<Acr>,
    max_age: Option<i64>,
) -> Response {
    let issuer = &state.settings.issuer;
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", &format!("{issuer}/account/callback"))
        .append_pair("response_type", "code")
        .append_pair("scope", "openid")
        .append_pair("state", back_to)
        .append_pair("ui_locales", crate::pages::request_lang());
    if let Some(acr) = reauth {
        q.append_pair("prompt", "login")
            .append_pair("acr_values", acr.as_str());
    }
    if let Some(m) = max_age {
        q.append_pair("max_age", &m.to_string());
    }
    see_other(&format!("/authorize?{}", q.finish()))
}

/// Only paths of the account pages are followed back after a sign-in: never another site.
pub(super) fn safe_return(path: &str) -> Option<&str> {
    let ok = (path == "/account" || path.starts_with("/account/") || path.starts_with("/account?"))
        && path.len() <= 512
        && !path.contains("//")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/?=&_.-%".contains(c));
    ok.then_some(path)
}

/// `/account/callback`: the sign-in pages are done. The code is used up (nothing needs
/// tokens: the session cookie is what the account pages read) and the person goes back.
pub async fn callback(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let expired = || PageError::bad_request("error-signin-expired");
    let code = q.get("code").ok_or_else(expired)?;
    match state
        .store
        .consume_code(&hash_secret(code), state.now())
        .await?
    {
        CodeUse::Fresh(c) if c.client_id == CLIENT_ID => {
            state.store.revoke_grant(&c.grant_id, state.now()).await?;
        }
        _ => return Err(expired()),
    }
    // Back to an account page, or to a site under the cookie domain (`/resolve/signin`).
    let back = q
        .get("state")
        .filter(|s| safe_return(s).is_some() || state.settings.shares_cookie(s))
        .map_or("/account", String::as_str);
    Ok(see_other(back))
}
