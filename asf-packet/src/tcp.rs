//! TCP.

use crate::field::Value;
use crate::udp::upper_checksum;
use crate::wire::{be16, be32, Cx, Next, Parsed, Wire};

/// A TCP header (scapy's `TCP`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tcp {
    /// Source port (scapy's default 20).
    pub sport: u16,
    /// Destination port (scapy's default 80).
    pub dport: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgement number.
    pub ack: u32,
    /// Data offset in 32-bit words; unset: from the options.
    pub dataofs: Option<u8>,
    /// The three reserved bits.
    pub reserved: u8,
    /// Flags, [`Tcp::FIN`] to [`Tcp::NS`] (scapy's default SYN).
    pub flags: u16,
    /// Window (scapy's default 8192).
    pub window: u16,
    /// Checksum; unset: computed with the pseudo-header.
    pub chksum: Option<u16>,
    /// Urgent pointer.
    pub urgptr: u16,
    /// Options as bytes (padded with zeros to a multiple of 4 when built).
    pub options: Vec<u8>,
}

impl Default for Tcp {
    fn default() -> Tcp {
        Tcp {
            sport: 20,
            dport: 80,
            seq: 0,
            ack: 0,
            dataofs: None,
            reserved: 0,
            flags: Tcp::SYN,
            window: 8192,
            chksum: None,
            urgptr: 0,
            options: Vec::new(),
        }
    }
}

const FLAGS: &[&str] = &["F", "S", "R", "P", "A", "U", "E", "C", "N"];

impl Tcp {
    /// FIN.
    pub const FIN: u16 = 0x001;
    /// SYN.
    pub const SYN: u16 = 0x002;
    /// RST.
    pub const RST: u16 = 0x004;
    /// PSH.
    pub const PSH: u16 = 0x008;
    /// ACK.
    pub const ACK: u16 = 0x010;
    /// URG.
    pub const URG: u16 = 0x020;
    /// ECE.
    pub const ECE: u16 = 0x040;
    /// CWR.
    pub const CWR: u16 = 0x080;
    /// NS.
    pub const NS: u16 = 0x100;

    /// A header from `sport` to `dport` (a SYN, as scapy's default).
    pub fn new(sport: u16, dport: u16) -> Tcp {
        Tcp {
            sport,
            dport,
            ..Tcp::default()
        }
    }

    /// Sets the flags.
    pub fn flags(mut self, flags: u16) -> Tcp {
        self.flags = flags;
        self
    }

    /// The MSS option.
    pub fn mss(mss: u16) -> Vec<u8> {
        let m = mss.to_be_bytes();
        vec![2, 4, m[0], m[1]]
    }
}

impl Wire for Tcp {
    fn clear_auto(&mut self) {
        self.dataofs = None;
        self.chksum = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let hlen = 20 + self.options.len().div_ceil(4) * 4;
        let dataofs = self.dataofs.unwrap_or((hlen / 4) as u8);
        let mut out = Vec::with_capacity(hlen + payload.len());
        out.extend_from_slice(&self.sport.to_be_bytes());
        out.extend_from_slice(&self.dport.to_be_bytes());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.ack.to_be_bytes());
        let w = u16::from(dataofs & 0xf) << 12
            | u16::from(self.reserved & 7) << 9
            | (self.flags & 0x1ff);
        out.extend_from_slice(&w.to_be_bytes());
        out.extend_from_slice(&self.window.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.urgptr.to_be_bytes());
        out.extend_from_slice(&self.options);
        out.resize(hlen, 0);
        out.extend_from_slice(&payload);
        let ck = self
            .chksum
            .unwrap_or_else(|| upper_checksum(cx, 6, &out).unwrap_or(0));
        out[16..18].copy_from_slice(&ck.to_be_bytes());
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Tcp>> {
        if b.len() < 20 {
            return None;
        }
        let w = be16(b, 12);
        let dataofs = (w >> 12) as u8;
        let hlen = (usize::from(dataofs) * 4).max(20);
        if hlen > b.len() {
            return None;
        }
        Some(Parsed::new(
            Tcp {
                sport: be16(b, 0),
                dport: be16(b, 2),
                seq: be32(b, 4),
                ack: be32(b, 8),
                dataofs: Some(dataofs),
                reserved: (w >> 9 & 7) as u8,
                flags: w & 0x1ff,
                window: be16(b, 14),
                chksum: Some(be16(b, 16)),
                urgptr: be16(b, 18),
                options: b[20..hlen].to_vec(),
            },
            hlen,
            Next::Raw,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("sport", Value::Int(self.sport.into())),
            ("dport", Value::Int(self.dport.into())),
            ("seq", Value::Int(self.seq.into())),
            ("ack", Value::Int(self.ack.into())),
            ("dataofs", Value::opt(self.dataofs)),
            ("reserved", Value::Int(self.reserved.into())),
            ("flags", Value::Flags(self.flags.into(), FLAGS)),
            ("window", Value::Int(self.window.into())),
            ("chksum", Value::opt_hex(self.chksum)),
            ("urgptr", Value::Int(self.urgptr.into())),
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
