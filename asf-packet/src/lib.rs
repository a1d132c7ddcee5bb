//! Packets as Rust values, for VPP's packet tests: what scapy is to VPP's
//! Python tests.
//!
//! A packet is a stack of layers, written as scapy writes it:
//!
//! ```
//! use asf_packet::{mac, Ether, Ipv4, Packet, Raw, Udp};
//!
//! let p = Ether::new(mac("02:01:00:00:ff:02"), mac("02:fe:00:00:00:01"))
//!     / Ipv4::new("172.16.1.2".parse().unwrap(), "172.16.2.2".parse().unwrap())
//!     / Udp::new(1234, 5678)
//!     / Raw::new(b"hello");
//! let bytes = p.build(); // lengths, checksums, EtherType and protocol filled in
//! let back = Packet::ether(&bytes);
//! assert_eq!(back.expect::<Ipv4>().proto, Some(17));
//! back.verify_checksums(true).unwrap();
//! ```
//!
//! Every length, checksum and next-protocol field is an `Option`: unset, the
//! build fills it in; set, it goes out as it is, so a test can send a wrong
//! one on purpose. Dissection sets them all from the bytes. Dissection is
//! lax: bytes that cannot be read stay [`Raw`], bytes past a length field
//! are [`Padding`], and nothing panics.
//!
//! One module per protocol; [`pcap`] reads and writes capture files.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod addr;
mod arp;
mod ether;
pub mod field;
mod frag;
mod icmp;
mod ipv4;
mod ipv6;
mod layer;
mod nd;
mod packet;
pub mod pcap;
mod raw;
mod tcp;
mod tunnel;
mod udp;
mod verify;
mod wire;

pub use addr::{mac, solicited_node, BadMac, Mac};
pub use arp::Arp;
pub use ether::{Dot1AD, Dot1Q, Ether};
pub use frag::{
    fragment_rfc791, fragment_rfc8200, reassemble4, reassemble4_ether, Fragment6Error,
    FragmentError,
};
pub use icmp::{Icmp, Icmpv6};
pub use ipv4::Ipv4;
pub use ipv6::{DestOpts, Fragment, HopByHop, Ipv6, Routing, Srh};
pub use layer::{Header, Layer};
pub use nd::{Nd, NdMsg, NdOpt, NdOption};
pub use packet::{Bindings, Link, Packet, UdpLayer};
pub use raw::{Padding, Raw};
pub use tcp::Tcp;
pub use tunnel::{Erspan, Gre, GtpU, Mpls, Vxlan};
pub use udp::Udp;
pub use verify::BadChecksum;
pub use wire::internet_checksum;
