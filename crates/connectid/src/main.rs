//! The connectid binary: command line, configuration, start-up and shutdown.

mod config;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use connectid_core::client::{self, ClientMetadata, SigningAlg};
use connectid_core::clock::{Clock, SystemClock};
use connectid_core::identifier::Identifier;
use connectid_core::keys::{KeyCipher, generate};
use connectid_core::messages::MessageSender;
use connectid_core::password::{PasswordHasher, check_policy};
use connectid_core::store::{NewAccount, Store, StoreError};
use connectid_web::clients::ClientsError;
use connectid_web::queue::DeliveryQueue;
use connectid_web::{AppState, WebSettings};
use serde_json::json;

use crate::config::{Config, ConfigError, Overrides};

#[derive(Parser)]
#[command(
    name = "connectid",
    version,
    about = "An OpenID Connect identity provider"
)]
struct Cli {
    /// Configuration file (default: $CONNECTID_CONFIG, then ./connectid.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        #[arg(long)]
        listen: Option<String>,
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long = "database", value_name = "URL")]
        database: Option<String>,
        /// Also serve the demo services at /demo.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage clients (services).
    Clients {
        #[command(subcommand)]
        command: ClientsCommand,
    },
    /// Manage accounts.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Manage signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// List security events (newest first) as JSON lines.
    Audit {
        /// Only this account (its `sub`).
        #[arg(long)]
        account: Option<String>,
        /// Only this client.
        #[arg(long)]
        client: Option<String>,
        /// Only this kind, e.g. signin, registration, password_changed, logout.
        #[arg(long)]
        kind: Option<String>,
        /// Only events of the last N seconds, or since a Unix time with a leading `@`.
        #[arg(long, value_name = "SECONDS|@UNIX")]
        since: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Check the configuration and print it with secrets masked.
    Config,
}

