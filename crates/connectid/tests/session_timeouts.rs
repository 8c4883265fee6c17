//! How long a browser session lasts, with the server's clock moved instead of waiting: one
//! not kept ("stay signed in" unticked) ends after 30 minutes without use and lives on while
//! used; one kept lasts 90 days whatever happens in between.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::*;

const MINUTE: i64 = 60;
const DAY: i64 = 86_400;

/// What a `prompt=none` request for `client` answers in this browser: the session's code, or
/// `login_required`.
async fn silent(s: &Server, b: &mut Browser, client: &serde_json::Value) -> &'static str {
    let (url, _) = authorize_url(s, client["client_id"].as_str().unwrap(), "&prompt=none");
    let a = b.get(&url).await;
    let to = a.location.unwrap_or_else(|| panic!("{}", a.body));
    let q = query(&to);
    if q.contains_key("code") {
        "signed in"
    } else {
        assert_eq!(q["error"], "login_required", "{to}");
        "login required"
    }
}

#[tokio::test]
async fn a_session_not_kept_ends_after_half_an_hour_without_use() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        // "Stay signed in" shown and unticked: the sign-in below does not send it.
        let shop = s.client(r#","sso":true,"stay_signed_in":{"visible":true,"default":false}"#);
        let email = format!("idle{}@example.com", connectid_core::crypto::random_id());
        s.account(&email);
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, shop["client_id"].as_str().unwrap(), "");
        sign_in_with_password(&s, &mut b, &url, &email).await;

        s.clock.advance(20 * MINUTE);
        assert_eq!(silent(&s, &mut b, &shop).await, "signed in");
        // Used 20 minutes in: it lives 30 minutes from then, not from the sign-in.
        s.clock.advance(25 * MINUTE);
        assert_eq!(silent(&s, &mut b, &shop).await, "signed in");
        s.clock.advance(30 * MINUTE + 1);
        assert_eq!(silent(&s, &mut b, &shop).await, "login required");
    }
}

#[tokio::test]
async fn a_kept_session_lasts_ninety_days() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let shop = s.client(r#","sso":true,"stay_signed_in":{"visible":false,"default":true}"#);
        let email = format!("kept{}@example.com", connectid_core::crypto::random_id());
        s.account(&email);
        let mut b = Browser::new();
        let (url, _) = authorize_url(&s, shop["client_id"].as_str().unwrap(), "");
        sign_in_with_password(&s, &mut b, &url, &email).await;

        s.clock.advance(31 * MINUTE);
        assert_eq!(silent(&s, &mut b, &shop).await, "signed in");
        s.clock.advance(89 * DAY);
        assert_eq!(silent(&s, &mut b, &shop).await, "signed in");
        s.clock.advance(DAY);
        assert_eq!(silent(&s, &mut b, &shop).await, "login required");
    }
}
