//! The storage conformance suite: every case runs unchanged on SQLite (always) and on
//! PostgreSQL (from `TEST_DATABASE_URL`; each test in its own schema, so they run in parallel).
//! With `CI` set, a PostgreSQL case that cannot run fails instead of skipping.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use connectid_core::client::{ClientMetadata, SigningAlg};
use connectid_core::crypto::{hash_secret, random_id};
use connectid_core::identifier::{Identifier, PhoneRegion};
use connectid_core::keys::{KeyCipher, generate};
use connectid_core::oidc::{Acr, Amr};
use connectid_core::store::{
    AuditEvent, AuditQuery, AuthCode, ClientRecord, CodeUse, DeviceSecretRecord, Grant,
    MessageOutcome, NewAccount, Otp, QueuedMessage, RefreshTokenRecord, RefreshUse, SsoSession,
    Store, StoreError,
};

async fn sqlite() -> Arc<dyn Store> {
    let dir = std::env::temp_dir().join(format!("connectid-test-{}", random_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("t.db").display());
    let db = connectid_store::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Arc::new(db)
}

async fn postgres() -> Option<Arc<dyn Store>> {
    let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
        connectid_core::skipped::skipped(
            "PostgreSQL storage tests: TEST_DATABASE_URL is not set",
            env!("CARGO_TARGET_TMPDIR"),
        );
        return None;
    };
    let schema = format!("t_{}", random_id());
    let db = connectid_store::connect_postgres_schema(&url, &schema)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    db.migrate().await.unwrap();
    Some(Arc::new(db))
}

macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $name() { super::$name(super::sqlite().await).await; })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $name() {
                if let Some(s) = super::postgres().await { super::$name(s).await; }
            })*
        }
    };
}

suite!(
    migrations_are_idempotent,
    clients_round_trip,
    identifiers_are_unique_across_accounts,
    last_identifier_cannot_be_removed,
    codes_are_single_use,
    refresh_tokens_rotate_and_detect_reuse,
    refresh_token_records_say_used_and_expiry,
    device_secrets_round_trip_and_expire,
    connected_clients_and_disconnect,
    back_channel_logout_reaches_clients_that_got_tokens,
    sessions_expire_and_delete,
    sessions_of_an_account_are_listed,
    keys_retire_and_stay_published,
    otps_and_rate_limits,
    jti_replay_is_detected,
    consent_and_interactions,
    audit_and_purge,
    outbox_queues_a_code_and_its_message_together,
    outbox_gives_each_message_to_one_worker,
    outbox_retries_delivers_and_purges,
    events_go_out_in_order_per_key_and_can_be_requeued,
    accounts_import_in_batches_and_export_back,
    accounts_lock_and_unlock,
    an_interaction_is_taken_once_and_not_after_it_expires,
);

fn phone(s: &str) -> Identifier {
    Identifier::phone(s, PhoneRegion::default()).unwrap()
}

async fn new_account(s: &dyn Store, ids: &[Identifier]) -> String {
    let id = random_id();
    s.create_account(&NewAccount {
        id: id.clone(),
        identifiers: ids.iter().map(|i| (i.clone(), true)).collect(),
        password_hash: Some("$argon2id$fake".into()),
        now: 100,
    })
    .await
    .unwrap();
    id
}

fn grant(id: &str, account: &str) -> Grant {
    Grant {
        id: id.into(),
        account_id: account.into(),
        client_id: "c1".into(),
        scope: "openid".into(),
        claims: None,
        sid: Some("sid1".into()),
        auth_time: 100,
        acr: Acr::Password,
        amr: vec![Amr::Pwd],
        td_sls: true,
        created_at: 100,
        expires_at: 10_000,
        revoked_at: None,
    }
}

