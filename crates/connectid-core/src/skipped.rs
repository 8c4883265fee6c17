//! For the backends' conformance suites (dev only): a suite that cannot run here.

use std::io::Write as _;

/// A suite that cannot run here (its service is missing): fails under `CI`, else says so past
/// the test harness's capture (a passing test's output is hidden) and in `skipped.txt` of
/// `tmpdir` (the suite's `CARGO_TARGET_TMPDIR`), which `./test` summarises at the end.
pub fn skipped(what: &str, tmpdir: &str) {
    assert!(std::env::var_os("CI").is_none(), "CI is set, and {what}");
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
    let file = std::path::Path::new(tmpdir).join("skipped.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = writeln!(f, "{what}");
    }
}
