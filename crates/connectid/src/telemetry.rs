//! Logs: `tracing` to standard output, filtered by `RUST_LOG`, as text or as one JSON object
//! a line (`[telemetry] log_format`), for a log pipeline that parses fields. Colour only on a
//! terminal (and never with `NO_COLOR`): a file or a pipe gets plain text.

use std::io::IsTerminal;

pub(crate) fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
