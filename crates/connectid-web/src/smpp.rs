//! The `smpp` SMS provider: SMPP 3.4 straight to an operator's SMSC, beside the webhook.
//!
//! Operators who run their own SMSC would otherwise need a webhook-to-SMPP bridge. Each node
//! keeps one connection, bound as a transceiver: submits go out on it and the delivery
//! receipts come back on it, and land on the outbox row (`record_receipt`). The connection is
//! opened on the first message, not at start-up: a command (`connectid accounts …`) builds
//! the same state and must not take one of the SMSC's few binds.
//!
//! As every provider, this one tries once and says whether another try could help
//! ([`SendError::Retry`]: not bound, link down, no answer, throttled) or not
//! ([`SendError::Refused`]); the outbox schedules the retries. While the link is down a send
//! is answered at once, not after a wait. No log line carries a phone number or a text (the
//! text carries a code).

mod link;
mod pdu;
mod receipt;
mod text;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use connectid_core::messages::{Message, MessageSender, SendError};
use connectid_core::secret::Secret;
use connectid_core::store::Store;

use pdu::{Address, Sm};

/// What can go wrong with the SMPP provider: its settings, its texts, its link.
#[derive(Debug, thiserror::Error)]
pub enum SmppError {
    /// `[sms] smpp_url` is not usable (the message never shows the password).
    #[error("{0} (smpp://system_id:password@host:port)")]
    Url(&'static str),
    /// `[sms] smpp_source` is not a sender the SMSC can take.
    #[error("{0}")]
    Source(&'static str),
    #[error("the recipient is not an international number")]
    Destination,
    #[error("the text needs more than 255 SMS")]
    TooLong,
    #[error("cannot reach the SMSC: {0}")]
    Io(#[from] std::io::Error),
    #[error("the SMSC refused the bind (command_status {0:#04x})")]
    BindRefused(u32),
    #[error("timed out waiting for {0}")]
    Timeout(&'static str),
    #[error("the SMSC closed the connection")]
    Closed,
    #[error("the SMSC ended the session (unbind)")]
    Unbound,
    #[error("the SMSC sent {0}")]
    Malformed(&'static str),
}

/// Where the SMSC is and who we are to it, from `smpp://system_id:password@host:port`.
#[derive(Debug, Clone)]
pub struct SmppUrl {
    pub host: String,
    pub port: u16,
    pub system_id: String,
    pub password: Secret,
}

impl SmppUrl {
    /// Parses and checks the URL against SMPP's limits (system_id ≤ 15, password ≤ 8), so
    /// that a wrong one stops the start rather than every bind. Userinfo is percent-decoded.
    pub fn parse(url: &str) -> Result<Self, SmppError> {
        let rest = url
            .strip_prefix("smpp://")
            .ok_or(SmppError::Url("must start with smpp://"))?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#']) {
            return Err(SmppError::Url("takes no path, query or fragment"));
        }
        let (userinfo, hostport) = rest
            .rsplit_once('@')
            .ok_or(SmppError::Url("names no system_id"))?;
        let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| SmppError::Url("has a system_id or password that is not UTF-8"))
        };
        let (system_id, password) = (decode(user)?, decode(pass)?);
        if system_id.is_empty() {
            return Err(SmppError::Url("names no system_id"));
        }
        let printable = |s: &str| s.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
        if !printable(&system_id) || !printable(&password) {
            return Err(SmppError::Url(
                "system_id and password must be printable ASCII",
            ));
        }
        if system_id.len() > 15 {
            return Err(SmppError::Url("has a system_id longer than 15 characters"));
        }
        if password.len() > 8 {
            return Err(SmppError::Url("has a password longer than 8 characters"));
        }
        let (host, port) = match hostport.strip_prefix('[') {
            Some(v6) => v6
                .split_once("]:")
                .map(|(h, p)| (h, Some(p)))
                .unwrap_or((v6, None)),
            None => hostport
                .rsplit_once(':')
                .map_or((hostport, None), |(h, p)| (h, Some(p))),
        };
        if host.is_empty() || host.contains([' ', '@', '[', ']']) {
            return Err(SmppError::Url("names no host"));
        }
        let port = port
            .and_then(|p| p.parse::<u16>().ok())
            .filter(|p| *p != 0)
            .ok_or(SmppError::Url("names no port (2775 is usual)"))?;
        Ok(Self {
            host: host.to_string(),
            port,
            system_id,
            password: Secret::new(password),
        })
    }
}

/// `[sms] smpp_source`: a name ("CONNECTID": alphanumeric, TON 5), an international number
/// ("+4712345678": TON 1, NPI 1), or a short code ("2270": TON 0, NPI 1, left to the SMSC).
pub fn check_source(source: &str) -> Result<(), SmppError> {
    parse_source(source).map(|_| ())
}

fn parse_source(source: &str) -> Result<Address, SmppError> {
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    let (ton, npi, addr) = match source.strip_prefix('+') {
        Some(n) if digits(n, 15) => (1, 1, n),
        Some(_) => {
            return Err(SmppError::Source(
                "a number with + must be an international number (up to 15 digits)",
            ));
        }
        None if digits(source, 20) => (0, 1, source),
        None if (1..=11).contains(&source.len())
            && source.bytes().all(|b| b.is_ascii_graphic() || b == b' ') =>
        {
            (5, 0, source)
        }
        None => {
            return Err(SmppError::Source(
                "must be a name of 1 to 11 ASCII characters, a short code, or +number",
            ));
        }
    };
    Ok(Address {
        ton,
        npi,
        addr: addr.to_string(),
    })
}

/// The E.164 recipient as SMPP wants it: digits without the `+`, TON 1 (international),
/// NPI 1 (E.164).
fn destination(to: &str) -> Result<Address, SmppError> {
    match to.strip_prefix('+') {
        Some(n) if (2..=15).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(Address {
                ton: 1,
                npi: 1,
                addr: n.to_string(),
            })
        }
        _ => Err(SmppError::Destination),
    }
}

/// Sends SMS over this node's SMPP link.
pub struct SmppSender {
    link: link::Link,
    source: Address,
    /// Tells one long text's parts from another's at the phone.
    reference: AtomicU8,
}

impl SmppSender {
    /// Checks the settings; the link itself starts with the first message. Receipts are
    /// recorded in `store`.
    pub fn new(url: &str, source: &str, store: Arc<dyn Store>) -> Result<Self, SmppError> {
        Ok(Self {
            link: link::Link::new(SmppUrl::parse(url)?, store, link::Timing::DEFAULT),
            source: parse_source(source)?,
            reference: AtomicU8::new(0),
        })
    }
}

#[async_trait::async_trait]
impl MessageSender for SmppSender {
    /// Returns the SMSC's id of the first part, which its delivery receipt names. A long
    /// text whose later part fails is sent again whole on the next try.
    async fn send(&self, _id: &str, message: &Message) -> Result<Option<String>, SendError> {
        let refused = |e: SmppError| SendError::Refused(e.to_string());
        let dest = destination(&message.to).map_err(refused)?;
        let reference = self.reference.fetch_add(1, Ordering::Relaxed);
        let parts = text::parts(&message.body, reference).map_err(refused)?;
        let mut first = None;
        for part in parts {
            let sm = Sm {
                source: self.source.clone(),
                dest: dest.clone(),
                esm_class: part.esm_class,
                // A final receipt, delivered or not; no intermediate ones, no SME acks.
                registered_delivery: 1,
                data_coding: part.data_coding,
                short_message: part.short_message,
                tlvs: Vec::new(),
            };
            let id = self.link.submit(sm.encode()).await?;
            first.get_or_insert(id);
        }
        Ok(first.filter(|id| !id.is_empty()))
    }

