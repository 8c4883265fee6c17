//! Where errors become responses: an HTML error page for people, RFC 6749 JSON for clients.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use connectid_core::store::StoreError;
use serde_json::json;

use crate::state::AppState;

/// An OAuth error answered as JSON (token, introspection, revocation, UserInfo, admin).
#[derive(Debug)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
    /// Seconds for `Retry-After` (429 answers).
    pub retry_after: Option<u64>,
}

impl OAuthError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            retry_after: None,
        }
    }
    /// Too many attempts: `429` with `Retry-After` (RFC 6585).
    pub fn too_many(retry_after: std::time::Duration) -> Self {
        let secs = retry_after.as_secs().max(1);
        Self {
            retry_after: Some(secs),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "slow_down",
                format!("too many failed attempts; retry after {secs} seconds"),
            )
        }
    }
    pub fn bad_request(error: &'static str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, description)
    }
    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }
    pub fn server() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "the server could not answer; try again",
        )
    }
}

impl From<StoreError> for OAuthError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "storage error");
        Self::server()
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            Json(json!({"error": self.error, "error_description": self.description})),
        )
            .into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r.headers_mut()
            .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"connectid\""),
            );
        }
        r
    }
}

/// An error shown to a person as a page (`data-step="error"`), never a redirect.
/// `message` is a message id (`error-…` in the locales).
pub fn error_page(state: &AppState, status: StatusCode, message: &'static str) -> Response {
    state.pages.page(
        status,
        "error.html",
        json!({"step": "error", "message": message,
               "request_id": crate::request_id::current()}),
    )
}

/// An error page for a malformed request from a service: a translated explanation for the
/// person, and the technical detail (in English) for the service's developers.
pub fn bad_request_page(state: &AppState, message: &'static str, detail: &str) -> Response {
    state.pages.page(
        StatusCode::BAD_REQUEST,
        "error.html",
        json!({"step": "error", "message": message, "detail": detail,
               "request_id": crate::request_id::current()}),
    )
}

/// A storage failure on a page: logged once with detail, shown without any.
pub fn page_store_error(state: &AppState, e: StoreError) -> Response {
    tracing::error!(error = %e, "storage error");
    error_page(state, StatusCode::INTERNAL_SERVER_ERROR, "error-server")
}
