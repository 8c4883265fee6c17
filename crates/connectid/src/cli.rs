//! The commands that manage what a running server serves: clients, accounts, keys, the
//! audit log. A command that changes something calls the use case the web layer calls
//! (`connectid_web::{accounts, clients}`), never the store directly.

use super::*;
use crate::startup::{DELIVERY_DRAIN, app_state, open_store};

pub(crate) fn read_input(file: Option<&PathBuf>) -> Result<String, Failure> {
    match file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", f.display()))),
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
            Ok(s)
        }
    }
}

pub(crate) fn print_json(v: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

pub(crate) fn metadata_failure(e: client::ClientError) -> Failure {
    Failure::Usage(e.to_string())
}

/// `--since 3600` (the last hour) or `--since @1767225600` (a Unix time).
pub(crate) fn parse_since(v: &str, now: i64) -> Result<i64, Failure> {
    let bad = || {
        Failure::Usage(format!(
            "--since: `{v}` is not a number of seconds or @unix-time"
        ))
    };
    match v.strip_prefix('@') {
        Some(t) => t.parse::<i64>().map_err(|_| bad()),
        None => v
            .parse::<i64>()
            .ok()
            .filter(|s| *s >= 0)
            .map(|s| now - s)
            .ok_or_else(bad),
    }
}

/// The state a command runs a use case with: the one `serve` builds, with one hashing thread.
/// A message a command sends waits in the outbox for a server's workers (a local provider's
/// is written at once).
pub(crate) async fn command_state(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> Result<AppState, Failure> {
    app_state(cfg, store, clock, 1).await
}

/// `connectid clients …`: reads go to the store; changes are the use cases the admin API
/// calls too (`connectid_web::app::clients`).
pub(crate) async fn clients(
    cfg: &Config,
    clock: Arc<dyn Clock>,
    command: ClientsCommand,
) -> Result<(), Failure> {
    let store = open_store(cfg).await?;
    let use_case = |e: ClientsError| match e {
        ClientsError::Store(e) => Failure::from(e),
        other => Failure::Usage(other.to_string()),
    };
    match command {
        ClientsCommand::Create { file } => {
            let meta =
                ClientMetadata::from_json(&read_input(file.as_ref())?).map_err(metadata_failure)?;
            let state = command_state(cfg, store, clock).await?;
            let (record, secret) = connectid_web::app::clients::create(&state, meta)
                .await
                .map_err(use_case)?;
            print_json(&client::to_json(&record, secret.as_deref()));
        }
        ClientsCommand::List => {
            let all = store.list_clients().await?;
            print_json(&json!(
                all.iter()
                    .map(|c| client::to_json(c, None))
                    .collect::<Vec<_>>()
            ));
        }
        ClientsCommand::Show { client_id } => match store.get_client(&client_id).await? {
            Some(c) => print_json(&client::to_json(&c, None)),
            None => return Err(Failure::Usage(format!("no client `{client_id}`"))),
        },
        ClientsCommand::Update { client_id, file } => {
            let meta =
                ClientMetadata::from_json(&read_input(file.as_ref())?).map_err(metadata_failure)?;
            let state = command_state(cfg, store, clock).await?;
            let (record, secret) = connectid_web::app::clients::update(&state, &client_id, meta)
                .await
                .map_err(use_case)?;
            print_json(&client::to_json(&record, secret.as_deref()));
        }
        ClientsCommand::RotateSecret { client_id } => {
            let state = command_state(cfg, store, clock).await?;
            let (record, secret) = connectid_web::app::clients::rotate_secret(&state, &client_id)
                .await
                .map_err(use_case)?;
            print_json(&client::to_json(&record, Some(&secret)));
        }
        ClientsCommand::Delete { client_id } => {
            let state = command_state(cfg, store, clock).await?;
            connectid_web::app::clients::delete(&state, &client_id)
                .await
                .map_err(use_case)?;
            println!("deleted {client_id}");
        }
    }
    Ok(())
}

pub(crate) async fn accounts(
    store: Arc<dyn Store>,
    cfg: &Config,
    clock: Arc<dyn Clock>,
    command: AccountsCommand,
) -> Result<(), Failure> {
    match command {
        AccountsCommand::Create {
            phone,
            email,
            password_stdin,
        } => {
            let region = cfg.phone_region()?;
            let mut identifiers = Vec::new();
            for p in &phone {
                identifiers.push((
                    Identifier::phone(p, region)
                        .map_err(|e| Failure::Usage(format!("--phone {p}: {e}")))?,
                    true,
                ));
            }
            for e in &email {
                identifiers.push((
                    Identifier::email(e)
                        .map_err(|err| Failure::Usage(format!("--email {e}: {err}")))?,
                    true,
                ));
            }
            if identifiers.is_empty() {
                return Err(Failure::Usage(
                    "an account needs at least one --phone or --email".into(),
                ));
            }
            let state = command_state(cfg, store, clock).await?;
            let password_hash = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
                let password = line.trim_end_matches(['\r', '\n']);
                check_policy(password).map_err(|e| Failure::Usage(format!("password: {e}")))?;
                Some(
                    state
                        .hasher
                        .hash(password)
                        .await
                        .map_err(|e| Failure::Runtime(e.to_string()))?,
                )
            } else {
                None
            };
            let account = connectid_web::app::accounts::create(
                &state,
                identifiers,
                password_hash,
                connectid_web::app::accounts::Actor::Operator,
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    Failure::Usage("an identifier already belongs to another account".into())
                }
                other => other.into(),
            })?;
            println!("{}", json!({ "id": account.id }));
        }
        AccountsCommand::Show { id } => match find(&*store, cfg, &id).await? {
            Some(a) => print_json(&json!({
                "id": a.id,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
                "has_password": a.has_password(),
                "locked": a.locked_at.is_some(),
                "identifiers": a.identifiers.iter().map(|i| json!({
                    "kind": i.identifier.kind, "value": i.identifier.value, "verified": i.verified
                })).collect::<Vec<_>>(),
            })),
            None => return Err(Failure::Usage(format!("no account `{id}`"))),
        },
        AccountsCommand::Delete { id } => delete_account(cfg, store, clock, &id).await?,
        AccountsCommand::Import { file, dry_run } => {
            crate::transfer::import(cfg, store, clock, &file, dry_run).await?
        }
        AccountsCommand::Export => crate::transfer::export(cfg, store, clock).await?,
        AccountsCommand::Lock { id } => lock(cfg, store, clock, &id, true).await?,
        AccountsCommand::Unlock { id } => lock(cfg, store, clock, &id, false).await?,
    }
    Ok(())
}

