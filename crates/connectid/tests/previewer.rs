//! The flow previewer and the sign-in button assets, against the server in-process (the test
//! kit's): over HTTP (reqwest), and in Debian's Chromium over WebDriver with axe-core
//! (`support::chromium`, as in `browser.rs`: same needs, `chromium`, `chromium-driver`, and
//! `npm ci --prefix crates/connectid/tests/browser`). Without chromedriver the browser test
//! says SKIPPED loudly; with `CI` set it fails instead.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use fantoccini::Locator;
use serde_json::json;
use support::chromium::Chromium;
use support::{Server, Setup};

/// A registered service with every option the previewer shows.
const SHOP: &str = r##"
[[clients]]
client_id = "shop"
client_name = "Shop & <Co>"
redirect_uris = ["https://shop.example/cb"]
identifiers = "email"
stay_signed_in = { visible = true, default = false }
default_locale = "nb"
branding = { header_color = "#1d4ed8", message = { en = "Welcome to the shop", nb = "Velkommen til butikken" } }
"##;

/// Pasted metadata for the previewer's POST.
const PASTED: &str = r##"{"client_name":"Pasted <i>app</i>","redirect_uris":["https://p.example/cb"],
  "identifiers":"phone","branding":{"header_color":"#fafafa","message":"Hei <script>alert(1)</script>"}}"##;

/// The server with [`SHOP`] registered, in-process; its issuer on `localhost`, as in
/// `browser.rs`.
async fn server() -> Server {
    Server::launch(Setup {
        host: "localhost",
        extra: SHOP,
        ..Setup::default()
    })
    .await
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// minijinja escapes `/` in values as `&#x2f;`; undone so that assertions read plainly.
async fn text(r: reqwest::Response) -> String {
    r.text().await.unwrap().replace("&#x2f;", "/")
}

#[tokio::test]
async fn button_assets_answer_in_every_scheme_and_fall_back_to_english() {
    let s = server().await;
    let c = http();
    for scheme in ["dark", "light", "blue"] {
        for lang in ["en", "ur", "zh-Hans"] {
            let r = c
                .get(format!("{}/assets/button/{scheme}.svg?lang={lang}", s.base))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "image/svg+xml; charset=utf-8");
            assert!(
                r.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .contains("max-age=")
            );
            let svg = r.text().await.unwrap();
            // A cheap XML check: one svg root, closed, every tag balanced.
            assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            assert!(svg.trim_end().ends_with("</svg>"));
            assert_eq!(svg.matches('<').count(), svg.matches('>').count());
            for tag in ["svg", "text", "title", "g"] {
                assert_eq!(
                    svg.matches(&format!("<{tag} ")).count()
                        + svg.matches(&format!("<{tag}>")).count(),
                    svg.matches(&format!("</{tag}>")).count(),
                    "<{tag}> unbalanced in {scheme} {lang}"
                );
            }
            assert!(svg.contains(&format!("xml:lang=\"{lang}\"")));
            assert!(svg.contains("CONNECT ID"));
            assert_eq!(svg.contains("direction=\"rtl\""), lang == "ur");

            let r = c
                .get(format!("{}/assets/button/{scheme}.png?lang={lang}", s.base))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["content-type"], "image/png");
            let png = r.bytes().await.unwrap();
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        }
    }
    let get = |path: &str| c.get(format!("{}{path}", s.base)).send();
    let en = get("/assets/button/blue.svg")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains(">Sign in with CONNECT ID</text>"), "{en}");
    let unknown = get("/assets/button/blue.svg?lang=xx").await.unwrap();
    assert_eq!(
        unknown.text().await.unwrap(),
        en,
        "unknown language: English"
    );
    let png_en = get("/assets/button/dark.png")
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let png_xx = get("/assets/button/dark.png?lang=tlh")
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(png_en, png_xx);
    for path in [
        "/assets/button/red.svg",
        "/assets/button/dark.gif",
        "/assets/button/dark",
        "/assets/button/.png",
    ] {
        assert_eq!(get(path).await.unwrap().status(), 404, "{path}");
    }
    let css = get("/assets/button.css").await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let css = css.text().await.unwrap();
    for class in [
        "connectid-button--dark",
        "connectid-button--light",
        "connectid-button--blue",
    ] {
        assert!(css.contains(class), "{class}");
    }
}

