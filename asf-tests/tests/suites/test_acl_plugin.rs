//! Port of `test/test_acl_plugin.py`: ACLs of the ACL plugin on the input
//! of two bridged interfaces: permit and deny by protocol, port ranges,
//! single ports and ICMP type/code; dumps; zero-length UDP; non-initial
//! fragments; ethertype whitelists; an interface deleted under its ACL.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use asf_core::packet::{Ether, Fragment, Icmp, Icmpv6, Ipv4, Ipv6, Mac, Packet, Raw, Tcp, Udp};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::l2::{BridgeDomainAddDelV2, SwInterfaceSetL2Bridge};
use asf_vocab::objects::{self, Acl, AclInterface, AclRule, EtypeWhitelist, Loopback, VppObject};
use asf_vocab::pg::{self, extend_packet, InfoCursor, PacketInfo, PacketInfos, PgInterface};

// traffic types
const IP: u8 = 0;
const ICMP: u8 = 1;

// IP version
const IPRANDOM: i32 = -1;
const IPV4: i32 = 0;
const IPV6: i32 = 1;

// rule types
const DENY: bool = false;
const PERMIT: bool = true;

// supported protocols: [[TCP, UDP], [ICMP, ICMPv6]]
const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMPV4: u8 = 1;
const ICMPV6: u8 = 58;

/// Which ports a rule matches (`ports=`): all, one of the two test
/// ranges, or one port.
#[derive(Clone, Copy)]
enum Ports {
    All,
    Range,
    Range2,
    Port(u16),
}

// port ranges
const UDP_SPORT: (u16, u16) = (10, 15);
const UDP_DPORT: (u16, u16) = (20000, 25000);
const TCP_SPORT: (u16, u16) = (30, 35);
const TCP_DPORT: (u16, u16) = (40000, 45000);
const UDP_SPORT_2: (u16, u16) = (90, 95);
const UDP_DPORT_2: (u16, u16) = (30000, 35000);
const TCP_SPORT_2: (u16, u16) = (130, 135);
const TCP_DPORT_2: (u16, u16) = (20000, 25000);
const ICMP4_TYPE: u8 = 8; // echo request
const ICMP4_CODE: u8 = 3;
const ICMP6_TYPE: u8 = 128; // echo request
const ICMP6_CODE: u8 = 3;
const ICMP4_TYPE_2: u16 = 8;
const ICMP4_CODE_2: (u16, u16) = (5, 20);
const ICMP6_TYPE_2: u16 = 128;
const ICMP6_CODE_2: (u16, u16) = (8, 42);

const BD_ID: u32 = 1;
const PG_IF_PACKET_SIZES: [usize; 4] = [64, 512, 1518, 9018];

/// The rule `create_rule` makes: any source and destination of the
/// family, the ports of `ports` (`AclRule.update_ports`).
fn create_rule(ip: i32, permit: bool, ports: Ports, proto: u8) -> AclRule {
    let mut r = AclRule::new(permit, proto);
    if ip == IPV6 {
        r.src = "::/0".parse().expect("a prefix");
        r.dst = "::/0".parse().expect("a prefix");
    }
    let range = |(a, b): (u16, u16)| a..=b;
    let one = |v: u16| v..=v;
    let (sport, dport) = match (ports, proto) {
        (Ports::All, _) => return r,
        (Ports::Range, ICMPV4) => (one(ICMP4_TYPE.into()), one(ICMP4_CODE.into())),
        (Ports::Range, ICMPV6) => (one(ICMP6_TYPE.into()), one(ICMP6_CODE.into())),
        (Ports::Range, TCP) => (range(TCP_SPORT), range(TCP_DPORT)),
        (Ports::Range, UDP) => (range(UDP_SPORT), range(UDP_DPORT)),
        (Ports::Range2, ICMPV4) => (one(ICMP4_TYPE_2), range(ICMP4_CODE_2)),
        (Ports::Range2, ICMPV6) => (one(ICMP6_TYPE_2), range(ICMP6_CODE_2)),
        (Ports::Range2, TCP) => (range(TCP_SPORT_2), range(TCP_DPORT_2)),
        (Ports::Range2, UDP) => (range(UDP_SPORT_2), range(UDP_DPORT_2)),
        (Ports::Port(p), _) => (one(p), one(p)),
        // Python keeps the ports of "any" for other protocols.
        (_, _) => return r,
    };
    r.sport = sport;
    r.dport = dport;
    r
}

/// A test host (`Host` of VPP's `util.py`).
#[derive(Clone, Debug)]
struct Host {
    mac: Mac,
    ip4: Ipv4Addr,
    ip6: Ipv6Addr,
}

/// The hosts behind pg0 and pg1, by `sw_if_index`.
#[derive(Default)]
struct Hosts(Vec<(u32, Vec<Host>)>);

