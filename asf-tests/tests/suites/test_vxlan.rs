//! Port of `test/test_vxlan.py` with the bridge-domain template it shares
//! (`test/template_bd.py`): VXLAN encapsulation and decapsulation, unicast
//! and multicast flooding, on the default port and a custom one; a tunnel
//! whose source is not local; an L2-mode tunnel; destination tracking.

use std::net::{IpAddr, Ipv4Addr};

use asf_core::packet::{
    reassemble4_ether, Arp, Ether, Ipv4, Ipv6, Mac, Mpls, Packet, Raw, Udp, UdpLayer, Vxlan,
};
use asf_core::{vpp_test, TestCase, TestResult};
use asf_vocab::api::interface::SwInterfaceSetMtu;
use asf_vocab::api::ip::IpRouteLookup;
use asf_vocab::api::l2::SwInterfaceSetL2Xconnect;
use asf_vocab::objects::{
    self, BridgeDomainPort, IpRoute, IpTable, Neighbor, RoutePath, VppObject, VxlanTunnel,
};
use asf_vocab::pg::{self, PgInterface};

const MCAST_IP4: Ipv4Addr = Ipv4Addr::new(239, 1, 1, 1);
const FLAGS: u8 = 0x8;
const SINGLE_TUNNEL_VNI: u32 = 0x12345;
const SINGLE_TUNNEL_BD: u32 = 1;
const N_UCAST_TUNNELS: u8 = 10;
const MCAST_FLOOD_BD: u32 = 2;
const UCAST_FLOOD_BD: u32 = 3;

fn mac(s: &str) -> Mac {
    s.parse().expect("a valid MAC")
}

fn ip4(s: &str) -> Ipv4Addr {
    s.parse().expect("a valid address")
}

fn mcast_mac() -> Mac {
    Mac::multicast(MCAST_IP4.into()).expect("multicast")
}

/// `ip4_range`: the addresses `start..end` in the /24 of `ip`.
fn ip4_range(ip: Ipv4Addr, start: u8, end: u8) -> impl Iterator<Item = Ipv4Addr> {
    let [a, b, c, _] = ip.octets();
    (start..end).map(move |i| Ipv4Addr::new(a, b, c, i))
}

/// Ethernet frame modeling a generic request (`frame_request`).
fn frame_request() -> Packet {
    Ether::new(mac("00:00:00:00:00:02"), mac("00:00:00:00:00:01"))
        / Ipv4::new(ip4("1.2.3.4"), ip4("4.3.2.1"))
        / Udp::new(10000, 20000)
        / Raw::new([0xa5; 100])
}

/// Ethernet frame modeling a generic reply (`frame_reply`).
fn frame_reply() -> Packet {
    Ether::new(mac("00:00:00:00:00:01"), mac("00:00:00:00:00:02"))
        / Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4"))
        / Udp::new(20000, 10000)
        / Raw::new([0xa5; 100])
}

fn pgs(t: &TestCase) -> TestResult<Vec<PgInterface>> {
    pg::interfaces(t)
}

/// The UDP port of the class's tunnels, set by `create_vxlan_interfaces`.
#[derive(Default)]
struct Dport(u16);

fn dport(t: &mut TestCase) -> u16 {
    t.class_data::<Dport>().0
}

/// Encapsulates `pkt` from pg0's remote host to VPP (`encapsulate`).
fn encapsulate(t: &mut TestCase, pkt: &Packet, vni: u32) -> TestResult<Packet> {
    let pg0 = &pgs(t)?[0];
    let port = dport(t);
    Ok(Ether::new(pg0.remote_mac(), pg0.local_mac())
        / Ipv4::new(pg0.remote_ip4(), pg0.local_ip4())
        / Udp {
            chksum: Some(0),
            ..Udp::new(port, port)
        }
        / Vxlan {
            flags: FLAGS,
            ..Vxlan::new(vni)
        }
        / pkt.clone())
}

