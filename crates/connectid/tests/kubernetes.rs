//! `deploy/kubernetes` (issue 19): the files parse and are all applied, containers are
//! non-root, read-only, unprivileged and pinned, secrets are only referenced, the base fits the
//! server. A patch may leave a setting out but not weaken it; `kubectl kustomize` output is whole.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};
use support::skipped;

const OVERLAYS: [&str; 2] = ["sqlite-single-node", "postgres-redis"];
/// A stop takes the preStop sleep, `[http] shutdown_grace`, then this (`DELIVERY_DRAIN`).
const DELIVERY_DRAIN_SECS: i64 = 10;
/// A name (of an env variable or a config key) with one of these holds a secret.
const SECRET_WORDS: [&str; 4] = ["PASSWORD", "SECRET", "TOKEN", "KEY"];
const SECRET_NAME: &str = "connectid-secrets";
const CONTAINER: &str = "/spec/template/spec/containers/0";
static NULL: Value = Value::Null;

/// One YAML document and its file; `patch` when a kustomization names the file under
/// `patches` (it then holds only what it changes).
struct Manifest {
    file: String,
    patch: bool,
    doc: Value,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/kubernetes")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every `.yaml` / `.yml` file under `d`, sorted.
fn yaml_files(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()) {
        if p.is_dir() {
            out.extend(yaml_files(&p));
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The documents of a YAML text, one or several (`---`), empty ones left out.
fn documents(text: &str, what: &str) -> Vec<Value> {
    let parse = |d| Value::deserialize(d).unwrap_or_else(|e| panic!("{what}: {e}"));
    let docs = serde_yaml::Deserializer::from_str(text).map(parse);
    docs.filter(|v| !v.is_null()).collect()
}

/// What the kustomizations name, as (canonical path, named as a patch). Each must exist, and
/// a directory among them must hold a kustomization.yaml.
fn references() -> Vec<(PathBuf, bool)> {
    let mut named = Vec::new();
    let files = yaml_files(&dir());
    for k in files.iter().filter(|p| p.ends_with("kustomization.yaml")) {
        let docs = documents(&read(k), &k.display().to_string());
        for list in ["resources", "patches", "patchesStrategicMerge"] {
            let entries = docs[0][list].as_array().into_iter().flatten();
            // An inline `patch:` names no file.
            for rel in entries.filter_map(|e| e.as_str().or(e["path"].as_str())) {
                let path = k.parent().unwrap().join(rel);
                let what = format!("{}: {list} `{rel}`", k.display());
                assert!(path.exists(), "{what} does not exist");
                let kustomized = path.join("kustomization.yaml").is_file();
                assert!(!path.is_dir() || kustomized, "{what}: no kustomization");
                named.push((path.canonicalize().unwrap(), list.starts_with("patches")));
            }
        }
    }
    named
}

fn manifest(file: &str, patch: bool, doc: Value) -> Manifest {
    let file = file.to_string();
    Manifest { file, patch, doc }
}

/// Every document of every YAML file under deploy/kubernetes.
fn manifests() -> Vec<Manifest> {
    let named = references();
    let mut out = Vec::new();
    for p in yaml_files(&dir()) {
        let file = p.strip_prefix(dir()).unwrap().display().to_string();
        let patch = named.contains(&(p.canonicalize().unwrap(), true));
        for doc in documents(&read(&p), &file) {
            out.push(manifest(&file, patch, doc));
        }
    }
    out
}

/// The containers of a workload (Deployment, Job, StatefulSet …), each with its pod spec.
fn containers(doc: &Value) -> Vec<(&Value, &Value)> {
    let pod = doc.pointer("/spec/template/spec").unwrap_or(&NULL);
    let lists = ["initContainers", "containers"].map(|k| pod[k].as_array());
    let all = lists.into_iter().flatten().flatten();
    all.map(|c| (pod, c)).collect()
}

/// A pinned image: a version tag (`1.2.3`, `v1.2`, `1.2.3-rc.1`) or `@sha256:` and a digest.
fn pinned(image: &str) -> bool {
    if let Some((_, digest)) = image.split_once("@sha256:") {
        return digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let last = image.rsplit_once('/').map_or(image, |(_, last)| last);
    let tag = last.split_once(':').map_or("", |(_, tag)| tag);
    let core = tag.trim_start_matches('v').split(['-', '+']).next();
    let number = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    core.is_some_and(|v| v.contains('.') && v.split('.').all(number))
}

/// Whether a value carries credentials: a URL with a password, or a `password=` parameter.
fn has_credentials(v: &str) -> bool {
    let userinfo = v.split_once("://").and_then(|(_, rest)| {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        authority.rsplit_once('@').map(|(user, _)| user)
    });
    let query = v.to_ascii_lowercase().contains("password=");
    userinfo.is_some_and(|u| u.contains(':')) || query
}

fn secret_word(name: &str) -> bool {
    SECRET_WORDS.iter().any(|w| name.to_uppercase().contains(w))
}

/// A setting must be `good`; when not `required` (a patch), it may also be left out (null).
fn want(p: &mut Vec<String>, at: &str, got: Option<&Value>, good: &Value, required: bool) {
    if !got.map_or(!required, |v| v == good) {
        p.push(format!("{at} must be {good}, is {}", got.unwrap_or(&NULL)));
    }
}

/// What is wrong with the containers among `docs` (security, images, secrets); the keys of
/// the Secret they read go to `keys`.
fn problems(docs: &[Manifest], keys: &mut BTreeSet<String>) -> Vec<String> {
    let mut p = Vec::new();
    for m in docs {
        let at = format!("{}: {}", m.file, m.doc["kind"]);
        let values = m.doc.get("data").is_some() || m.doc.get("stringData").is_some();
        if m.doc["kind"] == "Secret" && values {
            p.push(format!("{at} has values: create it with kubectl"));
        }
        for (pod, c) in containers(&m.doc) {
            let (whole, at) = (!m.patch, format!("{at} {}:", c["name"]));
            let own = |k: &str| c["securityContext"].get(k);
            // The container's setting wins over the pod's.
            let any = |k: &str| own(k).or(pod["securityContext"].get(k));
            let seccomp = json!({"type": "RuntimeDefault"});
            // (setting, only the container's own counts, wanted, required in a whole manifest)
            for (key, only_own, good, required) in [
                ("runAsNonRoot", false, json!(true), whole),
                ("runAsUser", false, json!(65532), whole),
                ("seccompProfile", false, seccomp, whole),
                ("readOnlyRootFilesystem", true, json!(true), whole),
                ("allowPrivilegeEscalation", true, json!(false), whole),
                ("privileged", true, json!(false), false),
                ("capabilities", true, json!({"drop": ["ALL"]}), whole),
            ] {
                let got = if only_own { own(key) } else { any(key) };
                want(&mut p, &format!("{at} {key}"), got, &good, required);
            }
            match c["image"].as_str() {
                Some(image) if !pinned(image) => p.push(format!("{at} {image} unpinned")),
                None if whole => p.push(format!("{at} no image")),
                _ => {}
            }
            for e in c["env"].as_array().into_iter().flatten() {
                let at = format!("{at} env {}", e["name"]);
                if e["value"].as_str().is_some_and(has_credentials) {
                    p.push(format!("{at} has credentials in its value"));
                }
                let secret = secret_word(e["name"].as_str().unwrap_or(""));
                match e.pointer("/valueFrom/secretKeyRef") {
                    Some(r) if r["name"] == SECRET_NAME => {
                        keys.insert(r["key"].as_str().unwrap_or("?").into());
                    }
                    Some(r) => p.push(format!("{at} reads {}", r["name"])),
                    None if secret => p.push(format!("{at} must use secretKeyRef")),
                    None => {}
                }
            }
        }
    }
    p
}

/// Every container in `docs` is safe and reads only Secret keys the example documents.
fn check_containers(docs: &[Manifest], what: &str) {
    let mut keys = BTreeSet::new();
    let problems = problems(docs, &mut keys).join("\n");
    assert!(problems.is_empty(), "{what}:\n{problems}");
    let example = read(&dir().join("secret.example.env"));
    let lines = example.lines().filter(|l| !l.starts_with('#'));
    let documented: Vec<_> = lines.filter_map(|l| Some(l.split_once('=')?.0)).collect();
    let missing = |k: &&String| !documented.contains(&k.as_str());
    let missing: Vec<_> = keys.iter().filter(missing).collect();
    assert!(missing.is_empty(), "{what}: {missing:?} undocumented");
}

fn one<'a>(docs: &'a [Manifest], kind: &str) -> &'a Value {
    let found: Vec<_> = docs.iter().filter(|m| m.doc["kind"] == kind).collect();
    assert_eq!(found.len(), 1, "want one {kind}, have {}", found.len());
    &found[0].doc
}

fn env_of<'a>(c: &'a Value, name: &str) -> &'a Value {
    let mut env = c["env"].as_array().into_iter().flatten();
    env.find(|e| e["name"] == name).unwrap_or(&NULL)
}

