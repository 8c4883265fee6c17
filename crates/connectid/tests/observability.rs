//! The observability files in `deploy/` hold what they promise: the Grafana dashboard queries
//! only metrics and labels that a live server exports at `/metrics`, its queries parse as
//! PromQL, and the Prometheus alert rules pass `promtool check rules`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use support::*;

const DASHBOARD: &str = "deploy/grafana/connectid-dashboard.json";
const ALERTS: &str = "deploy/prometheus/connectid-alerts.yml";

/// Labels Prometheus adds to every series it scrapes: never in the exposition itself.
const TARGET_LABELS: [&str; 2] = ["job", "instance"];

/// Words that stand where a metric name could but are none: operators and keywords.
const KEYWORDS: &str = "and or unless bool offset by without on ignoring group_left group_right \
     inf nan sum min max avg count group stddev stdvar topk bottomk quantile count_values \
     limitk limit_ratio";

/// Keywords followed by a list of label names in parentheses.
const GROUPING: &str = "by without on ignoring group_left group_right";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn dashboard() -> Value {
    let text = std::fs::read_to_string(repo(DASHBOARD)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{DASHBOARD} is not JSON: {e}"))
}

fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// The index just past the string literal that opens at `c[start]`.
fn past_string(c: &[char], start: usize) -> usize {
    let quote = c[start];
    let mut i = start + 1;
    while i < c.len() && c[i] != quote {
        i += if quote != '`' && c[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

/// The metric names and the label names a PromQL expression uses. Strings (label values),
/// ranges (`[5m]`), numbers, functions, operators and keywords are none of them; a name in
/// `{…}` before `=`, `!=`, `=~` or `!~` is a label, and so is each of a `by (…)` list.
fn names_in(expr: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let c: Vec<char> = expr.chars().collect();
    let (mut metrics, mut labels) = (BTreeSet::new(), BTreeSet::new());
    let (mut braces, mut brackets) = (0usize, 0usize);
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if matches!(ch, '"' | '\'' | '`') {
            i = past_string(&c, i);
            continue;
        }
        if ch.is_ascii_digit() || (ch == '.' && c.get(i + 1).is_some_and(char::is_ascii_digit)) {
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '.' || c[i] == '_') {
                i += 1;
            }
            continue;
        }
        if !is_name(ch) {
            match ch {
                '{' => braces += 1,
                '}' => braces = braces.saturating_sub(1),
                '[' => brackets += 1,
                ']' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < c.len() && is_name(c[i]) {
            i += 1;
        }
        let word: String = c[start..i].iter().collect();
        let next = c[i..]
            .iter()
            .position(|x| !x.is_whitespace())
            .map(|p| i + p);
        let next_char = next.map(|n| c[n]);
        if brackets > 0 {
            continue;
        }
        if braces > 0 {
            if matches!(next_char, Some('=' | '!')) {
                labels.insert(word);
            }
            continue;
        }
        if GROUPING.split_whitespace().any(|k| k == word)
            && next_char == Some('(')
            && let Some(open) = next
        {
            let close = open + c[open..].iter().position(|x| *x == ')').unwrap();
            let list: String = c[open + 1..close].iter().collect();
            labels.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            );
            i = close + 1;
            continue;
        }
        if next_char == Some('(') || KEYWORDS.split_whitespace().any(|k| k == word) {
            continue;
        }
        metrics.insert(word);
    }
    (metrics, labels)
}

/// The family a series belongs to: a histogram's series are typed under its own name.
fn family(name: &str) -> &str {
    ["_bucket", "_sum", "_count"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name)
}

/// The label names of one sample line's `{…}`.
fn sample_labels(inside: &str) -> Vec<String> {
    let c: Vec<char> = inside.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let start = i;
        while i < c.len() && c[i] != '=' {
            i += 1;
        }
        out.push(c[start..i].iter().collect::<String>().trim().to_string());
        // `="value"` with escapes, then an optional comma.
        i = past_string(&c, i + 1);
        while i < c.len() && (c[i] == ',' || c[i].is_whitespace()) {
            i += 1;
        }
    }
    out
}

/// The families `/metrics` types (`# TYPE` lines), each with the label names its samples have.
fn exported(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut families: BTreeMap<String, BTreeSet<String>> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split_whitespace().next())
        .map(|name| (name.to_string(), BTreeSet::new()))
        .collect();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let end = line.find(['{', ' ']).unwrap_or(line.len());
        let name = &line[..end];
        let labels = match (line[end..].strip_prefix('{'), line.rfind('}')) {
            (Some(_), Some(close)) => sample_labels(&line[end + 1..close]),
            _ => Vec::new(),
        };
        let fam = if families.contains_key(name) {
            name
        } else {
            family(name)
        };
        families
            .get_mut(fam)
            .unwrap_or_else(|| panic!("{name} has no # TYPE line"))
            .extend(labels);
    }
    families
}

/// Checks that `expr` names only exported families, and labels those families have.
fn check_expr(
    what: &str,
    expr: &str,
    families: &BTreeMap<String, BTreeSet<String>>,
    used: &mut BTreeSet<String>,
) {
    let (metrics, labels) = names_in(&as_promql(expr));
    assert!(!metrics.is_empty(), "{what}: no metric in {expr}");
    let mut known: BTreeSet<&str> = TARGET_LABELS.into_iter().collect();
    for m in &metrics {
        let fam = family(m);
        let have = families
            .get(fam)
            .unwrap_or_else(|| panic!("{what}: {m} is not exported (in {expr})"));
        known.extend(have.iter().map(String::as_str));
        used.insert(fam.to_string());
    }
    for l in &labels {
        assert!(
            known.contains(l.as_str()),
            "{what}: label {l} is on none of {metrics:?} (in {expr}); they have {known:?}"
        );
    }
}