/// Encapsulates `pkt` from `src_ip` to the multicast group (`encap_mcast`).
fn encap_mcast(t: &mut TestCase, pkt: &Packet, src_ip: Ipv4Addr, src_mac: Mac, vni: u32) -> Packet {
    let port = dport(t);
    Ether::new(src_mac, mcast_mac())
        / Ipv4::new(src_ip, MCAST_IP4)
        / Udp {
            chksum: Some(0),
            ..Udp::new(port, port)
        }
        / Vxlan {
            flags: FLAGS,
            ..Vxlan::new(vni)
        }
        / pkt.clone()
}

/// The frame a VXLAN packet carries, its I flag checked (`decapsulate`).
fn decapsulate(pkt: &Packet) -> TestResult<Packet> {
    // check if is set I flag
    assert_eq!(pkt.expect::<Vxlan>().flags, 0x8);
    Ok(pkt.after::<Vxlan>().ok_or("no VXLAN layer")?)
}

/// Checks the encapsulation VPP put on `pkt` (`check_encapsulation`).
fn check_encapsulation(
    t: &mut TestCase,
    pkt: &Packet,
    vni: u32,
    local_only: bool,
    mcast_pkt: bool,
) -> TestResult {
    let pg0 = &pgs(t)?[0];
    // Verify source MAC is VPP_MAC and destination MAC is MY_MAC resolved
    //  by VPP using ARP.
    let eth = pkt.expect::<Ether>();
    assert_eq!(eth.src, pg0.local_mac());
    if !local_only {
        if !mcast_pkt {
            assert_eq!(eth.dst, pg0.remote_mac());
        } else {
            assert_eq!(eth.dst, mcast_mac());
        }
    }
    // Verify VXLAN tunnel source IP is VPP_IP and destination IP is MY_IP.
    let ip = pkt.expect::<Ipv4>();
    assert_eq!(ip.src, pg0.local_ip4());
    if !local_only {
        if !mcast_pkt {
            assert_eq!(ip.dst, pg0.remote_ip4());
        } else {
            assert_eq!(ip.dst, MCAST_IP4);
        }
    }
    // Verify UDP destination port is VXLAN 4789, source UDP port could be
    //  arbitrary.
    assert_eq!(pkt.expect::<Udp>().dport, dport(t));
    // Verify UDP checksum
    pkt.verify_checksums(true)?;
    // Verify VNI
    assert_eq!(pkt.expect::<Vxlan>().vni, vni);
    Ok(())
}

/// The Ether, MPLS, IP, UDP and payload of both packets agree
/// (`assert_eq_pkts`).
fn assert_eq_pkts(pkt1: &Packet, pkt2: &Packet) {
    let (e1, e2) = (pkt1.expect::<Ether>(), pkt2.expect::<Ether>());
    assert_eq!(e1.src, e2.src);
    assert_eq!(e1.dst, e2.dst);
    if pkt1.has::<Mpls>() || pkt2.has::<Mpls>() {
        let (m1, m2) = (pkt1.expect::<Mpls>(), pkt2.expect::<Mpls>());
        assert_eq!((m1.label, m1.cos, m1.ttl), (m2.label, m2.cos, m2.ttl));
    }
    if pkt1.has::<Ipv4>() || pkt2.has::<Ipv4>() {
        let (i1, i2) = (pkt1.expect::<Ipv4>(), pkt2.expect::<Ipv4>());
        assert_eq!((i1.src, i1.dst), (i2.src, i2.dst));
    } else if pkt1.has::<Ipv6>() || pkt2.has::<Ipv6>() {
        let (i1, i2) = (pkt1.expect::<Ipv6>(), pkt2.expect::<Ipv6>());
        assert_eq!((i1.src, i1.dst), (i2.src, i2.dst));
    }
    let (u1, u2) = (pkt1.expect::<Udp>(), pkt2.expect::<Udp>());
    assert_eq!((u1.sport, u1.dport), (u2.sport, u2.dport));
    assert_eq!(pkt1.expect::<Raw>(), pkt2.expect::<Raw>());
}