/// Clients with nothing but a redirect URI, for tests about what hangs off them.
async fn bare_clients(s: &dyn Store, ids: &[&str]) {
    for id in ids {
        let meta =
            ClientMetadata::from_json(r#"{"redirect_uris":["https://x.example/cb"]}"#).unwrap();
        s.create_client(&ClientRecord {
            client_id: (*id).into(),
            secret_hash: None,
            metadata: meta,
            created_at: 1,
            updated_at: 1,
        })
        .await
        .unwrap();
    }
}

async fn migrations_are_idempotent(s: Arc<dyn Store>) {
    s.migrate().await.unwrap();
    s.migrate().await.unwrap();
    s.ping().await.unwrap();
}

async fn clients_round_trip(s: Arc<dyn Store>) {
    let meta = ClientMetadata::from_json(
        r#"{"client_name":"Shop","redirect_uris":["https://shop.example/cb"],"sso":true}"#,
    )
    .unwrap();
    let rec = ClientRecord {
        client_id: "shop".into(),
        secret_hash: Some(hash_secret("x")),
        metadata: meta.clone(),
        created_at: 1,
        updated_at: 1,
    };
    s.create_client(&rec).await.unwrap();
    assert!(matches!(
        s.create_client(&rec).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.get_client("shop").await.unwrap().unwrap(), rec);
    let mut updated = rec.clone();
    updated.metadata.client_name = "Shop 2".into();
    updated.secret_hash = None;
    updated.updated_at = 2;
    s.update_client(&updated).await.unwrap();
    let got = s.get_client("shop").await.unwrap().unwrap();
    assert_eq!(got.metadata.client_name, "Shop 2");
    assert_eq!(
        got.secret_hash, rec.secret_hash,
        "secret kept when not given"
    );
    assert_eq!(s.list_clients().await.unwrap().len(), 1);
    assert!(s.delete_client("shop").await.unwrap());
    assert!(!s.delete_client("shop").await.unwrap());
    assert!(s.get_client("shop").await.unwrap().is_none());
    let mut ghost = rec;
    ghost.client_id = "ghost".into();
    assert!(matches!(
        s.update_client(&ghost).await,
        Err(StoreError::NotFound)
    ));
}

async fn identifiers_are_unique_across_accounts(s: Arc<dyn Store>) {
    let p = phone("+4791234567");
    let email = Identifier::email("Ann@Example.com").unwrap();
    let a = new_account(&*s, &[p.clone(), email.clone()]).await;
    let acc = s.find_account(&email).await.unwrap().unwrap();
    assert_eq!(acc.id, a);
    assert_eq!(acc.identifiers.len(), 2);
    assert!(acc.has_password());
    let b = random_id();
    let err = s
        .create_account(&NewAccount {
            id: b.clone(),
            identifiers: vec![(p.clone(), true)],
            password_hash: None,
            now: 1,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)));
    assert!(
        s.get_account(&b).await.unwrap().is_none(),
        "the failed create left nothing behind"
    );
    let other = new_account(&*s, &[phone("+4791234568")]).await;
    assert!(matches!(
        s.add_identifier(&other, &email, false, 1).await,
        Err(StoreError::Conflict(_))
    ));
    s.set_password(&other, "$argon2id$other", 5).await.unwrap();
    assert_eq!(
        s.get_account(&other)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$other")
    );
    assert!(s.delete_account(&a).await.unwrap());
    assert!(s.find_account(&p).await.unwrap().is_none());
    // Freed identifiers can be used again.
    new_account(&*s, &[p]).await;
}

async fn last_identifier_cannot_be_removed(s: Arc<dyn Store>) {
    let p = phone("+4791234569");
    let e = Identifier::email("b@example.com").unwrap();
    let a = new_account(&*s, std::slice::from_ref(&p)).await;
    s.add_identifier(&a, &e, false, 2).await.unwrap();
    s.set_identifier_verified(&e).await.unwrap();
    assert!(
        s.find_account(&e)
            .await
            .unwrap()
            .unwrap()
            .has_verified_email()
    );
    s.remove_identifier(&a, &p).await.unwrap();
    assert!(matches!(
        s.remove_identifier(&a, &e).await,
        Err(StoreError::Conflict(_))
    ));
}

async fn codes_are_single_use(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234570")]).await;
    s.create_grant(&grant("g1", &a)).await.unwrap();
    let code = AuthCode {
        code_hash: hash_secret("code"),
        grant_id: "g1".into(),
        client_id: "c1".into(),
        redirect_uri: "https://x/cb".into(),
        code_challenge: Some("ch".into()),
        nonce: None,
        expires_at: 200,
        dpop_jkt: Some("jkt-1".into()),
    };
    s.insert_code(&code).await.unwrap();
    assert_eq!(
        s.consume_code(&code.code_hash, 150).await.unwrap(),
        CodeUse::Fresh(code.clone())
    );
    assert_eq!(
        s.consume_code(&code.code_hash, 151).await.unwrap(),
        CodeUse::Reused {
            grant_id: "g1".into()
        }
    );
    assert_eq!(s.consume_code("nope", 151).await.unwrap(), CodeUse::Unknown);
    let late = AuthCode {
        code_hash: hash_secret("late"),
        ..code
    };
    s.insert_code(&late).await.unwrap();
    assert_eq!(
        s.consume_code(&late.code_hash, 300).await.unwrap(),
        CodeUse::Unknown,
        "expired codes do not work"
    );
    // The grant and its code in one write.
    let (g, c) = (
        grant("g1b", &a),
        AuthCode {
            code_hash: hash_secret("together"),
            grant_id: "g1b".into(),
            expires_at: 200,
            ..late.clone()
        },
    );
    s.create_grant_with_code(&g, &c).await.unwrap();
    assert_eq!(s.get_grant("g1b").await.unwrap().unwrap().account_id, a);
    assert_eq!(
        s.consume_code(&c.code_hash, 150).await.unwrap(),
        CodeUse::Fresh(c.clone())
    );
    s.revoke_grant("g1", 160).await.unwrap();
    assert_eq!(
        s.get_grant("g1").await.unwrap().unwrap().revoked_at,
        Some(160)
    );
    let g = s.get_grant("g1").await.unwrap().unwrap();
    assert!(g.td_sls);
    assert_eq!(g.acr, Acr::Password);
}

async fn refresh_tokens_rotate_and_detect_reuse(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234571")]).await;
    s.create_grant(&grant("g2", &a)).await.unwrap();
    s.insert_refresh_token("r1", "g2", 100, 1000, None)
        .await
        .unwrap();
    assert_eq!(
        s.use_refresh_token("r1", 110).await.unwrap(),
        RefreshUse::Rotated {
            grant_id: "g2".into()
        }
    );
    assert_eq!(
        s.use_refresh_token("r1", 111).await.unwrap(),
        RefreshUse::Reused {
            grant_id: "g2".into()
        }
    );
    assert_eq!(
        s.use_refresh_token("zz", 111).await.unwrap(),
        RefreshUse::Unknown
    );
    assert_eq!(
        s.refresh_token_grant("r1").await.unwrap().as_deref(),
        Some("g2")
    );
    assert_eq!(s.revoke_grants_of_session("sid1", 120).await.unwrap(), 1);
    assert_eq!(s.revoke_grants_of_account(&a, None, 121).await.unwrap(), 0);
    // A new password keeps only the current session's grants: other sessions' and
    // sessionless ones (native apps) go.
    let mut other = grant("g-other", &a);
    other.sid = Some("sid-other".into());
    let mut sessionless = grant("g-app", &a);
    sessionless.sid = None;
    let kept = grant("g-kept", &a);
    for g in [&other, &sessionless, &kept] {
        s.create_grant(g).await.unwrap();
    }
    assert_eq!(
        s.revoke_grants_of_account(&a, Some("sid1"), 122)
            .await
            .unwrap(),
        2
    );
    assert!(
        s.get_grant("g-kept")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_none()
    );
    assert!(
        s.get_grant("g-app")
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert_eq!(s.revoke_grants_of_account(&a, None, 123).await.unwrap(), 1);
}

async fn refresh_token_records_say_used_and_expiry(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234573")]).await;
    s.create_grant(&grant("g3", &a)).await.unwrap();
    s.insert_refresh_token("r3", "g3", 100, 1000, Some("jkt-3"))
        .await
        .unwrap();
    let fresh = RefreshTokenRecord {
        grant_id: "g3".into(),
        created_at: 100,
        expires_at: 1000,
        used_at: None,
        dpop_jkt: Some("jkt-3".into()),
    };
    assert_eq!(
        s.get_refresh_token("r3").await.unwrap(),
        Some(fresh.clone())
    );
    s.use_refresh_token("r3", 150).await.unwrap();
    assert_eq!(
        s.get_refresh_token("r3").await.unwrap(),
        Some(RefreshTokenRecord {
            used_at: Some(150),
            ..fresh
        })
    );
    assert_eq!(s.get_refresh_token("nope").await.unwrap(), None);
}

async fn device_secrets_round_trip_and_expire(s: Arc<dyn Store>) {
    let rec = DeviceSecretRecord {
        grant_id: "g-ds".into(),
        publisher: "acme".into(),
        created_at: 100,
        expires_at: 1000,
    };
    s.insert_device_secret("ds1", &rec).await.unwrap();
    assert_eq!(
        s.get_device_secret("ds1", 999).await.unwrap(),
        Some(rec.clone())
    );
    assert_eq!(s.get_device_secret("ds1", 1000).await.unwrap(), None);
    assert_eq!(s.get_device_secret("other", 500).await.unwrap(), None);
    // A second secret with the same hash is a conflict, never a silent overwrite.
    assert!(matches!(
        s.insert_device_secret("ds1", &rec).await,
        Err(StoreError::Conflict(_))
    ));
    s.purge_expired(1000).await.unwrap();
    assert_eq!(s.get_device_secret("ds1", 500).await.unwrap(), None);
}

async fn connected_clients_and_disconnect(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234580")]).await;
    let other = new_account(&*s, &[phone("+4791234581")]).await;
    bare_clients(&*s, &["k1", "k2", "k3", "k4"]).await;
    // k1 twice, k2 only got a code, k3 was revoked, k4 is another account's.
    for (g, client, account, issued) in [
        ("d1", "k1", &a, true),
        ("d2", "k1", &a, true),
        ("d3", "k2", &a, false),
        ("d4", "k3", &a, true),
        ("d5", "k4", &other, true),
        ("d6", "k1", &other, true),
    ] {
        s.create_grant(&Grant {
            client_id: client.into(),
            ..grant(g, account)
        })
        .await
        .unwrap();
        if issued {
            s.mark_grant_issued(g, 120).await.unwrap();
        }
    }
    s.revoke_grant("d4", 130).await.unwrap();
    s.put_consent(&a, "k1", "openid", 120).await.unwrap();
    let ids = |v: Vec<ClientRecord>| v.into_iter().map(|c| c.client_id).collect::<Vec<_>>();
    assert_eq!(ids(s.connected_clients(&a, 200).await.unwrap()), ["k1"]);
    assert!(
        s.connected_clients(&a, 10_000).await.unwrap().is_empty(),
        "expired"
    );
    assert_eq!(s.disconnect_client(&a, "k1", 200).await.unwrap(), 2);
    assert!(s.connected_clients(&a, 200).await.unwrap().is_empty());
    assert_eq!(s.get_consent(&a, "k1").await.unwrap(), None);
    assert_eq!(
        s.get_grant("d1").await.unwrap().unwrap().revoked_at,
        Some(200)
    );
    // The other account's grant at the same client is untouched.
    assert_eq!(
        ids(s.connected_clients(&other, 200).await.unwrap()),
        ["k1", "k4"]
    );
    assert_eq!(s.disconnect_client(&a, "k1", 210).await.unwrap(), 0);
}

async fn back_channel_logout_reaches_clients_that_got_tokens(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234574")]).await;
    bare_clients(&*s, &["c1", "c2", "c3", "c4"]).await;
    let in_session = |id: &str, client: &str, sid: &str| Grant {
        client_id: client.into(),
        sid: Some(sid.into()),
        ..grant(id, &a)
    };
    // c1 twice (one client, one notice), c2 only got a code, c3 got tokens but its grant
    // was revoked since (it may still hold a session), c4 belongs to another session.
    for (g, client, sid, issued) in [
        ("b1", "c1", "s1", true),
        ("b2", "c1", "s1", true),
        ("b3", "c2", "s1", false),
        ("b4", "c3", "s1", true),
        ("b5", "c4", "s2", true),
    ] {
        s.create_grant(&in_session(g, client, sid)).await.unwrap();
        if issued && g == "b2" {
            // The code exchange's way: the live grant, marked in the same statement.
            let issued = s.issue_grant(g, 120).await.unwrap().expect("a live grant");
            assert_eq!(
                (issued.id.as_str(), issued.client_id.as_str()),
                ("b2", "c1")
            );
        } else if issued {
            s.mark_grant_issued(g, 120).await.unwrap();
            s.mark_grant_issued(g, 130).await.unwrap();
        }
    }
    s.revoke_grant("b4", 140).await.unwrap();
    assert!(s.issue_grant("b4", 141).await.unwrap().is_none(), "revoked");
    assert!(
        s.issue_grant("b5", 10_000).await.unwrap().is_none(),
        "expired"
    );
    assert!(
        s.issue_grant("nope", 141).await.unwrap().is_none(),
        "unknown"
    );
    let ids = |v: Vec<ClientRecord>| v.into_iter().map(|c| c.client_id).collect::<Vec<_>>();
    assert_eq!(ids(s.clients_of_session("s1").await.unwrap()), ["c1", "c3"]);
    assert_eq!(ids(s.clients_of_session("s2").await.unwrap()), ["c4"]);
    assert!(s.clients_of_session("none").await.unwrap().is_empty());
    // Revoking the session's grants does not hide who must be told.
    s.revoke_grants_of_session("s1", 150).await.unwrap();
    assert_eq!(ids(s.clients_of_session("s1").await.unwrap()), ["c1", "c3"]);
}

async fn sessions_of_an_account_are_listed(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234575")]).await;
    let b = new_account(&*s, &[phone("+4791234576")]).await;
    let session = |cookie: &str, account: &str, created_at: i64, expires_at: i64| SsoSession {
        id_hash: hash_secret(cookie),
        sid: format!("sid-{cookie}"),
        account_id: account.into(),
        acr: Acr::Password,
        amr: vec![Amr::Pwd],
        auth_time: created_at,
        remember: true,
        created_at,
        last_seen: created_at,
        expires_at,
    };
    for x in [
        session("old", &a, 100, 1000),
        session("new", &a, 200, 1000),
        session("gone", &a, 150, 300),
        session("other", &b, 100, 1000),
    ] {
        s.create_session(&x).await.unwrap();
    }
    let sids: Vec<String> = s
        .sessions_of_account(&a, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.sid)
        .collect();
    assert_eq!(
        sids,
        ["sid-new", "sid-old"],
        "newest first, expired left out"
    );
    assert!(
        s.sessions_of_account("nobody", 500)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn sessions_expire_and_delete(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234572")]).await;
    let sess = SsoSession {
        id_hash: hash_secret("cookie"),
        sid: random_id(),
        account_id: a.clone(),
        acr: Acr::Phone,
        amr: vec![Amr::Sms],
        auth_time: 100,
        remember: false,
        created_at: 100,
        last_seen: 100,
        expires_at: 200,
    };
    s.create_session(&sess).await.unwrap();
    assert_eq!(
        s.get_session(&sess.id_hash, 150).await.unwrap(),
        Some(sess.clone())
    );
    assert!(s.get_session(&sess.id_hash, 250).await.unwrap().is_none());
    s.touch_session(&sess.id_hash, 190, 400).await.unwrap();
    assert_eq!(
        s.get_session(&sess.id_hash, 250)
            .await
            .unwrap()
            .unwrap()
            .last_seen,
        190
    );
    assert_eq!(
        s.delete_session(&sess.id_hash).await.unwrap().unwrap().sid,
        sess.sid
    );
    assert!(s.delete_session(&sess.id_hash).await.unwrap().is_none());
    let again = SsoSession {
        id_hash: hash_secret("cookie2"),
        sid: random_id(),
        ..sess
    };
    s.create_session(&again).await.unwrap();
    assert!(s.delete_session_by_sid(&again.sid).await.unwrap());
    s.create_session(&SsoSession {
        id_hash: hash_secret("cookie3"),
        sid: random_id(),
        ..again
    })
    .await
    .unwrap();
    assert_eq!(s.delete_sessions_of_account(&a).await.unwrap(), 1);
}

async fn keys_retire_and_stay_published(s: Arc<dyn Store>) {
    let c = KeyCipher::new(None);
    let k1 = generate(SigningAlg::EdDSA, 100, &c).unwrap();
    s.insert_key(&k1).await.unwrap();
    let k2 = generate(SigningAlg::EdDSA, 200, &c).unwrap();
    s.insert_key(&k2).await.unwrap();
    s.retire_keys(std::slice::from_ref(&k2.kid), 300)
        .await
        .unwrap();
    let keys = s.list_keys(400, 3600).await.unwrap();
    assert_eq!(keys.len(), 2, "the retired key is still published");
    let old = keys.iter().find(|k| k.kid == k1.kid).unwrap();
    assert_eq!(old.retired_at, Some(300));
    assert_eq!(old.private_key, k1.private_key);
    let later = s.list_keys(300 + 3601, 3600).await.unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].kid, k2.kid);
}

async fn otps_and_rate_limits(s: Arc<dyn Store>) {
    let otp = Otp {
        id: random_id(),
        purpose: "signin".into(),
        target: "+4790000000".into(),
        code_hash: hash_secret("123456"),
        attempts: 0,
        created_at: 100,
        expires_at: 400,
    };
    s.insert_otp(&otp).await.unwrap();
    let newer = Otp {
        id: random_id(),
        created_at: 110,
        ..otp.clone()
    };
    s.insert_otp(&newer).await.unwrap();
    let got = s
        .latest_otp("signin", "+4790000000", 120)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.id, newer.id);
    s.add_otp_attempt(&got.id).await.unwrap();
    assert_eq!(
        s.latest_otp("signin", "+4790000000", 120)
            .await
            .unwrap()
            .unwrap()
            .attempts,
        1
    );
    assert!(s.consume_otp(&got.id, 130).await.unwrap());
    assert!(!s.consume_otp(&got.id, 131).await.unwrap());
    assert!(
        s.latest_otp("signin", "+4790000000", 500)
            .await
            .unwrap()
            .is_none()
    );
    for expected in 1..=3 {
        assert_eq!(s.rate_hit("k", 60, 1000).await.unwrap(), expected);
    }
    assert_eq!(s.rate_hit("k", 60, 1061).await.unwrap(), 1, "a new window");
    assert_eq!(s.rate_hit("other", 60, 1061).await.unwrap(), 1);
}

async fn jti_replay_is_detected(s: Arc<dyn Store>) {
    assert!(s.remember_jti("j1", 100).await.unwrap());
    assert!(!s.remember_jti("j1", 100).await.unwrap());
    assert!(s.is_jti_known("j1").await.unwrap());
    assert!(!s.is_jti_known("j2").await.unwrap());
}

async fn consent_and_interactions(s: Arc<dyn Store>) {
    let a = new_account(&*s, &[phone("+4791234573")]).await;
    assert!(s.get_consent(&a, "c").await.unwrap().is_none());
    s.put_consent(&a, "c", "openid", 1).await.unwrap();
    s.put_consent(&a, "c", "openid email", 2).await.unwrap();
    assert_eq!(
        s.get_consent(&a, "c").await.unwrap().as_deref(),
        Some("openid email")
    );
    s.put_interaction("i", "{\"a\":1}", 100).await.unwrap();
    s.put_interaction("i", "{\"a\":2}", 100).await.unwrap();
    assert_eq!(
        s.get_interaction("i", 50).await.unwrap().as_deref(),
        Some("{\"a\":2}")
    );
    assert!(s.get_interaction("i", 150).await.unwrap().is_none());
    s.delete_interaction("i").await.unwrap();
    assert!(s.get_interaction("i", 50).await.unwrap().is_none());
}

async fn audit_and_purge(s: Arc<dyn Store>) {
    for kind in ["signin", "logout"] {
        s.audit(&AuditEvent {
            at: 5,
            kind: kind.into(),
            account_id: Some("a".into()),
            client_id: None,
            ip: Some("127.0.0.1".into()),
            outcome: "success".into(),
            detail: None,
        })
        .await
        .unwrap();
    }
    s.audit(&AuditEvent {
        at: 50,
        kind: "signin".into(),
        account_id: Some("b".into()),
        client_id: Some("shop".into()),
        ip: None,
        outcome: "wrong_password".into(),
        detail: None,
    })
    .await
    .unwrap();
    let all = |limit| AuditQuery {
        limit,
        ..AuditQuery::default()
    };
    let events = s.list_audit(&all(10)).await.unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].account_id.as_deref(), Some("b"), "newest first");
    assert_eq!(s.list_audit(&all(1)).await.unwrap().len(), 1);
    let of_a = AuditQuery {
        account_id: Some("a".into()),
        ..all(10)
    };
    let events = s.list_audit(&of_a).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind, "logout");
    let q = AuditQuery {
        kind: Some("signin".into()),
        since: Some(10),
        ..all(10)
    };
    let events = s.list_audit(&q).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].client_id.as_deref(), Some("shop"));
    let q = AuditQuery {
        client_id: Some("nobody".into()),
        ..all(10)
    };
    assert!(s.list_audit(&q).await.unwrap().is_empty());
    // Retention: everything before 10 goes, the newer event stays.
    assert_eq!(s.purge_audit(10).await.unwrap(), 2);
    assert_eq!(s.list_audit(&all(10)).await.unwrap().len(), 1);
    s.put_interaction("old", "{}", 10).await.unwrap();
    s.remember_jti("old", 10).await.unwrap();
    assert!(s.purge_expired(20).await.unwrap() >= 2);
    assert!(!s.is_jti_known("old").await.unwrap());
}

