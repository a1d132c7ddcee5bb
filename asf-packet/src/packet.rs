//! A packet: layers stacked outermost first, built to bytes and dissected
//! from them.

use std::fmt;

use crate::layer::{Header, Layer};
use crate::wire::{Cx, Next, Parsed, Pseudo, Wire};
use crate::{Padding, Raw};

/// A packet as a stack of layers, outermost first (scapy's
/// `Ether()/IP()/UDP()/Raw()`, written `Ether::new() / Ipv4::new(..) / ...`).
///
/// Its `Debug` (what `assert_eq!` prints) is [`Packet::show`]: each layer's
/// fields, a long payload shortened.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packet {
    layers: Vec<Layer>,
}

impl fmt::Debug for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Packet [{}]\n{}", self.summary(), self.show())
    }
}

/// How the bytes of a capture start: its link type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Ethernet frames.
    Ethernet,
    /// IPv4 or IPv6 packets, told apart by their version.
    RawIp,
    /// IPv4 packets.
    Ipv4,
    /// IPv6 packets.
    Ipv6,
}

impl Packet {
    /// An empty packet.
    pub fn new() -> Packet {
        Packet::default()
    }

    /// A packet of these layers, outermost first.
    pub fn from_layers(layers: Vec<Layer>) -> Packet {
        Packet { layers }
    }

    /// The layers, outermost first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The layers, mutably.
    pub fn layers_mut(&mut self) -> &mut Vec<Layer> {
        &mut self.layers
    }

    /// Adds `layer` innermost (scapy's `/`).
    pub fn push(&mut self, layer: impl Into<Layer>) -> &mut Packet {
        self.layers.push(layer.into());
        self
    }

    /// The index of the first layer inside an ICMP error (the quoted
    /// packet), if there is one.
    pub fn quoted_from(&self) -> Option<usize> {
        self.layers.iter().position(Layer::quotes).map(|i| i + 1)
    }

    /// The layers outside any quoted packet: what [`Packet::get`] searches.
    fn own_layers(&self) -> &[Layer] {
        let end = self.quoted_from().unwrap_or(self.layers.len());
        &self.layers[..end]
    }

    /// The first `T` layer of the packet itself (scapy's `p[T]`): a packet
    /// that an ICMP error quotes is not searched (scapy names its layers
    /// `IPerror`, `UDPerror`; see [`Packet::quoted`]).
    pub fn get<T: Header>(&self) -> Option<&T> {
        self.own_layers().iter().find_map(T::of)
    }

    /// The first `T` layer, mutably.
    pub fn get_mut<T: Header>(&mut self) -> Option<&mut T> {
        let end = self.quoted_from().unwrap_or(self.layers.len());
        self.layers[..end].iter_mut().find_map(T::of_mut)
    }

    /// The `n`th `T` layer (0 is the first), outside any quoted packet.
    pub fn nth<T: Header>(&self, n: usize) -> Option<&T> {
        self.own_layers().iter().filter_map(T::of).nth(n)
    }

    /// The first `T` layer, or a panic that names the layer and shows the
    /// packet (for tests: `p.expect::<Ipv4>().ttl`).
    #[track_caller]
    pub fn expect<T: Header>(&self) -> &T {
        match self.get::<T>() {
            Some(h) => h,
            None => panic!("the packet has no {} layer:\n{}", T::NAME, self.show()),
        }
    }

    /// True if the packet has a `T` layer (outside any quoted packet).
    pub fn has<T: Header>(&self) -> bool {
        self.get::<T>().is_some()
    }

    /// The packet an ICMP error quotes, if this is one.
    pub fn quoted(&self) -> Option<Packet> {
        self.quoted_from().map(|i| Packet {
            layers: self.layers[i..].to_vec(),
        })
    }

    /// The packet from the first `T` layer inwards (scapy's `p[T]` as a
    /// packet), e.g. the inner packet of a tunnel.
    pub fn from_layer<T: Header>(&self) -> Option<Packet> {
        let i = self.own_layers().iter().position(|l| T::of(l).is_some())?;
        Some(Packet {
            layers: self.layers[i..].to_vec(),
        })
    }

    /// The packet with the layers from the first `T` inwards taken off
    /// (scapy's `remove_payload` on the layer before `T`).
    pub fn without<T: Header>(&self) -> Packet {
        let i = self
            .own_layers()
            .iter()
            .position(|l| T::of(l).is_some())
            .unwrap_or(self.layers.len());
        Packet {
            layers: self.layers[..i].to_vec(),
        }
    }

