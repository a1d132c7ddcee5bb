//! ICMPv6 neighbour discovery (RFC 4861): router and neighbour
//! solicitations and advertisements, redirects, and their options.

use std::net::Ipv6Addr;

use crate::field::Value;
use crate::icmp::icmpv6_checksum;
use crate::wire::{be16, be32, ip6, mac, Cx, Next, Parsed, Wire};
use crate::Mac;

/// A neighbour discovery message (scapy's `ICMPv6ND_NS`, `ICMPv6ND_NA`,
/// `ICMPv6ND_RS`, `ICMPv6ND_RA`, `ICMPv6ND_Redirect`); options follow as
/// [`NdOpt`] layers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nd {
    /// The message and its fields.
    pub msg: NdMsg,
    /// Code (0).
    pub code: u8,
    /// Checksum; unset: computed with the pseudo-header.
    pub cksum: Option<u16>,
}

/// The kinds of neighbour discovery message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NdMsg {
    /// Router solicitation (133).
    Rs {
        /// Reserved.
        res: u32,
    },
    /// Router advertisement (134).
    Ra {
        /// Current hop limit.
        chlim: u8,
        /// M, O, H, the two preference bits, P and two reserved bits.
        flags: u8,
        /// Router lifetime in seconds.
        routerlifetime: u16,
        /// Reachable time in ms.
        reachabletime: u32,
        /// Retransmission timer in ms.
        retranstimer: u32,
    },
    /// Neighbour solicitation (135).
    Ns {
        /// Reserved.
        res: u32,
        /// The address asked for.
        tgt: Ipv6Addr,
    },
    /// Neighbour advertisement (136).
    Na {
        /// R (router), S (solicited), O (override) in the top three bits,
        /// then 29 reserved bits.
        flags: u32,
        /// The address advertised.
        tgt: Ipv6Addr,
    },
    /// Redirect (137).
    Redirect {
        /// Reserved.
        res: u32,
        /// The better first hop.
        tgt: Ipv6Addr,
        /// The destination redirected.
        dst: Ipv6Addr,
    },
}

impl Nd {
    /// The R flag of an advertisement.
    pub const R: u32 = 1 << 31;
    /// The S flag of an advertisement.
    pub const S: u32 = 1 << 30;
    /// The O flag of an advertisement.
    pub const O: u32 = 1 << 29;

    fn of(msg: NdMsg) -> Nd {
        Nd {
            msg,
            code: 0,
            cksum: None,
        }
    }

    /// A neighbour solicitation for `tgt`.
    pub fn ns(tgt: Ipv6Addr) -> Nd {
        Nd::of(NdMsg::Ns { res: 0, tgt })
    }

    /// A neighbour advertisement of `tgt` with these flags
    /// ([`Nd::R`] | [`Nd::S`] | [`Nd::O`]; scapy's default is R and O).
    pub fn na(tgt: Ipv6Addr, flags: u32) -> Nd {
        Nd::of(NdMsg::Na { flags, tgt })
    }

    /// A router solicitation.
    pub fn rs() -> Nd {
        Nd::of(NdMsg::Rs { res: 0 })
    }

    /// A redirect: `tgt` is the better first hop for `dst`.
    pub fn redirect(tgt: Ipv6Addr, dst: Ipv6Addr) -> Nd {
        Nd::of(NdMsg::Redirect { res: 0, tgt, dst })
    }

    /// A router advertisement with scapy's defaults (preference medium,
    /// lifetime 1800 s).
    pub fn ra() -> Nd {
        Nd::of(NdMsg::Ra {
            chlim: 0,
            flags: 0x08,
            routerlifetime: 1800,
            reachabletime: 0,
            retranstimer: 0,
        })
    }

    /// The ICMPv6 type.
    pub fn ty(&self) -> u8 {
        match self.msg {
            NdMsg::Rs { .. } => 133,
            NdMsg::Ra { .. } => 134,
            NdMsg::Ns { .. } => 135,
            NdMsg::Na { .. } => 136,
            NdMsg::Redirect { .. } => 137,
        }
    }

