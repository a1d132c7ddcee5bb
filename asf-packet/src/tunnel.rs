//! Encapsulations: GRE, ERSPAN, VXLAN and MPLS label stack entries.

use crate::field::Value;
use crate::wire::{be16, be32, internet_checksum, Cx, Next, Parsed, Wire};

/// A GRE header (scapy's `GRE`; RFC 2784 with RFC 2890's key and
/// sequence number).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gre {
    /// A checksum (and offset) field is present.
    pub chksum_present: bool,
    /// The routing bit (an offset and checksum field are present).
    pub routing_present: bool,
    /// A key field is present.
    pub key_present: bool,
    /// A sequence number field is present.
    pub seqnum_present: bool,
    /// The other bits of the first word (strict source route, recursion
    /// control, flags), as they stand there, shifted to the right.
    pub reserved: u16,
    /// Version.
    pub version: u8,
    /// Protocol of the payload; unset: from the next layer (0 when none).
    pub proto: Option<u16>,
    /// Checksum, when present; unset: computed.
    pub chksum: Option<u16>,
    /// Offset, when the checksum is present.
    pub offset: u16,
    /// Key, when present.
    pub key: u32,
    /// Sequence number, when present.
    pub sequence_number: u32,
}

impl Gre {
    /// A plain header; the protocol comes from the next layer.
    pub fn new() -> Gre {
        Gre::default()
    }

    /// A header with a key.
    pub fn with_key(key: u32) -> Gre {
        Gre {
            key_present: true,
            key,
            ..Gre::default()
        }
    }

    fn has_chksum(&self) -> bool {
        self.chksum_present || self.routing_present
    }
}

impl Wire for Gre {
    fn clear_auto(&mut self) {
        self.proto = None;
        self.chksum = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let proto = self.proto.or(cx.next_ethertype).unwrap_or(0);
        let first = u16::from(self.chksum_present) << 15
            | u16::from(self.routing_present) << 14
            | u16::from(self.key_present) << 13
            | u16::from(self.seqnum_present) << 12
            | (self.reserved & 0x1ff) << 3
            | u16::from(self.version & 7);
        let mut out = Vec::with_capacity(16 + payload.len());
        out.extend_from_slice(&first.to_be_bytes());
        out.extend_from_slice(&proto.to_be_bytes());
        if self.has_chksum() {
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&self.offset.to_be_bytes());
        }
        if self.key_present {
            out.extend_from_slice(&self.key.to_be_bytes());
        }
        if self.seqnum_present {
            out.extend_from_slice(&self.sequence_number.to_be_bytes());
        }
        out.extend_from_slice(&payload);
        if self.has_chksum() {
            let ck = match (self.chksum, self.chksum_present) {
                (Some(c), _) => c,
                (None, true) => internet_checksum(&[&out]),
                (None, false) => 0,
            };
            out[4..6].copy_from_slice(&ck.to_be_bytes());
        }
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Gre>> {
        if b.len() < 4 {
            return None;
        }
        let first = be16(b, 0);
        let mut g = Gre {
            chksum_present: first & 0x8000 != 0,
            routing_present: first & 0x4000 != 0,
            key_present: first & 0x2000 != 0,
            seqnum_present: first & 0x1000 != 0,
            reserved: first >> 3 & 0x1ff,
            version: (first & 7) as u8,
            proto: Some(be16(b, 2)),
            ..Gre::default()
        };
        let mut at = 4;
        let need = 4
            + 4 * usize::from(g.has_chksum())
            + 4 * usize::from(g.key_present)
            + 4 * usize::from(g.seqnum_present);
        if b.len() < need {
            return None;
        }
        if g.has_chksum() {
            g.chksum = Some(be16(b, at));
            g.offset = be16(b, at + 2);
            at += 4;
        }
        if g.key_present {
            g.key = be32(b, at);
            at += 4;
        }
        if g.seqnum_present {
            g.sequence_number = be32(b, at);
            at += 4;
        }
        let next = match be16(b, 2) {
            0x6558 => Next::Ether,
            0x88be => Next::Erspan,
            t => Next::EtherType(t),
        };
        Some(Parsed::new(g, at, next))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![
            ("chksum_present", Value::Int(self.chksum_present.into())),
            ("routing_present", Value::Int(self.routing_present.into())),
            ("key_present", Value::Int(self.key_present.into())),
            ("seqnum_present", Value::Int(self.seqnum_present.into())),
            (
                "strict_route_source",
                Value::Int(u64::from(self.reserved >> 8 & 1)),
            ),
            (
                "recursion_control",
                Value::Int(u64::from(self.reserved >> 5 & 7)),
            ),
            ("flags", Value::Int(u64::from(self.reserved & 0x1f))),
            ("version", Value::Int(self.version.into())),
            ("proto", Value::opt_hex(self.proto)),
        ];
        if self.has_chksum() {
            f.push(("chksum", Value::opt_hex(self.chksum)));
            f.push(("offset", Value::Int(self.offset.into())));
        }
        if self.key_present {
            f.push(("key", Value::Int(self.key.into())));
        }
        if self.seqnum_present {
            f.push(("sequence_number", Value::Int(self.sequence_number.into())));
        }
        f
    }

    fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
        self.chksum_present.then_some(("chksum", self.chksum))
    }

    fn set_checksum(&mut self, v: Option<u16>) {
        self.chksum = v;
    }
}

/// An ERSPAN type II header (scapy's `ERSPAN`, which is `ERSPAN_II`),
/// after GRE with protocol 0x88be; an Ethernet frame follows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Erspan {
    /// Version (4 bits; 1 for type II).
    pub ver: u8,
    /// VLAN of the mirrored frame (12 bits).
    pub vlan: u16,
    /// Class of service (3 bits).
    pub cos: u8,
    /// Trunk encapsulation type (2 bits).
    pub en: u8,
    /// Truncated (1 bit).
    pub t: u8,
    /// Session id (10 bits).
    pub session_id: u16,
    /// Reserved (12 bits).
    pub reserved: u16,
    /// Port index (20 bits).
    pub index: u32,
}

impl Erspan {
    /// A type II header of this session (scapy's defaults are all 0).
    pub fn new(session_id: u16) -> Erspan {
        Erspan {
            ver: 1,
            session_id,
            ..Erspan::default()
        }
    }
}

impl Wire for Erspan {
    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let w0 = u32::from(self.ver & 0xf) << 28
            | u32::from(self.vlan & 0xfff) << 16
            | u32::from(self.cos & 7) << 13
            | u32::from(self.en & 3) << 11
            | u32::from(self.t & 1) << 10
            | u32::from(self.session_id & 0x3ff);
        let w1 = u32::from(self.reserved & 0xfff) << 20 | (self.index & 0xf_ffff);
        let mut out = Vec::with_capacity(8 + payload.len());
        out.extend_from_slice(&w0.to_be_bytes());
        out.extend_from_slice(&w1.to_be_bytes());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Erspan>> {
        if b.len() < 8 {
            return None;
        }
        let (w0, w1) = (be32(b, 0), be32(b, 4));
        Some(Parsed::new(
            Erspan {
                ver: (w0 >> 28) as u8,
                vlan: (w0 >> 16 & 0xfff) as u16,
                cos: (w0 >> 13 & 7) as u8,
                en: (w0 >> 11 & 3) as u8,
                t: (w0 >> 10 & 1) as u8,
                session_id: (w0 & 0x3ff) as u16,
                reserved: (w1 >> 20) as u16,
                index: w1 & 0xf_ffff,
            },
            8,
            Next::Ether,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("ver", Value::Int(self.ver.into())),
            ("vlan", Value::Int(self.vlan.into())),
            ("cos", Value::Int(self.cos.into())),
            ("en", Value::Int(self.en.into())),
            ("t", Value::Int(self.t.into())),
            ("session_id", Value::Int(self.session_id.into())),
            ("reserved", Value::Int(self.reserved.into())),
            ("index", Value::Int(self.index.into())),
        ]
    }
}

/// A VXLAN header (RFC 7348; scapy's `VXLAN`), on UDP port 4789.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vxlan {
    /// Flags (0x08: the VNI is valid).
    pub flags: u8,
    /// The 24 bits after the flags: reserved (VXLAN), or a reserved short
    /// and the next protocol (VXLAN-GPE, flag 0x04), or group policy flags
    /// and id (VXLAN-GBP, flag 0x80).
    pub reserved1: u32,
    /// VXLAN network identifier (24 bits).
    pub vni: u32,
    /// The reserved byte after the VNI.
    pub reserved2: u8,
}

impl Default for Vxlan {
    fn default() -> Vxlan {
        Vxlan {
            flags: 0x08,
            reserved1: 0,
            vni: 0,
            reserved2: 0,
        }
    }
}