fn hosts(t: &mut TestCase, sw_if_index: u32) -> Vec<Host> {
    t.class_data::<Hosts>()
        .0
        .iter()
        .find(|(sw, _)| *sw == sw_if_index)
        .map(|(_, h)| h.clone())
        .unwrap_or_default()
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    // Create 2 pg interfaces
    let pgs = pg::create_interfaces(t, 0..2)?;
    // Create BD with MAC learning and unknown unicast flooding disabled
    // and put interfaces to this BD
    t.api().request(&BridgeDomainAddDelV2 {
        bd_id: BD_ID,
        uu_flood: true,
        learn: true,
        flood: true,
        forward: true,
        is_add: true,
        ..BridgeDomainAddDelV2::default()
    })?;
    for pg_if in &pgs {
        t.api().request(&SwInterfaceSetL2Bridge {
            rx_sw_if_index: pg_if.sw_if_index(),
            bd_id: BD_ID,
            enable: true,
            ..SwInterfaceSetL2Bridge::default()
        })?;
    }
    // Set up all interfaces
    for i in &pgs {
        i.admin_up(t)?;
    }
    // warm-up the mac address tables
    let count = 16;
    let macs_per_if = count / pgs.len();
    let mut all = Vec::new();
    for (i, pg_if) in pgs.iter().enumerate() {
        let sw = pg_if.sw_if_index();
        let start = macs_per_if * i;
        let end = if i == pgs.len() - 1 {
            count
        } else {
            macs_per_if * (i + 1)
        };
        let list = (start..end)
            .map(|j| Host {
                mac: format!("00:00:00:ff:{sw:02x}:{j:02x}")
                    .parse()
                    .expect("a MAC"),
                ip4: format!("172.17.1{sw:02x}.{j}").parse().expect("an address"),
                ip6: format!("2017:dead:{sw:02x}::{j}")
                    .parse()
                    .expect("an address"),
            })
            .collect();
        all.push((sw, list));
    }
    t.class_data::<Hosts>().0 = all;
    Ok(())
}

/// Applies an ACL of `rules` to the input of every pg interface
/// (`apply_rules`); returns its index.
fn apply_rules(t: &mut TestCase, rules: Vec<AclRule>, tag: &str) -> TestResult<u32> {
    let acl = objects::add(t, Acl::new(rules, tag))?;
    tracing::info!("Dumped ACL: {:?}", acl.dump(t.api())?);
    // Apply a ACL on the interface as inbound
    for i in pg::interfaces(t)? {
        objects::add(
            t,
            AclInterface {
                sw_if_index: i.sw_if_index(),
                n_input: 1,
                acls: vec![acl.acl_index],
            },
        )?;
    }
    Ok(acl.acl_index)
}

/// A whitelist of `whitelist` on every pg interface (`etype_whitelist`).
fn etype_whitelist(
    t: &mut TestCase,
    whitelist: &[u16],
    n_input: u8,
) -> TestResult<Vec<EtypeWhitelist>> {
    let mut out = Vec::new();
    for i in pg::interfaces(t)? {
        out.push(objects::add(
            t,
            EtypeWhitelist {
                sw_if_index: i.sw_if_index(),
                whitelist: whitelist.to_vec(),
                n_input,
            },
        )?);
    }
    Ok(out)
}

/// Removes the whitelists (`etype_whitelist([], 0, add=False)`).
fn remove_whitelists(t: &mut TestCase, wl: &[EtypeWhitelist]) -> TestResult {
    for w in wl {
        objects::remove(t, w)?;
    }
    Ok(())
}

/// What a stream is made of (`create_stream`'s arguments).
#[derive(Clone, Copy)]
struct Stream {
    traffic_type: u8,
    ipv6: i32,
    proto: Option<u8>,
    ports: u16,
    fragments: bool,
    pkt_raw: bool,
    etype: Option<u16>,
}

impl Stream {
    fn new(traffic_type: u8, ipv6: i32, proto: Option<u8>) -> Stream {
        Stream {
            traffic_type,
            ipv6,
            proto,
            ports: 0,
            fragments: false,
            pkt_raw: true,
            etype: None,
        }
    }
}

/// The UDP or TCP header of a packet (`create_upper_layer`): random
/// ports in the test range, or `ports` both ways.
fn create_upper_layer(t: &mut TestCase, proto: u8, ports: u16) -> Packet {
    let mut pick = |(a, b): (u16, u16)| t.rng().u16(a..=b);
    match (proto, ports) {
        (UDP, 0) => Udp::new(pick(UDP_SPORT), pick(UDP_DPORT)).into(),
        (UDP, p) => Udp::new(p, p).into(),
        (_, 0) => Tcp::new(pick(TCP_SPORT), pick(TCP_DPORT)).into(),
        (_, p) => Tcp::new(p, p).into(),
    }
}

