//! The stand-in's packet path: packet-generator interfaces, their streams
//! and captures, and a small forwarding plane (layer-2 cross-connects, ARP
//! and neighbour discovery for its own addresses, ICMP and ICMPv6 echo,
//! IPv4 and IPv6 forwarding to connected and static routes). Enough for
//! VPP's pg helpers and the simplest packet suites; anything else is
//! dropped and counted, never answered falsely.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv6Addr};
use std::path::PathBuf;

use asf_packet::pcap::{self, LinkType};
use asf_packet::{
    Arp, Ether, Icmp, Icmpv6, Ipv4, Ipv6, Layer, Link, Mac, Nd, NdMsg, NdOpt, NdOption, Packet,
};

/// A pg interface's mode (`pg_interface_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Ethernet frames.
    Ethernet,
    /// Bare IPv4.
    Ip4,
    /// Bare IPv6.
    Ip6,
}

/// A stream of the packet generator.
#[derive(Clone, Debug)]
pub struct Stream {
    /// The pcap it was read from.
    pub path: PathBuf,
    /// Its packets, read when the stream was made (as VPP does).
    pub packets: Vec<Vec<u8>>,
    /// The pg interface it enters (`source pgN`).
    pub source: u32,
    /// Packets to send; None: those of the file, once.
    pub limit: Option<u64>,
    /// Enabled and not yet sent.
    pub enabled: bool,
}

/// A path of a route: the next hop (None: the destination itself) and the
/// interface.
pub type Path = (Option<IpAddr>, u32);

/// The forwarding state.
#[derive(Debug, Default)]
pub struct Dataplane {
    /// pg index -> (sw_if_index, mode).
    pub pg: BTreeMap<u32, (u32, Mode)>,
    /// Interface addresses: sw_if_index -> (address, prefix length).
    pub addresses: BTreeMap<u32, Vec<(IpAddr, u8)>>,
    /// Neighbours: (sw_if_index, address) -> MAC.
    pub neighbors: BTreeMap<(u32, IpAddr), Mac>,
    /// Layer-2 cross-connects: rx -> tx.
    pub xconnect: BTreeMap<u32, u32>,
    /// Static routes: prefix, length, and the paths (next hop,
    /// sw_if_index) a flow is hashed over.
    pub routes: Vec<(IpAddr, u8, Vec<Path>)>,
    /// Streams by name.
    pub streams: BTreeMap<String, Stream>,
    /// Captures: sw_if_index -> file.
    pub captures: BTreeMap<u32, Capture>,
    /// Packet trace lines, while tracing.
    pub trace: Vec<String>,
    /// Packets the trace may still take.
    pub trace_left: usize,
    /// Drops by reason, for `show errors`.
    pub drops: BTreeMap<&'static str, u64>,
}

/// A capture to a pcap file, opened at the first packet as VPP does.
#[derive(Debug)]
pub struct Capture {
    /// The file.
    pub path: PathBuf,
    /// Its link type.
    pub link: LinkType,
    writer: Option<pcap::Writer<std::io::BufWriter<std::fs::File>>>,
}

/// An interface as the packet path needs it.
#[derive(Clone, Copy, Debug)]
pub struct Port {
    /// `sw_if_index`.
    pub index: u32,
    /// Its MAC.
    pub mac: Mac,
    /// Admin up.
    pub up: bool,
    /// Its mode (pg interfaces; others are Ethernet).
    pub mode: Mode,
}

fn in_prefix(a: IpAddr, net: IpAddr, len: u8) -> bool {
    match (a, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let m = if len == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(len.min(32)))
            };
            u32::from(a) & m == u32::from(n) & m
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let m = if len == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(len.min(128)))
            };
            u128::from(a) & m == u128::from(n) & m
        }
        _ => false,
    }
}

impl Dataplane {
    /// Starts capturing on `sw_if_index` into `path`, which must not exist.
    pub fn capture(&mut self, sw_if_index: u32, mode: Mode, path: PathBuf) -> Result<(), String> {
        if path.exists() {
            return Err(format!("pcap file '{}' already exists.", path.display()));
        }
        let link = match mode {
            Mode::Ethernet => LinkType::Ethernet,
            Mode::Ip4 | Mode::Ip6 => LinkType::RawIp,
        };
        self.captures.insert(
            sw_if_index,
            Capture {
                path,
                link,
                writer: None,
            },
        );
        Ok(())
    }

    fn drop(&mut self, why: &'static str) {
        *self.drops.entry(why).or_insert(0) += 1;
    }

    fn is_local(&self, ip: IpAddr, ports: &BTreeMap<u32, Port>) -> bool {
        self.addresses.values().flatten().any(|(a, _)| *a == ip)
            || matches!(ip, IpAddr::V6(v6) if ports.values().any(|p| p.mac.link_local() == v6))
    }