    fn name(&self) -> &'static str {
        "smpp"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_url_gives_host_port_and_decoded_credentials() {
        let u = SmppUrl::parse("smpp://connect%40id:p%3Ass@smsc.example.net:2775").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.system_id.as_str()),
            ("smsc.example.net", 2775, "connect@id")
        );
        assert_eq!(u.password.expose(), "p:ss");
        assert!(!format!("{u:?}").contains("p:ss"));
        let v6 = SmppUrl::parse("smpp://idp@[::1]:2775/").unwrap();
        assert_eq!((v6.host.as_str(), v6.password.expose()), ("::1", ""));
    }

    #[test]
    fn bad_urls_are_refused_without_showing_the_password() {
        for (url, why) in [
            ("http://idp:pw@smsc:2775", "smpp://"),
            ("smpp://smsc:2775", "system_id"),
            ("smpp://:pw@smsc:2775", "system_id"),
            ("smpp://idp:pw@smsc", "port"),
            ("smpp://idp:pw@smsc:0", "port"),
            ("smpp://idp:pw@smsc:99999", "port"),
            ("smpp://idp:pw@:2775", "host"),
            ("smpp://idp:pw@smsc:2775/path", "path"),
            ("smpp://sixteen-chars-id:pw@smsc:2775", "15"),
            ("smpp://idp:ninechars@smsc:2775", "8"),
            ("smpp://idp:%FF@smsc:2775", "UTF-8"),
            ("smpp://id%C3%B8:pw@smsc:2775", "ASCII"),
        ] {
            let e = SmppUrl::parse(url).unwrap_err().to_string();
            assert!(e.contains(why), "{url}: {e}");
            assert!(!e.contains("ninechars") && !e.contains(":pw"), "{e}");
        }
        assert!(SmppUrl::parse("smpp://fifteen-chars-i:eightchr@smsc:2775").is_ok());
    }

    #[test]
    fn the_source_is_a_name_a_number_or_a_short_code() {
        let name = parse_source("CONNECTID").unwrap();
        assert_eq!(
            (name.ton, name.npi, name.addr.as_str()),
            (5, 0, "CONNECTID")
        );
        let number = parse_source("+4712345678").unwrap();
        assert_eq!(
            (number.ton, number.npi, number.addr.as_str()),
            (1, 1, "4712345678")
        );
        let short = parse_source("2270").unwrap();
        assert_eq!((short.ton, short.npi), (0, 1));
        for bad in ["", "TwelveLetter", "+47x", "+", "Connect💡"] {
            assert!(parse_source(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_destination_is_the_number_without_its_plus() {
        let d = destination("+4790000555").unwrap();
        assert_eq!((d.ton, d.npi, d.addr.as_str()), (1, 1, "4790000555"));
        for bad in ["4790000555", "+47 900", "someone@example.com", "+"] {
            assert!(destination(bad).is_err(), "{bad}");
        }
    }
}