/// The stream from `src_if` to the other pg: one packet from each of its
/// hosts to each host behind the other (`create_stream`).
fn create_stream(
    t: &mut TestCase,
    infos: &mut PacketInfos,
    src_if: &PgInterface,
    dst_if: &PgInterface,
    s: Stream,
) -> Vec<Packet> {
    let src_hosts = hosts(t, src_if.sw_if_index());
    let dst_hosts = hosts(t, dst_if.sw_if_index());
    let mut pkts = Vec::new();
    for i in 0..dst_hosts.len() * src_hosts.len() {
        let dst_host = &dst_hosts[i / src_hosts.len()];
        let src_host = &src_hosts[i % src_hosts.len()];
        let mut info = infos.create(src_if, dst_if);
        info.ip = match s.ipv6 {
            IPV6 => 1,
            IPV4 => 0,
            _ => t.rng().i32(0..=1),
        };
        info.proto = i16::from(s.proto.unwrap_or_else(|| [TCP, UDP][t.rng().usize(..2)]));
        infos.update(info);
        let mut p = Packet::from(Ether {
            ty: s.etype,
            ..Ether::new(src_host.mac, dst_host.mac)
        });
        if info.ip == 1 {
            p = p / Ipv6::new(src_host.ip6, dst_host.ip6);
            if s.fragments {
                p = p / Fragment {
                    offset: 64,
                    m: true,
                    ..Fragment::default()
                };
            }
        } else if s.fragments {
            p = p / Ipv4 {
                frag: 64,
                ..Ipv4::new(src_host.ip4, dst_host.ip4).flags(Ipv4::MF)
            };
        } else {
            p = p / Ipv4::new(src_host.ip4, dst_host.ip4);
        }
        if s.traffic_type == ICMP {
            p = if info.ip == 1 {
                p / Icmpv6 {
                    ty: ICMP6_TYPE,
                    code: ICMP6_CODE,
                    ..Icmpv6::echo_request(0, 0)
                }
            } else {
                p / Icmp {
                    ty: ICMP4_TYPE,
                    code: ICMP4_CODE,
                    ..Icmp::echo_request(0, 0)
                }
            };
        } else {
            p = p / create_upper_layer(t, info.proto as u8, s.ports);
        }
        if s.pkt_raw {
            p = p / Raw::new(info.to_payload());
            infos.set_data(&info, p.clone());
            let size = PG_IF_PACKET_SIZES[t.rng().usize(..PG_IF_PACKET_SIZES.len())];
            extend_packet(&mut p, size, b" ");
        }
        pkts.push(p);
    }
    pkts
}

/// Checks what `pg_if` got (`verify_capture`).
fn verify_capture(
    infos: &PacketInfos,
    pg_if: &PgInterface,
    capture: &[Packet],
    s: Stream,
) -> TestResult {
    let mut cursor = InfoCursor::default();
    let dst_sw_if_index = pg_if.sw_if_index();
    for packet in capture {
        if let Some(etype) = s.etype {
            if packet.expect::<Ether>().ty != Some(etype) {
                tracing::error!("Unexpected ethertype in packet:\n{}", packet.show());
            } else {
                continue;
            }
        }
        let payload_info = PacketInfo::of(packet).inspect_err(|_| {
            tracing::error!(
                "Unexpected or invalid packet (outside network):\n{}",
                packet.show()
            );
        })?;
        if s.ipv6 != 0 {
            assert_eq!(payload_info.ip, s.ipv6);
        }
        if s.traffic_type == ICMP {
            if payload_info.ip == 0 {
                let icmp = packet.expect::<Icmp>();
                assert_eq!((icmp.ty, icmp.code), (ICMP4_TYPE, ICMP4_CODE));
            } else {
                let icmp = packet.expect::<Icmpv6>();
                assert_eq!((icmp.ty, icmp.code), (ICMP6_TYPE, ICMP6_CODE));
            }
            continue;
        }
        let (_, saved) = infos.expect_next(&mut cursor, packet, dst_sw_if_index)?;
        tracing::debug!(
            "Got packet on port {}: src={} (id={})",
            pg_if.name(),
            payload_info.src,
            payload_info.index
        );
        // Check standard fields
        let addrs = |p: &Packet| -> Option<(IpAddr, IpAddr)> {
            if payload_info.ip == 1 {
                p.get::<Ipv6>().map(|i| (i.src.into(), i.dst.into()))
            } else {
                p.get::<Ipv4>().map(|i| (i.src.into(), i.dst.into()))
            }
        };
        assert_eq!(addrs(packet), addrs(saved), "\n{}", packet.show());
        match payload_info.proto as u8 {
            TCP => {
                let (a, b) = (packet.expect::<Tcp>(), saved.expect::<Tcp>());
                assert_eq!((a.sport, a.dport), (b.sport, b.dport));
            }
            UDP => {
                let (a, b) = (packet.expect::<Udp>(), saved.expect::<Udp>());
                assert_eq!((a.sport, a.dport), (b.sport, b.dport));
            }
            _ => {}
        }
    }
    // The original checks that nothing expected is missing by source
    // interface object where an index is wanted, so its check never fails;
    // here it is made for IP streams of IPv4 or IPv6 ethertypes (ICMP and
    // odd-ethertype captures are not walked packet by packet).
    if s.traffic_type == IP && s.etype.is_none() {
        for src in [0u32, 1].map(|i| i + 1) {
            assert!(
                infos
                    .next_in(&mut cursor.clone(), src, dst_sw_if_index)
                    .is_none(),
                "Port {dst_sw_if_index}: Packet expected from source {src} didn't arrive"
            );
        }
    }
    Ok(())
}

/// Streams pg0 → pg1; pg1 gets them all, as sent (`run_verify_test`).
fn run_verify_test(t: &mut TestCase, s: Stream) -> TestResult {
    let p = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let pkts = create_stream(t, &mut infos, &p[0], &p[1], s);
    p[0].add_stream(t, &pkts)?;
    // Enable packet capture and start packet sending
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    tracing::info!("sent packets count: {}", pkts.len());
    // Verify outgoing packet streams per packet-generator interface
    let capture = p[1].get_capture(t, pkts.len())?;
    tracing::info!("Verifying capture on interface {}", p[1].name());
    verify_capture(&infos, &p[1], &capture, s)
}

