//! SMPP 3.4 on the wire: the 16-byte header and the few bodies this client speaks.
//!
//! Hand-written rather than taken from a crate: a handful of PDUs is a small, testable file,
//! where the maintained client crate brings a DNS resolver and some twenty crates with it.
//! Integers are big-endian; a C-Octet String ends with a NUL; a response's id is its
//! request's with the top bit set, and it carries the request's sequence number.

use tokio::io::{AsyncRead, AsyncReadExt};

use super::SmppError;

/// Command ids (SMPP 3.4 §5.1.2.1).
pub(super) mod id {
    pub const GENERIC_NACK: u32 = 0x8000_0000;
    pub const BIND_TRANSCEIVER: u32 = 0x0000_0009;
    pub const BIND_TRANSCEIVER_RESP: u32 = 0x8000_0009;
    pub const SUBMIT_SM: u32 = 0x0000_0004;
    pub const SUBMIT_SM_RESP: u32 = 0x8000_0004;
    pub const DELIVER_SM: u32 = 0x0000_0005;
    pub const UNBIND: u32 = 0x0000_0006;
    pub const UNBIND_RESP: u32 = 0x8000_0006;
    pub const ENQUIRE_LINK: u32 = 0x0000_0015;
    pub const ENQUIRE_LINK_RESP: u32 = 0x8000_0015;
}

/// Command statuses (§5.1.3) this client tells apart.
pub(super) mod status {
    pub const ROK: u32 = 0x00;
    pub const RINVCMDID: u32 = 0x03;
    pub const RINVBNDSTS: u32 = 0x04;
    pub const RSYSERR: u32 = 0x08;
    pub const RMSGQFUL: u32 = 0x14;
    pub const RTHROTTLED: u32 = 0x58;
    pub const RX_T_APPN: u32 = 0x64;
}

/// Optional parameter tags (§5.3.2).
pub(super) mod tag {
    pub const RECEIPTED_MESSAGE_ID: u16 = 0x001E;
    pub const MESSAGE_PAYLOAD: u16 = 0x0424;
    pub const MESSAGE_STATE: u16 = 0x0427;
}

const HEADER: usize = 16;
/// The longest PDU taken from the SMSC: more than any deliver_sm with a message_payload,
/// little enough that a confused peer cannot make us allocate much.
const MAX_PDU: usize = 65_536;
const RESPONSE: u32 = 0x8000_0000;

/// One PDU: the header's fields and the body as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pdu {
    pub id: u32,
    pub status: u32,
    pub seq: u32,
    pub body: Vec<u8>,
}

impl Pdu {
    pub fn request(id: u32, seq: u32, body: Vec<u8>) -> Self {
        Self {
            id,
            status: status::ROK,
            seq,
            body,
        }
    }

    /// The answer to this request, with its sequence number.
    pub fn response(&self, status: u32, body: Vec<u8>) -> Self {
        Self {
            id: self.id | RESPONSE,
            status,
            seq: self.seq,
            body,
        }
    }

    /// generic_nack: the answer to a request we do not speak.
    pub fn nack(&self, status: u32) -> Self {
        Self {
            id: id::GENERIC_NACK,
            status,
            seq: self.seq,
            body: Vec::new(),
        }
    }

    pub fn is_request(&self) -> bool {
        self.id & RESPONSE == 0
    }

    pub fn encode(&self) -> Vec<u8> {
        let len = HEADER + self.body.len();
        let mut out = Vec::with_capacity(len);
        out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(&self.status.to_be_bytes());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.body);
        out
    }

    /// A whole PDU, its length field included.
    pub fn decode(frame: &[u8]) -> Result<Self, SmppError> {
        let word = |i: usize| -> Result<u32, SmppError> {
            let b = frame
                .get(i..i + 4)
                .ok_or(SmppError::Malformed("a PDU shorter than its header"))?;
            Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        };
        if usize::try_from(word(0)?).ok() != Some(frame.len()) {
            return Err(SmppError::Malformed("a PDU whose length field is wrong"));
        }
        Ok(Self {
            id: word(4)?,
            status: word(8)?,
            seq: word(12)?,
            body: frame[HEADER..].to_vec(),
        })
    }
}