/// Every label of `selector` is on `labels`, and there is at least one.
fn selects(selector: &Value, labels: &Value) -> bool {
    let on = |(k, v): (&String, &Value)| labels.get(k) == Some(v);
    let s = selector.as_object();
    s.is_some_and(|s| !s.is_empty() && s.iter().all(on))
}

/// The `connectid.toml` of the ConfigMaps in `docs`, parsed.
fn configs(docs: &[Manifest]) -> Vec<(String, toml::Value)> {
    let maps = docs.iter().filter(|m| m.doc["kind"] == "ConfigMap");
    let text = |m: &Manifest| m.doc["data"]["connectid.toml"].as_str().map(str::to_string);
    let parse = |(f, t): (&String, String)| match toml::from_str::<toml::Value>(&t) {
        Ok(v) => (f.clone(), v),
        Err(e) => panic!("{f}: connectid.toml is not TOML: {e}"),
    };
    let texts = maps.filter_map(|m| Some((&m.file, text(m)?)));
    texts.map(parse).collect()
}

#[test]
fn every_file_parses_and_every_kustomization_names_files_that_exist() {
    let named = references();
    for p in yaml_files(&dir()) {
        let what = p.display().to_string();
        assert!(!documents(&read(&p), &what).is_empty(), "{what}: empty");
        let named = named.iter().any(|(n, _)| *n == p.canonicalize().unwrap());
        let kustomization = p.ends_with("kustomization.yaml");
        assert!(kustomization || named, "nothing applies {what}");
    }
}