#[test]
fn the_expression_reader_tells_metrics_from_labels() {
    let (m, l) = names_in(
        "histogram_quantile(0.99, sum by (le, route) (rate(a_bucket{job=~\".*\", \
         x!=\"b{c}\"}[5m]))) / on(instance) group_left max(b) > 1e3 \
         and time() - c offset 5m",
    );
    assert_eq!(m, BTreeSet::from(["a_bucket", "b", "c"].map(String::from)));
    assert_eq!(
        l,
        BTreeSet::from(["instance", "job", "le", "route", "x"].map(String::from))
    );
    assert_eq!(
        sample_labels("a=\"x,\\\"y\",le=\"+Inf\""),
        ["a", "le"].map(String::from)
    );
}

/// Every panel has a title and a query; every query and every variable's `label_values`
/// names metrics and labels the server exports; every family the server exports is shown.
#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_only_what_the_server_exports() {
    let d = dashboard();
    let panels = d["panels"].as_array().expect("panels");
    assert!(!panels.is_empty());

    // Some traffic, so that every family has the labels its samples carry: requests, a
    // sign-in's funnel steps to a code, and the SMS delivered (to the outbox file).
    let s = Server::start().await;
    let client = s.client("");
    let discovery = reqwest::get(format!("{}/.well-known/openid-configuration", s.base))
        .await
        .unwrap();
    assert_eq!(discovery.status(), 200);
    let mut b = Browser::new();
    code_page(
        &s,
        &mut b,
        client["client_id"].as_str().unwrap(),
        "+4790000101",
    )
    .await;
    let text = s.metrics().await;
    let families = exported(&text);

    let mut used = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for p in panels {
        let title = p["title"].as_str().unwrap_or("");
        assert!(!title.trim().is_empty(), "a panel without a title: {p}");
        assert!(
            ids.insert(p["id"].as_i64().unwrap()),
            "{title}: its id is taken"
        );
        let targets = p["targets"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        assert!(!targets.is_empty(), "{title}: no query");
        for t in targets {
            let expr = t["expr"].as_str().unwrap_or("");
            assert!(!expr.trim().is_empty(), "{title}: a query without expr");
            check_expr(title, expr, &families, &mut used);
        }
    }
    for v in d["templating"]["list"].as_array().expect("templating") {
        if v["type"] != "query" {
            continue;
        }
        let q = v["query"]["query"]
            .as_str()
            .or(v["query"].as_str())
            .unwrap();
        let (selector, label) = q
            .strip_prefix("label_values(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|r| r.rsplit_once(','))
            .unwrap_or_else(|| panic!("variable {}: {q}", v["name"]));
        check_expr(
            &format!("variable {}", v["name"]),
            &format!("sum by ({}) ({selector})", label.trim()),
            &families,
            &mut used,
        );
    }
    let unshown: Vec<&String> = families.keys().filter(|f| !used.contains(*f)).collect();
    assert!(
        unshown.is_empty(),
        "exported but on no panel of {DASHBOARD}: {unshown:?}"
    );
}

/// `promtool check rules FILE`; `None` where promtool is not installed, which fails in CI
/// (it installs Debian's `prometheus` package).
fn promtool_check_rules(file: &Path) -> Option<Output> {
    match Command::new("promtool")
        .args(["check", "rules"])
        .arg(file)
        .output()
    {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            skipped(&format!(
                "promtool checks: promtool not installed (Debian package prometheus): {e}"
            ));
            None
        }
        Err(e) => panic!("promtool did not run: {e}"),
    }
}

fn assert_passed(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "promtool check rules refuses {what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_alert_rules_pass_promtool() {
    if let Some(out) = promtool_check_rules(&repo(ALERTS)) {
        assert_passed(&out, ALERTS);
    }
}

/// A Grafana query as Prometheus would get it: the interval variables as durations, the
/// others (`$job`, `$client`) as the regex "All" gives.
fn as_promql(expr: &str) -> String {
    let expr = expr
        .replace("$__rate_interval", "5m")
        .replace("$__interval", "1m")
        .replace("$__range", "6h");
    let mut out = String::new();
    let mut rest = expr.as_str();
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let len = match tail.strip_prefix('{') {
            Some(t) => t.find('}').map_or(tail.len(), |n| n + 2),
            None => tail.find(|c: char| !is_name(c)).unwrap_or(tail.len()),
        };
        out.push_str(".*");
        rest = &tail[len..];
    }
    out + rest
}

/// The dashboard's queries, as recording rules, pass promtool: they parse as PromQL.
#[test]
fn the_dashboard_queries_parse_as_promql() {
    let mut rules = Vec::new();
    for p in dashboard()["panels"].as_array().expect("panels") {
        for t in p["targets"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let record = format!(
                "dashboard:panel_{}:{}",
                p["id"],
                t["refId"].as_str().unwrap()
            );
            let expr = as_promql(t["expr"].as_str().unwrap_or(""));
            rules.push(serde_json::json!({"record": record, "expr": expr}));
        }
    }
    assert_eq!(
        as_promql("rate(a{b=~\"$job\",c=\"${client}\"}[$__rate_interval])"),
        "rate(a{b=~\".*\",c=\".*\"}[5m])"
    );
    // JSON is YAML: promtool reads it as a rules file.
    let file = std::env::temp_dir().join(format!(
        "connectid-dashboard-{}.rules.yml",
        connectid_core::crypto::random_id()
    ));
    let groups = serde_json::json!({"groups": [{"name": "dashboard", "rules": rules}]});
    std::fs::write(&file, groups.to_string()).unwrap();
    let out = promtool_check_rules(&file);
    let _ = std::fs::remove_file(&file);
    if let Some(out) = out {
        assert_passed(&out, DASHBOARD);
    }
}