fn queued(id: &str, at: i64) -> QueuedMessage {
    QueuedMessage {
        id: id.into(),
        channel: connectid_core::messages::Channel::Sms,
        purpose: "signin".into(),
        payload: b"sealed".to_vec(),
        created_at: at,
        expires_at: at + 600,
        due_at: at,
        attempts: 0,
        ordering_key: None,
    }
}

async fn outbox_queues_a_code_and_its_message_together(s: Arc<dyn Store>) {
    let otp = Otp {
        id: random_id(),
        purpose: "signin".into(),
        target: "+4790000001".into(),
        code_hash: hash_secret("123456"),
        attempts: 0,
        created_at: 100,
        expires_at: 400,
    };
    s.enqueue_message(&queued("m1", 100), Some(&otp))
        .await
        .unwrap();
    assert_eq!(
        s.latest_otp("signin", "+4790000001", 120)
            .await
            .unwrap()
            .unwrap()
            .id,
        otp.id
    );
    // A message that cannot be queued takes its code with it: no code without its SMS.
    let second = Otp {
        id: random_id(),
        created_at: 110,
        ..otp.clone()
    };
    let err = s.enqueue_message(&queued("m1", 110), Some(&second)).await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert_eq!(
        s.latest_otp("signin", "+4790000001", 120)
            .await
            .unwrap()
            .unwrap()
            .id,
        otp.id
    );
    let depth = s.outbox_depth().await.unwrap();
    assert_eq!((depth.pending, depth.oldest), (1, Some(100)));
    let got = s.claim_messages("w", 100, 160, 10).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].payload, b"sealed");
    assert_eq!(got[0].attempts, 1);
}