/// Reads the next PDU. Not cancel-safe: one task owns the read half and calls only this.
pub(super) async fn read(r: &mut (impl AsyncRead + Unpin)) -> Result<Pdu, SmppError> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).await?;
    let n = usize::try_from(u32::from_be_bytes(len)).unwrap_or(usize::MAX);
    if !(HEADER..=MAX_PDU).contains(&n) {
        return Err(SmppError::Malformed("a PDU length out of bounds"));
    }
    let mut frame = vec![0u8; n];
    frame[..4].copy_from_slice(&len);
    r.read_exact(&mut frame[4..]).await?;
    Pdu::decode(&frame)
}

fn cstr(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
    out.push(0);
}

/// bind_transceiver's body: one session both submits and receives the receipts.
pub(super) fn bind_transceiver(system_id: &str, password: &str) -> Vec<u8> {
    let mut out = Vec::new();
    cstr(&mut out, system_id);
    cstr(&mut out, password);
    cstr(&mut out, ""); // system_type
    out.push(0x34); // interface_version 3.4
    out.extend_from_slice(&[0, 0]); // addr_ton, addr_npi
    cstr(&mut out, ""); // address_range
    out
}

/// A source or destination address with its type of number and numbering plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Address {
    pub ton: u8,
    pub npi: u8,
    pub addr: String,
}

/// submit_sm and deliver_sm share this body; the fields not kept here are sent empty or
/// zero and ignored when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sm {
    pub source: Address,
    pub dest: Address,
    pub esm_class: u8,
    pub registered_delivery: u8,
    pub data_coding: u8,
    pub short_message: Vec<u8>,
    /// Optional parameters as (tag, value), in order.
    pub tlvs: Vec<(u16, Vec<u8>)>,
}

impl Sm {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.short_message.len());
        cstr(&mut out, ""); // service_type
        out.extend_from_slice(&[self.source.ton, self.source.npi]);
        cstr(&mut out, &self.source.addr);
        out.extend_from_slice(&[self.dest.ton, self.dest.npi]);
        cstr(&mut out, &self.dest.addr);
        out.extend_from_slice(&[self.esm_class, 0, 0]); // protocol_id, priority_flag
        cstr(&mut out, ""); // schedule_delivery_time: now
        cstr(&mut out, ""); // validity_period: the SMSC's default
        out.extend_from_slice(&[self.registered_delivery, 0, self.data_coding, 0]);
        out.push(u8::try_from(self.short_message.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(&self.short_message);
        for (tag, value) in &self.tlvs {
            out.extend_from_slice(&tag.to_be_bytes());
            out.extend_from_slice(&u16::try_from(value.len()).unwrap_or(u16::MAX).to_be_bytes());
            out.extend_from_slice(value);
        }
        out
    }

    pub fn decode(body: &[u8]) -> Result<Self, SmppError> {
        let mut r = Reader(body);
        r.cstr(6)?; // service_type
        let source = r.address()?;
        let dest = r.address()?;
        let esm_class = r.u8()?;
        r.take(2)?; // protocol_id, priority_flag
        r.cstr(17)?;
        r.cstr(17)?;
        let registered_delivery = r.u8()?;
        r.u8()?; // replace_if_present_flag
        let data_coding = r.u8()?;
        r.u8()?; // sm_default_msg_id
        let n = usize::from(r.u8()?);
        let short_message = r.take(n)?.to_vec();
        let mut tlvs = Vec::new();
        while !r.0.is_empty() {
            let head = r.take(4)?;
            let tag = u16::from_be_bytes([head[0], head[1]]);
            let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
            tlvs.push((tag, r.take(len)?.to_vec()));
        }
        Ok(Self {
            source,
            dest,
            esm_class,
            registered_delivery,
            data_coding,
            short_message,
            tlvs,
        })
    }

    pub fn tlv(&self, tag: u16) -> Option<&[u8]> {
        self.tlvs
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, v)| v.as_slice())
    }
}

/// submit_sm_resp's body: the SMSC's id for the message (empty when it refused it).
pub(super) fn message_id(body: &[u8]) -> Result<String, SmppError> {
    if body.is_empty() {
        return Ok(String::new());
    }
    Reader(body).cstr(65)
}

