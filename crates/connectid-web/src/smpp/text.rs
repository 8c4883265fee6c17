//! A text as SMS parts: GSM 03.38 when every character is in its alphabet (Norwegian's
//! æøå are), else UCS-2 (Urdu, Thai, Chinese, an emoji); split with a concatenation header
//! when it does not fit one SMS.
//!
//! GSM is sent unpacked, one septet per octet, as SMPP's data_coding 0 expects (the SMSC packs
//! it): 160 characters in one SMS, 153 per part beside the 6-octet header; an escaped
//! character (€, [, {, …) takes two. UCS-2 is UTF-16 big-endian: 70 units in one SMS, 67 per
//! part. A character is never cut across two parts (neither an escape nor a surrogate pair).

use super::SmppError;

/// One submit_sm's worth of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    pub esm_class: u8,
    pub data_coding: u8,
    pub short_message: Vec<u8>,
}

pub(super) const DATA_CODING_GSM: u8 = 0;
pub(super) const DATA_CODING_UCS2: u8 = 8;
/// esm_class bit: the short message starts with a user data header.
const UDHI: u8 = 0x40;
/// Octets of text in one SMS, and in one part after the concatenation header.
const GSM_SINGLE: usize = 160;
const GSM_PART: usize = 153;
const UCS2_SINGLE: usize = 140;
const UCS2_PART: usize = 134;

/// The default alphabet, by septet (0x1B is the escape to the extension table).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u{1b}ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                     ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: sent as 0x1B then this septet.
const EXTENDED: [(char, u8); 10] = [
    ('\u{c}', 0x0A),
    ('^', 0x14),
    ('{', 0x28),
    ('}', 0x29),
    ('\\', 0x2F),
    ('[', 0x3C),
    ('~', 0x3D),
    (']', 0x3E),
    ('|', 0x40),
    ('€', 0x65),
];
const ESCAPE: u8 = 0x1B;

/// `c` in the GSM alphabet: one septet, or the escape and one; None if it has none.
fn gsm(c: char) -> Option<Vec<u8>> {
    if c != '\u{1b}'
        && let Some(i) = BASIC.chars().position(|b| b == c)
    {
        return u8::try_from(i).ok().map(|s| vec![s]);
    }
    EXTENDED
        .iter()
        .find(|(e, _)| *e == c)
        .map(|(_, s)| vec![ESCAPE, *s])
}

/// The text as data_coding and each character's octets.
fn encode(text: &str) -> (u8, Vec<Vec<u8>>) {
    if let Some(units) = text.chars().map(gsm).collect::<Option<Vec<_>>>() {
        return (DATA_CODING_GSM, units);
    }
    let units = text
        .chars()
        .map(|c| {
            let mut buf = [0u16; 2];
            c.encode_utf16(&mut buf)
                .iter()
                .flat_map(|u| u.to_be_bytes())
                .collect()
        })
        .collect();
    (DATA_CODING_UCS2, units)
}