/// Streams pg0 → pg1; nothing comes out (`run_verify_negat_test`).
fn run_verify_negat_test(t: &mut TestCase, s: Stream) -> TestResult {
    let p = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let pkts = create_stream(t, &mut infos, &p[0], &p[1], Stream { pkt_raw: true, ..s });
    p[0].add_stream(t, &pkts)?;
    // Enable packet capture and start packet sending
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    tracing::info!("sent packets count: {}", pkts.len());
    tracing::info!("Verifying capture on interface {}", p[1].name());
    let capture = p[1].get_capture(t, 0)?;
    assert_eq!(capture.len(), 0);
    Ok(())
}

fn ip(ipv6: i32, proto: Option<u8>) -> Stream {
    Stream::new(IP, ipv6, proto)
}

fn icmp(ipv6: i32, proto: u8) -> Stream {
    Stream::new(ICMP, ipv6, Some(proto))
}

fn random_port(t: &mut TestCase) -> u16 {
    t.rng().u16(16384..=65535)
}

/// The matches counted for rule `rule` of ACL `acl_idx` on thread 0.
fn acl_matches(t: &mut TestCase, acl_idx: u32, rule: usize) -> TestResult<u64> {
    let m = t.get_counter(&format!("/acl/{acl_idx}/matches"))?;
    tracing::info!("stat segment counters: {m:?}");
    Ok(m.combined_index(rule).packets)
}

fn counters(t: &mut TestCase, enable: bool) -> TestResult {
    t.api()
        .request(&asf_vocab::api::acl::AclStatsIntfCountersEnable { enable })?;
    Ok(())
}

/// ACL plugin Test Case
#[vpp_test(
    name = "TestACLplugin",
    fixme_vpp_workers,
    set_up_class = set_up_class,
    show_at_teardown = [
        "show vlib graph l2-input-feat-arc",
        "show vlib graph l2-input-feat-arc-end",
        "show vlib graph l2-output-feat-arc",
        "show vlib graph l2-output-feat-arc-end",
        "show l2fib verbose",
        "show acl-plugin acl",
        "show acl-plugin interface",
        "show acl-plugin tables",
        "show bridge-domain 1 detail",
    ],
    // Exclude ACL plugin tests
    requires_plugins = ["acl_plugin.so"],
    requires_messages = ["acl_add_replace"]
)]
mod acl_plugin {
    use super::*;

    /// ACL plugin version check; learn MACs
    #[vpp_test]
    fn test_0000_warmup_test(t: &mut TestCase) -> TestResult {
        let reply = t.api().request(&asf_vocab::api::acl::AclPluginGetVersion)?;
        assert_eq!(reply.major, 1);
        tracing::info!(
            "Working with ACL plugin version: {}.{}",
            reply.major,
            reply.minor
        );
        // minor version changes are non breaking
        Ok(())
    }

    /// ACL create/delete test
    #[vpp_test]
    fn test_0001_acl_create(t: &mut TestCase) -> TestResult {
        let pg0 = pg::interface(t, "pg0")?;
        // Create a permit-1234 ACL
        let mut rule = AclRule::new(true, UDP);
        rule.sport = 1234..=1235;
        rule.dport = 1234..=1234;
        let r = vec![rule];
        // Test 1: add a new ACL
        let first_acl = objects::add(t, Acl::new(r.clone(), "permit 1234"))?;
        assert!(first_acl.query_vpp_config(t.api())?);
        // The very first ACL gets #0
        assert_eq!(first_acl.acl_index, 0);
        let rr = first_acl.dump(t.api())?;
        tracing::info!("Dumped ACL: {rr:?}");
        assert_eq!(rr.len(), 1);
        // We should have the same number of ACL entries as we had asked
        assert_eq!(rr[0].r.len(), r.len());
        // (The original compares the rules for i in range(len(r) - 1):
        // with one rule, none.)
        // Create a deny-1234 ACL
        let mut deny = AclRule::new(false, UDP);
        deny.sport = 1234..=1235;
        deny.dport = 1234..=1234;
        // ports=0 is PORTS_RANGE
        let permit = create_rule(IPV4, PERMIT, Ports::Range, UDP);
        let second_acl = objects::add(t, Acl::new([deny, permit], "deny 1234;permit all"))?;
        assert!(second_acl.query_vpp_config(t.api())?);
        // The second ACL gets #1
        assert_eq!(second_acl.acl_index, 1);
        // Test 2: try to modify a nonexistent ACL
        let mut invalid_acl = Acl::new(r, "FFFF:FFFF");
        invalid_acl.acl_index = 432;
        assert!(
            invalid_acl.clone().add_vpp_config(t.api()).is_err(),
            "Unexpected api reply"
        );
        for (acl, n_input) in [(&first_acl, 1), (&second_acl, 0)] {
            // apply an ACL on an interface inbound, try to delete ACL, must fail
            let acl_if_list = objects::add(
                t,
                AclInterface {
                    sw_if_index: pg0.sw_if_index(),
                    n_input,
                    acls: vec![acl.acl_index],
                },
            )?;
            assert!(
                acl.remove_vpp_config(t.api()).is_err(),
                "Unexpected api reply"
            );
            // Unapply an ACL and then try to delete it - must be ok
            objects::remove(t, &acl_if_list)?;
            objects::remove(t, acl)?;
        }
        // try to apply a nonexistent ACL - must fail
        let mut acl_if_list = AclInterface {
            sw_if_index: pg0.sw_if_index(),
            n_input: 0,
            acls: vec![invalid_acl.acl_index],
        };
        assert!(
            acl_if_list.add_vpp_config(t.api()).is_err(),
            "Unexpected api reply"
        );
        Ok(())
    }

