//! What every header type implements to be built and dissected, and the
//! Internet checksum.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::field::Value;

/// What a layer sees of the packet around it while it is built.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cx {
    /// The EtherType announcing the next layer, if it has one.
    pub next_ethertype: Option<u16>,
    /// The IP protocol number announcing the next layer, if it has one.
    pub next_ip_proto: Option<u8>,
    /// The next layer is a neighbour discovery message.
    pub next_nd: bool,
    /// The nearest enclosing IP header, for pseudo-headers.
    pub ip: Option<Pseudo>,
}

/// What an upper layer's checksum takes from the IP header around it.
#[derive(Clone, Debug)]
pub(crate) enum Pseudo {
    /// IPv4: the addresses, and the upper length the IP's length field
    /// gives when it is set (scapy's `in4_chksum`).
    V4 {
        src: Ipv4Addr,
        dst: Ipv4Addr,
        upper_len: Option<usize>,
    },
    /// IPv6: the source and the final destination (that of a routing
    /// header with segments left, as scapy's `in6_chksum` takes it).
    V6 { src: Ipv6Addr, dst: Ipv6Addr },
}

impl Pseudo {
    /// The pseudo-header for `proto` over `upper_len` bytes.
    pub fn header(&self, proto: u8, upper_len: usize) -> Vec<u8> {
        match self {
            Pseudo::V4 {
                src,
                dst,
                upper_len: from_ip,
            } => {
                let len = from_ip.unwrap_or(upper_len);
                let mut p = Vec::with_capacity(12);
                p.extend_from_slice(&src.octets());
                p.extend_from_slice(&dst.octets());
                p.push(0);
                p.push(proto);
                p.extend_from_slice(&(len as u16).to_be_bytes());
                p
            }
            Pseudo::V6 { src, dst } => {
                let mut p = Vec::with_capacity(40);
                p.extend_from_slice(&src.octets());
                p.extend_from_slice(&dst.octets());
                p.extend_from_slice(&(upper_len as u32).to_be_bytes());
                p.extend_from_slice(&[0, 0, 0, proto]);
                p
            }
        }
    }
}

/// What a layer's parse found.
pub(crate) struct Parsed<T> {
    pub header: T,
    /// Bytes of the header.
    pub len: usize,
    /// How to dissect what follows.
    pub next: Next,
    /// The layer's length with its payload, when a length field gives it:
    /// what lies beyond is padding.
    pub total: Option<usize>,
}

impl<T> Parsed<T> {
    pub fn new(header: T, len: usize, next: Next) -> Parsed<T> {
        Parsed {
            header,
            len,
            next,
            total: None,
        }
    }
}

/// How to dissect the bytes after a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    Ether,
    EtherType(u16),
    /// IP protocol; `true` inside IPv6 (extension headers are possible).
    IpProto(u8, bool),
    Udp {
        sport: u16,
        dport: u16,
    },
    /// After GRE with protocol 0x88be.
    Erspan,
    /// After an MPLS entry that is not the bottom of the stack, or after it.
    Mpls {
        bottom: bool,
    },
    /// The packet an ICMP error quotes.
    Quoted4,
    Quoted6,
    /// Neighbour discovery options.
    NdOpts,
    Raw,
}

/// A header type's build, parse and fields.
pub(crate) trait Wire: Sized {
    /// The header's bytes followed by `payload`, with the fields left unset
    /// filled in.
    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8>;
    /// Parses the header at the start of `b`; `None` if it cannot be read.
    fn parse(b: &[u8]) -> Option<Parsed<Self>>;
    /// The fields under scapy's names.
    fn fields(&self) -> Vec<(&'static str, Value)>;
    /// The checksum field's name and value, for types that have one.
    fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
        None
    }
    /// Sets the checksum field.
    fn set_checksum(&mut self, _v: Option<u16>) {}
    /// Unsets every field the build can fill in (lengths, checksums,
    /// next-protocol fields).
    fn clear_auto(&mut self) {}
    /// A title that depends on the value (ICMPv6's message kinds).
    fn title(&self) -> Option<&'static str> {
        None
    }
}

/// The Internet checksum (RFC 1071) of `parts` taken as one byte string.
pub fn internet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for part in parts {
        let mut b = *part;
        if let Some(hi) = odd.take() {
            if let Some((&lo, rest)) = b.split_first() {
                sum += u64::from(u16::from_be_bytes([hi, lo]));
                b = rest;
            } else {
                odd = Some(hi);
                continue;
            }
        }
        let mut chunks = b.chunks_exact(2);
        for c in &mut chunks {
            sum += u64::from(u16::from_be_bytes([c[0], c[1]]));
        }
        if let [last] = chunks.remainder() {
            odd = Some(*last);
        }
    }
    if let Some(hi) = odd {
        sum += u64::from(u16::from_be_bytes([hi, 0]));
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Reads a big-endian u16 at `at` (the caller checked the length).
pub(crate) fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// Reads a big-endian u32 at `at` (the caller checked the length).
pub(crate) fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub(crate) fn ip4(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

pub(crate) fn ip6(b: &[u8], at: usize) -> Ipv6Addr {
    let mut o = [0u8; 16];
    o.copy_from_slice(&b[at..at + 16]);
    Ipv6Addr::from(o)
}

pub(crate) fn mac(b: &[u8], at: usize) -> crate::Mac {
    let mut o = [0u8; 6];
    o.copy_from_slice(&b[at..at + 6]);
    crate::Mac(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_internet_checksum_is_rfc_1071s_over_split_input() {
        // RFC 1071's example: 0001 f203 f4f5 f6f7 sums to ddf2, so ~ = 220d.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(internet_checksum(&[&data]), 0x220d);
        assert_eq!(
            internet_checksum(&[&data[..3], &data[3..5], &data[5..]]),
            0x220d
        );
        assert_eq!(internet_checksum(&[&data[..1], &[], &data[1..]]), 0x220d);
        // An odd length is padded with a zero byte.
        assert_eq!(internet_checksum(&[&[0x01]]), !0x0100);
        assert_eq!(internet_checksum(&[]), 0xffff);
    }
}
