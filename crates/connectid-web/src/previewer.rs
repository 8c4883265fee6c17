//! The flow previewer: a service's developer picks a
//! registered client or pastes client metadata, a language and a step, and sees that step as
//! a person would, with no one signed in and nothing sent.
//!
//! The page is the real step page, rendered through the sign-in's own `page_context`, with a
//! banner on top. Framing our pages is forbidden (`frame-ancestors 'none'`), so the preview is
//! the page itself: GET for registered clients (a link to share), POST for pasted JSON. Its
//! forms post to `/flow-previewer/form`, which answers 204 No Content, so a browser stays on
//! the preview. Nothing here reads a cookie or writes anything, so the POST needs no CSRF
//! token; everything echoed goes through the auto-escaping templates.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::client::{ClientMetadata, IdentifierFirst, Identifiers};
use serde_json::{Value, json};

use crate::error::PageError;
use crate::i18n;
use crate::pages::{Pages, header_css, request_lang};
use crate::params::Params;
use crate::signin::{Page, View, page_context};
use crate::state::AppState;

const PATH: &str = "/flow-previewer";
/// Where the preview's forms post: an answer with no content, so nothing happens.
pub const FORM_SINK: &str = "/flow-previewer/form";
/// Pasted metadata travels in the language switcher's links, so it is kept to a size that
/// every browser and proxy carries in a URL; real metadata is far smaller.
const MAX_METADATA: usize = 16 * 1024;
const SAMPLE_PHONE: &str = "+4791234567";
const SAMPLE_EMAIL: &str = "name@example.com";
const SAMPLE_SCOPE: &str = "openid profile email phone";

/// The steps a person can see: the sign-in pages, an error page and the signed-out page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewStep {
    Page(Page),
    Error,
    SignedOut,
}

impl PreviewStep {
    pub fn all() -> impl Iterator<Item = PreviewStep> {
        Page::ALL
            .into_iter()
            .map(Self::Page)
            .chain([Self::Error, Self::SignedOut])
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Page(s) => s.name(),
            Self::Error => "error",
            Self::SignedOut => "signed-out",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::all().find(|s| s.name() == name)
    }
}

/// The previewer's parameters, from the query string and (for POST) the form body.
#[derive(Debug, Default, Clone)]
pub struct Settings {
    client_id: Option<String>,
    metadata: Option<String>,
    lang: Option<&'static str>,
    step: Option<PreviewStep>,
    login_hint: Option<String>,
    locked: bool,
    /// Show the settings form (the banner's "change" link), not the preview.
    edit: bool,
}

impl Settings {
    fn from_params(p: &Params) -> Self {
        let short = |name: &str, max: usize| {
            p.get(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| v.chars().take(max).collect::<String>())
        };
        Self {
            client_id: short("client_id", 128),
            metadata: p
                .get("metadata")
                .filter(|m| !m.trim().is_empty())
                .map(str::to_string),
            lang: p.get("lang").and_then(i18n::supported),
            step: p.get("step").and_then(PreviewStep::parse),
            login_hint: short("login_hint", 254),
            locked: p.get("locked") == Some("true"),
            edit: p.has("edit"),
        }
    }

    /// These settings as a query string (with or without the language), for links.
    fn query(&self, with_lang: bool) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if let Some(m) = &self.metadata {
            q.append_pair("metadata", m);
        } else if let Some(c) = &self.client_id {
            q.append_pair("client_id", c);
        }
        if let (true, Some(l)) = (with_lang, self.lang) {
            q.append_pair("lang", l);
        }
        if let Some(s) = self.step {
            q.append_pair("step", s.name());
        }
        if let Some(h) = &self.login_hint {
            q.append_pair("login_hint", h);
        }
        if self.locked {
            q.append_pair("locked", "true");
        }
        q.finish()
    }

    /// The language switcher's target: these settings in another language.
    fn switch(&self, edit: bool) -> String {
        let mut q = self.query(false);
        if edit {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str("edit=1");
        }
        if q.is_empty() {
            format!("{PATH}?")
        } else {
            format!("{PATH}?{q}&")
        }
    }
}

/// Why no preview can be shown: a message id for the person, and a detail for developers.
struct Problem {
    status: StatusCode,
    message: &'static str,
    detail: Option<String>,
}