#[derive(Subcommand)]
enum ClientsCommand {
    /// Register a client from metadata JSON (--file or stdin).
    Create {
        #[arg(long)]
        file: Option<PathBuf>,
    },
    List,
    Show {
        client_id: String,
    },
    /// Replace a client's metadata with JSON from --file or stdin.
    Update {
        client_id: String,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    Delete {
        client_id: String,
    },
}

#[derive(Subcommand)]
enum AccountsCommand {
    Create {
        #[arg(long)]
        phone: Vec<String>,
        #[arg(long)]
        email: Vec<String>,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    Show {
        id: String,
    },
    Delete {
        id: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    List,
    /// Make new signing keys; the old ones stay published until their tokens expire.
    Rotate,
}

/// A failure with its exit code: 2 for bad input, 1 for everything else.
enum Failure {
    Usage(String),
    Runtime(String),
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Usage(e.0)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => Failure::Usage("conflict: this already exists".into()),
            other => Failure::Runtime(format!("storage: {other}")),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}

fn env_vars() -> Vec<(String, String)> {
    std::env::vars().collect()
}

async fn open_store(cfg: &Config) -> Result<Arc<dyn Store>, Failure> {
    Ok(open_database(cfg).await?)
}

async fn open_database(cfg: &Config) -> Result<Arc<connectid_store::Database>, Failure> {
    let db = connectid_store::connect(cfg.database_url.expose())
        .await
        .map_err(|e| Failure::Runtime(format!("cannot open the database: {e}")))?;
    db.migrate()
        .await
        .map_err(|e| Failure::Runtime(format!("migration failed: {e}")))?;
    Ok(Arc::new(db))
}

/// Rate limits live in Redis when `redis_url` is set, else in the database: either way
/// every node sees the same counts.
async fn rate_limiter(
    cfg: &Config,
    db: Arc<connectid_store::Database>,
) -> Result<Arc<dyn connectid_core::ratelimit::RateLimiter>, Failure> {
    if cfg.redis_url.is_empty() {
        return Ok(db);
    }
    let redis = connectid_redis::RedisRateLimiter::connect(cfg.redis_url.expose())
        .await
        .map_err(|e| Failure::Runtime(format!("cannot reach Redis at redis_url: {e}")))?;
    Ok(Arc::new(redis))
}

fn read_input(file: Option<&PathBuf>) -> Result<String, Failure> {
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

fn print_json(v: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
    );
}

fn metadata_failure(e: client::ClientError) -> Failure {
    Failure::Usage(e.to_string())
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let overrides = match &cli.command {
        Command::Serve {
            listen,
            issuer,
            database,
            ..
        } => Overrides {
            listen: listen.clone(),
            issuer: issuer.clone(),
            database_url: database.clone(),
        },
        _ => Overrides::default(),
    };
    let cfg = config::load(cli.config.as_deref(), &env_vars(), &overrides)?;
    let clock = SystemClock;
    match cli.command {
        Command::Serve { demo, .. } => serve(cfg, demo).await,
        Command::Config => {
            // Secrets mask themselves (`Secret`, `SecretUrl`); a client's secret in
            // `[[clients]]` is a plain TOML value, masked here.
            let mut shown = cfg.clone();
            for client in &mut shown.clients {
                if let Some(t) = client.as_table_mut()
                    && let Some(v) = t.get_mut("client_secret")
                {
                    *v = toml::Value::String("********".into());
                }
            }
            println!("{shown:#?}");
            Ok(())
        }
        Command::Migrate => {
            open_store(&cfg).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Clients { command } => clients(&cfg, Arc::new(clock), command).await,
        Command::Accounts {
            command: AccountsCommand::Delete { id },
        } => delete_account(&cfg, Arc::new(clock), &id).await,
        Command::Accounts { command } => {
            let store = open_store(&cfg).await?;
            accounts(&*store, &cfg, command, clock.now()).await
        }
        Command::Keys { command } => {
            let store = open_store(&cfg).await?;
            let cipher = KeyCipher::new(Some(cfg.keys.encryption_key.expose()));
            keys(&*store, &cipher, command, clock.now()).await
        }
        Command::Audit {
            account,
            client,
            kind,
            since,
            limit,
        } => {
            let since = match since.as_deref() {
                None => None,
                Some(v) => Some(parse_since(v, clock.now())?),
            };
            if !(1..=100_000).contains(&limit) {
                return Err(Failure::Usage(
                    "--limit must be between 1 and 100000".into(),
                ));
            }
            let store = open_store(&cfg).await?;
            let q = connectid_core::store::AuditQuery {
                account_id: account,
                client_id: client,
                kind,
                since,
                limit,
            };
            for e in store.list_audit(&q).await? {
                println!(
                    "{}",
                    json!({"at": connectid_core::messages::rfc3339(e.at), "kind": e.kind,
                           "account": e.account_id, "client": e.client_id, "ip": e.ip,
                           "outcome": e.outcome, "detail": e.detail})
                );
            }
            Ok(())
        }
    }
}

/// `--since 3600` (the last hour) or `--since @1767225600` (a Unix time).
fn parse_since(v: &str, now: i64) -> Result<i64, Failure> {
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

/// `connectid clients …`: reads go to the store; changes are the use cases the admin API
/// calls too (`connectid_web::clients`).
async fn clients(
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
            let state = app_state(cfg, store, clock, 1, &mut Vec::new()).await?;
            let (record, secret) = connectid_web::clients::create(&state, meta)
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
            let state = app_state(cfg, store, clock, 1, &mut Vec::new()).await?;
            let (record, secret) = connectid_web::clients::update(&state, &client_id, meta)
                .await
                .map_err(use_case)?;
            print_json(&client::to_json(&record, secret.as_deref()));
        }
        ClientsCommand::Delete { client_id } => {
            let state = app_state(cfg, store, clock, 1, &mut Vec::new()).await?;
            connectid_web::clients::delete(&state, &client_id)
                .await
                .map_err(use_case)?;
            println!("deleted {client_id}");
        }
    }
    Ok(())
}

async fn accounts(
    store: &dyn Store,
    cfg: &Config,
    command: AccountsCommand,
    now: i64,
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
            let password_hash = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
                let password = line.trim_end_matches(['\r', '\n']);
                check_policy(password).map_err(|e| Failure::Usage(format!("password: {e}")))?;
                let hasher =
                    PasswordHasher::owasp(1).map_err(|e| Failure::Runtime(e.to_string()))?;
                Some(
                    hasher
                        .hash(password)
                        .await
                        .map_err(|e| Failure::Runtime(e.to_string()))?,
                )
            } else {
                None
            };
            let id = connectid_core::crypto::random_uuid();
            store
                .create_account(&NewAccount {
                    id: id.clone(),
                    identifiers,
                    password_hash,
                    now,
                })
                .await
                .map_err(|e| match e {
                    StoreError::Conflict(_) => {
                        Failure::Usage("an identifier already belongs to another account".into())
                    }
                    other => other.into(),
                })?;
            println!("{}", json!({ "id": id }));
        }
        AccountsCommand::Show { id } => match store.get_account(&id).await? {
            Some(a) => print_json(&json!({
                "id": a.id,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
                "has_password": a.has_password(),
                "identifiers": a.identifiers.iter().map(|i| json!({
                    "kind": i.identifier.kind, "value": i.identifier.value, "verified": i.verified
                })).collect::<Vec<_>>(),
            })),
            None => return Err(Failure::Usage(format!("no account `{id}`"))),
        },
        AccountsCommand::Delete { id } => delete_account(cfg, Arc::new(SystemClock), &id).await?,
    }
    Ok(())
}

