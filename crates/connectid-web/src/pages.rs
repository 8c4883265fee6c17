//! Server-rendered pages: templates embedded in the binary, auto-escaped, translated.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::{Kwargs, Value, merge_maps};
use minijinja::{Environment, Error, State};
use serde::Serialize;

use crate::i18n::{self, Arg, LOCALES, Translations};

/// The language of the request being answered, and the URL its language switcher links to.
#[derive(Debug, Clone)]
pub struct RequestLocale {
    pub lang: &'static str,
    /// `path?query&` without `lang`, for GET requests; switching re-requests the same page.
    pub switch: Option<String>,
}

tokio::task_local! {
    static REQUEST_LOCALE: RequestLocale;
}

/// The language of the current request (English outside of one).
pub fn request_lang() -> &'static str {
    REQUEST_LOCALE.try_with(|l| l.lang).unwrap_or(i18n::DEFAULT)
}

/// Chooses the language of every answer: `?lang=`, then `Accept-Language`, then English.
/// Sign-in pages refine this with `ui_locales` and the service's default.
pub async fn locale_layer(req: Request, next: Next) -> Response {
    let query = req.uri().query().unwrap_or("");
    let asked = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| i18n::supported(&v));
    let browser = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(i18n::from_accept_language);
    let lang = asked.or(browser).unwrap_or(i18n::DEFAULT);
    let switch = (req.method() == Method::GET).then(|| {
        let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .take(64)
            .collect();
        let mut s = format!("{}?", req.uri().path());
        if !kept.is_empty() {
            s.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(kept)
                    .finish(),
            );
            s.push('&');
        }
        s
    });
    REQUEST_LOCALE
        .scope(RequestLocale { lang, switch }, next.run(req))
        .await
}

pub struct Pages {
    env: Environment<'static>,
    pub translations: Arc<Translations>,
}

/// Every template, compiled into the binary.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    (
        "new_password.html",
        include_str!("../templates/new_password.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
    (
        "identifier.html",
        include_str!("../templates/identifier.html"),
    ),
    ("password.html", include_str!("../templates/password.html")),
    ("code.html", include_str!("../templates/code.html")),
    (
        "set_password.html",
        include_str!("../templates/set_password.html"),
    ),
    (
        "add_email.html",
        include_str!("../templates/add_email.html"),
    ),
    ("consent.html", include_str!("../templates/consent.html")),
    (
        "signed_out.html",
        include_str!("../templates/signed_out.html"),
    ),
    ("logout.html", include_str!("../templates/logout.html")),
    (
        "form_post.html",
        include_str!("../templates/form_post.html"),
    ),
    (
        "previewer.html",
        include_str!("../templates/previewer.html"),
    ),
    ("account.html", include_str!("../templates/account.html")),
    (
        "account_password.html",
        include_str!("../templates/account_password.html"),
    ),
    (
        "account_add.html",
        include_str!("../templates/account_add.html"),
    ),
    (
        "account_services.html",
        include_str!("../templates/account_services.html"),
    ),
    (
        "account_delete.html",
        include_str!("../templates/account_delete.html"),
    ),
    (
        "account_deleted.html",
        include_str!("../templates/account_deleted.html"),
    ),
    ("preauth.html", include_str!("../templates/preauth.html")),
    (
        "account_remove.html",
        include_str!("../templates/account_remove.html"),
    ),
    ("home.html", include_str!("../templates/home.html")),
];

/// `/`: what this is, with the ways on (My account, the demo when it runs, discovery),
/// instead of a bare "not found" for someone who typed the address.
pub fn home(state: &crate::state::AppState, demo: bool) -> Response {
    state.pages.page(
        StatusCode::OK,
        "home.html",
        serde_json::json!({"step": "home", "demo": demo}),
    )
}

fn args(kwargs: &Kwargs) -> Result<Vec<(String, Arg)>, Error> {
    let mut out = Vec::new();
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        let arg = match i64::try_from(v.clone()) {
            Ok(n) if v.is_number() => Arg::Num(n),
            _ => Arg::Str(v.to_string()),
        };
        out.push((name.to_string(), arg));
    }
    Ok(out)
}

fn lang_of(state: &State) -> String {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| i18n::DEFAULT.to_string())
}

