//! Ethernet II and its VLAN tags (802.1Q, 802.1ad).

use crate::field::Value;
use crate::wire::{be16, mac, Cx, Next, Parsed, Wire};
use crate::Mac;

/// An Ethernet II header (scapy's `Ether`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ether {
    /// Destination (default broadcast).
    pub dst: Mac,
    /// Source.
    pub src: Mac,
    /// EtherType; unset: from the next layer (0x9000 when it has none).
    pub ty: Option<u16>,
}

impl Default for Ether {
    fn default() -> Ether {
        Ether {
            dst: Mac::BROADCAST,
            src: Mac::ZERO,
            ty: None,
        }
    }
}

impl Ether {
    /// A header from `src` to `dst`.
    pub fn new(src: Mac, dst: Mac) -> Ether {
        Ether { dst, src, ty: None }
    }

    /// Sets the EtherType.
    pub fn ty(mut self, ty: u16) -> Ether {
        self.ty = Some(ty);
        self
    }
}

impl Wire for Ether {
    fn clear_auto(&mut self) {
        self.ty = None;
    }

    fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
        let ty = self.ty.or(cx.next_ethertype).unwrap_or(0x9000);
        let mut out = Vec::with_capacity(14 + payload.len());
        out.extend_from_slice(&self.dst.0);
        out.extend_from_slice(&self.src.0);
        out.extend_from_slice(&ty.to_be_bytes());
        out.extend_from_slice(&payload);
        out
    }

    fn parse(b: &[u8]) -> Option<Parsed<Ether>> {
        if b.len() < 14 {
            return None;
        }
        let ty = be16(b, 12);
        let next = if ty <= 1500 {
            Next::Raw
        } else {
            Next::EtherType(ty)
        };
        Some(Parsed::new(
            Ether {
                dst: mac(b, 0),
                src: mac(b, 6),
                ty: Some(ty),
            },
            14,
            next,
        ))
    }

    fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("dst", Value::Mac(self.dst)),
            ("src", Value::Mac(self.src)),
            ("type", Value::opt_hex(self.ty)),
        ]
    }
}

macro_rules! vlan_tag {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $name {
            /// Priority code point (3 bits).
            pub prio: u8,
            /// Drop eligible indicator (scapy's `id`).
            pub dei: bool,
            /// VLAN id (12 bits).
            pub vlan: u16,
            /// EtherType of what follows; unset: from the next layer.
            pub ty: Option<u16>,
        }

        impl $name {
            /// A tag with this VLAN id.
            pub fn new(vlan: u16) -> $name {
                $name {
                    vlan,
                    ..$name::default()
                }
            }
        }

        impl Wire for $name {
    fn clear_auto(&mut self) {
        self.ty = None;
    }

            fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
                let ty = self
                    .ty
                    .or(cx.next_ethertype)
                    .unwrap_or(0);
                let tci = u16::from(self.prio & 7) << 13
                    | u16::from(self.dei) << 12
                    | (self.vlan & 0x0fff);
                let mut out = Vec::with_capacity(4 + payload.len());
                out.extend_from_slice(&tci.to_be_bytes());
                out.extend_from_slice(&ty.to_be_bytes());
                out.extend_from_slice(&payload);
                out
            }

            fn parse(b: &[u8]) -> Option<Parsed<$name>> {
                if b.len() < 4 {
                    return None;
                }
                let tci = be16(b, 0);
                let ty = be16(b, 2);
                Some(Parsed::new(
                    $name {
                        prio: (tci >> 13) as u8,
                        dei: tci >> 12 & 1 == 1,
                        vlan: tci & 0x0fff,
                        ty: Some(ty),
                    },
                    4,
                    if ty <= 1500 { Next::Raw } else { Next::EtherType(ty) },
                ))
            }

            fn fields(&self) -> Vec<(&'static str, Value)> {
                vec![
                    ("prio", Value::Int(self.prio.into())),
                    ("id", Value::Int(self.dei.into())),
                    ("vlan", Value::Int(self.vlan.into())),
                    ("type", Value::opt_hex(self.ty)),
                ]
            }
        }
    };
}

vlan_tag! {
    /// An 802.1Q VLAN tag (scapy's `Dot1Q`).
    Dot1Q
}

vlan_tag! {
    /// An 802.1ad service tag, the outer tag of QinQ (scapy's `Dot1AD`).
    Dot1AD
}
