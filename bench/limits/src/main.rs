//! The physical limits `bench/run` divides connectid's figures by, measured on the same machine
//! in the same run, with the same crates and the same release profile as connectid:
//!
//! ```text
//! connectid-limits hello ADDR              axum hello-world on ADDR until killed (load it with wrk)
//! connectid-limits rs256 SECONDS THREADS   tight RS256 (RSA-2048, PKCS#1 v1.5, SHA-256) signing loop
//! connectid-limits argon2 SECONDS THREADS  tight Argon2id verify loop at connectid's parameters
//! ```
//!
//! The loops print one line of `key=value` pairs: `ops`, `wall_s`, `cpu_s` (CPU time of the
//! worker threads, from `/proc/thread-self/schedstat`), `per_cpu_s` and `per_wall_s`. CPU time
//! is what the figures of connectid are compared with, because the load generator shares the
//! two cores with the server.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::RSA_PKCS1_SHA256;

/// What connectid's `PasswordHasher::owasp` uses: 19 MiB, 2 passes, 1 lane.
const ARGON2_M_KIB: u32 = 19 * 1024;
const ARGON2_T: u32 = 2;
const ARGON2_P: u32 = 1;

/// About the size of the signing input of a connectid access token (header.claims, base64url).
const JWT_INPUT_LEN: usize = 420;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["hello", addr] => hello(addr),
        ["rs256", secs, threads] => parse(secs, threads).and_then(|(d, t)| run_loop(d, t, rs256)),
        ["argon2", secs, threads] => parse(secs, threads).and_then(|(d, t)| run_loop(d, t, argon2)),
        _ => Err(
            "usage: connectid-limits hello ADDR | rs256 SECONDS THREADS | argon2 SECONDS THREADS"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse(secs: &str, threads: &str) -> Result<(Duration, usize), String> {
    let secs: f64 = secs.parse().map_err(|_| format!("bad SECONDS {secs}"))?;
    let threads: usize = threads
        .parse()
        .map_err(|_| format!("bad THREADS {threads}"))?;
    if !secs.is_finite() || secs <= 0.0 || threads == 0 {
        return Err("SECONDS and THREADS must be positive".into());
    }
    Ok((Duration::from_secs_f64(secs), threads))
}

/// An axum server with one route and nothing else, on the same runtime flavour as connectid.
fn hello(addr: &str) -> Result<(), String> {
    let addr: std::net::SocketAddr = addr.parse().map_err(|_| format!("bad ADDR {addr}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, World!" }));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        axum::serve(listener, app).await.map_err(|e| e.to_string())
    })
}

/// CPU time of the calling thread in nanoseconds (first field of schedstat).
fn thread_cpu_ns() -> Result<u64, String> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").map_err(|e| e.to_string())?;
    s.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| "unreadable /proc/thread-self/schedstat".into())
}

/// A unit of work, made once per thread (`setup`) and then called until the time is up.
type Setup = fn() -> Result<Box<dyn FnMut() -> Result<(), String>>, String>;

fn run_loop(duration: Duration, threads: usize, setup: Setup) -> Result<(), String> {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || -> Result<(u64, u64, Duration), String> {
                let mut work = setup()?;
                work()?; // warm up: first-use costs (tables, page faults) are not the limit
                let cpu0 = thread_cpu_ns()?;
                let t0 = Instant::now();
                let mut ops = 0u64;
                while t0.elapsed() < duration {
                    work()?;
                    ops += 1;
                }
                let wall = t0.elapsed();
                Ok((ops, thread_cpu_ns()? - cpu0, wall))
            })
        })
        .collect();
    let (mut ops, mut cpu_ns, mut wall) = (0u64, 0u64, Duration::ZERO);
    for h in handles {
        let (o, c, w) = h.join().map_err(|_| "a worker panicked".to_string())??;
        ops += o;
        cpu_ns += c;
        wall = wall.max(w);
    }
    let cpu_s = cpu_ns as f64 / 1e9;
    let wall_s = wall.as_secs_f64();
    println!(
        "ops={ops} threads={threads} wall_s={wall_s:.3} cpu_s={cpu_s:.3} per_cpu_s={:.1} per_wall_s={:.1}",
        ops as f64 / cpu_s,
        ops as f64 / wall_s
    );
    Ok(())
}

/// Signs like connectid's `LoadedKey::sign_bytes`: a cached RSA-2048 key pair, a fresh
/// `SystemRandom` handle per signature, a signature buffer allocated per call.
fn rs256() -> Result<Box<dyn FnMut() -> Result<(), String>>, String> {
    let key = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|e| e.to_string())?;
    let input = vec![b'e'; JWT_INPUT_LEN];
    Ok(Box::new(move || {
        let rng = SystemRandom::new();
        let mut sig = vec![0u8; key.public_modulus_len()];
        key.sign(&RSA_PKCS1_SHA256, &rng, &input, &mut sig)
            .map_err(|e| e.to_string())?;
        std::hint::black_box(&sig);
        Ok(())
    }))
}

/// Verifies a password like connectid's sign-in: parse the PHC string, `Argon2::default()`
/// with the parameters it names, compare.
fn argon2() -> Result<Box<dyn FnMut() -> Result<(), String>>, String> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(b"connectid-bench!").map_err(|e| e.to_string())?;
    let phc = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(b"correct horse 42", &salt)
        .map_err(|e| e.to_string())?
        .to_string();
    Ok(Box::new(move || {
        let hash = PasswordHash::new(&phc).map_err(|e| e.to_string())?;
        Argon2::default()
            .verify_password(b"correct horse 42", &hash)
            .map_err(|e| e.to_string())
    }))
}
