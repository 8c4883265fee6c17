//! A demo service signing people in and out: the authorization request, the callback (state
//! bound to the browser, `iss`, the level it got), and both kinds of sign-out.

use super::*;

#[derive(Deserialize)]
pub(super) struct LoginQuery {
    /// `2` to step up to a password.
    acr: Option<String>,
    /// `login` to authenticate again.
    prompt: Option<String>,
}

pub(super) async fn login(
    State(demo): State<Demo>,
    Path(slug): Path<String>,
    Query(q): Query<LoginQuery>,
) -> Response {
    let Some((spec, st)) = service(&demo, &slug) else {
        return not_found();
    };
    let issuer = demo.inner.rp.issuer().to_string();
    let mut extra: Vec<(&str, &str)> = Vec::new();
    if let Some(acr) = q.acr.as_deref().filter(|a| matches!(*a, "1" | "2")) {
        extra.push(("acr_values", acr));
    }
    if q.prompt.as_deref() == Some("login") {
        extra.push(("prompt", "login"));
    }
    let started = match demo
        .inner
        .rp
        .start(spec.slug, &spec.redirect_uri(&issuer), &extra)
        .await
    {
        Ok(s) => s,
        Err(e) => return back_with_error(spec, &e.to_string()),
    };
    if let Ok(mut pending) = st.pending.lock() {
        let t = now();
        pending.retain(|_, (at, _)| t - *at < PENDING_TTL);
        if pending.len() >= MAX_ENTRIES {
            pending.clear();
        }
        pending.insert(started.state.clone(), (t, started.clone()));
    }
    // The state is bound to this browser too, so a callback forged elsewhere is refused.
    let c = set_cookie(
        &demo,
        spec.slug,
        &state_cookie_name(spec.slug),
        &started.state,
        Some(PENDING_TTL),
    );
    redirect(&started.url, &[c])
}

pub(super) fn back_with_error(spec: &ServiceSpec, message: &str) -> Response {
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("error", message)
        .finish();
    redirect(&format!("/demo/{}/?{q}", spec.slug), &[])
}

#[derive(Deserialize)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    iss: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

pub(super) async fn callback(
    State(demo): State<Demo>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some((spec, st)) = service(&demo, &slug) else {
        return not_found();
    };
    let issuer = demo.inner.rp.issuer().to_string();
    let state = q.state.unwrap_or_default();
    let bound = get_cookie(&headers, &state_cookie_name(spec.slug)).unwrap_or_default();
    if state.is_empty() || !constant_time_eq(state.as_bytes(), bound.as_bytes()) {
        return back_with_error(spec, "the sign-in answer does not belong to this browser");
    }
    let Some((_, started)) = st.pending.lock().ok().and_then(|mut p| p.remove(&state)) else {
        return back_with_error(spec, "this sign-in answer was already used or has expired");
    };
    // RFC 9207: the answer must come from the issuer we sent the browser to.
    if q.iss.as_deref() != Some(issuer.as_str()) {
        return back_with_error(spec, "the answer came from another issuer");
    }
    if let Some(error) = q.error {
        let what = q.error_description.unwrap_or_default();
        return back_with_error(spec, &format!("{error}: {what}"));
    }
    let Some(code) = q.code else {
        return back_with_error(spec, "no code in the answer");
    };
    let signed_in = match demo
        .inner
        .rp
        .finish(
            spec.slug,
            &st.secret,
            &spec.redirect_uri(&issuer),
            &code,
            &started,
            now(),
        )
        .await
    {
        Ok(s) => s,
        Err(e) => return back_with_error(spec, &e.to_string()),
    };
    // A careful relying party checks the level it got, not the one it asked for: a request
    // can be changed in the browser (acr_values=1 on a LoA2 service).
    if signed_in.acr.as_str() < spec.acr {
        return back_with_error(
            spec,
            "the sign-in was at a lower level than this service needs",
        );
    }
    // td_sls: the person chose not to stay signed in, so the service forgets them with the
    // browser session too.
    let max_age = (!signed_in.td_sls).then_some(REMEMBERED);
    let id = random_token();
    if let Ok(mut sessions) = st.sessions.lock() {
        if sessions.len() >= MAX_ENTRIES {
            sessions.clear();
        }
        sessions.insert(id.clone(), signed_in);
    }
    let session_cookie = set_cookie(&demo, spec.slug, &cookie_name(spec.slug), &id, max_age);
    let clear_state = set_cookie(&demo, spec.slug, &state_cookie_name(spec.slug), "", Some(0));
    redirect(
        &format!("/demo/{}/", spec.slug),
        &[session_cookie, clear_state],
    )
}

pub(super) fn end_local_session(
    demo: &Demo,
    spec: &ServiceSpec,
    st: &ServiceState,
    headers: &HeaderMap,
) -> (Option<SignedIn>, String) {
    let name = cookie_name(spec.slug);
    let removed = get_cookie(headers, &name).and_then(|id| st.sessions.lock().ok()?.remove(&id));
    (removed, set_cookie(demo, spec.slug, &name, "", Some(0)))
}

/// "Sign out" of this service only: connectid's session (and so SSO) stays.
pub(super) async fn logout_here(
    State(demo): State<Demo>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((spec, st)) = service(&demo, &slug) else {
        return not_found();
    };
    let (_, clear) = end_local_session(&demo, spec, st, &headers);
    redirect(&format!("/demo/{}/", spec.slug), &[clear])
}

/// "Sign out of CONNECT ID": this service, then RP-initiated logout at the provider.
pub(super) async fn logout_everywhere(
    State(demo): State<Demo>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((spec, st)) = service(&demo, &slug) else {
        return not_found();
    };
    let (session, clear) = end_local_session(&demo, spec, st, &headers);
    let Some(session) = session else {
        return redirect(&format!("/demo/{}/", spec.slug), &[clear]);
    };
    let home = spec.home(demo.inner.rp.issuer());
    match demo.inner.rp.logout_url(&session.id_token, &home).await {
        Ok(url) => redirect(&url, &[clear]),
        Err(e) => back_with_error(spec, &e.to_string()),
    }
}
