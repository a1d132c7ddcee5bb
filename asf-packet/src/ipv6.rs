//! IPv6 and its extension headers: hop-by-hop and destination options,
//! routing (with the segment routing header), fragment.

use std::net::Ipv6Addr;

use crate::field::Value;
use crate::wire::{be16, be32, ip6, Cx, Next, Parsed, Wire};

/// An IPv6 header (scapy's `IPv6`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv6 {
    /// Version (6; another value makes a malformed packet).
    pub version: u8,
    /// Traffic class.
    pub tc: u8,
    /// Flow label (20 bits).
    pub fl: u32,
    /// Payload length; unset: the payload's.
    pub plen: Option<u16>,
    /// Next header; unset: from the next layer (59, none, when it has none).
    pub nh: Option<u8>,
    /// Hop limit; unset: 255 right under a neighbour discovery message
    /// (scapy's `ICMPv6ND_*` overload it so, as RFC 4861 requires), 64
    /// otherwise. See [`Ipv6::hop_limit`].
    pub hlim: Option<u8>,
    /// Source.
    pub src: Ipv6Addr,
    /// Destination.
    pub dst: Ipv6Addr,
}

impl Default for Ipv6 {
    fn default() -> Ipv6 {
        Ipv6 {
            version: 6,
            tc: 0,
            fl: 0,
            plen: None,
            nh: None,
            hlim: None,
            src: Ipv6Addr::LOCALHOST,
            dst: Ipv6Addr::LOCALHOST,
        }
    }
}

impl Ipv6 {
    /// A header from `src` to `dst`.
    pub fn new(src: Ipv6Addr, dst: Ipv6Addr) -> Ipv6 {
        Ipv6 {
            src,
            dst,
            ..Ipv6::default()
        }
    }

    /// Sets the hop limit.
    pub fn hlim(mut self, hlim: u8) -> Ipv6 {
        self.hlim = Some(hlim);
        self
    }

    /// The hop limit: as set or read, else 64 (a build under a neighbour
    /// discovery message makes it 255).
    pub fn hop_limit(&self) -> u8 {
        self.hlim.unwrap_or(64)
    }
}

fn next_header(own: Option<u8>, cx: &Cx) -> u8 {
    own.or(cx.next_ip_proto).unwrap_or(59)
}

impl Wire for Ipv6 {
    fn clear_auto(&mut self) {
        self.plen = None;
        self.nh = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let plen = self.plen.unwrap_or(payload.len().min(0xffff) as u16);
        let mut out = Vec::with_capacity(40 + payload.len());
        let first =
            u32::from(self.version & 0xf) << 28 | u32::from(self.tc) << 20 | (self.fl & 0xfffff);
        out.extend_from_slice(&first.to_be_bytes());
        out.extend_from_slice(&plen.to_be_bytes());
        out.push(next_header(self.nh, cx));
        out.push(self.hlim.unwrap_or(if cx.next_nd { 255 } else { 64 }));
        out.extend_from_slice(&self.src.octets());
        out.extend_from_slice(&self.dst.octets());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Ipv6>> {
        if b.len() < 40 {
            return None;
        }
        let first = be32(b, 0);
        let plen = be16(b, 4);
        let h = Ipv6 {
            version: (first >> 28) as u8,
            tc: (first >> 20) as u8,
            fl: first & 0xfffff,
            plen: Some(plen),
            nh: Some(b[6]),
            hlim: Some(b[7]),
            src: ip6(b, 8),
            dst: ip6(b, 24),
        };
        Some(Parsed {
            header: h,
            len: 40,
            next: Next::IpProto(b[6], true),
            // A zero payload length is a jumbogram's: no padding then.
            total: (plen != 0).then_some(40 + usize::from(plen)),
        })
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("version", Value::Int(self.version.into())),
            ("tc", Value::Int(self.tc.into())),
            ("fl", Value::Int(self.fl.into())),
            ("plen", Value::opt(self.plen)),
            ("nh", Value::opt(self.nh)),
            ("hlim", Value::opt(self.hlim)),
            ("src", Value::Ip6(self.src)),
            ("dst", Value::Ip6(self.dst)),
        ]
    }
}

