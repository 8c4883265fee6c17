//! "My account" through the server (the test kit's), on SQLite and PostgreSQL: signing in through the
//! ordinary pages, the overview, password, phones and emails, connected services, sign out
//! everywhere and delete account, with what each must refuse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::crypto::random_id;
use serde_json::Value;
use support::{
    Browser, Db, PASSWORD, REDIRECT, Receiver, Server, attr, backends, open, post_page, sign_in,
    step,
};

fn outbox(s: &Server) -> Vec<Value> {
    std::fs::read_to_string(s.dir.join("outbox.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn unique_phone() -> String {
    let digits: String = random_id()
        .bytes()
        .take(6)
        .map(|b| char::from(b'0' + b % 10))
        .collect();
    format!("+4798{digits}")
}

#[tokio::test]
async fn my_account_signs_in_and_changes_password_and_identifiers() {
    for db in backends() {
        my_account_signs_in_and_changes_password_and_identifiers_on(db).await;
    }
}

async fn my_account_signs_in_and_changes_password_and_identifiers_on(db: Db) {
    let s = Server::start_on(db).await;
    let email = format!("a{}@example.com", random_id());
    s.account(&email);

    // Nobody signed in: the ordinary sign-in pages first, then back to the same page.
    let mut b = Browser::new();
    let first = b.get(&format!("{}/account", s.base)).await;
    let to = first.location.clone().unwrap();
    assert!(
        to.starts_with("/authorize?client_id=connectid-account&"),
        "{to}"
    );
    let page = open(&s, &mut b, "/account", &email, PASSWORD).await;
    assert_eq!(step(&page.body), "account", "{}", page.body);
    assert!(page.body.contains(&email));

    // Another browser signed in before the change, to see it signed out by it.
    let mut other = Browser::new();
    assert_eq!(
        step(
            &open(&s, &mut other, "/account", &email, PASSWORD)
                .await
                .body
        ),
        "account"
    );

    // Password: right after signing in, no second sign-in is asked for.
    let form = open(&s, &mut b, "/account/password", &email, PASSWORD).await;
    assert_eq!(step(&form.body), "account-password");
    // The live meter, as strength.js asks for it; it needs the form's CSRF token.
    let meter = post_page(
        &s,
        &mut b,
        &form,
        "/account/password/strength",
        &[("new_password", "abc")],
    )
    .await;
    let score: Value = serde_json::from_str(&meter.body).unwrap();
    assert_eq!(score["score"], 0, "{}", meter.body);
    assert_eq!(score["text"], "Password strength");
    let strong = post_page(
        &s,
        &mut b,
        &form,
        "/account/password/strength",
        &[("new_password", "violet tractor 1987 lantern")],
    )
    .await;
    assert!(
        serde_json::from_str::<Value>(&strong.body).unwrap()["score"]
            .as_i64()
            .unwrap()
            >= 3
    );
    let forged = b
        .post(
            &format!("{}/account/password/strength", s.base),
            &[("csrf", "x"), ("new_password", "abc")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let weak = post_page(
        &s,
        &mut b,
        &form,
        "/account/password",
        &[("new_password", "123456")],
    )
    .await;
    assert_eq!(weak.status, 400);
    assert!(weak.body.contains("role=\"alert\""));
    let new_password = "violet tractor 1987";
    let done = post_page(
        &s,
        &mut b,
        &form,
        "/account/password",
        &[("new_password", new_password)],
    )
    .await;
    assert_eq!(step(&done.body), "account");
    assert!(
        done.body.contains("role=\"status\""),
        "a notice: {}",
        done.body
    );
    assert!(
        outbox(&s)
            .iter()
            .any(|m| m["to"] == email.as_str() && m["purpose"] == "password_changed"),
        "the owner is told"
    );
    let gone = other.get(&format!("{}/account", s.base)).await;
    assert!(
        gone.location.unwrap().starts_with("/authorize?"),
        "other sessions ended"
    );
    // The new password signs in; the old one does not.
    let mut c = Browser::new();
    assert_eq!(
        step(
            &open(&s, &mut c, "/account", &email, new_password)
                .await
                .body
        ),
        "account"
    );

    // A forged CSRF token changes nothing.
    let forged = b
        .post(
            &format!("{}/account/remove", s.base),
            &[("csrf", "forged"), ("identifier", &email)],
        )
        .await;
    assert_eq!(forged.status, 403);

    // Add a phone: a code to it first.
    let phone = unique_phone();
    let form = open(&s, &mut b, "/account/add?kind=phone", &email, new_password).await;
    assert_eq!(step(&form.body), "account-add");
    assert!(form.body.contains("autocomplete=\"tel\""));
    let bad = post_page(
        &s,
        &mut b,
        &form,
        "/account/add",
        &[("kind", "phone"), ("identifier", "not a number")],
    )
    .await;
    assert_eq!(bad.status, 400);
    let code_page = post_page(
        &s,
        &mut b,
        &form,
        "/account/add",
        &[("kind", "phone"), ("identifier", &phone)],
    )
    .await;
    assert_eq!(step(&code_page.body), "code", "{}", code_page.body);
    assert!(code_page.body.contains("autocomplete=\"one-time-code\""));
    let pending = attr(&code_page.body, "name=\"pending\"", "value");
    let wrong = post_page(
        &s,
        &mut b,
        &code_page,
        "/account/add/verify",
        &[("pending", &pending), ("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status, 400);
    let code = s.last_code(&phone);
    let added = post_page(
        &s,
        &mut b,
        &code_page,
        "/account/add/verify",
        &[("pending", &pending), ("code", &code)],
    )
    .await;
    assert_eq!(step(&added.body), "account");
    assert!(added.body.contains(&phone), "{}", added.body);
    assert!(
        outbox(&s)
            .iter()
            .any(|m| m["to"] == email.as_str() && m["purpose"] == "identifier_added"),
        "the owner's email hears of the new phone"
    );
    // The same pending addition does not work twice.
    let again = post_page(
        &s,
        &mut b,
        &code_page,
        "/account/add/verify",
        &[("pending", &pending), ("code", &code)],
    )
    .await;
    assert_eq!(again.status, 400);

    // Another account's email: the code goes out (nothing tells who has an account), and the
    // addition is refused once the code proves the address.
    let taken = format!("t{}@example.com", random_id());
    s.account(&taken);
    let form = open(&s, &mut b, "/account/add?kind=email", &email, new_password).await;
    let code_page = post_page(
        &s,
        &mut b,
        &form,
        "/account/add",
        &[("kind", "email"), ("identifier", &taken)],
    )
    .await;
    assert_eq!(step(&code_page.body), "code");
    let pending = attr(&code_page.body, "name=\"pending\"", "value");
    let code = s.last_code(&taken);
    let refused = post_page(
        &s,
        &mut b,
        &code_page,
        "/account/add/verify",
        &[("pending", &pending), ("code", &code)],
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("role=\"alert\""));

    // Remove the phone: "Remove" asks first; then the email can't go: it is the last one.
    let page = open(&s, &mut b, "/account", &email, new_password).await;
    let link = format!("/account/remove?identifier={}", support::enc(&phone));
    assert!(
        page.body.contains("data-action=\"remove\""),
        "no Remove link"
    );
    let confirm = open(&s, &mut b, &link, &email, new_password).await;
    assert_eq!(step(&confirm.body), "account-remove");
    // Without the confirmation nothing is removed.
    let unconfirmed = post_page(
        &s,
        &mut b,
        &confirm,
        "/account/remove",
        &[("identifier", &phone)],
    )
    .await;
    assert_eq!(step(&unconfirmed.body), "account-remove");
    let removed = post_page(
        &s,
        &mut b,
        &confirm,
        "/account/remove",
        &[("identifier", &phone), ("confirm", "yes")],
    )
    .await;
    assert_eq!(step(&removed.body), "account");
    assert!(removed.body.contains("role=\"status\""));
    let last = post_page(
        &s,
        &mut b,
        &removed,
        "/account/remove",
        &[("identifier", &email), ("confirm", "yes")],
    )
    .await;
    assert_eq!(last.status, 400);
    assert!(last.body.contains("role=\"alert\""));
    assert!(last.body.contains(&email));
}

#[tokio::test]
async fn sensitive_pages_ask_for_the_password_after_a_code_sign_in() {
    for db in backends() {
        sensitive_pages_ask_for_the_password_after_a_code_sign_in_on(db).await;
    }
}

async fn sensitive_pages_ask_for_the_password_after_a_code_sign_in_on(db: Db) {
    let s = Server::start_on(db).await;
    let phone = unique_phone();
    let (code, out, err) = s.cli(
        &["accounts", "create", "--phone", &phone, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{err}");
    let id = serde_json::from_str::<Value>(&out).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _, _) = s.cli(&["accounts", "show", &id], "");
    assert_eq!(code, 0);
    let mut b = Browser::new();
    // The overview needs only a sign-in: a phone signs in with a code (LoA1).
    let first = b.get(&format!("{}/account", s.base)).await;
    assert!(!first.location.unwrap().contains("acr_values"));
    let page = open(&s, &mut b, "/account", &phone, PASSWORD).await;
    assert_eq!(step(&page.body), "account");
    // Deleting the account needs the password, now, for the same account.
    let a = b.get(&format!("{}/account/delete", s.base)).await;
    let to = a.location.unwrap();
    assert!(
        to.contains("prompt=login") && to.contains("acr_values=2"),
        "{to}"
    );
    assert!(to.contains("state=%2Faccount%2Fdelete"), "{to}");
    let confirm = open(&s, &mut b, "/account/delete", &phone, PASSWORD).await;
    assert_eq!(step(&confirm.body), "account-delete");
    let deleted = post_page(
        &s,
        &mut b,
        &confirm,
        "/account/delete",
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(step(&deleted.body), "signed-out");
    assert!(
        !b.cookies.contains_key("cid_session"),
        "the session cookie is cleared"
    );
    let (code, _, _) = s.cli(&["accounts", "show", &id], "");
    assert_ne!(code, 0, "the account is gone");
    // Back at /account: a sign-in, and the number registers anew.
    let again = b.get(&format!("{}/account", s.base)).await;
    assert!(again.location.unwrap().starts_with("/authorize?"));

    // Removing an identifier needs the password too: the sign-in page says why, and the
    // removal the person asked for goes on after it, to its confirmation.
    let other = unique_phone();
    let (code, _, err) = s.cli(
        &["accounts", "create", "--phone", &other, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, 0, "{err}");
    let mut b2 = Browser::new();
    let page = open(&s, &mut b2, "/account", &other, PASSWORD).await;
    assert_eq!(step(&page.body), "account");
    let link = format!("/account/remove?identifier={}", support::enc(&other));
    let a = b2.get(&format!("{}{link}", s.base)).await;
    let to = a
        .location
        .unwrap_or_else(|| panic!("{} {}", a.status, a.body));
    assert!(to.contains("prompt=login"), "{to}");
    let mut seen = b2.get(&format!("{}{to}", s.base)).await;
    while let Some(l) = seen.location.clone() {
        seen = b2.get(&format!("{}{l}", s.base)).await;
    }
    assert!(
        seen.body.contains("data-reason=\"account-reauth-reason\""),
        "{}",
        seen.body
    );
    let confirm = open(&s, &mut b2, &link, &other, PASSWORD).await;
    assert_eq!(step(&confirm.body), "account-remove", "{}", confirm.body);

    // A code for another client, or none, at the callback is an error page, never a redirect.
    // The built-in client of these pages cannot be deleted or changed by hand.
    let (code, _, err) = s.cli(&["clients", "delete", "connectid-account"], "");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("built-in"), "{err}");
    let r = reqwest::Client::new()
        .delete(format!("{}/admin/clients/connectid-account", s.base))
        .bearer_auth(&s.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let bogus = b
        .get(&format!(
            "{}/account/callback?code=nope&state=https://evil.example/",
            s.base
        ))
        .await;
    assert_eq!(bogus.status, 400);
    assert!(bogus.location.is_none());
}

#[tokio::test]
async fn connected_services_and_signing_out_everywhere() {
    for db in backends() {
        connected_services_and_signing_out_everywhere_on(db).await;
    }
}

async fn connected_services_and_signing_out_everywhere_on(db: Db) {
    let s = Server::start_on(db).await;
    // The shop's back-channel logout endpoint: it must hear of the disconnection.
    let mut told = Receiver::start().await;
    let bc = told.uri("bc");
    let shop = s.client(&format!(r#","sso":true,"backchannel_logout_uri":"{bc}""#));
    let news = s.client(r#","sso":true"#);
    let email = format!("c{}@example.com", random_id());
    s.account(&email);
    let mut b = Browser::new();
    let shop_tokens = sign_in(&s, &mut b, &shop, &email).await;
    let news_tokens = sign_in(&s, &mut b, &news, &email).await;
    let page = open(&s, &mut b, "/account/services", &email, PASSWORD).await;
    assert_eq!(step(&page.body), "account-services");
    assert!(page.body.contains("Shop"), "{}", page.body);
    assert!(
        !page.body.contains("connectid-account"),
        "the account pages are not a service"
    );

    // "Back to Shop" only for a registered redirect URI of a registered client.
    let cid = shop["client_id"].as_str().unwrap();
    let with_back = open(
        &s,
        &mut b,
        &format!("/account?client_id={cid}&redirect_uri={REDIRECT}"),
        &email,
        PASSWORD,
    )
    .await;
    assert!(
        with_back.body.contains("Back to Shop")
            && with_back
                .body
                .contains("href=\"http:&#x2f;&#x2f;127.0.0.1:9&#x2f;cb\""),
        "{}",
        with_back.body
    );
    let evil = open(
        &s,
        &mut b,
        &format!("/account?client_id={cid}&redirect_uri=https://evil.example/"),
        &email,
        PASSWORD,
    )
    .await;
    assert_eq!(step(&evil.body), "account");
    assert!(
        !evil.body.contains("Back to"),
        "no link to an unregistered URI"
    );

    // Disconnect the shop: its tokens stop working, the other service's do not.
    let done = post_page(
        &s,
        &mut b,
        &page,
        "/account/services/disconnect",
        &[("client_id", cid)],
    )
    .await;
    assert!(done.body.contains("role=\"status\""), "{}", done.body);
    let http = reqwest::Client::new();
    let userinfo = |t: &Value| {
        http.get(format!("{}/userinfo", s.base))
            .bearer_auth(t["access_token"].as_str().unwrap().to_string())
            .send()
    };
    assert_eq!(userinfo(&shop_tokens).await.unwrap().status(), 401);
    let token = told
        .next_within(
            std::time::Duration::from_secs(10),
            "a logout token for the disconnected service",
        )
        .await
        .1;
    let c = support::claims(&token);
    assert_eq!(c["aud"], cid);
    assert_eq!(
        c["sid"],
        support::claims(shop_tokens["id_token"].as_str().unwrap())["sid"]
    );
    assert!(c["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert_eq!(userinfo(&news_tokens).await.unwrap().status(), 200);

    // Sign out everywhere: every session and token ends, this browser's too.
    let page = open(&s, &mut b, "/account", &email, PASSWORD).await;
    let out = post_page(&s, &mut b, &page, "/account/signout-everywhere", &[]).await;
    assert_eq!(step(&out.body), "signed-out");
    // It says "on every device", and offers a way on.
    assert!(out.body.contains("every device"), "{}", out.body);
    assert!(
        out.body.contains("data-action=\"signin-again\""),
        "{}",
        out.body
    );
    assert_eq!(userinfo(&news_tokens).await.unwrap().status(), 401);
    let after = b.get(&format!("{}/account", s.base)).await;
    assert!(after.location.unwrap().starts_with("/authorize?"));
}
