//! The physical limits `bench/run` divides connectid's figures by, measured on the same machine
//! in the same run, with the same crates and the same release profile as connectid:
//!
//! ```text
//! connectid-limits hello ADDR              axum hello-world on ADDR until killed (load it with wrk)
//! connectid-limits rs256 SECONDS THREADS   tight RS256 (RSA-2048, PKCS#1 v1.5, SHA-256) signing loop
//! connectid-limits argon2 SECONDS THREADS  tight Argon2id verify loop at connectid's parameters
//! connectid-limits es256v SECONDS THREADS  tight ES256 (P-256) verify loop: what a DPoP proof adds
//! connectid-limits dpop-proofs N HTU       N DPoP proofs (RFC 9449) for POST HTU, one key, a line each
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
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _,
    RSA_PKCS1_SHA256, UnparsedPublicKey,
};

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
        ["es256v", secs, threads] => parse(secs, threads).and_then(|(d, t)| run_loop(d, t, es256v)),
        ["dpop-proofs", n, htu] => n
            .parse()
            .map_err(|_| format!("bad N {n}"))
            .and_then(|n| dpop_proofs(n, htu)),
        _ => Err(
            "usage: connectid-limits hello ADDR | rs256|argon2|es256v SECONDS THREADS | dpop-proofs N HTU"
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

/// Verifies an ES256 signature from the key's raw public point, as connectid checks a DPoP
/// proof (`verify_with_jwk`: the point rebuilt from the JWK's x and y for each proof).
fn es256v() -> Result<Box<dyn FnMut() -> Result<(), String>>, String> {
    let key = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(|e| e.to_string())?;
    let input = vec![b'e'; JWT_INPUT_LEN];
    let sig = key
        .sign(&SystemRandom::new(), &input)
        .map_err(|e| e.to_string())?;
    let point = key.public_key().as_ref().to_vec();
    Ok(Box::new(move || {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point.clone())
            .verify(&input, sig.as_ref())
            .map_err(|_| "bad signature".to_string())
    }))
}

/// `n` DPoP proofs for `POST htu`, signed with one new ES256 key, `iat` now: bench/run's pool
/// for the DPoP-bound token path (each proof works once, for five minutes).
fn dpop_proofs(n: usize, htu: &str) -> Result<(), String> {
    let rng = SystemRandom::new();
    let key = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(|e| e.to_string())?;
    let point = key.public_key().as_ref();
    let (x, y) = (b64url(&point[1..33]), b64url(&point[33..65]));
    let header = b64url(
        format!(
            r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{{"kty":"EC","crv":"P-256","x":"{x}","y":"{y}"}}}}"#
        )
        .as_bytes(),
    );
    let iat = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let mut out = String::new();
    for i in 0..n {
        let claims = b64url(
            format!(r#"{{"jti":"bench-{iat}-{i}","htm":"POST","htu":"{htu}","iat":{iat}}}"#)
                .as_bytes(),
        );
        let input = format!("{header}.{claims}");
        let sig = key
            .sign(&rng, input.as_bytes())
            .map_err(|e| e.to_string())?;
        out.push_str(&format!("{input}.{}\n", b64url(sig.as_ref())));
    }
    print!("{out}");
    Ok(())
}

/// base64url without padding (RFC 7515 §2), the few lines it takes.
fn b64url(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            s.push(A[(v >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    s
}
