//! Random packets of every layer stack asf-packet knows, with the fields
//! the build fills in left unset.

use std::net::{Ipv4Addr, Ipv6Addr};

use asf_packet::*;

pub struct Gen(pub fastrand::Rng);

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen(fastrand::Rng::with_seed(seed))
    }

    fn mac(&mut self) -> Mac {
        let mut m = [0u8; 6];
        self.0.fill(&mut m);
        Mac(m)
    }

    fn ip4(&mut self) -> Ipv4Addr {
        Ipv4Addr::from(self.0.u32(..))
    }

    fn ip6(&mut self) -> Ipv6Addr {
        // Not IPv4-mapped or -compatible: their text forms differ by tool.
        let mut o = [0u8; 16];
        self.0.fill(&mut o);
        o[0] = 0x20 | (o[0] & 0x0f);
        Ipv6Addr::from(o)
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.0.usize(..=max);
        (0..n).map(|_| self.0.u8(..)).collect()
    }

    fn payload(&mut self) -> Packet {
        Packet::from(Raw::new(
            self.bytes(64)
                .into_iter()
                .chain([0x5a])
                .collect::<Vec<u8>>(),
        ))
    }

    fn ether(&mut self) -> Ether {
        Ether::new(self.mac(), self.mac())
    }

    fn ipv4(&mut self) -> Ipv4 {
        let mut h = Ipv4::new(self.ip4(), self.ip4());
        h.tos = self.0.u8(..);
        h.id = self.0.u16(..);
        h.ttl = self.0.u8(1..);
        h.flags = if self.0.bool() { Ipv4::DF } else { 0 };
        if self.0.u8(..8) == 0 {
            h.options = Ipv4::router_alert();
        }
        h
    }

    fn ipv6(&mut self) -> Ipv6 {
        let mut h = Ipv6::new(self.ip6(), self.ip6());
        h.tc = self.0.u8(..);
        h.fl = self.0.u32(..1 << 20);
        h.hlim = Some(self.0.u8(..));
        h
    }

    fn udp(&mut self) -> Udp {
        // Ports clear of the ones that announce a next layer (VXLAN, MPLS).
        Udp::new(self.0.u16(10000..30000), self.0.u16(10000..30000))
    }

    fn tcp(&mut self) -> Tcp {
        let mut t = Tcp::new(self.0.u16(10000..30000), self.0.u16(10000..30000));
        t.seq = self.0.u32(..);
        t.ack = self.0.u32(..);
        t.flags = self.0.u16(..0x100);
        t.window = self.0.u16(..);
        if self.0.bool() {
            t.options = Tcp::mss(self.0.u16(500..9000));
        }
        t
    }

    /// An IPv4 packet: UDP, TCP, ICMP echo or error, GRE, 4in4, 6in4, a
    /// fragment after the first (its payload raw bytes).
    pub fn ip4_packet(&mut self, depth: u32) -> Packet {
        let mut ip = self.ipv4();
        match self.0.u8(..9) {
            8 => {
                ip.frag = self.0.u16(1..0x2000);
                if self.0.bool() {
                    ip.flags |= Ipv4::MF;
                }
                ip.proto = Some([1, 6, 17, 47][self.0.usize(..4)]);
                ip / self.payload()
            }
            0 => ip / self.udp() / self.payload(),
            1 => ip / self.tcp() / self.payload(),
            2 => {
                let (id, seq) = (self.0.u16(..), self.0.u16(..));
                ip / Icmp::echo_request(id, seq) / self.payload()
            }
            3 => {
                // An error quoting the start of a packet.
                let icmp = match self.0.u8(..3) {
                    0 => Icmp::dest_unreach(self.0.u8(..16)).with_mtu(self.0.u16(..)),
                    1 => Icmp::time_exceeded(self.0.u8(..2)),
                    _ => Icmp::redirect(self.0.u8(..4), self.ip4()),
                };
                let quoted = self.ipv4() / self.udp() / self.payload();
                ip / icmp / quoted
            }
            4 if depth < 2 => {
                let mut g = Gre::new();
                if self.0.bool() {
                    g.key_present = true;
                    g.key = self.0.u32(..);
                }
                if self.0.bool() {
                    g.chksum_present = true;
                }
                match self.0.u8(..3) {
                    // ERSPAN type II, as VPP's SPAN sends it.
                    0 => {
                        g.seqnum_present = true;
                        g.sequence_number = self.0.u32(..);
                        let e = Erspan {
                            ver: self.0.u8(..16),
                            vlan: self.0.u16(..1 << 12),
                            cos: self.0.u8(..8),
                            en: self.0.u8(..4),
                            t: self.0.u8(..2),
                            session_id: self.0.u16(..1 << 10),
                            reserved: self.0.u16(..1 << 12),
                            index: self.0.u32(..1 << 20),
                        };
                        ip / g / e / self.ether() / self.ip4_packet(depth + 1)
                    }
                    // Transparent Ethernet bridging.
                    1 => ip / g / self.ether() / self.ip4_packet(depth + 1),
                    _ => ip / g / self.ip4_packet(depth + 1),
                }
            }
            7 if depth < 2 => {
                // GTP-U: a G-PDU carrying IPv4 or IPv6, or an end marker.
                let mut g = GtpU {
                    teid: self.0.u32(..),
                    ..GtpU::default()
                };
                if self.0.bool() {
                    g.s = 1;
                    g.seq = self.0.u16(..);
                    g.npdu = self.0.u8(..);
                }
                let ip = ip / Udp::new(2152, 2152);
                match self.0.u8(..3) {
                    0 => ip / g / self.ip4_packet(depth + 1),
                    1 => ip / g / self.ip6_packet(depth + 1),
                    _ => {
                        g.gtp_type = Some(254);
                        ip / g / self.payload()
                    }
                }
            }
            5 if depth < 2 => ip / self.ip4_packet(depth + 1),
            6 if depth < 2 => ip / self.ip6_packet(depth + 1),
            _ => ip / self.payload(),
        }
    }

    /// An IPv6 packet: UDP, TCP, ICMPv6 echo or error, ND (with a redirect)
    /// with options, extension headers.
    pub fn ip6_packet(&mut self, depth: u32) -> Packet {
        let mut p = Packet::from(self.ipv6());
        match self.0.u8(..6) {
            0 => p = p / HopByHop::new(HopByHop::router_alert()),
            1 => {
                p = p / Fragment {
                    id: self.0.u32(..),
                    m: true,
                    ..Fragment::default()
                }
            }
            2 => {
                let segs = (0..self.0.usize(1..4))
                    .map(|_| self.ip6())
                    .collect::<Vec<_>>();
                let left = self.0.u8(..segs.len() as u8);
                p = p / Srh::new(segs, left)
            }
            3 => p = p / DestOpts::new([0x1e, 2, 0, 0]),
            4 => {
                let addrs = (0..self.0.usize(1..4))
                    .map(|_| self.ip6())
                    .collect::<Vec<_>>();
                let mut r = Routing::new(addrs);
                r.segleft = self.0.u8(..=r.segleft);
                p = p / r
            }
            _ => {}
        }
        match self.0.u8(..8) {
            0 => p / self.udp() / self.payload(),
            1 => p / self.tcp() / self.payload(),
            6 => {
                let redirect = Nd::redirect(self.ip6(), self.ip6());
                p / redirect / NdOpt::dst_ll(self.mac())
            }
            2 => {
                let (id, seq) = (self.0.u16(..), self.0.u16(..));
                p / Icmpv6::echo_request(id, seq) / self.payload()
            }
            3 => {
                let icmp = match self.0.u8(..4) {
                    0 => Icmpv6::dest_unreach(self.0.u8(..7)),
                    1 => Icmpv6::packet_too_big(self.0.u32(1280..9000)),
                    2 => Icmpv6::time_exceeded(self.0.u8(..2)),
                    _ => Icmpv6::param_problem(self.0.u8(..3), self.0.u32(..64)),
                };
                let quoted = self.ipv6() / self.udp() / self.payload();
                p / icmp / quoted
            }
            4 => {
                let ns = Nd::ns(self.ip6());
                p / ns / NdOpt::src_ll(self.mac())
            }
            5 => {
                let na = Nd::na(self.ip6(), Nd::R | Nd::S | Nd::O);
                p / na / NdOpt::dst_ll(self.mac())
            }
            _ if depth < 2 => {
                let prefix = self.ip6();
                p / Nd::ra()
                    / NdOpt::src_ll(self.mac())
                    / NdOpt::mtu(self.0.u32(1280..9000))
                    / NdOpt::prefix(prefix, 64)
            }
            _ => p / Nd::rs() / NdOpt::src_ll(self.mac()),
        }
    }

    /// An Ethernet frame of any stack.
    pub fn frame(&mut self) -> Packet {
        let mut p = Packet::from(self.ether());
        match self.0.u8(..4) {
            0 => p = p / Dot1Q::new(self.0.u16(..4096)),
            1 => p = p / Dot1AD::new(self.0.u16(..4096)) / Dot1Q::new(self.0.u16(..4096)),
            _ => {}
        }
        match self.0.u8(..6) {
            0 | 1 => p / self.ip4_packet(0),
            2 | 3 => p / self.ip6_packet(0),
            4 => {
                let arp = if self.0.bool() {
                    Arp::who_has(self.mac(), self.ip4(), self.ip4())
                } else {
                    Arp::is_at(self.mac(), self.ip4(), self.mac(), self.ip4())
                };
                p / arp
            }
            _ => match self.0.u8(..2) {
                0 => {
                    let labels = self.0.usize(1..4);
                    for i in 0..labels {
                        let mut m = Mpls::new(self.0.u32(16..1 << 20), self.0.u8(..));
                        m.cos = self.0.u8(..8);
                        if i + 1 < labels {
                            m = m.not_bottom();
                        }
                        p = p / m;
                    }
                    p / self.ip4_packet(1)
                }
                _ => {
                    let inner = self.ether() / self.ip4_packet(1);
                    p / self.ipv4()
                        / Udp::new(self.0.u16(1024..), 4789)
                        / Vxlan::new(self.0.u32(..1 << 24))
                        / inner
                }
            },
        }
    }
}