/// A cursor over a body; every read checks the bounds.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SmppError> {
        if n > self.0.len() {
            return Err(SmppError::Malformed("a field runs past the PDU's end"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, SmppError> {
        Ok(self.take(1)?[0])
    }

    /// A C-Octet String of at most `max` bytes, its NUL included.
    fn cstr(&mut self, max: usize) -> Result<String, SmppError> {
        let end = self
            .0
            .iter()
            .take(max)
            .position(|&b| b == 0)
            .ok_or(SmppError::Malformed("a string without its NUL"))?;
        let s = String::from_utf8_lossy(&self.0[..end]).into_owned();
        self.take(end + 1)?;
        Ok(s)
    }

    fn address(&mut self) -> Result<Address, SmppError> {
        Ok(Address {
            ton: self.u8()?,
            npi: self.u8()?,
            addr: self.cstr(21)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_only_pdu_is_sixteen_bytes_big_endian() {
        let p = Pdu::request(id::ENQUIRE_LINK, 7, Vec::new());
        assert_eq!(
            p.encode(),
            [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 7]
        );
        let r = p.response(status::ROK, Vec::new());
        assert_eq!(r.id, id::ENQUIRE_LINK_RESP);
        assert_eq!(r.seq, 7);
        assert!(!r.is_request());
        assert_eq!(Pdu::decode(&r.encode()).unwrap(), r);
    }

    #[test]
    fn bind_transceiver_is_laid_out_as_the_spec_says() {
        let p = Pdu::request(id::BIND_TRANSCEIVER, 1, bind_transceiver("idp", "secret"));
        let mut want = vec![0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1];
        want.extend_from_slice(b"idp\0secret\0\0\x34\0\0\0");
        want[3] = u8::try_from(want.len()).unwrap();
        assert_eq!(p.encode(), want);
    }

    #[test]
    fn a_short_message_survives_encoding_and_decoding() {
        let sm = Sm {
            source: Address {
                ton: 5,
                npi: 0,
                addr: "CONNECTID".into(),
            },
            dest: Address {
                ton: 1,
                npi: 1,
                addr: "4790000555".into(),
            },
            esm_class: 0x40,
            registered_delivery: 1,
            data_coding: 8,
            short_message: vec![5, 0, 3, 9, 2, 1, 0, 0x41, 0, 0],
            tlvs: vec![(tag::RECEIPTED_MESSAGE_ID, b"abc\0".to_vec())],
        };
        let body = sm.encode();
        // service_type "", then the source address's TON and NPI.
        assert_eq!(&body[..3], &[0, 5, 0]);
        let back = Sm::decode(&body).unwrap();
        assert_eq!(back, sm);
        assert_eq!(back.tlv(tag::RECEIPTED_MESSAGE_ID), Some(&b"abc\0"[..]));
        assert_eq!(back.tlv(tag::MESSAGE_STATE), None);
    }

    #[test]
    fn truncated_or_lying_pdus_are_refused_not_read_past() {
        let sm = Sm {
            source: Address {
                ton: 0,
                npi: 0,
                addr: "x".into(),
            },
            dest: Address {
                ton: 1,
                npi: 1,
                addr: "47".into(),
            },
            esm_class: 4,
            registered_delivery: 0,
            data_coding: 0,
            short_message: b"id:1 stat:DELIVRD".to_vec(),
            tlvs: Vec::new(),
        };
        let body = sm.encode();
        for cut in 0..body.len() {
            assert!(Sm::decode(&body[..cut]).is_err(), "cut at {cut}");
        }
        let mut frame = Pdu::request(id::DELIVER_SM, 3, body).encode();
        frame[3] += 1;
        assert!(Pdu::decode(&frame).is_err());
        assert!(Pdu::decode(&frame[..10]).is_err());
    }

    #[test]
    fn submit_sm_resp_carries_the_message_id() {
        assert_eq!(message_id(b"4f2a\0").unwrap(), "4f2a");
        assert_eq!(message_id(b"").unwrap(), "");
        assert!(message_id(b"no nul").is_err());
    }

    #[tokio::test]
    async fn pdus_are_read_one_at_a_time_from_a_stream() {
        let mut bytes = Pdu::request(id::ENQUIRE_LINK, 1, Vec::new()).encode();
        bytes.extend(Pdu::request(id::SUBMIT_SM, 2, vec![1, 2, 3]).encode());
        bytes.extend_from_slice(&[0, 0, 0, 4]); // shorter than a header
        let mut r = bytes.as_slice();
        assert_eq!(read(&mut r).await.unwrap().seq, 1);
        assert_eq!(read(&mut r).await.unwrap().body, [1, 2, 3]);
        assert!(read(&mut r).await.is_err());
    }
}
