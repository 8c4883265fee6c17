//! Real-browser tests: the server with the demo services (`--demo`), in-process on the test
//! kit's listener, Debian's Chromium driven over WebDriver (`support::chromium`), through
//! the demo services exactly as a person would click.
//! Screenshots of every step go to `$CARGO_TARGET_TMPDIR/browser-screenshots/`.
//!
//! Needs `chromium` and `chromium-driver` (Debian) and, for the accessibility check,
//! axe-core from npm (`npm ci --prefix crates/connectid/tests/browser`). Without chromedriver
//! the tests say SKIPPED loudly; with `CI` set they fail instead.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;
use support::chromium::Chromium;
use support::{Server, Setup, authorize_url};

const PASSWORD: &str = "plum tree harbour 77";

/// The server with `--demo`, in-process; its issuer on `localhost`, not 127.0.0.1: the
/// cookies are not Secure there (connectid marks them Secure except on an http://localhost issuer).
async fn demo() -> Server {
    Server::launch(Setup {
        demo: true,
        host: "localhost",
        ..Setup::default()
    })
    .await
}

/// The code of the newest message: its run of six digits.
fn latest_code(demo: &Server) -> String {
    let msgs = demo.outbox();
    let to = msgs.last().expect("a message was sent")["to"]
        .as_str()
        .unwrap()
        .to_string();
    demo.last_code(&to)
}

fn account_with_password(demo: &Server, phone: &str) {
    let (code, _, err) = demo.cli(
        &["accounts", "create", "--phone", phone, "--password-stdin"],
        PASSWORD,
    );
    assert_eq!(code, 0, "{err}");
}

/// Starts chromedriver and a headless Chromium; `None` (with a loud message) only outside CI.
async fn browser(name: &'static str, width: u32, height: u32) -> Option<Chromium> {
    Chromium::start(name, width, height).await
}