    /// permit ACL apply test
    #[vpp_test]
    fn test_0002_acl_permit_apply(t: &mut TestCase) -> TestResult {
        let rules = vec![
            // ports=0 is PORTS_RANGE
            create_rule(IPV4, PERMIT, Ports::Range, UDP),
            create_rule(IPV4, PERMIT, Ports::Range, TCP),
        ];
        // Apply rules
        let acl_idx = apply_rules(t, rules, "permit per-flow")?;
        // enable counters
        counters(t, true)?;
        // Traffic should still pass
        run_verify_test(t, ip(IPV4, None))?;
        tracing::info!("{}", t.ppcli("show acl-plugin acl")?);
        tracing::info!("{}", t.ppcli("show acl-plugin tables")?);
        let total_hits = acl_matches(t, acl_idx, 0)? + acl_matches(t, acl_idx, 1)?;
        assert_eq!(total_hits, 64);
        // disable counters
        counters(t, false)
    }

    /// deny ACL apply test
    #[vpp_test]
    fn test_0003_acl_deny_apply(t: &mut TestCase) -> TestResult {
        // Add a deny-flows ACL
        let rules = vec![
            create_rule(IPV4, DENY, Ports::All, UDP),
            // Permit ip any any in the end
            create_rule(IPV4, PERMIT, Ports::All, 0),
        ];
        // Apply rules
        let acl_idx = apply_rules(t, rules, "deny per-flow;permit all")?;
        // enable counters
        counters(t, true)?;
        // Traffic should not pass
        run_verify_negat_test(t, ip(IPV4, Some(UDP)))?;
        tracing::info!("{}", t.ppcli("show acl-plugin acl")?);
        tracing::info!("{}", t.ppcli("show acl-plugin tables")?);
        assert_eq!(acl_matches(t, acl_idx, 0)?, 64);
        // disable counters
        counters(t, false)
    }

    /// VPP_624 permit ICMPv4
    #[vpp_test]
    fn test_0004_vpp624_permit_icmpv4(t: &mut TestCase) -> TestResult {
        let rules = vec![
            create_rule(IPV4, PERMIT, Ports::Range, ICMPV4),
            // deny ip any any in the end
            create_rule(IPV4, DENY, Ports::All, 0),
        ];
        apply_rules(t, rules, "permit icmpv4")?;
        // Traffic should still pass
        run_verify_test(t, icmp(IPV4, ICMPV4))
    }

    /// VPP_624 permit ICMPv6
    #[vpp_test]
    fn test_0005_vpp624_permit_icmpv6(t: &mut TestCase) -> TestResult {
        let rules = vec![
            create_rule(IPV6, PERMIT, Ports::Range, ICMPV6),
            // deny ip any any in the end
            create_rule(IPV6, DENY, Ports::All, 0),
        ];
        apply_rules(t, rules, "permit icmpv6")?;
        // Traffic should still pass
        run_verify_test(t, icmp(IPV6, ICMPV6))
    }

    /// VPP_624 deny ICMPv4
    #[vpp_test]
    fn test_0006_vpp624_deny_icmpv4(t: &mut TestCase) -> TestResult {
        let rules = vec![
            create_rule(IPV4, DENY, Ports::Range, ICMPV4),
            // permit ip any any in the end
            create_rule(IPV4, PERMIT, Ports::All, 0),
        ];
        apply_rules(t, rules, "deny icmpv4")?;
        // Traffic should not pass
        run_verify_negat_test(t, Stream::new(ICMP, IPV4, Some(0)))
    }

    /// VPP_624 deny ICMPv6
    #[vpp_test]
    fn test_0007_vpp624_deny_icmpv6(t: &mut TestCase) -> TestResult {
        let rules = vec![
            create_rule(IPV6, DENY, Ports::Range, ICMPV6),
            // deny ip any any in the end
            create_rule(IPV6, PERMIT, Ports::All, 0),
        ];
        apply_rules(t, rules, "deny icmpv6")?;
        // Traffic should not pass
        run_verify_negat_test(t, Stream::new(ICMP, IPV6, Some(0)))
    }

    /// permit TCPv4
    #[vpp_test]
    fn test_0008_tcp_permit_v4(t: &mut TestCase) -> TestResult {
        permit_range(t, IPV4, TCP, "permit ipv4 tcp")
    }

    /// permit TCPv6
    #[vpp_test]
    fn test_0009_tcp_permit_v6(t: &mut TestCase) -> TestResult {
        permit_range(t, IPV6, TCP, "permit ip6 tcp")
    }

