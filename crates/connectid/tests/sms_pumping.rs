//! A simulated SMS pumping attack through the real pages (issue 14): 2,000 sign-in starts
//! for numbers in 40 countries from 50 addresses (X-Forwarded-For through a trusted proxy),
//! interleaved with 100 ordinary people who complete their sign-in. In protect mode the
//! rules must stop nearly all of the attack and none of the people; in observe mode every
//! tripped rule is sent anyway, audited and counted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;

use connectid_core::store::AuditQuery;
use phonenumber::metadata::DATABASE;
use support::*;

const COUNTRIES: [&str; 40] = [
    "NO", "SE", "DK", "FI", "DE", "GB", "FR", "ES", "IT", "NL", "BE", "PL", "PT", "IE", "AT", "CH",
    "CZ", "SK", "HU", "RO", "BG", "GR", "TR", "UA", "LT", "LV", "EE", "IS", "US", "CA", "MX", "BR",
    "AR", "IN", "PK", "BD", "NG", "KE", "ZA", "EG",
];

/// A mobile number of `country` ending in `n` (its metadata's example, last 4 digits
/// replaced): what a pumper's rented range looks like.
fn mobile(country: &str, n: usize) -> String {
    let meta = DATABASE.by_id(country).unwrap();
    let example = meta.descriptors().mobile().unwrap().example().unwrap();
    let keep = &example[..example.len() - 4];
    format!("+{}{keep}{:04}", meta.country_code(), n % 10_000)
}

fn config(mode: &str) -> String {
    let list: Vec<String> = COUNTRIES.iter().map(|c| format!("\"{c}\"")).collect();
    format!(
        "[sms]\nallowed_countries = [{}]\noutbox = \"{{dir}}/outbox.jsonl\"\n\
         [fraud]\nmode = \"{mode}\"\n[http]\nforwarded_proxies = [\"127.0.0.1/32\"]\n",
        list.join(", ")
    )
}

/// One attempt at the identifier step from `ip`: the step that answers.
async fn start(s: &Server, client_id: &str, ip: &str, number: &str) -> (Browser, Answer, Pending) {
    // A browser of its own, on one shared connection pool (thousands of clients are slow).
    static HTTP: std::sync::LazyLock<reqwest::Client> = std::sync::LazyLock::new(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    });
    let mut b = Browser {
        http: HTTP.clone(),
        ..Browser::new()
    };
    let xff = [("x-forwarded-for", ip)];
    let (url, _) = authorize_url(s, client_id, "");
    let a = b.get_with(&url, &xff).await;
    let page = format!("{}{}", s.base, a.location.unwrap());
    let a = b.get_with(&page, &xff).await;
    let p = Pending {
        action: format!("{}{}", s.base, form_action(&a.body)),
        csrf: attr(&a.body, "name=\"csrf\"", "value"),
        page,
        body: a.body,
    };
    let req = b
        .http
        .post(&p.action)
        .header("x-forwarded-for", ip)
        .form(&[("csrf", p.csrf.as_str()), ("identifier", number)]);
    let mut a = b.send(req).await;
    if let Some(l) = a.location.clone().filter(|l| l.starts_with('/')) {
        a = b.get_with(&format!("{}{l}", s.base), &xff).await;
    }
    (b, a, p)
}

/// An ordinary person: asks for a code, enters it, lands back at the service.
async fn sign_in(s: &Server, client_id: &str, ip: &str, number: &str) -> bool {
    let (mut b, a, _) = start(s, client_id, ip, number).await;
    if step(&a.body) != "code" {
        return false;
    }
    let code = s.last_code(number);
    let action = format!("{}{}", s.base, form_action(&a.body));
    let csrf = attr(&a.body, "name=\"csrf\"", "value");
    let req = b
        .http
        .post(&action)
        .header("x-forwarded-for", ip)
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str())]);
    let a = b.send(req).await;
    a.location
        .is_some_and(|l| l.starts_with(REDIRECT) && l.contains("code="))
}

