//! Start-up and shutdown: the database, the rate limiter, the message senders, the
//! application state (shared with the commands that run use cases), the server itself, its
//! maintenance task and its signals. The registrations of every start are in
//! `registrations.rs`.

use super::*;
use crate::registrations::{account_client, config_clients, demo_services};
use crate::telemetry::init_tracing;

pub(crate) async fn open_store(cfg: &Config) -> Result<Arc<dyn Store>, Failure> {
    Ok(open_database(cfg).await?)
}

pub(crate) async fn open_database(cfg: &Config) -> Result<Arc<connectid_store::Database>, Failure> {
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
pub(crate) async fn rate_limiter(
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

/// The provider of one channel. Every one sits behind the durable outbox
/// (`connectid_web::delivery`); the local ones (outbox file, log) are delivered by the
/// request itself, the network ones by the workers. SMPP's delivery receipts go to `store`.
pub(crate) fn sender(
    cfg: &Config,
    channel: &str,
    store: &Arc<dyn Store>,
) -> Result<Arc<dyn MessageSender>, Failure> {
    use connectid_web::outbox::{LogSender, OutboxSender, SmtpSender, WebhookSender};
    use connectid_web::smpp::SmppSender;
    let (provider, outbox) = match channel {
        "sms" => (&cfg.sms.provider, &cfg.sms.outbox),
        _ => (&cfg.email.provider, &cfg.email.outbox),
    };
    let bad = |key: &str, e: connectid_core::messages::SendError| {
        Failure::Usage(format!("config: `{key}`: {e}"))
    };
    Ok(match provider.as_str() {
        "outbox" => Arc::new(OutboxSender::new(outbox)),
        "webhook" => Arc::new(
            WebhookSender::new(&cfg.sms.webhook_url, cfg.sms.webhook_secret.expose())
                .map_err(|e| bad("sms.webhook_url", e))?,
        ),
        "smpp" => Arc::new(
            SmppSender::new(
                cfg.sms.smpp_url.expose(),
                &cfg.sms.smpp_source,
                store.clone(),
            )
            .map_err(|e| {
                let key = match e {
                    connectid_web::smpp::SmppError::Source(_) => "sms.smpp_source",
                    _ => "sms.smpp_url",
                };
                Failure::Usage(format!("config: `{key}`: {e}"))
            })?,
        ),
        "smtp" => Arc::new(
            SmtpSender::new(cfg.email.smtp_url.expose(), &cfg.email.from)
                .map_err(|e| bad("email.smtp_url", e))?,
        ),
        _ => Arc::new(LogSender),
    })
}

/// How long a shutdown waits for the deliveries under way to end.
pub(crate) const DELIVERY_DRAIN: Duration = Duration::from_secs(10);

/// `connectid serve`: logs to standard output, builds the server on the configured address and
/// runs it until SIGINT or SIGTERM.
pub(crate) async fn serve(cfg: Config, demo: bool) -> Result<(), Failure> {
    init_tracing(cfg.telemetry.log_format == "json");
    let addr = cfg.listen_addr()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Bound before anything else: a port in use leaves no database behind.
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        Failure::Runtime(format!(
            "cannot listen on {addr}: {e} (choose another address with --listen)"
        ))
    })?;
    build(cfg, clock, Listen::On(listener), demo)
        .await?
        .run_until(shutdown_signal())
        .await
}

/// Where the server listens: a listener its caller bound (port 0 in the tests: no race for
/// a free port), or an address it binds itself once the database is ready.
pub enum Listen {
    On(tokio::net::TcpListener),
    Bind(std::net::SocketAddr),
}

impl From<tokio::net::TcpListener> for Listen {
    fn from(l: tokio::net::TcpListener) -> Self {
        Listen::On(l)
    }
}

/// The one start-up path, for `connectid serve` and the in-process tests alike: opens the
/// database, makes the registrations of every start, builds the application state with
/// `clock`, starts its maintenance, and serves on `listen` in a spawned task. The returned
/// [`Running`] stops the server when it is shut down or dropped.
pub async fn build(
    mut cfg: Config,
    clock: Arc<dyn Clock>,
    listen: Listen,
    demo: bool,
) -> Result<Running, Failure> {
    // Held for as long as the server runs: `connectid restore` refuses the file meanwhile.
    let new_file = connectid_store::sqlite_file(cfg.database_url.expose()).filter(|p| !p.exists());
    let serving = connectid_store::serving_lock(cfg.database_url.expose())?;
    let db = open_database(&cfg).await?;
    if let Some(path) = new_file {
        tracing::info!(path = %path.display(), "created a new SQLite database");
    }
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
    let limits =
        connectid_core::ratelimit::RateLimits::new(limiter, cfg.rate_limits.clone(), clock.clone());
    let state = app_state(&cfg, store.clone(), clock.clone(), hashers)
        .await?
        .with_limits(limits);
    let maintenance = spawn_maintenance(state.clone(), cfg.audit.retention_days);
    let worker = tokio::spawn(state.delivery.clone().run());
    let delivery_worker = worker.abort_handle();
    let listener = match listen {
        Listen::On(l) => l,
        Listen::Bind(addr) => tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::Runtime(format!("cannot listen on {addr}: {e}")))?,
    };
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::Runtime(format!("cannot listen: {e}")))?;
    tracing::info!(%addr, issuer = %cfg.issuer, "connectid is listening");
    if demo {
        tracing::info!("demo services at {}/demo", cfg.issuer.trim_end_matches('/'));
    }
    let app = connectid_web::router_with(state.clone(), extra);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let delivery = state.delivery.clone();
    let http_limits = cfg.http_limits();
    let server = tokio::spawn(async move {
        crate::http_server::serve(listener, app, http_limits, async move {
            let _ = stopped.await;
        })
        .await;
        worker.abort();
        delivery.drain(DELIVERY_DRAIN).await;
        Ok(())
    });
    Ok(Running {
        addr,
        state,
        stop: Some(stop),
        server: Some(server),
        maintenance,
        delivery_worker,
        _serving: serving,
    })
}

