//! UDP.

use crate::field::Value;
use crate::wire::{be16, internet_checksum, Cx, Next, Parsed, Wire};

/// A UDP header (scapy's `UDP`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Udp {
    /// Source port (scapy's default 53).
    pub sport: u16,
    /// Destination port (scapy's default 53).
    pub dport: u16,
    /// Length; unset: header and payload.
    pub len: Option<u16>,
    /// Checksum; unset: computed with the pseudo-header (0 is "none").
    pub chksum: Option<u16>,
}

impl Default for Udp {
    fn default() -> Udp {
        Udp {
            sport: 53,
            dport: 53,
            len: None,
            chksum: None,
        }
    }
}

impl Udp {
    /// A header from `sport` to `dport`.
    pub fn new(sport: u16, dport: u16) -> Udp {
        Udp {
            sport,
            dport,
            ..Udp::default()
        }
    }
}

/// The checksum of an upper layer (`out`, its header and payload) under the
/// enclosing IP: `proto`'s pseudo-header and the bytes.
pub(crate) fn upper_checksum(cx: &Cx, proto: u8, out: &[u8]) -> Option<u16> {
    let ph = cx.ip.as_ref()?.header(proto, out.len());
    Some(internet_checksum(&[&ph, out]))
}

impl Wire for Udp {
    fn clear_auto(&mut self) {
        self.len = None;
        self.chksum = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let len = self
            .len
            .unwrap_or_else(|| (8 + payload.len()).min(0xffff) as u16);
        let mut out = Vec::with_capacity(8 + payload.len());
        out.extend_from_slice(&self.sport.to_be_bytes());
        out.extend_from_slice(&self.dport.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&payload);
        let ck = self.chksum.unwrap_or_else(|| {
            // A computed zero goes out as 0xffff: zero means "no checksum".
            upper_checksum(cx, 17, &out).map_or(0, |c| if c == 0 { 0xffff } else { c })
        });
        out[6..8].copy_from_slice(&ck.to_be_bytes());
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Udp>> {
        if b.len() < 8 {
            return None;
        }
        let (sport, dport, len) = (be16(b, 0), be16(b, 2), be16(b, 4));
        Some(Parsed {
            header: Udp {
                sport,
                dport,
                len: Some(len),
                chksum: Some(be16(b, 6)),
            },
            len: 8,
            next: Next::Udp { sport, dport },
            total: (len >= 8).then_some(usize::from(len)),
        })
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("sport", Value::Int(self.sport.into())),
            ("dport", Value::Int(self.dport.into())),
            ("len", Value::opt(self.len)),
            ("chksum", Value::opt_hex(self.chksum)),
        ]
    }

    fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
        Some(("chksum", self.chksum))
    }

    fn set_checksum(&mut self, v: Option<u16>) {
        self.chksum = v;
    }
}