    /// The target address of an NS, NA or redirect.
    pub fn tgt(&self) -> Option<Ipv6Addr> {
        match self.msg {
            NdMsg::Ns { tgt, .. } | NdMsg::Na { tgt, .. } | NdMsg::Redirect { tgt, .. } => {
                Some(tgt)
            }
            _ => None,
        }
    }
}

impl Wire for Nd {
    fn clear_auto(&mut self) {
        self.cksum = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut out = Vec::with_capacity(40 + payload.len());
        out.push(self.ty());
        out.push(self.code);
        out.extend_from_slice(&[0, 0]);
        match &self.msg {
            NdMsg::Rs { res } => out.extend_from_slice(&res.to_be_bytes()),
            NdMsg::Ra {
                chlim,
                flags,
                routerlifetime,
                reachabletime,
                retranstimer,
            } => {
                out.push(*chlim);
                out.push(*flags);
                out.extend_from_slice(&routerlifetime.to_be_bytes());
                out.extend_from_slice(&reachabletime.to_be_bytes());
                out.extend_from_slice(&retranstimer.to_be_bytes());
            }
            NdMsg::Ns { res, tgt } => {
                out.extend_from_slice(&res.to_be_bytes());
                out.extend_from_slice(&tgt.octets());
            }
            NdMsg::Na { flags, tgt } => {
                out.extend_from_slice(&flags.to_be_bytes());
                out.extend_from_slice(&tgt.octets());
            }
            NdMsg::Redirect { res, tgt, dst } => {
                out.extend_from_slice(&res.to_be_bytes());
                out.extend_from_slice(&tgt.octets());
                out.extend_from_slice(&dst.octets());
            }
        }
        out.extend_from_slice(&payload);
        match self.cksum {
            Some(ck) => out[2..4].copy_from_slice(&ck.to_be_bytes()),
            None => icmpv6_checksum(cx, &mut out, 2),
        }
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Nd>> {
        let need = match b.first()? {
            133 => 8,
            134 => 16,
            135 | 136 => 24,
            137 => 40,
            _ => return None,
        };
        if b.len() < need {
            return None;
        }
        let msg = match b[0] {
            133 => NdMsg::Rs { res: be32(b, 4) },
            134 => NdMsg::Ra {
                chlim: b[4],
                flags: b[5],
                routerlifetime: be16(b, 6),
                reachabletime: be32(b, 8),
                retranstimer: be32(b, 12),
            },
            135 => NdMsg::Ns {
                res: be32(b, 4),
                tgt: ip6(b, 8),
            },
            136 => NdMsg::Na {
                flags: be32(b, 4),
                tgt: ip6(b, 8),
            },
            _ => NdMsg::Redirect {
                res: be32(b, 4),
                tgt: ip6(b, 8),
                dst: ip6(b, 24),
            },
        };
        Some(Parsed::new(
            Nd {
                msg,
                code: b[1],
                cksum: Some(be16(b, 2)),
            },
            need,
            Next::NdOpts,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![
            ("type", Value::Int(self.ty().into())),
            ("code", Value::Int(self.code.into())),
            ("cksum", Value::opt_hex(self.cksum)),
        ];
        match &self.msg {
            NdMsg::Rs { res } => f.push(("res", Value::Int((*res).into()))),
            NdMsg::Ra {
                chlim,
                flags,
                routerlifetime,
                reachabletime,
                retranstimer,
            } => {
                f.push(("chlim", Value::Int((*chlim).into())));
                for (name, bit) in [("M", 7), ("O", 6), ("H", 5)] {
                    f.push((name, Value::Int(u64::from(flags >> bit & 1))));
                }
                f.push(("prf", Value::Int(u64::from(flags >> 3 & 3))));
                f.push(("P", Value::Int(u64::from(flags >> 2 & 1))));
                f.push(("res", Value::Int(u64::from(flags & 3))));
                f.push(("routerlifetime", Value::Int((*routerlifetime).into())));
                f.push(("reachabletime", Value::Int((*reachabletime).into())));
                f.push(("retranstimer", Value::Int((*retranstimer).into())));
            }
            NdMsg::Ns { res, tgt } => {
                f.push(("res", Value::Int((*res).into())));
                f.push(("tgt", Value::Ip6(*tgt)));
            }
            NdMsg::Na { flags, tgt } => {
                for (name, bit) in [("R", 31), ("S", 30), ("O", 29)] {
                    f.push((name, Value::Int(u64::from(flags >> bit & 1))));
                }
                f.push(("res", Value::Int(u64::from(flags & 0x1fff_ffff))));
                f.push(("tgt", Value::Ip6(*tgt)));
            }
            NdMsg::Redirect { res, tgt, dst } => {
                f.push(("res", Value::Int((*res).into())));
                f.push(("tgt", Value::Ip6(*tgt)));
                f.push(("dst", Value::Ip6(*dst)));
            }
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
        Some(match self.msg {
            NdMsg::Rs { .. } => "ICMPv6 Neighbor Discovery - Router Solicitation",
            NdMsg::Ra { .. } => "ICMPv6 Neighbor Discovery - Router Advertisement",
            NdMsg::Ns { .. } => "ICMPv6 Neighbor Discovery - Neighbor Solicitation",
            NdMsg::Na { .. } => "ICMPv6 Neighbor Discovery - Neighbor Advertisement",
            NdMsg::Redirect { .. } => "ICMPv6 Neighbor Discovery - Redirect",
        })
    }
}

/// A neighbour discovery option (scapy's `ICMPv6NDOptSrcLLAddr`,
/// `ICMPv6NDOptDstLLAddr`, `ICMPv6NDOptPrefixInfo`, `ICMPv6NDOptMTU`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NdOpt {
    /// The option and its fields.
    pub opt: NdOption,
    /// Length in 8-byte units; unset: the option's.
    pub len: Option<u8>,
}

/// The kinds of neighbour discovery option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NdOption {
    /// Source link-layer address (1).
    SrcLl(Mac),
    /// Target link-layer address (2).
    DstLl(Mac),
    /// Prefix information (3).
    Prefix {
        /// Prefix length.
        prefixlen: u8,
        /// L (on-link), A (autonomous), R, then five reserved bits.
        flags: u8,
        /// Valid lifetime.
        validlifetime: u32,
        /// Preferred lifetime.
        preferredlifetime: u32,
        /// Reserved.
        res2: u32,
        /// The prefix.
        prefix: Ipv6Addr,
    },
    /// MTU (5).
    Mtu {
        /// Reserved.
        res: u16,
        /// The MTU.
        mtu: u32,
    },
    /// Any other option: its type and the bytes after its length.
    Other {
        /// The type.
        ty: u8,
        /// The bytes after the length field.
        data: Vec<u8>,
    },
}

impl NdOpt {
    fn of(opt: NdOption) -> NdOpt {
        NdOpt { opt, len: None }
    }

    /// A source link-layer address option.
    pub fn src_ll(mac: Mac) -> NdOpt {
        NdOpt::of(NdOption::SrcLl(mac))
    }

    /// A target link-layer address option.
    pub fn dst_ll(mac: Mac) -> NdOpt {
        NdOpt::of(NdOption::DstLl(mac))
    }

    /// A prefix information option with scapy's defaults (L and A set,
    /// infinite lifetimes).
    pub fn prefix(prefix: Ipv6Addr, prefixlen: u8) -> NdOpt {
        NdOpt::of(NdOption::Prefix {
            prefixlen,
            flags: 0xc0,
            validlifetime: u32::MAX,
            preferredlifetime: u32::MAX,
            res2: 0,
            prefix,
        })
    }

    /// An MTU option.
    pub fn mtu(mtu: u32) -> NdOpt {
        NdOpt::of(NdOption::Mtu { res: 0, mtu })
    }

    /// The option's type.
    pub fn ty(&self) -> u8 {
        match &self.opt {
            NdOption::SrcLl(_) => 1,
            NdOption::DstLl(_) => 2,
            NdOption::Prefix { .. } => 3,
            NdOption::Mtu { .. } => 5,
            NdOption::Other { ty, .. } => *ty,
        }
    }

    /// The link-layer address of a source or target address option.
    pub fn lladdr(&self) -> Option<Mac> {
        match self.opt {
            NdOption::SrcLl(m) | NdOption::DstLl(m) => Some(m),
            _ => None,
        }
    }
}

impl Wire for NdOpt {
    fn clear_auto(&mut self) {
        self.len = None;
    }

    fn build(&self, _cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let mut body = Vec::new();
        match &self.opt {
            NdOption::SrcLl(m) | NdOption::DstLl(m) => body.extend_from_slice(&m.0),
            NdOption::Prefix {
                prefixlen,
                flags,
                validlifetime,
                preferredlifetime,
                res2,
                prefix,
            } => {
                body.push(*prefixlen);
                body.push(*flags);
                body.extend_from_slice(&validlifetime.to_be_bytes());
                body.extend_from_slice(&preferredlifetime.to_be_bytes());
                body.extend_from_slice(&res2.to_be_bytes());
                body.extend_from_slice(&prefix.octets());
            }
            NdOption::Mtu { res, mtu } => {
                body.extend_from_slice(&res.to_be_bytes());
                body.extend_from_slice(&mtu.to_be_bytes());
            }
            NdOption::Other { data, .. } => body.extend_from_slice(data),
        }
        let len = self.len.unwrap_or((2 + body.len()).div_ceil(8) as u8);
        let mut out = Vec::with_capacity(2 + body.len() + payload.len());
        out.push(self.ty());
        out.push(len);
        out.extend_from_slice(&body);
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<NdOpt>> {
        if b.len() < 2 || b[1] == 0 {
            return None;
        }
        let olen = usize::from(b[1]) * 8;
        if olen > b.len() {
            return None;
        }
        let opt = match (b[0], olen) {
            (1, 8) => NdOption::SrcLl(mac(b, 2)),
            (2, 8) => NdOption::DstLl(mac(b, 2)),
            (3, 32) => NdOption::Prefix {
                prefixlen: b[2],
                flags: b[3],
                validlifetime: be32(b, 4),
                preferredlifetime: be32(b, 8),
                res2: be32(b, 12),
                prefix: ip6(b, 16),
            },
            (5, 8) => NdOption::Mtu {
                res: be16(b, 2),
                mtu: be32(b, 4),
            },
            (ty, _) => NdOption::Other {
                ty,
                data: b[2..olen].to_vec(),
            },
        };
        Some(Parsed::new(
            NdOpt {
                opt,
                len: Some(b[1]),
            },
            olen,
            Next::NdOpts,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        let mut f = vec![
            ("type", Value::Int(self.ty().into())),
            ("len", Value::opt(self.len)),
        ];
        match &self.opt {
            NdOption::SrcLl(m) | NdOption::DstLl(m) => f.push(("lladdr", Value::Mac(*m))),
            NdOption::Prefix {
                prefixlen,
                flags,
                validlifetime,
                preferredlifetime,
                res2,
                prefix,
            } => {
                f.push(("prefixlen", Value::Int((*prefixlen).into())));
                for (name, bit) in [("L", 7), ("A", 6), ("R", 5)] {
                    f.push((name, Value::Int(u64::from(flags >> bit & 1))));
                }
                f.push(("res1", Value::Int(u64::from(flags & 0x1f))));
                f.push(("validlifetime", Value::Hex((*validlifetime).into())));
                f.push(("preferredlifetime", Value::Hex((*preferredlifetime).into())));
                f.push(("res2", Value::Hex((*res2).into())));
                f.push(("prefix", Value::Ip6(*prefix)));
            }
            NdOption::Mtu { res, mtu } => {
                f.push(("res", Value::Hex((*res).into())));
                f.push(("mtu", Value::Int((*mtu).into())));
            }
            NdOption::Other { data, .. } => f.push(("data", Value::Bytes(data.clone()))),
        }
        f
    }

    fn title(&self) -> Option<&'static str> {
        Some(match self.opt {
            NdOption::SrcLl(_) => "ICMPv6 Neighbor Discovery Option - Source Link-Layer Address",
            NdOption::DstLl(_) => {
                "ICMPv6 Neighbor Discovery Option - Destination Link-Layer Address"
            }
            NdOption::Prefix { .. } => "ICMPv6 Neighbor Discovery Option - Prefix Information",
            NdOption::Mtu { .. } => "ICMPv6 Neighbor Discovery Option - MTU",
            NdOption::Other { .. } => return None,
        })
    }
}