#[test]
fn every_container_runs_as_non_root_read_only_unprivileged_from_a_pinned_image() {
    // The base test makes sure the Deployment and the Job are among them.
    check_containers(&manifests(), "deploy/kubernetes");
}

#[test]
fn the_base_has_every_kind_and_a_deployment_that_fits_the_server() {
    let base = |m: &Manifest| m.file.starts_with("base");
    let base: Vec<_> = manifests().into_iter().filter(base).collect();
    // `one` and `configs` fail when the base lacks one of its seven kinds.
    let (deployment, job) = (one(&base, "Deployment"), one(&base, "Job"));
    let (hpa, service) = (one(&base, "HorizontalPodAutoscaler"), one(&base, "Service"));
    let c = deployment.pointer(CONTAINER).unwrap();
    let j = job.pointer(CONTAINER).unwrap();
    let (_, config) = configs(&base).pop().expect("no connectid.toml");
    let listen = config.get("listen").and_then(toml::Value::as_str);
    let (host, port) = listen.unwrap().rsplit_once(':').unwrap();
    let port: i64 = port.parse().unwrap();
    let mut p = Vec::new();
    // The probes and the Service reach the port connectid listens on, named `http`.
    for (doc, pointer, good) in [
        (c, "/readinessProbe/httpGet/path", json!("/readyz")),
        (c, "/livenessProbe/httpGet/path", json!("/healthz")),
        (c, "/readinessProbe/httpGet/port", json!("http")),
        (c, "/livenessProbe/httpGet/port", json!("http")),
        (c, "/ports/0/name", json!("http")),
        (c, "/ports/0/containerPort", json!(port)),
        (service, "/spec/ports/0/targetPort", json!("http")),
        (c, "/args/2", json!("serve")),
        (j, "/args/2", json!("migrate")),
        (hpa, "/apiVersion", json!("autoscaling/v2")),
        (hpa, "/spec/metrics/0/resource/name", json!("cpu")),
    ] {
        want(&mut p, pointer, doc.pointer(pointer), &good, true);
    }
    for r in ["requests/cpu", "requests/memory", "limits/memory"] {
        if c.pointer(&format!("/resources/{r}")).is_none() {
            p.push(format!("the Deployment's resources.{r} is unset"));
        }
    }
    assert!(p.is_empty(), "{}", p.join("\n"));
    let loopback = ["127.0.0.1", "localhost", "[::1]"].contains(&host);
    assert!(!loopback, "listen: {host} is unreachable from outside");
    let release = format!(":{}", env!("CARGO_PKG_VERSION"));
    let image = c["image"].as_str().unwrap();
    assert!(image.ends_with(&release), "{image}: not this release");
    let grace = config.get("http").and_then(|h| h.get("shutdown_grace"));
    let grace = grace.and_then(toml::Value::as_integer).unwrap_or(10) + DELIVERY_DRAIN_SECS;
    let sleep = &c["lifecycle"]["preStop"]["sleep"]["seconds"];
    let need = grace + sleep.as_i64().unwrap_or(0);
    let period = deployment.pointer("/spec/template/spec/terminationGracePeriodSeconds");
    let period = period.and_then(Value::as_i64).unwrap_or(30);
    assert!(period > need, "the grace period {period} <= {need}");
    let server = &deployment["spec"]["template"]["metadata"]["labels"];
    let migrate = &job["spec"]["template"]["metadata"]["labels"];
    let pdb = &one(&base, "PodDisruptionBudget")["spec"]["selector"];
    let np = &one(&base, "NetworkPolicy")["spec"]["podSelector"];
    for (what, selector, labels) in [
        ("Service", &service["spec"]["selector"], server),
        ("PodDisruptionBudget", &pdb["matchLabels"], server),
        ("NetworkPolicy", &np["matchLabels"], server),
        ("NetworkPolicy", &np["matchLabels"], migrate),
    ] {
        assert!(selects(selector, labels), "the {what} misses {labels}");
    }
}