/// A server [`build`] started: it serves until [`Running::shutdown`], or until it is dropped
/// (then it stops accepting at once, without waiting for the message queues).
pub struct Running {
    addr: std::net::SocketAddr,
    state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<Result<(), Failure>>>,
    maintenance: tokio::task::JoinHandle<()>,
    /// This node's outbox worker; the server task stops it at a graceful shutdown.
    delivery_worker: tokio::task::AbortHandle,
    _serving: Option<connectid_store::ServingLock>,
}

impl Running {
    /// The address it listens on (with the port the system chose for port 0).
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    /// The application state it answers requests with.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `signal`, then shuts down; an error of the server ends it sooner.
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> Result<(), Failure> {
        let Some(mut server) = self.server.take() else {
            return Ok(());
        };
        tokio::select! {
            () = signal => {
                self.server = Some(server);
                self.shutdown().await
            }
            ended = &mut server => {
                self.maintenance.abort();
                joined(ended)
            }
        }
    }

    /// Stops accepting, lets the requests in flight finish and the accepted messages go
    /// out (at most [`DELIVERY_DRAIN`]).
    pub async fn shutdown(mut self) -> Result<(), Failure> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.maintenance.abort();
        let result = match self.server.take() {
            Some(server) => joined(server.await),
            None => Ok(()),
        };
        if result.is_ok() {
            tracing::info!("connectid stopped");
        }
        result
    }
}

fn joined(r: Result<Result<(), Failure>, tokio::task::JoinError>) -> Result<(), Failure> {
    r.map_err(|e| Failure::Runtime(format!("the server task failed: {e}")))?
}

impl Drop for Running {
    fn drop(&mut self) {
        self.maintenance.abort();
        self.delivery_worker.abort();
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// The application's state for this config: what `serve` answers requests with, and what a
/// command that runs a use case (`accounts delete`) calls the same functions with.
pub(crate) async fn app_state(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hashers: usize,
) -> Result<AppState, Failure> {
    let cipher = KeyCipher::new(Some(cfg.keys.encryption_key.expose()));
    let keyset = connectid_web::ensure_keys(&*store, &cipher, clock.now())
        .await
        .map_err(|e| Failure::Runtime(e.to_string()))?;
    let hasher = PasswordHasher::owasp(hashers)
        .map_err(|e| Failure::Runtime(e.to_string()))?
        .with_firebase(cfg.firebase()?);
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
        sms_policy: cfg.sms_policy()?,
        fraud: connectid_core::fraud::FraudSettings {
            mode: cfg.fraud_mode()?,
            always_challenge: cfg.fraud.always_challenge,
        },
        webhooks: cfg.subscriptions()?,
        require_pushed_authorization_requests: cfg.oauth.require_pushed_authorization_requests,
        use_dpop_nonce: cfg.oauth.use_dpop_nonce,
        camara: cfg.camara()?,
    };
    let network = |p: &str| matches!(p, "webhook" | "smtp" | "smpp");
    if cfg.keys.encryption_key.expose().is_empty()
        && (network(&cfg.sms.provider) || network(&cfg.email.provider))
    {
        tracing::warn!(
            "keys.encryption_key is not set: signing keys, and messages waiting for a gateway \
             (with their codes), are stored in the database unencrypted"
        );
    }
    // Delivery is scheduled on the wall clock, whatever clock the application runs on.
    let tracer = match cfg.telemetry.otlp_endpoint.as_str() {
        "" => connectid_web::trace::Tracer::default(),
        endpoint => {
            // Masked: a collector's URL may carry credentials.
            let shown = connectid_core::secret::SecretUrl::new(endpoint).masked();
            tracing::info!(endpoint = %shown, "exporting traces over OTLP");
            connectid_web::trace::Tracer::otlp(endpoint, &cfg.telemetry.service_name)
                .map_err(|e| Failure::Runtime(format!("telemetry.otlp_endpoint: {e}")))?
        }
    };
    let delivery = Delivery::new(
        store.clone(),
        Arc::new(SystemClock),
        cipher.clone(),
        sender(cfg, "sms", &store)?,
        sender(cfg, "email", &store)?,
        Arc::new(
            connectid_web::delivery::EventSender::new(store.clone(), cfg.subscriptions()?)
                .map_err(|e| Failure::Runtime(e.to_string()))?,
        ),
        tracer,
    );
    Ok(AppState::new(
        store, clock, settings, keyset, cipher, hasher, delivery,
    ))
}

/// Reloads keys (a rotation elsewhere reaches this node) and purges expired rows.
pub(crate) fn spawn_maintenance(
    state: AppState,
    retention_days: u32,
) -> tokio::task::JoinHandle<()> {
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
    })
}

pub(crate) async fn shutdown_signal() {
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