    /// The packet after the first `T` layer (scapy's `p[T].payload`), e.g.
    /// the frame a tunnel carries.
    pub fn after<T: Header>(&self) -> Option<Packet> {
        let i = self.own_layers().iter().position(|l| T::of(l).is_some())?;
        Some(Packet {
            layers: self.layers[i + 1..].to_vec(),
        })
    }

    /// The bytes of everything after the first `T` layer (a layer's
    /// payload as scapy's `bytes(p[T].payload)`).
    pub fn payload_of<T: Header>(&self) -> Option<Vec<u8>> {
        let i = self.own_layers().iter().position(|l| T::of(l).is_some())?;
        Some(build_layers(&self.layers, i + 1))
    }

    /// The packet's bytes (scapy's `bytes(p)`), with every length,
    /// checksum and next-protocol field that is unset filled in.
    pub fn build(&self) -> Vec<u8> {
        let mut out = build_layers(&self.layers, 0);
        // Padding goes after everything, outside lengths and checksums.
        for l in &self.layers {
            if let Layer::Padding(p) = l {
                out.extend_from_slice(&p.load);
            }
        }
        out
    }

    /// Unsets every length, checksum and next-protocol field, so that the
    /// next build computes them again (scapy's `del` of each).
    pub fn unset_auto_fields(&mut self) -> &mut Packet {
        for l in &mut self.layers {
            l.clear_auto();
        }
        self
    }

    /// The packet's length in bytes once built.
    pub fn len(&self) -> usize {
        self.build().len()
    }

    /// True if the packet builds to no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The packet as its bytes dissect: every field set, as a packet
    /// captured would be (scapy's `p.__class__(bytes(p))`).
    pub fn rebuilt(&self) -> Packet {
        let link = match self.layers.first() {
            Some(Layer::Ipv4(_)) => Link::Ipv4,
            Some(Layer::Ipv6(_)) => Link::Ipv6,
            _ => Link::Ethernet,
        };
        Packet::dissect(&self.build(), link)
    }

    /// Dissects `bytes` that start with `link`. Lax: what cannot be read
    /// (a truncated header, an unknown protocol) stays as [`Raw`] bytes,
    /// and bytes beyond a length field are [`Padding`]; never a panic.
    pub fn dissect(bytes: &[u8], link: Link) -> Packet {
        Packet::dissect_with(bytes, link, &Bindings::default())
    }

    /// The same, with these bindings of ports to layers on top of scapy's.
    pub fn dissect_with(bytes: &[u8], link: Link, bindings: &Bindings) -> Packet {
        let first = match link {
            Link::Ethernet => Next::Ether,
            Link::Ipv4 => Next::EtherType(0x0800),
            Link::Ipv6 => Next::EtherType(0x86dd),
            Link::RawIp => match bytes.first().map(|b| b >> 4) {
                Some(6) => Next::EtherType(0x86dd),
                _ => Next::EtherType(0x0800),
            },
        };
        dissect_from(bytes, first, bindings)
    }

    /// Dissects an Ethernet frame.
    pub fn ether(bytes: &[u8]) -> Packet {
        Packet::dissect(bytes, Link::Ethernet)
    }

    /// A multi-line dump of every layer and field, as scapy's `show2()`
    /// prints it (what VPP's framework's `ppp` logs), but for a bytes field
    /// over 64 bytes (a padded payload), shown as its first and last bytes
    /// and its length; [`Packet::show_full`] shows it whole.
    pub fn show(&self) -> String {
        self.show_fields(false)
    }

    /// [`Packet::show`] with every byte of every field, however long (the
    /// text asf keeps beside a failed capture's pcap).
    pub fn show_full(&self) -> String {
        self.show_fields(true)
    }

    fn show_fields(&self, full: bool) -> String {
        let mut out = String::new();
        let quoted = self.quoted_from();
        for (i, (l, name)) in self.layers.iter().zip(self.titles()).enumerate() {
            let indent = if quoted.is_some_and(|q| i >= q) {
                "  "
            } else {
                ""
            };
            out.push_str(&format!("{indent}###[ {name} ]### \n"));
            for (f, v) in l.fields() {
                if full {
                    out.push_str(&format!("{indent}  {f:<10}= {v:#}\n"));
                } else {
                    out.push_str(&format!("{indent}  {f:<10}= {v}\n"));
                }
            }
        }
        out
    }

