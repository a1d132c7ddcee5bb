//! ICMP for IPv4, and ICMPv6's echo and error messages (neighbour
//! discovery is `nd`).

use std::net::Ipv4Addr;

use crate::field::Value;
use crate::wire::{be16, be32, internet_checksum, Cx, Next, Parsed, Wire};

/// An ICMP message (scapy's `ICMP`): type, code, checksum and the four
/// bytes whose meaning the type gives (echo id and sequence, the next-hop
/// MTU, a gateway). An error's payload is the packet it quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Icmp {
    /// Type (default 8, echo request).
    pub ty: u8,
    /// Code.
    pub code: u8,
    /// Checksum; unset: computed over the message.
    pub chksum: Option<u16>,
    /// The second word.
    pub rest: u32,
}

impl Default for Icmp {
    fn default() -> Icmp {
        Icmp {
            ty: Icmp::ECHO_REQUEST,
            code: 0,
            chksum: None,
            rest: 0,
        }
    }
}

impl Icmp {
    /// Echo reply.
    pub const ECHO_REPLY: u8 = 0;
    /// Destination unreachable.
    pub const DEST_UNREACH: u8 = 3;
    /// Redirect.
    pub const REDIRECT: u8 = 5;
    /// Echo request.
    pub const ECHO_REQUEST: u8 = 8;
    /// Time exceeded.
    pub const TIME_EXCEEDED: u8 = 11;
    /// Parameter problem.
    pub const PARAM_PROBLEM: u8 = 12;

    /// An echo request.
    pub fn echo_request(id: u16, seq: u16) -> Icmp {
        Icmp {
            rest: u32::from(id) << 16 | u32::from(seq),
            ..Icmp::default()
        }
    }

    /// An echo reply.
    pub fn echo_reply(id: u16, seq: u16) -> Icmp {
        Icmp {
            ty: Icmp::ECHO_REPLY,
            ..Icmp::echo_request(id, seq)
        }
    }

    /// A destination unreachable with this code (4, fragmentation needed,
    /// takes the MTU with [`Icmp::with_mtu`]).
    pub fn dest_unreach(code: u8) -> Icmp {
        Icmp {
            ty: Icmp::DEST_UNREACH,
            code,
            ..Icmp::default()
        }
    }

    /// A time exceeded with this code (0: TTL in transit).
    pub fn time_exceeded(code: u8) -> Icmp {
        Icmp {
            ty: Icmp::TIME_EXCEEDED,
            code,
            ..Icmp::default()
        }
    }

    /// A redirect to `gw`.
    pub fn redirect(code: u8, gw: Ipv4Addr) -> Icmp {
        Icmp {
            ty: Icmp::REDIRECT,
            code,
            rest: u32::from(gw),
            ..Icmp::default()
        }
    }

    /// Sets the next-hop MTU of a destination unreachable.
    pub fn with_mtu(mut self, mtu: u16) -> Icmp {
        self.rest = (self.rest & 0xffff_0000) | u32::from(mtu);
        self
    }

    /// The echo identifier.
    pub fn id(&self) -> u16 {
        (self.rest >> 16) as u16
    }

    /// The echo sequence number.
    pub fn seq(&self) -> u16 {
        self.rest as u16
    }

    /// The next-hop MTU of a destination unreachable.
    pub fn nexthopmtu(&self) -> u16 {
        self.rest as u16
    }

    /// The gateway of a redirect.
    pub fn gw(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.rest)
    }

    /// True for the messages that quote a packet.
    pub fn is_error(&self) -> bool {
        matches!(self.ty, 3 | 4 | 5 | 11 | 12)
    }
}