/// `connectid accounts lock ID` / `unlock ID`: the use cases of the console to come.
async fn lock(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    id: &str,
    lock: bool,
) -> Result<(), Failure> {
    use connectid_web::app::accounts::{self, Actor};
    let Some(a) = find(&*store, cfg, id).await? else {
        return Err(Failure::Usage(format!("no account `{id}`")));
    };
    let state = command_state(cfg, store, clock).await?;
    let changed = if lock {
        accounts::lock(&state, &a.id, Actor::Operator).await?
    } else {
        accounts::unlock(&state, &a.id, Actor::Operator).await?
    };
    match (lock, changed) {
        (true, true) => println!("locked {}", a.id),
        (true, false) => println!("{} was locked already", a.id),
        (false, true) => println!("unlocked {}", a.id),
        (false, false) => println!("{} was not locked", a.id),
    }
    Ok(())
}

/// `connectid accounts delete ID`: the same use case as "Delete account" in My account, so
/// services hear of it (back-channel logout) and the audit log records it; the command waits
/// (at most [`DELIVERY_DRAIN`]) for the logout tokens to be delivered before it exits.
async fn delete_account(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    id: &str,
) -> Result<(), Failure> {
    let state = command_state(cfg, store, clock).await?;
    let deleted = connectid_web::app::accounts::delete(
        &state,
        id,
        connectid_web::app::accounts::Actor::Operator,
    )
    .await?;
    if !deleted {
        return Err(Failure::Usage(format!("no account `{id}`")));
    }
    if !state.deliveries.settle(DELIVERY_DRAIN).await {
        eprintln!("warning: some back-channel logout tokens were not delivered in time");
    }
    println!("deleted {id}");
    Ok(())
}

pub(crate) async fn keys(
    store: &dyn Store,
    cipher: &KeyCipher,
    command: KeysCommand,
    now: i64,
) -> Result<(), Failure> {
    match command {
        KeysCommand::List => {
            let keys = store.list_keys(now, 2 * 3600).await?;
            print_json(&json!(
                keys.iter()
                    .map(|k| json!({"kid": k.kid, "alg": k.alg.as_str(),
                        "created_at": k.created_at, "retired_at": k.retired_at}))
                    .collect::<Vec<_>>()
            ));
        }
        KeysCommand::Rotate => {
            let mut kids = Vec::new();
            for alg in SigningAlg::ALL {
                let k = generate(alg, now, cipher).map_err(|e| Failure::Runtime(e.to_string()))?;
                store.insert_key(&k).await?;
                kids.push(k.kid);
            }
            store.retire_keys(&kids, now).await?;
            let ev = connectid_core::store::AuditEvent {
                at: now,
                kind: connectid_core::audit::AuditKind::KeyRotation
                    .as_str()
                    .into(),
                account_id: None,
                client_id: None,
                ip: None,
                outcome: "success".into(),
                detail: Some(kids.join(",")),
            };
            store.audit(&ev).await?;
            print_json(&json!({ "active": kids }));
        }
    }
    Ok(())
}

/// An account by its id, or by one of its phone numbers or emails (as a person would give it
/// on a support call).
async fn find(
    store: &dyn Store,
    cfg: &Config,
    given: &str,
) -> Result<Option<connectid_core::account::Account>, Failure> {
    if let Some(a) = store.get_account(given).await? {
        return Ok(Some(a));
    }
    match Identifier::parse(given, cfg.phone_region()?) {
        Ok(identifier) => Ok(store.find_account(&identifier).await?),
        Err(_) => Ok(None),
    }
}