fn set_up_class(t: &mut TestCase) -> TestResult {
    // Create 2 pg interfaces.
    let pgs = pg::create_interfaces(t, 0..4)?;
    for i in &pgs {
        i.admin_up(t)?;
    }
    // Configure IPv4 addresses on VPP pg0.
    pgs[0].config_ip4(t)?;
    // Resolve MAC address for VPP's IP address on pg0.
    pgs[0].resolve_arp(t)?;
    Ok(())
}

/// Puts `sw_if_index` in bridge domain `bd_id` (`sw_interface_set_l2_bridge`,
/// unregistered as in the original: the port goes with its tunnel).
fn set_l2_bridge(t: &mut TestCase, sw_if_index: u32, bd_id: u32) -> TestResult {
    BridgeDomainPort::new(bd_id, sw_if_index).add_vpp_config(t.api())
}

/// Ten unicast tunnels in bridge domain `vni`, to hosts routed through
/// pg0's remote host (`create_vxlan_flood_test_bd`).
fn create_vxlan_flood_test_bd(t: &mut TestCase, vni: u32, port: u16) -> TestResult {
    let pg0 = pgs(t)?[0].clone();
    let next_hop_address = pg0.remote_ip4();
    for dest_ip4 in ip4_range(next_hop_address, 10, 10 + N_UCAST_TUNNELS) {
        // add host route so dest_ip4 will not be resolved
        IpRoute::new(
            &format!("{dest_ip4}/32"),
            [RoutePath::via(next_hop_address.into(), u32::MAX)],
        )?
        .add_vpp_config(t.api())?;
        let r = objects::add(
            t,
            VxlanTunnel::new(pg0.local_ip4(), dest_ip4, vni).with_port(port),
        )?;
        set_l2_bridge(t, r.sw_if_index, vni)?;
    }
    Ok(())
}

/// Adds, or removes, the tunnels that share the multicast destination
/// (`add_del_shared_mcast_dst_load`), to test the reference counting.
fn add_del_shared_mcast_dst_load(t: &mut TestCase, port: u16, is_add: bool) -> TestResult {
    let pg0 = pgs(t)?[0].clone();
    for vni in 10000..10020 {
        let mut r = VxlanTunnel::new(pg0.local_ip4(), MCAST_IP4, vni).with_port(port);
        r.mcast_sw_if_index = 1;
        if is_add {
            let r = objects::add(t, r)?;
            if r.sw_if_index == u32::MAX {
                return Err("bad sw_if_index: ~0".into());
            }
        } else {
            objects::remove(t, &r)?;
        }
    }
    Ok(())
}

/// Adds, or removes, 200 tunnels to distinct multicast groups
/// (`add_del_mcast_tunnels_load`).
fn add_del_mcast_tunnels_load(t: &mut TestCase, port: u16, is_add: bool) -> TestResult {
    let pg0 = pgs(t)?[0].clone();
    for i in 0..200u32 {
        // 239.1.1.10 .. 239.1.1.209
        let dest_ip4 = Ipv4Addr::from(u32::from(MCAST_IP4) - 1 + 10 + i);
        let vni = u32::from(dest_ip4.octets()[3]);
        let mut r = VxlanTunnel::new(pg0.local_ip4(), dest_ip4, vni).with_port(port);
        r.mcast_sw_if_index = 1;
        if is_add {
            objects::add(t, r)?;
        } else {
            objects::remove(t, &r)?;
        }
    }
    Ok(())
}

