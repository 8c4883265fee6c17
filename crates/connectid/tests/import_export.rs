//! Accounts in and out (SPEC §12, import/export), on SQLite and PostgreSQL: JSON Lines from
//! other systems keep their password hashes as those systems made them (made here by the
//! libraries they use, through Python), sign in with the original passwords and are upgraded
//! to Argon2id; a bad line is reported by its number and leaves nothing behind while the good
//! ones go in; a dry run writes nothing; an import run again skips what is there; an export
//! imports into another server as the same accounts; and the converters of Keycloak, Auth0
//! and Firebase exports feed the import.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use connectid_core::crypto::{random_id, random_uuid};
use serde_json::{Value, json};
use support::*;

/// Firebase's published sample hash parameters (its documentation's example project), which
/// `make_hashes.py` hashes with by default.
const FIREBASE: &str = "[import.firebase]\n\
    signer_key = \"jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==\"\n\
    salt_separator = \"Bw==\"\n\
    rounds = 8\n\
    mem_cost = 14\n";

/// Every scheme `make_hashes.py` knows, with how its hashes begin (SPEC §12's forms).
const SCHEMES: &[(&str, &str)] = &[
    ("bcrypt", "$2b$"),
    ("bcrypt-2a", "$2a$"),
    ("bcrypt-2y", "$2y$"),
    ("argon2id", "$argon2id$"),
    ("argon2i", "$argon2i$"),
    ("scrypt", "$scrypt$ln="),
    ("pbkdf2-sha1", "$pbkdf2$"),
    ("pbkdf2-sha256", "$pbkdf2-sha256$"),
    ("pbkdf2-sha512", "$pbkdf2-sha512$"),
    ("pbkdf2-sha256-phc", "$pbkdf2-sha256$i="),
    ("pbkdf2-sha512-phc", "$pbkdf2-sha512$i="),
    ("firebase-scrypt", "$firebase-scrypt$"),
];

/// Accounts as JSON Lines, each line ended.
fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Writes `bytes` into the server's directory: the path, for `accounts import`.
fn file(s: &Server, name: &str, bytes: &[u8]) -> String {
    let path = s.dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// `connectid accounts import FILE` (`-`: `input` on stdin), `--dry-run` when asked.
fn import(s: &Server, file: &str, input: &str, dry_run: bool) -> (i32, String, String) {
    let mut args = vec!["accounts", "import", file];
    if dry_run {
        args.push("--dry-run");
    }
    s.cli(&args, input)
}

/// Whether the import's stderr reports line `n` (1-based) with `reason` (any case).
fn reported(err: &str, n: usize, reason: &str) -> bool {
    let tag = format!("line {n}:");
    err.lines()
        .any(|l| l.contains(&tag) && l.to_lowercase().contains(&reason.to_lowercase()))
}

/// `connectid accounts export`: one JSON value per line.
fn export(s: &Server) -> Vec<Value> {
    let (code, out, err) = s.cli(&["accounts", "export"], "");
    assert_eq!(code, 0, "{err}");
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("export line {l}: {e}")))
        .collect()
}

/// The exported line of `sub`.
fn exported_line<'a>(lines: &'a [Value], sub: &str) -> &'a Value {
    lines
        .iter()
        .find(|l| l["sub"] == sub)
        .unwrap_or_else(|| panic!("{sub} is not exported: {lines:?}"))
}

fn exported_by_sub(s: &Server) -> HashMap<String, Value> {
    export(s)
        .into_iter()
        .map(|l| {
            (
                l["sub"]
                    .as_str()
                    .expect("an exported line without sub")
                    .to_string(),
                l,
            )
        })
        .collect()
}

/// A JSON value written with its keys and array items in a fixed order: the same accounts
/// give the same text whatever order the exporter wrote members or identifiers in.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut members: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), canonical(v)))
                .collect();
            members.sort();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let mut items: Vec<String> = items.iter().map(canonical).collect();
            items.sort();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

