//! Event webhooks (SPEC §12), on SQLite and PostgreSQL: a deployment's `[[webhooks]]` and a
//! client's `webhooks` hear of what happens to accounts, signed as Standard Webhooks signs
//! (checked by the reference Python library in `tests/python/webhook_receiver.py`, not by
//! code of ours); a failed delivery is tried again with the same `webhook-id`, and one
//! account's events arrive in the order they happened; a client hears only of accounts that
//! signed in to it; an operator can send an event again; a bad setting stops the program;
//! an import is no sign-up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use connectid_core::crypto::{random_id, random_uuid};
use serde_json::{Value, json};
use support::python::{WebhookReceiver, webhook_secret};
use support::*;

/// Long enough for any delivery here: the workers look every second, a retry waits 2 s.
const WAIT: Duration = Duration::from_secs(20);

/// A `[[webhooks]]` entry for `hook`: every event, or only `events`.
fn subscription(hook: &WebhookReceiver, secret: &str, events: Option<&[&str]>) -> String {
    let mut toml = format!(
        "[[webhooks]]\nurl = \"{}\"\nsecret = \"{secret}\"\n",
        hook.url()
    );
    if let Some(events) = events {
        toml.push_str(&format!("events = {}\n", json!(events)));
    }
    toml
}

fn sub_of(tokens: &Value) -> String {
    claims(tokens["id_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every request must have passed the reference library's check.
fn assert_verified(entries: &[Value]) {
    for e in entries {
        assert!(
            e["verified"].as_bool() == Some(true),
            "a request failed the Standard Webhooks check: {e}"
        );
    }
}

/// Every request about `sub`, in arrival order (tries that failed too).
fn of<'a>(entries: &'a [Value], sub: &str) -> Vec<&'a Value> {
    entries
        .iter()
        .filter(|e| e["body"]["data"]["sub"] == sub)
        .collect()
}

/// The events of `sub` the receiver took (answered 204), in arrival order.
fn taken<'a>(entries: &'a [Value], sub: &str) -> Vec<&'a Value> {
    of(entries, sub)
        .into_iter()
        .filter(|e| e["status"] == 204)
        .collect()
}

fn types(events: &[&Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["body"]["type"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// Whether `sub`'s event `kind` was taken.
fn has(entries: &[Value], kind: &str, sub: &str) -> bool {
    taken(entries, sub)
        .iter()
        .any(|e| e["body"]["type"] == kind)
}

/// The body of `sub`'s event `kind`, as first taken.
fn body<'a>(entries: &'a [Value], kind: &str, sub: &str) -> &'a Value {
    let event = taken(entries, sub)
        .into_iter()
        .find(|e| e["body"]["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} of {sub}: {entries:?}"));
    &event["body"]
}

/// A list of the data (`phones`, `emails`); an absent one is empty.
fn list(data: &Value, key: &str) -> Value {
    data.get(key).cloned().unwrap_or_else(|| json!([]))
}

fn rfc3339(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && (t.ends_with('Z') || b[19..].iter().any(|c| *c == b'+' || *c == b'-'))
}

fn keys<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k);
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

/// An event's body: its type, an RFC 3339 timestamp, the account's sub; no member named as
/// a password, hash, code or secret would be, no hash of any form, and none of `secrets`
/// anywhere. (`first_password: true` of `account.password_changed` is a fact, not a
/// password.)
fn assert_shape(body: &Value, kind: &str, sub: &str, secrets: &[&str]) {
    assert_eq!(body["type"], kind, "{body}");
    assert_eq!(body["data"]["sub"], sub, "{body}");
    let at = body["timestamp"].as_str().unwrap_or_default();
    assert!(rfc3339(at), "timestamp {at:?}: {body}");
    let mut names = Vec::new();
    keys(body, &mut names);
    for name in names {
        let name = name.to_lowercase();
        let forbidden = [
            "password",
            "new_password",
            "password_hash",
            "hash",
            "code",
            "otp",
        ];
        assert!(
            !forbidden.contains(&name.as_str()) && !name.contains("secret"),
            "{name} in {body}"
        );
    }
    let text = body.to_string();
    for secret in secrets
        .iter()
        .chain(&["$argon2", "$2b$", "$scrypt$", "$pbkdf2", "whsec_"])
    {
        assert!(!text.contains(secret), "{secret} in {body}");
    }
}