/// The tunnels of a test (`createVxLANInterfaces`): one to pg0's remote
/// host bridged with pg1; a multicast one and ten unicast ones bridged
/// with pg2; ten unicast ones bridged with pg3; and many added and removed
/// on the way.
fn create_vxlan_interfaces(t: &mut TestCase, port: u16) -> TestResult {
    // Create VXLAN VTEP on VPP pg0, and put vxlan_tunnel0 and pg1
    //  into BD.
    t.class_data::<Dport>().0 = port;
    let p = pgs(t)?;
    let r = objects::add(
        t,
        VxlanTunnel::new(p[0].local_ip4(), p[0].remote_ip4(), SINGLE_TUNNEL_VNI).with_port(port),
    )?;
    set_l2_bridge(t, r.sw_if_index, SINGLE_TUNNEL_BD)?;
    set_l2_bridge(t, p[1].sw_if_index(), SINGLE_TUNNEL_BD)?;

    // Setup vni 2 to test multicast flooding
    create_vxlan_flood_test_bd(t, MCAST_FLOOD_BD, port)?;
    let mut r = VxlanTunnel::new(p[0].local_ip4(), MCAST_IP4, MCAST_FLOOD_BD).with_port(port);
    r.mcast_sw_if_index = 1;
    let r = objects::add(t, r)?;
    set_l2_bridge(t, r.sw_if_index, MCAST_FLOOD_BD)?;
    set_l2_bridge(t, p[2].sw_if_index(), MCAST_FLOOD_BD)?;

    // Add and delete mcast tunnels to check stability
    add_del_shared_mcast_dst_load(t, port, true)?;
    add_del_mcast_tunnels_load(t, port, true)?;
    add_del_shared_mcast_dst_load(t, port, false)?;
    add_del_mcast_tunnels_load(t, port, false)?;

    // Setup vni 3 to test unicast flooding
    create_vxlan_flood_test_bd(t, UCAST_FLOOD_BD, port)?;
    set_l2_bridge(t, p[3].sw_if_index(), UCAST_FLOOD_BD)?;

    // Set scapy listen custom port for VxLAN
    pg::bind_udp_dport(t, port, UdpLayer::Vxlan);
    Ok(())
}

/// Sends ten copies of `frame` from pg1, each to another UDP port; checks
/// each comes out encapsulated on pg0 and that the source ports vary
/// (`encap_frames`).
fn encap_frames(t: &mut TestCase, frame: &Packet) -> TestResult {
    let n = 10;
    let p = pgs(t)?;
    // Provide IP flow hash difference.
    let frames: Vec<Packet> = (0..n)
        .map(|i| {
            let mut f = frame.clone();
            f.get_mut::<Udp>().expect("a UDP frame").dport += i;
            f
        })
        .collect();
    p[1].add_stream(t, &frames)?;
    p[0].enable_capture(t)?;
    pg::start(t)?;
    // Pick received frames and check if they're correctly encapsulated.
    let out = p[0].get_capture(t, usize::from(n))?;
    let mut sports = std::collections::HashSet::new();
    for (pkt, sent) in out.iter().zip(&frames) {
        check_encapsulation(t, pkt, SINGLE_TUNNEL_VNI, false, false)?;
        let payload = decapsulate(pkt)?;
        assert_eq_pkts(&payload, sent);
        sports.insert(pkt.expect::<Udp>().sport);
    }
    // Check src port randomization presence, not concerned with the
    // src ports split ratio, just as long as there are more then one.
    assert!(
        sports.len() >= 2.min(usize::from(n)),
        "one source port: {sports:?}"
    );
    Ok(())
}

fn encap_packets(t: &mut TestCase) -> TestResult {
    let eth = || Ether::new(mac("00:00:00:00:00:02"), mac("00:00:00:00:00:01"));
    let ip4 = || Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4"));
    let ip6 = || {
        Ipv6::new(
            "2001:db8::4321".parse().unwrap(),
            "2001:db8::1234".parse().unwrap(),
        )
    };
    let rest = || Udp::new(20000, 10000) / Raw::new([0xa5; 100]);
    encap_frames(t, &(eth() / ip4() / rest()))?;
    encap_frames(t, &(eth() / ip6() / rest()))?;
    encap_frames(t, &(eth() / Mpls::new(44, 64) / ip4() / rest()))?;
    encap_frames(t, &(eth() / Mpls::new(44, 64) / ip6() / rest()))
}