async fn outbox_gives_each_message_to_one_worker(s: Arc<dyn Store>) {
    for i in 0..60 {
        s.enqueue_message(&queued(&format!("m{i:02}"), 1000), None)
            .await
            .unwrap();
    }
    // Four workers claim at once, in small batches, until nothing is left.
    let mut tasks = Vec::new();
    for w in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = s
                    .claim_messages(&format!("w{w}"), 1000, 1060, 3)
                    .await
                    .unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|m| m.id));
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let want: Vec<String> = (0..60).map(|i| format!("m{i:02}")).collect();
    assert_eq!(all, want, "every message claimed exactly once");
    // Leased: nobody gets them again before the lease ends, and the id claim says no too.
    assert!(
        s.claim_messages("w9", 1059, 1100, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.claim_message("m00", "w9", 1100).await.unwrap().is_none());
    // Only the worker holding a message can record how it went.
    let delivered = MessageOutcome::Delivered { provider_ref: None };
    let mut owners = 0;
    for w in 0..4 {
        if s.finish_message("m01", &format!("w{w}"), &delivered, 1001)
            .await
            .unwrap()
        {
            owners += 1;
        }
    }
    assert_eq!(owners, 1);
    // A worker that died: its lease runs out and another takes its messages over; the first
    // can then no longer record an outcome for them.
    let retaken = s.claim_messages("w9", 1060, 1120, 100).await.unwrap();
    assert_eq!(
        retaken.len(),
        59,
        "every unfinished message, once its lease ran out"
    );
    assert!(retaken.iter().all(|m| m.attempts == 2 && m.id != "m01"));
    let gone = MessageOutcome::Delivered { provider_ref: None };
    for w in 0..4 {
        assert!(
            !s.finish_message("m00", &format!("w{w}"), &gone, 1061)
                .await
                .unwrap(),
            "a lost lease records nothing"
        );
    }
    assert!(s.finish_message("m00", "w9", &gone, 1061).await.unwrap());
}

