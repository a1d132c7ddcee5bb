//! IPv4.

use std::net::Ipv4Addr;

use crate::field::Value;
use crate::wire::{be16, internet_checksum, ip4, Cx, Next, Parsed, Wire};

/// An IPv4 header (scapy's `IP`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv4 {
    /// Version (4; another value makes a malformed packet).
    pub version: u8,
    /// Header length in 32-bit words; unset: from the options.
    pub ihl: Option<u8>,
    /// Type of service (DSCP and ECN).
    pub tos: u8,
    /// Total length; unset: header and payload.
    pub len: Option<u16>,
    /// Identification (scapy's default 1).
    pub id: u16,
    /// Flags: [`Ipv4::MF`], [`Ipv4::DF`], [`Ipv4::EVIL`].
    pub flags: u8,
    /// Fragment offset in 8-byte units.
    pub frag: u16,
    /// Time to live.
    pub ttl: u8,
    /// Protocol; unset: from the next layer (0 when it has none).
    pub proto: Option<u8>,
    /// Header checksum; unset: computed.
    pub chksum: Option<u16>,
    /// Source.
    pub src: Ipv4Addr,
    /// Destination.
    pub dst: Ipv4Addr,
    /// Options as bytes (padded with zeros to a multiple of 4 when built);
    /// [`Ipv4::router_alert`] makes the common one.
    pub options: Vec<u8>,
}

impl Default for Ipv4 {
    fn default() -> Ipv4 {
        Ipv4 {
            version: 4,
            ihl: None,
            tos: 0,
            len: None,
            id: 1,
            flags: 0,
            frag: 0,
            ttl: 64,
            proto: None,
            chksum: None,
            src: Ipv4Addr::LOCALHOST,
            dst: Ipv4Addr::LOCALHOST,
            options: Vec::new(),
        }
    }
}

const FLAGS: &[&str] = &["MF", "DF", "evil"];

impl Ipv4 {
    /// More fragments.
    pub const MF: u8 = 1;
    /// Don't fragment.
    pub const DF: u8 = 2;
    /// The reserved bit (RFC 3514).
    pub const EVIL: u8 = 4;

    /// A header from `src` to `dst`.
    pub fn new(src: Ipv4Addr, dst: Ipv4Addr) -> Ipv4 {
        Ipv4 {
            src,
            dst,
            ..Ipv4::default()
        }
    }

    /// Sets the TTL.
    pub fn ttl(mut self, ttl: u8) -> Ipv4 {
        self.ttl = ttl;
        self
    }

    /// Sets the flags.
    pub fn flags(mut self, flags: u8) -> Ipv4 {
        self.flags = flags;
        self
    }

    /// The Router Alert option (RFC 2113), value 0.
    pub fn router_alert() -> Vec<u8> {
        vec![0x94, 0x04, 0x00, 0x00]
    }

    /// The header's length as built: 20 bytes and the padded options.
    pub fn header_len(&self) -> usize {
        20 + self.options.len().div_ceil(4) * 4
    }

    /// True if this is a fragment (more fragments, or an offset).
    pub fn is_fragment(&self) -> bool {
        self.flags & Ipv4::MF != 0 || self.frag != 0
    }
}

impl Wire for Ipv4 {
    fn clear_auto(&mut self) {
        self.ihl = None;
        self.len = None;
        // A fragment after the first carries raw bytes: its protocol cannot
        // be had from them, so it stays.
        if self.frag == 0 {
            self.proto = None;
        }
        self.chksum = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let hlen = self.header_len();
        let ihl = self.ihl.unwrap_or((hlen / 4) as u8);
        let len = self
            .len
            .unwrap_or_else(|| (hlen + payload.len()).min(0xffff) as u16);
        let proto = self.proto.or(cx.next_ip_proto).unwrap_or(0);
        let mut out = Vec::with_capacity(hlen + payload.len());
        out.push((self.version & 0xf) << 4 | (ihl & 0xf));
        out.push(self.tos);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&self.id.to_be_bytes());
        let ff = u16::from(self.flags & 7) << 13 | (self.frag & 0x1fff);
        out.extend_from_slice(&ff.to_be_bytes());
        out.push(self.ttl);
        out.push(proto);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.src.octets());
        out.extend_from_slice(&self.dst.octets());
        out.extend_from_slice(&self.options);
        out.resize(hlen, 0);
        let ck = self.chksum.unwrap_or_else(|| internet_checksum(&[&out]));
        out[10..12].copy_from_slice(&ck.to_be_bytes());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Ipv4>> {
        if b.len() < 20 {
            return None;
        }
        let ihl = b[0] & 0xf;
        let hlen = (usize::from(ihl) * 4).max(20);
        if hlen > b.len() {
            return None;
        }
        let ff = be16(b, 6);
        let h = Ipv4 {
            version: b[0] >> 4,
            ihl: Some(ihl),
            tos: b[1],
            len: Some(be16(b, 2)),
            id: be16(b, 4),
            flags: (ff >> 13) as u8,
            frag: ff & 0x1fff,
            ttl: b[8],
            proto: Some(b[9]),
            chksum: Some(be16(b, 10)),
            src: ip4(b, 12),
            dst: ip4(b, 16),
            options: b[20..hlen].to_vec(),
        };
        let next = if h.frag == 0 {
            Next::IpProto(b[9], false)
        } else {
            Next::Raw
        };
        let total = usize::from(be16(b, 2));
        Some(Parsed {
            header: h,
            len: hlen,
            next,
            total: Some(total),
        })
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("version", Value::Int(self.version.into())),
            ("ihl", Value::opt(self.ihl)),
            ("tos", Value::Hex(self.tos.into())),
            ("len", Value::opt(self.len)),
            ("id", Value::Int(self.id.into())),
            ("flags", Value::Flags(self.flags.into(), FLAGS)),
            ("frag", Value::Int(self.frag.into())),
            ("ttl", Value::Int(self.ttl.into())),
            ("proto", Value::opt(self.proto)),
            ("chksum", Value::opt_hex(self.chksum)),
            ("src", Value::Ip4(self.src)),
            ("dst", Value::Ip4(self.dst)),
            ("options", Value::Bytes(self.options.clone())),
        ]
    }

    fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
        Some(("chksum", self.chksum))
    }

    fn set_checksum(&mut self, v: Option<u16>) {
        self.chksum = v;
    }
}