impl Wire for Icmp {
    fn clear_auto(&mut self) {
        self.chksum = None;
    }

    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + payload.len());
        out.push(self.ty);
        out.push(self.code);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.rest.to_be_bytes());
        out.extend_from_slice(&payload);
        let ck = self.chksum.unwrap_or_else(|| internet_checksum(&[&out]));
        out[2..4].copy_from_slice(&ck.to_be_bytes());
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Icmp>> {
        if b.len() < 8 {
            return None;
        }
        let h = Icmp {
            ty: b[0],
            code: b[1],
            chksum: Some(be16(b, 2)),
            rest: be32(b, 4),
        };
        let next = if h.is_error() {
            Next::Quoted4
        } else {
            Next::Raw
        };
        Some(Parsed::new(h, 8, next))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![
            ("type", Value::Int(self.ty.into())),
            ("code", Value::Int(self.code.into())),
            ("chksum", Value::opt_hex(self.chksum)),
        ];
        let r = self.rest;
        match self.ty {
            0 | 8 | 13..=18 => {
                f.push(("id", Value::Hex(u64::from(r >> 16))));
                f.push(("seq", Value::Hex(u64::from(r & 0xffff))));
            }
            3 => {
                f.push(("reserved", Value::Int(u64::from(r >> 24))));
                f.push(("length", Value::Int(u64::from(r >> 16 & 0xff))));
                f.push(("nexthopmtu", Value::Int(u64::from(r & 0xffff))));
            }
            5 => f.push(("gw", Value::Ip4(self.gw()))),
            11 => {
                f.push(("reserved", Value::Int(u64::from(r >> 24))));
                f.push(("length", Value::Int(u64::from(r >> 16 & 0xff))));
                f.push(("unused", Value::Int(u64::from(r & 0xffff))));
            }
            12 => {
                f.push(("ptr", Value::Int(u64::from(r >> 24))));
                f.push(("length", Value::Int(u64::from(r >> 16 & 0xff))));
                f.push(("unused", Value::Int(u64::from(r & 0xffff))));
            }
            _ => f.push(("unused", Value::Int(r.into()))),
        }
        f
    }

    fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
        Some(("chksum", self.chksum))
    }

    fn set_checksum(&mut self, v: Option<u16>) {
        self.chksum = v;
    }
}

/// An ICMPv6 message other than neighbour discovery (scapy's
/// `ICMPv6EchoRequest`, `ICMPv6DestUnreach`, `ICMPv6PacketTooBig`, ...):
/// type, code, checksum and the four bytes the type gives meaning to (echo
/// id and sequence, an MTU, a pointer). An error's payload is the packet
/// it quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Icmpv6 {
    /// Type (default 128, echo request).
    pub ty: u8,
    /// Code.
    pub code: u8,
    /// Checksum; unset: computed with the pseudo-header.
    pub cksum: Option<u16>,
    /// The second word.
    pub rest: u32,
}

impl Default for Icmpv6 {
    fn default() -> Icmpv6 {
        Icmpv6 {
            ty: Icmpv6::ECHO_REQUEST,
            code: 0,
            cksum: None,
            rest: 0,
        }
    }
}

impl Icmpv6 {
    /// Destination unreachable.
    pub const DEST_UNREACH: u8 = 1;
    /// Packet too big.
    pub const PACKET_TOO_BIG: u8 = 2;
    /// Time exceeded.
    pub const TIME_EXCEEDED: u8 = 3;
    /// Parameter problem.
    pub const PARAM_PROBLEM: u8 = 4;
    /// Echo request.
    pub const ECHO_REQUEST: u8 = 128;
    /// Echo reply.
    pub const ECHO_REPLY: u8 = 129;
    /// MLDv2 listener report.
    pub const MLD2_REPORT: u8 = 143;

    /// An echo request.
    pub fn echo_request(id: u16, seq: u16) -> Icmpv6 {
        Icmpv6 {
            rest: u32::from(id) << 16 | u32::from(seq),
            ..Icmpv6::default()
        }
    }

    /// An echo reply.
    pub fn echo_reply(id: u16, seq: u16) -> Icmpv6 {
        Icmpv6 {
            ty: Icmpv6::ECHO_REPLY,
            ..Icmpv6::echo_request(id, seq)
        }
    }

    /// A destination unreachable with this code.
    pub fn dest_unreach(code: u8) -> Icmpv6 {
        Icmpv6 {
            ty: Icmpv6::DEST_UNREACH,
            code,
            ..Icmpv6::default()
        }
    }