    /// Each layer's name as scapy gives it: the layers of a packet an ICMP
    /// error quotes are `IP in ICMP`, `UDP in ICMP` and so on.
    pub fn titles(&self) -> Vec<&'static str> {
        let quoted = self.quoted_from();
        self.layers
            .iter()
            .enumerate()
            .map(|(i, l)| match (quoted.is_some_and(|q| i >= q), l) {
                (true, Layer::Ipv4(_)) => "IP in ICMP",
                (true, Layer::Udp(_)) => "UDP in ICMP",
                (true, Layer::Tcp(_)) => "TCP in ICMP",
                (true, Layer::Icmp(_)) => "ICMP in ICMP",
                (true, Layer::Ipv6(_)) => "IPv6 in ICMPv6",
                _ => l.name(),
            })
            .collect()
    }

    /// The bytes as scapy's `hexdump` prints them: offset, sixteen bytes in
    /// hex, their text.
    pub fn hexdump(&self) -> String {
        let b = self.build();
        let mut out = String::new();
        for (row, chunk) in b.chunks(16).enumerate() {
            out.push_str(&format!("{:04x}  ", row * 16));
            for i in 0..16 {
                match chunk.get(i) {
                    Some(x) => out.push_str(&format!("{x:02X} ")),
                    None => out.push_str("   "),
                }
            }
            out.push(' ');
            out.extend(chunk.iter().map(|&c| {
                if (0x20..0x7f).contains(&c) {
                    c as char
                } else {
                    '.'
                }
            }));
            out.push('\n');
        }
        out.pop();
        out
    }

    /// One line: the layers' names and the main addresses (scapy's
    /// `summary()`).
    pub fn summary(&self) -> String {
        let names: Vec<String> = self
            .layers
            .iter()
            .map(|l| match l {
                Layer::Ether(e) => format!("Ether {} > {}", e.src, e.dst),
                Layer::Ipv4(h) => format!("IP {} > {}", h.src, h.dst),
                Layer::Ipv6(h) => format!("IPv6 {} > {}", h.src, h.dst),
                Layer::Udp(u) => format!("UDP {} > {}", u.sport, u.dport),
                Layer::Tcp(t) => format!("TCP {} > {}", t.sport, t.dport),
                Layer::Raw(r) => format!("Raw ({} bytes)", r.load.len()),
                Layer::Padding(r) => format!("Padding ({} bytes)", r.load.len()),
                other => other.name().to_string(),
            })
            .collect();
        names.join(" / ")
    }
}

impl fmt::Display for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show())
    }
}

impl<L: Into<Layer>> From<L> for Packet {
    fn from(l: L) -> Packet {
        Packet {
            layers: vec![l.into()],
        }
    }
}

impl<R: Into<Packet>> std::ops::Div<R> for Packet {
    type Output = Packet;
    fn div(mut self, rhs: R) -> Packet {
        self.layers.extend(rhs.into().layers);
        self
    }
}

impl std::ops::Div<&[u8]> for Packet {
    type Output = Packet;
    fn div(self, rhs: &[u8]) -> Packet {
        self / Raw::new(rhs)
    }
}

/// `header / more`: a packet of `header` and what `more` holds.
macro_rules! stackable {
    ($($ty:ty),*) => {
        $(
            impl<R: Into<Packet>> std::ops::Div<R> for $ty {
                type Output = Packet;
                fn div(self, rhs: R) -> Packet {
                    Packet::from(self) / rhs
                }
            }
        )*
    };
}

stackable!(
    crate::Ether,
    crate::Dot1Q,
    crate::Dot1AD,
    crate::Arp,
    crate::Ipv4,
    crate::Ipv6,
    crate::HopByHop,
    crate::DestOpts,
    crate::Routing,
    crate::Srh,
    crate::Fragment,
    crate::Icmp,
    crate::Icmpv6,
    crate::Nd,
    crate::NdOpt,
    crate::Udp,
    crate::Tcp,
    crate::Gre,
    crate::Vxlan,
    crate::GtpU,
    crate::Mpls,
    crate::Raw,
    crate::Padding
);