struct Outcome {
    attack_sms: usize,
    attempts: usize,
    people_in: usize,
}

/// Runs `attempts` attack starts (IP `j % 50`, every address through every country) with a
/// person signing in after every `attempts / people` of them.
async fn simulate(s: &Server, attempts: usize, people: usize) -> Outcome {
    let client = s.client("");
    let client_id = client["client_id"].as_str().unwrap();
    let mut attack_numbers = BTreeSet::new();
    let mut people_in = 0;
    let every = attempts / people;
    for j in 0..attempts {
        let (ip, round) = (j % 50, j / 50);
        let country = COUNTRIES[(round + ip) % COUNTRIES.len()];
        let number = mobile(country, j);
        start(s, client_id, &format!("198.51.100.{}", ip + 1), &number).await;
        attack_numbers.insert(number);
        if j % every == every - 1 {
            let person = j / every;
            let ip = format!("203.0.{}.{}", person / 200, person % 200 + 1);
            if sign_in(s, client_id, &ip, &format!("+47980{person:05}")).await {
                people_in += 1;
            }
        }
    }
    let attack_sms = s
        .outbox()
        .iter()
        .filter(|m| attack_numbers.contains(m["to"].as_str().unwrap()))
        .count();
    Outcome {
        attack_sms,
        attempts,
        people_in,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn protect_mode_stops_a_pumping_attack_and_lets_people_in() {
    for country in COUNTRIES {
        let n = mobile(country, 1234);
        assert!(
            connectid_core::identifier::Identifier::parse(&n, Default::default()).is_ok(),
            "{n} is not a valid number"
        );
    }
    let s = Server::start_with(Backend::Sqlite, &config("protect")).await;
    let o = simulate(&s, 2000, 100).await;
    let share = o.attack_sms as f64 * 100.0 / o.attempts as f64;
    // The figure docs/security.md and the README report.
    println!(
        "pumping simulation (protect): {} of {} attack attempts got an SMS ({share:.1} %); {} of 100 people signed in",
        o.attack_sms, o.attempts, o.people_in
    );
    assert_eq!(o.people_in, 100, "every ordinary person signs in");
    assert!(share < 5.0, "{share:.1} % of the attack got through");
    let refused = s
        .state()
        .store
        .list_audit(&AuditQuery {
            kind: Some("sms_fraud_suspected".into()),
            limit: 100_000,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert!(refused.iter().all(|e| e.outcome == "refused"));
    assert!(refused.len() >= o.attempts - o.attack_sms - 100);
}

#[tokio::test(flavor = "multi_thread")]
async fn observe_mode_sends_but_audits_and_counts_every_decision() {
    for backend in backends() {
        let s = Server::start_with(backend, &config("observe")).await;
        let o = simulate(&s, 200, 10).await;
        assert_eq!(o.people_in, 10);
        assert_eq!(o.attack_sms, 200, "observe mode refuses nothing");
        let events = s
            .state()
            .store
            .list_audit(&AuditQuery {
                kind: Some("sms_fraud_suspected".into()),
                limit: 100_000,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        // At least every address's 4th country trips `countries_per_ip`: 50 decisions.
        assert!(events.len() >= 50, "{} decisions audited", events.len());
        assert!(events.iter().all(|e| e.outcome == "observed"));
        assert!(
            events
                .iter()
                .all(|e| e.detail.as_deref().unwrap().starts_with("rules "))
        );
        let metrics = reqwest::get(format!("{}/metrics", s.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let total = |action: &str| -> u64 {
            metrics
                .lines()
                .filter(|l| {
                    l.starts_with("connectid_sms_fraud_total")
                        && l.contains(&format!("action=\"{action}\""))
                })
                .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
                .sum()
        };
        assert_eq!(total("refused"), 0);
        // One audit event a decision; a decision may trip several rules.
        assert!(total("observed") >= events.len() as u64, "{metrics}");
    }
}
