//! `connectid accounts import FILE [--dry-run]`, `accounts export` and `events redeliver`:
//! the file handling around the use cases of `connectid_web::app::transfer`.
//!
//! The file is streamed: lines are read one at a time (a line longer than the limit is
//! skipped to its end, never held whole), checked, and written [`BATCH`] accounts per
//! transaction, so memory stays flat however large the file. A rejected line is reported on
//! stderr with its number and written nowhere; the others are imported. Running the same file
//! again skips what is there, so an import cut off half-way is resumed by running it again.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use connectid_core::clock::Clock;
use connectid_core::import::{ImportedAccount, MAX_LINE_BYTES, parse_line};
use connectid_core::store::{ImportOutcome, Store};
use connectid_web::AppState;
use connectid_web::app::accounts::Actor;
use connectid_web::app::transfer::{BATCH, export_page, import_batch};

use crate::{Config, Failure, cli::command_state};

#[derive(Default)]
struct Tally {
    lines: u64,
    imported: u64,
    skipped: u64,
    rejected: u64,
}

/// `connectid accounts import FILE` (`-` for stdin).
pub(crate) async fn import(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    file: &Path,
    dry_run: bool,
) -> Result<(), Failure> {
    let region = cfg.phone_region()?;
    let state = command_state(cfg, store, clock).await?;
    let (mut reader, size): (Box<dyn BufRead>, Option<u64>) = if file == Path::new("-") {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let f = std::fs::File::open(file)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", file.display())))?;
        let size = f.metadata().ok().map(|m| m.len());
        (
            Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            size,
        )
    };
    let mut run = Batches {
        state: &state,
        dry_run,
        progress: Progress::new(size),
        tally: Tally::default(),
        batch: Vec::with_capacity(BATCH),
        numbers: Vec::with_capacity(BATCH),
    };
    let mut buf = Vec::new();
    loop {
        let read = next_line(&mut reader, &mut buf)
            .map_err(|e| Failure::Runtime(format!("reading {}: {e}", file.display())))?;
        let Some(consumed) = read else { break };
        run.tally.lines += 1;
        run.progress.bytes += consumed as u64;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(&buf, region, state.hasher.firebase()) {
            Ok(account) => {
                run.batch.push(account);
                run.numbers.push(run.tally.lines);
            }
            Err(e) => run.reject(run.tally.lines, &e.to_string()),
        }
        if run.batch.len() == BATCH {
            run.write().await?;
        }
    }
    run.write().await?;
    let Batches {
        mut progress,
        tally,
        ..
    } = run;
    progress.done();
    let (imported, skipped, rejected) = if dry_run {
        ("would import", "skip", "reject")
    } else {
        ("imported", "skipped", "rejected")
    };
    println!(
        "{imported} {}, {skipped} {}, {rejected} {}",
        tally.imported, tally.skipped, tally.rejected
    );
    if tally.rejected > 0 {
        return Err(Failure::Usage(format!(
            "{} line(s) rejected, listed above; the others were {}",
            tally.rejected,
            if dry_run { "checked" } else { "imported" }
        )));
    }
    Ok(())
}

/// The accounts read and not yet written, with their line numbers, and what became of the
/// lines so far.
struct Batches<'a> {
    state: &'a AppState,
    dry_run: bool,
    progress: Progress,
    tally: Tally,
    batch: Vec<ImportedAccount>,
    numbers: Vec<u64>,
}

impl Batches<'_> {
    fn reject(&mut self, line: u64, why: &str) {
        self.tally.rejected += 1;
        self.progress.clear();
        eprintln!("line {line}: {why}");
    }

    /// Writes the accounts read so far as one transaction (nothing on a dry run).
    async fn write(&mut self) -> Result<(), Failure> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let outcomes = import_batch(self.state, &self.batch, self.dry_run, Actor::Operator)
            .await
            .map_err(|e| {
                Failure::Runtime(format!(
                    "lines {}–{} were not written ({e}); {} accounts were imported before them: \
                     run the same command again to go on from there",
                    self.numbers.first().copied().unwrap_or(0),
                    self.numbers.last().copied().unwrap_or(0),
                    self.tally.imported
                ))
            })?;
        let numbers = std::mem::take(&mut self.numbers);
        for (outcome, line) in outcomes.iter().zip(&numbers) {
            match outcome {
                ImportOutcome::Imported(_) => self.tally.imported += 1,
                ImportOutcome::AlreadyThere => self.tally.skipped += 1,
                ImportOutcome::Duplicate(why) => self.reject(*line, &format!("duplicate: {why}")),
            }
        }
        self.batch.clear();
        self.numbers = numbers;
        self.numbers.clear();
        self.progress.show(&self.tally);
        Ok(())
    }
}