/// A frame bigger than pg0's MTU of 1500 goes out encapsulated in two
/// fragments (`encap_big_packet`).
fn encap_big_packet(t: &mut TestCase) -> TestResult {
    let p = pgs(t)?;
    t.api().request(&SwInterfaceSetMtu {
        sw_if_index: p[0].sw_if_index(),
        mtu: [1500, 0, 0, 0],
    })?;
    let frame = Ether::new(mac("00:00:00:00:00:02"), mac("00:00:00:00:00:01"))
        / Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4"))
        / Udp::new(20000, 10000)
        / Raw::new([0xa5; 1450]);
    p[1].add_stream(t, &[frame])?;
    p[0].enable_capture(t)?;
    pg::start(t)?;
    // Pick first received frame and check if it's correctly encapsulated.
    let out = p[0].get_capture(t, 2)?;
    // The original puts the reassembled IP packet behind the whole first
    // fragment (`ether / pkt`); its checks find the first fragment's
    // headers. Here they see the reassembled datagram under its Ethernet
    // header, which is what the test means.
    let whole = reassemble4_ether(&out).ok_or("fragments that do not reassemble")?;
    let whole = Packet::dissect_with(&whole.build(), asf_core::packet::Link::Ethernet, &{
        let mut b = asf_core::packet::Bindings::default();
        b.bind_udp_dport(dport(t), UdpLayer::Vxlan);
        b
    });
    check_encapsulation(t, &whole, SINGLE_TUNNEL_VNI, false, false)?;
    // The original leaves the payload unchecked ("TODO: Scapy bug?").
    decapsulate(&whole)?;
    Ok(())
}

/// Decapsulation test (`BridgeDomain.test_decap`): an encapsulated frame
/// from pg0 comes out of pg1 as it was.
fn bd_test_decap(t: &mut TestCase) -> TestResult {
    let p = pgs(t)?;
    let encapsulated_pkt = encapsulate(t, &frame_request(), SINGLE_TUNNEL_VNI)?;
    p[0].add_stream(t, &[encapsulated_pkt])?;
    p[1].enable_capture(t)?;
    pg::start(t)?;
    // Pick first received frame and check if it's the non-encapsulated
    // frame
    let out = p[1].get_capture(t, 1)?;
    assert_eq_pkts(&out[0], &frame_request());
    Ok(())
}

/// Encapsulation test (`BridgeDomain.test_encap`).
fn bd_test_encap(t: &mut TestCase) -> TestResult {
    let p = pgs(t)?;
    p[1].add_stream(t, &[frame_reply()])?;
    p[0].enable_capture(t)?;
    pg::start(t)?;
    // Pick first received frame and check if it's correctly encapsulated.
    let out = p[0].get_capture(t, 1)?;
    check_encapsulation(t, &out[0], SINGLE_TUNNEL_VNI, false, false)?;
    assert_eq_pkts(&decapsulate(&out[0])?, &frame_reply());
    Ok(())
}

/// Unicast flood test (`BridgeDomain.test_ucast_flood`): a frame from pg3
/// goes out of each unicast tunnel of its bridge domain.
fn bd_test_ucast_flood(t: &mut TestCase) -> TestResult {
    let p = pgs(t)?;
    p[3].add_stream(t, &[frame_reply()])?;
    p[0].enable_capture(t)?;
    pg::start(t)?;
    // Get packet from each tunnel and assert it's correctly encapsulated.
    let out = p[0].get_capture(t, usize::from(N_UCAST_TUNNELS))?;
    for pkt in &out {
        check_encapsulation(t, pkt, UCAST_FLOOD_BD, true, false)?;
        assert_eq_pkts(&decapsulate(pkt)?, &frame_reply());
    }
    Ok(())
}