    /// permit UDPv4
    #[vpp_test]
    fn test_0010_udp_permit_v4(t: &mut TestCase) -> TestResult {
        permit_range(t, IPV4, UDP, "permit ipv udp")
    }

    /// permit UDPv6
    #[vpp_test]
    fn test_0011_udp_permit_v6(t: &mut TestCase) -> TestResult {
        permit_range(t, IPV6, UDP, "permit ip6 udp")
    }

    /// deny TCPv4/v6
    #[vpp_test]
    fn test_0012_tcp_deny(t: &mut TestCase) -> TestResult {
        deny_both(t, TCP, Ports::Range, None, "deny ip4/ip6 tcp")
    }

    /// deny UDPv4/v6
    #[vpp_test]
    fn test_0013_udp_deny(t: &mut TestCase) -> TestResult {
        deny_both(t, UDP, Ports::Range, None, "deny ip4/ip6 udp")
    }

    /// verify add/dump acls
    #[vpp_test]
    fn test_0014_acl_dump(t: &mut TestCase) -> TestResult {
        let all = -1i32;
        let r: [(i32, bool, i32, u8); 18] = [
            (IPV4, PERMIT, 1234, TCP),
            (IPV4, PERMIT, 2345, UDP),
            (IPV4, PERMIT, 0, TCP),
            (IPV4, PERMIT, 0, UDP),
            (IPV4, PERMIT, 5, ICMPV4),
            (IPV6, PERMIT, 4321, TCP),
            (IPV6, PERMIT, 5432, UDP),
            (IPV6, PERMIT, 0, TCP),
            (IPV6, PERMIT, 0, UDP),
            (IPV6, PERMIT, 6, ICMPV6),
            (IPV4, DENY, all, 0),
            (IPV4, DENY, 1234, TCP),
            (IPV4, DENY, 2345, UDP),
            (IPV4, DENY, 5, ICMPV4),
            (IPV6, DENY, 4321, TCP),
            (IPV6, DENY, 5432, UDP),
            (IPV6, DENY, 6, ICMPV6),
            (IPV6, DENY, all, 0),
        ];
        // Add and verify new ACLs
        let rules: Vec<AclRule> = r
            .iter()
            .map(|&(ipv, permit, ports, proto)| {
                let ports = match ports {
                    -1 => Ports::All,
                    // PORTS_RANGE is 0 in the original
                    0 => Ports::Range,
                    p => Ports::Port(p as u16),
                };
                create_rule(ipv, permit, ports, proto)
            })
            .collect();
        let acl = objects::add(t, Acl::new(rules, ""))?;
        let result = acl.dump(t.api())?;
        let mut i = 0;
        for drules in &result {
            for dr in &drules.r {
                let (_, permit, ports, proto) = r[i];
                assert_eq!(dr.is_permit.value(), u8::from(permit));
                assert_eq!(dr.proto.value(), proto);
                let (first, last) = (dr.srcport_or_icmptype_first, dr.dstport_or_icmpcode_last);
                if ports > 0 {
                    assert_eq!(first, ports as u16);
                } else if ports < 0 {
                    assert_eq!(first, 0);
                    assert_eq!(dr.srcport_or_icmptype_last, 65535);
                } else if proto == TCP {
                    assert!(first > TCP_SPORT.0 - 1 && first < TCP_SPORT.1 + 1);
                    assert!(last > TCP_DPORT.0 - 1 && last < TCP_DPORT.1 + 1);
                } else if proto == UDP {
                    assert!(first > UDP_SPORT.0 - 1 && first < UDP_SPORT.1 + 1);
                    assert!(last > UDP_DPORT.0 - 1 && last < UDP_DPORT.1 + 1);
                }
                i += 1;
            }
        }
        Ok(())
    }

    /// permit single TCPv4
    #[vpp_test]
    fn test_0015_tcp_permit_port_v4(t: &mut TestCase) -> TestResult {
        permit_port(t, IPV4, TCP)
    }

    /// permit single UDPv4
    #[vpp_test]
    fn test_0016_udp_permit_port_v4(t: &mut TestCase) -> TestResult {
        permit_port(t, IPV4, UDP)
    }

    /// permit single TCPv6
    #[vpp_test]
    fn test_0017_tcp_permit_port_v6(t: &mut TestCase) -> TestResult {
        permit_port(t, IPV6, TCP)
    }

    /// permit single UDPv6
    #[vpp_test]
    fn test_0018_udp_permit_port_v6(t: &mut TestCase) -> TestResult {
        permit_port(t, IPV6, UDP)
    }

    /// deny single TCPv4/v6
    #[vpp_test]
    fn test_0019_udp_deny_port(t: &mut TestCase) -> TestResult {
        let port = random_port(t);
        deny_both(
            t,
            TCP,
            Ports::Port(port),
            Some((port, false)),
            &format!("deny ip4/ip6 udp {port}"),
        )
    }

    /// deny single UDPv4/v6
    #[vpp_test]
    fn test_0020_udp_deny_port(t: &mut TestCase) -> TestResult {
        let port = random_port(t);
        deny_both(
            t,
            UDP,
            Ports::Port(port),
            Some((port, false)),
            &format!("deny ip4/ip6 udp {port}"),
        )
    }