/// Pads options to a multiple of 8 bytes with the 2 bytes before them, as
/// scapy does: Pad1 for one byte, PadN for more.
fn pad_options(options: &[u8]) -> Vec<u8> {
    let mut out = options.to_vec();
    let pad = (8 - (2 + out.len()) % 8) % 8;
    match pad {
        0 => {}
        1 => out.push(0),
        n => {
            out.push(1);
            out.push((n - 2) as u8);
            out.resize(out.len() + n - 2, 0);
        }
    }
    out
}

macro_rules! options_header {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $name {
            /// Next header; unset: from the next layer.
            pub nh: Option<u8>,
            /// Length in 8-byte units after the first 8; unset: from the options.
            pub len: Option<u8>,
            /// Options as bytes (padded with Pad1/PadN to 8 bytes when built).
            pub options: Vec<u8>,
        }

        impl $name {
            /// A header with these options.
            pub fn new(options: impl AsRef<[u8]>) -> $name {
                $name {
                    options: options.as_ref().to_vec(),
                    ..$name::default()
                }
            }
        }

        impl Wire for $name {
    fn clear_auto(&mut self) {
        self.nh = None;
        self.len = None;
    }

            fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
                let opts = pad_options(&self.options);
                let len = self.len.unwrap_or(((2 + opts.len()) / 8).saturating_sub(1) as u8);
                let mut out = Vec::with_capacity(2 + opts.len() + payload.len());
                out.push(next_header(self.nh, cx));
                out.push(len);
                out.extend_from_slice(&opts);
                out.extend_from_slice(&payload);
                out
            }

            fn parse(b: &[u8]) -> Option<Parsed<$name>> {
                if b.len() < 2 {
                    return None;
                }
                let hlen = (usize::from(b[1]) + 1) * 8;
                if hlen > b.len() {
                    return None;
                }
                Some(Parsed::new(
                    $name {
                        nh: Some(b[0]),
                        len: Some(b[1]),
                        options: b[2..hlen].to_vec(),
                    },
                    hlen,
                    Next::IpProto(b[0], true),
                ))
            }

            fn fields(&self) -> Vec<(&'static str, Value)> {
                vec![
                    ("nh", Value::opt(self.nh)),
                    ("len", Value::opt(self.len)),
                    ("options", Value::Bytes(self.options.clone())),
                ]
            }
        }
    };
}

options_header! {
    /// IPv6 hop-by-hop options (scapy's `IPv6ExtHdrHopByHop`).
    HopByHop
}

options_header! {
    /// IPv6 destination options (scapy's `IPv6ExtHdrDestOpt`).
    DestOpts
}

impl HopByHop {
    /// The Router Alert option (RFC 2711) with value 0 (MLD).
    pub fn router_alert() -> Vec<u8> {
        vec![0x05, 0x02, 0x00, 0x00]
    }
}

/// An IPv6 routing header with a list of addresses (scapy's
/// `IPv6ExtHdrRouting`, type 0 by default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Routing {
    /// Next header; unset: from the next layer.
    pub nh: Option<u8>,
    /// Length in 8-byte units; unset: two per address.
    pub len: Option<u8>,
    /// Routing type.
    pub ty: u8,
    /// Segments left; unset: the number of addresses.
    pub segleft: u8,
    /// The reserved word.
    pub reserved: u32,
    /// The addresses.
    pub addresses: Vec<Ipv6Addr>,
}

impl Routing {
    /// A type 0 header through `addresses`, all of them left.
    pub fn new(addresses: Vec<Ipv6Addr>) -> Routing {
        Routing {
            segleft: addresses.len() as u8,
            addresses,
            ..Routing::default()
        }
    }
}