pub async fn get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    if !state.settings.previewer_enabled {
        return Ok(crate::pages::not_found().await);
    }
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    // A link may carry pasted metadata (the language switcher's do); from another site's
    // page it would show any name, message and logo on our address, as a POST would.
    if params.has("metadata") && cross_site(&headers) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "error-form-expired"));
    }
    handle(&state, &Settings::from_params(&params), false).await
}

/// Whether the browser says the request came from another site's page.
fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site != "same-origin" && site != "none")
}

/// Pasted metadata (too long for a link) comes as a form body; the query may add to it.
pub async fn post(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    // Pasted metadata may carry any name, logo and message: a page elsewhere must not be able
    // to post it here and show a person a sign-in page on our address with someone else's
    // branding. Browsers say where a form came from; only our own page may send one.
    if !state.settings.previewer_enabled {
        return Ok(crate::pages::not_found().await);
    }
    if cross_site(&headers) {
        return Err(PageError::new(StatusCode::FORBIDDEN, "error-form-expired"));
    }
    let mut raw = body.to_vec();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        raw.push(b'&');
        raw.extend_from_slice(q.as_bytes());
    }
    handle(&state, &Settings::from_params(&Params::parse(&raw)), true).await
}

/// Where the preview's forms go: nothing is done, and 204 keeps the browser on the preview.
pub async fn form_sink() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn handle(state: &AppState, s: &Settings, posted: bool) -> Result<Response, PageError> {
    let pages = &state.pages;
    let Some(step) = s.step.filter(|_| !s.edit) else {
        return Ok(form_page(pages, s, None));
    };
    let (metadata, brand_css) = if let Some(json) = &s.metadata {
        match pasted(json) {
            Ok(m) => {
                let css = preview_css(&m);
                (m, css)
            }
            Err(p) => return Ok(form_page(pages, s, Some(p))),
        }
    } else if let Some(id) = &s.client_id {
        if posted {
            // A registered client's preview is a link the developer can share.
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{PATH}?{}", s.query(true))) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return Ok(r);
        }
        match state.store.get_client(id).await? {
            Some(c) => {
                let css = format!("/assets/brand/{}.css?v={}", c.client_id, c.updated_at);
                (c.metadata, css)
            }
            None => {
                let p = Problem {
                    status: StatusCode::NOT_FOUND,
                    message: "previewer-unknown-client",
                    detail: None,
                };
                return Ok(form_page(pages, s, Some(p)));
            }
        }
    } else {
        let p = Problem {
            status: StatusCode::BAD_REQUEST,
            message: "previewer-need-client",
            detail: None,
        };
        return Ok(form_page(pages, s, Some(p)));
    };
    let (template, ctx) = preview(&metadata, s, step, brand_css);
    let mut r = pages.page(StatusCode::OK, template, ctx);
    r.headers_mut()
        .insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(r)
}

/// Pasted metadata, checked exactly as a registration checks it.
fn pasted(json: &str) -> Result<ClientMetadata, Problem> {
    let invalid = |detail: String| Problem {
        status: StatusCode::BAD_REQUEST,
        message: "previewer-invalid-metadata",
        detail: Some(detail),
    };
    if json.len() > MAX_METADATA {
        return Err(invalid(format!(
            "the metadata is longer than {} KiB",
            MAX_METADATA / 1024
        )));
    }
    let m = ClientMetadata::from_json(json).map_err(|e| invalid(e.to_string()))?;
    m.validate().map_err(|e| invalid(e.to_string()))?;
    Ok(m)
}

/// The header colour of pasted metadata, from a stylesheet keyed by the colour itself.
fn preview_css(m: &ClientMetadata) -> String {
    let hex = m
        .branding
        .as_ref()
        .and_then(|b| b.header_color.as_deref())
        .and_then(|c| c.strip_prefix('#'))
        .unwrap_or("");
    format!("/assets/brand-preview/{hex}.css")
}