#[tokio::test]
async fn previewer_shows_steps_over_http_and_changes_nothing() {
    let s = server().await;
    let c = http();
    let get = |path: String| c.get(format!("{}{path}", s.base)).send();

    let r = get("/flow-previewer".into()).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-robots-tag"], "noindex");
    let html = text(r).await;
    assert!(html.contains("data-step=\"flow-previewer\""));
    assert!(html.contains("name=\"metadata\""));

    // A registered client, every step, two languages.
    for step in [
        "identifier",
        "password",
        "code",
        "set-password",
        "add-email",
        "consent",
        "error",
        "signed-out",
    ] {
        for lang in ["nb", "ur"] {
            let r = get(format!(
                "/flow-previewer?client_id=shop&lang={lang}&step={step}"
            ))
            .await
            .unwrap();
            assert_eq!(r.status(), 200, "{step} {lang}");
            assert!(
                r.headers()["content-security-policy"]
                    .to_str()
                    .unwrap()
                    .contains("script-src 'self'")
            );
            let html = text(r).await;
            assert!(
                html.contains(&format!("<main data-step=\"{step}\">")),
                "{step}"
            );
            assert!(html.contains(&format!("<html lang=\"{lang}\"")));
            assert!(html.contains("class=\"preview\""));
            assert!(!html.contains("/signin/"), "{step}: a real sign-in URL");
            assert!(!html.contains("<Co>"), "unescaped client name");
        }
    }
    let html = text(
        get("/flow-previewer?client_id=shop&step=identifier".into())
            .await
            .unwrap(),
    )
    .await;
    assert!(
        html.contains("<html lang=\"nb\""),
        "the client's default language"
    );
    assert!(html.contains("Velkommen til butikken"));
    assert!(html.contains("inputmode=\"email\""));
    assert!(html.contains("href=\"/assets/brand/shop.css?v="));
    assert!(
        html.contains("name=\"remember\" value=\"true\">"),
        "visible, unchecked"
    );
    assert!(html.contains("action=\"/flow-previewer/form\""));

    // The registered client's header colour is served; a preview's colour comes from its hex.
    let css = text(
        get("/assets/brand-preview/fafafa.css".into())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(css, ".brand{background:#fafafa;color:#111}\n");
    let bad = get("/assets/brand-preview/zz%3Cx.css".into())
        .await
        .unwrap();
    assert_eq!(bad.status(), 404);

    // Unknown client, nothing chosen: the settings form with an alert.
    let r = get("/flow-previewer?client_id=nobody&step=identifier".into())
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(text(r).await.contains("role=\"alert\""));
    let r = get("/flow-previewer?step=identifier".into()).await.unwrap();
    assert_eq!(r.status(), 400);

    // A page elsewhere cannot post its own branding here (browsers say where a form came
    // from); the same form from our own page is shown.
    let branded = [
        (
            "metadata",
            r#"{"client_name":"Totally Real Bank","redirect_uris":["https://a.example/cb"]}"#,
        ),
        ("step", "identifier"),
    ];
    let r = c
        .post(format!("{}/flow-previewer", s.base))
        .header("sec-fetch-site", "cross-site")
        .form(&branded)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(!text(r).await.contains("Totally Real Bank"));
    let r = c
        .post(format!("{}/flow-previewer", s.base))
        .header("sec-fetch-site", "same-origin")
        .form(&branded)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(text(r).await.contains("Totally Real Bank"));

    // Pasted metadata: validated like a registration, escaped when echoed.
    let post = |form: Vec<(&str, &str)>| {
        c.post(format!("{}/flow-previewer", s.base))
            .form(&form)
            .send()
    };
    let r = post(vec![
        (
            "metadata",
            r#"{"redirect_uris":["https://a.example/cb#frag"],"<script>":1}"#,
        ),
        ("step", "identifier"),
        ("lang", "en"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    let html = text(r).await;
    assert!(html.contains("role=\"alert\""));
    assert!(!html.contains("<script>"), "metadata echoed unescaped");
    assert!(html.contains("unknown field"));
    let r = post(vec![
        (
            "metadata",
            r#"{"redirect_uris":["https://a.example/cb#frag"]}"#,
        ),
        ("step", "identifier"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 400, "validate() refuses a fragment");

    let r = post(vec![
        ("metadata", PASTED),
        ("step", "identifier"),
        ("lang", "da"),
        ("login_hint", "+4790000000"),
        ("locked", "true"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let html = text(r).await;
    assert!(html.contains("<main data-step=\"identifier\">"));
    assert!(html.contains("<html lang=\"da\""));
    assert!(html.contains("inputmode=\"tel\""));
    assert!(html.contains("value=\"+4790000000\""));
    assert!(html.contains(" readonly"));
    assert!(html.contains("href=\"/assets/brand-preview/fafafa.css\""));
    assert!(!html.contains("<script>") && !html.contains("<i>app"));
    // The language switcher carries the pasted metadata, as a GET link.
    assert!(html.contains("href=\"/flow-previewer?metadata=%7B"));

    // A registered client chosen in the form: redirected to its shareable link.
    let r = post(vec![
        ("client_id", "shop"),
        ("step", "consent"),
        ("lang", "sv"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/flow-previewer?client_id=shop&lang=sv&step=consent"
    );

    // The preview's forms post nowhere real.
    for path in ["/flow-previewer/form", "/flow-previewer/form/restart"] {
        let r = c
            .post(format!("{}{path}", s.base))
            .form(&[("csrf", "preview"), ("identifier", "a@b.no")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204, "{path}");
    }
}

/// Starts chromedriver and a headless Chromium; `None` (with a loud message) only outside CI.
async fn browser(width: u32, height: u32) -> Option<Chromium> {
    Chromium::start("previewer", width, height).await
}

#[tokio::test(flavor = "multi_thread")]
async fn previewer_in_a_browser_shows_the_step_sends_nothing_and_is_accessible() {
    let s = server().await;
    let Some(mut b) = browser(1280, 900).await else {
        return;
    };

    // The settings form: a registered client, a language, a step.
    b.go_exactly(&format!("{}/flow-previewer?lang=en", s.base))
        .await;
    b.wait_new_step("flow-previewer").await;
    b.accessible().await;
    b.fill("#client_id", "shop").await;
    b.select("#preview_lang", "en").await;
    b.select("#step", "identifier").await;
    b.shot("form").await;
    b.mark().await;
    b.c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_new_step("identifier").await;
    let url = b.c.current_url().await.unwrap();
    assert_eq!(url.path(), "/flow-previewer");
    assert!(url.query().unwrap().contains("client_id=shop"), "{url}");
    b.shot("identifier").await;
    let v = b
        .js("return [document.documentElement.lang,
                 document.querySelector('.preview').textContent,
                 document.querySelector('#identifier').getAttribute('inputmode'),
                 document.querySelector('input[name=remember]').checked,
                 document.querySelector('.message').textContent,
                 getComputedStyle(document.querySelector('header.brand')).backgroundColor];")
        .await;
    assert_eq!(v[0], "en");
    assert!(v[1].as_str().unwrap().contains("identifier"), "{v:?}");
    assert_eq!(v[2], "email");
    assert_eq!(v[3], false, "stay signed in: visible, not checked");
    assert_eq!(v[4], "Welcome to the shop");
    assert_eq!(v[5], "rgb(29, 78, 216)", "the client's header colour");
    b.accessible().await;

    // Submitting the preview's form sends nothing and leaves the page as it is.
    b.fill("#identifier", "someone@example.com").await;
    b.mark().await;
    b.c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // WebDriver waits for a navigation the click started; after a 204 there is none, so the
    // marked document is still the one shown.
    let still = b
        .js(
            "return [document.readyState, document.documentElement.dataset.old || '',
                 location.pathname, document.querySelector('main').dataset.step];",
        )
        .await;
    assert_eq!(
        still,
        json!(["complete", "1", "/flow-previewer", "identifier"])
    );

    // Every step of the registered client, in Urdu: right to left, and accessible.
    for step in [
        "password",
        "code",
        "set-password",
        "add-email",
        "consent",
        "error",
        "signed-out",
    ] {
        b.go_exactly(&format!(
            "{}/flow-previewer?client_id=shop&lang=ur&step={step}",
            s.base
        ))
        .await;
        b.wait_new_step(step).await;
        let dir = b.js("return document.documentElement.dir;").await;
        assert_eq!(dir, "rtl");
        b.accessible().await;
    }
    b.shot("ur-consent-last").await;

    // Pasted metadata: back to the settings through the banner, paste, choose, show.
    b.mark().await;
    b.c.find(Locator::Css(".preview a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_new_step("flow-previewer").await;
    b.fill("#client_id", "").await;
    b.fill("#metadata", PASTED).await;
    b.select("#preview_lang", "th").await;
    b.select("#step", "code").await;
    b.mark().await;
    b.c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_new_step("code").await;
    b.shot("pasted-th-code").await;
    let v = b
        .js("return [document.documentElement.lang, document.querySelector('header .service').textContent,
                 document.querySelectorAll('script:not([src])').length];")
        .await;
    assert_eq!(v, json!(["th", "Pasted <i>app</i>", 0]));
    b.accessible().await;

    // Invalid metadata: the reason in an alert, the form still accessible.
    b.go_exactly(&format!("{}/flow-previewer?lang=en&edit=1", s.base))
        .await;
    b.wait_new_step("flow-previewer").await;
    b.fill("#metadata", r#"{"redirect_uris":[],"colour":1}"#)
        .await;
    b.mark().await;
    b.c.find(Locator::Css("main form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_new_step("flow-previewer").await;
    let alert = b
        .js("return document.querySelector('[role=alert]').textContent;")
        .await;
    assert_eq!(alert, "This client metadata is not valid.");
    b.shot("invalid").await;
    b.accessible().await;

    // On a phone: the settings form and a preview fit the screen.
    b.c.set_window_size(375, 667).await.unwrap();
    for url in [
        format!("{}/flow-previewer?lang=my", s.base),
        format!(
            "{}/flow-previewer?client_id=shop&lang=bn&step=set-password",
            s.base
        ),
    ] {
        b.go_exactly(&url).await;
        let v = b
            .js("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        assert!(
            v[0].as_i64() <= v[1].as_i64(),
            "horizontal scrolling on {url}: {v:?}"
        );
    }
    b.shot("phone-bn-set-password").await;
}
