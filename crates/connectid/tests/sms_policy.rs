//! Where SMS may go (issue 14): the deployment's `[sms] allowed_countries` (by default the
//! home region alone), `refused_number_types` and a service's `sms_countries`. A refused
//! number gets the identifier step again with `role="alert"` and nothing is sent or counted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::*;

/// Types `number` at the identifier step; the page that answers.
async fn try_number(s: &Server, client: &serde_json::Value, number: &str) -> Answer {
    let mut b = Browser::new();
    let (url, _) = authorize_url(s, client["client_id"].as_str().unwrap(), "");
    let p = pending(s, &mut b, &url).await;
    submit(&mut b, &s.base, &p, &[("identifier", number)]).await
}

fn refused(a: &Answer, number: &str) {
    assert_eq!(a.status, 400, "{number}: {}", a.body);
    assert_eq!(step(&a.body), "identifier", "{number}");
    assert!(a.body.contains("role=\"alert\""), "{number}: {}", a.body);
    assert!(
        a.body.contains("send a code by SMS to this number"),
        "{number}: {}",
        a.body
    );
}

#[tokio::test]
async fn a_new_deployment_texts_its_home_country_only() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let shop = s.client("");
        // Sweden and the UK are abroad for a deployment whose region is Norway.
        for number in ["+46701234567", "+447400123456"] {
            refused(&try_number(&s, &shop, number).await, number);
            assert!(s.messages_to(number).is_empty(), "{number} got an SMS");
        }
        // The service lets people in with an email: the message says so.
        let a = try_number(&s, &shop, "+46701234567").await;
        assert!(a.body.contains("email address instead"), "{}", a.body);
        let phone_only = s.client(r#","identifiers":"phone""#);
        let a = try_number(&s, &phone_only, "+46701234567").await;
        assert!(!a.body.contains("email address instead"), "{}", a.body);
        // A Norwegian mobile still gets its code.
        let a = try_number(&s, &shop, "+4790000123").await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        assert_eq!(s.messages_to("+4790000123").len(), 1);
    }
}

#[tokio::test]
async fn costly_numbers_and_countries_a_service_left_out_get_no_sms() {
    for backend in backends() {
        let s = Server::start_with(
            backend,
            "[sms]\nallowed_countries = [\"NO\", \"GB\"]\noutbox = \"{dir}/outbox.jsonl\"\n",
        )
        .await;
        let shop = s.client("");
        // UK premium rate and universal access, a Norwegian premium number: allowed
        // countries, refused kinds.
        for number in ["+449061234567", "+443003031234", "+4782012345"] {
            refused(&try_number(&s, &shop, number).await, number);
            assert!(s.messages_to(number).is_empty(), "{number} got an SMS");
        }
        let a = try_number(&s, &shop, "+447400123456").await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        // A service that serves Norway only narrows the deployment's list.
        let local = s.client(r#","sms_countries":["NO"]"#);
        refused(
            &try_number(&s, &local, "+447400123457").await,
            "+447400123457",
        );
        assert!(s.messages_to("+447400123457").is_empty());
        // …and cannot widen it: Sweden stays closed.
        let wide = s.client(r#","sms_countries":["NO","SE"]"#);
        refused(&try_number(&s, &wide, "+46701234567").await, "+46701234567");
        // A country code that does not exist is refused at registration.
        let (code, _, err) = s.cli(
            &["clients", "create"],
            &format!(r#"{{"redirect_uris":["{REDIRECT}"],"sms_countries":["XX"]}}"#),
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("sms_countries"), "{err}");
    }
}

async fn metric(s: &Server, line: &str) -> String {
    let body = reqwest::get(format!("{}/metrics", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    body.lines()
        .find(|l| l.starts_with(line))
        .unwrap_or_default()
        .to_string()
}

fn budget_spent(a: &Answer, number: &str) {
    assert_eq!(a.status, 400, "{number}: {}", a.body);
    assert_eq!(step(&a.body), "identifier", "{number}");
    assert!(a.body.contains("role=\"alert\""), "{number}");
    assert!(
        a.body.contains("No more codes can be sent by SMS today"),
        "{number}: {}",
        a.body
    );
}

#[tokio::test]
async fn the_daily_budgets_stop_sms_until_midnight() {
    for backend in backends() {
        let s = Server::start_with(
            backend,
            "[sms]\ndaily_budget = 3\noutbox = \"{dir}/outbox.jsonl\"\n",
        )
        .await;
        // Start well inside a UTC day, so "tomorrow" is one advance away.
        let into_day = s.now().rem_euclid(86_400);
        s.clock.advance(86_400 - into_day + 3600);
        let shop = s.client("");
        for number in ["+4790000201", "+4790000202", "+4790000203"] {
            let a = try_number(&s, &shop, number).await;
            assert_eq!(step(&a.body), "code", "{number}: {}", a.body);
        }
        for number in ["+4790000204", "+4790000205"] {
            budget_spent(&try_number(&s, &shop, number).await, number);
            assert!(s.messages_to(number).is_empty(), "{number} got an SMS");
        }
        assert_eq!(
            metric(&s, "connectid_sms_refused_total{reason=\"budget\"}").await,
            "connectid_sms_refused_total{reason=\"budget\"} 2"
        );
        // Audited once, not once per knock.
        let (code, out, _) = s.cli(&["audit", "--kind", "sms_budget_reached"], "");
        assert_eq!(code, 0);
        assert_eq!(out.lines().count(), 1, "{out}");
        // Email codes are not SMS.
        let a = try_number(&s, &shop, "budget@example.com").await;
        assert_eq!(step(&a.body), "code", "{}", a.body);

        // The next day the deployment has three again; a service with its own budget of one
        // gets one of them.
        s.clock.advance(86_400);
        let thrifty = s.client(r#","sms_daily_budget":1"#);
        let a = try_number(&s, &thrifty, "+4790000204").await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        budget_spent(
            &try_number(&s, &thrifty, "+4790000205").await,
            "+4790000205",
        );
        let a = try_number(&s, &shop, "+4790000205").await;
        assert_eq!(step(&a.body), "code", "{}", a.body);
        assert_eq!(s.messages_to("+4790000205").len(), 1);
    }
}

/// Bad SMS and fraud settings stop the server before it starts: one line naming the key,
/// exit code 2.
#[test]
fn bad_sms_settings_name_their_key_and_exit_2() {
    let dir = std::env::temp_dir().join(format!(
        "connectid-badcfg-{}",
        connectid_core::crypto::random_id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (toml, key) in [
        (
            "[sms]\nallowed_countries = [\"NO\", \"XX\"]\n",
            "sms.allowed_countries",
        ),
        ("[sms]\ndaily_budget = -5\n", "daily_budget"),
        (
            "[sms]\nrefused_number_types = [\"premium\"]\n",
            "sms.refused_number_types",
        ),
        ("[fraud]\nmode = \"block\"\n", "fraud.mode"),
        ("[fraud]\nalways_challenge = \"yes\"\n", "always_challenge"),
    ] {
        let config = dir.join("connectid.toml");
        std::fs::write(
            &config,
            format!("database_url = \"sqlite://{}/c.db\"\n{toml}", dir.display()),
        )
        .unwrap();
        let out = std::process::Command::new(BIN)
            .args(["--config", config.to_str().unwrap(), "serve"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}: {err}");
        assert!(err.contains(key), "{key}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{key}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