/// `connectid accounts delete ID`: the same use case as "Delete account" in My account, so
/// services hear of it (back-channel logout) and the audit log records it; the command waits
/// (at most [`DELIVERY_DRAIN`]) for the logout tokens to be delivered before it exits.
async fn delete_account(cfg: &Config, clock: Arc<dyn Clock>, id: &str) -> Result<(), Failure> {
    let store = open_store(cfg).await?;
    let mut queues = Vec::new();
    let state = app_state(cfg, store, clock, 1, &mut queues).await?;
    let deleted =
        connectid_web::accounts::delete(&state, id, connectid_web::accounts::Actor::Operator)
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

async fn keys(
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
                kind: "key_rotation".into(),
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

/// The provider of one channel. The network ones (webhook, SMTP) sit behind the delivery
/// queue, so no request waits on a gateway; the outbox and the log are local and immediate.
fn sender(
    cfg: &Config,
    channel: &str,
    queues: &mut Vec<Arc<DeliveryQueue>>,
) -> Result<Arc<dyn MessageSender>, Failure> {
    use connectid_web::outbox::{LogSender, OutboxSender, SmtpSender, WebhookSender};
    let (provider, outbox) = match channel {
        "sms" => (&cfg.sms.provider, &cfg.sms.outbox),
        _ => (&cfg.email.provider, &cfg.email.outbox),
    };
    let bad = |key: &str, e: connectid_core::messages::SendError| {
        Failure::Usage(format!("config: `{key}`: {}", e.0))
    };
    let network: Arc<dyn MessageSender> = match provider.as_str() {
        "outbox" => return Ok(Arc::new(OutboxSender::new(outbox))),
        "webhook" => Arc::new(
            WebhookSender::new(&cfg.sms.webhook_url, cfg.sms.webhook_secret.expose())
                .map_err(|e| bad("sms.webhook_url", e))?,
        ),
        "smtp" => Arc::new(
            SmtpSender::new(cfg.email.smtp_url.expose(), &cfg.email.from)
                .map_err(|e| bad("email.smtp_url", e))?,
        ),
        _ => return Ok(Arc::new(LogSender)),
    };
    let queue = Arc::new(DeliveryQueue::spawn(
        network,
        DELIVERY_QUEUE_CAPACITY,
        DELIVERY_CONCURRENCY,
    ));
    queues.push(queue.clone());
    Ok(queue)
}

/// Messages waiting for a gateway before new ones are refused (the person may retry).
const DELIVERY_QUEUE_CAPACITY: usize = 1024;
/// Deliveries in flight at once per channel.
const DELIVERY_CONCURRENCY: usize = 16;
/// How long a shutdown waits for accepted messages to go out.
const DELIVERY_DRAIN: Duration = Duration::from_secs(10);

/// Sends SMS through one provider and email through the other.
struct Router {
    sms: Arc<dyn MessageSender>,
    email: Arc<dyn MessageSender>,
}

#[async_trait::async_trait]
impl MessageSender for Router {
    async fn send(
        &self,
        m: connectid_core::messages::Message,
    ) -> Result<(), connectid_core::messages::SendError> {
        match m.channel {
            connectid_core::messages::Channel::Sms => self.sms.send(m).await,
            connectid_core::messages::Channel::Email => self.email.send(m).await,
        }
    }
}

/// Registers or updates the `[[clients]]` of the config file; they need a `client_id`.
async fn config_clients(store: &dyn Store, cfg: &Config, now: i64) -> Result<(), Failure> {
    for (i, value) in cfg.clients.iter().enumerate() {
        let json = serde_json::to_string(value).map_err(|e| Failure::Usage(e.to_string()))?;
        let meta = ClientMetadata::from_json(&json)
            .map_err(|e| Failure::Usage(format!("config: `clients[{i}]`: {e}")))?;
        let Some(id) = meta.client_id.clone() else {
            return Err(Failure::Usage(format!(
                "config: `clients[{i}].client_id`: required for clients in the config file"
            )));
        };
        let bad = |e: client::ClientError| Failure::Usage(format!("config: `clients[{i}]`: {e}"));
        upsert_client(store, &id, meta, now, bad).await?;
    }
    Ok(())
}

async fn serve(mut cfg: Config, demo: bool) -> Result<(), Failure> {
    init_tracing();
    let addr = cfg.listen_addr()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let db = open_database(&cfg).await?;
    let limiter = rate_limiter(&cfg, db.clone()).await?;
    let store: Arc<dyn Store> = db;
    config_clients(&*store, &cfg, clock.now()).await?;
    account_client(&*store, &cfg, clock.now()).await?;
    let extra = if demo {
        // The demo shows what was "sent", so both channels go to the outbox.
        cfg.sms.provider = "outbox".into();
        cfg.email.provider = "outbox".into();
        demo_services(&*store, &cfg, clock.now()).await?
    } else {
        axum::Router::new()
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // One core stays free of hashing, so a burst of sign-ins cannot stall everything else.
    let hashers = cores.saturating_sub(1).max(1);
    let mut queues = Vec::new();
    let limits =
        connectid_core::ratelimit::RateLimits::new(limiter, cfg.rate_limits.clone(), clock.clone());
    let state = app_state(&cfg, store.clone(), clock.clone(), hashers, &mut queues)
        .await?
        .with_limits(limits);
    spawn_maintenance(state.clone(), cfg.audit.retention_days);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Runtime(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!(%addr, issuer = %cfg.issuer, "connectid is listening");
    if demo {
        tracing::info!("demo services at {}/demo", cfg.issuer.trim_end_matches('/'));
    }
    let app = connectid_web::router_with(state, extra)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| Failure::Runtime(e.to_string()))?;
    for q in &queues {
        q.drain(DELIVERY_DRAIN).await;
    }
    tracing::info!("connectid stopped");
    Ok(())
}

/// The application's state for this config: what `serve` answers requests with, and what a
/// command that runs a use case (`accounts delete`) calls the same functions with.
async fn app_state(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hashers: usize,
    queues: &mut Vec<Arc<DeliveryQueue>>,
) -> Result<AppState, Failure> {
    let cipher = KeyCipher::new(Some(cfg.keys.encryption_key.expose()));
    let keyset = connectid_web::ensure_keys(&*store, &cipher, clock.now())
        .await
        .map_err(|e| Failure::Runtime(e.to_string()))?;
    let hasher = PasswordHasher::owasp(hashers).map_err(|e| Failure::Runtime(e.to_string()))?;
    let settings = WebSettings {
        issuer: cfg.issuer.clone(),
        admin_token: Some(cfg.admin.token.expose().to_string()).filter(|t| !t.is_empty()),
        default_phone_region: cfg.phone_region()?,
        trusted_proxies: cfg.trusted_proxies()?,
        forwarded_proxies: cfg.forwarded_proxies()?,
        previewer_enabled: cfg.previewer.enabled,
        msisdn_header: cfg.mobile_network.msisdn_header.clone(),
        password_policy: cfg.password,
        metrics_token: Some(cfg.metrics.token.expose().to_string()).filter(|t| !t.is_empty()),
        cookie_domain: cfg.cookie_domain()?,
    };
    let sender: Arc<dyn MessageSender> = Arc::new(Router {
        sms: sender(cfg, "sms", queues)?,
        email: sender(cfg, "email", queues)?,
    });
    Ok(AppState::new(
        store, clock, settings, keyset, cipher, hasher, sender,
    ))
}

/// Registers (or refreshes) the built-in client of the account pages, for this issuer. Its
/// secret is made at the first registration, never shown and kept by later ones: nothing
/// exchanges its codes for tokens. (No randomness at every start: the first use of the
/// system RNG costs aws-lc's jitter-entropy seeding, some 50 ms of CPU, on the cold start.)
async fn account_client(store: &dyn Store, cfg: &Config, now: i64) -> Result<(), Failure> {
    let meta = connectid_web::account::client_metadata(&cfg.issuer);
    let meta = ClientMetadata::from_json(&meta.to_string())
        .map_err(|e| Failure::Runtime(format!("account client: {e}")))?;
    let bad = |e: client::ClientError| Failure::Runtime(format!("account client: {e}"));
    upsert_client(store, connectid_web::account::CLIENT_ID, meta, now, bad).await
}

/// Registers `meta` as client `id`, or updates it when it exists (start-up registrations
/// of the config file, the account pages and the demo).
async fn upsert_client(
    store: &dyn Store,
    id: &str,
    meta: ClientMetadata,
    now: i64,
    bad: impl Fn(client::ClientError) -> Failure,
) -> Result<(), Failure> {
    match store.get_client(id).await? {
        Some(existing) => {
            let (record, _) = client::update(&existing, meta, now).map_err(bad)?;
            // Every node does this at every start: write only what changed.
            if record.metadata != existing.metadata || record.secret_hash != existing.secret_hash {
                store.update_client(&record).await?;
            }
        }
        None => {
            let (record, _) = client::register(meta, now).map_err(bad)?;
            store.create_client(&record).await?;
        }
    }
    Ok(())
}

/// Registers the three demo services (fresh secrets each start) and builds their routes.
async fn demo_services(store: &dyn Store, cfg: &Config, now: i64) -> Result<axum::Router, Failure> {
    let mut secrets = std::collections::HashMap::new();
    for spec in connectid_demo::SERVICES {
        let secret = connectid_core::crypto::random_token();
        let json = spec.metadata(&cfg.issuer, &secret).to_string();
        let meta = ClientMetadata::from_json(&json)
            .map_err(|e| Failure::Runtime(format!("demo service {}: {e}", spec.slug)))?;
        let bad =
            |e: client::ClientError| Failure::Runtime(format!("demo service {}: {e}", spec.slug));
        upsert_client(store, spec.slug, meta, now, bad).await?;
        secrets.insert(spec.slug.to_string(), secret);
    }
    let outboxes = vec![
        std::path::PathBuf::from(&cfg.sms.outbox),
        std::path::PathBuf::from(&cfg.email.outbox),
    ];
    let demo = connectid_demo::Demo::new(&cfg.issuer, &secrets, outboxes);
    Ok(connectid_demo::router(demo))
}

/// Reloads keys (a rotation elsewhere reaches this node) and purges expired rows.
fn spawn_maintenance(state: AppState, retention_days: u32) {
    let retention = i64::from(retention_days) * 86_400;
    tokio::spawn(async move {
        let mut ticks: u64 = 0;
        loop {
            tokio::time::sleep(Duration::from_secs(15)).await;
            ticks += 1;
            let now = state.now();
            match connectid_web::ensure_keys(&*state.store, &state.cipher, now).await {
                Ok(ks) => state.set_keyset(ks),
                Err(e) => tracing::error!(error = %e, "key reload failed"),
            }
            if ticks.is_multiple_of(40) {
                if let Err(e) = state.store.purge_expired(now).await {
                    tracing::error!(error = %e, "purge failed");
                }
                if let Err(e) = state.store.purge_audit(now - retention).await {
                    tracing::error!(error = %e, "audit retention purge failed");
                }
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let json = std::env::var("CONNECTID_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
