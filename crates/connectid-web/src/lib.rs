//! The HTTP face of connectid: OpenID Connect endpoints, the sign-in pages, the admin API.
//!
//! Handlers are thin: they parse a request into core types, call the use cases (`accounts`,
//! `clients`, `sessions`, the sign-in steps) and render a page or a protocol answer. They
//! return `Result<Response, PageError>` or `Result<Response, OAuthError>` and use `?`;
//! errors become responses in `error.rs` only.

// `PageError::Answer` carries a whole `Response` (a redirect to sign in ends a handler
// early); its size in the error path costs nothing that matters here.
#![allow(clippy::result_large_err)]

pub mod account;
mod admin;
pub mod app;
mod app2app;
pub mod audit;
mod authorize;
mod button;
mod cookies;
pub mod delivery;
mod discovery;
mod dpop;
mod error;
mod finish;
#[doc(hidden)]
pub mod fuzzing;
mod headers;
mod i18n;
mod introspect;
mod keys;
mod logout;
mod metrics;
mod mobile_network;
pub mod net;
pub mod outbox;
mod pages;
mod par;
mod params;
mod preauth;
mod previewer;
mod request_id;
mod resolve;
mod signin;
pub mod smpp;
mod state;
mod token;
pub mod trace;
mod userinfo;

pub use keys::ensure_keys;
pub use signin::CamaraSettings;
pub use state::{AppState, WebSettings};

use axum::Router;
use axum::routing::{get, post};

/// Every route connectid serves.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// Every route, plus `extra` (the demo) under the same security headers and languages.
pub fn router_with(state: AppState, extra: Router) -> Router {
    // The hot protocol paths answer machines: no language, no audit address to work out, no
    // error pages to draw (their handlers answer with `OAuthError` or a bare status).
    let protocol = Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(discovery::configuration),
        )
        .route("/jwks", get(discovery::jwks))
        .route("/token", post(token::token))
        .route("/par", post(par::push))
        .route("/userinfo", get(userinfo::get).post(userinfo::post))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(state::readyz))
        .route("/metrics", get(metrics::get))
        .route("/resolve", get(resolve::resolve))
        .route("/resolve/acr/{acr}", get(resolve::resolve))
        .route("/resolve/max_age/{max_age}", get(resolve::resolve))
        .route(
            "/resolve/acr/{acr}/max_age/{max_age}",
            get(resolve::resolve),
        )
        .route("/mobile-network/identify", get(mobile_network::identify))
        .route("/app2app/approve", post(app2app::approve))
        .with_state(state.clone());
    // Pages for people, and the endpoints whose events go to the audit log. `extra` is the
    // demo's services when it runs: the start page links to them then.
    let demo = extra.has_routes();
    let pages = Router::new()
        .route(
            "/",
            get(
                move |axum::extract::State(s): axum::extract::State<AppState>| async move {
                    pages::home(&s, demo)
                },
            ),
        )
        .route("/authorize", get(authorize::get).post(authorize::post))
        .route("/signin/{id}", get(signin::show).post(signin::submit))
        .route("/camara/callback", get(signin::camara_callback))
        .route("/signin/{id}/restart", post(signin::restart))
        .route("/signin/{id}/resend", post(signin::resend))
        .route("/signin/{id}/forgot", post(signin::forgot))
        .route("/signin/{id}/strength", post(signin::strength))
        .route("/account", get(account::overview))
        .route("/account/callback", get(account::callback))
        .route("/resolve/signin", get(resolve::signin))
        .route(
            "/preauth/{secret}",
            get(preauth::show).post(preauth::confirm),
        )
        .route(
            "/account/password",
            get(account::password::get).post(account::password::post),
        )
        .route(
            "/account/add",
            get(account::identifiers::get).post(account::identifiers::post),
        )
        .route(
            "/account/password/strength",
            post(account::password::strength),
        )
        .route("/account/add/verify", post(account::identifiers::verify))
        .route(
            "/account/remove",
            get(account::removal::confirm).post(account::removal::remove),
        )
        .route("/account/services", get(account::services))
        .route("/account/services/disconnect", post(account::disconnect))
        .route(
            "/account/signout-everywhere",
            post(account::signout_everywhere),
        )
        .route(
            "/account/delete",
            get(account::delete_page).post(account::delete),
        )
        .route("/revoke", post(introspect::revoke))
        .route("/introspect", post(introspect::introspect))
        .route("/logout", get(logout::get).post(logout::post))
        .route("/admin/clients", get(admin::list).post(admin::create))
        .route(
            "/admin/clients/{id}",
            get(admin::show).put(admin::update).delete(admin::delete),
        )
        .route("/admin/clients/{id}/secret", post(admin::rotate_secret))
        .route(
            "/admin/accounts/{id}/sessions",
            axum::routing::delete(admin::end_sessions),
        )
        .route("/assets/style.css", get(pages::style))
        .route("/assets/form_post.js", get(pages::form_post_js))
        .route("/assets/strength.js", get(pages::strength_js))
        .route("/assets/altcha.js", get(pages::altcha_js))
        .route("/assets/brand/{file}", get(pages::brand_css))
        .route("/assets/button/{file}", get(button::asset))
        .route("/assets/button.css", get(button::css))
        .route(
            "/assets/brand-preview/{file}",
            get(previewer::brand_preview_css),
        )
        .route("/flow-previewer", get(previewer::get).post(previewer::post))
        .route("/flow-previewer/form", post(previewer::form_sink))
        .route("/flow-previewer/form/{*rest}", post(previewer::form_sink))
        .fallback(pages::not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::client_ip_layer,
        ))
        .layer(axum::middleware::from_fn(pages::locale_layer));
    protocol
        .merge(pages)
        .merge(extra)
        .layer(axum::middleware::from_fn_with_state(
            state,
            headers::security_headers,
        ))
}