/// On a demo service's page: who it says is signed in (empty when nobody). Waits until the
/// redirects have settled on a service page (read in one script: no stale elements).
async fn signed_in_as(b: &Chromium) -> String {
    let script = "if (document.readyState !== 'complete') return null;
        if (!document.querySelector('[data-demo=service]')) return null;
        const w = document.querySelector('[data-signed-in-as]');
        return w ? w.getAttribute('data-signed-in-as') : '';";
    for _ in 0..200 {
        if let Ok(Value::String(who)) = b.c.execute(script, vec![]).await {
            return who;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "not on a demo service page: {}",
        b.c.current_url().await.unwrap()
    );
}

/// Signs in on the identifier page with a phone and the SMS code from the outbox.
async fn phone_and_code(b: &mut Chromium, demo: &Server, phone: &str, label: &str) {
    b.wait_step("identifier").await;
    b.shot(&format!("{label}-identifier")).await;
    b.fill("#identifier", phone).await;
    b.submit().await;
    b.wait_step("code").await;
    b.shot(&format!("{label}-code")).await;
    let code = latest_code(demo);
    b.fill("#code", &code).await;
    b.submit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sso_across_two_services_with_one_code_then_step_up() {
    let demo = demo().await;
    let Some(mut b) = browser("sso", 1280, 900).await else {
        return;
    };
    let phone = "+4790000001";
    b.go(&format!("{}/demo", demo.base)).await;
    b.shot("demo-index").await;
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    assert_eq!(signed_in_as(&b).await, "");
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, phone, "hipstagram").await;
    assert_eq!(signed_in_as(&b).await, phone);
    assert_eq!(b.text("[data-acr]").await, "1");
    b.shot("hipstagram-signed-in").await;

    // All the news wants LoA2: only the password step (here: the first password, since the
    // phone was proven a moment ago), no second code.
    b.go(&format!("{}/demo/allthenews/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("set-password").await;
    b.fill("#new_password", PASSWORD).await;
    // The strength meter updates while typing (JavaScript asks the server for the score).
    let mut score = String::new();
    for _ in 0..100 {
        score =
            b.c.find(Locator::Css("#strength"))
                .await
                .unwrap()
                .attr("data-score")
                .await
                .unwrap()
                .unwrap_or_default();
        if !score.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        matches!(score.as_str(), "3" | "4"),
        "live strength: {score:?}"
    );
    b.shot("allthenews-step-up").await;
    b.submit().await;
    assert_eq!(signed_in_as(&b).await, phone);
    assert_eq!(b.text("[data-acr]").await, "2");
    b.shot("allthenews-signed-in").await;
    assert_eq!(demo.outbox().len(), 1, "one SMS code in all");

    // Sign out of Hipstagram only, sign in again: single sign-on, no page at all.
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("form[action$='/logout'] button").await;
    assert_eq!(signed_in_as(&b).await, "");
    b.click("[data-action=signin]").await;
    assert_eq!(signed_in_as(&b).await, phone);
    assert_eq!(demo.outbox().len(), 1, "SSO sent no code");

    // Strusic never uses SSO: it asks again, and wants an email.
    b.go(&format!("{}/demo/strusic/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.fill("#identifier", phone).await;
    b.submit().await;
    b.wait_step("password").await;
    b.fill("#password", PASSWORD).await;
    b.submit().await;
    b.wait_step("add-email").await;
    b.shot("strusic-add-email").await;
    b.fill("#email", "Listener@Example.com").await;
    b.submit().await;
    b.wait_step("code").await;
    let code = latest_code(&demo);
    assert_eq!(demo.outbox().last().unwrap()["channel"], "email");
    b.fill("#code", &code).await;
    b.submit().await;
    assert_eq!(signed_in_as(&b).await, phone);
    b.shot("strusic-signed-in").await;

    // "Sign out of CONNECT ID" on one service revokes every service's tokens: each of the
    // others, opened next, forgets the person and says why in plain words.
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("form[action$='/logout-everywhere'] button").await;
    assert_eq!(signed_in_as(&b).await, "");
    for service in ["allthenews", "strusic"] {
        b.go(&format!("{}/demo/{service}/", demo.base)).await;
        assert_eq!(signed_in_as(&b).await, "", "{service}");
        let notice = b.text("[data-notice=signed-out-elsewhere]").await;
        assert!(
            notice.contains("signed out of CONNECT ID elsewhere"),
            "{notice}"
        );
        assert!(!notice.contains('{'), "raw JSON on the page: {notice}");
        b.no_horizontal_scroll().await;
        b.shot(&format!("{service}-signed-out-elsewhere")).await;
        // Reloaded, the page is the plain signed-out one: the session is gone for good.
        b.go(&format!("{}/demo/{service}/", demo.base)).await;
        let left = b
            .js("return document.querySelectorAll('[data-notice], form[action$=\"/logout\"]').length;")
            .await;
        assert_eq!(left, 0, "{service}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn step_up_asks_only_for_the_password_of_the_same_account() {
    let demo = demo().await;
    let Some(mut b) = browser("stepup", 1280, 900).await else {
        return;
    };
    let phone = "+4790000002";
    account_with_password(&demo, phone);
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, phone, "hipstagram").await;
    assert_eq!(signed_in_as(&b).await, phone);
    assert_eq!(b.text("[data-acr]").await, "1");
    b.click("a[href$='login?acr=2']").await;
    b.wait_step("password").await;
    assert!(b.c.source().await.unwrap().contains(phone));
    b.shot("password-only").await;
    b.fill("#password", "not the password").await;
    b.submit().await;
    b.wait_step("password").await;
    assert!(!b.text("[role=alert]").await.is_empty());
    b.fill("#password", PASSWORD).await;
    b.submit().await;
    assert_eq!(signed_in_as(&b).await, phone);
    assert_eq!(b.text("[data-acr]").await, "2");
    assert_eq!(demo.outbox().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn not_staying_signed_in_leaves_only_browser_session_cookies() {
    let demo = demo().await;
    let Some(mut b) = browser("stay", 1280, 900).await else {
        return;
    };
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    // A checkbox: no navigation.
    b.c.find(Locator::Css("input[name=remember]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.fill("#identifier", "+4790000003").await;
    b.submit().await;
    b.wait_step("code").await;
    // The choice made on the first page is kept on the code page.
    let checked =
        b.c.find(Locator::Css("input[name=remember]"))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap();
    assert_eq!(checked.as_deref(), Some("false"));
    b.fill("#code", &latest_code(&demo)).await;
    b.submit().await;
    assert_eq!(signed_in_as(&b).await, "+4790000003");
    b.shot("td-sls").await;
    assert!(b.c.source().await.unwrap().contains("td_sls"));
    assert_eq!(b.cookie_expires("cid_session").await, Some(false));
    assert_eq!(b.cookie_expires("demo_hipstagram").await, Some(false));

    // A browser restart drops session cookies; then the person must sign in again.
    b.c.delete_cookie("cid_session").await.unwrap();
    b.c.delete_cookie("demo_hipstagram").await.unwrap();
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_of_connectid_ends_single_sign_on() {
    let demo = demo().await;
    let Some(mut b) = browser("signout", 1280, 900).await else {
        return;
    };
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, "+4790000004", "hipstagram").await;
    assert_eq!(b.cookie_expires("cid_session").await, Some(true));
    b.click("form[action$='/logout-everywhere'] button").await;
    // RP-initiated logout with id_token_hint returns straight to the service.
    assert_eq!(signed_in_as(&b).await, "");
    b.shot("signed-out").await;
    assert_eq!(b.cookie_expires("cid_session").await, None);
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn urdu_is_right_to_left_and_the_switcher_changes_language() {
    let demo = demo().await;
    let Some(mut b) = browser("urdu", 1280, 900).await else {
        return;
    };
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.click("nav.langs a[hreflang=ur]").await;
    b.wait_step("identifier").await;
    let v =
        b.c.execute(
            "return [document.documentElement.lang, document.documentElement.dir,
                     getComputedStyle(document.querySelector('main')).direction,
                     document.querySelector('h1').textContent];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(v[0], "ur");
    assert_eq!(v[1], "rtl");
    assert_eq!(v[2], "rtl");
    assert_ne!(v[3], "Sign in");
    b.shot("urdu-identifier").await;
    // The language stays for the rest of the sign-in, SMS included.
    b.fill("#identifier", "+4790000005").await;
    b.submit().await;
    b.wait_step("code").await;
    b.shot("urdu-code").await;
    let body = demo.outbox().last().unwrap()["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !body.starts_with("Your CONNECT ID code"),
        "SMS not localised: {body}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn phone_viewport_accessibility_and_keyboard_only() {
    let demo = demo().await;
    let Some(mut b) = browser("mobile", 375, 667).await else {
        return;
    };
    b.c.set_window_size(375, 667).await.unwrap();
    b.go(&format!("{}/demo", demo.base)).await;
    b.no_horizontal_scroll().await;
    b.accessible().await;
    b.go(&format!("{}/demo/strusic/", demo.base)).await;
    b.no_horizontal_scroll().await;
    b.accessible().await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.shot("mobile-identifier").await;
    b.no_horizontal_scroll().await;
    b.every_input_has_a_label().await;
    b.accessible().await;

    // Keyboard only: the field has focus; type and press Enter.
    let enter: String = char::from(fantoccini::key::Key::Enter).to_string();
    let active = b.c.active_element().await.unwrap();
    assert_eq!(
        active.attr("name").await.unwrap().as_deref(),
        Some("identifier")
    );
    b.mark().await;
    active
        .send_keys(&format!("new.person@example.com{enter}"))
        .await
        .unwrap();
    b.wait_new_document().await;
    b.wait_step("code").await;
    b.shot("mobile-code").await;
    b.no_horizontal_scroll().await;
    b.every_input_has_a_label().await;
    b.accessible().await;
    let active = b.c.active_element().await.unwrap();
    b.mark().await;
    active
        .send_keys(&format!("{}{enter}", latest_code(&demo)))
        .await
        .unwrap();
    b.wait_new_document().await;
    b.wait_step("set-password").await;
    b.shot("mobile-set-password").await;
    b.no_horizontal_scroll().await;
    b.every_input_has_a_label().await;
    b.accessible().await;
    // A too-short password: the error is shown in an alert, still accessible.
    let active = b.c.active_element().await.unwrap();
    active.send_keys(&format!("abc{enter}")).await.unwrap();
    b.wait_step("set-password").await;
    b.no_horizontal_scroll().await;
    b.accessible().await;

    // Every language's first page fits the phone and passes the check.
    for lang in ["bn", "my", "th", "ur", "zh-Hans", "sr-Latn"] {
        let url = format!("{}/logout?lang={lang}", demo.base);
        b.go(&url).await;
        b.no_horizontal_scroll().await;
        b.accessible().await;
    }

    // The error page, also by keyboard-less navigation.
    b.go(&format!("{}/authorize?client_id=nobody", demo.base))
        .await;
    b.wait_step("error").await;
    b.shot("mobile-error").await;
    b.no_horizontal_scroll().await;
    b.accessible().await;
}

/// My account in a real browser: from a signed-in demo service to the account pages with no
/// second sign-in, axe on each page, an email added with its code, the connected services,
/// and the link back to the service.
#[tokio::test(flavor = "multi_thread")]
async fn my_account_from_a_service_and_back() {
    let demo = demo().await;
    let Some(mut b) = browser("account", 1280, 900).await else {
        return;
    };
    let phone = "+4790000008";
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    phone_and_code(&mut b, &demo, phone, "hipstagram").await;
    assert_eq!(signed_in_as(&b).await, phone);
    b.click("[data-action=account]").await;
    b.wait_step("account").await;
    let shown = connectid_core::identifier::display_phone(phone).unwrap();
    assert!(b.text("main").await.contains(&shown));
    assert!(b.text("a.back").await.contains("Hipstagram"));
    b.accessible().await;
    b.shot("overview").await;

    // An email: the form (right after signing in, no second sign-in), then its code.
    let email = "browser-account@example.com";
    b.click("a[href='/account/add?kind=email']").await;
    b.wait_step("account-add").await;
    b.every_input_has_a_label().await;
    b.accessible().await;
    b.shot("add-email").await;
    b.fill("#identifier", email).await;
    b.submit().await;
    b.wait_step("code").await;
    b.fill("#code", &latest_code(&demo)).await;
    b.submit().await;
    b.wait_step("account").await;
    assert!(b.text("[role=status]").await.contains(email));
    b.shot("email-added").await;

    // Removing it: "Remove" asks first (the sign-in a moment ago is recent enough), then it
    // is gone, and the page says so.
    b.click(&format!("a[data-action=remove][aria-label*='{email}']"))
        .await;
    b.wait_step("account-remove").await;
    assert!(b.text("h1").await.contains(email));
    b.accessible().await;
    b.shot("remove-confirm").await;
    b.click("button[name=confirm]").await;
    b.wait_step("account").await;
    assert!(b.text("[role=status]").await.contains(email));
    assert_eq!(
        b.js("return document.querySelectorAll('a[data-action=remove]').length;")
            .await,
        0,
        "the last identifier has no Remove"
    );

    b.click("a[href='/account/services']").await;
    b.wait_step("account-services").await;
    assert!(b.text("main").await.contains("Hipstagram"));
    b.accessible().await;
    b.shot("services").await;

    // Back to the service, still signed in.
    b.go(&format!(
        "{}/account?client_id=hipstagram&redirect_uri={}/demo/hipstagram/",
        demo.base, demo.base
    ))
    .await;
    b.wait_step("account").await;
    b.click("a.back").await;
    assert_eq!(signed_in_as(&b).await, phone);
}

/// With `[fraud] always_challenge`, the identifier page asks for proof of work before the
/// SMS; the page's own script solves it and sends the form again, with nothing to click.
#[tokio::test(flavor = "multi_thread")]
async fn the_proof_of_work_challenge_solves_itself_in_a_real_browser() {
    let demo = Server::launch(Setup {
        demo: true,
        host: "localhost",
        extra: "[fraud]\nalways_challenge = true\n",
        ..Setup::default()
    })
    .await;
    let Some(mut b) = browser("challenge", 1280, 900).await else {
        return;
    };
    let phone = "+4790000042";
    b.go(&format!("{}/demo/hipstagram/", demo.base)).await;
    b.click("[data-action=signin]").await;
    b.wait_step("identifier").await;
    b.fill("#identifier", phone).await;
    b.submit().await;
    // The challenge page comes and goes by itself: the next page is the code step.
    b.wait_new_step("code").await;
    b.shot("challenge-solved-code").await;
    assert_eq!(demo.messages_to(phone).len(), 1);
    b.fill("#code", &demo.last_code(phone)).await;
    b.submit().await;
    assert!(!signed_in_as(&b).await.is_empty());
}

/// Every language (issue 21): the code page names the phone number left to right in
/// international grouping (`dir="ltr"` on its isolate: a number has no direction of its own,
/// so inside right-to-left text an isolate alone showed `4790000005+`), buttons and inputs
/// use the page's font (Urdu's Nastaliq, not the browser's default), and nothing scrolls
/// sideways on a 375 px phone.
#[tokio::test(flavor = "multi_thread")]
async fn every_language_shows_phone_numbers_left_to_right_and_fits_a_phone() {
    let demo = demo().await;
    let Some(mut b) = browser("languages", 375, 667).await else {
        return;
    };
    let client = demo.client("");
    let cid = client["client_id"].as_str().unwrap();
    let langs = [
        "en", "bg", "bn", "cnr", "da", "id", "ms", "my", "nb", "sr-Latn", "sv", "th", "ur",
        "zh-Hans",
    ];
    for (i, lang) in langs.iter().enumerate() {
        let phone = format!("+47900002{i:02}");
        let (url, _) = authorize_url(&demo, cid, &format!("&ui_locales={lang}"));
        b.go(&url).await;
        b.wait_step("identifier").await;
        b.no_horizontal_scroll().await;
        b.fill("#identifier", &phone).await;
        b.submit().await;
        b.wait_step("code").await;
        let v = b
            .js("const n = document.querySelector('main bdi[dir=ltr]');
                 const font = e => getComputedStyle(e).fontFamily;
                 const x = i => { const t = n.firstChild, r = document.createRange();
                                  r.setStart(t, i); r.setEnd(t, i + 1);
                                  return r.getBoundingClientRect().x; };
                 return [document.documentElement.lang, document.documentElement.dir,
                         n ? n.textContent : null, n ? getComputedStyle(n).direction : null,
                         font(document.body), font(document.querySelector('main button')),
                         font(document.querySelector('#code')),
                         n ? x(0) < x(n.textContent.length - 1) : null];")
            .await;
        assert_eq!(v[0], *lang);
        assert_eq!(v[1], if *lang == "ur" { "rtl" } else { "ltr" }, "{lang}");
        let shown = connectid_core::identifier::display_phone(&phone).unwrap();
        assert_eq!(v[2], shown.as_str(), "{lang}: the number as shown");
        assert_eq!(v[3], "ltr", "{lang}: the number's direction");
        assert_eq!(v[5], v[4], "{lang}: the button's font");
        assert_eq!(v[6], v[4], "{lang}: the input's font");
        // As drawn: the `+` left of the last digit, whatever the page's direction.
        assert_eq!(v[7], true, "{lang}: the number is drawn reversed");
        b.no_horizontal_scroll().await;
        b.shot(&format!("{lang}-code")).await;
    }
}