    /// A packet too big for `mtu`.
    pub fn packet_too_big(mtu: u32) -> Icmpv6 {
        Icmpv6 {
            ty: Icmpv6::PACKET_TOO_BIG,
            rest: mtu,
            ..Icmpv6::default()
        }
    }

    /// A time exceeded with this code (0: hop limit in transit).
    pub fn time_exceeded(code: u8) -> Icmpv6 {
        Icmpv6 {
            ty: Icmpv6::TIME_EXCEEDED,
            code,
            ..Icmpv6::default()
        }
    }

    /// A parameter problem pointing at byte `ptr`.
    pub fn param_problem(code: u8, ptr: u32) -> Icmpv6 {
        Icmpv6 {
            ty: Icmpv6::PARAM_PROBLEM,
            code,
            rest: ptr,
            ..Icmpv6::default()
        }
    }

    /// The number of address records of an MLDv2 report (type 143,
    /// scapy's `ICMPv6MLReport2.records_number`): the second word's low
    /// half.
    pub fn records_number(&self) -> u16 {
        self.rest as u16
    }

    /// The echo identifier.
    pub fn id(&self) -> u16 {
        (self.rest >> 16) as u16
    }

    /// The echo sequence number.
    pub fn seq(&self) -> u16 {
        self.rest as u16
    }

    /// The MTU of a packet too big.
    pub fn mtu(&self) -> u32 {
        self.rest
    }

    /// True for the error messages, which quote a packet.
    pub fn is_error(&self) -> bool {
        matches!(self.ty, 1..=4)
    }
}

/// Fills in an ICMPv6 checksum (at `at` of `out`) with the pseudo-header of
/// the enclosing IPv6.
pub(crate) fn icmpv6_checksum(cx: &Cx, out: &mut [u8], at: usize) {
    let ph = cx
        .ip
        .as_ref()
        .map(|ip| ip.header(58, out.len()))
        .unwrap_or_default();
    let ck = internet_checksum(&[&ph, out]);
    out[at..at + 2].copy_from_slice(&ck.to_be_bytes());
}

impl Wire for Icmpv6 {
    fn clear_auto(&mut self) {
        self.cksum = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + payload.len());
        out.push(self.ty);
        out.push(self.code);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.rest.to_be_bytes());
        out.extend_from_slice(&payload);
        match self.cksum {
            Some(ck) => out[2..4].copy_from_slice(&ck.to_be_bytes()),
            None => icmpv6_checksum(cx, &mut out, 2),
        }
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Icmpv6>> {
        if b.len() < 8 {
            return None;
        }
        let h = Icmpv6 {
            ty: b[0],
            code: b[1],
            cksum: Some(be16(b, 2)),
            rest: be32(b, 4),
        };
        let next = if h.is_error() {
            Next::Quoted6
        } else {
            Next::Raw
        };
        Some(Parsed::new(h, 8, next))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![
            ("type", Value::Int(self.ty.into())),
            ("code", Value::Int(self.code.into())),
            ("cksum", Value::opt_hex(self.cksum)),
        ];
        match self.ty {
            128 | 129 => {
                f.push(("id", Value::Hex(self.id().into())));
                f.push(("seq", Value::Hex(self.seq().into())));
            }
            1 | 3 => {
                f.push(("length", Value::Int(u64::from(self.rest >> 24))));
                f.push(("unused", Value::Int(u64::from(self.rest & 0xff_ffff))));
            }
            2 => f.push(("mtu", Value::Int(self.rest.into()))),
            4 => f.push(("ptr", Value::Int(self.rest.into()))),
            _ => f.push(("unused", Value::Hex(self.rest.into()))),
        }
        f
    }

    fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
        Some(("cksum", self.cksum))
    }

    fn set_checksum(&mut self, v: Option<u16>) {
        self.cksum = v;
    }

    fn title(&self) -> Option<&'static str> {
        Some(match self.ty {
            1 => "ICMPv6 Destination Unreachable",
            2 => "ICMPv6 Packet Too Big",
            3 => "ICMPv6 Time Exceeded",
            4 => "ICMPv6 Parameter Problem",
            128 => "ICMPv6 Echo Request",
            129 => "ICMPv6 Echo Reply",
            _ => return None,
        })
    }
}
