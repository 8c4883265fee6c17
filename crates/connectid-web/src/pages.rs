//! Server-rendered pages: templates embedded in the binary, auto-escaped.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::Environment;
use serde::Serialize;

pub struct Pages {
    env: Environment<'static>,
}

macro_rules! templates {
    ($env:ident, $($name:literal),*) => {
        $(
            // Templates are compiled in; one that does not parse is a build-time bug caught
            // by the page tests, so an error here leaves the page out rather than panicking.
            if let Err(e) = $env.add_template($name, include_str!(concat!("../templates/", $name))) {
                tracing::error!(template = $name, error = %e, "template does not parse");
            }
        )*
    };
}

impl Pages {
    pub fn new() -> Self {
        let mut env = Environment::new();
        templates!(
            env,
            "base.html",
            "error.html",
            "identifier.html",
            "password.html",
            "code.html",
            "set_password.html",
            "consent.html",
            "signed_out.html",
            "logout.html",
            "form_post.html"
        );
        Self { env }
    }

    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, minijinja::Error> {
        self.env
            .get_template(name)?
            .render(minijinja::value::Serde(ctx))
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

pub async fn form_post_js() -> Response {
    asset(
        include_str!("../assets/form_post.js"),
        "text/javascript; charset=utf-8",
    )
}

pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_and_escapes() {
        let p = Pages::new();
        let ctx = serde_json::json!({"step":"identifier","error":"<script>x</script>",
            "client_name":"<b>Shop</b>","csrf":"t","action":"/a","label":"Phone","message":"hi",
            "inputmode":"text","placeholder":"","identifier":"a@b.no","scopes":["openid"],
            "fields":{"code":"c"},"carry":{"state":"s"},"message":"m"});
        for name in [
            "error.html",
            "identifier.html",
            "password.html",
            "code.html",
            "set_password.html",
            "consent.html",
            "signed_out.html",
            "logout.html",
            "form_post.html",
        ] {
            let html = p.render(name, &ctx).unwrap();
            assert!(!html.contains("<script>x"), "{name} does not escape");
            assert!(!html.contains("<b>Shop"), "{name} does not escape");
        }
    }
}
