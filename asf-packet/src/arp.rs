//! ARP for IPv4 over Ethernet.

use std::net::Ipv4Addr;

use crate::field::Value;
use crate::wire::{be16, ip4, mac, Cx, Next, Parsed, Wire};
use crate::Mac;

/// An ARP packet (scapy's `ARP`), for IPv4 over Ethernet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arp {
    /// Hardware type (1: Ethernet).
    pub hwtype: u16,
    /// Protocol type (0x800: IPv4).
    pub ptype: u16,
    /// Hardware address length; unset: 6.
    pub hwlen: Option<u8>,
    /// Protocol address length; unset: 4.
    pub plen: Option<u8>,
    /// Operation: [`Arp::WHO_HAS`] or [`Arp::IS_AT`].
    pub op: u16,
    /// Sender MAC.
    pub hwsrc: Mac,
    /// Sender IP.
    pub psrc: Ipv4Addr,
    /// Target MAC.
    pub hwdst: Mac,
    /// Target IP.
    pub pdst: Ipv4Addr,
}

impl Default for Arp {
    fn default() -> Arp {
        Arp {
            hwtype: 1,
            ptype: 0x0800,
            hwlen: None,
            plen: None,
            op: Arp::WHO_HAS,
            hwsrc: Mac::ZERO,
            psrc: Ipv4Addr::UNSPECIFIED,
            hwdst: Mac::ZERO,
            pdst: Ipv4Addr::UNSPECIFIED,
        }
    }
}

impl Arp {
    /// A request (`who-has`).
    pub const WHO_HAS: u16 = 1;
    /// A reply (`is-at`).
    pub const IS_AT: u16 = 2;

    /// A request from `hwsrc`/`psrc` for `pdst`.
    pub fn who_has(hwsrc: Mac, psrc: Ipv4Addr, pdst: Ipv4Addr) -> Arp {
        Arp {
            hwsrc,
            psrc,
            pdst,
            ..Arp::default()
        }
    }

    /// A reply: `psrc` is at `hwsrc`, to `hwdst`/`pdst`.
    pub fn is_at(hwsrc: Mac, psrc: Ipv4Addr, hwdst: Mac, pdst: Ipv4Addr) -> Arp {
        Arp {
            op: Arp::IS_AT,
            hwsrc,
            psrc,
            hwdst,
            pdst,
            ..Arp::default()
        }
    }
}

impl Wire for Arp {
    fn clear_auto(&mut self) {
        self.hwlen = None;
        self.plen = None;
    }

    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(28 + payload.len());
        out.extend_from_slice(&self.hwtype.to_be_bytes());
        out.extend_from_slice(&self.ptype.to_be_bytes());
        out.push(self.hwlen.unwrap_or(6));
        out.push(self.plen.unwrap_or(4));
        out.extend_from_slice(&self.op.to_be_bytes());
        out.extend_from_slice(&self.hwsrc.0);
        out.extend_from_slice(&self.psrc.octets());
        out.extend_from_slice(&self.hwdst.0);
        out.extend_from_slice(&self.pdst.octets());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Arp>> {
        // Only the Ethernet/IPv4 form has these fields.
        if b.len() < 28 || b[4] != 6 || b[5] != 4 {
            return None;
        }
        let arp = Arp {
            hwtype: be16(b, 0),
            ptype: be16(b, 2),
            hwlen: Some(b[4]),
            plen: Some(b[5]),
            op: be16(b, 6),
            hwsrc: mac(b, 8),
            psrc: ip4(b, 14),
            hwdst: mac(b, 18),
            pdst: ip4(b, 24),
        };
        Some(Parsed {
            header: arp,
            len: 28,
            next: Next::Raw,
            total: Some(28),
        })
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("hwtype", Value::Hex(self.hwtype.into())),
            ("ptype", Value::Hex(self.ptype.into())),
            ("hwlen", Value::opt(self.hwlen)),
            ("plen", Value::opt(self.plen)),
            ("op", Value::Int(self.op.into())),
            ("hwsrc", Value::Mac(self.hwsrc)),
            ("psrc", Value::Ip4(self.psrc)),
            ("hwdst", Value::Mac(self.hwdst)),
            ("pdst", Value::Ip4(self.pdst)),
        ]
    }
}