    /// A local address on `sw_if_index` in the subnet of `dst`, else its first.
    fn source_for(&self, sw_if_index: u32, dst: IpAddr) -> Option<IpAddr> {
        let addrs = self.addresses.get(&sw_if_index)?;
        addrs
            .iter()
            .find(|(a, len)| in_prefix(dst, *a, *len))
            .or_else(|| addrs.iter().find(|(a, _)| a.is_ipv4() == dst.is_ipv4()))
            .map(|(a, _)| *a)
    }

    /// Where `dst` goes: the interface and the next hop (the longest
    /// prefix, connected routes before static ones of the same length).
    pub fn lookup(&self, dst: IpAddr) -> Option<(u32, IpAddr)> {
        self.lookup_flow(dst, dst)
    }

    /// The same for a flow from `src`: a route with several paths spreads
    /// flows over them by a hash of the addresses (ECMP).
    pub fn lookup_flow(&self, src: IpAddr, dst: IpAddr) -> Option<(u32, IpAddr)> {
        let mut best: Option<(u8, u32, IpAddr)> = None;
        for (sw, addrs) in &self.addresses {
            for (a, len) in addrs {
                if in_prefix(dst, *a, *len) && best.is_none_or(|b| *len > b.0) {
                    best = Some((*len, *sw, dst));
                }
            }
        }
        for (net, len, paths) in &self.routes {
            if paths.is_empty() || !in_prefix(dst, *net, *len) || best.is_some_and(|b| *len <= b.0)
            {
                continue;
            }
            let (via, sw) = paths[flow_hash(src, dst) % paths.len()];
            best = Some((*len, sw, via.unwrap_or(dst)));
        }
        best.map(|(_, sw, nh)| (sw, nh))
    }

    /// Sends a packet out of `sw_if_index`: into its capture, if any.
    pub fn transmit(&mut self, ports: &BTreeMap<u32, Port>, sw_if_index: u32, bytes: &[u8]) {
        let Some(port) = ports.get(&sw_if_index) else {
            return self.drop("no such interface");
        };
        if !port.up {
            return self.drop("interface is down");
        }
        if self.trace_left > 0 {
            self.trace.push(format!(
                "  tx sw_if_index {sw_if_index}: {}",
                summary(port.mode, bytes)
            ));
        }
        let Some(cap) = self.captures.get_mut(&sw_if_index) else {
            return;
        };
        if cap.writer.is_none() {
            match std::fs::File::create(&cap.path) {
                Ok(f) => cap.writer = pcap::Writer::new(std::io::BufWriter::new(f), cap.link).ok(),
                Err(e) => eprintln!("fake-vpp: cannot create {}: {e}", cap.path.display()),
            }
        }
        if let Some(w) = cap.writer.as_mut() {
            let ts = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let _ = w.write(ts, bytes);
        }
    }

    /// Flushes every capture file (the generator stopped).
    pub fn flush(&mut self) {
        for cap in self.captures.values_mut() {
            if let Some(w) = cap.writer.as_mut() {
                let _ = w.flush();
            }
        }
    }

    /// Sends an IP packet towards `dst` (routed, with the neighbour's MAC
    /// on an Ethernet interface).
    fn route(&mut self, ports: &BTreeMap<u32, Port>, ip: Packet) {
        let (src, dst) = match ip.layers().first() {
            Some(Layer::Ipv4(h)) => (IpAddr::V4(h.src), IpAddr::V4(h.dst)),
            Some(Layer::Ipv6(h)) => (IpAddr::V6(h.src), IpAddr::V6(h.dst)),
            _ => return self.drop("not IP"),
        };
        let Some((sw, nh)) = self.lookup_flow(src, dst) else {
            return self.drop("no route");
        };
        let Some(port) = ports.get(&sw).copied() else {
            return self.drop("no route");
        };
        match port.mode {
            Mode::Ip4 | Mode::Ip6 => self.transmit(ports, sw, &ip.build()),
            Mode::Ethernet => match self.neighbors.get(&(sw, nh)) {
                Some(mac) => {
                    let frame = Ether::new(port.mac, *mac) / ip;
                    self.transmit(ports, sw, &frame.build());
                }
                None => self.drop("neighbor unresolved"),
            },
        }
    }