/// Multicast flood test (`BridgeDomain.test_mcast_flood`).
fn bd_test_mcast_flood(t: &mut TestCase) -> TestResult {
    let p = pgs(t)?;
    p[2].add_stream(t, &[frame_reply()])?;
    p[0].enable_capture(t)?;
    pg::start(t)?;
    // Pick first received frame and check if it's correctly encapsulated.
    let out = p[0].get_capture(t, 1)?;
    check_encapsulation(t, &out[0], MCAST_FLOOD_BD, false, true)?;
    assert_eq_pkts(&decapsulate(&out[0])?, &frame_reply());
    Ok(())
}

/// Multicast receive test (`BridgeDomain.test_mcast_rcv`): of 20 frames to
/// the group, the 10 from unicast tunnels' ends come out of pg2.
fn bd_test_mcast_rcv(t: &mut TestCase) -> TestResult {
    let p = pgs(t)?;
    let mac = p[0].remote_mac();
    let mcast_stream: Vec<Packet> = ip4_range(p[0].remote_ip4(), 10, 30)
        .map(|ip| encap_mcast(t, &frame_request(), ip, mac, MCAST_FLOOD_BD))
        .collect();
    p[0].add_stream(t, &mcast_stream)?;
    p[2].enable_capture(t)?;
    pg::start(t)?;
    let out = p[2].get_capture(t, 10)?;
    for pkt in &out {
        assert_eq_pkts(pkt, &frame_request());
    }
    Ok(())
}

/// VXLAN Test Case
#[vpp_test(
    name = "TestVxlan",
    set_up_class = set_up_class,
    show_at_teardown = [
        "show bridge-domain 1 detail",
        "show bridge-domain 2 detail",
        "show bridge-domain 3 detail",
        "show vxlan tunnel",
    ],
    // Exclude VXLAN plugin tests
    requires_plugins = ["vxlan_plugin.so"],
    requires_messages = ["vxlan_add_del_tunnel_v3"]
)]
mod vxlan {
    use super::*;

    // Tests with default port (4789)

    /// Decapsulation test
    /// from BridgeDoman
    #[vpp_test]
    fn test_decap(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 4789)?;
        bd_test_decap(t)
    }

    /// Encapsulation test
    /// from BridgeDoman
    #[vpp_test]
    fn test_encap(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 4789)?;
        encap_packets(t)
    }

    /// Encapsulation test send big frame from pg1
    /// Verify receipt of encapsulated frames on pg0
    #[vpp_test]
    fn test_encap_big_packet(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 4789)?;
        encap_big_packet(t)
    }

    /// Unicast flood test
    /// from BridgeDoman
    #[vpp_test]
    fn test_ucast_flood(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 4789)?;
        bd_test_ucast_flood(t)
    }

    /// Multicast flood test
    /// from BridgeDoman
    #[vpp_test]
    fn test_mcast_flood(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 4789)?;
        bd_test_mcast_flood(t)
    }

    /// Multicast receive test
    /// from BridgeDoman
    #[vpp_test]
    fn test_mcast_rcv(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 4789)?;
        bd_test_mcast_rcv(t)
    }

    // Tests with custom port

    /// Decapsulation test custom port
    /// from BridgeDoman
    #[vpp_test]
    fn test_decap_custom_port(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 1111)?;
        bd_test_decap(t)
    }

    /// Encapsulation test custom port
    /// from BridgeDoman
    #[vpp_test]
    fn test_encap_custom_port(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 1111)?;
        bd_test_encap(t)
    }

    /// Unicast flood test custom port
    /// from BridgeDoman
    #[vpp_test]
    fn test_ucast_flood_custom_port(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 1111)?;
        bd_test_ucast_flood(t)
    }

    /// Multicast flood test custom port
    /// from BridgeDoman
    #[vpp_test]
    fn test_mcast_flood_custom_port(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 1111)?;
        bd_test_mcast_flood(t)
    }

    /// Multicast receive test custom port
    /// from BridgeDoman
    #[vpp_test]
    fn test_mcast_rcv_custom_port(t: &mut TestCase) -> TestResult {
        create_vxlan_interfaces(t, 1111)?;
        bd_test_mcast_rcv(t)
    }
}

