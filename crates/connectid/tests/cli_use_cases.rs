//! The command line runs the same use cases as the pages and the admin API (issue 13): what
//! `connectid accounts delete` does must be what "Delete account" in My account does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connectid_core::crypto::random_id;
use serde_json::Value;
use support::*;

/// The CLI blocks its worker while it runs; the receiver answers on the other one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_accounts_delete_tells_the_services_and_is_audited() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let mut tokens = Receiver::start().await;
        let bc = tokens.uri("bc");
        let shop = s.client(&format!(r#","sso":true,"backchannel_logout_uri":"{bc}""#));
        let email = format!("d{}@example.com", random_id());
        let sub = s.account(&email);
        let mut b = Browser::new();
        let (url, flow) = authorize_url(&s, shop["client_id"].as_str().unwrap(), "");
        let landed = sign_in_with_password(&s, &mut b, &url, &email).await;
        let issued = exchange(&s, &shop, &query(&landed)["code"], &flow.verifier).await;
        let sid = decode(issued["id_token"].as_str().unwrap()).1["sid"].clone();

        let (code, out, err) = s.cli(&["accounts", "delete", &sub], "");
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&sub), "{out}");

        // The service got a logout token for the session, signed by the issuer.
        let token = tokens
            .next_within(
                std::time::Duration::from_secs(10),
                "no back-channel logout token",
            )
            .await
            .1;
        let (header, claims) = decode(&token);
        assert_eq!(header["typ"], "logout+jwt");
        assert_eq!(claims["sub"], sub.as_str());
        assert_eq!(claims["sid"], sid);
        assert_eq!(claims["iss"], s.base.as_str());
        // The audit log says who did it.
        let (code, out, _) = s.cli(&["audit", "--kind", "account_deleted"], "");
        assert_eq!(code, 0);
        let ev: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(ev["account"], sub.as_str());
        assert!(
            ev["detail"].as_str().unwrap().contains("command line"),
            "{ev}"
        );
        // Its tokens are dead, and the account is gone; deleting again says so (exit 2).
        let r = reqwest::Client::new()
            .get(format!("{}/userinfo", s.base))
            .bearer_auth(issued["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let (code, _, err) = s.cli(&["accounts", "delete", &sub], "");
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("no account"), "{err}");
    }
}

/// Every secret the config can hold, none of which may be shown (issue 13, item 5).
const SECRETS: &[&str] = &[
    "AdminTokenValue0123456789",
    "MetricsTokenValue0123456",
    "WebhookSecretValue012345",
    "SmtpPassw0rdValue",
    "EncryptionKeyValue0123456789",
    "SuperSecretDbPass",
    "RedisPassw0rdValue",
    "ClientSecretValue0123456789abcdefghij",
];

fn leaked(text: &str) -> Vec<&'static str> {
    SECRETS
        .iter()
        .copied()
        .filter(|s| text.contains(s))
        .collect()
}

