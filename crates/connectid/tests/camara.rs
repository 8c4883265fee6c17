//! CAMARA Number Verification: where an SMS code would go to a number of a covered country,
//! the browser passes through the operator's authorization server first; a verified number
//! signs in at LoA1 with `amr` `mca` and no SMS. Every failure (another number, Wi-Fi, a 500,
//! a timeout) falls back to the SMS code with no error shown. A fake operator plays the
//! operator's issuer and API.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::operator::{Line, Operator};
use support::*;

/// Follows redirects, wherever they go, until the service's redirect URI or a page; the
/// operator's callback URL is kept.
async fn follow(s: &Server, b: &mut Browser, mut a: Answer, seen: &mut Vec<String>) -> Answer {
    for _ in 0..10 {
        let Some(loc) = a.location.clone() else {
            return a;
        };
        if loc.starts_with(REDIRECT) {
            return a;
        }
        let url = if loc.starts_with("http") {
            loc
        } else {
            format!("{}{loc}", s.base)
        };
        seen.push(url.clone());
        a = b.get(&url).await;
    }
    panic!("too many redirects: {seen:?}");
}

/// Types `number` on the identifier page of a new sign-in to `client_id` and follows where
/// that leads: the answer, the URLs passed, and the PKCE verifier.
async fn type_number(
    s: &Server,
    b: &mut Browser,
    client_id: &str,
    number: &str,
    extra: &str,
) -> (Answer, Vec<String>, String) {
    let (url, flow) = authorize_url(s, client_id, extra);
    let p = pending(s, b, &url).await;
    let a = b
        .post(
            &p.action,
            &[("csrf", p.csrf.as_str()), ("identifier", number)],
        )
        .await;
    let mut seen = Vec::new();
    let a = follow(s, b, a, &mut seen).await;
    (a, seen, flow.verifier)
}