impl Pages {
    pub fn new() -> Self {
        let translations = Arc::new(Translations::load());
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // Templates are compiled in; one that does not parse is a build-time bug caught
            // by the page tests, so an error here leaves the page out rather than panicking.
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "template does not parse");
            }
        }
        let t = translations.clone();
        env.add_function(
            "t",
            move |state: &State, id: &str, kwargs: Kwargs| -> Result<String, Error> {
                let a = args(&kwargs)?;
                let refs: Vec<(&str, Arg)> =
                    a.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                Ok(t.format(&lang_of(state), id, &refs))
            },
        );
        let t = translations.clone();
        env.add_function(
            "th",
            move |state: &State, id: &str, kwargs: Kwargs| -> Result<Value, Error> {
                let a = args(&kwargs)?;
                let refs: Vec<(&str, Arg)> =
                    a.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                Ok(Value::from_safe_string(t.format_html(
                    &lang_of(state),
                    id,
                    &refs,
                )))
            },
        );
        Self { env, translations }
    }

    /// Renders in the request's language (or the `lang` the context names).
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, minijinja::Error> {
        let own = Value::from(minijinja::value::Serde(ctx));
        let lang = own
            .get_attr("lang")
            .ok()
            .and_then(|v| v.as_str().and_then(i18n::supported))
            .unwrap_or_else(request_lang);
        let info = i18n::info(lang);
        let switch = own
            .get_attr("switch")
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_none())
            .or_else(|| {
                REQUEST_LOCALE
                    .try_with(|l| l.switch.clone())
                    .ok()
                    .flatten()
                    .map(Value::from)
            });
        let locales: Vec<Value> = LOCALES
            .iter()
            .map(|l| minijinja::context! { code => l.code, name => l.name })
            .collect();
        let base = minijinja::context! {
            lang => info.code,
            dir => if info.rtl { "rtl" } else { "ltr" },
            locales => locales,
            switch => switch,
        };
        self.env.get_template(name)?.render(merge_maps([own, base]))
    }

    /// Renders a page, or a bare error page if the template itself fails.
    pub fn page<S: Serialize>(&self, status: StatusCode, name: &str, ctx: S) -> Response {
        match self.render(name, ctx) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(template = name, error = %e, "page failed to render");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html("<!doctype html><main data-step=\"error\"><p role=\"alert\">Something went wrong.</p></main>"),
                )
                    .into_response()
            }
        }
    }
}

impl Default for Pages {
    fn default() -> Self {
        Self::new()
    }
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

pub async fn style() -> Response {
    asset(
        include_str!("../assets/style.css"),
        "text/css; charset=utf-8",
    )
}

pub async fn strength_js() -> Response {
    asset(
        include_str!("../assets/strength.js"),
        "text/javascript; charset=utf-8",
    )
}

pub async fn altcha_js() -> Response {
    asset(
        include_str!("../assets/altcha.js"),
        "text/javascript; charset=utf-8",
    )
}

pub async fn form_post_js() -> Response {
    asset(
        include_str!("../assets/form_post.js"),
        "text/javascript; charset=utf-8",
    )
}

/// `/assets/brand/{client_id}.css`: the service's header colour, as a stylesheet because the
/// CSP allows no inline style. The text colour is chosen for contrast (WCAG luminance).
pub async fn brand_css(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some(client_id) = file.strip_suffix(".css") else {
        return not_found().await;
    };
    let color = match state.store.get_client(client_id).await {
        Ok(Some(c)) => c.metadata.branding.and_then(|b| b.header_color),
        _ => None,
    };
    let Some(css) = color.as_deref().and_then(header_css) else {
        return not_found().await;
    };
    let mut r = css.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    r
}

/// CSS for a header colour `#rgb` or `#rrggbb`; `None` for anything else (never echoed raw).
pub fn header_css(color: &str) -> Option<String> {
    let hex = color.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&full[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let lum = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // Contrast with white is (1.05)/(lum+0.05); with near-black (#111) about (lum+0.05)/0.056.
    let text = if 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.056 {
        "#fff"
    } else {
        "#111"
    };
    Some(format!(
        ".brand{{background:#{};color:{text}}}\n",
        full.to_ascii_lowercase()
    ))
}

pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_colour_css_is_safe_and_readable() {
        assert_eq!(
            header_css("#FFF").unwrap(),
            ".brand{background:#ffffff;color:#111}\n"
        );
        assert_eq!(
            header_css("#1d4ed8").unwrap(),
            ".brand{background:#1d4ed8;color:#fff}\n"
        );
        assert!(header_css("red").is_none());
        assert!(header_css("#12345g").is_none());
        assert!(header_css("#fff;}body{x").is_none());
    }

    #[test]
    fn every_template_renders_and_escapes() {
        let p = Pages::new();
        let ctx = serde_json::json!({"step":"identifier","error":"<script>x</script>",
            "client_name":"<b>Shop</b>","csrf":"t","action":"/a","label":"Phone","message":"hi",
            "inputmode":"text","placeholder":"","identifier":"a@b.no","scopes":["openid"],
            "fields":{"code":"c"},"carry":{"state":"s"},"message":"m",
            "title":"account-title","label":"identifier-label-email","signed_in_as":"<i>x</i>",
            "groups":[{"title":"account-phones","kind":"phone","add":"account-add-phone",
                "items":[{"value":"<script>x</script>","verified":false}]}],"can_remove":true,
            "services":[{"client_id":"c","name":"<b>Shop</b>"}],"notice":"<b>Shop</b>",
            "back":{"name":"<b>Shop</b>","uri":"https://x.example/cb"}});
        for (name, _) in TEMPLATES
            .iter()
            .filter(|(n, _)| *n != "base.html" && *n != "new_password.html")
        {
            let html = p.render(name, &ctx).unwrap();
            assert!(!html.contains("<script>x"), "{name} does not escape");
            assert!(!html.contains("<b>Shop"), "{name} does not escape");
        }
    }
}
