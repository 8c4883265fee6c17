//! Security headers on every answer, and the request metrics (one layer for both: each
//! layer costs the hot paths a boxed future).

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The route template, never the raw path: label values stay few.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    state.metrics.request(
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        res.status(),
        started.elapsed(),
    );
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        // No inline script or style anywhere; form targets stay open because a sign-in ends
        // with a redirect or a form post to the client's registered URI.
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' https: data:; \
                 frame-ancestors 'none'; base-uri 'none'",
            ),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