    /// deny single UDPv4/v6, permit ip any, verify non-initial fragment
    /// blocked
    #[vpp_test]
    fn test_0021_udp_deny_port_verify_fragment_deny(t: &mut TestCase) -> TestResult {
        let port = random_port(t);
        deny_both(
            t,
            UDP,
            Ports::Port(port),
            Some((port, true)),
            &format!("deny ip4/ip6 udp {port}"),
        )
    }

    /// VPP-687 zero length udp ipv4 packet
    #[vpp_test]
    fn test_0022_zero_length_udp_ipv4(t: &mut TestCase) -> TestResult {
        zero_length_udp(t, IPV4, "permit empty udp ip4")
    }

    /// VPP-687 zero length udp ipv6 packet
    #[vpp_test]
    fn test_0023_zero_length_udp_ipv6(t: &mut TestCase) -> TestResult {
        zero_length_udp(t, IPV6, "permit empty udp ip6")
    }

    /// permit TCPv4 + non-match range
    #[vpp_test]
    fn test_0108_tcp_permit_v4(t: &mut TestCase) -> TestResult {
        permit_range2(t, IPV4, TCP, "permit ipv4 tcp", None)
    }

    /// permit TCPv6 + non-match range
    #[vpp_test]
    fn test_0109_tcp_permit_v6(t: &mut TestCase) -> TestResult {
        permit_range2(t, IPV6, TCP, "permit ip6 tcp", None)
    }

    /// permit UDPv4 + non-match range
    #[vpp_test]
    fn test_0110_udp_permit_v4(t: &mut TestCase) -> TestResult {
        permit_range2(t, IPV4, UDP, "permit ipv4 udp", None)
    }

    /// permit UDPv6 + non-match range
    #[vpp_test]
    fn test_0111_udp_permit_v6(t: &mut TestCase) -> TestResult {
        permit_range2(t, IPV6, UDP, "permit ip6 udp", None)
    }

    /// deny TCPv4/v6 + non-match range
    #[vpp_test]
    fn test_0112_tcp_deny(t: &mut TestCase) -> TestResult {
        deny_both_range2(t, TCP, "deny ip4/ip6 tcp")
    }

    /// deny UDPv4/v6 + non-match range
    #[vpp_test]
    fn test_0113_udp_deny(t: &mut TestCase) -> TestResult {
        deny_both_range2(t, UDP, "deny ip4/ip6 udp")
    }

    /// permit TCPv4, send 0xAAAA etype
    #[vpp_test]
    fn test_0300_tcp_permit_v4_etype_aaaa(t: &mut TestCase) -> TestResult {
        // Traffic should still pass also for an odd ethertype
        permit_range2(t, IPV4, TCP, "permit ipv4 tcp", Some(0xaaaa))
    }

    /// permit TCPv4, whitelist 0x0BBB ethertype, send 0xAAAA-blocked
    #[vpp_test]
    fn test_0305_tcp_permit_v4_etype_blacklist_aaaa(t: &mut TestCase) -> TestResult {
        apply_rules(t, range2_rules(IPV4, TCP), "permit ipv4 tcp")?;
        // whitelist the 0xbbbb etype - so the 0xaaaa should be blocked
        let wl = etype_whitelist(t, &[0xbbb], 1)?;
        // The oddball ethertype should be blocked
        run_verify_negat_test(
            t,
            Stream {
                etype: Some(0xaaaa),
                ..ip(IPV4, Some(TCP))
            },
        )?;
        // remove the whitelist
        remove_whitelists(t, &wl)
    }

    /// permit TCPv4, whitelist 0x0BBB ethertype, send 0x0BBB - pass
    #[vpp_test]
    fn test_0306_tcp_permit_v4_etype_blacklist_aaaa(t: &mut TestCase) -> TestResult {
        apply_rules(t, range2_rules(IPV4, TCP), "permit ipv4 tcp")?;
        // whitelist the 0xbbbb etype - so the 0xaaaa should be blocked
        let wl = etype_whitelist(t, &[0xbbb], 1)?;
        // The whitelisted traffic, should pass
        run_verify_test(
            t,
            Stream {
                etype: Some(0x0bbb),
                ..ip(IPV4, Some(TCP))
            },
        )?;
        // remove the whitelist, the previously blocked 0xAAAA should pass now
        remove_whitelists(t, &wl)
    }

    /// permit TCPv4, whitelist 0x0BBB, remove, send 0xAAAA - pass
    #[vpp_test]
    fn test_0307_tcp_permit_v4_etype_blacklist_aaaa(t: &mut TestCase) -> TestResult {
        apply_rules(t, range2_rules(IPV4, TCP), "permit ipv4 tcp")?;
        // whitelist the 0xbbbb etype - so the 0xaaaa should be blocked
        let wl = etype_whitelist(t, &[0xbbb], 1)?;
        // remove the whitelist, the previously blocked 0xAAAA should pass now
        remove_whitelists(t, &wl)?;
        // The whitelisted traffic, should pass
        run_verify_test(
            t,
            Stream {
                etype: Some(0xaaaa),
                ..ip(IPV4, Some(TCP))
            },
        )
    }