#[test]
fn the_configmap_is_a_config_connectid_reads_without_secrets() {
    let example = read(&dir().join("../../config/example.toml"));
    let example: toml::Value = toml::from_str(&example).unwrap();
    let found = configs(&manifests());
    assert!(!found.is_empty(), "no ConfigMap holds a connectid.toml");
    for (file, config) in found {
        let top = config.as_table().unwrap();
        let sections = top
            .iter()
            .filter_map(|(s, v)| Some((&s[..], v.as_table()?)));
        for (section, table) in std::iter::once(("", top)).chain(sections) {
            // The top level is looked up in the whole example, a section in its own.
            let known = example.get(section).unwrap_or(&example);
            for (key, value) in table {
                let at = format!("{file}: [{section}] {key}");
                assert!(known.get(key).is_some(), "{at}: not in example.toml");
                // Tokens, keys and passwords in URLs come from the Secret, never from here.
                let text = value.as_str().unwrap_or("");
                let secret = (secret_word(key) && !text.is_empty()) || has_credentials(text);
                assert!(!secret, "{at} is a secret: give it from the Secret");
            }
        }
    }
}

#[test]
fn kubectl_kustomize_renders_each_overlay_into_what_holds() {
    let path = std::env::var_os("PATH");
    let mut found = path.iter().flat_map(std::env::split_paths);
    let Some(bin) = found.find(|d| d.join("kubectl").is_file()) else {
        skipped("kubectl kustomize of the overlays: kubectl not installed");
        return;
    };
    for o in OVERLAYS {
        let what = format!("kubectl kustomize overlays/{o}");
        let mut kubectl = std::process::Command::new(bin.join("kubectl"));
        let run = kubectl.arg("kustomize").arg(dir().join("overlays").join(o));
        let out = run.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {stderr}");
        let docs = documents(&String::from_utf8(out.stdout).unwrap(), &what);
        let rendered = |doc| manifest(&what, false, doc);
        let docs: Vec<_> = docs.into_iter().map(rendered).collect();
        check_containers(&docs, &what);
        let deployment = one(&docs, "Deployment");
        let c = deployment.pointer(CONTAINER).unwrap();
        // Several PostgreSQL nodes scale, drain one at a time and migrate by a Job; the one
        // SQLite pod (one writer) has none of these, and is replaced by Recreate.
        let pg = o == "postgres-redis";
        for kind in ["HorizontalPodAutoscaler", "PodDisruptionBudget", "Job"] {
            let has = docs.iter().any(|m| m.doc["kind"] == kind);
            assert_eq!(has, pg, "{what}: a {kind} or not");
        }
        let (replicas, strategy) = [(1, "Recreate"), (3, "RollingUpdate")][usize::from(pg)];
        assert_eq!(deployment["spec"]["replicas"], replicas, "{what}");
        assert_eq!(deployment["spec"]["strategy"]["type"], strategy, "{what}");
        let secret = |c: &Value, name| !env_of(c, name)["valueFrom"]["secretKeyRef"].is_null();
        if pg {
            let job = one(&docs, "Job").pointer(CONTAINER).unwrap();
            let (db, redis) = ("CONNECTID_DATABASE_URL", "CONNECTID_REDIS_URL");
            for (c, name) in [(c, db), (c, redis), (job, db)] {
                assert!(secret(c, name), "{what}: {name} is not from the Secret");
            }
            continue;
        }
        let url = env_of(c, "CONNECTID_DATABASE_URL")["value"].as_str();
        let db = url.and_then(|u| u.strip_prefix("sqlite://"));
        let db = db.unwrap_or_else(|| panic!("{what}: database {url:?}"));
        // The file lies under a mount of a PersistentVolumeClaim's volume.
        let volumes = deployment["spec"]["template"]["spec"]["volumes"].as_array();
        let claimed = |v: &&Value| v.get("persistentVolumeClaim").is_some();
        let claims = volumes.into_iter().flatten().filter(claimed);
        let claims: Vec<_> = claims.map(|v| &v["name"]).collect();
        let mounts = c["volumeMounts"].as_array().unwrap().iter();
        let mut mounts = mounts.filter(|m| claims.contains(&&m["name"]));
        let under = |m: &Value| format!("{}/", m["mountPath"].as_str().unwrap());
        let stored = mounts.any(|m| db.starts_with(&under(m)));
        assert!(stored, "{what}: the database {db} is not on a claim");
    }
}