impl Vxlan {
    /// A header with this VNI.
    pub fn new(vni: u32) -> Vxlan {
        Vxlan {
            vni,
            ..Vxlan::default()
        }
    }
}

impl Wire for Vxlan {
    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + payload.len());
        out.extend_from_slice(
            &(u32::from(self.flags) << 24 | (self.reserved1 & 0xff_ffff)).to_be_bytes(),
        );
        out.extend_from_slice(
            &((self.vni & 0xff_ffff) << 8 | u32::from(self.reserved2)).to_be_bytes(),
        );
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Vxlan>> {
        if b.len() < 8 {
            return None;
        }
        let (w0, w1) = (be32(b, 0), be32(b, 4));
        Some(Parsed::new(
            Vxlan {
                flags: (w0 >> 24) as u8,
                reserved1: w0 & 0xff_ffff,
                vni: w1 >> 8,
                reserved2: w1 as u8,
            },
            8,
            Next::Ether,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![("flags", Value::Hex(self.flags.into()))];
        let r = self.reserved1;
        if self.flags & 0x04 != 0 {
            // VXLAN-GPE: a next protocol.
            f.push(("reserved0", Value::Int(u64::from(r >> 8))));
            f.push(("NextProtocol", Value::Int(u64::from(r & 0xff))));
        } else if self.flags & 0x80 != 0 {
            // VXLAN-GBP: a group policy.
            f.push(("gpflags", Value::Int(u64::from(r >> 16))));
            f.push(("gpid", Value::Int(u64::from(r & 0xffff))));
        } else {
            f.push(("reserved1", Value::Int(r.into())));
        }
        f.extend([
            ("vni", Value::Hex(self.vni.into())),
            ("reserved2", Value::Hex(self.reserved2.into())),
        ]);
        f
    }
}

/// One MPLS label stack entry (scapy's `MPLS`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mpls {
    /// Label (20 bits; scapy's default 3).
    pub label: u32,
    /// Traffic class (3 bits).
    pub cos: u8,
    /// Bottom of stack (scapy's default 1).
    pub s: u8,
    /// Time to live.
    pub ttl: u8,
}

impl Default for Mpls {
    fn default() -> Mpls {
        Mpls {
            label: 3,
            cos: 0,
            s: 1,
            ttl: 0,
        }
    }
}

impl Mpls {
    /// An entry with this label and TTL, at the bottom of the stack.
    pub fn new(label: u32, ttl: u8) -> Mpls {
        Mpls {
            label,
            ttl,
            ..Mpls::default()
        }
    }

    /// Marks the entry as not the bottom of the stack.
    pub fn not_bottom(mut self) -> Mpls {
        self.s = 0;
        self
    }
}

impl Wire for Mpls {
    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let w = (self.label & 0xf_ffff) << 12
            | u32::from(self.cos & 7) << 9
            | u32::from(self.s & 1) << 8
            | u32::from(self.ttl);
        let mut out = Vec::with_capacity(4 + payload.len());
        out.extend_from_slice(&w.to_be_bytes());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Mpls>> {
        if b.len() < 4 {
            return None;
        }
        let w = be32(b, 0);
        let m = Mpls {
            label: w >> 12,
            cos: (w >> 9 & 7) as u8,
            s: (w >> 8 & 1) as u8,
            ttl: w as u8,
        };
        let bottom = m.s == 1;
        Some(Parsed::new(m, 4, Next::Mpls { bottom }))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("label", Value::Int(self.label.into())),
            ("cos", Value::Int(self.cos.into())),
            ("s", Value::Int(self.s.into())),
            ("ttl", Value::Int(self.ttl.into())),
        ]
    }
}

/// A GTP-U header (3GPP TS 29.281; scapy's `GTP_U_Header` of
/// `scapy.contrib.gtp`), on UDP port 2152. With any of `e`, `s` or `pn`
/// set it carries a sequence number, an N-PDU number and a next extension
/// header type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GtpU {
    /// Version (3 bits; 1).
    pub version: u8,
    /// Protocol type (1: GTP).
    pub pt: u8,
    /// The reserved bit.
    pub reserved: u8,
    /// Extension header flag.
    pub e: u8,
    /// Sequence number flag.
    pub s: u8,
    /// N-PDU number flag.
    pub pn: u8,
    /// Message type; unset: 255 (G-PDU) over IPv4 or IPv6, else 0.
    pub gtp_type: Option<u8>,
    /// Length of what follows the first 8 bytes; unset: computed.
    pub length: Option<u16>,
    /// Tunnel endpoint identifier.
    pub teid: u32,
    /// Sequence number.
    pub seq: u16,
    /// N-PDU number.
    pub npdu: u8,
    /// Next extension header type.
    pub next_ex: u8,
}