fn sorted(lines: &[Value]) -> Vec<String> {
    let mut all: Vec<String> = lines.iter().map(canonical).collect();
    all.sort();
    all
}

/// The phone numbers and email addresses of an import line.
fn identifiers(line: &Value) -> Vec<String> {
    let of = |list: &str, key: &str| -> Vec<String> {
        line[list]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i[key].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut all = of("phones", "number");
    all.extend(of("emails", "address"));
    all
}

/// `accounts show` of a phone, an email or a sub: the account, or None when there is none.
fn shown(s: &Server, identifier: &str) -> Option<Value> {
    let (code, out, err) = s.cli(&["accounts", "show", identifier], "");
    match code {
        0 => Some(serde_json::from_str(&out).unwrap()),
        2 => None,
        _ => panic!("accounts show {identifier}: exit {code}: {err}"),
    }
}

/// An account's identifiers as `accounts show` lists them: (kind, value, verified).
fn identifier_set(account: &Value) -> BTreeSet<(String, String, bool)> {
    account["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_string(),
                i["value"].as_str().unwrap().to_string(),
                i["verified"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, bool)]) -> BTreeSet<(String, String, bool)> {
    items
        .iter()
        .map(|(k, v, verified)| (k.to_string(), v.to_string(), *verified))
        .collect()
}

/// The password step for `identifier`, reached through the identifier step as
/// `sign_in_with_password` reaches it (a phone at `acr_values=2`, where a number with a
/// password is asked for it).
async fn password_step(
    s: &Server,
    b: &mut Browser,
    client: &Value,
    identifier: &str,
) -> (Pending, Flow) {
    let extra = if identifier.starts_with('+') {
        "&acr_values=2"
    } else {
        ""
    };
    let (url, flow) = authorize_url(s, client["client_id"].as_str().unwrap(), extra);
    let p = pending(s, b, &url).await;
    assert_eq!(step(&p.body), "identifier", "{}", p.body);
    let a = submit(b, &s.base, &p, &[("identifier", identifier)]).await;
    assert_eq!(step(&a.body), "password", "{identifier}: {}", a.body);
    let p = Pending {
        action: format!("{}{}", s.base, form_action(&a.body)),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page: p.page,
        body: a.body,
    };
    (p, flow)
}

/// What `sign_in_with_password` does, with this password, then the code exchanged: the
/// `sub` of the ID token.
async fn sign_in_as(s: &Server, client: &Value, identifier: &str, password: &str) -> String {
    let mut b = Browser::new();
    let (p, flow) = password_step(s, &mut b, client, identifier).await;
    let a = b
        .post(
            &p.action,
            &[("csrf", p.csrf.as_str()), ("password", password)],
        )
        .await;
    let back = a.location.unwrap_or_else(|| {
        panic!(
            "{identifier} was refused its password: {} {}",
            a.status, a.body
        )
    });
    assert!(back.starts_with(REDIRECT), "{back}");
    let tokens = exchange(s, client, &query(&back)["code"], &flow.verifier).await;
    claims(tokens["id_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A wrong password is refused: the password step again, with `role="alert"`.
async fn refused(s: &Server, client: &Value, identifier: &str, wrong: &str) {
    let mut b = Browser::new();
    let (p, _) = password_step(s, &mut b, client, identifier).await;
    let a = b
        .post(&p.action, &[("csrf", p.csrf.as_str()), ("password", wrong)])
        .await;
    assert_eq!(
        a.status, 400,
        "{identifier} signed in with a wrong password: {:?} {}",
        a.location, a.body
    );
    assert_eq!(step(&a.body), "password", "{}", a.body);
    assert!(a.body.contains("role=\"alert\""), "{}", a.body);
}

// ---------------------------------------------------------------------------------------
// Legacy password hashes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_imported_hash_signs_in_with_its_original_password_and_becomes_argon2id() {
    if python::python().is_none() {
        return;
    }
    // Distinct passwords, one not ASCII: a verifier must hash the UTF-8 bytes.
    let passwords: Vec<String> = SCHEMES
        .iter()
        .enumerate()
        .map(|(i, (scheme, _))| format!("{scheme} Pass {i} blåbær"))
        .collect();
    let items: Vec<(&str, &str)> = SCHEMES
        .iter()
        .zip(&passwords)
        .map(|((scheme, _), password)| (*scheme, password.as_str()))
        .collect();
    let hashes = python::make_hashes(&items);
    for ((scheme, prefix), hash) in SCHEMES.iter().zip(&hashes) {
        assert!(
            hash.starts_with(*prefix),
            "make_hashes.py gave {scheme} as {hash}"
        );
    }
    for backend in backends() {
        imported_hashes_sign_in_on(backend, &passwords, &hashes).await;
    }
}

async fn imported_hashes_sign_in_on(backend: Backend, passwords: &[String], hashes: &[String]) {
    let s = Server::start_with(backend, FIREBASE).await;
    let lines: Vec<Value> = hashes
        .iter()
        .enumerate()
        .map(|(i, hash)| {
            let created_at = 1_600_000_000 + i64::try_from(i).unwrap();
            json!({
                "sub": random_uuid(),
                "phones": [{"number": unique_phone(), "verified": true}],
                "emails": [{"address": unique_email("legacy"), "verified": true}],
                "password_hash": hash,
                "created_at": created_at,
                "external_id": format!("legacy-{i}"),
            })
        })
        .collect();
    let path = file(&s, "legacy.jsonl", jsonl(&lines).as_bytes());
    let (code, out, err) = import(&s, &path, "", false);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        summary(&out),
        format!("imported {}, skipped 0, rejected 0", lines.len())
    );

    // Stored as they came: the export gives every hash back as it was, and the rest.
    let before = exported_by_sub(&s);
    assert_eq!(before.len(), lines.len());
    for line in &lines {
        let got = &before[line["sub"].as_str().unwrap()];
        for key in ["password_hash", "phones", "emails", "external_id"] {
            assert_eq!(got[key], line[key], "{key}: {got} from {line}");
        }
    }

    // Each signs in with its original password, as the account it was; a near miss is
    // refused.
    let client = s.client("");
    let email = |line: &Value| line["emails"][0]["address"].as_str().unwrap().to_string();
    for (i, line) in lines.iter().enumerate() {
        let (scheme, _) = SCHEMES[i];
        refused(&s, &client, &email(line), &format!("{}x", passwords[i])).await;
        let sub = sign_in_as(&s, &client, &email(line), &passwords[i]).await;
        assert_eq!(sub, line["sub"].as_str().unwrap(), "{scheme}");
    }

    // Signed in once, every hash is Argon2id; nothing else of the account changed.
    let after = exported_by_sub(&s);
    for (i, line) in lines.iter().enumerate() {
        let (scheme, _) = SCHEMES[i];
        let sub = line["sub"].as_str().unwrap();
        let hash = after[sub]["password_hash"].as_str().unwrap_or_else(|| {
            panic!(
                "{scheme}: no password_hash after the sign-in: {}",
                after[sub]
            )
        });
        assert!(
            hash.starts_with("$argon2id$"),
            "{scheme} not upgraded: {hash}"
        );
        if scheme != "argon2id" {
            assert_ne!(hash, hashes[i], "{scheme}");
        }
        for key in ["phones", "emails", "external_id", "created_at"] {
            assert_eq!(after[sub][key], before[sub][key], "{scheme}: {key}");
        }
    }

    // The same passwords sign in against the new hashes; a wrong one still does not.
    for (i, line) in lines.iter().enumerate() {
        let sub = sign_in_as(&s, &client, &email(line), &passwords[i]).await;
        assert_eq!(sub, line["sub"].as_str().unwrap(), "{} again", SCHEMES[i].0);
    }
    refused(&s, &client, &email(&lines[0]), "not the password at all").await;
}

// ---------------------------------------------------------------------------------------
// Dry runs, resumed runs, broken files

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_reports_what_the_import_would_do_and_writes_nothing() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let first = json!({
            "phones": [],
            "emails": [{"address": unique_email("first"), "verified": true}],
        });
        let (code, out, err) = import(&s, "-", &jsonl(std::slice::from_ref(&first)), false);
        assert_eq!(
            (code, summary(&out)),
            (0, "imported 1, skipped 0, rejected 0"),
            "{err}"
        );

        let new = [
            json!({
                "phones": [{"number": unique_phone(), "verified": false}],
                "emails": [{"address": unique_email("second"), "verified": true}],
            }),
            json!({
                "sub": random_uuid(),
                "phones": [{"number": unique_phone(), "verified": true}],
                "emails": [],
                "external_id": format!("crm-{}", random_id()),
            }),
        ];
        let bad = json!({"phones": [{"number": "+4712", "verified": true}], "emails": []});
        let text = jsonl(&[first, new[0].clone(), bad, new[1].clone()]);

        let before = s.snapshot().await;
        let exported = sorted(&export(&s));
        let (code, out, err) = import(&s, "-", &text, true);
        assert_eq!(code, 2, "a line would be rejected: {out}{err}");
        assert_eq!(summary(&out), "would import 2, skip 1, reject 1", "{err}");
        assert!(reported(&err, 3, "phone number"), "{err}");
        assert!(!reported(&err, 2, ""), "{err}");
        assert_eq!(s.snapshot().await, before, "a dry run wrote something");
        assert_eq!(sorted(&export(&s)), exported);
        for line in &new {
            for identifier in identifiers(line) {
                assert!(
                    shown(&s, &identifier).is_none(),
                    "{identifier} was imported"
                );
            }
        }

        // For real, the same file does what the dry run said.
        let (code, out, err) = import(&s, "-", &text, false);
        assert_eq!(code, 2, "{out}{err}");
        assert_eq!(summary(&out), "imported 2, skipped 1, rejected 1", "{err}");
        for line in &new {
            for identifier in identifiers(line) {
                assert!(
                    shown(&s, &identifier).is_some(),
                    "{identifier} was not imported"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_run_again_skips_what_is_already_there() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let lines = [
            // Known again by its sub.
            json!({
                "sub": random_uuid(),
                "phones": [],
                "emails": [{"address": unique_email("bysub"), "verified": true}],
                "created_at": 1_600_000_000,
            }),
            // By its external id.
            json!({
                "phones": [{"number": unique_phone(), "verified": true}],
                "emails": [{"address": unique_email("byexternal"), "verified": false}],
                "external_id": format!("crm-{}", random_id()),
            }),
            // By its identifiers, which all belong to one account.
            json!({
                "phones": [{"number": unique_phone(), "verified": false}],
                "emails": [{"address": unique_email("byidentifiers"), "verified": true}],
            }),
        ];
        // A first run stopped after two lines (a crash, ^C); then the whole file, twice.
        let (code, out, err) = import(&s, "-", &jsonl(&lines[..2]), false);
        assert_eq!(
            (code, summary(&out)),
            (0, "imported 2, skipped 0, rejected 0"),
            "{err}"
        );
        let path = file(&s, "all.jsonl", jsonl(&lines).as_bytes());
        let (code, out, err) = import(&s, &path, "", false);
        assert_eq!(
            (code, summary(&out)),
            (0, "imported 1, skipped 2, rejected 0"),
            "{err}"
        );
        let snapshot = s.snapshot().await;
        let exported = export(&s);
        assert_eq!(exported.len(), 3, "{exported:?}");

        let (code, out, err) = import(&s, &path, "", false);
        assert_eq!(
            (code, summary(&out)),
            (0, "imported 0, skipped 3, rejected 0"),
            "{err}"
        );
        assert_eq!(
            s.snapshot().await,
            snapshot,
            "a skipped line changed something"
        );
        assert_eq!(sorted(&export(&s)), sorted(&exported));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_file_reports_each_bad_line_and_imports_the_good_ones() {
    for backend in backends() {
        a_broken_file_on(backend).await;
    }
}

async fn a_broken_file_on(backend: Backend) {
    let s = Server::start_on(backend).await;
    let existing_phone = unique_phone();
    let existing_email = unique_email("existing");
    let existing = s.account_with(&[existing_phone.as_str()], &[existing_email.as_str()], true);

    let (a, b, c) = (unique_email("a"), unique_email("b"), unique_email("c"));
    let a_phone = unique_phone();
    let b_sub = random_uuid();
    // What the bad lines name: none of it may exist afterwards.
    let truncated = unique_email("truncated");
    let wrong_types = unique_email("types");
    let long = unique_email("long");
    let not_utf8_phone = unique_phone();
    let md5 = unique_email("md5");
    let bad_phone_email = unique_email("badphone");
    let dup_new = unique_email("dup");
    let taken_new = unique_email("taken");

    let mut not_utf8 = format!(
        r#"{{"phones": [{{"number": "{not_utf8_phone}", "verified": true}}], "emails": [{{"address": "caf"#
    )
    .into_bytes();
    not_utf8.extend_from_slice(&[0xff, 0xfe]);
    not_utf8.extend_from_slice(
        format!(r#"{}@example.com", "verified": true}}]}}"#, random_id()).as_bytes(),
    );
    let lines: [Vec<u8>; 12] = [
        // 1: good.
        json!({
            "phones": [{"number": a_phone, "verified": false}],
            "emails": [{"address": a, "verified": true}],
        })
        .to_string()
        .into_bytes(),
        // 2: cut off.
        format!(r#"{{"phones": [], "emails": [{{"address": "{truncated}", "verified": tr"#)
            .into_bytes(),
        // 3: JSON, but not an account.
        json!({"phones": "x", "emails": [{"address": wrong_types, "verified": true}]})
            .to_string()
            .into_bytes(),
        // 4: 10 MB on one line.
        json!({
            "phones": [],
            "emails": [{"address": long, "verified": true}],
            "external_id": "x".repeat(10 * 1024 * 1024),
        })
        .to_string()
        .into_bytes(),
        // 5: bytes that are not UTF-8.
        not_utf8,
        // 6: a hash of no known form.
        json!({
            "phones": [],
            "emails": [{"address": md5, "verified": true}],
            "password_hash": "$md5$rounds=5000$GX7BopJZ$9mtz1l2J7yJ2j3EYCzTA0/",
        })
        .to_string()
        .into_bytes(),
        // 7: not a phone number.
        json!({
            "phones": [{"number": "+4712", "verified": true}],
            "emails": [{"address": bad_phone_email, "verified": true}],
        })
        .to_string()
        .into_bytes(),
        // 8: good.
        json!({
            "sub": b_sub,
            "phones": [],
            "emails": [{"address": b, "verified": true}],
            "external_id": "crm-b",
        })
        .to_string()
        .into_bytes(),
        // 9: line 8's email again, with a new one.
        json!({
            "phones": [],
            "emails": [
                {"address": dup_new, "verified": true},
                {"address": b, "verified": true},
            ],
        })
        .to_string()
        .into_bytes(),
        // 10: the existing account's phone, with a new email.
        json!({
            "phones": [{"number": existing_phone, "verified": true}],
            "emails": [{"address": taken_new, "verified": true}],
        })
        .to_string()
        .into_bytes(),
        // 11: nobody to sign in as.
        json!({"phones": [], "emails": [], "external_id": format!("nobody-{}", random_id())})
            .to_string()
            .into_bytes(),
        // 12: good, the last line without its newline.
        json!({
            "phones": [],
            "emails": [{"address": c, "verified": false}],
            "created_at": "2021-03-04T05:06:07+01:00",
        })
        .to_string()
        .into_bytes(),
    ];
    let path = file(&s, "broken.jsonl", &lines.join(&b'\n'));
    let (code, out, err) = import(&s, &path, "", false);
    let said: String = err.chars().take(4000).collect();
    assert_eq!(code, 2, "{out}{said}");
    assert_eq!(summary(&out), "imported 3, skipped 0, rejected 9", "{err}");
    assert!(
        err.len() < 64 * 1024,
        "the long line is echoed: {} bytes",
        err.len()
    );
    for (n, reason) in [
        (2, "not valid JSON"),
        (3, "not valid JSON"),
        (4, "too long"),
        (5, "not valid UTF-8"),
        (6, "password hash"),
        (7, "phone number"),
        (9, "duplicate"),
        (10, "duplicate"),
        (11, "no phone or email"),
    ] {
        assert!(
            reported(&err, n, reason),
            "line {n} not reported as {reason:?}: {err}"
        );
    }
    for n in [1, 8, 12] {
        assert!(!reported(&err, n, ""), "good line {n} reported: {err}");
    }

    // The good lines are in, as they were written.
    let got_a = shown(&s, &a).expect("line 1 was not imported");
    assert_eq!(
        identifier_set(&got_a),
        set(&[
            ("phone", a_phone.as_str(), false),
            ("email", a.as_str(), true)
        ])
    );
    let got_b = shown(&s, &b).expect("line 8 was not imported");
    assert_eq!(got_b["id"], b_sub.as_str());
    assert_eq!(identifier_set(&got_b), set(&[("email", b.as_str(), true)]));
    let got_c = shown(&s, &c).expect("the last line was not imported");
    assert_eq!(identifier_set(&got_c), set(&[("email", c.as_str(), false)]));
    let exported = exported_by_sub(&s);
    let c_line = &exported[got_c["id"].as_str().unwrap()];
    assert_eq!(c_line["created_at"], "2021-03-04T04:06:07Z");
    assert_eq!(exported[b_sub.as_str()]["external_id"], "crm-b");

    // Nothing of the bad ones, and the existing account as it was.
    for identifier in [
        &truncated,
        &wrong_types,
        &long,
        &not_utf8_phone,
        &md5,
        &bad_phone_email,
        &dup_new,
        &taken_new,
    ] {
        assert!(shown(&s, identifier).is_none(), "{identifier} was imported");
    }
    let still = shown(&s, &existing_email).unwrap();
    assert_eq!(still["id"], existing.as_str());
    assert_eq!(
        identifier_set(&still),
        set(&[
            ("phone", existing_phone.as_str(), true),
            ("email", existing_email.as_str(), true),
        ])
    );
    assert_eq!(s.snapshot().await["accounts"], 4);
    assert_eq!(exported.len(), 4);
}

// ---------------------------------------------------------------------------------------
// Export

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_imports_into_another_server_as_the_same_accounts() {
    for backend in backends() {
        an_export_round_trip_on(backend).await;
    }
}

async fn an_export_round_trip_on(backend: Backend) {
    let one = Server::start_on(backend.clone()).await;
    let client = one.client("");
    // Made by the operator, with a password (Argon2id).
    let made_phone = unique_phone();
    let made_email = unique_email("made");
    let made = one.account_with(&[made_phone.as_str()], &[made_email.as_str()], true);
    // Registered through the pages: a number, no password.
    let registered_phone = unique_phone();
    let tokens = sign_in(&one, &mut Browser::new(), &client, &registered_phone).await;
    let registered = claims(tokens["id_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_string();
    // Imported, with what only an import gives: a sub, an external id, a creation time of
    // its own, an unverified email.
    let imported = [
        json!({
            "sub": random_uuid(),
            "phones": [{"number": unique_phone(), "verified": true}],
            "emails": [{"address": unique_email("imported"), "verified": false}],
            "created_at": "2021-03-04T05:06:07+01:00",
            "external_id": format!("crm-{}", random_id()),
        }),
        json!({
            "sub": random_uuid(),
            "phones": [],
            "emails": [{"address": unique_email("old"), "verified": true}],
            "created_at": 1_600_000_000,
        }),
    ];
    let (code, out, err) = import(&one, "-", &jsonl(&imported), false);
    assert_eq!(
        (code, summary(&out)),
        (0, "imported 2, skipped 0, rejected 0"),
        "{err}"
    );

    let first = export(&one);
    assert_eq!(first.len(), 4, "{first:?}");
    for l in &first {
        let at = l["created_at"].as_str().unwrap_or_default();
        assert!(
            at.contains('T') && at.ends_with('Z'),
            "created_at not RFC 3339 UTC: {l}"
        );
    }
    let made_line = exported_line(&first, &made);
    assert!(
        made_line["password_hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("$argon2id$")),
        "{made_line}"
    );
    assert_eq!(
        made_line["phones"],
        json!([{"number": made_phone, "verified": true}])
    );
    assert_eq!(
        made_line["emails"],
        json!([{"address": made_email, "verified": true}])
    );
    assert!(made_line.get("external_id").is_none(), "{made_line}");
    let registered_line = exported_line(&first, &registered);
    assert!(
        registered_line.get("password_hash").is_none(),
        "{registered_line}"
    );
    assert_eq!(
        registered_line["phones"],
        json!([{"number": registered_phone, "verified": true}])
    );
    let with_offset = exported_line(&first, imported[0]["sub"].as_str().unwrap());
    assert_eq!(with_offset["created_at"], "2021-03-04T04:06:07Z");
    for key in ["phones", "emails", "external_id"] {
        assert_eq!(with_offset[key], imported[0][key], "{key}");
    }
    assert_eq!(
        exported_line(&first, imported[1]["sub"].as_str().unwrap())["created_at"],
        "2020-09-13T12:26:40Z"
    );

    // Into a fresh server, and out again: the same lines.
    let two = Server::start_on(backend).await;
    let (code, out, err) = import(&two, "-", &jsonl(&first), false);
    assert_eq!(
        (code, summary(&out)),
        (0, "imported 4, skipped 0, rejected 0"),
        "{err}"
    );
    let second = export(&two);
    assert_eq!(sorted(&second), sorted(&first));
    // The hash came along: the operator's account signs in there with its password.
    let client_two = two.client("");
    assert_eq!(
        sign_in_as(&two, &client_two, &made_email, PASSWORD).await,
        made
    );
}

// ---------------------------------------------------------------------------------------
// Converters of other systems' exports

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/samples")
}

/// The sample export of `source`: the one file of the samples whose name begins with it
/// (`keycloak-realm.json`, `auth0-users.ndjson`, `firebase-users.json`).
fn sample(source: &str) -> PathBuf {
    let dir = samples();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(source) && !n.ends_with(".md"))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {source} sample in {}: {found:?}",
        dir.display()
    );
    found.remove(0)
}

/// A user of a sample export, as the samples' README lists it.
#[derive(Debug)]
struct SampleUser {
    /// What the person types: the email, else the phone number (None: neither).
    identifier: Option<String>,
    /// The original password (None: the user has none).
    password: Option<String>,
    /// The `sub` the README gives, when the converter keeps one (Keycloak's user id).
    sub: Option<String>,
    /// Deliberately not converted (disabled, a service account).
    left_out: bool,
}

/// The README's section on the sample `file` (`## keycloak-realm.json`): how many accounts
/// its converter writes ("… writes 5 accounts …") and the table of its users, whose columns
/// are found by their headers: `email`, `phone`, `password`, and one naming `` `sub` ``.
/// A cell is `alice@example.com (verified)`, a password `` `Keycloak-Pa55word!` `` or
/// `none`; a row saying "left out" is a user the converter leaves out; `\|` is a `|`.
fn sample_users(file: &str) -> (usize, Vec<SampleUser>) {
    let path = samples().join("README.md");
    let readme =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let heading = format!("## {file}");
    let section: Vec<&str> = readme
        .lines()
        .skip_while(|l| l.trim() != heading)
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .collect();
    assert!(
        !section.is_empty(),
        "no section {heading} in {}",
        path.display()
    );
    let prose = section.join(" ");
    let writes = prose
        .split("writes ")
        .skip(1)
        .find_map(|rest| {
            let mut words = rest.split_whitespace();
            let n = words.next()?.parse::<usize>().ok()?;
            (words.next() == Some("accounts")).then_some(n)
        })
        .unwrap_or_else(|| panic!("{heading}: how many accounts the converter writes?"));
    let rows: Vec<Vec<String>> = section
        .iter()
        .map(|l| l.trim())
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            l.replace("\\|", "\u{0}")
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('\u{0}', "|"))
                .collect()
        })
        .collect();
    let (header, rows) = rows
        .split_first()
        .unwrap_or_else(|| panic!("{heading}: no table"));
    let column = |name: &str| header.iter().position(|h| *h == name);
    let email = column("email");
    let phone = column("phone");
    let password = column("password").expect("a password column");
    let sub_at = header.iter().position(|h| h.contains("`sub`"));
    let cell = |row: &[String], at: Option<usize>| -> Option<String> {
        let c = at.and_then(|i| row.get(i))?.trim_matches('`').trim();
        let word = c.split_whitespace().next()?;
        (word != "none").then(|| word.to_string())
    };
    let users = rows
        .iter()
        .filter(|row| !row.iter().all(|c| c.starts_with("---")))
        .map(|row| SampleUser {
            identifier: cell(row, email).or_else(|| cell(row, phone)),
            // The whole cell: a password may hold spaces.
            password: row
                .get(password)
                .map(|c| c.trim().trim_matches('`').to_string())
                .filter(|p| !p.is_empty() && p != "none"),
            sub: cell(row, sub_at),
            left_out: row.iter().any(|c| c.contains("left out")),
        })
        .collect();
    (writes, users)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keycloak_auth0_and_firebase_exports_convert_import_and_sign_in() {
    if python::python().is_none() {
        return;
    }
    for backend in backends() {
        for source in ["keycloak", "auth0", "firebase"] {
            a_converted_export_signs_in_on(backend.clone(), source).await;
        }
    }
}

async fn a_converted_export_signs_in_on(backend: Backend, source: &str) {
    let converter = python::repo_root().join(format!("tools/import/{source}.py"));
    let exported_file = sample(source);
    let file_name = exported_file.file_name().unwrap().to_str().unwrap();
    let (writes, users) = sample_users(file_name);
    let converted = python::run(
        &[converter.to_str().unwrap(), exported_file.to_str().unwrap()],
        b"",
    );
    let n = converted.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(n, writes, "{source}: {converted}");

    // The Firebase sample is hashed with Firebase's published sample parameters: FIREBASE.
    let s = Server::start_with(backend, FIREBASE).await;
    let (code, out, err) = import(&s, "-", &converted, false);
    assert_eq!(code, 0, "{source}: {out}{err}");
    assert_eq!(
        summary(&out),
        format!("imported {n}, skipped 0, rejected 0"),
        "{source}"
    );
    let client = s.client("");
    let mut signed_in = 0;
    for user in &users {
        let Some(identifier) = user.identifier.as_deref() else {
            assert!(user.left_out, "{source}: no email or phone: {user:?}");
            continue;
        };
        let who = format!("{source} {identifier}");
        let account = shown(&s, identifier);
        if user.left_out {
            assert!(account.is_none(), "{who} was left out, yet imported");
            continue;
        }
        let account = account.unwrap_or_else(|| panic!("{who} was not imported"));
        if let Some(sub) = &user.sub {
            assert_eq!(account["id"], sub.as_str(), "{who}");
        }
        let Some(password) = &user.password else {
            assert_eq!(account["has_password"], false, "{who}");
            continue;
        };
        refused(&s, &client, identifier, &format!("{password}x")).await;
        let sub = sign_in_as(&s, &client, identifier, password).await;
        assert_eq!(account["id"], sub.as_str(), "{who}");
        let hash = exported_by_sub(&s)[&sub]["password_hash"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(hash.starts_with("$argon2id$"), "{who} not upgraded: {hash}");
        signed_in += 1;
    }
    assert!(
        signed_in >= 1,
        "{source}: no user with a password in {users:?}"
    );
}