/// Builds the layers of `all` from index `from` inwards, innermost first;
/// the layers before `from` are their context (pseudo-headers).
fn build_layers(all: &[Layer], from: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for i in (from..all.len()).rev() {
        // Paddings are not part of any layer's payload.
        if matches!(all[i], Layer::Padding(_)) {
            continue;
        }
        let next = all[i + 1..]
            .iter()
            .find(|l| !matches!(l, Layer::Padding(_)));
        let cx = Cx {
            next_ethertype: next.and_then(Layer::ethertype),
            next_ip_proto: next.and_then(Layer::ip_proto),
            next_nd: matches!(next, Some(Layer::Nd(_))),
            ip: pseudo(&all[..i]),
        };
        bytes = all[i].build(&cx, bytes);
    }
    bytes
}

/// The pseudo-header source of the nearest IP layer in `outer`, with what
/// lies between it and the layer being built.
fn pseudo(outer: &[Layer]) -> Option<Pseudo> {
    let at = outer
        .iter()
        .rposition(|l| matches!(l, Layer::Ipv4(_) | Layer::Ipv6(_)))?;
    Some(match &outer[at] {
        Layer::Ipv4(h) => Pseudo::V4 {
            src: h.src,
            dst: h.dst,
            upper_len: h.len.map(|total| {
                let ihl = h.ihl.map_or_else(|| h.header_len(), |i| usize::from(i) * 4);
                usize::from(total).saturating_sub(ihl)
            }),
        },
        Layer::Ipv6(h) => {
            let mut dst = h.dst;
            for l in &outer[at + 1..] {
                match l {
                    Layer::Routing(r) if r.segleft != 0 && !r.addresses.is_empty() => {
                        dst = r.addresses[r.addresses.len() - 1];
                    }
                    Layer::Srh(r) if r.segleft != 0 && !r.addresses.is_empty() => {
                        dst = r.addresses[0];
                    }
                    _ => {}
                }
            }
            Pseudo::V6 { src: h.src, dst }
        }
        _ => return None,
    })
}

fn parse_as<T: Wire + Into<Layer>>(b: &[u8]) -> Option<(Layer, usize, Next, Option<usize>)> {
    let Parsed {
        header,
        len,
        next,
        total,
    } = T::parse(b)?;
    Some((header.into(), len, next, total))
}

fn parse_one(
    next: Next,
    b: &[u8],
    bindings: &Bindings,
) -> Option<(Layer, usize, Next, Option<usize>)> {
    use crate::*;
    match next {
        Next::Ether => parse_as::<Ether>(b),
        Next::EtherType(t) => match t {
            0x8100 => parse_as::<Dot1Q>(b),
            0x88a8 => parse_as::<Dot1AD>(b),
            0x0806 => parse_as::<Arp>(b),
            0x0800 => parse_as::<Ipv4>(b),
            0x86dd => parse_as::<Ipv6>(b),
            0x8847 | 0x8848 => parse_as::<Mpls>(b),
            0x6558 => parse_as::<Ether>(b),
            _ => None,
        },
        Next::IpProto(p, v6) => match (p, v6) {
            (1, _) => parse_as::<Icmp>(b),
            (4, _) => parse_as::<Ipv4>(b),
            (6, _) => parse_as::<Tcp>(b),
            (17, _) => parse_as::<Udp>(b),
            (41, _) => parse_as::<Ipv6>(b),
            (47, _) => parse_as::<Gre>(b),
            (58, _) => match b.first() {
                Some(133..=137) => parse_as::<Nd>(b),
                _ => parse_as::<Icmpv6>(b),
            },
            (137, _) => parse_as::<Mpls>(b),
            (0, true) => parse_as::<HopByHop>(b),
            (60, true) => parse_as::<DestOpts>(b),
            (43, true) => match b.get(2) {
                Some(4) => parse_as::<Srh>(b),
                _ => parse_as::<Routing>(b),
            },
            (44, true) => parse_as::<Fragment>(b),
            _ => None,
        },
        Next::Udp { sport, dport } => {
            if let Some(layer) = bindings.udp_dport(dport) {
                return match layer {
                    UdpLayer::Vxlan => parse_as::<Vxlan>(b),
                    UdpLayer::Mpls => parse_as::<Mpls>(b),
                    UdpLayer::GtpU => parse_as::<GtpU>(b),
                };
            }
            // scapy's bindings: the VXLAN, VXLAN-GPE, NSH and Linux ports.
            if matches!(dport, 4789 | 4790 | 6633 | 8472 | 48879)
                || matches!(sport, 4789 | 4790 | 6633 | 8472)
            {
                parse_as::<Vxlan>(b)
            } else if dport == 6635 {
                parse_as::<Mpls>(b)
            } else if dport == 2152 || sport == 2152 {
                // scapy.contrib.gtp's binding, which VPP's tests load.
                parse_as::<GtpU>(b)
            } else {
                None
            }
        }
        Next::Mpls { bottom: false } => parse_as::<Mpls>(b),
        // What follows the bottom of the stack, guessed as scapy does.
        Next::Mpls { bottom: true } => match b {
            [v, ..] if v >> 4 == 4 => parse_as::<Ipv4>(b),
            [v, ..] if v >> 4 == 6 => parse_as::<Ipv6>(b),
            [0, 0, ..] => None,
            _ => parse_as::<Ether>(b),
        },
        Next::Erspan => parse_as::<Erspan>(b),
        Next::Quoted4 => parse_as::<Ipv4>(b),
        Next::Quoted6 => parse_as::<Ipv6>(b),
        Next::NdOpts => parse_as::<NdOpt>(b),
        Next::Raw => None,
    }
}