impl Default for GtpU {
    fn default() -> GtpU {
        GtpU {
            version: 1,
            pt: 1,
            reserved: 0,
            e: 0,
            s: 0,
            pn: 0,
            gtp_type: None,
            length: None,
            teid: 0,
            seq: 0,
            npdu: 0,
            next_ex: 0,
        }
    }
}

impl GtpU {
    /// The G-PDU message type.
    pub const G_PDU: u8 = 255;

    /// A G-PDU header for tunnel `teid` (`GTP_U_Header(gtp_type="g_pdu",
    /// teid=...)`).
    pub fn g_pdu(teid: u32) -> GtpU {
        GtpU {
            gtp_type: Some(GtpU::G_PDU),
            teid,
            ..GtpU::default()
        }
    }

    fn has_options(&self) -> bool {
        self.e | self.s | self.pn != 0
    }
}

impl Wire for GtpU {
    fn clear_auto(&mut self) {
        self.length = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let over_ip = matches!(cx.next_ethertype, Some(0x0800 | 0x86dd));
        let gtp_type = self
            .gtp_type
            .unwrap_or(if over_ip { GtpU::G_PDU } else { 0 });
        let options = if self.has_options() { 4 } else { 0 };
        let length = self
            .length
            .unwrap_or((options + payload.len()).min(0xffff) as u16);
        let mut out = Vec::with_capacity(8 + options + payload.len());
        out.push(
            (self.version & 7) << 5
                | (self.pt & 1) << 4
                | (self.reserved & 1) << 3
                | (self.e & 1) << 2
                | (self.s & 1) << 1
                | self.pn & 1,
        );
        out.push(gtp_type);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(&self.teid.to_be_bytes());
        if self.has_options() {
            out.extend_from_slice(&self.seq.to_be_bytes());
            out.extend_from_slice(&[self.npdu, self.next_ex]);
        }
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<GtpU>> {
        if b.len() < 8 {
            return None;
        }
        let flags = b[0];
        let g = GtpU {
            version: flags >> 5,
            pt: flags >> 4 & 1,
            reserved: flags >> 3 & 1,
            e: flags >> 2 & 1,
            s: flags >> 1 & 1,
            pn: flags & 1,
            gtp_type: Some(b[1]),
            length: Some(be16(b, 2)),
            teid: be32(b, 4),
            ..GtpU::default()
        };
        // scapy reads version 2 as GTPv2-C, with other fields. (Message
        // types other than 26, 254 and 255 it calls GTP-C, with these
        // fields.)
        if g.version == 2 {
            return None;
        }
        let (g, len) = if g.has_options() {
            if b.len() < 12 {
                return None;
            }
            let g = GtpU {
                seq: be16(b, 8),
                npdu: b[10],
                next_ex: b[11],
                ..g
            };
            (g, 12)
        } else {
            (g, 8)
        };
        // A G-PDU without extension headers carries IPv4 or IPv6, told by
        // the first byte as scapy does; anything else stays bytes here.
        let next = match (g.gtp_type, g.e, b.get(len)) {
            (Some(GtpU::G_PDU), 0, Some(0x45..=0x4e)) => Next::EtherType(0x0800),
            (Some(GtpU::G_PDU), 0, Some(v)) if v >> 4 == 6 => Next::EtherType(0x86dd),
            _ => Next::Raw,
        };
        Some(Parsed::new(g, len, next))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![
            ("version", Value::Int(self.version.into())),
            ("PT", Value::Int(self.pt.into())),
            ("reserved", Value::Int(self.reserved.into())),
            ("E", Value::Int(self.e.into())),
            ("S", Value::Int(self.s.into())),
            ("PN", Value::Int(self.pn.into())),
            (
                "gtp_type",
                self.gtp_type.map_or(Value::Auto, |v| Value::Int(v.into())),
            ),
            (
                "length",
                self.length.map_or(Value::Auto, |v| Value::Int(v.into())),
            ),
            ("teid", Value::Int(self.teid.into())),
        ];
        if self.has_options() {
            f.extend([
                ("seq", Value::Hex(self.seq.into())),
                ("npdu", Value::Int(self.npdu.into())),
                ("next_ex", Value::Int(self.next_ex.into())),
            ]);
        }
        f
    }
}
