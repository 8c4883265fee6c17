//! connectid as a library: the command line (`Cli`, [`run`]), the configuration, and the
//! start-up ([`build`]) that `connectid serve` and the integration tests share. The binary
//! (`main.rs`) only parses the arguments, makes the runtime and turns a [`Failure`] into an
//! exit code.

mod backup;
mod cli;
pub mod config;
mod healthcheck;
mod http_server;
mod registrations;
mod startup;
mod telemetry;
mod transfer;

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use connectid_core::client::{self, ClientMetadata, SigningAlg};
use connectid_core::clock::{Clock, SystemClock};
use connectid_core::identifier::Identifier;
use connectid_core::keys::{KeyCipher, generate};
use connectid_core::messages::MessageSender;
use connectid_core::password::{PasswordHasher, check_policy};
use connectid_core::store::{Store, StoreError};
use connectid_web::app::clients::ClientsError;
use connectid_web::delivery::Delivery;
use connectid_web::{AppState, WebSettings};
use serde_json::json;

use crate::cli::{accounts, clients, keys, parse_since};
pub use crate::config::Config;
use crate::config::{ConfigError, Overrides};
pub use crate::startup::{Listen, Running, build};
use crate::startup::{open_store, serve};

#[derive(Parser)]
#[command(
    name = "connectid",
    version,
    about = "An OpenID Connect identity provider"
)]
pub struct Cli {
    /// Configuration file (default: $CONNECTID_CONFIG, then ./connectid.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080; `listen` in the config).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// The public URL of this provider, as clients reach it (default: http://localhost:PORT
        /// for a loopback --listen; `issuer` in the config).
        #[arg(long, value_name = "URL")]
        issuer: Option<String>,
        /// sqlite://FILE or postgres://… (default sqlite://connectid.db; `database_url`).
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
    /// Account events sent to webhook subscribers.
    Events {
        #[command(subcommand)]
        command: EventsCommand,
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
    /// Copy the SQLite database to FILE, consistently, while servers run on it.
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Exit 0 when this node's /healthz answers 200 (a container's health check).
    Healthcheck,
    /// Replace the SQLite database with the backup FILE (refused while a server runs on it).
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum ClientsCommand {
    /// Register a client from metadata JSON (--file or stdin).
    Create {
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// List every client (a JSON array).
    List,
    /// Print one client's metadata as JSON.
    Show { client_id: String },
    /// Replace a client's metadata with JSON from --file or stdin.
    Update {
        client_id: String,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Make a new client secret (printed once); the old one stops working at once.
    RotateSecret { client_id: String },
    /// Delete a client; its tokens stop working.
    Delete { client_id: String },
}

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// Create an account with these identifiers (verified) and perhaps a password.
    Create {
        #[arg(long)]
        phone: Vec<String>,
        #[arg(long)]
        email: Vec<String>,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print an account (by its id, a phone number or an email) as JSON.
    Show {
        #[arg(value_name = "ID|PHONE|EMAIL")]
        id: String,
    },
    /// Delete an account as "Delete account" does: sessions end, services are told.
    Delete { id: String },
    /// Import accounts from JSON Lines (FILE, or - for stdin), with their password hashes.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Check every line and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write every account as JSON Lines on stdout (the import format).
    Export,
    /// Lock an account: its sessions end and no sign-in succeeds until it is unlocked.
    Lock {
        #[arg(value_name = "ID|PHONE|EMAIL")]
        id: String,
    },
    /// Unlock a locked account.
    Unlock {
        #[arg(value_name = "ID|PHONE|EMAIL")]
        id: String,
    },
}

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Queue account events again: those given up on, or one by its webhook-id.
    Redeliver {
        /// Only this event (its `webhook-id`), whatever became of it.
        #[arg(long)]
        id: Option<String>,
        /// Only events of the last N seconds, or since a Unix time with a leading `@`.
        #[arg(long, value_name = "SECONDS|@UNIX")]
        since: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// List the signing keys and their state.
    List,
    /// Make new signing keys; the old ones stay published until their tokens expire.
    Rotate,
}

/// A failure with its exit code: 2 for bad input, 1 for everything else.
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Runtime(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Runtime(m) => f.write_str(m),
        }
    }
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

fn env_vars() -> Vec<(String, String)> {
    std::env::vars().collect()
}

/// Runs one command of the command line to its end.
pub async fn run(cli: Cli) -> Result<(), Failure> {
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
            // TOML that reads back as a config file: a set secret is a comment (its value is
            // not shown, and a mask would not pass as the value).
            let text = toml::to_string(&shown)
                .map_err(|e| Failure::Runtime(format!("cannot print the config: {e}")))?;
            for line in text.lines() {
                if line.ends_with("= \"********\"") {
                    println!("# {line} (set, not shown)");
                } else {
                    println!("{line}");
                }
            }
            Ok(())
        }
        Command::Healthcheck => healthcheck::healthcheck(&cfg).await,
        Command::Backup { file } => backup::backup(&cfg, &file).await,
        Command::Restore { file } => backup::restore(&cfg, &file).await,
        Command::Migrate => {
            open_store(&cfg).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Clients { command } => clients(&cfg, Arc::new(clock), command).await,
        Command::Accounts { command } => {
            let store = open_store(&cfg).await?;
            accounts(store, &cfg, Arc::new(clock), command).await
        }
        Command::Events {
            command: EventsCommand::Redeliver { id, since },
        } => {
            let since = match since.as_deref() {
                None => 0,
                Some(v) => parse_since(v, clock.now())?,
            };
            let store = open_store(&cfg).await?;
            transfer::redeliver(&cfg, store, Arc::new(clock), id.as_deref(), since).await
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