#[tokio::test]
async fn no_secret_of_the_config_is_ever_shown() {
    let s = Server::start().await;
    let dir = s.dir.join("secrets");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("connectid.toml");
    let with_database = |database_url: &str, redis_url: &str| {
        format!(
            "listen = \"127.0.0.1:0\"\ndatabase_url = \"{database_url}\"\nredis_url = \"{redis_url}\"\n\
             [admin]\ntoken = \"{}\"\n[metrics]\ntoken = \"{}\"\n\
             [sms]\nprovider = \"webhook\"\nwebhook_url = \"http://127.0.0.1:9/sms\"\nwebhook_secret = \"{}\"\n\
             [email]\nprovider = \"smtp\"\nsmtp_url = \"smtps://mailer:{}@127.0.0.1:9\"\nfrom = \"CONNECT ID <id@example.com>\"\n\
             [keys]\nencryption_key = \"{}\"\n\
             [[clients]]\nclient_id = \"shop\"\nclient_secret = \"{}\"\nredirect_uris = [\"https://shop.example/cb\"]\n",
            SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3], SECRETS[4], SECRETS[7]
        )
    };
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let out = std::process::Command::new(BIN)
            .arg("--config")
            .arg(&config)
            .args(args)
            .envs(env.iter().copied())
            .env("RUST_LOG", "debug")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let unreachable = with_database(
        &format!("postgres://connectid:{}@127.0.0.1:9/connectid", SECRETS[5]),
        &format!("redis://:{}@127.0.0.1:9", SECRETS[6]),
    );
    std::fs::write(&config, &unreachable).unwrap();

    // `connectid config` shows every setting, no secret.
    let (code, out) = run(&["config"], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("postgres://connectid:********@127.0.0.1:9"),
        "{out}"
    );
    assert_eq!(leaked(&out), Vec::<&str>::new(), "{out}");
    // The same through the environment.
    let (code, out) = run(
        &["config"],
        &[(
            "CONNECTID_DATABASE_URL",
            &format!("postgres://u:{}@h/d", SECRETS[5]),
        )],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(leaked(&out), Vec::<&str>::new(), "{out}");

    // Errors: a database that cannot be reached, at debug level.
    let (code, out) = run(&["migrate"], &[]);
    assert_ne!(code, 0, "{out}");
    assert_eq!(leaked(&out), Vec::<&str>::new(), "{out}");

    // A server that starts (SQLite, no Redis) and is used, at debug level.
    let sqlite = format!("sqlite://{}", dir.join("c.db").display());
    std::fs::write(&config, with_database(&sqlite, "")).unwrap();
    let log_path = dir.join("serve.log");
    let logs = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let serve = |port: u16| {
        let log = std::fs::File::create(&log_path).unwrap();
        let mut c = std::process::Command::new(BIN);
        c.arg("--config")
            .arg(&config)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "debug")
            .env("NO_COLOR", "1")
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        c
    };
    let Some((mut child, port)) = spawn_serving(serve, SECRETS[0], &log_path).await else {
        panic!("the server did not start: {}", logs());
    };
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{base}/admin/clients"))
        .bearer_auth(SECRETS[0])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    let r = http
        .get(format!("{base}/metrics"))
        .bearer_auth(SECRETS[1])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(leaked(&body), Vec::<&str>::new(), "{body}");
    let logs = logs();
    assert!(logs.contains("DEBUG"), "not at debug level: {logs}");
    assert_eq!(leaked(&logs), Vec::<&str>::new(), "{logs}");
}

/// The status `/token` gives this client id and secret: 401 when the secret is refused, 400
/// (`invalid_grant`, the code is made up) when it is accepted.
async fn token_status(s: &Server, id: &str, secret: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/token", s.base))
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", "made-up"),
            ("redirect_uri", REDIRECT),
            ("code_verifier", "x".repeat(43).as_str()),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_secret_is_rotated_once_for_the_cli_and_the_admin_api() {
    for backend in backends() {
        let s = Server::start_on(backend).await;
        let c = s.client("");
        let id = c["client_id"].as_str().unwrap();
        let first = c["client_secret"].as_str().unwrap().to_string();
        assert_eq!(token_status(&s, id, &first).await, 400);

        let (code, out, err) = s.cli(&["clients", "rotate-secret", id], "");
        assert_eq!(code, 0, "{err}");
        let second = serde_json::from_str::<Value>(&out).unwrap()["client_secret"]
            .as_str()
            .unwrap()
            .to_string();
        assert_ne!(second, first);
        assert_eq!(token_status(&s, id, &first).await, 401);
        assert_eq!(token_status(&s, id, &second).await, 400);

        let r = reqwest::Client::new()
            .post(format!("{}/admin/clients/{id}/secret", s.base))
            .bearer_auth(&s.admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let third = r.json::<Value>().await.unwrap()["client_secret"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(token_status(&s, id, &second).await, 401);
        assert_eq!(token_status(&s, id, &third).await, 400);

        // Refused, changing nothing: without the admin token, for a client with no secret,
        // for the account pages' own client, for an unknown one.
        let r = reqwest::Client::new()
            .post(format!("{}/admin/clients/{id}/secret", s.base))
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let public =
            s.client(r#","application_type":"native","token_endpoint_auth_method":"none""#);
        let public_id = public["client_id"].as_str().unwrap();
        let (code, _, err) = s.cli(&["clients", "rotate-secret", public_id], "");
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("does not authenticate with a client_secret"),
            "{err}"
        );
        let r = reqwest::Client::new()
            .post(format!("{}/admin/clients/{public_id}/secret", s.base))
            .bearer_auth(&s.admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(
            r.json::<Value>().await.unwrap()["error"],
            "invalid_client_metadata"
        );
        let (code, _, _) = s.cli(&["clients", "rotate-secret", "connectid-account"], "");
        assert_eq!(code, 2);
        let (code, _, err) = s.cli(&["clients", "rotate-secret", "nobody"], "");
        assert_eq!(code, 2, "{err}");
        assert_eq!(token_status(&s, id, &third).await, 400);

        let (code, out, _) = s.cli(&["audit", "--kind", "client_secret_rotated"], "");
        assert_eq!(code, 0);
        assert_eq!(out.lines().count(), 2, "{out}");
    }
}