/// Four pg interfaces up, pg0 addressed and resolved (the set-up of
/// TestVxlan2 and, with pg1 addressed too, TestVxlanL2Mode).
fn set_up_pgs(t: &mut TestCase, n: u32, pg1_ip4: bool) -> TestResult<Vec<PgInterface>> {
    let pgs = pg::create_interfaces(t, 0..n)?;
    for pg in &pgs {
        pg.admin_up(t)?;
    }
    // Configure IPv4 addresses on VPP pg0.
    pgs[0].config_ip4(t)?;
    pgs[0].resolve_arp(t)?;
    if pg1_ip4 {
        // Configure IPv4 addresses on VPP pg1.
        pgs[1].config_ip4(t)?;
    }
    Ok(pgs)
}

/// VXLAN Test Case
#[vpp_test(
    name = "TestVxlan2",
    requires_plugins = ["vxlan_plugin.so"],
    requires_messages = ["vxlan_add_del_tunnel_v3"]
)]
mod vxlan2 {
    use super::*;

    /// VXLAN source address not local
    #[vpp_test]
    fn test_xconnect(t: &mut TestCase) -> TestResult {
        let pgs = set_up_pgs(t, 4, false)?;
        // test the broken configuration of a VXLAN tunnel whose
        // source address is not local ot the box. packets sent
        // through the tunnel should be dropped
        let tun = objects::add(
            t,
            VxlanTunnel::new(ip4("10.0.0.5"), pgs[0].local_ip4(), 1000),
        )?;
        pg::interface_of(t, tun.sw_if_index)?.admin_up(t)?;
        for (rx, tx) in [
            (tun.sw_if_index, pgs[1].sw_if_index()),
            (pgs[1].sw_if_index(), tun.sw_if_index),
        ] {
            t.api().request(&SwInterfaceSetL2Xconnect {
                rx_sw_if_index: rx,
                tx_sw_if_index: tx,
                enable: true,
            })?;
        }
        let p = Ether::new(mac("00:11:22:33:44:55"), mac("00:00:00:11:22:33"))
            / Ipv4::new(ip4("4.3.2.1"), ip4("1.2.3.4"))
            / Udp::new(20000, 10000)
            / Raw::new([0xa5; 1450]);
        pg::send_and_assert_no_replies(t, &pgs[1], &[p])
    }
}

/// VXLAN Test Case
#[vpp_test(
    name = "TestVxlanL2Mode",
    requires_plugins = ["vxlan_plugin.so"],
    requires_messages = ["vxlan_add_del_tunnel_v3"]
)]
mod vxlan_l2_mode {
    use super::*;

    /// VXLAN L2 mode
    #[vpp_test]
    fn test_l2_mode(t: &mut TestCase) -> TestResult {
        let pgs = set_up_pgs(t, 2, true)?;
        let tun = objects::add(
            t,
            VxlanTunnel::new(pgs[0].local_ip4(), pgs[0].remote_ip4(), 1000),
        )?;
        let intf = pg::interface_of(t, tun.sw_if_index)?;
        intf.config_ip4(t)?;
        intf.admin_up(t)?;
        let [a, b, c, _] = intf.local_ip4().octets();
        let dst_ip = Ipv4Addr::new(a, b, c, 2);
        // Create a packet to send
        let p = Ether::new(pgs[1].remote_mac(), pgs[1].local_mac())
            / Ipv4::new(pgs[1].local_ip4(), dst_ip)
            / Udp::new(555, 556)
            / Raw::new([0u8; 80]);
        // Expect ARP request
        let rx = pg::send_and_expect(t, &pgs[1], std::slice::from_ref(&p), &pgs[0])?;
        for r in &rx {
            let eth = r.expect::<Ether>();
            assert_eq!(eth.dst, pgs[0].remote_mac());
            assert_eq!(eth.src, pgs[0].local_mac());
            let arp = r.expect::<Arp>();
            assert_eq!(arp.op, 1);
            assert_eq!(arp.pdst, dst_ip);
        }
        // Resolve ARP
        objects::add(
            t,
            Neighbor::new(
                tun.sw_if_index,
                &pgs[1].remote_mac().to_string(),
                &dst_ip.to_string(),
            )?,
        )?;
        // Send packets
        const NUM_PKTS: usize = 128;
        let rx = pg::send_and_expect(t, &pgs[1], &vec![p; NUM_PKTS], &pgs[0])?;
        assert_eq!(NUM_PKTS, rx.len());
        Ok(())
    }
}