async fn outbox_retries_delivers_and_purges(s: Arc<dyn Store>) {
    for id in ["a", "b", "c"] {
        s.enqueue_message(&queued(id, 2000), None).await.unwrap();
    }
    // A local provider's message is delivered by its request at once, whenever it is due.
    let mut later = queued("d", 2000);
    later.due_at = 2005;
    s.enqueue_message(&later, None).await.unwrap();
    assert!(s.claim_messages("w", 2000, 2060, 1).await.unwrap()[0].id != "d");
    let d = s.claim_message("d", "w", 2060).await.unwrap().unwrap();
    assert_eq!(d.attempts, 1);
    assert!(s.claim_message("d", "w2", 2060).await.unwrap().is_none());

    let claimed = s.claim_messages("w", 2000, 2060, 10).await.unwrap();
    let ids: Vec<&str> = claimed.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    // Of the three claimed: one delivered, one retried, one given up on.
    assert!(
        s.finish_message(
            "a",
            "w",
            &MessageOutcome::Delivered {
                provider_ref: Some("smsc-7".into())
            },
            2001
        )
        .await
        .unwrap()
    );
    assert!(
        s.finish_message(
            "b",
            "w",
            &MessageOutcome::Retry {
                at: 2030,
                error: "503".into()
            },
            2001
        )
        .await
        .unwrap()
    );
    assert!(
        s.finish_message(
            "c",
            "w",
            &MessageOutcome::GaveUp {
                error: "refused".into()
            },
            2001
        )
        .await
        .unwrap()
    );
    assert!(
        s.finish_message(
            "d",
            "w",
            &MessageOutcome::Delivered { provider_ref: None },
            2002
        )
        .await
        .unwrap()
    );
    // A retried message waits for its time, then comes back with its try counted.
    assert!(
        s.claim_messages("w", 2029, 2090, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = s.claim_messages("w", 2030, 2090, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id.as_str(), again[0].attempts), ("b", 2));
    assert_eq!(again[0].payload, b"sealed", "a retry keeps its payload");
    assert!(s.record_receipt("smsc-7", "DELIVRD").await.unwrap());
    assert!(!s.record_receipt("smsc-unknown", "DELIVRD").await.unwrap());
    let depth = s.outbox_depth().await.unwrap();
    assert_eq!(depth.pending, 1);
    // Finished rows go on the retention schedule; a pending one stays whatever its age.
    assert_eq!(s.purge_messages(2001).await.unwrap(), 0);
    assert_eq!(s.purge_messages(2003).await.unwrap(), 3);
    assert_eq!(s.outbox_depth().await.unwrap().pending, 1);
}

fn event(id: &str, key: &str, at: i64) -> QueuedMessage {
    QueuedMessage {
        channel: connectid_core::messages::Channel::Event,
        purpose: "account.created".into(),
        ordering_key: Some(key.into()),
        ..queued(id, at)
    }
}

async fn events_go_out_in_order_per_key_and_can_be_requeued(s: Arc<dyn Store>) {
    let t = 1_000_000;
    for (id, key) in [("e1", "a"), ("e2", "a"), ("e3", "b"), ("m1", "")] {
        let m = if key.is_empty() {
            queued(id, t)
        } else {
            event(id, key, t)
        };
        s.enqueue_message(&m, None).await.unwrap();
    }
    // The second event of key `a` waits for the first; other keys and plain messages do not.
    let ids = |v: Vec<QueuedMessage>| {
        let mut ids: Vec<String> = v.into_iter().map(|m| m.id).collect();
        ids.sort();
        ids
    };
    let first = s.claim_messages("w", t, t + 60, 10).await.unwrap();
    assert_eq!(ids(first), ["e1", "e3", "m1"]);
    // While e1 is retried later, e2 still waits.
    let retry = MessageOutcome::Retry {
        at: t + 5,
        error: "500".into(),
    };
    assert!(s.finish_message("e1", "w", &retry, t).await.unwrap());
    assert!(
        s.claim_messages("w", t + 1, t + 60, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = s.claim_messages("w", t + 5, t + 65, 10).await.unwrap();
    assert_eq!(ids(again), ["e1"]);
    let gave_up = MessageOutcome::GaveUp {
        error: "500".into(),
    };
    assert!(s.finish_message("e1", "w", &gave_up, t + 5).await.unwrap());
    let next = s.claim_messages("w", t + 6, t + 66, 10).await.unwrap();
    assert_eq!(ids(next.clone()), ["e2"]);
    assert_eq!(next[0].payload, b"sealed", "an event keeps its payload");
    let done = MessageOutcome::Delivered { provider_ref: None };
    assert!(s.finish_message("e2", "w", &done, t + 6).await.unwrap());
    // Given up on: requeued, with its payload; a plain message never is.
    assert_eq!(s.requeue_events(None, t, t + 10, t + 100).await.unwrap(), 1);
    let requeued = s.claim_messages("w", t + 10, t + 70, 10).await.unwrap();
    assert_eq!(ids(requeued.clone()), ["e1"]);
    assert_eq!(requeued[0].payload, b"sealed");
    assert_eq!(requeued[0].attempts, 1);
    assert!(s.finish_message("e1", "w", &done, t + 10).await.unwrap());
    // One event by id, whatever its state; none given up on after `since`.
    assert_eq!(
        s.requeue_events(Some("e2"), 0, t + 11, t + 100)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.requeue_events(Some("m1"), 0, t + 11, t + 100)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        s.requeue_events(None, t + 1, t + 11, t + 100)
            .await
            .unwrap(),
        0
    );
}

async fn accounts_import_in_batches_and_export_back(s: Arc<dyn Store>) {
    use connectid_core::import::ImportedAccount;
    use connectid_core::store::ImportOutcome;
    let tag = random_id();
    let email = |n: &str| Identifier::email(&format!("{n}-{tag}@example.com")).unwrap();
    let phone = Identifier::phone("+4790000123", PhoneRegion::default()).unwrap();
    s.create_account(&NewAccount {
        id: format!("old-{tag}"),
        identifiers: vec![(email("old"), true)],
        password_hash: None,
        now: 5,
    })
    .await
    .unwrap();
    let line =
        |sub: Option<String>, ids: Vec<(Identifier, bool)>, xid: Option<&str>| ImportedAccount {
            sub,
            identifiers: ids,
            password_hash: Some(
                "$2b$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW".into(),
            ),
            created_at: Some(1_700_000_000),
            external_id: xid.map(|x| format!("{x}-{tag}")),
        };
    let batch = vec![
        line(
            Some(format!("kept-{tag}")),
            vec![(email("a"), true), (phone.clone(), false)],
            Some("x1"),
        ),
        line(None, vec![(email("b"), false)], None),
        line(None, vec![(email("old"), true)], None),
        line(None, vec![(email("old"), true), (email("c"), true)], None),
        line(None, vec![(email("b"), true)], Some("x2")),
    ];
    // A dry run says the same and writes nothing.
    let dry = s.import_accounts(&batch, 10, true).await.unwrap();
    assert!(s.find_account(&email("a")).await.unwrap().is_none());
    let got = s.import_accounts(&batch, 10, false).await.unwrap();
    assert_eq!(got[0], ImportOutcome::Imported(format!("kept-{tag}")));
    assert!(matches!(&got[1], ImportOutcome::Imported(_)));
    assert_eq!(got[2], ImportOutcome::AlreadyThere);
    assert!(matches!(&got[3], ImportOutcome::Duplicate(_)));
    assert!(matches!(&got[4], ImportOutcome::Duplicate(_)));
    assert_eq!(dry[2..], got[2..]);
    let a = s.find_account(&phone).await.unwrap().unwrap();
    assert_eq!(a.id, format!("kept-{tag}"));
    assert_eq!(a.created_at, 1_700_000_000);
    assert!(a.password_hash.as_deref().unwrap().starts_with("$2b$"));
    assert_eq!(a.identifiers.len(), 2);
    assert!(s.find_account(&email("c")).await.unwrap().is_none());
    // Again: everything is there.
    let again = s.import_accounts(&batch[..2], 20, false).await.unwrap();
    assert_eq!(
        again,
        [ImportOutcome::AlreadyThere, ImportOutcome::AlreadyThere]
    );
    // Export pages through every account in id order, with identifiers and external ids.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = s.export_accounts(after.as_deref(), 2).await.unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(|(a, _)| a.id.clone());
        seen.extend(page);
    }
    let ids: Vec<&str> = seen.iter().map(|(a, _)| a.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let (kept, xid) = seen
        .iter()
        .find(|(a, _)| a.id == format!("kept-{tag}"))
        .unwrap();
    assert_eq!(xid.as_deref(), Some(format!("x1-{tag}").as_str()));
    assert_eq!(kept.identifiers.len(), 2);
    assert!(
        kept.identifiers
            .iter()
            .any(|i| i.identifier == phone && !i.verified)
    );
    assert_eq!(seen.len(), 3);
}

async fn accounts_lock_and_unlock(s: Arc<dyn Store>) {
    let id = random_id();
    let email = Identifier::email(&format!("{id}@example.com")).unwrap();
    s.create_account(&NewAccount {
        id: id.clone(),
        identifiers: vec![(email, true)],
        password_hash: None,
        now: 5,
    })
    .await
    .unwrap();
    assert_eq!(s.get_account(&id).await.unwrap().unwrap().locked_at, None);
    assert!(s.set_locked(&id, Some(7)).await.unwrap());
    assert!(!s.set_locked(&id, Some(8)).await.unwrap(), "locked already");
    assert_eq!(
        s.get_account(&id).await.unwrap().unwrap().locked_at,
        Some(7)
    );
    assert!(s.set_locked(&id, None).await.unwrap());
    assert!(!s.set_locked(&id, None).await.unwrap(), "not locked");
    assert!(!s.set_locked("nobody", Some(9)).await.unwrap());
}

async fn an_interaction_is_taken_once_and_not_after_it_expires(s: Arc<dyn Store>) {
    s.put_interaction("par-1", "a=1", 100).await.unwrap();
    assert_eq!(
        s.take_interaction("par-1", 50).await.unwrap().as_deref(),
        Some("a=1")
    );
    assert_eq!(s.take_interaction("par-1", 50).await.unwrap(), None, "once");
    s.put_interaction("par-2", "b=2", 100).await.unwrap();
    assert_eq!(
        s.take_interaction("par-2", 100).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(
        s.get_interaction("par-2", 10).await.unwrap(),
        None,
        "and gone"
    );
}