fn dissect_from(bytes: &[u8], first: Next, bindings: &Bindings) -> Packet {
    let mut layers = Vec::new();
    let mut paddings: Vec<Vec<u8>> = Vec::new();
    let mut pos = 0;
    let mut end = bytes.len();
    let mut next = first;
    let mut quoted = false;
    while pos < end {
        let b = &bytes[pos..end];
        match parse_one(next, b, bindings) {
            Some((layer, len, then, total)) if len <= b.len() => {
                // Inside an ICMP error the quoted packet is cut short: its
                // length fields say more than is there, and never pad.
                if let (Some(total), false) = (total, quoted) {
                    if total >= len && pos + total < end {
                        paddings.push(bytes[pos + total..end].to_vec());
                        end = pos + total;
                    }
                }
                if layer.quotes() {
                    quoted = true;
                }
                layers.push(layer);
                pos += len;
                next = then;
            }
            _ => {
                layers.push(Layer::Raw(Raw::new(b)));
                pos = end;
            }
        }
    }
    // Inner paddings first, as scapy adds them.
    for p in paddings.into_iter().rev() {
        layers.push(Layer::Padding(Padding { load: p }));
    }
    Packet { layers }
}

/// A layer that can follow UDP, for [`Bindings::udp_dport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UdpLayer {
    /// VXLAN (then Ethernet).
    Vxlan,
    /// An MPLS label stack (MPLS over UDP).
    Mpls,
    /// GTP-U (then IPv4 or IPv6 in a G-PDU).
    GtpU,
}

/// Which layer follows which UDP port, beyond the ports scapy knows
/// (VXLAN on 4789, MPLS on 6635, GTP-U on 2152 as `scapy.contrib.gtp`
/// binds it): what `bind_layers(UDP, VXLAN,
/// dport=1111)` says to scapy. Unlike scapy's, bindings are not global:
/// they are given to [`Packet::dissect_with`] (and, in a test, set for the
/// class's captures), so one test's ports cannot change another's packets.
///
/// ```
/// use asf_packet::{Bindings, Link, Packet, UdpLayer, Vxlan};
/// let mut b = Bindings::default();
/// b.bind_udp_dport(1111, UdpLayer::Vxlan);
/// # let bytes = [0u8; 0];
/// let p = Packet::dissect_with(&bytes, Link::Ethernet, &b);
/// # let _ = p;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bindings {
    udp: Vec<(u16, UdpLayer)>,
}

impl Bindings {
    /// Datagrams to UDP port `dport` carry `layer` (the newest binding of a
    /// port wins, as in scapy).
    pub fn bind_udp_dport(&mut self, dport: u16, layer: UdpLayer) -> &mut Bindings {
        self.udp.retain(|(p, _)| *p != dport);
        self.udp.push((dport, layer));
        self
    }

    /// What datagrams to `dport` carry, if bound here.
    pub fn udp_dport(&self, dport: u16) -> Option<UdpLayer> {
        self.udp.iter().find(|(p, _)| *p == dport).map(|(_, l)| *l)
    }
}