/// `/assets/brand-preview/{hex}.css`: the header colour of a pasted preview. Only hex digits
/// are accepted (see `header_css`), so nothing a visitor sends is echoed.
pub async fn brand_preview_css(Path(file): Path<String>) -> Response {
    let css = file
        .strip_suffix(".css")
        .and_then(|hex| header_css(&format!("#{hex}")));
    let Some(css) = css else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut r = css.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

/// The template and context of a preview: the step's real context plus the banner.
pub fn preview(
    m: &ClientMetadata,
    s: &Settings,
    step: PreviewStep,
    brand_css: String,
) -> (&'static str, Value) {
    let lang = s
        .lang
        .unwrap_or_else(|| i18n::negotiate(None, None, Some(&m.default_locale)));
    let sample = match (m.identifiers, m.identifier_first) {
        (Identifiers::Email, _) | (Identifiers::Both, IdentifierFirst::Email) => SAMPLE_EMAIL,
        _ => SAMPLE_PHONE,
    };
    let (template, mut ctx) = match step {
        PreviewStep::Page(step) => {
            let identifier = match step {
                Page::Identifier => s.login_hint.as_deref(),
                _ => Some(s.login_hint.as_deref().unwrap_or(sample)),
            };
            let view = View {
                step,
                locale: lang,
                error: None,
                identifier,
                login_hint_locked: s.locked && s.login_hint.is_some(),
                remember: m.stay_signed_in().default,
                reauthentication: false,
                reason: None,
                strength: None,
                scope: m.scope.as_deref().unwrap_or(SAMPLE_SCOPE),
                csrf: "preview",
                challenge: None,
                base: FORM_SINK,
                brand_css,
            };
            (step.template(), page_context(m, &view))
        }
        // As the real ones: these pages do not know the service, so they carry no branding.
        PreviewStep::Error => (
            "error.html",
            json!({"step": "error", "message": "error-signin-expired"}),
        ),
        PreviewStep::SignedOut => ("signed_out.html", json!({"step": "signed-out"})),
    };
    if let Some(o) = ctx.as_object_mut() {
        let mut edit = s.clone();
        edit.lang = Some(lang);
        o.insert("lang".into(), json!(lang));
        o.insert("switch".into(), json!(s.switch(false)));
        o.insert(
            "preview".into(),
            json!({"step": step.name(), "back": format!("{PATH}?{}&edit=1", edit.query(true))}),
        );
    }
    (template, ctx)
}

fn form_page(pages: &Pages, s: &Settings, problem: Option<Problem>) -> Response {
    let lang = s.lang.unwrap_or_else(request_lang);
    let steps: Vec<&str> = PreviewStep::all().map(PreviewStep::name).collect();
    let (status, error, detail) = match problem {
        Some(p) => (
            p.status,
            Some(pages.translations.format(request_lang(), p.message, &[])),
            p.detail,
        ),
        None => (StatusCode::OK, None, None),
    };
    let mut r = pages.page(
        status,
        "previewer.html",
        json!({
            "step": "flow-previewer",
            "switch": s.switch(true),
            "error": error,
            "detail": detail,
            "client_id": s.client_id,
            "metadata": s.metadata,
            "preview_lang": lang,
            "steps": steps,
            "selected_step": s.step.map_or("identifier", PreviewStep::name),
            "login_hint": s.login_hint,
            "locked": s.locked,
        }),
    );
    r.headers_mut()
        .insert("x-robots-tag", HeaderValue::from_static("noindex"));
    r
}

/// The rendered HTML of a preview, for the tests.
#[cfg(test)]
fn render_preview(pages: &Pages, m: &ClientMetadata, s: &Settings, step: PreviewStep) -> String {
    let (template, ctx) = preview(m, s, step, "/assets/brand-preview/x.css".into());
    #[allow(clippy::unwrap_used)]
    let html = pages.render(template, ctx).unwrap();
    // minijinja escapes `/` in values; undone so that the tests read URLs plainly.
    html.replace("&#x2f;", "/")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::i18n::LOCALES;

    const META: &str = r##"{"client_name":"Shop <b>&","redirect_uris":["https://shop.example/cb"],
        "stay_signed_in":{"visible":true,"default":false},"identifiers":"email",
        "branding":{"header_color":"#123abc","logo_uri":"https://shop.example/logo.png",
        "message":{"en":"Welcome <script>","nb":"Velkommen"}}}"##;

    fn settings(lang: &str, step: &str) -> Settings {
        let q = format!("lang={lang}&step={step}");
        Settings::from_params(&Params::parse(q.as_bytes()))
    }

    #[test]
    fn every_step_renders_in_every_language() {
        let pages = Pages::new();
        let m = pasted(META).map_err(|p| p.detail).unwrap();
        for l in LOCALES {
            for step in PreviewStep::all() {
                let s = settings(l.code, step.name());
                let html = render_preview(&pages, &m, &s, step);
                let name = step.name();
                assert!(
                    html.contains(&format!("<main data-step=\"{name}\">")),
                    "{name} {}",
                    l.code
                );
                assert!(html.contains(&format!("<html lang=\"{}\"", l.code)));
                assert_eq!(html.contains("dir=\"rtl\""), l.rtl, "{}", l.code);
                assert!(html.contains("class=\"preview\""), "no banner: {name}");
                // Nothing in a preview goes to a real sign-in.
                assert!(!html.contains("/signin/"), "{name} {}", l.code);
                assert!(!html.contains("Shop <b>"), "unescaped client name");
                assert!(!html.contains("<script>"), "unescaped message");
                for action in html.split("action=\"").skip(1) {
                    assert!(action.starts_with(FORM_SINK), "{name}: {action:.40}");
                }
            }
        }
    }

    #[test]
    fn the_preview_shows_what_the_metadata_asks_for() {
        let pages = Pages::new();
        let m = pasted(META).map_err(|p| p.detail).unwrap();
        let s = settings("nb", "identifier");
        let html = render_preview(&pages, &m, &s, PreviewStep::Page(Page::Identifier));
        assert!(html.contains("Velkommen"), "message per language");
        assert!(html.contains("inputmode=\"email\""));
        assert!(html.contains("type=\"email\""));
        assert!(
            html.contains("name=\"remember\" value=\"true\">"),
            "visible, unchecked"
        );
        assert!(html.contains("src=\"https://shop.example/logo.png\""));
        assert!(html.contains("href=\"/assets/brand-preview/x.css\""));
        // The language switcher keeps the settings and changes only the language.
        assert!(html.contains("href=\"/flow-previewer?step=identifier&amp;lang=da\""));

        let m = pasted(r#"{"redirect_uris":["https://a.example/cb"]}"#)
            .map_err(|p| p.detail)
            .unwrap();
        let q = "lang=en&step=identifier&login_hint=%2B4790000000&locked=true";
        let s = Settings::from_params(&Params::parse(q.as_bytes()));
        let html = render_preview(&pages, &m, &s, PreviewStep::Page(Page::Identifier));
        assert!(html.contains("value=\"+4790000000\""));
        assert!(html.contains("readonly"));
        assert!(!html.contains("name=\"remember\""), "hidden by default");
        assert!(
            !html.contains("brand-preview"),
            "no header colour, no stylesheet"
        );
        let s = settings("en", "password");
        let html = render_preview(&pages, &m, &s, PreviewStep::Page(Page::Password));
        assert!(html.contains(SAMPLE_PHONE));
    }

    #[test]
    fn invalid_metadata_is_refused_with_the_reason() {
        let p = pasted(r#"{"redirect_uris":["https://a.example/cb"],"<img>":1}"#)
            .err()
            .unwrap();
        assert_eq!(p.message, "previewer-invalid-metadata");
        assert!(p.detail.unwrap().contains("unknown field"));
        let p = pasted(r#"{"redirect_uris":["https://a.example/cb#x"]}"#)
            .err()
            .unwrap();
        assert!(
            p.detail.unwrap().contains("fragment"),
            "validate() runs too"
        );
        let long = format!("{{\"client_name\":\"{}\"}}", "x".repeat(MAX_METADATA));
        assert!(pasted(&long).is_err());
    }

    #[test]
    fn the_form_page_escapes_what_it_echoes() {
        let pages = Pages::new();
        let q =
            "metadata=%3C%2Ftextarea%3E%3Cscript%3Ex&client_id=%22%3E%3Cb%3E&login_hint=%3Ci%3E";
        let s = Settings::from_params(&Params::parse(q.as_bytes()));
        let p = Problem {
            status: StatusCode::BAD_REQUEST,
            message: "previewer-invalid-metadata",
            detail: Some("<u>detail</u>".into()),
        };
        let r = form_page(&pages, &s, Some(p));
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let body = rt
            .block_on(axum::body::to_bytes(r.into_body(), 1 << 20))
            .unwrap();
        let html = String::from_utf8(body.to_vec())
            .unwrap()
            .replace("&#x2f;", "/");
        for raw in ["</textarea><script>", "\"><b>", "<i>", "<u>"] {
            assert!(!html.contains(raw), "{raw} echoed raw");
        }
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("&lt;u&gt;detail&lt;/u&gt;"));
    }
}
