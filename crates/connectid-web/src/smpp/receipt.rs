//! Delivery receipts: the SMSC's word, after the fact, on whether the phone got the SMS.
//!
//! A receipt is a deliver_sm with the receipt bit in esm_class. It names the SMSC's message
//! id in the receipted_message_id parameter, or only in its text (`id:… stat:DELIVRD err:000`,
//! the de-facto format of SMPP 3.4's appendix B); the state is the text's `stat:`, else the
//! message_state parameter. It goes on the outbox row whose provider_ref is that id.
//!
//! An SMSC can send the receipt before our worker has written the id on the row (it answers
//! the submit, and the receipt follows within milliseconds), so an unmatched receipt is tried
//! again a little later before it counts as one for a message we do not know.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use connectid_core::store::OutboxStore;

use super::pdu::{Sm, tag};

/// esm_class's message type bits, and the value that means "SMSC delivery receipt".
const TYPE_MASK: u8 = 0x3C;
const DELIVERY_RECEIPT: u8 = 0x04;
/// Waits before the tries at matching a receipt with its row.
const MATCH_WAITS: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_secs(1),
    Duration::from_secs(5),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Receipt {
    /// The SMSC's message id, as its submit_sm_resp gave it.
    pub id: String,
    /// DELIVRD, UNDELIV, EXPIRED, REJECTD, …
    pub stat: String,
}

/// The receipt in `sm`, if it is one (else it is an SMS from a phone, which we ignore).
pub(super) fn parse(sm: &Sm) -> Option<Receipt> {
    if sm.esm_class & TYPE_MASK != DELIVERY_RECEIPT {
        return None;
    }
    let body = match sm.tlv(tag::MESSAGE_PAYLOAD) {
        Some(p) if sm.short_message.is_empty() => p,
        _ => &sm.short_message,
    };
    let text = String::from_utf8_lossy(body);
    let id = sm
        .tlv(tag::RECEIPTED_MESSAGE_ID)
        .map(|v| String::from_utf8_lossy(v.split(|b| *b == 0).next().unwrap_or(v)).into_owned())
        .filter(|id| !id.is_empty())
        .or_else(|| field(&text, "id:"))?;
    let stat = field(&text, "stat:")
        .or_else(|| {
            sm.tlv(tag::MESSAGE_STATE)
                .and_then(|v| v.first())
                .map(|s| state_name(*s).to_string())
        })
        .unwrap_or_else(|| "UNKNOWN".into());
    Some(Receipt {
        id: clean(&id, 65),
        stat: clean(&stat, 16),
    })
}

/// The value after `key` (at the text's start or after a space), up to the next space.
fn field(text: &str, key: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(key) {
        let at = from + i;
        if at == 0 || lower.as_bytes()[at - 1] == b' ' {
            let value = text[at + key.len()..].split(' ').next().unwrap_or("");
            return Some(value.to_string()).filter(|v| !v.is_empty());
        }
        from = at + key.len();
    }
    None
}

/// message_state (SMPP 3.4 §5.2.28) as the text format names it.
fn state_name(state: u8) -> &'static str {
    match state {
        1 => "ENROUTE",
        2 => "DELIVRD",
        3 => "EXPIRED",
        4 => "DELETED",
        5 => "UNDELIV",
        6 => "ACCEPTD",
        8 => "REJECTD",
        _ => "UNKNOWN",
    }
}

/// What the SMSC wrote, kept to printable ASCII and a length: it goes to a column and a log.
fn clean(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(max)
        .collect()
}

/// Records receipts on their outbox rows, and counts them for the log.
pub(super) struct Receipts {
    store: Arc<dyn OutboxStore>,
    matched: AtomicU64,
    unmatched: AtomicU64,
}

impl Receipts {
    pub fn new(store: Arc<dyn OutboxStore>) -> Arc<Self> {
        Arc::new(Self {
            store,
            matched: AtomicU64::new(0),
            unmatched: AtomicU64::new(0),
        })
    }

    /// Records `r` in the background: the link goes on reading meanwhile.
    pub fn record(self: &Arc<Self>, r: Receipt) {
        let me = self.clone();
        tokio::spawn(async move {
            for wait in MATCH_WAITS {
                tokio::time::sleep(wait).await;
                match me.store.record_receipt(&r.id, &r.stat).await {
                    Ok(true) => {
                        let matched = me.matched.fetch_add(1, Ordering::Relaxed) + 1;
                        tracing::info!(
                            smsc_id = %r.id,
                            stat = %r.stat,
                            matched,
                            unmatched = me.unmatched.load(Ordering::Relaxed),
                            "SMPP delivery receipt recorded"
                        );
                        return;
                    }
                    Ok(false) => {}
                    Err(e) => {
                        tracing::error!(smsc_id = %r.id, error = %e, "SMPP delivery receipt not stored");
                        return;
                    }
                }
            }
            let unmatched = me.unmatched.fetch_add(1, Ordering::Relaxed) + 1;
            tracing::warn!(
                smsc_id = %r.id,
                stat = %r.stat,
                matched = me.matched.load(Ordering::Relaxed),
                unmatched,
                "SMPP delivery receipt for no message in the outbox"
            );
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::pdu::Address;
    use super::*;

    fn sm(esm_class: u8, text: &str, tlvs: Vec<(u16, Vec<u8>)>) -> Sm {
        let a = Address {
            ton: 1,
            npi: 1,
            addr: "4790000555".into(),
        };
        Sm {
            source: a.clone(),
            dest: a,
            esm_class,
            registered_delivery: 0,
            data_coding: 0,
            short_message: text.as_bytes().to_vec(),
            tlvs,
        }
    }

    const TEXT: &str = "id:7 sub:001 dlvr:001 submit date:2612051200 done date:2612051200 \
                        stat:UNDELIV err:001 text:";

    #[test]
    fn the_receipted_message_id_parameter_wins_over_the_text() {
        let r = parse(&sm(
            0x04,
            TEXT,
            vec![(tag::RECEIPTED_MESSAGE_ID, b"1A2B\0".to_vec())],
        ))
        .unwrap();
        assert_eq!(r.id, "1A2B");
        assert_eq!(r.stat, "UNDELIV");
    }

    #[test]
    fn without_parameters_the_text_names_id_and_state() {
        let r = parse(&sm(0x04, TEXT, Vec::new())).unwrap();
        assert_eq!(
            r,
            Receipt {
                id: "7".into(),
                stat: "UNDELIV".into()
            }
        );
    }

    #[test]
    fn without_a_stat_field_the_message_state_parameter_names_it() {
        let r = parse(&sm(
            0x04,
            "",
            vec![
                (tag::RECEIPTED_MESSAGE_ID, b"9\0".to_vec()),
                (tag::MESSAGE_STATE, vec![2]),
            ],
        ))
        .unwrap();
        assert_eq!((r.id.as_str(), r.stat.as_str()), ("9", "DELIVRD"));
    }

    #[test]
    fn an_sms_from_a_phone_is_not_a_receipt() {
        assert_eq!(parse(&sm(0x00, TEXT, Vec::new())), None);
        assert_eq!(parse(&sm(0x04, "no fields here", Vec::new())), None);
    }

    #[test]
    fn fields_match_whole_words_only() {
        assert_eq!(field("xid:1 id:2", "id:"), Some("2".into()));
        assert_eq!(field("ID:3 STAT:DELIVRD", "stat:"), Some("DELIVRD".into()));
        assert_eq!(field("id: stat:X", "id:"), None);
    }
}
