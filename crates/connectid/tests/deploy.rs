//! The deployment files in `deploy/` hold what they promise (issue 19): the systemd unit
//! runs hardened, and `systemd-analyze verify` accepts it (where the machine has it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{BIN, skipped};

fn repo(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn the_systemd_unit_is_hardened_and_verifies() {
    let unit = repo("deploy/systemd/connectid.service");
    for line in [
        "DynamicUser=yes",
        "StateDirectory=connectid",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "PrivateTmp=yes",
        "MemoryDenyWriteExecute=yes",
        "SystemCallFilter=@system-service",
        "KillSignal=SIGTERM",
    ] {
        assert!(unit.lines().any(|l| l == line), "{line} missing");
    }
    // Secrets come from an environment file, never from the unit.
    assert!(
        !unit.to_lowercase().contains("token="),
        "a secret in the unit"
    );
    assert!(
        !unit.contains("postgres://"),
        "a database URL with credentials in the unit"
    );
    let Ok(analyze) = which("systemd-analyze") else {
        skipped("systemd-analyze verify: not installed");
        return;
    };
    // Verified with this build's binary in place of the installed path.
    let dir = std::env::temp_dir().join(format!(
        "connectid-unit-{}",
        connectid_core::crypto::random_id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("connectid.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/connectid", BIN)).unwrap();
    let out = std::process::Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    // An unknown or misspelt key is only a warning to systemd: none may be there.
    assert!(said.trim().is_empty(), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn which(cmd: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(cmd))
        .find(|p| p.is_file())
        .ok_or(())
}