async fn metric(s: &Server, outcome: &str) -> String {
    let text = s.metrics().await;
    let name = format!("connectid_number_verification_total{{outcome=\"{outcome}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&name))
        .unwrap_or("missing")
        .to_string()
}

#[tokio::test]
async fn a_number_the_network_proves_signs_in_with_no_sms() {
    for backend in backends() {
        let number = "+4790014001";
        let op = Operator::start(number).await;
        let s = Server::start_with(backend, &op.config("\"NO\"")).await;
        let client = s.client("");
        let id = client["client_id"].as_str().unwrap();
        let mut b = Browser::new();
        let (a, seen, verifier) = type_number(&s, &mut b, id, number, "").await;
        let landed = a.location.expect("back at the service");
        assert!(landed.starts_with(REDIRECT), "{landed}");
        assert!(
            seen.iter().any(|u| u.starts_with(&op.base)
                && u.contains("login_hint=tel%3A%2B4790014001")
                && u.contains("number-verification%3Averify")),
            "the browser went through the operator with the number: {seen:?}"
        );
        let tokens = exchange(&s, &client, &query(&landed)["code"], &verifier).await;
        let id_token = claims(tokens["id_token"].as_str().unwrap());
        assert_eq!(id_token["acr"], "1");
        assert_eq!(id_token["amr"], serde_json::json!(["mca"]));
        assert!(s.messages_to(number).is_empty(), "no SMS");
        assert_eq!(op.calls("verify"), 1);
        assert_eq!(metric(&s, "verified").await, "1");
        let funnel = s.metrics().await;
        assert!(
            funnel.contains(&format!(
                "connectid_signin_funnel_total{{client_id=\"{id}\",stage=\"network_verified\"}} 1"
            )),
            "a funnel stage of its own"
        );

        // Another browser: the number is proven again.
        let (again, _, _) = type_number(&s, &mut Browser::new(), id, number, "").await;
        assert!(again.location.unwrap().starts_with(REDIRECT));
        assert_eq!(op.calls("verify"), 2, "a new browser is proven again");
        assert_eq!(op.calls("discovery"), 1, "the operator's discovery is kept");
    }
}

#[tokio::test]
async fn every_failure_falls_back_to_the_sms_code_without_a_word() {
    let number = "+4790014002";
    let op = Operator::start(number).await;
    let s = Server::start_with(Backend::Sqlite, &op.config("\"NO\"")).await;
    let client = s.client("");
    let id = client["client_id"].as_str().unwrap();
    let cases = [
        (
            "another number on the line",
            Line::Mobile,
            "+4790014999",
            "not_verified",
        ),
        ("on Wi-Fi", Line::WiFi, number, "failed"),
        ("the API answers 500", Line::Broken, number, "failed"),
        ("the API is too slow", Line::Slow, number, "failed"),
    ];
    for (i, (what, line, device, outcome)) in cases.into_iter().enumerate() {
        op.set_line(line);
        op.set_device_number(device);
        let mut b = Browser::new();
        let (a, _, verifier) = type_number(&s, &mut b, id, number, "").await;
        assert_eq!(a.status, 200, "{what}: {}", a.body);
        assert_eq!(step(&a.body), "code", "{what}: the SMS code step");
        assert!(!a.body.contains("role=\"alert\""), "{what}: no error shown");
        assert_eq!(
            s.messages_to(number).len(),
            i + 1,
            "{what}: the SMS went out"
        );
        let p = pending_page(&s, &mut b, &format!("{}{}", s.base, form_action(&a.body))).await;
        let done = b
            .post(
                &p.action,
                &[("csrf", p.csrf.as_str()), ("code", &s.last_code(number))],
            )
            .await;
        let landed = done.location.expect(what);
        assert!(landed.starts_with(REDIRECT), "{what}: {landed}");
        let tokens = exchange(&s, &client, &query(&landed)["code"], &verifier).await;
        assert_eq!(
            claims(tokens["id_token"].as_str().unwrap())["amr"],
            serde_json::json!(["sms"]),
            "{what}"
        );
        assert_ne!(
            metric(&s, outcome).await,
            "0",
            "{what}: counted as {outcome}"
        );
    }
}

#[tokio::test]
async fn only_covered_numbers_go_to_the_operator_and_a_callback_works_once() {
    let op = Operator::start("+4790014003").await;
    let s = Server::start_with(Backend::Sqlite, &op.config("\"SE\"")).await;
    let client = s.client("");
    let id = client["client_id"].as_str().unwrap();
    // A Norwegian number with only Sweden covered: straight to the SMS.
    let (a, _, _) = type_number(&s, &mut Browser::new(), id, "+4790014003", "").await;
    assert_eq!(step(&a.body), "code");
    assert_eq!(op.calls("authorize"), 0, "the operator was not asked");

    let op = Operator::start("+4790014004").await;
    let s = Server::start_with(Backend::Sqlite, &op.config("\"NO\"")).await;
    let client = s.client("");
    let id = client["client_id"].as_str().unwrap();
    // The service's request can opt out, as for header enrichment.
    let (a, _, _) = type_number(
        &s,
        &mut Browser::new(),
        id,
        "+4790014004",
        "&mobile_network=off",
    )
    .await;
    assert_eq!(step(&a.body), "code");
    assert_eq!(op.calls("authorize"), 0);

    // The callback: in another browser it is refused and spends nothing; forged, refused;
    // used, refused again.
    let (url, _) = authorize_url(&s, id, "");
    let mut b = Browser::new();
    let p = pending(&s, &mut b, &url).await;
    let to_operator = b
        .post(
            &p.action,
            &[("csrf", p.csrf.as_str()), ("identifier", "+4790014004")],
        )
        .await
        .location
        .unwrap();
    let callback = b.get(&to_operator).await.location.unwrap();
    assert!(callback.starts_with(&format!("{}/camara/callback?", s.base)));
    let elsewhere = Browser::new().get(&callback).await;
    assert_eq!(elsewhere.status, 400);
    assert!(elsewhere.body.contains("role=\"alert\""));
    let forged = b
        .get(&format!("{}/camara/callback?code=x&state=forged", s.base))
        .await;
    assert_eq!(forged.status, 400);
    let mut seen = Vec::new();
    let first = b.get(&callback).await;
    let done = follow(&s, &mut b, first, &mut seen).await;
    assert!(done.location.unwrap().starts_with(REDIRECT), "{seen:?}");
    let again = b.get(&callback).await;
    assert_eq!(again.status, 400, "a callback works once");
    assert_eq!(
        op.calls("token"),
        1,
        "refused callbacks never reached the operator"
    );
}

/// The hostile suite's rules for the new endpoint: every malformed or forged callback gets
/// the error page, changes nothing, and never reaches the operator.
#[tokio::test]
async fn hostile_callbacks_get_the_error_page_and_change_nothing() {
    use Expect::*;
    on_each_backend(|backend| async move {
        let op = Operator::start("+4790014005").await;
        let s = Server::start_with(backend, &op.config("\"NO\"")).await;
        let expired = "This sign-in has expired";
        let long = "s".repeat(10_000);
        let cases = vec![
            case("no state", get("/camara/callback?code=c"), Page(400, expired)),
            case("an unknown state", get("/camara/callback?code=c&state=unknown"), Page(400, expired)),
            case("a 10 KB state", get(format!("/camara/callback?code=c&state={long}")), Page(400, expired)),
            case("an error and no state", get("/camara/callback?error=access_denied"), Page(400, expired)),
            case(
                "markup in the parameters",
                get("/camara/callback?code=%3Cscript%3Ealert(1)%3C/script%3E&state=%22%3E%3Csvg%20onload%3D1%3E"),
                Page(400, expired),
            ),
            case("POST", post("/camara/callback", "code=c&state=x"), Status(405)),
        ];
        let n = cases.len();
        assert_eq!(run(&s, cases).await, n);
        assert_eq!(op.calls("token"), 0, "nothing reached the operator");
    })
    .await;
}