    /// A packet entering `sw_if_index`.
    pub fn receive(&mut self, ports: &BTreeMap<u32, Port>, sw_if_index: u32, bytes: &[u8]) {
        let Some(port) = ports.get(&sw_if_index).copied() else {
            return self.drop("no such interface");
        };
        if self.trace_left > 0 {
            self.trace_left -= 1;
            self.trace.push(format!(
                "Packet {}\n  pg-input: sw_if_index {sw_if_index}: {}",
                self.trace.len() + 1,
                summary(port.mode, bytes)
            ));
        }
        if !port.up {
            return self.drop("interface is down");
        }
        if let Some(&tx) = self.xconnect.get(&sw_if_index) {
            return self.transmit(ports, tx, bytes);
        }
        let p = match port.mode {
            Mode::Ethernet => Packet::dissect(bytes, Link::Ethernet),
            Mode::Ip4 | Mode::Ip6 => Packet::dissect(bytes, Link::RawIp),
        };
        if port.mode == Mode::Ethernet {
            let Some(eth) = p.get::<Ether>() else {
                return self.drop("runt frame");
            };
            if eth.dst != port.mac && !eth.dst.is_multicast() {
                return self.drop("l3 mac mismatch");
            }
            if let Some(arp) = p.get::<Arp>() {
                return self.arp(ports, port, arp);
            }
        }
        let ip = match p
            .layers()
            .iter()
            .position(|l| matches!(l, Layer::Ipv4(_) | Layer::Ipv6(_)))
        {
            Some(i) => Packet::from_layers(p.layers()[i..].to_vec()),
            None => return self.drop("not IP"),
        };
        match ip.layers()[0].clone() {
            Layer::Ipv4(h) => self.ip4(ports, port, h, ip),
            Layer::Ipv6(h) => self.ip6(ports, port, h, ip),
            _ => {}
        }
    }

    fn arp(&mut self, ports: &BTreeMap<u32, Port>, port: Port, arp: &Arp) {
        let mine = self
            .addresses
            .get(&port.index)
            .is_some_and(|a| a.iter().any(|(ip, _)| *ip == IpAddr::V4(arp.pdst)));
        if !mine {
            return self.drop("ARP for another address");
        }
        self.neighbors
            .insert((port.index, IpAddr::V4(arp.psrc)), arp.hwsrc);
        if arp.op != Arp::WHO_HAS {
            return;
        }
        let reply =
            Ether::new(port.mac, arp.hwsrc) / Arp::is_at(port.mac, arp.pdst, arp.hwsrc, arp.psrc);
        self.transmit(ports, port.index, &reply.build());
    }

    fn ip4(&mut self, ports: &BTreeMap<u32, Port>, port: Port, h: Ipv4, mut ip: Packet) {
        if self.is_local(IpAddr::V4(h.dst), ports) {
            let Some(echo) = ip.get::<Icmp>().filter(|i| i.ty == Icmp::ECHO_REQUEST) else {
                return self.drop("ip4 local, not an echo request");
            };
            let mut reply = Packet::from(Ipv4::new(h.dst, h.src));
            reply.push(Icmp::echo_reply(echo.id(), echo.seq()));
            if let Some(payload) = ip.payload_of::<Icmp>() {
                reply.push(asf_packet::Raw::new(payload));
            }
            return self.route(ports, reply);
        }
        let _ = port;
        if h.ttl <= 1 {
            return self.drop("ip4 ttl expired");
        }
        let out = ip.get_mut::<Ipv4>().expect("an IPv4 packet");
        out.ttl -= 1;
        out.chksum = None;
        self.route(ports, ip);
    }

    fn ip6(&mut self, ports: &BTreeMap<u32, Port>, port: Port, h: Ipv6, mut ip: Packet) {
        if let Some(nd) = ip.get::<Nd>() {
            if let NdMsg::Ns { tgt, .. } = nd.msg {
                return self.ns(ports, port, &h, tgt, &ip);
            }
        }
        if h.dst.is_multicast() {
            return self.drop("ip6 multicast");
        }
        if self.is_local(IpAddr::V6(h.dst), ports) {
            let Some(echo) = ip.get::<Icmpv6>().filter(|i| i.ty == Icmpv6::ECHO_REQUEST) else {
                return self.drop("ip6 local, not an echo request");
            };
            let mut reply = Packet::from(Ipv6::new(h.dst, h.src));
            reply.push(Icmpv6::echo_reply(echo.id(), echo.seq()));
            if let Some(payload) = ip.payload_of::<Icmpv6>() {
                reply.push(asf_packet::Raw::new(payload));
            }
            return self.route(ports, reply);
        }
        if h.hop_limit() <= 1 {
            return self.drop("ip6 hop limit expired");
        }
        let out = ip.get_mut::<Ipv6>().expect("an IPv6 packet");
        out.hlim = Some(h.hop_limit() - 1);
        self.route(ports, ip);
    }