fn route_lookup(t: &mut TestCase, prefix: &str, exact: bool, table_id: u32) -> TestResult {
    t.api().request(&IpRouteLookup {
        table_id,
        exact: u8::from(exact),
        prefix: prefix.parse()?,
    })?;
    Ok(())
}

/// VXLAN Routing Test Case
#[vpp_test(
    name = "TestVxlanRouting",
    requires_plugins = ["vxlan_plugin.so"],
    requires_messages = ["vxlan_add_del_tunnel_v3", "ip_route_lookup"]
)]
mod vxlan_routing {
    use super::*;

    /// VXLAN destination tracking
    #[vpp_test]
    fn test_dst_tracking(t: &mut TestCase) -> TestResult {
        let pgs = set_up_pgs(t, 1, false)?;
        // Create non-default table
        let table = objects::add(
            t,
            IpTable {
                table_id: 1,
                is_ip6: false,
            },
        )?;
        // Create drop prefix in non-default table
        let any: IpAddr = Ipv4Addr::UNSPECIFIED.into();
        let mut drop_route = IpRoute::new("1.1.2.0/24", [RoutePath::drop(any)])?;
        drop_route.table_id = table.table_id;
        let drop_route = objects::add(t, drop_route)?;
        // Create tunnel dst host route via nh in default table
        let mut dst_route = IpRoute::new(
            "1.1.2.1/32",
            [RoutePath::via(pgs[0].remote_ip4().into(), u32::MAX)],
        )?;
        dst_route.table_id = table.table_id;
        let dst_route = objects::add(t, dst_route)?;
        // Create tunnels, using tunnel using dst route tracking
        let mut tunnels = Vec::new();
        for i in 0..3 {
            let mut tun = VxlanTunnel::new(pgs[0].local_ip4(), ip4("1.1.2.1"), 1000 + i);
            tun.encap_vrf_id = table.table_id;
            let tun = objects::add(t, tun)?;
            let intf = pg::interface_of(t, tun.sw_if_index)?;
            intf.config_ip4(t)?;
            intf.admin_up(t)?;
            tunnels.push((tun, intf));
        }
        // Remove first dst host route
        objects::remove(t, &dst_route)?;
        assert!(!dst_route.query_vpp_config(t.api())?);
        route_lookup(t, "1.1.2.1/32", true, table.table_id)?;
        // Remove less specific drop route
        objects::remove(t, &drop_route)?;
        assert!(!drop_route.query_vpp_config(t.api())?);
        route_lookup(t, "1.1.2.1/32", true, table.table_id)?;
        // Remove first tunnel
        tunnels[0].1.admin_down(t)?;
        objects::remove(t, &tunnels[0].0)?;
        route_lookup(t, "1.1.2.1/32", true, table.table_id)?;
        // Remove table, should be still locked
        objects::remove(t, &table)?;
        assert!(table.query_vpp_config(t.api())?);
        // Remove next tunnel, table should be still locked
        tunnels[1].1.admin_down(t)?;
        objects::remove(t, &tunnels[1].0)?;
        route_lookup(t, "1.1.2.1/32", true, table.table_id)?;
        // Remove last tunnel, table should be gone
        tunnels[2].1.admin_down(t)?;
        objects::remove(t, &tunnels[2].0)?;
        assert!(!table.query_vpp_config(t.api())?);
        Ok(())
    }
}
