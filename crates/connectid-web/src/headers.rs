//! Security headers on every answer, the request id (`request_id.rs`), the request metrics
//! and the request's trace span (`trace.rs`): one layer for all four, as each layer costs
//! the hot paths a boxed future.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::state::AppState;
use crate::trace::{Kind, Span, TraceContext};

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The route template, never the raw path: label values stay few.
    let route = req.extensions().get::<MatchedPath>().cloned();
    let started = std::time::Instant::now();
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let id = crate::request_id::choose(req.headers(), peer, &state.settings.forwarded_proxies);
    let span = tracing::info_span!("request", id = %id);
    let traced = state.tracer.enabled().then(|| {
        let parent = req
            .headers()
            .get("traceparent")
            .and_then(|v| v.to_str().ok())
            .and_then(TraceContext::parse);
        let ctx = parent.map_or_else(TraceContext::root, |p| p.child());
        (
            ctx,
            parent,
            req.method().clone(),
            std::time::SystemTime::now(),
        )
    });
    let run = crate::request_id::scope(id.clone(), next.run(req).instrument(span));
    let mut res = match &traced {
        Some((ctx, ..)) => crate::trace::scope(*ctx, run).await,
        None => run.await,
    };
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let elapsed = started.elapsed();
    state.metrics.request(route, res.status(), elapsed);
    if let Some((ctx, parent, method, start)) = traced {
        let status = res.status();
        state.tracer.record(Span {
            ctx,
            parent: parent.map(|p| p.span_id),
            name: format!("{method} {route}"),
            kind: Kind::Server,
            start,
            end: start + elapsed,
            attributes: vec![
                ("http.request.method", method.as_str().into()),
                ("http.route", route.into()),
                ("http.response.status_code", status.as_u16().into()),
                ("connectid.request_id", id.clone().into()),
            ],
            error: status.is_server_error(),
        });
    }
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert(crate::request_id::HEADER, v);
    }
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
