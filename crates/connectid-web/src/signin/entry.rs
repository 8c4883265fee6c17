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
) -> Result<Response, PageError> {
    state.metrics.funnel(&client.client_id, Stage::Started);
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.lock = lock.map(|s| s.account_id.clone());
    // Step-up and re-authentication keep the choice made at sign-in ("stay signed in" or
    // not): the checkbox is not shown again, so nobody has chosen otherwise.
    let Some(session) = lock else {
        return save_new(state, &p, None, new_cookie).await;
    };
    p.remember = session.remember;
    let Some(account) = state.store.get_account(&session.account_id).await? else {
        return save_new(state, &p, None, new_cookie).await;
    };
    let signed = machine::Signed {
        auth_time: session.auth_time,
        amr: &session.amr,
    };
    let next = machine::step_up(
        Known::of(&account),
        signed,
        &policy(client, &p.req),
        state.now(),
    );
    if !matches!(next, Next::Go(Step::SetPassword { .. } | Step::Identifier)) {
        state.metrics.funnel(&client.client_id, Stage::Identified);
    }
    begin(state, client, p, ip, headers, next, new_cookie).await
}

/// Saves a new pending sign-in at the step the machine chose and sends the browser there.
async fn begin(
    state: &AppState,
    client: &ClientRecord,
    p: Pending,
    ip: &str,
    headers: &HeaderMap,
    next: Next,
    new_cookie: Option<String>,
) -> Result<Response, PageError> {
    let mut ctx = Ctx {
        state,
        client: client.clone(),
        id: String::new(),
        p,
        ip: ip.to_string(),
        altcha: None,
    };
    if let Some(r) = apply(&mut ctx, headers, next).await? {
        return Ok(r);
    }
    save_new(state, &ctx.p, None, new_cookie).await
}

/// After authentication, for a client that needs consent first.
pub(crate) async fn start_consent(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    auth: Authenticated,
    headers: &HeaderMap,
    set_cookie: Option<String>,
) -> Result<Response, PageError> {
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.step = Step::Consent { auth };
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
) -> Result<Response, PageError> {
    state.metrics.funnel(&client.client_id, Stage::Started);
    let (p, new_cookie) = fresh(state, client, req, headers);
    let account = state.store.find_account(&phone).await?;
    state.metrics.funnel(&client.client_id, Stage::Identified);
    let next = machine::detected(
        phone,
        account.as_ref().map(Known::of),
        &policy(client, &p.req),
    );
    begin(state, client, p, ip, headers, next, new_cookie).await
}

/// Already authenticated (an SSO hit), but the service needs a verified email first.
pub(crate) async fn start_add_email(
    state: &AppState,
    client: &ClientRecord,
    req: AuthRequest,
    auth: Authenticated,
    headers: &HeaderMap,
    set_cookie: Option<String>,
) -> Result<Response, PageError> {
    let (mut p, new_cookie) = fresh(state, client, req, headers);
    p.lock = Some(auth.account_id.clone());
    let finished = Finished {
        account_id: auth.account_id.clone(),
        acr: auth.acr,
        amr: auth.amr.clone(),
        session: Some(auth),
    };
    p.step = Step::AddEmail { finished };
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
) -> Result<Response, PageError> {
    if let Some(session) = current {
        let owner = state.store.find_account(&phone).await?;
        if owner.is_none_or(|a| a.id != session.account_id) {
            return start_detected(state, client, req, headers, phone, ip).await;
        }
    }
    let account = network_account(state, client, &phone).await?;
    let remember = client.metadata.stay_signed_in().default;
    let signed_in = Done {
        account_id: account.id,
        acr: Acr::Phone,
        amr: vec![Proof::Network.amr()],
    };
    establish(state, client, &req, headers, signed_in, remember).await
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
) -> Result<Response, PageError> {
    if client.metadata.require_email {
        // Adding an email takes pages, and pages end in a browser session: ask as usual.
        let account = state.store.find_account(&phone).await?;
        if !account.is_some_and(|a| a.has_verified_email()) {
            return start(state, client, req, headers, None, ip).await;
        }
    }
    let account = network_account(state, client, &phone).await?;
    audit(
        state,
        AuditKind::Signin,
        Some(&account.id),
        Some(&client.client_id),
        "success",
    )
    .await;
    let auth = Authenticated {
        account_id: account.id,
        acr: Acr::Phone,
        amr: vec![Proof::Network.amr()],
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
        if !a.has_verified(identifier) {
            state.store.set_identifier_verified(identifier).await?;
        }
        return Ok(a);
    }
    crate::app::accounts::create(
        state,
        vec![(identifier.clone(), true)],
        password_hash,
        crate::app::accounts::Actor::Person,
    )
    .await
}

pub(super) async fn audit(
    state: &AppState,
    kind: AuditKind,
    account: Option<&str>,
    client: Option<&str>,
    outcome: &str,
) {
    crate::audit::record(state, kind, account, client, outcome, None).await;
}

/// Begins the browser session (see `sessions::establish`) and answers the request.
pub(super) async fn establish(
    state: &AppState,
    client: &ClientRecord,
    req: &AuthRequest,
    headers: &HeaderMap,
    signed_in: Done,
    remember: bool,
) -> Result<Response, PageError> {
    let account_id = signed_in.account_id.as_str();
    // Refused after the person proved who they are, never before: the identifier step
    // must not tell a stranger that an account exists, locked or not.
    let account = state.store.get_account(account_id).await?;
    if account.is_some_and(|a| a.locked_at.is_some()) {
        let client_id = Some(client.client_id.as_str());
        audit(
            state,
            AuditKind::Signin,
            Some(account_id),
            client_id,
            "locked",
        )
        .await;
        return Err(PageError::new(
            axum::http::StatusCode::FORBIDDEN,
            "error-account-locked",
        ));
    }
    let begin = sessions::Begin {
        account_id,
        acr: signed_in.acr,
        amr: signed_in.amr.clone(),
        auth_time: state.now(),
        remember,
        sid: None,
        not_after: None,
    };
    let current = cookies::get(headers, cookies::SESSION);
    let begun = sessions::establish(state, current.as_deref(), begin).await?;
    audit(
        state,
        AuditKind::Signin,
        Some(account_id),
        Some(&client.client_id),
        "success",
    )
    .await;
    let auth = Authenticated::from_session(&begun.session);
    finish::complete(state, client, req, auth, Some(begun.cookie), headers).await
}