    fn ns(
        &mut self,
        ports: &BTreeMap<u32, Port>,
        port: Port,
        h: &Ipv6,
        tgt: Ipv6Addr,
        ip: &Packet,
    ) {
        let mine = port.mac.link_local() == tgt
            || self
                .addresses
                .get(&port.index)
                .is_some_and(|a| a.iter().any(|(a, _)| *a == IpAddr::V6(tgt)));
        if !mine {
            return self.drop("NS for another address");
        }
        let src_ll = ip.layers().iter().find_map(|l| match l {
            Layer::NdOpt(NdOpt {
                opt: NdOption::SrcLl(m),
                ..
            }) => Some(*m),
            _ => None,
        });
        let Some(mac) = src_ll else {
            return self.drop("NS without a source link-layer address");
        };
        self.neighbors.insert((port.index, IpAddr::V6(h.src)), mac);
        let na = Ether::new(port.mac, mac)
            / Ipv6::new(tgt, h.src).hlim(255)
            / Nd::na(tgt, Nd::R | Nd::S | Nd::O)
            / NdOpt::dst_ll(port.mac);
        self.transmit(ports, port.index, &na.build());
    }

    /// Sends `count` echo requests to `dst` (`ping`), `burst` per round;
    /// returns how many went out.
    pub fn ping(
        &mut self,
        ports: &BTreeMap<u32, Port>,
        dst: IpAddr,
        repeat: u32,
        burst: u32,
    ) -> u32 {
        let Some((sw, _)) = self.lookup(dst) else {
            return 0;
        };
        let Some(src) = self.source_for(sw, dst) else {
            return 0;
        };
        let mut sent = 0;
        for seq in 1..=repeat {
            for _ in 0..burst {
                let p = match (src, dst) {
                    (IpAddr::V4(s), IpAddr::V4(d)) => {
                        Ipv4::new(s, d).ttl(255)
                            / Icmp::echo_request(0x5a5a, seq as u16)
                            / asf_packet::Raw::new([0u8; 48])
                    }
                    (IpAddr::V6(s), IpAddr::V6(d)) => {
                        Ipv6::new(s, d).hlim(255)
                            / Icmpv6::echo_request(0x5a5a, seq as u16)
                            / asf_packet::Raw::new([0u8; 48])
                    }
                    _ => return sent,
                };
                self.route(ports, p);
                sent += 1;
            }
        }
        sent
    }

    /// Runs the enabled streams to their end (`packet-generator enable`).
    pub fn run_streams(
        &mut self,
        ports: &BTreeMap<u32, Port>,
        name: Option<&str>,
    ) -> Result<(), String> {
        let names: Vec<String> = self
            .streams
            .keys()
            .filter(|n| name.is_none_or(|want| want == n.as_str()))
            .cloned()
            .collect();
        for n in names {
            let s = self.streams.get(&n).cloned().expect("listed");
            let Some(&(sw, _)) = self.pg.get(&s.source) else {
                return Err(format!("stream {n}: no interface pg{}", s.source));
            };
            let total = s.limit.unwrap_or(s.packets.len() as u64);
            if !s.packets.is_empty() {
                for i in 0..total {
                    let data = &s.packets[(i % s.packets.len() as u64) as usize];
                    self.receive(ports, sw, data);
                }
            }
            if let Some(s) = self.streams.get_mut(&n) {
                s.enabled = false;
            }
        }
        self.flush();
        Ok(())
    }
}

/// A hash of a flow's addresses, to pick one of equal-cost paths.
fn flow_hash(src: IpAddr, dst: IpAddr) -> usize {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (src, dst).hash(&mut h);
    h.finish() as usize
}

fn summary(mode: Mode, bytes: &[u8]) -> String {
    let link = match mode {
        Mode::Ethernet => Link::Ethernet,
        Mode::Ip4 | Mode::Ip6 => Link::RawIp,
    };
    Packet::dissect(bytes, link).summary()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_take_the_longest_prefix() {
        let mut d = Dataplane::default();
        d.addresses
            .insert(1, vec![("172.16.1.1".parse().unwrap(), 24)]);
        d.routes.push((
            "10.0.0.0".parse().unwrap(),
            8,
            vec![(Some("172.16.1.2".parse().unwrap()), 1)],
        ));
        d.routes
            .push(("10.1.0.0".parse().unwrap(), 16, vec![(None, 2)]));
        assert_eq!(
            d.lookup("172.16.1.9".parse().unwrap()),
            Some((1, "172.16.1.9".parse().unwrap()))
        );
        assert_eq!(
            d.lookup("10.2.0.1".parse().unwrap()),
            Some((1, "172.16.1.2".parse().unwrap()))
        );
        assert_eq!(
            d.lookup("10.1.0.1".parse().unwrap()),
            Some((2, "10.1.0.1".parse().unwrap()))
        );
        assert_eq!(d.lookup("192.0.2.1".parse().unwrap()), None);
        assert_eq!(
            Mac([2, 1, 0, 0, 0xff, 2]).link_local(),
            "fe80::1:ff:fe00:ff02".parse::<Ipv6Addr>().unwrap()
        );
        assert!(in_prefix(
            "fd01:1::2".parse().unwrap(),
            "fd01:1::1".parse().unwrap(),
            64
        ));
    }
}
