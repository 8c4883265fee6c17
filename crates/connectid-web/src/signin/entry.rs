//! Where sign-ins start (an authorization request, the operator's network, a cellular
//! ticket, consent or an email still to add) and how they end in a browser session.

use super::*;

/// Starts the pages for a request; with `lock`, for that account only.
pub(crate) async fn start(
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
pub(crate) async fn start_consent(
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
pub(crate) async fn start_detected(
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
pub(crate) async fn start_add_email(
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

/// The account of a number the operator's network proved (made on the way for a new one),
/// counted in the funnel as a sign-in started and identified with no page.
async fn network_account(
    state: &AppState,
    client: &ClientRecord,
    phone: &Identifier,
) -> Result<Account, StoreError> {
    state.metrics.funnel(&client.client_id, Stage::Started);
    state.metrics.funnel(&client.client_id, Stage::Identified);
    find_or_create(state, phone, None).await
}

/// LoA1 with no page at all: the operator's network told us the number. A browser already
/// signed in as somebody else is not switched without a word: it gets the code step for the
/// detected number instead.
pub(crate) async fn network_signin(
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
    let account = match network_account(state, client, &phone).await {
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
pub(crate) async fn ticket_signin(
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
    let account = match network_account(state, client, &phone).await {
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

pub(super) async fn find_or_create(
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

pub(super) async fn audit(
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
pub(super) async fn establish(
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
