//! Where errors become responses: an HTML error page for people ([`PageError`]), RFC 6749
//! JSON for clients ([`OAuthError`]). Handlers return `Result<Response, PageError>` or
//! `Result<Response, OAuthError>` and use `?`; nothing else builds an error answer.
//!
//! A page needs the templates and the request's language, which an `IntoResponse` does not
//! have: a `PageError` becomes a bare status carrying [`ErrorPage`], and [`render_pages`],
//! a layer inside the language's scope, turns it into the page.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
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
    /// How a 401 challenges: `Basic` for client authentication, `Bearer` (RFC 6750) or
    /// `DPoP` (RFC 9449) at a resource endpoint, where the challenge names the error.
    pub challenge: Challenge,
    /// A fresh DPoP nonce for the client's next proof (`DPoP-Nonce`, RFC 9449 §8).
    pub dpop_nonce: Option<String>,
    /// Where the other app's error goes (App2App): its redirect URI with the error.
    pub redirect_to: Option<String>,
}

impl OAuthError {
    pub fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            retry_after: None,
            challenge: Challenge::Basic,
            dpop_nonce: None,
            redirect_to: None,
        }
    }
    /// The answer of a resource endpoint (UserInfo), whose challenge names the error.
    pub fn bearer(mut self) -> Self {
        self.challenge = Challenge::Bearer;
        self
    }
    /// The answer of a resource endpoint to a DPoP-bound token or a DPoP proof.
    pub fn dpop(mut self) -> Self {
        self.challenge = Challenge::Dpop;
        self
    }
    pub fn with_dpop_nonce(mut self, nonce: Option<String>) -> Self {
        self.dpop_nonce = nonce;
        self
    }
    pub fn redirect_to(mut self, to: String) -> Self {
        self.redirect_to = Some(to);
        self
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
        match e {
            StoreError::Unavailable(_) => {
                let mut o = Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    "the server cannot reach its database; try again shortly",
                );
                o.retry_after = Some(RETRY_AFTER_SECS);
                o
            }
            _ => Self::server(),
        }
    }
}

/// What a 503 for an unreachable database asks the client to wait.
const RETRY_AFTER_SECS: u64 = 5;

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.error, "error_description": self.description});
        if let Some(to) = &self.redirect_to {
            body["redirect_to"] = json!(to);
        }
        let mut r = (self.status, Json(body)).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r.headers_mut()
            .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        let challenge = match self.challenge {
            Challenge::Bearer => Some(format!(
                "Bearer error=\"{}\", error_description=\"{}\"",
                self.error, self.description
            )),
            Challenge::Dpop => Some(format!(
                "DPoP error=\"{}\", error_description=\"{}\", algs=\"{}\"",
                self.error,
                self.description,
                crate::dpop::ALGS.join(" ")
            )),
            Challenge::Basic if self.status == StatusCode::UNAUTHORIZED => {
                Some("Basic realm=\"connectid\"".into())
            }
            Challenge::Basic => None,
        };
        if let Some(v) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        if let Some(v) = self.dpop_nonce.and_then(|n| HeaderValue::from_str(&n).ok()) {
            r.headers_mut().insert(crate::dpop::NONCE_HEADER, v);
        }
        r
    }
}

/// The `WWW-Authenticate` scheme of an [`OAuthError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    Bearer,
    Dpop,
}

/// An error shown to a person as a page (`data-step="error"`), never a redirect.
pub enum PageError {
    /// `message` is a message id (`error-…` in the locales); `detail`, for a malformed
    /// request from a service, is the technical reason (in English) for its developers.
    Page {
        status: StatusCode,
        message: &'static str,
        detail: Option<String>,
    },
    /// Storage failed: logged once with detail, shown without any.
    Store(StoreError),
    /// Not an error page but an answer that ends the handler early: the redirect to sign in
    /// of a page that needs a session, a protocol error sent back to the service.
    Answer(Response),
}

impl PageError {
    pub fn new(status: StatusCode, message: &'static str) -> Self {
        Self::Page {
            status,
            message,
            detail: None,
        }
    }
    pub fn bad_request(message: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// A malformed request from a service: a translated explanation for the person and the
    /// detail for the service's developers.
    pub fn malformed(message: &'static str, detail: impl Into<String>) -> Self {
        Self::Page {
            status: StatusCode::BAD_REQUEST,
            message,
            detail: Some(detail.into()),
        }
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Page {
                status, message, ..
            } => write!(f, "PageError({status}, {message})"),
            Self::Store(e) => write!(f, "PageError(store: {e})"),
            Self::Answer(r) => write!(f, "PageError(answer {})", r.status()),
        }
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        Self::Answer(r)
    }
}

/// What [`render_pages`] needs to draw an error page; travels in the response's extensions.
#[derive(Clone)]
struct ErrorPage {
    message: &'static str,
    detail: Option<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            Self::Answer(r) => return r,
            Self::Page {
                status,
                message,
                detail,
            } => (status, ErrorPage { message, detail }),
            Self::Store(e) => {
                tracing::error!(error = %e, "storage error");
                let page = ErrorPage {
                    message: "error-server",
                    detail: None,
                };
                if let StoreError::Unavailable(_) = e {
                    let mut r = StatusCode::SERVICE_UNAVAILABLE.into_response();
                    r.headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
                    r.extensions_mut().insert(page);
                    return r;
                }
                (StatusCode::INTERNAL_SERVER_ERROR, page)
            }
        };
        let mut r = status.into_response();
        r.extensions_mut().insert(page);
        r
    }
}

/// Draws the error page of a [`PageError`] answer, in the request's language and with its
/// request id, keeping the headers the handler set (a cookie it cleared, say).
pub async fn render_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let Some(page) = r.extensions_mut().remove::<ErrorPage>() else {
        return r;
    };
    let mut out = state.pages.page(
        r.status(),
        "error.html",
        json!({"step": "error", "message": page.message, "detail": page.detail,
               "request_id": crate::request_id::current()}),
    );
    for (name, value) in r.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}