/// Reads the next line into `buf` without its line ending, keeping at most one byte more than
/// [`MAX_LINE_BYTES`] of it (enough to know it is too long); returns the bytes consumed, or
/// `None` at the end.
fn next_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<Option<usize>> {
    buf.clear();
    let mut consumed = 0;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            return Ok((consumed > 0).then_some(consumed));
        }
        let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&part[..part.len().min(room)]);
        r.consume(used);
        consumed += used;
        if end {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(consumed));
        }
    }
}

/// A bar on a terminal, a line per 100,000 lines otherwise.
struct Progress {
    terminal: bool,
    size: Option<u64>,
    bytes: u64,
    started: Instant,
    shown_lines: u64,
    drawn: bool,
}

impl Progress {
    fn new(size: Option<u64>) -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            size,
            bytes: 0,
            started: Instant::now(),
            shown_lines: 0,
            drawn: false,
        }
    }

    fn show(&mut self, t: &Tally) {
        let rate = t.lines as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        if self.terminal {
            let bar = match self.size.filter(|s| *s > 0) {
                Some(size) => {
                    let done = (self.bytes.min(size) * 30 / size) as usize;
                    format!(
                        "[{}{}] {:>3}% ",
                        "#".repeat(done),
                        "-".repeat(30 - done),
                        self.bytes.min(size) * 100 / size
                    )
                }
                None => String::new(),
            };
            eprint!(
                "\r{bar}{} lines, {} imported, {rate:.0}/s  ",
                t.lines, t.imported
            );
            let _ = std::io::stderr().flush();
            self.drawn = true;
        } else if t.lines / 100_000 > self.shown_lines / 100_000 {
            eprintln!(
                "read {} lines: {} imported, {} skipped, {} rejected ({rate:.0} lines/s)",
                t.lines, t.imported, t.skipped, t.rejected
            );
            self.shown_lines = t.lines;
        }
    }

    fn clear(&mut self) {
        if self.drawn {
            eprint!("\r{}\r", " ".repeat(78));
            self.drawn = false;
        }
    }

    fn done(&mut self) {
        if self.drawn {
            eprintln!();
        }
    }
}

/// `connectid accounts export`: every account as a line of the import format, on stdout.
pub(crate) async fn export(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> Result<(), Failure> {
    let state = command_state(cfg, store, clock).await?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut after: Option<String> = None;
    loop {
        let (lines, next) = export_page(&state, after.as_deref()).await?;
        for line in &lines {
            let text = serde_json::to_string(line)
                .map_err(|e| Failure::Runtime(format!("cannot write an account: {e}")))?;
            writeln!(out, "{text}").map_err(|e| Failure::Runtime(format!("stdout: {e}")))?;
        }
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    out.flush()
        .map_err(|e| Failure::Runtime(format!("stdout: {e}")))
}

/// `connectid events redeliver`: account events given up on (or the one `id`) are queued
/// again, for the workers of the running servers to deliver.
pub(crate) async fn redeliver(
    cfg: &Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    id: Option<&str>,
    since: i64,
) -> Result<(), Failure> {
    let state = command_state(cfg, store, clock).await?;
    let n = state.delivery.redeliver_events(id, since).await?;
    if let (Some(id), 0) = (id, n) {
        return Err(Failure::Usage(format!(
            "no account event `{id}` (or it is older than the outbox keeps)"
        )));
    }
    println!("requeued {n}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_at_the_limit_and_read_to_their_end() {
        let long = "x".repeat(MAX_LINE_BYTES * 3);
        let text = format!("a\r\n{long}\nlast");
        let mut r = std::io::BufReader::with_capacity(1024, text.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(next_line(&mut r, &mut buf).unwrap(), Some(3));
        assert_eq!(buf, b"a");
        assert_eq!(next_line(&mut r, &mut buf).unwrap(), Some(long.len() + 1));
        assert_eq!(buf.len(), MAX_LINE_BYTES + 1);
        assert_eq!(next_line(&mut r, &mut buf).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        assert_eq!(next_line(&mut r, &mut buf).unwrap(), None);
    }
}
