//! Rendering a step: the page of the pending sign-in, in its language, with the service's
//! branding.

use super::*;

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let (mut p, client) = load(&state, &id, &headers).await?;
    // The language switcher: remembered for the rest of this sign-in.
    let asked = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| i18n::supported(&v));
    if let Some(lang) = asked
        && lang != p.locale
    {
        p.locale = lang.to_string();
        put(&state, &id, &p).await?;
    }
    Ok(render(&Ctx {
        state: &state,
        client,
        id,
        p,
        ip: String::new(),
        altcha: None,
    }))
}

/// The page language for a new sign-in: `ui_locales`, the browser, the service's default.
pub(super) fn page_locale(client: &ClientRecord, req: &AuthRequest, headers: &HeaderMap) -> String {
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

pub(super) fn render(ctx: &Ctx<'_>) -> Response {
    let p = &ctx.p;
    let base = format!("/signin/{}", ctx.id);
    let view = View {
        step: p.step.page(),
        locale: &p.locale,
        error: p
            .error
            .as_ref()
            .map(|n| ctx.state.pages.translations.notice(&p.locale, n)),
        identifier: p
            .step
            .identifier()
            .map(|i| i.value.as_str())
            .or(p.req.login_hint.as_deref()),
        login_hint_locked: p.req.login_hint_locked,
        remember: p.remember,
        reauthentication: p.lock.is_some(),
        // My account asks again before a change: the page says why.
        reason: (p.lock.is_some() && ctx.client.client_id == crate::account::CLIENT_ID)
            .then_some("account-reauth-reason"),
        strength: match &p.step {
            Step::SetPassword { strength, .. } => *strength,
            _ => None,
        },
        scope: &p.req.scope,
        csrf: &p.csrf,
        challenge: p.challenge.as_deref(),
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
        p.step.page().template(),
        page_context(&ctx.client.metadata, &view),
    )
}

/// What a step page shows besides the service's settings: how far the person has come and
/// where the forms go. The sign-in builds it from the pending state, the flow previewer from
/// sample values, and both render through `page_context`, so a preview is the real page.
pub(crate) struct View<'a> {
    pub step: Page,
    pub locale: &'a str,
    /// Already translated.
    pub error: Option<String>,
    /// The identifier typed or proven so far, else the `login_hint`.
    pub identifier: Option<&'a str>,
    pub login_hint_locked: bool,
    pub remember: bool,
    /// Only one account may sign in (step-up, re-authentication): no "Stay signed in".
    pub reauthentication: bool,
    /// A line saying why the person is asked to sign in (a message id).
    pub reason: Option<&'static str>,
    pub strength: Option<u8>,
    pub scope: &'a str,
    pub csrf: &'a str,
    /// The proof-of-work challenge's JSON, when the identifier step asks for one.
    pub challenge: Option<&'a str>,
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
        "challenge": v.challenge,
        "action": base,
        "restart": format!("{base}/restart"),
        "resend": format!("{base}/resend"),
        "forgot": format!("{base}/forgot"),
        "label": label,
        "placeholder": placeholder,
        "inputmode": inputmode,
        "input_type": input_type,
        "locked": v.login_hint_locked && v.step == Page::Identifier,
        "min_length": MIN_LEN,
        "strength": v.strength,
        "identifier": v.identifier,
        "remember_visible": m.stay_signed_in().visible && !v.reauthentication,
        "reason": v.reason,
        "remember": v.remember,
        "scopes": v.scope.split_whitespace().collect::<Vec<_>>(),
    })
}