// ---------------------------------------------------------------------------------------
// A deployment's subscription

/// The CLI blocks its worker while it runs; the server delivers on the other one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployment_hears_of_sign_ups_and_deletions_in_order() {
    for backend in backends() {
        let secret = webhook_secret();
        let Some(hook) = WebhookReceiver::start(&secret, 0) else {
            return;
        };
        let s = Server::start_with(backend, &subscription(&hook, &secret, None)).await;
        let client = s.client("");

        // A sign-up through the pages: a new number, its code.
        let phone = unique_phone();
        let registered = sub_of(&sign_in(&s, &mut Browser::new(), &client, &phone).await);
        let sms_code = s.last_code(&phone);
        let entries = hook
            .wait_for(|e| has(e, "account.created", &registered), WAIT)
            .await;
        let created = body(&entries, "account.created", &registered);
        assert_shape(
            created,
            "account.created",
            &registered,
            &[sms_code.as_str()],
        );
        assert_eq!(
            list(&created["data"], "phones"),
            json!([{"number": phone, "verified": true}])
        );
        assert_eq!(list(&created["data"], "emails"), json!([]));
        assert!(created["data"].get("external_id").is_none(), "{created}");

        // One by the operator.
        let email = unique_email("made");
        let made = s.account(&email);
        let entries = hook
            .wait_for(|e| has(e, "account.created", &made), WAIT)
            .await;
        let created = body(&entries, "account.created", &made);
        assert_shape(created, "account.created", &made, &[PASSWORD]);
        assert_eq!(list(&created["data"], "phones"), json!([]));
        assert_eq!(
            list(&created["data"], "emails"),
            json!([{"address": email, "verified": true}])
        );

        // Its deletion.
        let (code, _, err) = s.cli(&["accounts", "delete", &made], "");
        assert_eq!(code, 0, "{err}");
        let entries = hook
            .wait_for(|e| has(e, "account.deleted", &made), WAIT)
            .await;
        assert_shape(
            body(&entries, "account.deleted", &made),
            "account.deleted",
            &made,
            &[],
        );

        assert_verified(&entries);
        let heard: Vec<(String, String)> = entries
            .iter()
            .map(|e| {
                (
                    e["body"]["type"].as_str().unwrap().to_string(),
                    e["body"]["data"]["sub"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want = [
            ("account.created", &registered),
            ("account.created", &made),
            ("account.deleted", &made),
        ]
        .map(|(kind, sub)| (kind.to_string(), sub.clone()));
        assert_eq!(heard, want, "each once, in order");
        let ids: BTreeSet<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 3, "one webhook-id per event: {entries:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_delivery_is_retried_with_its_id_and_holds_back_the_accounts_next_event() {
    for backend in backends() {
        let secret = webhook_secret();
        // The receiver answers 500 to the first request.
        let Some(hook) = WebhookReceiver::start(&secret, 1) else {
            return;
        };
        let s = Server::start_with(backend, &subscription(&hook, &secret, None)).await;
        let sub = s.account(&unique_email("retried"));
        // Its second event, queued while the first waits for its retry.
        let (code, _, err) = s.cli(&["accounts", "delete", &sub], "");
        assert_eq!(code, 0, "{err}");

        let entries = hook.wait_for(|e| !e.is_empty(), WAIT).await;
        let failed_at = Instant::now();
        assert_eq!(entries[0]["status"], 500, "{entries:?}");
        assert_eq!(entries[0]["body"]["type"], "account.created", "{entries:?}");
        let entries = hook
            .wait_for(|e| e.len() >= 2, Duration::from_secs(10))
            .await;
        let waited = failed_at.elapsed();
        assert_eq!(
            entries[1]["id"], entries[0]["id"],
            "a new webhook-id: {entries:?}"
        );
        assert_eq!(entries[1]["body"], entries[0]["body"]);
        assert_eq!(entries[1]["status"], 204);
        assert!(
            waited >= Duration::from_millis(500),
            "retried at once, with no backoff: {waited:?}"
        );

        let entries = hook
            .wait_for(|e| has(e, "account.deleted", &sub), WAIT)
            .await;
        assert_verified(&entries);
        let heard: Vec<(String, i64)> = of(&entries, &sub)
            .iter()
            .map(|e| {
                (
                    e["body"]["type"].as_str().unwrap().to_string(),
                    e["status"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            heard,
            [
                ("account.created".to_string(), 500_i64),
                ("account.created".to_string(), 204_i64),
                ("account.deleted".to_string(), 204_i64),
            ],
            "the deletion waited for the creation"
        );
        assert_ne!(entries[2]["id"], entries[0]["id"]);
    }
}

// ---------------------------------------------------------------------------------------
// A client's subscription

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_hears_only_of_accounts_that_signed_in_to_it() {
    for backend in backends() {
        let (shop_secret, all_secret) = (webhook_secret(), webhook_secret());
        let Some(shop_hook) = WebhookReceiver::start(&shop_secret, 0) else {
            return;
        };
        let Some(all) = WebhookReceiver::start(&all_secret, 0) else {
            return;
        };
        let s = Server::start_with(backend, &subscription(&all, &all_secret, None)).await;
        let shop = s.client(&format!(
            r#","webhooks":[{{"url":"{}","secret":"{shop_secret}","events":["account.deleted"]}}]"#,
            shop_hook.url()
        ));
        let news = s.client("");
        let (alice_email, bob_email) = (unique_email("alice"), unique_email("bob"));
        let alice = s.account(&alice_email);
        let bob = s.account(&bob_email);
        // Alice uses the shop; Bob only another service.
        sign_in(&s, &mut Browser::new(), &shop, &alice_email).await;
        sign_in(&s, &mut Browser::new(), &news, &bob_email).await;

        for sub in [bob.as_str(), alice.as_str()] {
            let (code, _, err) = s.cli(&["accounts", "delete", sub], "");
            assert_eq!(code, 0, "{err}");
        }
        // The deployment heard of both; the shop of Alice.
        all.wait_for(
            |e| has(e, "account.deleted", &bob) && has(e, "account.deleted", &alice),
            WAIT,
        )
        .await;
        shop_hook
            .wait_for(|e| has(e, "account.deleted", &alice), WAIT)
            .await;
        // Bob's, queued first, would have come by now; a moment more for a slow one.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let entries = shop_hook.entries();
        assert_verified(&entries);
        assert!(
            of(&entries, &bob).is_empty(),
            "the shop heard of Bob: {entries:?}"
        );
        assert_eq!(types(&taken(&entries, &alice)), ["account.deleted"]);
        assert!(
            entries
                .iter()
                .all(|e| e["body"]["data"]["sub"] == alice.as_str()),
            "{entries:?}"
        );
        assert_shape(
            body(&entries, "account.deleted", &alice),
            "account.deleted",
            &alice,
            &[],
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_a_bad_webhook_is_refused() {
    let s = Server::start().await;
    let secret = webhook_secret();
    for (webhook, why) in [
        (
            format!(r#"{{"url":"ftp://127.0.0.1/hook","secret":"{secret}"}}"#),
            "not http(s)",
        ),
        (
            r#"{"url":"http://127.0.0.1:9/hook","secret":"whsec_not base64!"}"#.to_string(),
            "a secret that is not base64",
        ),
        (
            format!(
                r#"{{"url":"http://127.0.0.1:9/hook","secret":"{secret}","events":["account.create"]}}"#
            ),
            "an unknown event",
        ),
    ] {
        let json = format!(
            r#"{{"client_name":"Shop","redirect_uris":["{REDIRECT}"],"webhooks":[{webhook}]}}"#
        );
        let (code, _, err) = s.cli(&["clients", "create"], &json);
        assert_eq!(code, 2, "{why}: {err}");
        assert!(err.contains("webhooks"), "{why}: {err}");
    }
}

// ---------------------------------------------------------------------------------------
// What produces events

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_account_changes_are_events_of_the_account_in_order() {
    for backend in backends() {
        let (secret, deletions_secret) = (webhook_secret(), webhook_secret());
        let Some(hook) = WebhookReceiver::start(&secret, 0) else {
            return;
        };
        let Some(deletions) = WebhookReceiver::start(&deletions_secret, 0) else {
            return;
        };
        let config = subscription(&hook, &secret, None)
            + &subscription(
                &deletions,
                &deletions_secret,
                Some(&["account.deleted"][..]),
            );
        let s = Server::start_with(backend, &config).await;
        let email = unique_email("mine");
        let sub = s.account(&email);
        let mut b = Browser::new();
        let page = open(&s, &mut b, "/account", &email, PASSWORD).await;
        assert_eq!(step(&page.body), "account", "{}", page.body);

        // A phone added, with its code, then removed.
        let phone = unique_phone();
        let form = open(&s, &mut b, "/account/add?kind=phone", &email, PASSWORD).await;
        assert_eq!(step(&form.body), "account-add", "{}", form.body);
        let code_page = post_page(
            &s,
            &mut b,
            &form,
            "/account/add",
            &[("kind", "phone"), ("identifier", &phone)],
        )
        .await;
        assert_eq!(step(&code_page.body), "code", "{}", code_page.body);
        let pending = attr(&code_page.body, "name=\"pending\"", "value");
        let code = s.last_code(&phone);
        let added = post_page(
            &s,
            &mut b,
            &code_page,
            "/account/add/verify",
            &[("pending", &pending), ("code", &code)],
        )
        .await;
        assert_eq!(step(&added.body), "account", "{}", added.body);
        let link = format!("/account/remove?identifier={}", enc(&phone));
        let confirm = open(&s, &mut b, &link, &email, PASSWORD).await;
        assert_eq!(step(&confirm.body), "account-remove", "{}", confirm.body);
        let removed = post_page(
            &s,
            &mut b,
            &confirm,
            "/account/remove",
            &[("identifier", &phone), ("confirm", "yes")],
        )
        .await;
        assert_eq!(step(&removed.body), "account", "{}", removed.body);

        // A new password; every device signed out; the account deleted.
        let new_password = "violet tractor 1987 lantern";
        let form = open(&s, &mut b, "/account/password", &email, PASSWORD).await;
        assert_eq!(step(&form.body), "account-password", "{}", form.body);
        let changed = post_page(
            &s,
            &mut b,
            &form,
            "/account/password",
            &[("new_password", new_password)],
        )
        .await;
        assert_eq!(step(&changed.body), "account", "{}", changed.body);
        let page = open(&s, &mut b, "/account", &email, new_password).await;
        let out = post_page(&s, &mut b, &page, "/account/signout-everywhere", &[]).await;
        assert_eq!(step(&out.body), "signed-out", "{}", out.body);
        let confirm = open(&s, &mut b, "/account/delete", &email, new_password).await;
        assert_eq!(step(&confirm.body), "account-delete", "{}", confirm.body);
        let gone = post_page(
            &s,
            &mut b,
            &confirm,
            "/account/delete",
            &[("confirm", "yes")],
        )
        .await;
        assert_eq!(step(&gone.body), "signed-out", "{}", gone.body);

        let entries = hook
            .wait_for(|e| has(e, "account.deleted", &sub), WAIT)
            .await;
        assert_verified(&entries);
        let events = taken(&entries, &sub);
        assert_eq!(
            types(&events),
            [
                "account.created",
                "account.identifier_added",
                "account.identifier_removed",
                "account.password_changed",
                "account.signed_out_everywhere",
                "account.deleted",
            ]
        );
        for e in &events {
            let kind = e["body"]["type"].as_str().unwrap();
            assert_shape(
                &e["body"],
                kind,
                &sub,
                &[code.as_str(), PASSWORD, new_password],
            );
        }
        for e in &events[1..3] {
            assert_eq!(
                e["body"]["data"]["identifier"],
                json!({"kind": "phone", "value": phone}),
                "{e}"
            );
        }

        // The subscription to deletions heard of the deletion only.
        let only = deletions
            .wait_for(|e| has(e, "account.deleted", &sub), WAIT)
            .await;
        assert_verified(&only);
        assert_eq!(types(&of(&only, &sub)), ["account.deleted"]);
        assert!(
            only.iter().all(|e| e["body"]["type"] == "account.deleted"),
            "{only:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_accounts_is_no_sign_up() {
    for backend in backends() {
        let secret = webhook_secret();
        let Some(hook) = WebhookReceiver::start(&secret, 0) else {
            return;
        };
        let events = ["account.created", "account.deleted"];
        let s = Server::start_with(backend, &subscription(&hook, &secret, Some(&events[..]))).await;
        let subs = [random_uuid(), random_uuid()];
        let lines: String = subs
            .iter()
            .map(|sub| {
                let line = json!({
                    "sub": sub,
                    "phones": [],
                    "emails": [{"address": unique_email("imported"), "verified": true}],
                });
                format!("{line}\n")
            })
            .collect();
        let (code, out, err) = s.cli(&["accounts", "import", "-"], &lines);
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(summary(&out), "imported 2, skipped 0, rejected 0");

        // A sign-up after it is heard of; so is each imported account's deletion, which its
        // creation, had there been one, would have come before (one account's events keep
        // their order).
        let signed_up = s.account(&unique_email("after"));
        for sub in &subs {
            let (code, _, err) = s.cli(&["accounts", "delete", sub], "");
            assert_eq!(code, 0, "{err}");
        }
        let entries = hook
            .wait_for(
                |e| {
                    has(e, "account.created", &signed_up)
                        && subs.iter().all(|sub| has(e, "account.deleted", sub))
                },
                WAIT,
            )
            .await;
        assert_verified(&entries);
        for sub in &subs {
            assert_eq!(
                types(&of(&entries, sub)),
                ["account.deleted"],
                "an import is a migration, not a sign-up"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_redeliver_sends_an_event_again_with_its_id() {
    for backend in backends() {
        let secret = webhook_secret();
        let Some(hook) = WebhookReceiver::start(&secret, 0) else {
            return;
        };
        let s = Server::start_with(backend, &subscription(&hook, &secret, None)).await;
        let sub = s.account(&unique_email("again"));
        let entries = hook
            .wait_for(|e| has(e, "account.created", &sub), WAIT)
            .await;
        let first = taken(&entries, &sub)[0].clone();
        let id = first["id"].as_str().unwrap().to_string();

        let (code, out, err) = s.cli(&["events", "redeliver", "--id", &id], "");
        assert_eq!(code, 0, "{err}");
        assert_eq!(summary(&out), "requeued 1", "{out}");
        let delivered_twice = |e: &[Value]| {
            e.iter()
                .filter(|x| x["id"] == id.as_str() && x["status"] == 204)
                .count()
                >= 2
        };
        let entries = hook.wait_for(delivered_twice, WAIT).await;
        assert_verified(&entries);
        let again: Vec<&Value> = entries.iter().filter(|x| x["id"] == id.as_str()).collect();
        assert_eq!(again[1]["body"], first["body"]);

        // Nothing was given up on: nothing to send again.
        let (code, out, err) = s.cli(&["events", "redeliver", "--since", "3600"], "");
        assert_eq!((code, summary(&out)), (0, "requeued 0"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------
// Settings

/// The binary with `command` on `config`: its exit code (None: still running after 15 s, and
/// killed) and everything it printed on stderr.
fn run_briefly(config: &Path, command: &str) -> (Option<i32>, String) {
    let mut child = Command::new(BIN)
        .arg("--config")
        .arg(config)
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A bad `[[webhooks]]` entry stops `config` and `serve`: one line naming the entry
/// (`webhooks…`) and what is wrong with it (`url`, `secret`, `event`), exit 2.
#[test]
fn a_bad_webhook_setting_names_its_key_and_exits_2() {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("webhook-settings-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("connectid.toml");
    let write = |entry: &str| {
        std::fs::write(
            &config,
            format!(
                "listen = \"127.0.0.1:0\"\ndatabase_url = \"sqlite://{}/c.db\"\n[[webhooks]]\n{entry}",
                dir.display()
            ),
        )
        .unwrap();
    };
    let secret = webhook_secret();
    let url = "url = \"http://127.0.0.1:9/hook\"\n";
    for (entry, key) in [
        (
            format!("url = \"ftp://127.0.0.1/hook\"\nsecret = \"{secret}\"\n"),
            "url",
        ),
        (
            format!("url = \"127.0.0.1:9/hook\"\nsecret = \"{secret}\"\n"),
            "url",
        ),
        (url.to_string(), "secret"),
        (format!("{url}secret = \"whsec_not base64!\"\n"), "secret"),
        (
            format!("{url}secret = \"{secret}\"\nevents = [\"account.create\"]\n"),
            "event",
        ),
    ] {
        write(&entry);
        for command in ["config", "serve"] {
            let (code, err) = run_briefly(&config, command);
            assert_eq!(code, Some(2), "{command} with {entry}: {err}");
            assert!(
                err.contains("webhooks") && err.contains(key),
                "{command} with {entry}: {err}"
            );
            assert_eq!(
                err.trim().lines().count(),
                1,
                "{command} with {entry}: {err}"
            );
        }
    }

    // A good one is taken, and its secret not shown.
    write(&format!(
        "url = \"https://hooks.example/connectid\"\nsecret = \"{secret}\"\n\
         events = [\"account.created\", \"account.deleted\"]\n"
    ));
    let out = Command::new(BIN)
        .args(["--config", config.to_str().unwrap(), "config"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let printed =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    let key = secret.strip_prefix("whsec_").unwrap();
    assert!(
        !printed.contains(key),
        "the webhook secret is shown: {printed}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------
// Locking an account

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_is_signed_out_and_cannot_sign_in_until_it_is_unlocked() {
    for backend in backends() {
        let secret = webhook_secret();
        let Some(hook) = WebhookReceiver::start(&secret, 0) else {
            return;
        };
        let events = ["account.locked", "account.unlocked"];
        let s = Server::start_with(backend, &subscription(&hook, &secret, Some(&events))).await;
        let email = unique_email("locked");
        let sub = s.account(&email);
        let mut b = Browser::new();
        let page = open(&s, &mut b, "/account", &email, PASSWORD).await;
        assert_eq!(step(&page.body), "account", "{}", page.body);

        let (code, out, err) = s.cli(&["accounts", "lock", &email], "");
        assert_eq!(
            (code, out.trim()),
            (0, format!("locked {sub}").as_str()),
            "{err}"
        );
        let (code, out, _) = s.cli(&["accounts", "lock", &sub], "");
        assert_eq!(code, 0);
        assert!(out.contains("already"), "{out}");
        let (_, shown, _) = s.cli(&["accounts", "show", &sub], "");
        assert_eq!(
            serde_json::from_str::<Value>(&shown).unwrap()["locked"],
            true
        );

        // The session ended: My account asks to sign in, and the sign-in ends on an error
        // page that says why, after the password (never at the identifier step).
        let refused = open(&s, &mut b, "/account", &email, PASSWORD).await;
        assert_eq!(step(&refused.body), "error", "{}", refused.body);
        assert_eq!(refused.status, 403);
        assert!(refused.body.contains("role=\"alert\""), "{}", refused.body);
        assert!(refused.body.contains("locked"), "{}", refused.body);

        let (code, out, err) = s.cli(&["accounts", "unlock", &sub], "");
        assert_eq!(
            (code, out.trim()),
            (0, format!("unlocked {sub}").as_str()),
            "{err}"
        );
        let page = open(&s, &mut Browser::new(), "/account", &email, PASSWORD).await;
        assert_eq!(step(&page.body), "account", "{}", page.body);

        let entries = hook
            .wait_for(|e| has(e, "account.unlocked", &sub), WAIT)
            .await;
        assert_verified(&entries);
        assert_eq!(
            types(&of(&entries, &sub)),
            ["account.locked", "account.unlocked"],
            "each once, in order"
        );
        let (_, audit, _) = s.cli(&["audit", "--kind", "account_locked"], "");
        assert!(
            audit.contains("command line") && audit.contains(&sub),
            "{audit}"
        );
        let (code, _, err) = s.cli(&["accounts", "lock", "nobody@example.com"], "");
        assert_eq!(code, 2, "{err}");
    }
}
