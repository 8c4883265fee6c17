//! Logs: `tracing` to standard error, filtered by `RUST_LOG`, as text or as one JSON object
//! a line (`[telemetry] log_format`), for a log pipeline that parses fields.

pub(crate) fn init_tracing(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
