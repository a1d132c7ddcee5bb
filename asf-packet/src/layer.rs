//! The layers a packet is stacked from, and what every layer can do.

use crate::field::Value;
use crate::wire::{Cx, Wire};

/// A header type that can be a layer of a [`crate::Packet`]: found with
/// [`crate::Packet::get`], stacked with `/`.
pub trait Header: Clone + std::fmt::Debug + Into<Layer> + 'static {
    /// scapy's name of the layer (`Ethernet`, `IP`, `UDP`), which dumps show.
    const NAME: &'static str;
    /// This header, if `layer` is one.
    fn of(layer: &Layer) -> Option<&Self>;
    /// This header, mutably, if `layer` is one.
    fn of_mut(layer: &mut Layer) -> Option<&mut Self>;
}

macro_rules! layers {
    ($($(#[$doc:meta])* $variant:ident($ty:ty) = $name:literal;)*) => {
        /// One layer of a packet.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Layer {
            $($(#[$doc])* $variant($ty),)*
        }

        $(
            impl From<$ty> for Layer {
                fn from(h: $ty) -> Layer {
                    Layer::$variant(h)
                }
            }

            impl Header for $ty {
                const NAME: &'static str = $name;
                fn of(layer: &Layer) -> Option<&Self> {
                    match layer {
                        Layer::$variant(h) => Some(h),
                        #[allow(unreachable_patterns, reason = "one arm per variant")]
                        _ => None,
                    }
                }
                fn of_mut(layer: &mut Layer) -> Option<&mut Self> {
                    match layer {
                        Layer::$variant(h) => Some(h),
                        #[allow(unreachable_patterns, reason = "one arm per variant")]
                        _ => None,
                    }
                }
            }
        )*

        impl Layer {
            /// scapy's name of the layer.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Layer::$variant(h) => h.title().unwrap_or($name),)*
                }
            }

            /// The layer's fields under scapy's names, as a dump shows them.
            pub fn fields(&self) -> Vec<(&'static str, Value)> {
                match self {
                    $(Layer::$variant(h) => h.fields(),)*
                }
            }

            pub(crate) fn build(&self, cx: &Cx, payload: Vec<u8>) -> Vec<u8> {
                match self {
                    $(Layer::$variant(h) => h.build(cx, payload),)*
                }
            }

            /// The layer's checksum field, if it has one: its name and value.
            pub fn checksum(&self) -> Option<(&'static str, Option<u16>)> {
                match self {
                    $(Layer::$variant(h) => h.checksum(),)*
                }
            }

            pub(crate) fn clear_auto(&mut self) {
                match self {
                    $(Layer::$variant(h) => h.clear_auto(),)*
                }
            }

            pub(crate) fn set_checksum(&mut self, v: Option<u16>) {
                match self {
                    $(Layer::$variant(h) => h.set_checksum(v),)*
                }
            }
        }
    };
}

layers! {
    /// Ethernet II.
    Ether(crate::Ether) = "Ethernet";
    /// An 802.1Q VLAN tag.
    Dot1Q(crate::Dot1Q) = "802.1Q";
    /// An 802.1ad service tag (QinQ's outer tag).
    Dot1AD(crate::Dot1AD) = "802_1AD";
    /// ARP for IPv4 over Ethernet.
    Arp(crate::Arp) = "ARP";
    /// IPv4.
    Ipv4(crate::Ipv4) = "IP";
    /// IPv6.
    Ipv6(crate::Ipv6) = "IPv6";
    /// IPv6 hop-by-hop options.
    HopByHop(crate::HopByHop) = "IPv6 Extension Header - Hop-by-Hop Options Header";
    /// IPv6 destination options.
    DestOpts(crate::DestOpts) = "IPv6 Extension Header - Destination Options Header";
    /// An IPv6 routing header (type 0 and others with a list of addresses).
    Routing(crate::Routing) = "IPv6 Option Header Routing";
    /// An IPv6 segment routing header (routing type 4).
    Srh(crate::Srh) = "IPv6 Option Header Segment Routing";
    /// The IPv6 fragment header.
    Fragment(crate::Fragment) = "IPv6 Extension Header - Fragmentation header";
    /// ICMP (for IPv4).
    Icmp(crate::Icmp) = "ICMP";
    /// ICMPv6 messages other than neighbour discovery.
    Icmpv6(crate::Icmpv6) = "ICMPv6";
    /// ICMPv6 neighbour discovery: NS, NA, RS, RA, redirect.
    Nd(crate::Nd) = "ICMPv6 Neighbor Discovery";
    /// A neighbour discovery option.
    NdOpt(crate::NdOpt) = "ICMPv6 Neighbor Discovery Option";
    /// UDP.
    Udp(crate::Udp) = "UDP";
    /// TCP.
    Tcp(crate::Tcp) = "TCP";
    /// GRE.
    Gre(crate::Gre) = "GRE";
    /// ERSPAN type II.
    Erspan(crate::Erspan) = "ERSPAN II";
    /// VXLAN.
    Vxlan(crate::Vxlan) = "VXLAN";
    /// GTP-U.
    GtpU(crate::GtpU) = "GTP-U Header";
    /// One MPLS label stack entry.
    Mpls(crate::Mpls) = "MPLS";
    /// Bytes that are not dissected further.
    Raw(crate::Raw) = "Raw";
    /// Bytes past the end a length field gave (an Ethernet frame's padding).
    Padding(crate::Padding) = "Padding";
}

impl Layer {
    /// The EtherType that announces this layer.
    pub(crate) fn ethertype(&self) -> Option<u16> {
        Some(match self {
            Layer::Dot1Q(_) => 0x8100,
            Layer::Dot1AD(_) => 0x88a8,
            Layer::Arp(_) => 0x0806,
            Layer::Ipv4(_) => 0x0800,
            Layer::Ipv6(_) => 0x86dd,
            Layer::Mpls(_) => 0x8847,
            Layer::Ether(_) => 0x6558,
            Layer::Erspan(_) => 0x88be,
            _ => return None,
        })
    }

    /// The IP protocol number that announces this layer.
    pub(crate) fn ip_proto(&self) -> Option<u8> {
        Some(match self {
            Layer::Icmp(_) => 1,
            Layer::Ipv4(_) => 4,
            Layer::Tcp(_) => 6,
            Layer::Udp(_) => 17,
            Layer::Ipv6(_) => 41,
            Layer::Routing(_) | Layer::Srh(_) => 43,
            Layer::Fragment(_) => 44,
            Layer::Gre(_) => 47,
            Layer::Icmpv6(_) | Layer::Nd(_) => 58,
            Layer::HopByHop(_) => 0,
            Layer::DestOpts(_) => 60,
            Layer::Mpls(_) => 137,
            _ => return None,
        })
    }

    /// True for an ICMP or ICMPv6 error, whose payload quotes the packet
    /// that caused it.
    pub(crate) fn quotes(&self) -> bool {
        match self {
            Layer::Icmp(i) => i.is_error(),
            Layer::Icmpv6(i) => i.is_error(),
            _ => false,
        }
    }
}
