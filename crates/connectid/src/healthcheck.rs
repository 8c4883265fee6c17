//! `connectid healthcheck`: asks this node's own `/healthz` over loopback, for container
//! runtimes whose image has nothing else to ask with (the image is the binary on `scratch`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Config, Failure};

pub(crate) async fn healthcheck(cfg: &Config) -> Result<(), Failure> {
    let mut addr = cfg.listen_addr()?;
    // A node listening on every address answers on loopback.
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    let status = tokio::time::timeout(Duration::from_secs(5), get_status(addr))
        .await
        .map_err(|_| Failure::Runtime(format!("{addr} did not answer within 5 s")))?
        .map_err(|e| Failure::Runtime(format!("{addr}: {e}")))?;
    if status == "200" {
        println!("healthy");
        Ok(())
    } else {
        Err(Failure::Runtime(format!("/healthz answered {status}")))
    }
}

/// The status code of `GET /healthz`, read from the status line.
async fn get_status(addr: SocketAddr) -> std::io::Result<String> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await?;
    let mut head = Vec::with_capacity(64);
    let mut buf = [0u8; 64];
    while !head.contains(&b'\n') && head.len() < 1024 {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head);
    Ok(line
        .split_whitespace()
        .nth(1)
        .unwrap_or("no answer")
        .to_string())
}