impl Wire for Routing {
    fn clear_auto(&mut self) {
        self.nh = None;
        self.len = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let len = self.len.unwrap_or((2 * self.addresses.len()) as u8);
        let mut out = Vec::with_capacity(8 + 16 * self.addresses.len() + payload.len());
        out.push(next_header(self.nh, cx));
        out.push(len);
        out.push(self.ty);
        out.push(self.segleft);
        out.extend_from_slice(&self.reserved.to_be_bytes());
        for a in &self.addresses {
            out.extend_from_slice(&a.octets());
        }
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Routing>> {
        if b.len() < 8 {
            return None;
        }
        let hlen = (usize::from(b[1]) + 1) * 8;
        if hlen > b.len() {
            return None;
        }
        // A length that is not whole addresses is not this header's: the
        // bytes stay Raw, so nothing is lost.
        if (hlen - 8) % 16 != 0 {
            return None;
        }
        let addresses = (0..(hlen - 8) / 16).map(|i| ip6(b, 8 + 16 * i)).collect();
        Some(Parsed::new(
            Routing {
                nh: Some(b[0]),
                len: Some(b[1]),
                ty: b[2],
                segleft: b[3],
                reserved: be32(b, 4),
                addresses,
            },
            hlen,
            Next::IpProto(b[0], true),
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("nh", Value::opt(self.nh)),
            ("len", Value::opt(self.len)),
            ("type", Value::Int(self.ty.into())),
            ("segleft", Value::Int(self.segleft.into())),
            ("reserved", Value::Hex(self.reserved.into())),
            (
                "addresses",
                Value::List(self.addresses.iter().map(|a| Value::Ip6(*a)).collect()),
            ),
        ]
    }
}

/// A segment routing header (RFC 8754; scapy's
/// `IPv6ExtHdrSegmentRouting`): routing type 4 with the segment list in
/// reverse order (the last segment first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Srh {
    /// Next header; unset: from the next layer.
    pub nh: Option<u8>,
    /// Length in 8-byte units; unset: from the segments and TLVs.
    pub len: Option<u8>,
    /// Routing type (4).
    pub ty: u8,
    /// Segments left; unset: the number of segments less one.
    pub segleft: u8,
    /// Index of the last entry; unset: the number of segments less one.
    pub lastentry: Option<u8>,
    /// Flags.
    pub flags: u8,
    /// Tag.
    pub tag: u16,
    /// The segment list, `addresses[0]` the last segment.
    pub addresses: Vec<Ipv6Addr>,
    /// TLVs as bytes.
    pub tlvs: Vec<u8>,
}

impl Srh {
    /// A header with this segment list (`addresses[0]` the last segment)
    /// and `segleft` segments left.
    pub fn new(addresses: Vec<Ipv6Addr>, segleft: u8) -> Srh {
        Srh {
            nh: None,
            len: None,
            ty: 4,
            segleft,
            lastentry: None,
            flags: 0,
            tag: 0,
            addresses,
            tlvs: Vec::new(),
        }
    }
}

impl Wire for Srh {
    fn clear_auto(&mut self) {
        self.nh = None;
        self.len = None;
        self.lastentry = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let body = 16 * self.addresses.len() + self.tlvs.len();
        let len = self.len.unwrap_or((body / 8) as u8);
        let last = self
            .lastentry
            .unwrap_or(self.addresses.len().saturating_sub(1) as u8);
        let mut out = Vec::with_capacity(8 + body + payload.len());
        out.push(next_header(self.nh, cx));
        out.push(len);
        out.push(self.ty);
        out.push(self.segleft);
        out.push(last);
        out.push(self.flags);
        out.extend_from_slice(&self.tag.to_be_bytes());
        for a in &self.addresses {
            out.extend_from_slice(&a.octets());
        }
        out.extend_from_slice(&self.tlvs);
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Srh>> {
        if b.len() < 8 {
            return None;
        }
        let hlen = (usize::from(b[1]) + 1) * 8;
        if hlen > b.len() {
            return None;
        }
        let n = ((usize::from(b[4]) + 1) * 16).min(hlen - 8) / 16;
        let addresses = (0..n).map(|i| ip6(b, 8 + 16 * i)).collect();
        Some(Parsed::new(
            Srh {
                nh: Some(b[0]),
                len: Some(b[1]),
                ty: b[2],
                segleft: b[3],
                lastentry: Some(b[4]),
                flags: b[5],
                tag: be16(b, 6),
                addresses,
                tlvs: b[8 + 16 * n..hlen].to_vec(),
            },
            hlen,
            Next::IpProto(b[0], true),
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("nh", Value::opt(self.nh)),
            ("len", Value::opt(self.len)),
            ("type", Value::Int(self.ty.into())),
            ("segleft", Value::Int(self.segleft.into())),
            ("lastentry", Value::opt(self.lastentry)),
            ("unused1", Value::Int(u64::from(self.flags >> 7))),
            ("protected", Value::Int(u64::from(self.flags >> 6 & 1))),
            ("oam", Value::Int(u64::from(self.flags >> 5 & 1))),
            ("alert", Value::Int(u64::from(self.flags >> 4 & 1))),
            ("hmac", Value::Int(u64::from(self.flags >> 3 & 1))),
            ("unused2", Value::Int(u64::from(self.flags & 7))),
            ("tag", Value::Int(self.tag.into())),
            (
                "addresses",
                Value::List(self.addresses.iter().map(|a| Value::Ip6(*a)).collect()),
            ),
            ("tlv_objects", Value::Bytes(self.tlvs.clone())),
        ]
    }
}

/// The IPv6 fragment header (scapy's `IPv6ExtHdrFragment`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// Next header; unset: from the next layer.
    pub nh: Option<u8>,
    /// The reserved byte.
    pub res1: u8,
    /// Fragment offset in 8-byte units (13 bits).
    pub offset: u16,
    /// The two reserved bits.
    pub res2: u8,
    /// More fragments.
    pub m: bool,
    /// Identification.
    pub id: u32,
}

impl Wire for Fragment {
    fn clear_auto(&mut self) {
        self.nh = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + payload.len());
        out.push(next_header(self.nh, cx));
        out.push(self.res1);
        let w = (self.offset & 0x1fff) << 3 | u16::from(self.res2 & 3) << 1 | u16::from(self.m);
        out.extend_from_slice(&w.to_be_bytes());
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Fragment>> {
        if b.len() < 8 {
            return None;
        }
        let w = be16(b, 2);
        let f = Fragment {
            nh: Some(b[0]),
            res1: b[1],
            offset: w >> 3,
            res2: (w >> 1 & 3) as u8,
            m: w & 1 == 1,
            id: be32(b, 4),
        };
        // Only the first fragment holds the upper layer's header.
        let next = if f.offset == 0 {
            Next::IpProto(b[0], true)
        } else {
            Next::Raw
        };
        Some(Parsed::new(f, 8, next))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("nh", Value::opt(self.nh)),
            ("res1", Value::Int(self.res1.into())),
            ("offset", Value::Int(self.offset.into())),
            ("res2", Value::Int(self.res2.into())),
            ("m", Value::Int(self.m.into())),
            ("id", Value::Int(self.id.into())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::pad_options;

    #[test]
    fn options_pad_to_eight_bytes_with_pad1_or_padn() {
        assert_eq!(pad_options(&[5, 2, 0, 0]), vec![5, 2, 0, 0, 1, 0]);
        assert_eq!(pad_options(&[1, 3, 0, 0, 0]), vec![1, 3, 0, 0, 0, 0]);
        assert_eq!(pad_options(&[]), vec![1, 4, 0, 0, 0, 0]);
        assert_eq!(pad_options(&[0; 6]), vec![0; 6]);
    }
}