/// The parts of `text`; `reference` tells this message's parts from another's at the phone.
pub(super) fn parts(text: &str, reference: u8) -> Result<Vec<Part>, SmppError> {
    let (data_coding, units) = encode(text);
    let (single, per_part) = match data_coding {
        DATA_CODING_GSM => (GSM_SINGLE, GSM_PART),
        _ => (UCS2_SINGLE, UCS2_PART),
    };
    if units.iter().map(Vec::len).sum::<usize>() <= single {
        return Ok(vec![Part {
            esm_class: 0,
            data_coding,
            short_message: units.concat(),
        }]);
    }
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new()];
    for unit in units {
        if chunks
            .last()
            .is_some_and(|c| c.len() + unit.len() > per_part)
        {
            chunks.push(Vec::new());
        }
        if let Some(chunk) = chunks.last_mut() {
            chunk.extend_from_slice(&unit);
        }
    }
    let total = u8::try_from(chunks.len()).map_err(|_| SmppError::TooLong)?;
    Ok(chunks
        .into_iter()
        .zip(1..=total)
        .map(|(chunk, seq)| {
            let mut short_message = vec![0x05, 0x00, 0x03, reference, total, seq];
            short_message.extend_from_slice(&chunk);
            Part {
                esm_class: UDHI,
                data_coding,
                short_message,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes unpacked GSM back to text, for the round trips below.
    fn from_gsm(octets: &[u8]) -> String {
        let basic: Vec<char> = BASIC.chars().collect();
        let mut out = String::new();
        let mut it = octets.iter();
        while let Some(&s) = it.next() {
            if s == ESCAPE {
                let e = *it.next().unwrap();
                out.push(EXTENDED.iter().find(|(_, x)| *x == e).unwrap().0);
            } else {
                out.push(basic[usize::from(s)]);
            }
        }
        out
    }

    fn from_ucs2(octets: &[u8]) -> String {
        let units: Vec<u16> = octets
            .chunks(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    }

    #[test]
    fn the_alphabet_has_its_128_septets() {
        assert_eq!(BASIC.chars().count(), 128);
        assert_eq!(gsm('@'), Some(vec![0x00]));
        assert_eq!(gsm('A'), Some(vec![0x41]));
        assert_eq!(gsm('\n'), Some(vec![0x0A]));
        assert_eq!(gsm('€'), Some(vec![0x1B, 0x65]));
        assert_eq!(gsm('\u{1b}'), None);
        assert_eq!(gsm('ç'), None);
    }

    #[test]
    fn a_norwegian_code_is_one_gsm_sms() {
        let text = "CONNECT ID-koden din er 123456. Den utløper om 5 minutter. Æøå ÆØÅ.\n\n\
                    @id.example.no #123456";
        let parts = parts(text, 1).unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].data_coding, DATA_CODING_GSM);
        assert_eq!(parts[0].esm_class, 0);
        assert_eq!(from_gsm(&parts[0].short_message), text);
        // ø is septet 0x0C, å 0x0F: one octet each.
        assert_eq!(parts[0].short_message.len(), text.chars().count());
    }

    #[test]
    fn an_urdu_code_is_ucs2() {
        let text = "CONNECT ID کوڈ: 123456۔ 5 منٹ تک درست ہے۔\n\n@id.example.pk #123456";
        let parts = parts(text, 1).unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].data_coding, DATA_CODING_UCS2);
        assert_eq!(from_ucs2(&parts[0].short_message), text);
    }

    #[test]
    fn one_character_outside_the_alphabet_makes_the_whole_text_ucs2() {
        let parts = parts("Code 123456 ç", 1).unwrap();
        assert_eq!(parts[0].data_coding, DATA_CODING_UCS2);
        assert_eq!(parts[0].short_message[..4], [0, b'C', 0, b'o']);
    }

    #[test]
    fn exactly_160_gsm_characters_fit_one_sms_and_161_do_not() {
        assert_eq!(parts(&"a".repeat(160), 1).unwrap().len(), 1);
        let two = parts(&"a".repeat(161), 9).unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].esm_class, UDHI);
        assert_eq!(two[0].short_message[..6], [5, 0, 3, 9, 2, 1]);
        assert_eq!(two[1].short_message[..6], [5, 0, 3, 9, 2, 2]);
        assert_eq!(two[0].short_message.len(), 6 + 153);
        assert_eq!(two[1].short_message.len(), 6 + 8);
    }

    #[test]
    fn an_escaped_character_counts_twice_and_is_never_cut() {
        // 152 letters then a euro: the escape would be octet 153, its septet 154.
        let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
        let p = parts(&text, 1).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].short_message.len(), 6 + 152);
        assert_eq!(p[1].short_message[6..9], [0x1B, 0x65, b'b']);
        let joined: Vec<u8> = p
            .iter()
            .flat_map(|p| p.short_message[6..].to_vec())
            .collect();
        assert_eq!(from_gsm(&joined), text);
    }

    #[test]
    fn long_ucs2_splits_at_67_units_and_keeps_surrogate_pairs_whole() {
        assert_eq!(parts(&"ک".repeat(70), 1).unwrap().len(), 1);
        let text = format!("{}🙂{}", "ک".repeat(66), "ک".repeat(10));
        let p = parts(&text, 3).unwrap();
        assert_eq!(p.len(), 2);
        assert!(p.iter().all(|p| p.data_coding == DATA_CODING_UCS2));
        // 66 units, then the emoji's pair would be units 67 and 68: it moves on whole.
        assert_eq!(p[0].short_message.len(), 6 + 132);
        let joined: Vec<u8> = p
            .iter()
            .flat_map(|p| p.short_message[6..].to_vec())
            .collect();
        assert_eq!(from_ucs2(&joined), text);
    }

    #[test]
    fn more_than_255_parts_is_refused() {
        assert!(parts(&"a".repeat(153 * 255), 1).is_ok());
        assert!(matches!(
            parts(&"a".repeat(153 * 255 + 1), 1),
            Err(SmppError::TooLong)
        ));
    }
}