    /// apply an acl and delete the interface
    #[vpp_test]
    fn test_0315_del_intf(t: &mut TestCase) -> TestResult {
        // create an interface
        let lo = Loopback::create(t)?;
        // Apply rules (the original's apply_rules_to makes the binding but
        // never adds it)
        let acl = objects::add(t, Acl::new(range2_rules(IPV4, TCP), "permit ipv4 tcp"))?;
        tracing::info!("Dumped ACL: {:?}", acl.dump(t.api())?);
        // Remove the interface
        objects::remove(t, &lo)
    }
}

/// A permit rule for `proto`'s test range, deny the rest.
fn permit_range(t: &mut TestCase, ipv: i32, proto: u8, tag: &str) -> TestResult {
    let rules = vec![
        create_rule(ipv, PERMIT, Ports::Range, proto),
        // deny ip any any in the end
        create_rule(ipv, DENY, Ports::All, 0),
    ];
    apply_rules(t, rules, tag)?;
    // Traffic should still pass
    run_verify_test(t, ip(ipv, Some(proto)))
}

/// Deny the second range, permit the first, deny the rest.
fn range2_rules(ipv: i32, proto: u8) -> Vec<AclRule> {
    vec![
        create_rule(ipv, DENY, Ports::Range2, proto),
        create_rule(ipv, PERMIT, Ports::Range, proto),
        // deny ip any any in the end
        create_rule(ipv, DENY, Ports::All, 0),
    ]
}

fn permit_range2(
    t: &mut TestCase,
    ipv: i32,
    proto: u8,
    tag: &str,
    etype: Option<u16>,
) -> TestResult {
    apply_rules(t, range2_rules(ipv, proto), tag)?;
    // Traffic should still pass
    run_verify_test(
        t,
        Stream {
            etype,
            ..ip(ipv, Some(proto))
        },
    )
}

/// Permit one random port, deny the rest.
fn permit_port(t: &mut TestCase, ipv: i32, proto: u8) -> TestResult {
    let port = random_port(t);
    let rules = vec![
        create_rule(ipv, PERMIT, Ports::Port(port), proto),
        // deny ip any any in the end
        create_rule(ipv, DENY, Ports::All, 0),
    ];
    apply_rules(t, rules, &format!("permit ip4 tcp {port}"))?;
    // Traffic should still pass
    run_verify_test(
        t,
        Stream {
            ports: port,
            ..ip(ipv, Some(proto))
        },
    )
}

/// Deny `proto` on `ports` for both families, permit the rest; random
/// families do not pass (with one port's streams, fragmented if asked).
fn deny_both(
    t: &mut TestCase,
    proto: u8,
    ports: Ports,
    stream_port: Option<(u16, bool)>,
    tag: &str,
) -> TestResult {
    let rules = vec![
        create_rule(IPV4, DENY, ports, proto),
        create_rule(IPV6, DENY, ports, proto),
        // permit ip any any in the end
        create_rule(IPV4, PERMIT, Ports::All, 0),
        create_rule(IPV6, PERMIT, Ports::All, 0),
    ];
    apply_rules(t, rules, tag)?;
    let (port, fragments) = stream_port.unwrap_or((0, false));
    // Traffic should not pass
    run_verify_negat_test(
        t,
        Stream {
            ports: port,
            fragments,
            ..ip(IPRANDOM, Some(proto))
        },
    )
}

fn deny_both_range2(t: &mut TestCase, proto: u8, tag: &str) -> TestResult {
    let rules = vec![
        create_rule(IPV4, PERMIT, Ports::Range2, proto),
        create_rule(IPV6, PERMIT, Ports::Range2, proto),
        create_rule(IPV4, DENY, Ports::Range, proto),
        create_rule(IPV6, DENY, Ports::Range, proto),
        // permit ip any any in the end
        create_rule(IPV4, PERMIT, Ports::All, 0),
        create_rule(IPV6, PERMIT, Ports::All, 0),
    ];
    apply_rules(t, rules, tag)?;
    // Traffic should not pass
    run_verify_negat_test(t, ip(IPRANDOM, Some(proto)))
}

/// UDP with no payload to a permitted port passes (VPP-687).
fn zero_length_udp(t: &mut TestCase, ipv: i32, tag: &str) -> TestResult {
    let port = random_port(t);
    let rules = vec![
        create_rule(ipv, PERMIT, Ports::Port(port), UDP),
        // deny ip any any in the end
        create_rule(ipv, DENY, Ports::All, 0),
    ];
    apply_rules(t, rules, &format!("{tag} {port}"))?;
    // Traffic should still pass
    // Create incoming packet streams for packet-generator interfaces
    let p = pg::interfaces(t)?;
    let mut infos = PacketInfos::new();
    let s = Stream {
        ports: port,
        pkt_raw: false,
        ..ip(ipv, Some(UDP))
    };
    let pkts = create_stream(t, &mut infos, &p[0], &p[1], s);
    p[0].add_stream(t, &pkts)?;
    // Enable packet capture and start packet sending
    pg::enable_capture(t, &p)?;
    pg::start(t)?;
    p[1].get_capture(t, pkts.len())?;
    Ok(())
}
